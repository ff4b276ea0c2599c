package storagetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

func claim(t *testing.T, s storage.Store, now time.Time, owner string, limit int) []*storage.Job {
	t.Helper()
	var jobs []*storage.Job
	update(t, s, func(tx storage.Tx) error {
		var err error
		jobs, err = tx.ClaimJobs(t.Context(), now, owner, 10*time.Minute, limit)
		return err
	})
	return jobs
}

func jobIDs(jobs []*storage.Job) []string {
	out := []string{}
	for _, j := range jobs {
		out = append(out, j.ID)
	}
	return out
}

func putJobs(t *testing.T, s storage.Store, jobs ...*storage.Job) {
	t.Helper()
	update(t, s, func(tx storage.Tx) error {
		for _, j := range jobs {
			if err := tx.PutJob(t.Context(), j); err != nil {
				return err
			}
		}
		return nil
	})
}

// testSchedule: jobs are claimed when due, earliest first, leased to one
// owner until the lease ends, then claimable again; replacing a job moves
// it; bad jobs and claims are refused; rollback undoes claims.
func testSchedule(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	putJobs(t, s,
		&storage.Job{ID: "c", Kind: "k", Due: at(30), Payload: []byte("3")},
		&storage.Job{ID: "a", Kind: "k", Due: at(10), Payload: []byte("1")},
		&storage.Job{ID: "b", Kind: "k", Due: at(10), Payload: []byte("2")},
	)
	for _, bad := range []*storage.Job{{Kind: "k", Due: at(1)}, {ID: "x", Due: at(1)}, {ID: "x", Kind: "k"}} {
		err := s.Update(ctx, func(tx storage.Tx) error { return tx.PutJob(ctx, bad) })
		require.ErrorIs(t, err, conversation.ErrInvalidArgument)
	}
	err := s.Update(ctx, func(tx storage.Tx) error {
		_, err := tx.ClaimJobs(ctx, at(100), "", time.Minute, 10)
		return err
	})
	require.ErrorIs(t, err, conversation.ErrInvalidArgument)

	require.Empty(t, claim(t, s, at(9), "w1", 10), "nothing due yet")
	err = s.Update(ctx, func(tx storage.Tx) error {
		if _, err := tx.ClaimJobs(ctx, at(20), "w1", time.Minute, 10); err != nil {
			return err
		}
		return errors.New("boom")
	})
	require.Error(t, err)
	got := claim(t, s, at(20), "w1", 1)
	require.Equal(t, []string{"a"}, jobIDs(got), "earliest first, ties by ID; a rolled-back claim holds nothing")
	require.Equal(t, "w1", got[0].Owner)
	require.Equal(t, 1, got[0].Attempts)
	require.Equal(t, []byte("1"), got[0].Payload)
	require.Equal(t, []string{"b"}, jobIDs(claim(t, s, at(20), "w2", 10)), "a leased job is not claimed again")
	require.Empty(t, claim(t, s, at(29), "w3", 10))

	// The lease ends: another owner takes the job over, and the first
	// owner can no longer complete it.
	got = claim(t, s, at(20).Add(10*time.Minute), "w3", 10)
	require.Equal(t, []string{"a", "b", "c"}, jobIDs(got))
	require.Equal(t, 2, got[0].Attempts)
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.CompleteJob(ctx, "a", "w1") })
	require.ErrorIs(t, err, storage.ErrLeaseLost)

	// Replacing a job moves it and ends its lease.
	putJobs(t, s, &storage.Job{ID: "c", Kind: "k", Due: at(100)})
	j := mustRead(t, s, func(tx storage.ReadTx) (*storage.Job, error) { return tx.Job(ctx, "c") })
	require.Empty(t, j.Owner)
	require.True(t, j.Due.Equal(at(100)))
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.CompleteJob(ctx, "c", "w3") })
	require.ErrorIs(t, err, storage.ErrLeaseLost, "a job replaced since its claim")

	update(t, s, func(tx storage.Tx) error { return tx.DeleteJob(ctx, "c") })
	_, err = read(t, s, func(tx storage.ReadTx) (*storage.Job, error) { return tx.Job(ctx, "c") })
	require.ErrorIs(t, err, conversation.ErrNotFound)
	update(t, s, func(tx storage.Tx) error { return tx.DeleteJob(ctx, "c") })
}

