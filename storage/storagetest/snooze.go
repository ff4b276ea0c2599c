package storagetest

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// normalizeDue puts every Until in UTC, so snoozes compare with
// reflect.DeepEqual by instant.
func normalizeDue(ds []storage.DueSnooze) []storage.DueSnooze {
	if len(ds) == 0 {
		return nil
	}
	out := slices.Clone(ds)
	for i := range out {
		out[i].Until = out[i].Until.UTC()
	}
	return out
}

// sortDue sorts snoozes by Until, then conversation, then user, to compare
// sets of snoozes due at the same time.
func sortDue(ds []storage.DueSnooze) []storage.DueSnooze {
	ds = normalizeDue(ds)
	slices.SortFunc(ds, func(a, b storage.DueSnooze) int {
		if c := a.Until.Compare(b.Until); c != 0 {
			return c
		}
		if c := a.Conversation.Compare(b.Conversation); c != 0 {
			return c
		}
		return a.User.Compare(b.User)
	})
	return ds
}

func testDueSnoozes(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	a, b, c := newConversation(org), newConversation(org), newConversation(org)
	a.SnoozeForEveryone = newSnooze(at(10))
	b1, b2 := newState(b.ID, u1), newState(b.ID, u2)
	b1.Snooze = newSnooze(at(5))
	b2.Snooze = newSnooze(at(20))
	c1, c2 := newState(c.ID, u1), newState(c.ID, u2)
	c1.Snooze = newSnooze(at(5))
	// c2 has no snooze.
	update(t, s, func(tx storage.Tx) error {
		for _, x := range []*conversation.Conversation{a, b, c} {
			if err := tx.CreateConversation(ctx, x); err != nil {
				return err
			}
		}
		for _, st := range []*conversation.UserState{b1, b2, c1, c2} {
			if err := tx.PutUserState(ctx, st); err != nil {
				return err
			}
		}
		return nil
	})
	due := func(now time.Time, limit int) []storage.DueSnooze {
		t.Helper()
		ds := mustRead(t, s, func(tx storage.ReadTx) ([]storage.DueSnooze, error) { return tx.DueSnoozes(ctx, now, limit) })
		for i := 1; i < len(ds); i++ {
			require.False(t, ds[i].Until.Before(ds[i-1].Until), "earliest first")
		}
		return ds
	}
	sa := storage.DueSnooze{Conversation: a.ID, Until: at(10)}
	sb1 := storage.DueSnooze{Conversation: b.ID, User: u1, Until: at(5)}
	sb2 := storage.DueSnooze{Conversation: b.ID, User: u2, Until: at(20)}
	sc1 := storage.DueSnooze{Conversation: c.ID, User: u1, Until: at(5)}

	require.Empty(t, due(at(4), 10))
	require.Empty(t, due(at(5).Add(-time.Nanosecond), 10))
	require.Equal(t, sortDue([]storage.DueSnooze{sb1, sc1}), sortDue(due(at(5), 10)), "Until == now is due")
	require.Equal(t, sortDue([]storage.DueSnooze{sb1, sc1, sa}), sortDue(due(at(15), 10)))
	got := normalizeDue(due(at(25), 10))
	require.Len(t, got, 4)
	require.Equal(t, sortDue([]storage.DueSnooze{sb1, sc1}), sortDue(got[:2]))
	require.Equal(t, []storage.DueSnooze{sa, sb2}, got[2:])
	got = normalizeDue(due(at(25), 3))
	require.Len(t, got, 3)
	require.Equal(t, sa, got[2], "the limit keeps the earliest")
	require.Len(t, due(at(25), 1), 1)
	require.Empty(t, due(at(25), 0))
	require.Empty(t, due(at(25), -1))

	// Clearing a snooze removes it; moving one moves it; replacing a state
	// leaves no stale entry.
	b1.Snooze = nil
	a.SnoozeForEveryone = nil
	c1.Snooze = newSnooze(at(30))
	update(t, s, func(tx storage.Tx) error {
		if err := tx.PutUserState(ctx, b1); err != nil {
			return err
		}
		if err := tx.PutUserState(ctx, c1); err != nil {
			return err
		}
		return tx.UpdateConversation(ctx, a)
	})
	require.Equal(t, []storage.DueSnooze{sb2}, normalizeDue(due(at(25), 10)))
	sc1.Until = at(30)
	require.Equal(t, []storage.DueSnooze{sb2, sc1}, normalizeDue(due(at(30), 10)))

	// A snooze for everyone set by an update appears; one changed moves.
	a.SnoozeForEveryone = newSnooze(at(1))
	update(t, s, func(tx storage.Tx) error { return tx.UpdateConversation(ctx, a) })
	sa.Until = at(1)
	require.Equal(t, []storage.DueSnooze{sa}, normalizeDue(due(at(2), 10)))
	a.SnoozeForEveryone = newSnooze(at(40))
	update(t, s, func(tx storage.Tx) error { return tx.UpdateConversation(ctx, a) })
	sa.Until = at(40)
	require.Equal(t, []storage.DueSnooze{sb2, sc1, sa}, normalizeDue(due(at(50), 10)))

	// Updating other fields of a snoozed conversation or state keeps a
	// single entry.
	a.Subject = "changed"
	b2.Starred = false
	update(t, s, func(tx storage.Tx) error {
		if err := tx.UpdateConversation(ctx, a); err != nil {
			return err
		}
		return tx.PutUserState(ctx, b2)
	})
	require.Equal(t, []storage.DueSnooze{sb2, sc1, sa}, normalizeDue(due(at(50), 10)))
}
