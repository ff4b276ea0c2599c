package inbox_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/storage"
)

// TestRemovedGuestLeavesNoState: a guest invited, accepted, reading and
// removed leaves no user state on the conversation, so the states every
// later operation loads do not grow with every guest it ever had (issue
// 11, costs that grow). A re-invited guest starts afresh.
func TestRemovedGuestLeavesNoState(t *testing.T) {
	ctx := context.Background()
	var token string
	e := inbox.New(inbox.Config{Notifier: inbox.NotifierFunc(func(_ context.Context, n inbox.Notification) error {
		if n.Invitation != nil {
			token = n.Invitation.Token
		}
		return nil
	})})
	_, owner, err := e.CreateOrg(ctx, inbox.OrgSpec{Name: "O", Owner: inbox.UserSpec{Name: "owner", Email: "owner@o.test", Handle: "owner"}})
	require.NoError(t, err)
	admin := inbox.AsUser(owner.ID)
	acct, err := e.ConnectAccount(ctx, admin, inbox.AccountSpec{Address: "owner@o.test"})
	require.NoError(t, err)
	d, err := e.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: conversation.Message{
		From: conversation.Address{Address: "c@example.com"}, To: []conversation.Address{{Address: "owner@o.test"}},
		Subject: "hello", HeaderID: "1@example.com", Text: "hello"}})
	require.NoError(t, err)
	c := d.Conversations[0]
	states := func() map[conversation.UserID]*conversation.UserState {
		var out map[conversation.UserID]*conversation.UserState
		require.NoError(t, e.Store().View(ctx, func(tx storage.ReadTx) error {
			out, err = tx.UserStates(ctx, c)
			return err
		}))
		return out
	}
	before := len(states())
	for i := range 3 {
		email := fmt.Sprintf("g%d@ext.test", i)
		_, err := e.InviteGuest(ctx, admin, c, email)
		require.NoError(t, err)
		acc, err := e.AcceptInvitation(ctx, token, inbox.Acceptance{})
		require.NoError(t, err)
		require.NoError(t, e.Star(ctx, inbox.AsUser(acc.Guest.ID), c, true))
		require.NoError(t, e.MarkRead(ctx, inbox.AsUser(acc.Guest.ID), c))
		require.Contains(t, states(), acc.Guest.ID)
		require.NoError(t, e.RemoveGuest(ctx, admin, c, email))
		require.NotContains(t, states(), acc.Guest.ID)
	}
	require.Len(t, states(), before)

	// Re-invited, the guest finds the conversation in their Inbox, unread.
	_, err = e.InviteGuest(ctx, admin, c, "g0@ext.test")
	require.NoError(t, err)
	acc, err := e.AcceptInvitation(ctx, token, inbox.Acceptance{})
	require.NoError(t, err)
	page, err := e.List(ctx, inbox.AsUser(acc.Guest.ID), inbox.Mailbox{Kind: conversation.Inbox}, inbox.ListOptions{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.True(t, page.Items[0].Unread)
}
