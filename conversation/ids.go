package conversation

import (
	"bytes"

	"github.com/google/uuid"
)

// ID identifies one entity of kind K. The kind parameter only keeps the
// different ID types apart at compile time (a UserID is not a TeamID); every
// ID is a UUID, version 7 when inboxkit makes it, so IDs sort by creation
// time. The zero ID means "none".
type ID[K any] uuid.UUID

// The entity kinds, used only as type parameters of [ID].
type (
	orgKind          struct{}
	userKind         struct{}
	teamKind         struct{}
	accountKind      struct{}
	conversationKind struct{}
	messageKind      struct{}
	commentKind      struct{}
	eventKind        struct{}
	labelKind        struct{}
	taskKind         struct{}
)

// Typed identifiers of the domain entities.
type (
	// OrgID identifies an [Org].
	OrgID = ID[orgKind]
	// UserID identifies a [User].
	UserID = ID[userKind]
	// TeamID identifies a [Team].
	TeamID = ID[teamKind]
	// AccountID identifies an [Account].
	AccountID = ID[accountKind]
	// ConversationID identifies a [Conversation]; it doubles as a ticket number.
	ConversationID = ID[conversationKind]
	// MessageID identifies a [Message] (not its RFC 5322 Message-ID header).
	MessageID = ID[messageKind]
	// CommentID identifies a [Comment].
	CommentID = ID[commentKind]
	// EventID identifies an [Event].
	EventID = ID[eventKind]
	// LabelID identifies a label (organization or account label).
	LabelID = ID[labelKind]
	// TaskID identifies a [Task].
	TaskID = ID[taskKind]
)

// NewID returns a new version 7 UUID of kind K. It panics only if the
// system's random source fails, as [uuid.NewV7] does.
func NewID[K any]() ID[K] { return ID[K](uuid.Must(uuid.NewV7())) }

// ParseID parses the textual form of a UUID as an ID of kind K.
func ParseID[K any](s string) (ID[K], error) {
	u, err := uuid.Parse(s)
	if err != nil {
		return ID[K]{}, errorf(ErrInvalidArgument, "parse id %q: %v", s, err)
	}
	return ID[K](u), nil
}

// String returns the canonical textual form of the UUID.
func (id ID[K]) String() string { return uuid.UUID(id).String() }

// IsZero reports whether id is the zero ID ("none").
func (id ID[K]) IsZero() bool { return id == ID[K]{} }

// Compare orders IDs by their bytes, which for version 7 UUIDs is creation
// order. It returns -1, 0 or +1.
func (id ID[K]) Compare(other ID[K]) int { return bytes.Compare(id[:], other[:]) }

// MarshalText implements [encoding.TextMarshaler].
func (id ID[K]) MarshalText() ([]byte, error) { return uuid.UUID(id).MarshalText() }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (id *ID[K]) UnmarshalText(b []byte) error {
	return (*uuid.UUID)(id).UnmarshalText(b)
}
