package threading

import (
	"context"
	"time"
)

// harness plays the engine for tests: it applies decisions to a
// MemoryIndex with integer conversation keys.
type harness struct {
	idx    *MemoryIndex[int]
	th     *Threader[int]
	next   int
	merges int
	dups   int // Duplicate decisions
	// cont maps each continuation to the conversation it continues.
	cont map[int]int
}

func newHarness(opts Options) *harness {
	idx := NewMemoryIndex[int]()
	th, err := NewThreader[int](idx, opts)
	if err != nil {
		panic(err) // a test bug: MemoryIndex implements SubjectIndex
	}
	return &harness{idx: idx, th: th, next: 1, cont: map[int]int{}}
}

// deliver threads m and returns the decision and the conversation the
// message ended in.
func (h *harness) deliver(m Message) (Decision[int], int) {
	ctx := context.Background()
	d, err := h.th.Decide(ctx, m)
	if err != nil {
		panic(err) // MemoryIndex never fails
	}
	conv := d.Conversation
	switch d.Action {
	case New, Continue:
		conv = h.next
		h.next++
		if d.Action == Continue {
			h.cont[conv] = d.Conversation
		}
	}
	h.merges += len(d.Merge)
	if d.Action == Duplicate {
		h.dups++
	}
	if err := h.th.Record(ctx, m, d, conv); err != nil {
		panic(err)
	}
	return d, conv
}

// place records an explicitly placed message in a fresh conversation, or in
// conv when it is not zero.
func (h *harness) place(m Message, conv int) int {
	if conv == 0 {
		conv = h.next
		h.next++
	}
	if err := h.th.Place(context.Background(), m, conv); err != nil {
		panic(err)
	}
	return conv
}

// conv returns the current conversation of message id in scope, or 0.
func (h *harness) conv(scope Scope, id string) int {
	c, _ := h.idx.Conversation(scope, id)
	return c
}

// msg builds a message in scope with In-Reply-To irt (if not empty) and
// the given References.
func msg(scope Scope, id, irt string, refs ...string) Message {
	m := Message{Scope: scope, ID: id, References: refs}
	if irt != "" {
		m.InReplyTo = []string{irt}
	}
	return m
}

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
