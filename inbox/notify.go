package inbox

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/triage"
)

// Reason says why a user is notified.
type Reason uint8

// Notification reasons.
const (
	// NewMessage: an external message arrived in a conversation the user
	// is notified of (team inbox, personal or Inbox-mode account, watched
	// or assigned conversation).
	NewMessage Reason = iota + 1
	// Mentioned: the user was @mentioned in a comment.
	Mentioned
	// Assigned: the conversation was assigned to the user.
	Assigned
	// CommentPosted: a comment was posted in a conversation the user watches,
	// or in an unassigned team-inbox conversation of an active member.
	CommentPosted
	// Shared: the user was added to the conversation with show-in-inbox.
	Shared
	// SnoozeDue: a snooze the user is reminded of came due.
	SnoozeDue
	// Replied: a teammate sent a message in a conversation the user
	// watches.
	Replied
	// GuestInvited: an email address was invited as a guest; the
	// notification carries the [Invitation] to send.
	GuestInvited
)

var reasonNames = [...]string{
	NewMessage:    "new message",
	Mentioned:     "mentioned",
	Assigned:      "assigned",
	CommentPosted: "new comment",
	Shared:        "shared",
	SnoozeDue:     "snooze due",
	Replied:       "replied",
	GuestInvited:  "guest invited",
}

var taskReasonNames = [...]string{"task assigned", "task completed", "task in progress", "task assignees changed"}

// String returns the reason in words.
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	if r >= TaskAssigned && int(r-TaskAssigned) < len(taskReasonNames) {
		return taskReasonNames[r-TaskAssigned]
	}
	return "unknown"
}

// Notification tells one user that something in one conversation wants
// their attention. The host decides the channel (push, email, badge).
type Notification struct {
	User         conversation.UserID
	Conversation conversation.ConversationID
	// Task is the task of a task notification (Conversation is zero for a
	// standalone task).
	Task   conversation.TaskID
	Reason Reason
	// Actor is who caused it; zero for the system.
	Actor conversation.UserID
	At    time.Time
	// Invitation is set with Reason GuestInvited; User is then the guest
	// identity if the invitee already has one in the organization, zero
	// otherwise, and the host reaches them at Invitation.Email.
	Invitation *Invitation
}

// Notifier delivers notifications; the host implements it.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// NotifierFunc adapts a function to [Notifier].
type NotifierFunc func(ctx context.Context, n Notification) error

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, n Notification) error { return f(ctx, n) }

// EventHandler receives timeline events after their operation commits.
type EventHandler interface {
	HandleEvent(ctx context.Context, ev *conversation.Event)
}

// EventHandlerFunc adapts a function to [EventHandler].
type EventHandlerFunc func(ctx context.Context, ev *conversation.Event)

// HandleEvent calls f.
func (f EventHandlerFunc) HandleEvent(ctx context.Context, ev *conversation.Event) { f(ctx, ev) }

// wakeWatchers brings the operation's conversation back to the Inbox of
// its watchers other than by (who acted), as new activity does, and
// notifies them with r when notify is set (see triage.Activity).
func (o *op) wakeWatchers(by conversation.UserID, r Reason, notify bool) {
	out := triage.Activity(o.facts(by), triage.Reason(r), notify)
	o.apply(&out)
}

// notify queues a notification for u unless u is the actor, u silenced
// the conversation (mentions and assignments still get through), or u
// was already notified by this operation.
func (o *op) notify(u conversation.UserID, r Reason) {
	if !triage.Notifies(o.actor.user, u, o.peek(u), triage.Reason(r)) {
		return
	}
	if o.wasNotified(u) {
		return
	}
	o.notes = append(o.notes, Notification{User: u, Conversation: o.conv.ID, Reason: r, Actor: o.actor.user, At: o.now})
	if o.notified != nil {
		o.notified[u] = true
	}
}

// wasNotified reports whether u already has a notification for the
// current conversation. A few notifications are scanned; past that a set
// is built once, so an @all mention in a large organization stays linear.
func (o *op) wasNotified(u conversation.UserID) bool {
	if o.notified != nil {
		return o.notified[u]
	}
	const scanLimit = 32
	if len(o.notes) < scanLimit {
		for i := range o.notes {
			if o.notes[i].User == u {
				return true
			}
		}
		return false
	}
	o.notified = make(map[conversation.UserID]bool, 2*len(o.notes))
	for i := range o.notes {
		o.notified[o.notes[i].User] = true
	}
	return o.notified[u]
}

// dispatch hands committed events to subscribers and notifications to
// the notifier.
func (e *Engine) dispatch(ctx context.Context, out *outbox) {
	for _, ev := range out.events {
		for _, s := range e.subscribers {
			s.HandleEvent(ctx, ev.Clone())
		}
	}
	if e.notifier == nil {
		return
	}
	for _, n := range out.notes {
		e.reportError(e.notifier.Notify(ctx, n))
	}
}
