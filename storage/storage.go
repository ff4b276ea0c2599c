// Package storage defines the contract between the inbox engine and a
// persistence backend: a transactional store of organizations, users,
// teams, accounts, conversations with their per-user state, messages,
// comments and timeline events, plus the indexes the engine reads instead
// of scanning (mailbox listings and counts, message-id lookups, due
// snoozes).
//
// The contract is shaped for SQL databases: every read and write happens
// inside a transaction ([Store.Update] is serializable, [Store.View] sees
// one consistent snapshot), values cross the boundary by copy, and
// uniqueness and optimistic-concurrency rules are stated so a backend can
// enforce them with constraints. Backends live in subpackages
// (storage/memory is the embedded default) and prove conformance by
// running storage/storagetest.
//
// Errors wrap the sentinels of package conversation: ErrNotFound for a
// missing entity, ErrConflict for a uniqueness violation or a stale
// version.
package storage

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// Store is a transactional backend.
//
// Update runs fn in a read-write transaction. If fn returns an error (or
// panics) nothing it wrote is kept; otherwise all of its writes become
// visible at once. Concurrent Updates behave as if run one after another
// (serializable). A backend that detects a serialization failure returns
// an error wrapping conversation.ErrConflict; the engine retries those.
// Update must not retain tx after fn returns. A write that returns an
// error has changed nothing, but fn must still return an error (any) to
// abandon the transaction: what a backend commits when fn returns nil after
// a failed write is not defined. Versions a write stored into the caller's
// struct (CreateConversation, UpdateConversation) are not reset by a
// rollback in every backend: reload before retrying.
//
// View runs fn in a read-only transaction over a consistent snapshot.
type Store interface {
	Update(ctx context.Context, fn func(tx Tx) error) error
	View(ctx context.Context, fn func(tx ReadTx) error) error
}

// ReadTx reads inside a transaction. Every returned pointer or slice is a
// copy the caller owns: changing it never changes the store.
type ReadTx interface {
	GuestReadTx
	LabelReader
	TaskReader

	// Org returns an organization, ErrNotFound if none.
	Org(ctx context.Context, id conversation.OrgID) (*conversation.Org, error)
	// User returns a user, ErrNotFound if none.
	User(ctx context.Context, id conversation.UserID) (*conversation.User, error)
	// UserByHandle finds a user of org by handle, case-insensitively;
	// ErrNotFound if none, or if a team holds the handle. Users (guests
	// included) and teams share one handle namespace per organization
	// (see [Tx.PutUser]), so at most one of UserByHandle and TeamByHandle
	// finds a given handle.
	UserByHandle(ctx context.Context, org conversation.OrgID, handle string) (*conversation.User, error)
	// Users returns the users of org, sorted by ID.
	Users(ctx context.Context, org conversation.OrgID) ([]*conversation.User, error)
	// Team returns a team, ErrNotFound if none.
	Team(ctx context.Context, id conversation.TeamID) (*conversation.Team, error)
	// TeamByHandle finds a team of org by handle, case-insensitively;
	// ErrNotFound if none, or if a user holds the handle.
	TeamByHandle(ctx context.Context, org conversation.OrgID, handle string) (*conversation.Team, error)
	// Teams returns the teams of org, sorted by ID.
	Teams(ctx context.Context, org conversation.OrgID) ([]*conversation.Team, error)
	// Account returns an account, ErrNotFound if none.
	Account(ctx context.Context, id conversation.AccountID) (*conversation.Account, error)
	// AccountByAddress finds the account of org that owns addr, either as
	// its own address or as one of its shared addresses. addr is compared
	// in canonical form (conversation.CanonicalAddress).
	AccountByAddress(ctx context.Context, org conversation.OrgID, addr string) (*conversation.Account, error)

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

	// ThreadEntry returns what the threading index knows about message id
	// in scope (package threading keeps the rules; the store keeps the
	// state in the same transaction as the messages): the conversation
	// holding a message with that id, or, when none does, the
	// conversations that referenced it, in the order they did. The zero
	// entry when nothing is known. Scopes and ids are exact strings.
	ThreadEntry(ctx context.Context, scope, id string) (ThreadEntry, error)
	// LastBySubject returns the conversation that most recently received
	// a message with subject key in scope and that message's date, for
	// the optional subject fallback; ok is false when there is none.
	LastBySubject(ctx context.Context, scope, key string) (c conversation.ConversationID, at time.Time, ok bool, err error)

	// List reads the mailbox index of box: entries newest LastActivity
	// first, ties broken by descending conversation ID. Activity is
	// returned in UTC. It returns up to
	// limit entries strictly after the position after (the zero Cursor
	// means the start). Its cost must not depend on how many entries other
	// boxes hold, nor on how many entries of box precede after.
	List(ctx context.Context, box conversation.Box, after Cursor, limit int) ([]Entry, error)
	// Count returns the number of entries of box and how many of them are
	// unread, from counters kept with the index.
	Count(ctx context.Context, box conversation.Box) (Counts, error)
	// DueSnoozes returns up to limit snoozes whose Until is at or before
	// now, earliest first: each user's own snoozes (UserState.Snooze) and
	// snoozes for everyone (Conversation.SnoozeForEveryone, User zero).
	DueSnoozes(ctx context.Context, now time.Time, limit int) ([]DueSnooze, error)
}

