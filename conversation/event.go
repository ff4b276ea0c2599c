package conversation

import (
	"slices"
	"time"
)

// EventType names a change recorded on a conversation's timeline.
type EventType uint8

// The timeline event types.
const (
	EventCreated EventType = iota + 1
	EventMessageAdded
	EventCommentAdded
	EventAssigned
	EventUnassigned
	EventTeamChanged
	EventClosed
	EventReopened
	EventArchived
	EventRemovedFromTeamInbox
	EventTrashed
	EventRestored
	EventDeletedForUser
	EventSnoozed
	EventSnoozeDiscarded
	EventWoken
	EventShared
	EventSubjectChanged
	EventLinked
	EventMarkedSpam
	EventUnmarkedSpam
	// EventMerged: Related were merged into this conversation.
	EventMerged
	// EventForked: Message was moved out of this conversation into
	// Related[0], or into this one from Related[0].
	EventForked
	// EventGuestInvited: Email was invited as a guest (Users holds the
	// guest identity when one exists).
	EventGuestInvited
	// EventGuestJoined: the guest in Users accepted an invitation.
	EventGuestJoined
	// EventGuestRemoved: the guest access of Email ended (revoked,
	// cancelled, trashed, or turned into member access by an upgrade).
	EventGuestRemoved
	// EventLabelsChanged: labels were applied or removed (Labels says
	// which); what a "label changed" rule trigger reads.
	EventLabelsChanged
	// EventTaskChanged: a subtask of the conversation was created, edited,
	// had its status changed or was deleted (Task, TaskChange).
	EventTaskChanged
	// EventExpungeRequested asks the host to delete one copy of Message on
	// the provider's server: the copy Ref of Account, because the account's
	// owner deleted the conversation forever. The host's event subscriber
	// acts on it (an IMAP UID EXPUNGE, a Graph DELETE); it is dispatched
	// after commit but kept on no timeline, since the conversation is gone.
	EventExpungeRequested
	// EventUnshared: Users and Teams lost their access to the
	// conversation (a user removed from it, an account made private).
	EventUnshared
	// EventMessageWithdrawn is the notice left where Message was: it moved
	// to a private conversation of Users[0] because that user was removed
	// from this one and the message came from their personal account
	// ("Message was deleted because [User] was removed from the
	// conversation").
	EventMessageWithdrawn
	// EventDeliveryFailed: a reply Users[0] queued for sending could not
	// be delivered (Subject is its subject, Error the reason); nothing was
	// recorded as sent.
	EventDeliveryFailed
)

var eventNames = [...]string{
	EventCreated:              "created",
	EventMessageAdded:         "message_added",
	EventCommentAdded:         "comment_added",
	EventAssigned:             "assigned",
	EventUnassigned:           "unassigned",
	EventTeamChanged:          "team_changed",
	EventClosed:               "closed",
	EventReopened:             "reopened",
	EventArchived:             "archived",
	EventRemovedFromTeamInbox: "removed_from_team_inbox",
	EventTrashed:              "trashed",
	EventRestored:             "restored",
	EventDeletedForUser:       "deleted_for_user",
	EventSnoozed:              "snoozed",
	EventSnoozeDiscarded:      "snooze_discarded",
	EventWoken:                "woken",
	EventShared:               "shared",
	EventSubjectChanged:       "subject_changed",
	EventLinked:               "linked",
	EventMarkedSpam:           "marked_spam",
	EventUnmarkedSpam:         "unmarked_spam",
	EventMerged:               "merged",
	EventForked:               "forked",
	EventGuestInvited:         "guest_invited",
	EventGuestJoined:          "guest_joined",
	EventGuestRemoved:         "guest_removed",
	EventLabelsChanged:        "labels_changed",
	EventTaskChanged:          "task_changed",
	EventExpungeRequested:     "expunge_requested",
	EventUnshared:             "unshared",
	EventMessageWithdrawn:     "message_withdrawn",
	EventDeliveryFailed:       "delivery_failed",
}

