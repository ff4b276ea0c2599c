package inbox_test

// Regression test for issue 10, point 10: "Mark as spam is only
// available for email accounts you own or shared accounts you have a
// delegated access to. It is not available when you are mentioned in
// someone else's private email." (F3:3043; accounts-threading spec §4,
// scenario 97). "Mark as not spam" stays open to any member who sees the
// conversation ("Any member of the organization can unblock a sender",
// F3:3260).

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

func TestDefect10_10_MarkSpamOnlyByAccountOwnerOrDelegate(t *testing.T) {
	a := tltgAcme()
	spam := func(c conversation.ConversationID) bool { return a.Conv("Adm", c).Conversation.Spam }

	// support@ is Adm's account shared to the Support team inbox: its
	// members see the conversation but hold no delegated access.
	team := a.Deliver("support", a.Email("Cheap pills", "support@acme.test"))
	for _, u := range []string{"A", "B", "O"} {
		err := a.Engine.MarkSpam(tltgCtx, a.As(u), team, true)
		assert.ErrorIs(t, err, inbox.ErrForbidden, "%s: a team member of a shared account", u)
	}
	assert.False(t, spam(team), "a refused mark changes nothing")
	assert.True(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), team))
	assert.ErrorIs(t, a.Engine.MarkSpam(tltgCtx, a.As("Own"), team, true), inbox.ErrNotFound, "Own cannot see it")
	require.NoError(t, a.Engine.MarkSpam(tltgCtx, a.As("Adm"), team, true), "the account owner")
	assert.True(t, spam(team))
	require.NoError(t, a.Engine.MarkSpam(tltgCtx, a.As("A"), team, false), "any member who sees it marks it not spam")
	assert.False(t, spam(team))

	// c@ is C's private account with D as delegated user; M is only
	// mentioned in it.
	private := a.Deliver("c", a.Email("Win a prize", "c@acme.test"))
	_, err := a.Engine.Comment(tltgCtx, a.As("C"), private, inbox.NewComment{Body: "@m is this real?"})
	require.NoError(t, err)
	assert.ErrorIs(t, a.Engine.MarkSpam(tltgCtx, a.As("M"), private, true), inbox.ErrForbidden, "mentioned in someone else's private email")
	assert.False(t, a.Conv("C", private).Conversation.Spam)
	require.NoError(t, a.Engine.MarkSpam(tltgCtx, a.As("D"), private, true), "a delegate")
	assert.True(t, a.Conv("C", private).Conversation.Spam)
	require.NoError(t, a.Engine.MarkSpam(tltgCtx, a.As("C"), private, false))
	require.NoError(t, a.Engine.MarkSpam(tltgCtx, a.As("C"), private, true), "the owner")

	// The system (a rule's "Mark as spam" action, a blocked sender) may.
	require.NoError(t, a.Engine.MarkSpam(tltgCtx, a.As("Adm"), team, false))
	require.NoError(t, a.Engine.MarkSpam(tltgCtx, inbox.System, team, true))
	assert.True(t, spam(team))
}