// Tx reads and writes inside a read-write transaction. Writes take copies
// of their arguments: the caller may keep changing what it passed.
type Tx interface {
	ReadTx
	GuestTx
	LabelWriter
	TaskWriter

	// PutOrg creates or replaces an organization.
	PutOrg(ctx context.Context, o *conversation.Org) error
	// PutUser creates or replaces a user. Handles form one namespace per
	// organization, shared by its users (guests included) and teams, as
	// one unique index over folded handles: ErrConflict if another user
	// or a team of the organization has the same handle
	// (case-insensitively), and then nothing changes. An empty handle is
	// never indexed; a replaced user's old handle is freed. PutUser keeps
	// the seat counter (GuestCounts) and the email and link indexes
	// (UsersByEmail, LinkedUsers).
	PutUser(ctx context.Context, u *conversation.User) error
	// PutTeam creates or replaces a team. ErrConflict, changing nothing,
	// if another team or a user of the organization has the same handle
	// (case-insensitively): the namespace of [Tx.PutUser].
	PutTeam(ctx context.Context, t *conversation.Team) error
	// PutAccount creates or replaces an account. ErrConflict if one of its
	// addresses already belongs to another account of the organization.
	PutAccount(ctx context.Context, a *conversation.Account) error

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
	// PutThreadMessage records that the message with id lives in c, in
	// scope, replacing any earlier record (a split moves it) and dropping
	// the id's waiting list. ErrNotFound if c does not exist.
	PutThreadMessage(ctx context.Context, scope, id string, c conversation.ConversationID) error
	// AddThreadWaiting records that c references id in scope. It does
	// nothing when a message with id is known there or c already waits
	// for id. ErrNotFound if c does not exist.
	AddThreadWaiting(ctx context.Context, scope, id string, c conversation.ConversationID) error
	// PutThreadSubject records that c received a message with subject key
	// in scope dated at; the latest date per key is kept.
	PutThreadSubject(ctx context.Context, scope, key string, c conversation.ConversationID, at time.Time) error
	// AppendEvent appends a timeline event; ErrConflict if its ID exists.
	AppendEvent(ctx context.Context, e *conversation.Event) error
	// SetPlacements replaces the mailbox index entries of conversation c
	// with placements, as conversation.Placements computes them, sorted in
	// conversation.ComparePlacements order. Afterwards List and Count of
	// every box behave as conversation.Effective says: c is listed in the
	// team-level and own placements' boxes, and in the box of every
	// placement a team-level one implies for a member of its team (team
	// membership as stored by PutTeam), less the implied placements a
	// correction cancels, with the unread flag a correction sets, all
	// sorted by activity. A backend may index the effective placements one
	// by one, or, as storage/memory does, index the team-level ones and
	// merge them into the member's listings, keeping counters for the
	// corrections. ErrInvalidArgument if a box appears twice with the same
	// Via, or a correction names no team-level placement implying it or
	// an unread flag inconsistent with it.
	SetPlacements(ctx context.Context, c conversation.ConversationID, activity time.Time, placements []conversation.Placement) error
}

// ThreadEntry is what the threading index knows about one message id in
// one scope (see [ReadTx.ThreadEntry]).
type ThreadEntry struct {
	// Known is set when a message with the id is recorded, in
	// Conversation.
	Known        bool
	Conversation conversation.ConversationID
	// Waiting lists the conversations that referenced the id while no
	// message with it was known, oldest first, each once.
	Waiting []conversation.ConversationID
}

// Cursor is a position in a mailbox index: the activity time and
// conversation ID of the last entry read. The zero Cursor is the start.
type Cursor struct {
	Activity     time.Time
	Conversation conversation.ConversationID
}

// IsZero reports whether the cursor is the start of the index.
func (c Cursor) IsZero() bool { return c.Activity.IsZero() && c.Conversation.IsZero() }

// Entry is one conversation listed in a mailbox index.
type Entry struct {
	Conversation conversation.ConversationID
	Activity     time.Time
	Unread       bool
}

// Cursor returns the position just after e.
func (e Entry) Cursor() Cursor { return Cursor{Activity: e.Activity, Conversation: e.Conversation} }

// Counts are the sizes of one mailbox index.
type Counts struct {
	Total  int
	Unread int
}

// DueSnooze identifies one snooze that has come due.
type DueSnooze struct {
	Conversation conversation.ConversationID
	// User is the snoozer of a personal snooze; zero for a snooze for
	// everyone.
	User  conversation.UserID
	Until time.Time
}
