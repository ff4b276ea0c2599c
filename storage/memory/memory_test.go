package memory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/storage/memory"
	"github.com/inboxkit/inboxkit/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return memory.New() })
}

func newID[T ~[16]byte]() T { return T(uuid.Must(uuid.NewV7())) }

var (
	t0          = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	errRollback = errors.New("roll back")
)

func newConversation(org conversation.OrgID) *conversation.Conversation {
	return &conversation.Conversation{ID: newID[conversation.ConversationID](), Org: org, Subject: "s"}
}

// setup stores conversations and returns the store.
func setup(t *testing.T, cs ...*conversation.Conversation) *memory.Store {
	t.Helper()
	s := memory.New()
	require.NoError(t, s.Update(t.Context(), func(tx storage.Tx) error {
		for _, c := range cs {
			if err := tx.CreateConversation(t.Context(), c); err != nil {
				return err
			}
		}
		return nil
	}))
	return s
}

// The caller's Version is part of what a rolled-back transaction undoes,
// so the caller can retry with the same struct.
func TestRollbackRestoresCallerVersion(t *testing.T) {
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	c := newConversation(org)
	s := setup(t, c)
	require.Equal(t, uint64(1), c.Version)

	err := s.Update(ctx, func(tx storage.Tx) error {
		if err := tx.UpdateConversation(ctx, c); err != nil {
			return err
		}
		require.Equal(t, uint64(2), c.Version)
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)
	require.Equal(t, uint64(1), c.Version)
	require.NoError(t, s.Update(ctx, func(tx storage.Tx) error { return tx.UpdateConversation(ctx, c) }))
	require.Equal(t, uint64(2), c.Version)

	d := newConversation(org)
	d.Version = 5
	err = s.Update(ctx, func(tx storage.Tx) error {
		if err := tx.CreateConversation(ctx, d); err != nil {
			return err
		}
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)
	require.Equal(t, uint64(5), d.Version)
}

// Writes the contract leaves open, as this backend decides them.
func TestInvalidWrites(t *testing.T) {
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	c, other := newConversation(org), newConversation(newID[conversation.OrgID]())
	s := setup(t, c, other)
	box := conversation.Box{Kind: conversation.Inbox, User: newID[conversation.UserID]()}
	m := &conversation.Message{ID: newID[conversation.MessageID](), Conversation: c.ID, Seq: 1}
	require.NoError(t, s.Update(ctx, func(tx storage.Tx) error { return tx.AddMessage(ctx, org, m) }))
	missing := newID[conversation.ConversationID]()
	cases := []struct {
		name     string
		sentinel error
		write    func(tx storage.Tx) error
	}{
		{"PutUserState missing conversation", conversation.ErrNotFound, func(tx storage.Tx) error {
			return tx.PutUserState(ctx, &conversation.UserState{Conversation: missing, User: box.User})
		}},
		{"SetPlacements missing conversation", conversation.ErrNotFound, func(tx storage.Tx) error {
			return tx.SetPlacements(ctx, missing, t0, []conversation.Placement{{Box: box}})
		}},
		{"SetPlacements duplicate box", conversation.ErrInvalidArgument, func(tx storage.Tx) error {
			return tx.SetPlacements(ctx, c.ID, t0, []conversation.Placement{{Box: box}, {Box: box, Unread: true}})
		}},
		{"AddMessage org mismatch", conversation.ErrInvalidArgument, func(tx storage.Tx) error {
			return tx.AddMessage(ctx, org, &conversation.Message{ID: newID[conversation.MessageID](), Conversation: other.ID})
		}},
		{"MoveMessage across orgs", conversation.ErrInvalidArgument, func(tx storage.Tx) error {
			return tx.MoveMessage(ctx, m.ID, other.ID)
		}},
		{"PutOrg nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.PutOrg(ctx, nil) }},
		{"PutUser nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.PutUser(ctx, nil) }},
		{"PutTeam nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.PutTeam(ctx, nil) }},
		{"PutAccount nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.PutAccount(ctx, nil) }},
		{"CreateConversation nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.CreateConversation(ctx, nil) }},
		{"UpdateConversation nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.UpdateConversation(ctx, nil) }},
		{"PutUserState nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.PutUserState(ctx, nil) }},
		{"AddMessage nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.AddMessage(ctx, org, nil) }},
		{"AddComment nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.AddComment(ctx, nil) }},
		{"AppendEvent nil", conversation.ErrInvalidArgument, func(tx storage.Tx) error { return tx.AppendEvent(ctx, nil) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var werr error
			require.NoError(t, s.Update(ctx, func(tx storage.Tx) error { werr = tc.write(tx); return nil }))
			require.ErrorIs(t, werr, tc.sentinel)
		})
	}
	require.NoError(t, s.View(ctx, func(tx storage.ReadTx) error {
		counts, err := tx.Count(ctx, box)
		require.NoError(t, err)
		require.Equal(t, storage.Counts{}, counts, "a rejected SetPlacements lists nothing")
		ms, err := tx.Messages(ctx, c.ID)
		require.NoError(t, err)
		require.Len(t, ms, 1, "a rejected move leaves the message")
		return nil
	}))
}

// Reads of what a missing conversation holds return nothing, not errors.
func TestReadsOfMissingConversation(t *testing.T) {
	ctx := t.Context()
	s := memory.New()
	id := newID[conversation.ConversationID]()
	require.NoError(t, s.View(ctx, func(tx storage.ReadTx) error {
		states, err := tx.UserStates(ctx, id)
		require.NoError(t, err)
		require.NotNil(t, states)
		require.Empty(t, states)
		ms, err := tx.Messages(ctx, id)
		require.NoError(t, err)
		require.Empty(t, ms)
		cs, err := tx.Comments(ctx, id)
		require.NoError(t, err)
		require.Empty(t, cs)
		es, err := tx.Events(ctx, id)
		require.NoError(t, err)
		require.Empty(t, es)
		return nil
	}))
}

// A moved message goes after the messages of its new conversation with
// the same Seq.
func TestMoveMessageEqualSeq(t *testing.T) {
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	c, d := newConversation(org), newConversation(org)
	s := setup(t, c, d)
	mc := &conversation.Message{ID: newID[conversation.MessageID](), Conversation: c.ID, Seq: 2}
	d1 := &conversation.Message{ID: newID[conversation.MessageID](), Conversation: d.ID, Seq: 1}
	d2 := &conversation.Message{ID: newID[conversation.MessageID](), Conversation: d.ID, Seq: 2}
	d3 := &conversation.Message{ID: newID[conversation.MessageID](), Conversation: d.ID, Seq: 3}
	require.NoError(t, s.Update(ctx, func(tx storage.Tx) error {
		for _, m := range []*conversation.Message{mc, d1, d2, d3} {
			if err := tx.AddMessage(ctx, org, m); err != nil {
				return err
			}
		}
		if err := tx.MoveMessage(ctx, mc.ID, d.ID); err != nil {
			return err
		}
		return tx.MoveMessage(ctx, mc.ID, d.ID) // already there: nothing to do
	}))
	require.NoError(t, s.View(ctx, func(tx storage.ReadTx) error {
		ms, err := tx.Messages(ctx, d.ID)
		require.NoError(t, err)
		var got []conversation.MessageID
		for _, m := range ms {
			got = append(got, m.ID)
		}
		require.Equal(t, []conversation.MessageID{d1.ID, d2.ID, mc.ID, d3.ID}, got)
		return nil
	}))
}

// Snoozes due at the same time come by conversation, then user.
func TestDueSnoozesTieOrder(t *testing.T) {
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	c, d := newConversation(org), newConversation(org)
	c.SnoozeForEveryone = &conversation.Snooze{Until: t0}
	s := setup(t, c, d)
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	require.NoError(t, s.Update(ctx, func(tx storage.Tx) error {
		for _, st := range []*conversation.UserState{
			{Conversation: d.ID, User: u2, Snooze: &conversation.Snooze{Until: t0}},
			{Conversation: c.ID, User: u2, Snooze: &conversation.Snooze{Until: t0}},
			{Conversation: d.ID, User: u1, Snooze: &conversation.Snooze{Until: t0}},
		} {
			if err := tx.PutUserState(ctx, st); err != nil {
				return err
			}
		}
		return nil
	}))
	require.NoError(t, s.View(ctx, func(tx storage.ReadTx) error {
		due, err := tx.DueSnoozes(ctx, t0, 10)
		require.NoError(t, err)
		require.Equal(t, []storage.DueSnooze{
			{Conversation: c.ID, Until: t0},
			{Conversation: c.ID, User: u2, Until: t0},
			{Conversation: d.ID, User: u1, Until: t0},
			{Conversation: d.ID, User: u2, Until: t0},
		}, due)
		return nil
	}))
}

// Times with monotonic clock readings index by wall clock, so cursors
// built from them work.
func TestMonotonicTimes(t *testing.T) {
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	c, d := newConversation(org), newConversation(org)
	s := setup(t, c, d)
	box := conversation.Box{Kind: conversation.All, User: newID[conversation.UserID]()}
	now := time.Now()
	require.NoError(t, s.Update(ctx, func(tx storage.Tx) error {
		if err := tx.SetPlacements(ctx, c.ID, now, []conversation.Placement{{Box: box}}); err != nil {
			return err
		}
		return tx.SetPlacements(ctx, d.ID, now.Add(-time.Second), []conversation.Placement{{Box: box}})
	}))
	require.NoError(t, s.View(ctx, func(tx storage.ReadTx) error {
		es, err := tx.List(ctx, box, storage.Cursor{}, 1)
		require.NoError(t, err)
		require.Len(t, es, 1)
		require.Equal(t, c.ID, es[0].Conversation)
		es, err = tx.List(ctx, box, storage.Cursor{Activity: now, Conversation: c.ID}, 5)
		require.NoError(t, err)
		require.Len(t, es, 1)
		require.Equal(t, d.ID, es[0].Conversation)
		return nil
	}))
}

// A panicking View releases its lock.
func TestViewPanicReleasesLock(t *testing.T) {
	s := memory.New()
	ctx := t.Context()
	func() {
		defer func() { require.Equal(t, "boom", recover()) }()
		_ = s.View(ctx, func(storage.ReadTx) error { panic("boom") })
	}()
	done := make(chan error, 1)
	go func() {
		done <- s.Update(context.Background(), func(tx storage.Tx) error {
			return tx.PutOrg(ctx, &conversation.Org{ID: newID[conversation.OrgID]()})
		})
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Update blocked after a panicking View")
	}
}

const benchSize = 100_000

// fill stores n conversations listed in box (and in one other box each)
// with distinct activities, newest last.
func fill(b *testing.B, n int) (*memory.Store, conversation.Box, []conversation.ConversationID) {
	b.Helper()
	ctx := context.Background()
	s := memory.New()
	org := newID[conversation.OrgID]()
	box := conversation.Box{Kind: conversation.Inbox, User: newID[conversation.UserID]()}
	users := make([]conversation.UserID, 1000)
	for i := range users {
		users[i] = newID[conversation.UserID]()
	}
	ids := make([]conversation.ConversationID, n)
	const batch = 1000
	for lo := 0; lo < n; lo += batch {
		err := s.Update(ctx, func(tx storage.Tx) error {
			for i := lo; i < min(lo+batch, n); i++ {
				c := newConversation(org)
				ids[i] = c.ID
				if err := tx.CreateConversation(ctx, c); err != nil {
					return err
				}
				pl := []conversation.Placement{
					{Box: box, Unread: i%3 == 0},
					{Box: conversation.Box{Kind: conversation.All, User: users[i%len(users)]}},
				}
				if err := tx.SetPlacements(ctx, c.ID, t0.Add(time.Duration(i)*time.Second), pl); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return s, box, ids
}

// BenchmarkSetPlacements moves one conversation of a 100k-entry box to
// the top (new activity) in three boxes, one transaction per call.
func BenchmarkSetPlacements(b *testing.B) {
	s, box, ids := fill(b, benchSize)
	ctx := context.Background()
	other := conversation.Box{Kind: conversation.All, User: box.User}
	team := conversation.Box{Kind: conversation.TeamInbox, User: box.User, Team: newID[conversation.TeamID]()}

	b.Run("activity", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			id := ids[i%len(ids)]
			act := t0.Add(time.Duration(benchSize+i) * time.Second)
			pl := []conversation.Placement{{Box: box, Unread: true}, {Box: other}, {Box: team, Unread: i%2 == 0}}
			if err := s.Update(ctx, func(tx storage.Tx) error { return tx.SetPlacements(ctx, id, act, pl) }); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("unread", func(b *testing.B) {
		b.ReportAllocs()
		id := ids[len(ids)/2]
		act := t0.Add(-time.Hour)
		i := 0
		for b.Loop() {
			pl := []conversation.Placement{{Box: box, Unread: i%2 == 0}, {Box: other}, {Box: team}}
			if err := s.Update(ctx, func(tx storage.Tx) error { return tx.SetPlacements(ctx, id, act, pl) }); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("rollback", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			id := ids[i%len(ids)]
			act := t0.Add(time.Duration(2*benchSize+i) * time.Second)
			pl := []conversation.Placement{{Box: box}, {Box: other}}
			err := s.Update(ctx, func(tx storage.Tx) error {
				if err := tx.SetPlacements(ctx, id, act, pl); err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkList reads pages of 50 from a 100k-entry box: the first page
// and a page halfway down, which must cost the same.
func BenchmarkList(b *testing.B) {
	s, box, _ := fill(b, benchSize)
	ctx := context.Background()
	for _, bc := range []struct {
		name  string
		after storage.Cursor
	}{
		{"first page", storage.Cursor{}},
		{"middle page", cursorAt(b, s, box, benchSize/2)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := s.View(ctx, func(tx storage.ReadTx) error {
					es, err := tx.List(ctx, box, bc.after, 50)
					if err == nil && len(es) != 50 {
						err = errors.New("short page")
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("count", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.View(ctx, func(tx storage.ReadTx) error { _, err := tx.Count(ctx, box); return err }); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cursorAt returns the cursor after the first n entries of box.
func cursorAt(b *testing.B, s *memory.Store, box conversation.Box, n int) storage.Cursor {
	b.Helper()
	var c storage.Cursor
	err := s.View(context.Background(), func(tx storage.ReadTx) error {
		es, err := tx.List(context.Background(), box, storage.Cursor{}, n)
		if err != nil {
			return err
		}
		c = es[len(es)-1].Cursor()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return c
}
