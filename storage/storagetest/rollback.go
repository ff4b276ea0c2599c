package storagetest

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// errRollback is what test transactions return to roll back.
var errRollback = errors.New("storagetest: roll back")

// panicValue is what test transactions panic with.
type panicValue struct{ name string }

// writeCase is one kind of write: prepare registers the keys of whatever
// the write creates with w and returns the write, which builds fresh
// values (reading what it needs through tx) every time it runs.
type writeCase struct {
	name    string
	prepare func(w *world) func(ctx context.Context, tx storage.Tx) error
}

// readConv reads a conversation inside a write, for an update.
func readConv(ctx context.Context, tx storage.Tx, id conversation.ConversationID) (*conversation.Conversation, error) {
	return tx.Conversation(ctx, id)
}

func writeCases() []writeCase {
	return []writeCase{
		{"PutOrg new", func(w *world) func(context.Context, storage.Tx) error {
			o := newOrg()
			w.orgIDs = append(w.orgIDs, o.ID)
			return func(ctx context.Context, tx storage.Tx) error { c := *o; return tx.PutOrg(ctx, &c) }
		}},
		{"PutOrg replace", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				o, err := tx.Org(ctx, w.org)
				if err != nil {
					return err
				}
				o.Name = "Renamed"
				return tx.PutOrg(ctx, o)
			}
		}},
		{"PutUser new", func(w *world) func(context.Context, storage.Tx) error {
			u := newUser(w.org, "newbie")
			w.userIDs = append(w.userIDs, u.ID)
			w.handles = append(w.handles, "newbie")
			return func(ctx context.Context, tx storage.Tx) error { c := *u; return tx.PutUser(ctx, &c) }
		}},
		{"PutUser replace handle and org", func(w *world) func(context.Context, storage.Tx) error {
			w.handles = append(w.handles, "ann2")
			return func(ctx context.Context, tx storage.Tx) error {
				u := *w.ann
				u.Handle = "ann2"
				u.Org = w.org2
				return tx.PutUser(ctx, &u)
			}
		}},
		{"PutUser drop handle", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				u := *w.bob
				u.Handle = ""
				u.Name = "Nameless"
				return tx.PutUser(ctx, &u)
			}
		}},
		{"PutTeam new", func(w *world) func(context.Context, storage.Tx) error {
			tm := newTeam(w.org, "newteam")
			w.teamIDs = append(w.teamIDs, tm.ID)
			w.handles = append(w.handles, "newteam")
			return func(ctx context.Context, tx storage.Tx) error { return tx.PutTeam(ctx, tm.Clone()) }
		}},
		{"PutTeam replace handle", func(w *world) func(context.Context, storage.Tx) error {
			w.handles = append(w.handles, "sales2")
			return func(ctx context.Context, tx storage.Tx) error {
				tm := w.sales.Clone()
				tm.Handle = "sales2"
				tm.SetMember(newID[conversation.UserID](), conversation.Active)
				return tx.PutTeam(ctx, tm)
			}
		}},
		{"PutAccount new", func(w *world) func(context.Context, storage.Tx) error {
			a := newAccount(w.org, "new@example.com", "new-shared@example.com")
			w.accountIDs = append(w.accountIDs, a.ID)
			w.addresses = append(w.addresses, "new@example.com", "new-shared@example.com")
			return func(ctx context.Context, tx storage.Tx) error { return tx.PutAccount(ctx, a.Clone()) }
		}},
		{"PutAccount replace addresses", func(w *world) func(context.Context, storage.Tx) error {
			w.addresses = append(w.addresses, "one-new@example.com")
			return func(ctx context.Context, tx storage.Tx) error {
				a := w.acc1.Clone()
				a.SharedAddresses[0].Address = "one-new@example.com"
				a.Delegates = nil
				return tx.PutAccount(ctx, a)
			}
		}},
		{"CreateConversation", func(w *world) func(context.Context, storage.Tx) error {
			c := newConversation(w.org)
			c.SnoozeForEveryone = newSnooze(at(7))
			w.convIDs = append(w.convIDs, c.ID)
			return func(ctx context.Context, tx storage.Tx) error { return tx.CreateConversation(ctx, c.Clone()) }
		}},
		{"UpdateConversation", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				c, err := readConv(ctx, tx, w.c0.ID)
				if err != nil {
					return err
				}
				c.Subject = "changed"
				c.SnoozeForEveryone = newSnooze(at(9))
				return tx.UpdateConversation(ctx, c)
			}
		}},
		{"UpdateConversation clears snooze", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				c, err := readConv(ctx, tx, w.c0.ID)
				if err != nil {
					return err
				}
				c.SnoozeForEveryone = nil
				return tx.UpdateConversation(ctx, c)
			}
		}},
		{"DeleteConversation", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error { return tx.DeleteConversation(ctx, w.c0.ID) }
		}},
		{"PutUserState new", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				st := newState(w.c2.ID, w.bob.ID)
				st.Snooze = newSnooze(at(2))
				return tx.PutUserState(ctx, st)
			}
		}},
		{"PutUserState replace", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				st := newState(w.c0.ID, w.ann.ID)
				st.ReadSeq = 99
				return tx.PutUserState(ctx, st)
			}
		}},
		{"AddMessage", func(w *world) func(context.Context, storage.Tx) error {
			m := newMessage(w.c1.ID, 2, "h1")
			return func(ctx context.Context, tx storage.Tx) error { return tx.AddMessage(ctx, w.org, m.Clone()) }
		}},
		{"AddMessage between", func(w *world) func(context.Context, storage.Tx) error {
			m := newMessage(w.c0.ID, 3, "h3")
			w.headers = append(w.headers, "h3")
			return func(ctx context.Context, tx storage.Tx) error { return tx.AddMessage(ctx, w.org, m.Clone()) }
		}},
		{"MoveMessage", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error { return tx.MoveMessage(ctx, w.m0.ID, w.c1.ID) }
		}},
		{"MoveMessage between", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error { return tx.MoveMessage(ctx, w.m4.ID, w.c0.ID) }
		}},
		{"UpdateMessage", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				m := w.m3.Clone()
				m.Seq, m.Text = 9, "renumbered"
				return tx.UpdateMessage(ctx, m)
			}
		}},
		{"UpdateComment", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				c := w.cm0.Clone()
				c.Seq, c.Body = 0, "edited"
				return tx.UpdateComment(ctx, c)
			}
		}},
		{"MoveComment", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error { return tx.MoveComment(ctx, w.cm0.ID, w.c1.ID) }
		}},
		{"AddComment", func(w *world) func(context.Context, storage.Tx) error {
			c := newComment(w.c0.ID, 4)
			return func(ctx context.Context, tx storage.Tx) error { return tx.AddComment(ctx, c.Clone()) }
		}},
		{"AppendEvent", func(w *world) func(context.Context, storage.Tx) error {
			e := newEvent(w.c0.ID, conversation.EventClosed)
			return func(ctx context.Context, tx storage.Tx) error { return tx.AppendEvent(ctx, e.Clone()) }
		}},
		{"SetPlacements activity", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				return tx.SetPlacements(ctx, w.c0.ID, at(9), []conversation.Placement{{Box: w.boxA}, {Box: w.boxB}, {Box: w.boxC, Unread: true}})
			}
		}},
		{"SetPlacements boxes and unread", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				return tx.SetPlacements(ctx, w.c0.ID, at(3), []conversation.Placement{{Box: w.boxA, Unread: true}, {Box: w.boxD}})
			}
		}},
		{"SetPlacements none", func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error { return tx.SetPlacements(ctx, w.c1.ID, at(2), nil) }
		}},
		{"everything at once", func(w *world) func(context.Context, storage.Tx) error {
			var writes []func(context.Context, storage.Tx) error
			for _, c := range writeCases() {
				if c.name != "everything at once" && c.name != "DeleteConversation" {
					writes = append(writes, c.prepare(w))
				}
			}
			c := newConversation(w.org)
			w.convIDs = append(w.convIDs, c.ID)
			m := newMessage(c.ID, 1, "h2")
			return func(ctx context.Context, tx storage.Tx) error {
				for _, write := range writes {
					if err := write(ctx, tx); err != nil {
						return err
					}
				}
				// Write to what this transaction created, then delete
				// what it changed.
				if err := tx.CreateConversation(ctx, c.Clone()); err != nil {
					return err
				}
				if err := tx.AddMessage(ctx, w.org, m.Clone()); err != nil {
					return err
				}
				if err := tx.MoveMessage(ctx, w.m1.ID, c.ID); err != nil {
					return err
				}
				if err := tx.SetPlacements(ctx, c.ID, at(5), []conversation.Placement{{Box: w.boxA}}); err != nil {
					return err
				}
				return tx.DeleteConversation(ctx, w.c0.ID)
			}
		}},
	}
}

