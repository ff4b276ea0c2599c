package storagetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

func testDeleteConversation(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	c, d := newConversation(org), newConversation(org)
	c.SnoozeForEveryone = newSnooze(at(5))
	st1, st2 := newState(c.ID, u1), newState(c.ID, u2)
	st1.Snooze = newSnooze(at(6))
	dst := newState(d.ID, u1)
	dst.Snooze = newSnooze(at(7))
	m1, m2, md := newMessage(c.ID, 1, "h1"), newMessage(c.ID, 2, "h2"), newMessage(d.ID, 1, "h1")
	cm, ev := newComment(c.ID, 3), newEvent(c.ID, conversation.EventCreated)
	boxA := conversation.Box{Kind: conversation.Inbox, User: u1}
	boxB := conversation.Box{Kind: conversation.TeamInbox, User: u2, Team: newID[conversation.TeamID]()}
	update(t, s, func(tx storage.Tx) error {
		for _, x := range []*conversation.Conversation{c, d} {
			if err := tx.CreateConversation(ctx, x); err != nil {
				return err
			}
		}
		for _, st := range []*conversation.UserState{st1, st2, dst} {
			if err := tx.PutUserState(ctx, st); err != nil {
				return err
			}
		}
		for _, m := range []*conversation.Message{m1, m2, md} {
			if err := tx.AddMessage(ctx, org, m); err != nil {
				return err
			}
		}
		if err := tx.AddComment(ctx, cm); err != nil {
			return err
		}
		if err := tx.AppendEvent(ctx, ev); err != nil {
			return err
		}
		if err := tx.SetPlacements(ctx, c.ID, at(1), []conversation.Placement{{Box: boxA, Unread: true}, {Box: boxB}}); err != nil {
			return err
		}
		return tx.SetPlacements(ctx, d.ID, at(2), []conversation.Placement{{Box: boxA}})
	})

	update(t, s, func(tx storage.Tx) error { return tx.DeleteConversation(ctx, c.ID) })

	view(t, s, func(tx storage.ReadTx) error {
		_, err := tx.Conversation(ctx, c.ID)
		require.ErrorIs(t, err, conversation.ErrNotFound)
		_, err = tx.UserState(ctx, c.ID, u1)
		require.ErrorIs(t, err, conversation.ErrNotFound)
		states, err := tx.UserStates(ctx, c.ID)
		require.NoError(t, err)
		require.Empty(t, states)
		ms, err := tx.Messages(ctx, c.ID)
		require.NoError(t, err)
		require.Empty(t, ms)
		cms, err := tx.Comments(ctx, c.ID)
		require.NoError(t, err)
		require.Empty(t, cms)
		evs, err := tx.Events(ctx, c.ID)
		require.NoError(t, err)
		require.Empty(t, evs)
		ms, err = tx.MessagesByHeaderID(ctx, org, "h1")
		require.NoError(t, err)
		require.Equal(t, []*conversation.Message{md}, ms)
		ms, err = tx.MessagesByHeaderID(ctx, org, "h2")
		require.NoError(t, err)
		require.Empty(t, ms)

		entries, err := tx.List(ctx, boxA, storage.Cursor{}, 10)
		require.NoError(t, err)
		require.Equal(t, []conversation.ConversationID{d.ID}, entryIDs(entries))
		counts, err := tx.Count(ctx, boxA)
		require.NoError(t, err)
		require.Equal(t, storage.Counts{Total: 1}, counts)
		entries, err = tx.List(ctx, boxB, storage.Cursor{}, 10)
		require.NoError(t, err)
		require.Empty(t, entries)
		counts, err = tx.Count(ctx, boxB)
		require.NoError(t, err)
		require.Equal(t, storage.Counts{}, counts)

		due, err := tx.DueSnoozes(ctx, at(100), 100)
		require.NoError(t, err)
		require.Equal(t, []storage.DueSnooze{{Conversation: d.ID, User: u1, Until: at(7)}}, normalizeDue(due))

		// The other conversation is untouched.
		got, err := tx.Conversation(ctx, d.ID)
		require.NoError(t, err)
		require.Equal(t, d, got)
		got2, err := tx.UserState(ctx, d.ID, u1)
		require.NoError(t, err)
		require.Equal(t, dst, got2)
		return nil
	})

	err := s.Update(ctx, func(tx storage.Tx) error { return tx.DeleteConversation(ctx, c.ID) })
	require.ErrorIs(t, err, conversation.ErrNotFound)

	// Deleted for good: its IDs can be used again.
	c2 := newConversationWithID(org, c.ID)
	update(t, s, func(tx storage.Tx) error {
		if err := tx.CreateConversation(ctx, c2); err != nil {
			return err
		}
		if err := tx.AddMessage(ctx, org, m1); err != nil {
			return err
		}
		if err := tx.AddComment(ctx, cm); err != nil {
			return err
		}
		return tx.AppendEvent(ctx, ev)
	})
	require.Equal(t, uint64(1), c2.Version)
	view(t, s, func(tx storage.ReadTx) error {
		states, err := tx.UserStates(ctx, c.ID)
		require.NoError(t, err)
		require.Empty(t, states, "a recreated conversation has no old states")
		ms, err := tx.Messages(ctx, c.ID)
		require.NoError(t, err)
		require.Equal(t, []*conversation.Message{m1}, ms)
		entries, err := tx.List(ctx, boxB, storage.Cursor{}, 10)
		require.NoError(t, err)
		require.Empty(t, entries, "a recreated conversation is listed nowhere")
		return nil
	})
}
