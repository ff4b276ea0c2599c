package inbox_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// Regressions of issue 10, points 5, 6 and 11.

// d4InboxShared connects hello@acme.test, owned by Adm, shared to the
// Inboxes of B and C (Inbox mode, F3:986-990), and delivers one email to
// it.
func d4InboxShared(t *testing.T) (*inboxtest.Acme, conversation.ConversationID) {
	t.Helper()
	a := tltgAcme()
	acct, err := a.Engine.ConnectAccount(tltgCtx, a.As("Adm"), inbox.AccountSpec{Address: "hello@acme.test",
		Sharing: conversation.Sharing{Kind: conversation.SharedToInboxes, Users: map[conversation.UserID]conversation.InboxDelivery{
			a.ID("B"): conversation.ToInbox, a.ID("C"): conversation.ToInbox}}})
	require.NoError(t, err)
	a.Accounts["hello"] = acct
	c := a.Deliver("hello", a.Email("Hello there", "hello@acme.test"))
	for _, u := range []string{"B", "C"} {
		require.True(t, a.In(u, a.Box(conversation.Inbox), c), "%s receives it in their Inbox", u)
	}
	return a, c
}

// Issue 10 point 5: an Inbox-mode recipient's trash is their own. Users
// receiving the account in their Inbox keep it "until they read /
// archive / trash it themselves" (F3:990); outside a team inbox only the
// account owner trashes for everyone (conversations-detail OP-11, A-16,
// F3:8439-8448).
func TestDefect10_5_InboxModeRecipientTrashIsPersonal(t *testing.T) {
	a, c := d4InboxShared(t)
	require.NoError(t, a.Engine.Trash(tltgCtx, a.As("B"), c, inbox.TrashOptions{}))
	assert.True(t, a.In("B", a.Box(conversation.Trash), c), "in B's Trash")
	assert.False(t, a.In("B", a.Box(conversation.Inbox), c))
	assert.True(t, a.In("C", a.Box(conversation.Inbox), c), "C keeps it in their Inbox")
	assert.False(t, a.In("C", a.Box(conversation.Trash), c), "not in C's Trash")
	assert.False(t, a.Conv("C", c).Conversation.Trashed, "not trashed for everyone")
	assert.False(t, a.In("Adm", a.Box(conversation.Trash), c), "nor for the owner")

	// The account owner's trash is for everyone.
	require.NoError(t, a.Engine.Trash(tltgCtx, a.As("Adm"), c, inbox.TrashOptions{}))
	for _, u := range []string{"Adm", "B", "C"} {
		assert.True(t, a.In(u, a.Box(conversation.Trash), c), "%s: in Trash after the owner's trash", u)
	}
	assert.False(t, a.In("C", a.Box(conversation.Inbox), c))
}
