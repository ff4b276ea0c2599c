package storagetest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// testDeleteUserState covers the optional [storage.UserStateDeleter] role:
// the state is gone from UserState, UserStates and the due-snooze index,
// deleting a missing state is no error, and a rollback restores it.
func testDeleteUserState(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	c := newConversation(org)
	st1 := newState(c.ID, u1)
	st1.Snooze = newSnooze(at(6))
	offered := true
	update(t, s, func(tx storage.Tx) error {
		if _, ok := tx.(storage.UserStateDeleter); !ok {
			offered = false
			return nil
		}
		if err := tx.CreateConversation(ctx, c); err != nil {
			return err
		}
		if err := tx.PutUserState(ctx, st1); err != nil {
			return err
		}
		return tx.PutUserState(ctx, newState(c.ID, u2))
	})
	if !offered {
		t.Skip("the store does not offer storage.UserStateDeleter")
	}
	deleteState := func(tx storage.Tx, c conversation.ConversationID, u conversation.UserID) error {
		return tx.(storage.UserStateDeleter).DeleteUserState(ctx, c, u)
	}
	errRollback := errors.New("roll back")
	err := s.Update(ctx, func(tx storage.Tx) error {
		require.NoError(t, deleteState(tx, c.ID, u1))
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)
	view(t, s, func(tx storage.ReadTx) error {
		got, err := tx.UserState(ctx, c.ID, u1)
		require.NoError(t, err)
		require.Equal(t, st1, got)
		due, err := tx.DueSnoozes(ctx, at(7), 10)
		require.NoError(t, err)
		require.Len(t, due, 1)
		return nil
	})

	update(t, s, func(tx storage.Tx) error {
		if err := deleteState(tx, c.ID, u1); err != nil {
			return err
		}
		return deleteState(tx, c.ID, newID[conversation.UserID]())
	})
	view(t, s, func(tx storage.ReadTx) error {
		_, err := tx.UserState(ctx, c.ID, u1)
		require.ErrorIs(t, err, conversation.ErrNotFound)
		states, err := tx.UserStates(ctx, c.ID)
		require.NoError(t, err)
		require.Len(t, states, 1)
		require.Contains(t, states, u2)
		due, err := tx.DueSnoozes(ctx, at(7), 10)
		require.NoError(t, err)
		require.Empty(t, due)
		return nil
	})
	err = s.Update(ctx, func(tx storage.Tx) error {
		return deleteState(tx, newID[conversation.ConversationID](), u1)
	})
	require.ErrorIs(t, err, conversation.ErrNotFound)
}
