package inbox

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
)

// TestTLTG_05_139_MergeRefusedWithGuests: a conversation with guests,
// live or invited, cannot be merged, as target or source (F3:7927).
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
	x, y, z := deliver("x"), deliver("y"), deliver("z")
	merge := func(actor Actor, into, from conversation.ConversationID) error {
		return e.Merge(ctx, actor, into, []conversation.ConversationID{from}, MergeOptions{})
	}

	_, err = e.InviteGuest(ctx, AsUser(owner.ID), x, "g@ext.com")
	require.NoError(t, err)
	err = merge(AsUser(owner.ID), y, x)
	assert.ErrorIs(t, err, ErrMergeWithGuests, "a pending invitation blocks the merge too")
	assert.ErrorIs(t, err, ErrMergeNotAllowed)
	var refusal *MergeNotAllowedError
	if assert.ErrorAs(t, err, &refusal) {
		assert.Equal(t, MergeRefusedGuest, refusal.Reason)
	}
	assert.ErrorIs(t, merge(AsUser(owner.ID), x, y), ErrMergeWithGuests, "as target too")

	acc, err := e.AcceptInvitation(ctx, invite.Token, Acceptance{})
	require.NoError(t, err)
	assert.ErrorIs(t, merge(AsUser(owner.ID), y, x), ErrMergeWithGuests)
	assert.ErrorIs(t, merge(System, y, x), ErrMergeWithGuests)
	assert.ErrorIs(t, merge(AsUser(acc.Guest.ID), x, y), ErrMergeNotAllowed, "guests cannot merge")
	v, err := e.Get(ctx, AsUser(acc.Guest.ID), x)
	require.NoError(t, err)
	assert.Len(t, v.Messages, 1, "nothing was merged into the guest's conversation")

	require.NoError(t, merge(AsUser(owner.ID), y, z), "conversations without guests merge")
	require.NoError(t, e.RemoveAllGuests(ctx, AsUser(owner.ID), x))
	assert.NoError(t, merge(AsUser(owner.ID), y, x), "allowed again once the guests are gone")
}
