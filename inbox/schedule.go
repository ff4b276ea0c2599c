package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// The schedule.
//
// Everything the engine does later is a job in the store's schedule: a
// snooze to wake, an invitation to expire, a reply to send. [Engine.RunDue]
// claims the jobs that are due under a lease (so two engines on one store
// never run one job at once, and a job whose engine died is claimed again
// when its lease runs out), runs each in its own transaction and
// completes it in that same transaction, so a job's effect and its
// removal commit together.

// Job kinds.
const (
	jobSnooze      = "snooze.wake"
	jobGuestExpiry = "guest.expire"
	jobSend        = "message.send"
)

// jobLease is how long a claimed job is held before another engine may
// claim it again.
const jobLease = 2 * time.Minute

// dueBatch is how many jobs RunDue claims at once.
const dueBatch = 128

// snoozeJob is the payload of a snooze wake-up: the conversation and the
// snoozer (zero for a snooze for everyone).
type snoozeJob struct {
	Conversation conversation.ConversationID `json:"conversation"`
	User         conversation.UserID         `json:"user,omitzero"`
}

// snoozeJobID names the one wake-up job of a snooze.
func snoozeJobID(c conversation.ConversationID, u conversation.UserID) string {
	return jobSnooze + ":" + c.String() + ":" + u.String()
}

// putJob schedules kind with payload at due under id, replacing any job
// with that id.
func (o *op) putJob(id, kind string, due time.Time, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	return o.tx.PutJob(o.ctx, &storage.Job{ID: id, Kind: kind, Due: due, Payload: b})
}

// scheduleSnoozes makes sure every snooze of the operation's
// conversation that it may have changed has its wake-up job, due when the
// snooze is. A job whose snooze has since been discarded finds nothing
// due when it runs.
func (o *op) scheduleSnoozes() error {
	c := o.conv
	if s := c.SnoozeForEveryone; s != nil && o.changed {
		if err := o.snoozeJob(conversation.UserID{}, s.Until); err != nil {
			return err
		}
	}
	for u := range o.dirty {
		// A state left empty was deleted (putStates): it has no snooze.
		if st := o.states[u]; st != nil && st.Snooze != nil {
			if err := o.snoozeJob(u, st.Snooze.Until); err != nil {
				return err
			}
		}
	}
	return nil
}

// snoozeJob puts the wake-up job of u's snooze (zero: for everyone) of
// the operation's conversation unless it is already there with that due
// time, so a job claimed by a RunDue in progress is left alone.
func (o *op) snoozeJob(u conversation.UserID, due time.Time) error {
	id := snoozeJobID(o.conv.ID, u)
	j, err := o.tx.Job(o.ctx, id)
	switch {
	case err == nil && j.Due.Equal(due) && !j.Failed:
		return nil
	case err != nil && !isNotFound(err):
		return err
	}
	return o.putJob(id, jobSnooze, due, snoozeJob{Conversation: o.conv.ID, User: u})
}

// newOwner returns a lease owner name unique to one engine.
func newOwner(e *Engine) string {
	return "engine:" + uuid.Must(uuid.NewRandomFromReader(e.random)).String()
}

// RunDue runs every scheduled job that has come due: it wakes due
// snoozes, expires invitations and sends queued replies, each job in its
// own transaction, and returns how many snoozes it woke. The host calls
// it periodically (a timer, a cron job); calling it late runs everything
// overdue. It is idempotent and safe to call from several engines on one
// store at once: a job is leased to one engine while it runs and removed
// in the transaction that applies it.
//
// A snooze for one user puts the conversation back in that user's
// Inbox, marked due, and reminds them; a snooze for
// everyone puts it back in the team inbox, or the assignees' Inboxes if
// assigned, and reminds every participant.
func (e *Engine) RunDue(ctx context.Context) (int, error) {
	woken := 0
	for {
		now := e.now()
		lost := false
		var jobs []*storage.Job
		err := e.store.Update(ctx, func(tx storage.Tx) error {
			var err error
			jobs, err = tx.ClaimJobs(ctx, now, e.owner, jobLease, dueBatch)
			return err
		})
		if err != nil {
			return woken, err
		}
		for _, j := range jobs {
			did, err := e.runJob(ctx, j, now)
			if isLeaseLost(err) {
				// Another engine holds it now, or it was put again since
				// it was claimed: claim again what is due.
				lost = true
				continue
			}
			if err != nil {
				return woken, err
			}
			if did {
				woken++
			}
		}
		if len(jobs) < dueBatch && !lost {
			return woken, nil
		}
	}
}

// runJob runs one claimed job; did reports a snooze woken.
func (e *Engine) runJob(ctx context.Context, j *storage.Job, now time.Time) (did bool, err error) {
	switch j.Kind {
	case jobSnooze:
		var p snoozeJob
		if err := json.Unmarshal(j.Payload, &p); err != nil {
			return false, e.failJob(ctx, j, err)
		}
		err = e.update(ctx, System, func(o *op) error {
			did = false
			if err := o.complete(j); err != nil {
				return err
			}
			if err := o.load(p.Conversation); err != nil {
				if isNotFound(err) {
					return nil // deleted meanwhile
				}
				return err
			}
			did = o.wakeDue(storage.DueSnooze{Conversation: p.Conversation, User: p.User}, now)
			return nil
		})
		if err != nil {
			return false, fmt.Errorf("wake %s: %w", p.Conversation, err)
		}
		return did, nil
	case jobGuestExpiry:
		return false, e.update(ctx, System, func(o *op) error {
			if err := o.complete(j); err != nil {
				return err
			}
			for {
				gone, err := o.tx.ExpireGuestInvitations(o.ctx, o.now, 256)
				if err != nil || len(gone) < 256 {
					return err
				}
			}
		})
	case jobSend:
		return false, e.runSend(ctx, j)
	}
	return false, e.failJob(ctx, j, fmt.Errorf("unknown job kind %q", j.Kind))
}

// isLeaseLost reports whether another engine took the job over.
func isLeaseLost(err error) bool { return errors.Is(err, storage.ErrLeaseLost) }

// complete removes the operation's job in its transaction.
func (o *op) complete(j *storage.Job) error { return o.tx.CompleteJob(o.ctx, j.ID, o.e.owner) }

// failJob marks a job failed for good, reporting why to the host.
func (e *Engine) failJob(ctx context.Context, j *storage.Job, cause error) error {
	e.reportError(fmt.Errorf("job %s: %w", j.ID, cause))
	return e.store.Update(ctx, func(tx storage.Tx) error { return tx.FailJob(ctx, j.ID, e.owner, cause.Error()) })
}
