package threading

import (
	"context"
	"testing"
)

// Room applies the cap of Decide to explicit placement: the named
// conversation while it has room, then its continuation, then a new one.
func TestRoomFollowsTheCap(t *testing.T) {
	ctx := context.Background()
	h := newHarness(Options{MaxMessages: 2})
	_, c := h.deliver(msg(sc, "a@x", ""))
	room := func() Decision[int] {
		t.Helper()
		d, err := h.th.Room(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := room(); d.Action != Join || d.Conversation != c {
		t.Fatalf("room with space: %+v, want join %d", d, c)
	}
	h.place(msg(sc, "b@x", "a@x"), c)
	d := room()
	if d.Action != Continue || d.Conversation != c {
		t.Fatalf("room when full: %+v, want continue %d", d, c)
	}
	next := h.next
	h.next++
	if err := h.th.Record(ctx, msg(sc, "c@x", "b@x"), d, next); err != nil {
		t.Fatal(err)
	}
	if d := room(); d.Action != Join || d.Conversation != next {
		t.Fatalf("room after continuation: %+v, want join %d", d, next)
	}
	// Decide agrees: a reply to the full conversation joins the continuation.
	if d, got := h.deliver(msg(sc, "d@x", "a@x")); d.Action != Join || got != next {
		t.Fatalf("decide after continuation: %+v in %d, want join %d", d, got, next)
	}
}