// testRollback: when the function of an Update returns an error or
// panics, nothing it wrote stays, whatever it wrote.
func testRollback(t *testing.T, newStore func(t *testing.T) storage.Store) {
	for _, wc := range writeCases() {
		t.Run(wc.name, func(t *testing.T) {
			s := newStore(t)
			ctx := t.Context()
			w := newWorld(t, s)
			write := wc.prepare(w)
			before := w.view(t, s)

			// The write must change something, or rolling it back proves
			// nothing.
			changed := func(tx storage.Tx) {
				during := w.snapshot(ctx, tx)
				require.NotEqual(t, before, during, "the write must be visible inside its transaction")
			}

			err := s.Update(ctx, func(tx storage.Tx) error {
				if err := write(ctx, tx); err != nil {
					return errors.Join(errors.New("write failed"), err)
				}
				changed(tx)
				return errRollback
			})
			require.ErrorIs(t, err, errRollback)
			requireSnapshotsEqual(t, before, w.view(t, s), "after the function returned an error")

			pv := &panicValue{wc.name}
			func() {
				defer func() {
					require.Equal(t, pv, recover(), "the panic must reach the caller of Update")
				}()
				_ = s.Update(ctx, func(tx storage.Tx) error {
					if err := write(ctx, tx); err != nil {
						return errors.Join(errors.New("write failed"), err)
					}
					changed(tx)
					panic(pv)
				})
			}()
			requireSnapshotsEqual(t, before, w.view(t, s), "after the function panicked")

			// The store is still usable, and the write commits as if the
			// rolled-back attempts never happened.
			update(t, s, func(tx storage.Tx) error { return write(ctx, tx) })
			require.NotEqual(t, before, w.view(t, s))
		})
	}
}

