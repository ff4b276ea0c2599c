package threading

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

const sc = Scope("org:test")

func TestThreaderBasics(t *testing.T) {
	h := newHarness(Options{})
	d, c := h.deliver(msg(sc, "a@x", ""))
	if d.Action != New || c == 0 {
		t.Fatalf("first message: %+v", d)
	}
	d, c2 := h.deliver(msg(sc, "b@x", "a@x", "a@x"))
	if d.Action != Join || c2 != c || d.By != ByInReplyTo || d.Matched != "a@x" {
		t.Fatalf("reply: %+v in %d, want join %d by in-reply-to", d, c2, c)
	}
	d, c3 := h.deliver(msg(sc, "c@x", "", "a@x", "b@x"))
	if d.Action != Join || c3 != c || d.By != ByReferences || d.Matched != "b@x" {
		t.Fatalf("references-only reply: %+v", d)
	}
	d, _ = h.deliver(msg(sc, "a@x", ""))
	if d.Action != Duplicate || d.Conversation != c || d.By != ByMessageID {
		t.Fatalf("duplicate: %+v", d)
	}
	d, _ = h.deliver(msg(sc, "z@x", "unknown@x"))
	if d.Action != New {
		t.Fatalf("unknown parent: %+v", d)
	}
	if got := h.idx.Conversations(); got[c] != 3 {
		t.Fatalf("counts = %v, want %d:3", got, c)
	}
}

func TestThreaderNoID(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(msg(sc, "a@x", ""))
	d, c2 := h.deliver(Message{Scope: sc, InReplyTo: []string{"a@x"}})
	if d.Action != Join || c2 != c {
		t.Fatalf("reply without id: %+v", d)
	}
	d, _ = h.deliver(Message{Scope: sc})
	if d.Action != New {
		t.Fatalf("bare message: %+v", d)
	}
}

func TestThreaderParentAfterReplies(t *testing.T) {
	h := newHarness(Options{})
	_, c1 := h.deliver(msg(sc, "b@x", "a@x", "a@x"))
	// A sibling shares the missing parent: it joins without a merge.
	d, c2 := h.deliver(msg(sc, "c@x", "a@x", "a@x"))
	if d.Action != Join || c2 != c1 || d.By != ByPending {
		t.Fatalf("sibling: %+v", d)
	}
	d, c3 := h.deliver(msg(sc, "a@x", ""))
	if d.Action != Join || c3 != c1 || d.By != ByReplies || len(d.Merge) != 0 {
		t.Fatalf("parent: %+v", d)
	}
}

func TestThreaderParentMergesReplyConversations(t *testing.T) {
	h := newHarness(Options{})
	// Grandchild and child of a missing root arrive first and only name
	// their own parent: they cannot know each other.
	_, cb := h.deliver(msg(sc, "c@x", "b@x")) // c replies to b
	_, cx := h.deliver(msg(sc, "d@x", "a@x")) // d replies to a
	if cb == cx {
		t.Fatal("unrelated so far, yet joined")
	}
	// b replies to a: it proves both conversations are one thread.
	d, c := h.deliver(msg(sc, "b@x", "a@x"))
	if d.Action != Join || c != cx || !slices.Equal(d.Merge, []int{cb}) {
		t.Fatalf("connecting message: %+v (cb=%d cx=%d)", d, cb, cx)
	}
	for _, id := range []string{"b@x", "c@x", "d@x"} {
		if h.conv(sc, id) != cx {
			t.Fatalf("%s in %d, want %d", id, h.conv(sc, id), cx)
		}
	}
	// After the merge, replies to the merged conversation's messages land
	// in the target.
	d, c = h.deliver(msg(sc, "e@x", "c@x"))
	if d.Action != Join || c != cx {
		t.Fatalf("reply after merge: %+v", d)
	}
	if got := h.idx.Conversations(); len(got) != 1 || got[cx] != 4 {
		t.Fatalf("conversations = %v", got)
	}
}

func TestThreaderScopes(t *testing.T) {
	h := newHarness(Options{})
	p1, p2 := PersonalScope("org", "acc1"), PersonalScope("org", "acc2")
	_, c1 := h.deliver(msg(p1, "a@x", ""))
	d, c2 := h.deliver(msg(p2, "a@x", ""))
	if d.Action != New || c1 == c2 {
		t.Fatalf("same id in another scope: %+v", d)
	}
	d, c3 := h.deliver(msg(p2, "b@x", "a@x"))
	if d.Action != Join || c3 != c2 {
		t.Fatalf("reply in scope 2 joined %d, want %d", c3, c2)
	}
	// Pending ids do not leak across scopes either.
	_, w1 := h.deliver(msg(p1, "r1@x", "ghost@x"))
	d, w2 := h.deliver(msg(p2, "r2@x", "ghost@x"))
	if d.Action != New || w1 == w2 {
		t.Fatalf("pending id leaked across scopes: %+v", d)
	}
}