// testScheduleOutcomes: completion is idempotent; a retry makes the job
// due again later with its error; a failed job stays, never claimed.
func testScheduleOutcomes(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	putJobs(t, s, &storage.Job{ID: "done", Kind: "k", Due: at(1)}, &storage.Job{ID: "again", Kind: "k", Due: at(1)},
		&storage.Job{ID: "bad", Kind: "k", Due: at(1)})
	require.Len(t, claim(t, s, at(1), "w", 10), 3)

	update(t, s, func(tx storage.Tx) error { return tx.CompleteJob(ctx, "done", "w") })
	update(t, s, func(tx storage.Tx) error { return tx.CompleteJob(ctx, "done", "w") })
	_, err := read(t, s, func(tx storage.ReadTx) (*storage.Job, error) { return tx.Job(ctx, "done") })
	require.ErrorIs(t, err, conversation.ErrNotFound)

	update(t, s, func(tx storage.Tx) error { return tx.FailJob(ctx, "bad", "w", "refused") })
	j := mustRead(t, s, func(tx storage.ReadTx) (*storage.Job, error) { return tx.Job(ctx, "bad") })
	require.True(t, j.Failed)
	require.Equal(t, "refused", j.LastError)

	update(t, s, func(tx storage.Tx) error { return tx.RetryJob(ctx, "again", "w", at(50), "busy") })
	j = mustRead(t, s, func(tx storage.ReadTx) (*storage.Job, error) { return tx.Job(ctx, "again") })
	require.Equal(t, "busy", j.LastError)
	require.Empty(t, j.Owner)
	require.Equal(t, 1, j.Attempts)
	require.Empty(t, claim(t, s, at(49), "w", 10))
	got := claim(t, s, at(50), "w", 10)
	require.Equal(t, []string{"again"}, jobIDs(got))
	require.Equal(t, 2, got[0].Attempts)

	require.Empty(t, jobIDs(claim(t, s, at(55), "w2", 10)), "a failed job is never claimed (again is leased)")

	err = s.Update(ctx, func(tx storage.Tx) error { return tx.RetryJob(ctx, "gone", "w", at(1), "") })
	require.ErrorIs(t, err, conversation.ErrNotFound)
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.FailJob(ctx, "again", "other", "") })
	require.ErrorIs(t, err, storage.ErrLeaseLost)
}

// testScheduleConcurrentClaims: owners claiming at once never get the
// same job; every job is claimed exactly once while leases last.
func testScheduleConcurrentClaims(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	const jobs, owners = 60, 4
	for i := 0; i < jobs; i++ {
		putJobs(t, s, &storage.Job{ID: string(rune('A'+i%26)) + string(rune('a'+i/26)), Kind: "k", Due: at(i % 5)})
	}
	var mu sync.Mutex
	claimed := map[string]string{}
	var wg sync.WaitGroup
	for w := 0; w < owners; w++ {
		owner := string(rune('p' + w))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var got []*storage.Job
				require.NoError(t, s.Update(ctx, func(tx storage.Tx) error {
					var err error
					got, err = tx.ClaimJobs(ctx, at(10), owner, time.Hour, 3)
					return err
				}))
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, j := range got {
					if prev, ok := claimed[j.ID]; ok {
						t.Errorf("job %s claimed by %s and %s", j.ID, prev, owner)
					}
					claimed[j.ID] = owner
				}
				mu.Unlock()
				for _, j := range got {
					require.NoError(t, s.Update(ctx, func(tx storage.Tx) error { return tx.CompleteJob(ctx, j.ID, owner) }))
				}
			}
		}()
	}
	wg.Wait()
	require.Len(t, claimed, jobs)
}