// String returns the event type's snake_case name.
func (t EventType) String() string {
	if int(t) < len(eventNames) && eventNames[t] != "" {
		return eventNames[t]
	}
	return "unknown"
}

// Event is one entry of a conversation's timeline. Which payload fields
// are set depends on Type; the rest are zero.
//
// Its JSON encoding, used by the engine's event feed and meant for
// webhooks, is an object with the lower-case keys of the field tags;
// zero fields are left out, IDs are UUID strings, times RFC 3339 strings,
// and enums their wire names (Type "conversation.assigned", label kinds
// "organization" or "email", task changes "status_changed"), never
// numbers.
type Event struct {
	ID           EventID        `json:"id"`
	Conversation ConversationID `json:"conversation"`
	Type         EventType      `json:"type"`
	// Actor is the user who acted; zero for the system (mail delivery,
	// snooze timers).
	Actor UserID `json:"actor,omitzero"`
	// ByMessage is set when a message caused the change (a team move in
	// single-conversation mode, a reopen on reply).
	ByMessage bool      `json:"by_message,omitempty"`
	At        time.Time `json:"at"`

	// Users affected (assigned, unassigned, shared with, ...).
	Users []UserID `json:"users,omitempty"`
	// Teams affected (shared with, moved from/to: To first, then From).
	Teams   []TeamID  `json:"teams,omitempty"`
	Message MessageID `json:"message,omitzero"`
	Comment CommentID `json:"comment,omitzero"`
	// Related names other conversations: the copies of a message delivered
	// to several team inboxes (EventLinked), to be merged by hand.
	Related []ConversationID `json:"related,omitempty"`
	// Account and Ref name the provider copy of Message that
	// EventExpungeRequested is about.
	Account AccountID `json:"account,omitzero"`
	Ref     string    `json:"ref,omitempty"`
	// Subject is the new subject of EventSubjectChanged.
	Subject string `json:"subject,omitempty"`
	// Until is the snooze time of EventSnoozed.
	Until time.Time `json:"until,omitzero"`
	// ForEveryone qualifies snooze, archive and trash events.
	ForEveryone bool `json:"for_everyone,omitempty"`
	// Email is the guest address of guest events.
	Email string `json:"email,omitempty"`
	// Labels are the label changes of EventLabelsChanged, in order.
	Labels []LabelChange `json:"labels,omitempty"`
	// Task and TaskChange describe EventTaskChanged.
	Task       TaskID     `json:"task,omitzero"`
	TaskChange TaskChange `json:"task_change,omitzero"`
	// Error is why the delivery of EventDeliveryFailed failed.
	Error string `json:"error,omitempty"`
}

// LabelChange is one label applied to or removed from a conversation, as
// it was at the time: enough for a rule's "label changed" trigger to match
// by name or parent without loading the label (which may since have been
// renamed or deleted).
type LabelChange struct {
	Label LabelID   `json:"label"`
	Kind  LabelKind `json:"kind"`
	// Added is true for an application, false for a removal.
	Added bool `json:"added"`
	// Name is the label's own name, Path its full path
	// ("Features/Requested"), Parent its parent (zero at the top).
	Name   string  `json:"name"`
	Path   string  `json:"path"`
	Parent LabelID `json:"parent,omitzero"`
}

// TaskChange says what happened to a task.
type TaskChange uint8

// The task changes.
const (
	TaskCreated TaskChange = iota + 1
	TaskEdited
	TaskStatusChanged
	TaskAssigneesChanged
	TaskDeleted
	// TaskMoved: the task was moved into this conversation by a merge.
	TaskMoved
)

// Clone returns a deep copy.
func (e *Event) Clone() *Event {
	d := *e
	d.Users = slices.Clone(e.Users)
	d.Teams = slices.Clone(e.Teams)
	d.Related = slices.Clone(e.Related)
	d.Labels = slices.Clone(e.Labels)
	return &d
}
