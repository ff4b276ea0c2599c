package conversation

import "fmt"

// Wire names. Every enum a timeline event carries has a stable text form
// for feeds and webhooks: lower case, words joined by underscores, and
// for event types a dotted "subject.verb" name. MarshalText writes it,
// UnmarshalText reads it back, so encoding/json writes strings, never
// the numbers behind the constants.

var eventWireNames = [...]string{
	EventCreated:              "conversation.created",
	EventMessageAdded:         "message.added",
	EventCommentAdded:         "comment.added",
	EventAssigned:             "conversation.assigned",
	EventUnassigned:           "conversation.unassigned",
	EventTeamChanged:          "conversation.team_changed",
	EventClosed:               "conversation.closed",
	EventReopened:             "conversation.reopened",
	EventArchived:             "conversation.archived",
	EventRemovedFromTeamInbox: "conversation.removed_from_team_inbox",
	EventTrashed:              "conversation.trashed",
	EventRestored:             "conversation.restored",
	EventDeletedForUser:       "conversation.deleted_for_user",
	EventSnoozed:              "conversation.snoozed",
	EventSnoozeDiscarded:      "conversation.snooze_discarded",
	EventWoken:                "conversation.woken",
	EventShared:               "conversation.shared",
	EventSubjectChanged:       "conversation.subject_changed",
	EventLinked:               "conversation.linked",
	EventMarkedSpam:           "conversation.marked_spam",
	EventUnmarkedSpam:         "conversation.unmarked_spam",
	EventMerged:               "conversation.merged",
	EventForked:               "conversation.forked",
	EventGuestInvited:         "guest.invited",
	EventGuestJoined:          "guest.joined",
	EventGuestRemoved:         "guest.removed",
	EventLabelsChanged:        "conversation.labels_changed",
	EventTaskChanged:          "task.changed",
	EventExpungeRequested:     "message.expunge_requested",
	EventUnshared:             "conversation.unshared",
	EventMessageWithdrawn:     "message.withdrawn",
	EventDeliveryFailed:       "message.delivery_failed",
}

// WireName returns the event type's stable dotted name, such as
// "conversation.assigned"; "unknown" for a value without one.
func (t EventType) WireName() string { return wireName(eventWireNames[:], int(t)) }

// MarshalText writes [EventType.WireName]; an unknown type is an error.
func (t EventType) MarshalText() ([]byte, error) {
	return marshalWire(eventWireNames[:], int(t), "event type")
}

// UnmarshalText reads a name [EventType.MarshalText] writes.
func (t *EventType) UnmarshalText(b []byte) error {
	return unmarshalWire(eventWireNames[:], b, "event type", t)
}

var taskChangeNames = [...]string{
	TaskCreated:          "created",
	TaskEdited:           "edited",
	TaskStatusChanged:    "status_changed",
	TaskAssigneesChanged: "assignees_changed",
	TaskDeleted:          "deleted",
	TaskMoved:            "moved",
}

// String returns the change's wire name, such as "status_changed".
func (c TaskChange) String() string { return wireName(taskChangeNames[:], int(c)) }

// MarshalText writes [TaskChange.String]; an unknown change is an error.
func (c TaskChange) MarshalText() ([]byte, error) {
	return marshalWire(taskChangeNames[:], int(c), "task change")
}

// UnmarshalText reads a name [TaskChange.MarshalText] writes.
func (c *TaskChange) UnmarshalText(b []byte) error {
	return unmarshalWire(taskChangeNames[:], b, "task change", c)
}

var labelKindNames = [...]string{OrgLabel: "organization", EmailLabel: "email"}

// MarshalText writes [LabelKind.String]; an unknown kind is an error.
func (k LabelKind) MarshalText() ([]byte, error) {
	return marshalWire(labelKindNames[:], int(k), "label kind")
}

// UnmarshalText reads a name [LabelKind.MarshalText] writes.
func (k *LabelKind) UnmarshalText(b []byte) error {
	return unmarshalWire(labelKindNames[:], b, "label kind", k)
}

func wireName(names []string, i int) string {
	if i >= 0 && i < len(names) && names[i] != "" {
		return names[i]
	}
	return "unknown"
}

func marshalWire(names []string, i int, what string) ([]byte, error) {
	if i > 0 && i < len(names) && names[i] != "" {
		return []byte(names[i]), nil
	}
	return nil, fmt.Errorf("%w: %s %d has no name", ErrInvalidArgument, what, i)
}

// unmarshalWire sets *v to the index of b in names.
func unmarshalWire[T ~uint8](names []string, b []byte, what string, v *T) error {
	for i, n := range names {
		if n != "" && n == string(b) {
			*v = T(i)
			return nil
		}
	}
	return fmt.Errorf("%w: unknown %s %q", ErrInvalidArgument, what, b)
}
