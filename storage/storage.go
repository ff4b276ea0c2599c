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
// # Roles
//
// A transaction is composed of small role interfaces, each with a reader
// (part of [ReadTx]) and, where the role is written, a writer (part of
// [Tx]). A backend author can implement and test one role at a time:
//
//   - directory: organizations, users, teams, accounts
//     ([DirectoryReader], [DirectoryWriter]);
//   - conversations and messages: conversations, per-user states,
//     messages, comments, timeline events ([ConversationReader],
//     [ConversationWriter]);
//   - mailbox index: listings and counters per box ([MailboxReader],
//     [MailboxWriter]);
//   - threading index: message ids and subjects ([ThreadReader],
//     [ThreadWriter]);
//   - due snoozes ([SnoozeReader]);
//   - guests: guest access records and quotas ([GuestReadTx], [GuestTx]);
//   - labels ([LabelReader], [LabelWriter]);
//   - tasks ([TaskReader], [TaskWriter]);
//   - outbox: what committed operations emitted, read from a cursor, with
//     each consumer's progress ([OutboxReader], [OutboxWriter]);
//   - schedule: jobs due at a time, claimed under a lease
//     ([ScheduleReader], [ScheduleWriter]).
//
// # Optional roles
//
// A role added after a backend was written must not stop that backend
// from compiling. Such a role is an extra interface, not part of [Tx];
// the engine checks for it at run time with a type assertion on the
// transaction it was handed and falls back, or reports that the feature
// needs it, when the backend lacks it:
//
//	type Searcher interface {
//		Search(ctx context.Context, org conversation.OrgID, q string, limit int) ([]conversation.ConversationID, error)
//	}
//
//	err := store.View(ctx, func(tx storage.ReadTx) error {
//		s, ok := tx.(storage.Searcher)
//		if !ok {
//			return fmt.Errorf("%w: this store cannot search", conversation.ErrInvalidArgument)
//		}
//		ids, err = s.Search(ctx, org, q, 50)
//		return err
//	})
//
// A backend offers the role by implementing its methods on the same
// transaction values it passes to Update and View; storagetest tests the
// role only for a backend that offers it.
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
// copy the caller owns: changing it never changes the store. It is the
// read half of every role.
type ReadTx interface {
	DirectoryReader
	ConversationReader
	MailboxReader
	ThreadReader
	SnoozeReader
	GuestReadTx
	LabelReader
	TaskReader
	OutboxReader
	ScheduleReader
}

// Tx reads and writes inside a read-write transaction. Writes take copies
// of their arguments: the caller may keep changing what it passed. It
// adds the write half of every role to [ReadTx].
type Tx interface {
	ReadTx
	DirectoryWriter
	ConversationWriter
	MailboxWriter
	ThreadWriter
	GuestTx
	LabelWriter
	TaskWriter
	OutboxWriter
	ScheduleWriter
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
