package threading

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// Issue 10 point 3: a reply whose References hold the thread root plus
// 150 ids never seen, with In-Reply-To the last unknown one, joins the
// root's conversation: the first References id (the root) and the
// In-Reply-To ids are looked up whatever MaxReferences says.
func TestDefect10_3_LongReferencesKeepRoot(t *testing.T) {
	for _, bound := range []int{0, 1, 2, 16} {
		t.Run(fmt.Sprintf("MaxReferences=%d", bound), func(t *testing.T) {
			h := newHarness(Options{MaxReferences: bound})
			_, root := h.deliver(msg(sc, "root@x", ""))
			refs := []string{"root@x"}
			for i := range 150 {
				refs = append(refs, fmt.Sprintf("unknown%d@x", i))
			}
			last := refs[len(refs)-1]
			d, c := h.deliver(msg(sc, "reply@x", last, refs...))
			if d.Action != Join || c != root || d.Matched != "root@x" || d.By != ByReferences {
				t.Fatalf("reply with 150 unknown references: %+v in %d, want join %d by the root", d, c, root)
			}
			// A later reply to the unknown In-Reply-To id finds the
			// conversation through the waiting list.
			d, c = h.deliver(msg(sc, "sibling@x", last, last))
			if d.Action != Join || c != root {
				t.Fatalf("sibling: %+v in %d, want join %d", d, c, root)
			}
		})
	}
}

// aud returns m with audience a.
func aud(m Message, a string) Message {
	m.Audience = a
	return m
}

// Issue 10 point 1 in the threader: joins and merges that rest on a parent
// nobody has seen, and the subject fallback, stay within one audience;
// joins through a known parent do not look at audiences.
func TestDefect10_1_ThreaderAudience(t *testing.T) {
	t.Run("waiting parent", func(t *testing.T) {
		h := newHarness(Options{})
		_, ca := h.deliver(aud(msg(sc, "a1", "root", "root"), "A"))
		d, cb := h.deliver(aud(msg(sc, "b1", "root", "root"), "B"))
		if d.Action != New || cb == ca {
			t.Fatalf("reply of audience B joined audience A's: %+v", d)
		}
		d, c := h.deliver(aud(msg(sc, "a2", "root", "root"), "A"))
		if d.Action != Join || c != ca || d.By != ByPending {
			t.Fatalf("same audience: %+v in %d, want join %d", d, c, ca)
		}
		// The parent arrives with audience A: it gathers A's replies only.
		d, c = h.deliver(aud(msg(sc, "root", ""), "A"))
		if d.Action != Join || c != ca || len(d.Merge) != 0 {
			t.Fatalf("parent: %+v in %d, want join %d without merges", d, c, ca)
		}
		if h.conv(sc, "b1") != cb {
			t.Fatalf("audience B's reply moved")
		}
	})
	t.Run("merge into a known parent's conversation", func(t *testing.T) {
		h := newHarness(Options{})
		_, ck := h.deliver(aud(msg(sc, "k", ""), "B"))
		_, cw := h.deliver(aud(msg(sc, "w", "p", "p"), "A"))
		// p (audience A) replies to k (audience B, known): it joins k's
		// conversation, but A's early reply w is not merged into it.
		d, c := h.deliver(aud(msg(sc, "p", "k", "k"), "A"))
		if d.Action != Join || c != ck || len(d.Merge) != 0 {
			t.Fatalf("known parent: %+v in %d, want join %d without merges (w in %d)", d, c, ck, cw)
		}
		if cw == ck || h.conv(sc, "w") != cw {
			t.Fatalf("the early reply moved: w in %d, k in %d", h.conv(sc, "w"), ck)
		}
		// k's conversation holds two audiences now: it gathers no early
		// replies any more, even of B.
		_, cv := h.deliver(aud(msg(sc, "v", "q", "q"), "B"))
		if d, _ = h.deliver(aud(msg(sc, "q", "k", "k"), "B")); len(d.Merge) != 0 || h.conv(sc, "v") != cv {
			t.Fatalf("merged into a conversation of two audiences: %+v", d)
		}
		// In one audience the parent still gathers its early replies.
		_, ck2 := h.deliver(aud(msg(sc, "k2", ""), "B"))
		_, cv = h.deliver(aud(msg(sc, "v2", "q2", "q2"), "B"))
		d, c = h.deliver(aud(msg(sc, "q2", "k2", "k2"), "B"))
		if d.Action != Join || c != ck2 || len(d.Merge) != 1 || d.Merge[0] != cv {
			t.Fatalf("same audience: %+v in %d, want join %d merging %d", d, c, ck2, cv)
		}
	})
	t.Run("mixed conversation", func(t *testing.T) {
		h := newHarness(Options{})
		_, c1 := h.deliver(aud(msg(sc, "a1", "root", "root"), "A"))
		// b1 (audience B) replies to a1, known: it joins, and the
		// conversation holds two audiences.
		if _, c := h.deliver(aud(msg(sc, "b1", "a1", "root", "a1"), "B")); c != c1 {
			t.Fatalf("known parent not followed")
		}
		d, c := h.deliver(aud(msg(sc, "a2", "root", "root"), "A"))
		if d.Action != New || c == c1 {
			t.Fatalf("joined a conversation of two audiences by a waiting parent: %+v", d)
		}
	})
	t.Run("subject", func(t *testing.T) {
		h := newHarness(Options{SubjectWindow: DefaultSubjectWindow})
		m := func(id, a string) Message {
			return Message{Scope: sc, ID: id, Subject: "Question", Date: t0, Audience: a}
		}
		_, ca := h.deliver(m("s1", "A"))
		if d, c := h.deliver(m("s2", "B")); d.Action != New || c == ca {
			t.Fatalf("subject fallback across audiences: %+v", d)
		}
		if d, c := h.deliver(m("s3", "A")); d.Action != Join || c != ca || d.By != BySubject {
			t.Fatalf("subject fallback within one audience: %+v in %d", d, c)
		}
	})
	t.Run("index without audiences", func(t *testing.T) {
		th, err := NewThreader[int](noAudienceIndex{NewMemoryIndex[int]()}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := th.Decide(context.Background(), aud(msg(sc, "a", ""), "A")); !errors.Is(err, ErrNoAudienceIndex) {
			t.Fatalf("Decide = %v, want ErrNoAudienceIndex", err)
		}
		if _, err := th.Decide(context.Background(), msg(sc, "a", "")); err != nil {
			t.Fatalf("no audience: %v", err)
		}
	})
}

// noAudienceIndex hides the AudienceIndex of a MemoryIndex.
type noAudienceIndex struct{ Index[int] }
