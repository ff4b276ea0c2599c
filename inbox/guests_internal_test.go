package inbox

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
)

// TestTLTG_05_139_MergeRefusedWithGuests pins the check the merge
// operation calls for each conversation it merges (F3:7927).
func TestTLTG_05_139_MergeRefusedWithGuests(t *testing.T) {
	ctx := context.Background()
	var invite *Invitation
	e := New(Config{Notifier: NotifierFunc(func(_ context.Context, n Notification) error {
		if n.Invitation != nil {
			invite = n.Invitation
		}
		return nil
	})})
	_, owner, err := e.CreateOrg(ctx, OrgSpec{Name: "Acme", Owner: UserSpec{Name: "Own", Email: "own@acme.test", Handle: "own"}})
	require.NoError(t, err)
	acct, err := e.ConnectAccount(ctx, AsUser(owner.ID), AccountSpec{Address: "own@acme.test"})
	require.NoError(t, err)
	deliver := func(id string) conversation.ConversationID {
		d, err := e.Deliver(ctx, System, Incoming{Account: acct.ID, Message: conversation.Message{
			From: conversation.Address{Address: "kim@example.com"}, To: []conversation.Address{{Address: "own@acme.test"}},
			Subject: id, HeaderID: id + "@example.com"}})
		require.NoError(t, err)
		return d.Conversations[0]
	}
	x, y := deliver("x"), deliver("y")
	refuse := func(actor Actor, id conversation.ConversationID) error {
		return e.update(ctx, actor, func(o *op) error {
			if err := o.load(id); err != nil {
				return err
			}
			return o.refuseMergeWithGuests(o.conv)
		})
	}
	require.NoError(t, refuse(AsUser(owner.ID), x), "no guests: merge allowed")

	_, err = e.InviteGuest(ctx, AsUser(owner.ID), x, "g@ext.com")
	require.NoError(t, err)
	err = refuse(AsUser(owner.ID), x)
	assert.ErrorIs(t, err, ErrMergeWithGuests, "a pending invitation blocks the merge too")
	assert.ErrorIs(t, err, ErrForbidden)

	acc, err := e.AcceptInvitation(ctx, invite.Token, Acceptance{})
	require.NoError(t, err)
	assert.ErrorIs(t, refuse(AsUser(owner.ID), x), ErrMergeWithGuests)
	assert.ErrorIs(t, refuse(System, x), ErrMergeWithGuests)
	assert.NoError(t, refuse(AsUser(owner.ID), y), "the other conversation has none")
	assert.ErrorIs(t, refuse(AsUser(acc.Guest.ID), x), ErrMergeWithGuests, "a guest in the conversation cannot merge it")

	require.NoError(t, e.RemoveAllGuests(ctx, AsUser(owner.ID), x))
	assert.NoError(t, refuse(AsUser(owner.ID), x), "allowed again once the guests are gone")
}