func TestThreaderCap(t *testing.T) {
	h := newHarness(Options{MaxMessages: 3})
	_, c := h.deliver(msg(sc, "m0@x", ""))
	h.deliver(msg(sc, "m1@x", "m0@x"))
	h.deliver(msg(sc, "m2@x", "m1@x"))
	d, c2 := h.deliver(msg(sc, "m3@x", "m2@x"))
	if d.Action != Continue || d.Conversation != c || c2 == c {
		t.Fatalf("fourth message: %+v", d)
	}
	// Later replies into the full conversation go to its continuation.
	d, c3 := h.deliver(msg(sc, "m4@x", "m0@x"))
	if d.Action != Join || c3 != c2 {
		t.Fatalf("reply to full conversation: %+v in %d, want %d", d, c3, c2)
	}
	h.deliver(msg(sc, "m5@x", "m4@x"))
	d, c4 := h.deliver(msg(sc, "m6@x", "m1@x"))
	if d.Action != Continue || d.Conversation != c2 || h.cont[c4] != c2 {
		t.Fatalf("second continuation: %+v", d)
	}
	if n, _ := h.idx.Count(context.Background(), c); n != 3 {
		t.Fatalf("full conversation count = %d, want 3", n)
	}
}

func TestThreaderUncapped(t *testing.T) {
	h := newHarness(Options{MaxMessages: -1})
	h.deliver(msg(sc, "m0", ""))
	for i := 1; i < 1000; i++ {
		d, _ := h.deliver(msg(sc, fmt.Sprint("m", i), fmt.Sprint("m", i-1)))
		if d.Action != Join {
			t.Fatalf("message %d: %+v", i, d)
		}
	}
}

func TestThreaderMergeRespectsCap(t *testing.T) {
	h := newHarness(Options{MaxMessages: 4})
	// Two conversations of two messages each wait for the missing "p".
	h.deliver(msg(sc, "a1", "p"))
	h.deliver(msg(sc, "a2", "a1"))
	h.deliver(msg(sc, "b1", "x"))
	h.deliver(msg(sc, "b2", "b1"))
	// "x" replies to "p": 2 + 2 + 1 would exceed 4, so no merge.
	d, _ := h.deliver(msg(sc, "x", "p"))
	if d.Action != Join || len(d.Merge) != 0 {
		t.Fatalf("merge beyond the cap proposed: %+v", d)
	}
}

func TestThreaderKnownParentsNeverMerge(t *testing.T) {
	h := newHarness(Options{})
	_, c1 := h.deliver(msg(sc, "a", ""))
	_, c2 := h.deliver(msg(sc, "b", ""))
	d, c := h.deliver(Message{Scope: sc, ID: "r", InReplyTo: []string{"b"}, References: []string{"a", "b"}})
	if d.Action != Join || c != c2 || len(d.Merge) != 0 {
		t.Fatalf("reply naming two known conversations: %+v (c1=%d)", d, c1)
	}
}

func TestThreaderMaxReferences(t *testing.T) {
	h := newHarness(Options{MaxReferences: 2})
	_, root := h.deliver(msg(sc, "root", ""))
	_, mid := h.deliver(msg(sc, "mid", ""))
	// Beyond the bound only the root (the first References id) is
	// consulted (issue 10 point 3): "mid" is not, "root" is.
	d, c := h.deliver(msg(sc, "r", "", "root", "mid", "u1", "u2"))
	if d.Action != Join || c != root || d.Matched != "root" {
		t.Fatalf("root beyond MaxReferences not consulted (mid=%d): %+v in %d", mid, d, c)
	}
	d, c = h.deliver(msg(sc, "s", "", "u1", "root"))
	if d.Action != Join || c != root {
		t.Fatalf("nearest references not consulted: %+v", d)
	}
}

func TestThreaderIgnoresSyntheticAndSelfReferences(t *testing.T) {
	h := newHarness(Options{})
	syn := SynthesizeID(SynthInput{Subject: "x"})
	_, c := h.deliver(msg(sc, syn, ""))
	d, _ := h.deliver(msg(sc, "b", syn))
	if d.Action != New {
		t.Fatalf("synthetic id used as a parent: %+v", d)
	}
	d, _ = h.deliver(msg(sc, syn, ""))
	if d.Action != Duplicate || d.Conversation != c {
		t.Fatalf("synthetic id not deduplicated: %+v", d)
	}
	d, _ = h.deliver(msg(sc, "self", "self", "self"))
	if d.Action != New {
		t.Fatalf("self reference: %+v", d)
	}
}

