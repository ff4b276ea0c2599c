package storage

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
)

// ConversationReader reads conversations with what hangs off them: the
// per-user states, messages, comments and the timeline. Part of [ReadTx].
type ConversationReader interface {
	// Conversation returns a conversation, ErrNotFound if none.
	Conversation(ctx context.Context, id conversation.ConversationID) (*conversation.Conversation, error)
	// UserState returns u's state of c, ErrNotFound if none is stored.
	UserState(ctx context.Context, c conversation.ConversationID, u conversation.UserID) (*conversation.UserState, error)
	// UserStates returns every stored state of c, keyed by user.
	UserStates(ctx context.Context, c conversation.ConversationID) (map[conversation.UserID]*conversation.UserState, error)
	// Messages returns the messages of c in Seq order.
	Messages(ctx context.Context, c conversation.ConversationID) ([]*conversation.Message, error)
	// Comments returns the comments of c in Seq order.
	Comments(ctx context.Context, c conversation.ConversationID) ([]*conversation.Comment, error)
	// Events returns the timeline of c in the order it was appended.
	Events(ctx context.Context, c conversation.ConversationID) ([]*conversation.Event, error)
	// MessagesByHeaderID returns every message of org whose HeaderID is
	// id (exact, case-sensitive), oldest first.
	MessagesByHeaderID(ctx context.Context, org conversation.OrgID, id string) ([]*conversation.Message, error)
}

// ConversationWriter writes conversations, per-user states, messages,
// comments and timeline events. Part of [Tx]. It does not keep the
// mailbox index: the engine calls [MailboxWriter.SetPlacements] once it has
// written a conversation.
type ConversationWriter interface {
	// CreateConversation stores a new conversation with Version 1 (the
	// store sets c.Version). ErrConflict if the ID exists.
	CreateConversation(ctx context.Context, c *conversation.Conversation) error
	// UpdateConversation replaces a conversation. c.Version must equal the
	// stored Version (ErrConflict otherwise; ErrNotFound if none); the
	// store increments it and sets c.Version to the new value.
	UpdateConversation(ctx context.Context, c *conversation.Conversation) error
	// DeleteConversation removes a conversation for good, with its user
	// states, messages, comments, events, guest access records and index
	// entries.
	DeleteConversation(ctx context.Context, id conversation.ConversationID) error
	// PutUserState creates or replaces a user's state of a conversation.
	PutUserState(ctx context.Context, s *conversation.UserState) error
	// AddMessage appends a message; ErrConflict if its ID exists.
	AddMessage(ctx context.Context, org conversation.OrgID, m *conversation.Message) error
	// MoveMessage re-homes a message to another conversation (split,
	// merge), keeping its ID.
	MoveMessage(ctx context.Context, id conversation.MessageID, to conversation.ConversationID) error
	// UpdateMessage replaces the stored message with m's ID: its Seq
	// (the message is re-sorted), copies and content. It cannot move the
	// message (MoveMessage does) nor change its HeaderID: ErrInvalidArgument.
	// ErrNotFound if no such message exists.
	UpdateMessage(ctx context.Context, m *conversation.Message) error
	// AddComment appends a comment; ErrConflict if its ID exists.
	AddComment(ctx context.Context, c *conversation.Comment) error
	// MoveComment re-homes a comment to another conversation of the same
	// organization (merge), keeping its ID and Seq. ErrNotFound if the
	// comment or the conversation does not exist.
	MoveComment(ctx context.Context, id conversation.CommentID, to conversation.ConversationID) error
	// UpdateComment replaces the stored comment with c's ID (its Seq,
	// body, mentions, attachments); ErrInvalidArgument if c names another
	// conversation; ErrNotFound if no such comment exists.
	UpdateComment(ctx context.Context, c *conversation.Comment) error
	// AppendEvent appends a timeline event; ErrConflict if its ID exists.
	AppendEvent(ctx context.Context, e *conversation.Event) error
}
