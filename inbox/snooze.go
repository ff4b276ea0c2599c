package inbox

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/triage"
)

// SnoozeOptions describe a snooze.
type SnoozeOptions struct {
	// Until is when the conversation comes back; it must be in the future.
	Until time.Time
	// ForEveryone snoozes a shared conversation for all participants: it
	// returns to the team inbox (or the assignees' Inboxes) when due.
	// Otherwise only the actor is reminded.
	ForEveryone bool
	// LeaveInInbox keeps it visible while snoozed.
	LeaveInInbox bool
	// DiscardOnReply cancels the snooze if an external message arrives
	// first.
	DiscardOnReply bool
}

// Snooze hides a conversation from Inbox and team inbox views until a time;
// it stays in Assigned to me, All and label mailboxes, and is listed in
// Snoozed. [Engine.RunDue] brings it back.
func (e *Engine) Snooze(ctx context.Context, actor Actor, id conversation.ConversationID, opts SnoozeOptions) error {
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAsUser(id); err != nil {
			return err
		}
		return o.snooze(opts)
	})
}

func (o *op) snooze(opts SnoozeOptions) error {
	c := o.conv
	if !opts.Until.After(o.now) {
		return conversation.Errorf(ErrInvalidArgument, "snooze time %s is not in the future", opts.Until.Format(time.RFC3339))
	}
	if c.Trashed {
		return conversation.Errorf(ErrInvalidArgument, "conversation %s is in Trash", c.ID)
	}
	s := &conversation.Snooze{Until: opts.Until.UTC(), By: o.user.ID, At: o.now, LeaveInInbox: opts.LeaveInInbox, DiscardOnReply: opts.DiscardOnReply}
	st := o.state(o.user.ID)
	st.SnoozeDue = false
	if opts.ForEveryone {
		if !c.Shared() {
			return conversation.Errorf(ErrInvalidArgument, "only shared conversations snooze for everyone")
		}
		c.SnoozeForEveryone = s
		o.emit(conversation.Event{Type: conversation.EventSnoozed, Until: s.Until, ForEveryone: true})
		o.touch(true)
		return nil
	}
	st.Snooze = s
	o.emit(conversation.Event{Type: conversation.EventSnoozed, Until: s.Until, Users: []conversation.UserID{o.user.ID}})
	return nil
}

// DiscardSnooze cancels a snooze and brings the conversation back at once:
// the actor's own snooze, else the snooze for everyone, which only its
// setter or an assignee may discard.
func (e *Engine) DiscardSnooze(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAsUser(id)
		if err != nil {
			return err
		}
		c := o.conv
		if st := o.peek(u.ID); st != nil && st.Snooze != nil {
			o.decide(triage.Unsnooze)
			return nil
		}
		s := c.SnoozeForEveryone
		if s == nil {
			return conversation.Errorf(ErrInvalidArgument, "conversation %s is not snoozed", id)
		}
		if s.By != u.ID && !c.IsAssigned(u.ID) {
			return conversation.Errorf(ErrForbidden, "only who snoozed it or an assignee may discard a snooze for everyone")
		}
		o.wake(false)
		o.emit(conversation.Event{Type: conversation.EventSnoozeDiscarded, ForEveryone: true})
		return nil
	})
}

// wakeDue wakes one due snooze if it is still there and still due.
func (o *op) wakeDue(d storage.DueSnooze, now time.Time) bool {
	c := o.conv
	if d.User.IsZero() {
		if s := c.SnoozeForEveryone; s == nil || s.Until.After(now) {
			return false
		}
		o.wake(true)
		o.emit(conversation.Event{Type: conversation.EventWoken, ForEveryone: true})
		return true
	}
	st := o.peek(d.User)
	if st == nil || st.Snooze == nil || st.Snooze.Until.After(now) {
		return false
	}
	o.decide(func(f triage.Facts) triage.Outcome { return triage.WakeUser(f, d.User) })
	o.touch(false)
	return true
}

// wake ends the snooze for everyone. The conversation goes back to its team
// inbox when unassigned, else to the assignees' Inboxes. When the snooze
// came due (remind), every participant (its setter, the assignees, watchers,
// whoever has it in their Inbox) gets it back in their Inbox, marked due,
// and is reminded.
func (o *op) wake(remind bool) {
	o.decide(func(f triage.Facts) triage.Outcome { return triage.WakeEveryone(f, remind) })
	o.touch(true)
}
