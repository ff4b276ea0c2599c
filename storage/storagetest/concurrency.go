package storagetest

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// testTxReadsOwnWrites: reads inside a read-write transaction see its own
// writes.
func testTxReadsOwnWrites(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	u := newUser(org, "me")
	c := newConversation(org)
	m := newMessage(c.ID, 1, "hdr")
	st := newState(c.ID, u.ID)
	st.Snooze = newSnooze(at(1))
	box := conversation.Box{Kind: conversation.Inbox, User: u.ID}
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.PutUser(ctx, u))
		got, err := tx.UserByHandle(ctx, org, "ME")
		require.NoError(t, err)
		require.Equal(t, u, got)
		us, err := tx.Users(ctx, org)
		require.NoError(t, err)
		require.Equal(t, []*conversation.User{u}, us)

		require.NoError(t, tx.CreateConversation(ctx, c))
		gc, err := tx.Conversation(ctx, c.ID)
		require.NoError(t, err)
		require.Equal(t, c, gc)
		c.Subject = "again"
		require.NoError(t, tx.UpdateConversation(ctx, c))
		gc, err = tx.Conversation(ctx, c.ID)
		require.NoError(t, err)
		require.Equal(t, c, gc)

		require.NoError(t, tx.AddMessage(ctx, org, m))
		ms, err := tx.MessagesByHeaderID(ctx, org, "hdr")
		require.NoError(t, err)
		require.Equal(t, []*conversation.Message{m}, ms)

		require.NoError(t, tx.PutUserState(ctx, st))
		due, err := tx.DueSnoozes(ctx, at(1), 10)
		require.NoError(t, err)
		require.Equal(t, []storage.DueSnooze{{Conversation: c.ID, User: u.ID, Until: at(1)}}, normalizeDue(due))

		require.NoError(t, tx.SetPlacements(ctx, c.ID, at(2), []conversation.Placement{{Box: box, Unread: true}}))
		es, err := tx.List(ctx, box, storage.Cursor{}, 10)
		require.NoError(t, err)
		require.Equal(t, []storage.Entry{{Conversation: c.ID, Activity: at(2), Unread: true}}, normalizeEntries(es))
		counts, err := tx.Count(ctx, box)
		require.NoError(t, err)
		require.Equal(t, storage.Counts{Total: 1, Unread: 1}, counts)
		return nil
	})
}

// testViewSeesCommittedOnly: a View never sees the writes of a
// transaction that has not committed, nor of one rolled back, and sees a
// committed one whole.
func testViewSeesCommittedOnly(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	c := createConversations(t, s, org, 1)[0]

	type seen struct {
		subject string
		user    bool
		err     error
	}
	// during starts a View once fn has written inside an Update, holds
	// the Update open a while, and returns what the View saw.
	during := func(subject string, commit bool) seen {
		u := newUser(org, "")
		written := make(chan struct{})
		result := make(chan seen, 1)
		go func() {
			<-written
			var r seen
			r.err = s.View(ctx, func(tx storage.ReadTx) error {
				got, err := tx.Conversation(ctx, c.ID)
				if err != nil {
					return err
				}
				r.subject = got.Subject
				_, err = tx.User(ctx, u.ID)
				r.user = err == nil
				return nil
			})
			result <- r
		}()
		err := s.Update(ctx, func(tx storage.Tx) error {
			cur, err := tx.Conversation(ctx, c.ID)
			if err != nil {
				return err
			}
			cur.Subject = subject
			if err := tx.UpdateConversation(ctx, cur); err != nil {
				return err
			}
			if err := tx.PutUser(ctx, u); err != nil {
				return err
			}
			close(written)
			time.Sleep(50 * time.Millisecond) // let the View run now, if it can
			if !commit {
				return errRollback
			}
			return nil
		})
		if commit {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, errRollback)
		}
		r := <-result
		require.NoError(t, r.err)
		return r
	}

	r := during("uncommitted", false)
	require.Equal(t, seen{subject: c.Subject}, r, "a View saw writes of a rolled-back transaction")
	r = during("committed", true)
	if r.subject == c.Subject {
		require.False(t, r.user, "a View saw half of a transaction")
	} else {
		require.Equal(t, seen{subject: "committed", user: true}, r, "a View saw half of a transaction")
	}
	got, err := getConversation(t, s, c.ID)
	require.NoError(t, err)
	require.Equal(t, "committed", got.Subject)
}

