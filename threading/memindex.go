package threading

import (
	"context"
	"time"
)

// MemoryIndex is an in-memory [Index], [SubjectIndex] and [AudienceIndex], for tests,
// benchmarks and embedders without a database. It counts every message
// recorded with PutMessage as countable. It is not safe for concurrent use.
type MemoryIndex[K comparable] struct {
	scopes map[Scope]*scopeIndex[K]
	merged map[K]K
	cont   map[K]K
	counts map[K]int
	// audiences holds each conversation's audience (AudienceIndex).
	audiences map[K]audience
	hint      int // initial size of the first scope's id map

	// The scope used last, looked up once per run of calls in one scope.
	lastScope Scope
	last      *scopeIndex[K]
}

// scopeIndex holds one scope's ids and subjects. Known messages and
// waiting ids live in separate maps so the big one stays small per entry.
type scopeIndex[K comparable] struct {
	known    map[string]K
	waiting  map[string][]K
	subjects map[string]subjectEntry[K]
}

type subjectEntry[K comparable] struct {
	conv K
	at   time.Time
}

// audience is a conversation's audience; mixed once it holds messages of
// two audiences.
type audience struct {
	key   string
	mixed bool
}

// join returns the audience of a conversation holding messages of a and b.
func (a audience) join(b audience) audience {
	if a.key != b.key {
		a.mixed = true
	}
	a.mixed = a.mixed || b.mixed
	return a
}

// NewMemoryIndex returns an empty MemoryIndex.
func NewMemoryIndex[K comparable]() *MemoryIndex[K] { return NewMemoryIndexSize[K](0) }

// NewMemoryIndexSize returns an empty MemoryIndex with room for about n
// message ids in the first scope it sees, which saves rehashing when the
// size is known (benchmarks, bulk imports of one organization).
func NewMemoryIndexSize[K comparable](n int) *MemoryIndex[K] {
	n = max(n, 0)
	return &MemoryIndex[K]{
		scopes:    make(map[Scope]*scopeIndex[K]),
		merged:    make(map[K]K),
		cont:      make(map[K]K),
		counts:    make(map[K]int, n/4),
		audiences: make(map[K]audience),
		hint:      n + n/4,
	}
}

// scope returns the index of s, creating it when create is set; nil when
// it does not exist and create is not set.
func (x *MemoryIndex[K]) scope(s Scope, create bool) *scopeIndex[K] {
	if x.last != nil && x.lastScope == s {
		return x.last
	}
	si := x.scopes[s]
	if si == nil {
		if !create {
			return nil
		}
		si = &scopeIndex[K]{
			known:    make(map[string]K, x.hint),
			waiting:  make(map[string][]K),
			subjects: make(map[string]subjectEntry[K]),
		}
		x.hint = 0
		x.scopes[s] = si
	}
	x.lastScope, x.last = s, si
	return si
}

// Lookup implements [Index].
func (x *MemoryIndex[K]) Lookup(_ context.Context, scope Scope, id string) (Entry[K], error) {
	si := x.scope(scope, false)
	if si == nil {
		return Entry[K]{}, nil
	}
	if c, ok := si.known[id]; ok {
		return Entry[K]{Known: true, Conversation: c}, nil
	}
	return Entry[K]{Waiting: si.waiting[id]}, nil
}

// MergedInto implements [Index]. It returns the final target directly,
// shortening the chain it walked.
func (x *MemoryIndex[K]) MergedInto(_ context.Context, c K) (K, bool, error) {
	if len(x.merged) == 0 {
		return c, false, nil
	}
	to, ok := x.merged[c]
	if !ok {
		return c, false, nil
	}
	final := x.resolve(to)
	if final != to {
		x.merged[c] = final
	}
	return final, true, nil
}

// resolve follows merge redirects from c; it stops after len(merged) hops,
// so a corrupt cycle cannot hang it.
func (x *MemoryIndex[K]) resolve(c K) K {
	for range len(x.merged) {
		to, ok := x.merged[c]
		if !ok {
			break
		}
		c = to
	}
	return c
}

// ContinuedIn implements [Index].
func (x *MemoryIndex[K]) ContinuedIn(_ context.Context, c K) (K, bool, error) {
	to, ok := x.cont[c]
	return to, ok, nil
}

