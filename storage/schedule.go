package storage

import (
	"context"
	"errors"
	"time"
)

// ErrLeaseLost is returned by the schedule's CompleteJob, RetryJob and
// FailJob when the job is leased to another owner, or was replaced since
// it was claimed: the caller no longer holds it and must abandon its
// transaction. It does not wrap conversation.ErrConflict, so an
// operation does not retry on it.
var ErrLeaseLost = errors.New("storage: the job's lease was lost")

// Job is one piece of work due at a time: a snooze to wake, an
// invitation to expire, a message to send. The engine chooses ID, Kind
// and Payload; the store keeps them as they are.
type Job struct {
	// ID names the job. Putting a job with the ID of an existing one
	// replaces it, so a job that can only exist once (the wake-up of one
	// snooze) has an ID derived from what it is about.
	ID      string
	Kind    string
	Due     time.Time
	Payload []byte
	// Attempts counts the claims so far.
	Attempts int
	// Owner holds the lease until LeaseUntil; empty when not leased.
	Owner      string
	LeaseUntil time.Time
	// Failed is set by FailJob: the job stays for inspection and is never
	// claimed again. LastError is the reason given to RetryJob or FailJob.
	Failed    bool
	LastError string
}

// ScheduleReader reads the schedule. Part of [ReadTx].
type ScheduleReader interface {
	// Job returns a job, ErrNotFound if none.
	Job(ctx context.Context, id string) (*Job, error)
}

// ScheduleWriter keeps the schedule. Part of [Tx]. A job can be claimed
// once it is due and not leased (or its lease has run out); claiming
// leases it to one owner, so several engines on one store never run one
// job at the same time, and a job whose owner died is claimed again when
// the lease runs out. Claims are read from an index ordered by the time a
// job becomes claimable, never by scanning the jobs.
type ScheduleWriter interface {
	// PutJob creates or replaces the job with j.ID, not leased, with
	// Attempts, Failed and LastError as j says. ErrInvalidArgument for an
	// empty ID or Kind or a zero Due.
	PutJob(ctx context.Context, j *Job) error
	// DeleteJob removes a job whoever holds it; nothing if there is none.
	DeleteJob(ctx context.Context, id string) error
	// ClaimJobs leases up to limit claimable jobs (Due at or before now,
	// not failed, not leased or lease ended at or before now) to owner
	// until now+lease, earliest first (by Due, then ID), increments their
	// Attempts and returns them. ErrInvalidArgument for an empty owner or
	// a lease that is not positive.
	ClaimJobs(ctx context.Context, now time.Time, owner string, lease time.Duration, limit int) ([]*Job, error)
	// CompleteJob removes a job owner holds. Completing a job that is gone
	// does nothing (completion is idempotent); ErrLeaseLost if another
	// owner holds it or it is not leased.
	CompleteJob(ctx context.Context, id, owner string) error
	// RetryJob releases a job owner holds and makes it due again at due,
	// keeping lastErr. ErrNotFound if it is gone, ErrLeaseLost as for
	// CompleteJob.
	RetryJob(ctx context.Context, id, owner string, due time.Time, lastErr string) error
	// FailJob marks a job owner holds failed for good, keeping lastErr.
	// ErrNotFound if it is gone, ErrLeaseLost as for CompleteJob.
	FailJob(ctx context.Context, id, owner, lastErr string) error
}
