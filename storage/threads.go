package storage

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// ThreadReader reads the threading index: which conversation holds a
// message id, which conversations wait for one, and the latest
// conversation per subject. Package threading keeps the rules; the store
// keeps the state in the same transaction as the messages. Part of
// [ReadTx].
type ThreadReader interface {
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
}

// ThreadWriter keeps the threading index. Part of [Tx].
type ThreadWriter interface {
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
}