// testRollbackFreesUniqueness: a rolled-back write leaves no handle,
// address or ID taken, and a rolled-back change of a handle or address
// leaves the old one taken.
func testRollbackFreesUniqueness(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	w := newWorld(t, s)
	u := newUser(w.org, "zed")
	tm := newTeam(w.org, "zteam")
	a := newAccount(w.org, "z@example.com", "z-shared@example.com")
	c := newConversation(w.org)
	m := newMessage(c.ID, 1, "hz")
	cm := newComment(c.ID, 2)
	e := newEvent(c.ID, conversation.EventCreated)
	err := s.Update(ctx, func(tx storage.Tx) error {
		errs := []error{
			tx.PutUser(ctx, u), tx.PutTeam(ctx, tm), tx.PutAccount(ctx, a), tx.CreateConversation(ctx, c),
			tx.AddMessage(ctx, w.org, m), tx.AddComment(ctx, cm), tx.AppendEvent(ctx, e),
		}
		// Move ann's handle and acc1's address away, and delete c0.
		ann := *w.ann
		ann.Handle = "ann-moved"
		acc := w.acc1.Clone()
		acc.Address = "moved@example.com"
		errs = append(errs, tx.PutUser(ctx, &ann), tx.PutAccount(ctx, acc), tx.DeleteConversation(ctx, w.c0.ID))
		if err := errors.Join(errs...); err != nil {
			return err
		}
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)

	// Other entities can take what the rolled-back transaction took.
	u2, tm2 := newUser(w.org, "ZED"), newTeam(w.org, "ZTeam")
	a2 := newAccount(w.org, "Z@example.com", "z-shared@example.com")
	c2 := newConversationWithID(w.org, c.ID)
	update(t, s, func(tx storage.Tx) error {
		return errors.Join(
			tx.PutUser(ctx, u2), tx.PutTeam(ctx, tm2), tx.PutAccount(ctx, a2), tx.CreateConversation(ctx, c2),
			tx.AddMessage(ctx, w.org, m), tx.AddComment(ctx, cm), tx.AppendEvent(ctx, e),
			tx.PutUser(ctx, newUser(w.org, "ann-moved")),
			tx.PutAccount(ctx, newAccount(w.org, "moved@example.com", "moved-shared@example.com")),
		)
	})
	require.Equal(t, uint64(1), c2.Version)

	// What the rolled-back transaction freed is still taken.
	conflicts := []struct {
		name  string
		write func(tx storage.Tx) error
	}{
		{"ann's handle", func(tx storage.Tx) error { return tx.PutUser(ctx, newUser(w.org, "ANN")) }},
		{"acc1's address", func(tx storage.Tx) error {
			return tx.PutAccount(ctx, newAccount(w.org, "one@example.com", "other@example.com"))
		}},
		{"c0's message ID", func(tx storage.Tx) error {
			m := newMessage(w.c1.ID, 5, "")
			m.ID = w.m0.ID
			return tx.AddMessage(ctx, w.org, m)
		}},
		{"c0's ID", func(tx storage.Tx) error { return tx.CreateConversation(ctx, newConversationWithID(w.org, w.c0.ID)) }},
	}
	for _, c := range conflicts {
		err := s.Update(ctx, c.write)
		require.ErrorIs(t, err, conversation.ErrConflict, c.name)
	}
}

// testFailedWriteLeavesNoTrace: a write that fails changes nothing, even
// when the function ignores its error and returns nil.
func testFailedWriteLeavesNoTrace(t *testing.T, newStore func(t *testing.T) storage.Store) {
	type prepare func(w *world) func(ctx context.Context, tx storage.Tx) error
	cases := []struct {
		name     string
		sentinel error
		prepare  prepare
	}{
		{"PutUser new with a taken handle", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			u := newUser(w.org, "ANN")
			w.userIDs = append(w.userIDs, u.ID)
			return func(ctx context.Context, tx storage.Tx) error { return tx.PutUser(ctx, u) }
		}},
		{"PutUser replace with a taken handle", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				u := *w.bob
				u.Handle = "Ann"
				u.Name = "changed"
				return tx.PutUser(ctx, &u)
			}
		}},
		{"PutTeam with a taken handle", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			tm := newTeam(w.org, "SALES")
			w.teamIDs = append(w.teamIDs, tm.ID)
			return func(ctx context.Context, tx storage.Tx) error { return tx.PutTeam(ctx, tm) }
		}},
		{"PutUser new with a team's handle", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			u := newUser(w.org, "Sales")
			w.userIDs = append(w.userIDs, u.ID)
			return func(ctx context.Context, tx storage.Tx) error { return tx.PutUser(ctx, u) }
		}},
		{"PutTeam replace with a user's handle", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				tm := w.sales.Clone()
				tm.Handle = "BOB"
				tm.Name = "changed"
				return tx.PutTeam(ctx, tm)
			}
		}},
		{"PutAccount new with one taken address", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			a := newAccount(w.org, "fresh@example.com", "one-shared@example.com")
			w.accountIDs = append(w.accountIDs, a.ID)
			w.addresses = append(w.addresses, "fresh@example.com")
			return func(ctx context.Context, tx storage.Tx) error { return tx.PutAccount(ctx, a) }
		}},
		{"PutAccount replace with one taken address", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			w.addresses = append(w.addresses, "fresh@example.com")
			return func(ctx context.Context, tx storage.Tx) error {
				a := w.acc2.Clone()
				a.Address = "fresh@example.com"
				a.SharedAddresses = append(a.SharedAddresses, conversation.SharedAddress{Address: "one@example.com"})
				return tx.PutAccount(ctx, a)
			}
		}},
		{"CreateConversation duplicate", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				c := newConversationWithID(w.org, w.c0.ID)
				c.SnoozeForEveryone = newSnooze(at(1))
				return tx.CreateConversation(ctx, c)
			}
		}},
		{"UpdateConversation stale", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				c := w.c0.Clone()
				c.Version = 0
				c.Subject = "stale"
				c.SnoozeForEveryone = nil
				return tx.UpdateConversation(ctx, c)
			}
		}},
		{"AddMessage duplicate", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			w.headers = append(w.headers, "h-new")
			return func(ctx context.Context, tx storage.Tx) error {
				m := newMessage(w.c1.ID, 7, "h-new")
				m.ID = w.m0.ID
				return tx.AddMessage(ctx, w.org, m)
			}
		}},
		{"AddMessage to a missing conversation", conversation.ErrNotFound, func(w *world) func(context.Context, storage.Tx) error {
			w.headers = append(w.headers, "h-new")
			return func(ctx context.Context, tx storage.Tx) error {
				return tx.AddMessage(ctx, w.org, newMessage(newID[conversation.ConversationID](), 1, "h-new"))
			}
		}},
		{"MoveMessage to a missing conversation", conversation.ErrNotFound, func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				return tx.MoveMessage(ctx, w.m0.ID, newID[conversation.ConversationID]())
			}
		}},
		{"AddComment duplicate", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				c := newComment(w.c1.ID, 9)
				c.ID = w.cm0.ID
				return tx.AddComment(ctx, c)
			}
		}},
		{"AppendEvent duplicate", conversation.ErrConflict, func(w *world) func(context.Context, storage.Tx) error {
			return func(ctx context.Context, tx storage.Tx) error {
				e := newEvent(w.c1.ID, conversation.EventClosed)
				e.ID = w.e0.ID
				return tx.AppendEvent(ctx, e)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			ctx := t.Context()
			w := newWorld(t, s)
			write := c.prepare(w)
			before := w.view(t, s)
			var werr error
			// Whether the transaction then commits is up to the backend
			// (a SQL backend may abort it); either way nothing changes.
			_ = s.Update(ctx, func(tx storage.Tx) error {
				werr = write(ctx, tx)
				return nil
			})
			require.ErrorIs(t, werr, c.sentinel)
			requireSnapshotsEqual(t, before, w.view(t, s), "after a failed write")
		})
	}
}
