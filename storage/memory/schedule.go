package memory

import (
	"context"
	"time"

	"github.com/google/btree"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// scheduleState holds the jobs and the index of the claimable ones,
// ordered by the time each becomes claimable (its Due, or the end of its
// lease), then ID. Failed jobs are not indexed.
type scheduleState struct {
	jobs  map[string]*storage.Job
	ready *btree.BTreeG[readyKey]
}

type readyKey struct {
	at time.Time
	id string
}

func readyLess(a, b readyKey) bool {
	if c := a.at.Compare(b.at); c != 0 {
		return c < 0
	}
	return a.id < b.id
}

func (s *scheduleState) init() {
	s.jobs = make(map[string]*storage.Job)
	s.ready = btree.NewG(btreeDegree, readyLess)
}

// readyAt is when j can be claimed; ok is false for a failed job.
func readyAt(j *storage.Job) (readyKey, bool) {
	if j.Failed {
		return readyKey{}, false
	}
	at := j.Due
	if j.Owner != "" && j.LeaseUntil.After(at) {
		at = j.LeaseUntil
	}
	return readyKey{at: at, id: j.ID}, true
}

func cloneJob(j *storage.Job) *storage.Job {
	d := *j
	d.Payload = append([]byte(nil), j.Payload...)
	return &d
}

// Job implements [storage.ScheduleReader].
func (s *state) Job(_ context.Context, id string) (*storage.Job, error) {
	j, ok := s.sched.jobs[id]
	if !ok {
		return nil, conversation.Errorf(conversation.ErrNotFound, "job %q", id)
	}
	return cloneJob(j), nil
}

// setJob stores j (nil: removes id), keeping the claim index.
func (t *writeTx) setJob(id string, j *storage.Job) {
	s := &t.sched
	if old, ok := s.jobs[id]; ok {
		if k, ok := readyAt(old); ok {
			treeDelete(t, s.ready, k)
		}
		if j == nil {
			deleteMap(t, s.jobs, id)
		}
	}
	if j == nil {
		return
	}
	j.Due, j.LeaseUntil = j.Due.Round(0), j.LeaseUntil.Round(0)
	setMap(t, s.jobs, id, j)
	if k, ok := readyAt(j); ok {
		treeInsert(t, s.ready, k)
	}
}

// PutJob implements [storage.ScheduleWriter].
func (t *writeTx) PutJob(_ context.Context, j *storage.Job) error {
	if j.ID == "" || j.Kind == "" || j.Due.IsZero() {
		return conversation.Errorf(conversation.ErrInvalidArgument, "a job needs an ID, a kind and a due time")
	}
	d := cloneJob(j)
	d.Owner, d.LeaseUntil = "", time.Time{}
	t.setJob(j.ID, d)
	return nil
}

// DeleteJob implements [storage.ScheduleWriter].
func (t *writeTx) DeleteJob(_ context.Context, id string) error {
	t.setJob(id, nil)
	return nil
}

// ClaimJobs implements [storage.ScheduleWriter].
func (t *writeTx) ClaimJobs(_ context.Context, now time.Time, owner string, lease time.Duration, limit int) ([]*storage.Job, error) {
	if owner == "" || lease <= 0 {
		return nil, conversation.Errorf(conversation.ErrInvalidArgument, "a claim needs an owner and a positive lease")
	}
	now = now.Round(0)
	var ids []string
	t.sched.ready.Ascend(func(k readyKey) bool {
		if len(ids) >= limit || k.at.After(now) {
			return false
		}
		ids = append(ids, k.id)
		return true
	})
	out := make([]*storage.Job, 0, len(ids))
	for _, id := range ids {
		j := cloneJob(t.sched.jobs[id])
		j.Owner, j.LeaseUntil = owner, now.Add(lease)
		j.Attempts++
		t.setJob(id, j)
		out = append(out, cloneJob(j))
	}
	return out, nil
}

// held returns the job id owner holds: nil if it is gone, ErrLeaseLost if
// someone else holds it or nobody does.
func (t *writeTx) held(id, owner string) (*storage.Job, error) {
	j, ok := t.sched.jobs[id]
	if !ok {
		return nil, nil
	}
	if j.Owner == "" || j.Owner != owner {
		return nil, storage.ErrLeaseLost
	}
	return j, nil
}

// CompleteJob implements [storage.ScheduleWriter].
func (t *writeTx) CompleteJob(_ context.Context, id, owner string) error {
	j, err := t.held(id, owner)
	if err != nil || j == nil {
		return err
	}
	t.setJob(id, nil)
	return nil
}

// RetryJob implements [storage.ScheduleWriter].
func (t *writeTx) RetryJob(_ context.Context, id, owner string, due time.Time, lastErr string) error {
	return t.release(id, owner, func(j *storage.Job) { j.Due, j.LastError = due, lastErr })
}

// FailJob implements [storage.ScheduleWriter].
func (t *writeTx) FailJob(_ context.Context, id, owner, lastErr string) error {
	return t.release(id, owner, func(j *storage.Job) { j.Failed, j.LastError = true, lastErr })
}

// release ends owner's lease of job id after change has changed it.
func (t *writeTx) release(id, owner string, change func(j *storage.Job)) error {
	j, err := t.held(id, owner)
	if err != nil {
		return err
	}
	if j == nil {
		return conversation.Errorf(conversation.ErrNotFound, "job %q", id)
	}
	d := cloneJob(j)
	change(d)
	d.Owner, d.LeaseUntil = "", time.Time{}
	t.setJob(id, d)
	return nil
}
