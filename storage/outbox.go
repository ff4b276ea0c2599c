package storage

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// OutboxRecord is one entry of the outbox: something an operation
// emitted (a timeline event, a notification) that consumers outside the
// transaction read afterwards. The store keeps Data as opaque bytes; Kind
// says what they encode (the engine uses "event" and "notification").
type OutboxRecord struct {
	// Seq is the record's position in the feed, set by AppendOutbox:
	// positive, increasing, never reused (not even after compaction).
	Seq  uint64
	Kind string
	// Conversation is the conversation the record is about, zero for
	// none.
	Conversation conversation.ConversationID
	At           time.Time
	Data         []byte
}

// OutboxReader reads the outbox and the consumers' cursors. Part of
// [ReadTx].
//
// The outbox is commit-ordered: once a reader has seen the record with
// Seq N, no record with a smaller Seq appears later. A backend whose
// sequence numbers can commit out of order (two transactions take 7 and
// 8, the one holding 8 commits first) must hide a record until every
// record before it has committed or rolled back; in SQL, for example,
// by reading only below the smallest sequence number still held by an
// open writer, or by assigning Seq from a counter row every writer
// updates, which serializes the writers at commit. Records one
// transaction appends get consecutive Seqs in the order given, so the
// events of one conversation come in the order they happened.
type OutboxReader interface {
	// ReadOutbox returns up to limit records with Seq greater than after,
	// in Seq order.
	ReadOutbox(ctx context.Context, after uint64, limit int) ([]OutboxRecord, error)
	// OutboxHead returns the Seq of the last record ever appended, zero
	// if none was.
	OutboxHead(ctx context.Context) (uint64, error)
	// OutboxConsumer returns the cursor of a registered consumer: the Seq
	// of the last record it has handled. ErrNotFound if no consumer has
	// that name.
	OutboxConsumer(ctx context.Context, name string) (uint64, error)
	// OutboxConsumers returns every registered consumer with its cursor.
	OutboxConsumers(ctx context.Context) (map[string]uint64, error)
}

// OutboxWriter appends to the outbox, moves consumers' cursors and
// compacts what they have all read. Part of [Tx]. What a transaction
// appends becomes visible when it commits, and not at all when it rolls
// back.
type OutboxWriter interface {
	// AppendOutbox appends records in the order given and sets their Seq.
	// ErrInvalidArgument for a record without Kind.
	AppendOutbox(ctx context.Context, recs []OutboxRecord) error
	// SetOutboxConsumer registers the consumer name at cursor, or moves
	// it there. ErrInvalidArgument for an empty name or a cursor past
	// OutboxHead.
	SetOutboxConsumer(ctx context.Context, name string, cursor uint64) error
	// DeleteOutboxConsumer forgets a consumer, so compaction no longer
	// waits for it. ErrNotFound if none has that name.
	DeleteOutboxConsumer(ctx context.Context, name string) error
	// CompactOutbox removes every record with Seq at or below upTo and
	// returns how many it removed. The caller chooses upTo (the engine:
	// the smallest cursor of the registered consumers); a backend never
	// compacts on its own.
	CompactOutbox(ctx context.Context, upTo uint64) (int, error)
}