// Count implements [Index].
func (x *MemoryIndex[K]) Count(_ context.Context, c K) (int, error) {
	return x.counts[c], nil
}

// PutMessage implements [Index]. Recording a known id in another
// conversation moves its count there.
func (x *MemoryIndex[K]) PutMessage(_ context.Context, scope Scope, id string, c K) error {
	si := x.scope(scope, true)
	if prev, ok := si.known[id]; ok {
		old := x.resolve(prev)
		if old == c {
			return nil
		}
		x.counts[old]--
	} else if len(si.waiting) > 0 {
		delete(si.waiting, id)
	}
	si.known[id] = c
	x.counts[c]++
	return nil
}

// AddWaiting implements [Index].
func (x *MemoryIndex[K]) AddWaiting(_ context.Context, scope Scope, id string, c K) error {
	si := x.scope(scope, true)
	if _, known := si.known[id]; known {
		return nil
	}
	ws := si.waiting[id]
	for _, w := range ws {
		if w == c || x.resolve(w) == c {
			return nil
		}
	}
	si.waiting[id] = append(ws, c)
	return nil
}

// PutMerge implements [Index]; the source's count moves to the target.
func (x *MemoryIndex[K]) PutMerge(_ context.Context, from, to K) error {
	from, to = x.resolve(from), x.resolve(to)
	if from == to {
		return nil
	}
	x.merged[from] = to
	x.counts[to] += x.counts[from]
	delete(x.counts, from)
	// The result holds both sides' messages: one audience only if both
	// had the same; a side of unknown audience leaves it unknown.
	fa, fok := x.audiences[from]
	ta, tok := x.audiences[to]
	switch {
	case fok && tok:
		x.audiences[to] = ta.join(fa)
	case fok || tok:
		x.audiences[to] = audience{mixed: true}
	}
	delete(x.audiences, from)
	return nil
}

// Audience implements [AudienceIndex].
func (x *MemoryIndex[K]) Audience(_ context.Context, c K) (string, bool, error) {
	a, ok := x.audiences[c]
	if !ok || a.mixed {
		return "", false, nil
	}
	return a.key, true, nil
}

// PutAudience implements [AudienceIndex].
func (x *MemoryIndex[K]) PutAudience(_ context.Context, c K, a string) error {
	next := audience{key: a}
	if cur, ok := x.audiences[c]; ok {
		next = cur.join(next)
	}
	x.audiences[c] = next
	return nil
}

// PutContinuation implements [Index].
func (x *MemoryIndex[K]) PutContinuation(_ context.Context, from, to K) error {
	x.cont[from] = to
	return nil
}

// LastBySubject implements [SubjectIndex].
func (x *MemoryIndex[K]) LastBySubject(_ context.Context, scope Scope, key string) (K, time.Time, bool, error) {
	var e subjectEntry[K]
	ok := false
	if si := x.scope(scope, false); si != nil {
		e, ok = si.subjects[key]
	}
	return e.conv, e.at, ok, nil
}

// PutSubject implements [SubjectIndex].
func (x *MemoryIndex[K]) PutSubject(_ context.Context, scope Scope, key string, c K, at time.Time) error {
	si := x.scope(scope, true)
	if e, ok := si.subjects[key]; ok && e.at.After(at) {
		return nil
	}
	si.subjects[key] = subjectEntry[K]{conv: c, at: at}
	return nil
}

// Conversations returns every conversation that holds at least one
// message and was not merged away, with its count. It is meant for tests
// and reports.
func (x *MemoryIndex[K]) Conversations() map[K]int {
	out := make(map[K]int, len(x.counts))
	for c, n := range x.counts {
		if _, gone := x.merged[c]; !gone && n > 0 {
			out[c] = n
		}
	}
	return out
}

// Conversation returns the current conversation of the message with id in
// scope (after merges), if a message with id is known.
func (x *MemoryIndex[K]) Conversation(scope Scope, id string) (K, bool) {
	var zero K
	si := x.scope(scope, false)
	if si == nil {
		return zero, false
	}
	c, ok := si.known[id]
	if !ok {
		return zero, false
	}
	return x.resolve(c), true
}

var (
	_ Index[int]         = (*MemoryIndex[int])(nil)
	_ SubjectIndex[int]  = (*MemoryIndex[int])(nil)
	_ AudienceIndex[int] = (*MemoryIndex[int])(nil)
)