// retryConflicts runs f until it returns something other than an error
// wrapping ErrConflict, at most 10000 times.
func retryConflicts(f func() error) (conflicts int, err error) {
	for range 10000 {
		err = f()
		if !errors.Is(err, conversation.ErrConflict) {
			return conflicts, err
		}
		conflicts++
	}
	return conflicts, fmt.Errorf("still conflicting after %d attempts: %w", conflicts, err)
}

// testConcurrentUpdates: concurrent read-modify-write cycles lose no
// update, whether the read happens in the writing transaction or in a
// View before it (optimistic versions), and uniqueness holds under
// contention.
func testConcurrentUpdates(t *testing.T, newStore func(t *testing.T) storage.Store) {
	const goroutines, rounds = 8, 40
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	cs := createConversations(t, s, org, 2)
	a, b := cs[0].ID, cs[1].ID
	for _, id := range []conversation.ConversationID{a, b} {
		update(t, s, func(tx storage.Tx) error {
			c, err := tx.Conversation(ctx, id)
			if err != nil {
				return err
			}
			c.Messages = 0
			return tx.UpdateConversation(ctx, c)
		})
	}
	increment := func(tx storage.Tx, c *conversation.Conversation) error {
		c.Messages++
		return tx.UpdateConversation(ctx, c)
	}
	run := func(t *testing.T, worker func(round int) error) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, goroutines)
		for range goroutines {
			wg.Go(func() {
				for round := range rounds {
					if err := worker(round); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	}
	messages := func(id conversation.ConversationID) int {
		c, err := getConversation(t, s, id)
		require.NoError(t, err)
		return c.Messages
	}

	t.Run("read in the transaction", func(t *testing.T) {
		run(t, func(int) error {
			_, err := retryConflicts(func() error {
				return s.Update(ctx, func(tx storage.Tx) error {
					c, err := tx.Conversation(ctx, a)
					if err != nil {
						return err
					}
					if err := increment(tx, c); err != nil {
						return err
					}
					// A second conversation in the same transaction.
					d, err := tx.Conversation(ctx, b)
					if err != nil {
						return err
					}
					return increment(tx, d)
				})
			})
			return err
		})
		require.Equal(t, goroutines*rounds, messages(a), "lost updates")
		require.Equal(t, goroutines*rounds, messages(b), "lost updates")
	})

	t.Run("read in a View, optimistic write", func(t *testing.T) {
		var total atomic.Int64
		// In the first round every goroutine reads before any writes, so
		// all but one write a stale version.
		var readAll sync.WaitGroup
		readAll.Add(goroutines)
		run(t, func(round int) error {
			barrier := round == 0
			n, err := retryConflicts(func() error {
				var c *conversation.Conversation
				err := s.View(ctx, func(tx storage.ReadTx) error {
					var err error
					c, err = tx.Conversation(ctx, a)
					return err
				})
				if barrier {
					barrier = false
					readAll.Done()
					readAll.Wait()
				}
				if err != nil {
					return err
				}
				return s.Update(ctx, func(tx storage.Tx) error { return increment(tx, c) })
			})
			total.Add(int64(n))
			return err
		})
		require.Equal(t, 2*goroutines*rounds, messages(a), "lost updates")
		require.GreaterOrEqual(t, total.Load(), int64(goroutines-1), "stale versions must conflict")
		t.Logf("%d stale versions retried", total.Load())
	})

	t.Run("handle uniqueness", func(t *testing.T) {
		var wins atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, goroutines)
		for range goroutines {
			wg.Go(func() {
				u := newUser(org, "race")
				_, err := retryConflicts(func() error {
					err := s.Update(ctx, func(tx storage.Tx) error {
						if _, err := tx.UserByHandle(ctx, org, "race"); err == nil {
							return errTaken
						}
						return tx.PutUser(ctx, u)
					})
					if err == nil {
						wins.Add(1)
					}
					return err
				})
				if err != nil && !errors.Is(err, errTaken) {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		require.Equal(t, int64(1), wins.Load(), "exactly one user gets the handle")
		users := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) { return tx.Users(ctx, org) })
		require.Len(t, users, 1)
	})
}

var errTaken = errors.New("taken")

// testConsistentViews: Views running while transactions commit always
// see each transaction whole: a writer keeps two conversations (and
// their mailbox entries) equal, readers check that they always are.
func testConsistentViews(t *testing.T, newStore func(t *testing.T) storage.Store) {
	const readers, writes = 4, 200
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	cs := createConversations(t, s, org, 2)
	ids := []conversation.ConversationID{cs[0].ID, cs[1].ID}
	box := conversation.Box{Kind: conversation.All, User: newID[conversation.UserID]()}
	write := func(i int) error {
		return s.Update(ctx, func(tx storage.Tx) error {
			for _, id := range ids {
				c, err := tx.Conversation(ctx, id)
				if err != nil {
					return err
				}
				c.Subject = strconv.Itoa(i)
				if err := tx.UpdateConversation(ctx, c); err != nil {
					return err
				}
				if err := tx.SetPlacements(ctx, id, at(i), []conversation.Placement{{Box: box, Unread: i%2 == 0}}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, write(0))

	var done atomic.Bool
	var views atomic.Int64
	var wg sync.WaitGroup
	problems := make(chan string, readers)
	for range readers {
		wg.Go(func() {
			for !done.Load() {
				err := s.View(ctx, func(tx storage.ReadTx) error {
					c0, err := tx.Conversation(ctx, ids[0])
					if err != nil {
						return err
					}
					c1, err := tx.Conversation(ctx, ids[1])
					if err != nil {
						return err
					}
					if c0.Subject != c1.Subject || c0.Version != c1.Version {
						return fmt.Errorf("half a transaction: subjects %q and %q, versions %d and %d",
							c0.Subject, c1.Subject, c0.Version, c1.Version)
					}
					i, _ := strconv.Atoi(c0.Subject)
					es, err := tx.List(ctx, box, storage.Cursor{}, 10)
					if err != nil {
						return err
					}
					counts, err := tx.Count(ctx, box)
					if err != nil {
						return err
					}
					unread := 0
					if i%2 == 0 {
						unread = 2
					}
					if len(es) != 2 || !es[0].Activity.Equal(at(i)) || !es[1].Activity.Equal(at(i)) ||
						counts != (storage.Counts{Total: 2, Unread: unread}) {
						return fmt.Errorf("index out of step with subject %d: entries %v, counts %v", i, es, counts)
					}
					return nil
				})
				views.Add(1)
				if err != nil {
					problems <- err.Error()
					return
				}
			}
		})
	}
	// Start writing once the readers run.
	for deadline := time.Now().Add(5 * time.Second); views.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	var werr error
	for i := 1; i <= writes && werr == nil; i++ {
		_, werr = retryConflicts(func() error { return write(i) })
		if i%20 == 0 {
			time.Sleep(time.Millisecond) // let readers in
		}
	}
	done.Store(true)
	wg.Wait()
	close(problems)
	require.NoError(t, werr)
	for p := range problems {
		require.Fail(t, p)
	}
	require.Positive(t, views.Load())
	got, err := getConversation(t, s, ids[0])
	require.NoError(t, err)
	require.Equal(t, strconv.Itoa(writes), got.Subject)
}