func TestThreaderSubjectFallback(t *testing.T) {
	if _, err := NewThreader[int](onlyIndex{NewMemoryIndex[int]()}, Options{SubjectWindow: time.Hour}); !errors.Is(err, ErrNoSubjectIndex) {
		t.Fatalf("NewThreader without SubjectIndex: %v", err)
	}
	h := newHarness(Options{SubjectWindow: DefaultSubjectWindow})
	_, c := h.deliver(Message{Scope: sc, ID: "a", Subject: "Invoice 42", Date: t0})
	d, c2 := h.deliver(Message{Scope: sc, ID: "b", Subject: "RE: invoice  42", Date: t0.Add(48 * time.Hour)})
	if d.Action != Join || c2 != c || d.By != BySubject {
		t.Fatalf("subject match within window: %+v", d)
	}
	d, _ = h.deliver(Message{Scope: sc, ID: "c", Subject: "Invoice 42", Date: t0.Add(48*time.Hour + DefaultSubjectWindow + time.Second)})
	if d.Action != New {
		t.Fatalf("subject match outside window: %+v", d)
	}
	d, _ = h.deliver(Message{Scope: PersonalScope("o", "a"), ID: "d", Subject: "Invoice 42", Date: t0})
	if d.Action != New {
		t.Fatalf("subject match across scopes: %+v", d)
	}
	d, _ = h.deliver(Message{Scope: sc, ID: "e", Subject: "Invoice 42"})
	if d.Action != New {
		t.Fatalf("subject match without a date: %+v", d)
	}
	// Header evidence wins over the subject.
	_, other := h.deliver(Message{Scope: sc, ID: "f", Subject: "Other", Date: t0})
	d, c3 := h.deliver(Message{Scope: sc, ID: "g", InReplyTo: []string{"f"}, Subject: "Invoice 42", Date: t0})
	if d.Action != Join || c3 != other {
		t.Fatalf("subject beat headers: %+v", d)
	}
}

func TestThreaderPlaceAndMoved(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(msg(sc, "m1", ""))
	h.place(msg(sc, "out1", "m1"), c)
	d, c2 := h.deliver(msg(sc, "r1", "out1"))
	if d.Action != Join || c2 != c {
		t.Fatalf("reply to placed message: %+v", d)
	}
	if err := h.th.Moved(context.Background(), sc, "r1", 99); err != nil {
		t.Fatal(err)
	}
	d, c3 := h.deliver(msg(sc, "r2", "r1"))
	if d.Action != Join || c3 != 99 {
		t.Fatalf("reply to moved message: %+v", d)
	}
	if got := h.idx.Conversations(); got[c] != 2 || got[99] != 2 {
		t.Fatalf("counts after move = %v", got)
	}
}

func TestThreaderIndexErrors(t *testing.T) {
	boom := errors.New("boom")
	th, err := NewThreader[int](failingIndex{boom}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := th.Decide(context.Background(), msg(sc, "a", "b")); !errors.Is(err, boom) {
		t.Fatalf("Decide error = %v", err)
	}
	if err := th.Record(context.Background(), msg(sc, "a", "b"), Decision[int]{Action: New}, 1); !errors.Is(err, boom) {
		t.Fatalf("Record error = %v", err)
	}
}

func TestThreaderRedirectLoop(t *testing.T) {
	idx := loopIndex{NewMemoryIndex[int]()}
	th, _ := NewThreader[int](idx, Options{})
	ctx := context.Background()
	_ = idx.PutMessage(ctx, sc, "a", 1)
	if _, err := th.Decide(ctx, msg(sc, "b", "a")); !errors.Is(err, ErrRedirectLoop) {
		t.Fatalf("redirect loop: %v", err)
	}
}

func TestActionAndReasonStrings(t *testing.T) {
	for a := range Action(6) {
		if a.String() == "" {
			t.Error("empty action name")
		}
	}
	for r := range Reason(8) {
		if r.String() == "" {
			t.Error("empty reason name")
		}
	}
}

// onlyIndex hides the SubjectIndex methods of the wrapped index.
type onlyIndex struct{ Index[int] }

// failingIndex fails every call.
type failingIndex struct{ err error }

func (f failingIndex) Lookup(context.Context, Scope, string) (Entry[int], error) {
	return Entry[int]{}, f.err
}
func (f failingIndex) MergedInto(context.Context, int) (int, bool, error)  { return 0, false, f.err }
func (f failingIndex) ContinuedIn(context.Context, int) (int, bool, error) { return 0, false, f.err }
func (f failingIndex) Count(context.Context, int) (int, error)             { return 0, f.err }
func (f failingIndex) PutMessage(context.Context, Scope, string, int) error {
	return f.err
}
func (f failingIndex) AddWaiting(context.Context, Scope, string, int) error { return f.err }
func (f failingIndex) PutMerge(context.Context, int, int) error             { return f.err }
func (f failingIndex) PutContinuation(context.Context, int, int) error      { return f.err }

// loopIndex claims every conversation was merged into the next one.
type loopIndex struct{ *MemoryIndex[int] }

func (loopIndex) MergedInto(_ context.Context, c int) (int, bool, error) { return c + 1, true, nil }
