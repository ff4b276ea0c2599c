package threading

import (
	"context"
	"errors"
	"time"
)

// ErrRedirectLoop is returned when following merge redirects or
// continuations in an [Index] does not end, which means the index is
// corrupt.
var ErrRedirectLoop = errors.New("threading: redirect loop in index")

// ErrNoSubjectIndex is returned by [NewThreader] when subject fallback is enabled
// but the index does not implement [SubjectIndex].
var ErrNoSubjectIndex = errors.New("threading: subject fallback needs a SubjectIndex")

// Entry is what an [Index] knows about one message id in one scope.
type Entry[K comparable] struct {
	// Known is true when a message with the id has been recorded;
	// Conversation is then the conversation it was recorded in (possibly
	// merged since: the Threader follows [Index.MergedInto]).
	Known        bool
	Conversation K
	// Waiting lists the conversations that referenced the id while no
	// message with it was known, in the order they were recorded, each
	// once. It is empty when Known. The slice belongs to the index: the
	// caller must not change it and must not keep it past the next write.
	Waiting []K
}

// Index is the threading state the store keeps, in the same transaction as
// the messages: which conversation holds each message id, which
// conversations wait for a referenced-but-unseen id, where merged
// conversations went, which conversation continues a full one, and how many
// countable messages a conversation holds. K is the store's conversation
// key (conversation.ConversationID for the engine).
//
// All ids are exact strings (no case folding) and every id lookup is
// confined to one [Scope]. Methods return an error only for storage
// failures; the Threader passes them up unchanged.
type Index[K comparable] interface {
	// Lookup returns what is known about id in scope; the zero Entry when
	// nothing is.
	Lookup(ctx context.Context, scope Scope, id string) (Entry[K], error)
	// MergedInto returns the conversation c was merged into, if it was.
	// The target may itself have been merged since; the Threader follows
	// the chain.
	MergedInto(ctx context.Context, c K) (K, bool, error)
	// ContinuedIn returns the conversation created to continue c when c
	// was full (the reverse of ContinuationOf), if any.
	ContinuedIn(ctx context.Context, c K) (K, bool, error)
	// Count returns the number of countable messages in c (every external
	// message of any channel; comments, events and drafts do not count).
	Count(ctx context.Context, c K) (int, error)

	// PutMessage records that the message with id lives in c, replacing any
	// earlier record (a split moves it) and dropping the id's waiting list.
	PutMessage(ctx context.Context, scope Scope, id string, c K) error
	// AddWaiting records that c references id. It does nothing when a
	// message with id is known or c already waits for id.
	AddWaiting(ctx context.Context, scope Scope, id string, c K) error
	// PutMerge records that from was merged into to (a tombstone redirect).
	PutMerge(ctx context.Context, from, to K) error
	// PutContinuation records that to was created to continue the full
	// conversation from.
	PutContinuation(ctx context.Context, from, to K) error
}

// ErrNoAudienceIndex is returned by [Threader.Decide] for a message with an
// [Message.Audience] when the index does not implement [AudienceIndex]:
// without it the audience rule cannot be kept.
var ErrNoAudienceIndex = errors.New("threading: a message with an audience needs an AudienceIndex")

// AudienceIndex is the part of an [Index] that keeps the audience rule
// (see [Message.Audience]): per conversation, the audience every message
// recorded in it arrived with.
type AudienceIndex[K comparable] interface {
	// Audience returns the audience of c: ok is true when every message
	// recorded in c (and in the conversations merged into it) arrived
	// with audience a; false when they arrived with different audiences
	// or when c's audience is not known.
	Audience(ctx context.Context, c K) (a string, ok bool, err error)
	// PutAudience records that a message of audience a was recorded in c.
	// Once c holds messages of two audiences it belongs to none.
	PutAudience(ctx context.Context, c K, a string) error
}

// SubjectIndex is the optional part of an [Index] the subject fallback
// needs: per scope and [SubjectKey], the conversation that last received a
// message with that subject and when.
type SubjectIndex[K comparable] interface {
	// LastBySubject returns the conversation that most recently recorded
	// a message with subject key in scope, and that message's date.
	LastBySubject(ctx context.Context, scope Scope, key string) (c K, at time.Time, ok bool, err error)
	// PutSubject records that c received a message with subject key dated
	// at; it keeps the latest date per key.
	PutSubject(ctx context.Context, scope Scope, key string, c K, at time.Time) error
}
