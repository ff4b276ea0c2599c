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
	// DeliveryFailed: a reply the user queued with [Engine.SendReply]
	// could not be delivered.
	DeliveryFailed
)

var reasonNames = [...]string{
	NewMessage:     "new message",
	Mentioned:      "mentioned",
	Assigned:       "assigned",
	CommentPosted:  "new comment",
	Shared:         "shared",
	SnoozeDue:      "snooze due",
	Replied:        "replied",
	GuestInvited:   "guest invited",
	DeliveryFailed: "delivery failed",
}

// reasonWireNames are the stable names of reasons on the wire.
var reasonWireNames = map[Reason]string{
	NewMessage:           "message.new",
	Mentioned:            "comment.mentioned",
	Assigned:             "conversation.assigned",
	CommentPosted:        "comment.posted",
	Shared:               "conversation.shared",
	SnoozeDue:            "snooze.due",
	Replied:              "message.replied",
	GuestInvited:         "guest.invited",
	DeliveryFailed:       "message.delivery_failed",
	TaskAssigned:         "task.assigned",
	TaskCompleted:        "task.completed",
	TaskInProgress:       "task.in_progress",
	TaskAssigneesChanged: "task.assignees_changed",
}

// WireName returns the reason's stable dotted name, such as
// "comment.mentioned"; "unknown" for a value without one.
func (r Reason) WireName() string {
	if n, ok := reasonWireNames[r]; ok {
		return n
	}
	return "unknown"
}

// MarshalText writes [Reason.WireName]; an unknown reason is an error.
func (r Reason) MarshalText() ([]byte, error) {
	if n, ok := reasonWireNames[r]; ok {
		return []byte(n), nil
	}
	return nil, conversation.Errorf(ErrInvalidArgument, "notification reason %d has no name", uint8(r))
}

// UnmarshalText reads a name [Reason.MarshalText] writes.
func (r *Reason) UnmarshalText(b []byte) error {
	for k, n := range reasonWireNames {
		if n == string(b) {
			*r = k
			return nil
		}
	}
	return conversation.Errorf(ErrInvalidArgument, "unknown notification reason %q", b)
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
//
// Its JSON encoding uses the lower-case keys of the field tags, leaves
// zero fields out and writes Reason as its wire name ("message.new").
type Notification struct {
	User         conversation.UserID         `json:"user,omitzero"`
	Conversation conversation.ConversationID `json:"conversation,omitzero"`
	// Task is the task of a task notification (Conversation is zero for a
	// standalone task).
	Task   conversation.TaskID `json:"task,omitzero"`
	Reason Reason              `json:"reason"`
	// Actor is who caused it; zero for the system.
	Actor conversation.UserID `json:"actor,omitzero"`
	At    time.Time           `json:"at"`
	// Invitation is set with Reason GuestInvited; User is then the guest
	// identity if the invitee already has one in the organization, zero
	// otherwise, and the host reaches them at Invitation.Email.
	Invitation *Invitation `json:"invitation,omitempty"`
}

// Notifier delivers notifications; the host implements it.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// NotifierFunc adapts a function to [Notifier].
type NotifierFunc func(ctx context.Context, n Notification) error

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, n Notification) error { return f(ctx, n) }

// EventHandler receives timeline events after their operation commits,
// from the outbox: at least once, in commit order (see [Engine.Drain]).
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
