package threading

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// Header shapes the order-independence property is checked for.
const (
	shapeFull          = iota // In-Reply-To = parent, References = full chain
	shapeRefsOnly             // References = full chain, no In-Reply-To
	shapeTruncated            // In-Reply-To = parent, References = last k ancestors
	shapeTruncatedOnly        // References = last k ancestors, no In-Reply-To
	shapeRootAndLast          // In-Reply-To = parent, References = root + last k (RFC 5322 trimming)
	shapeIRTOnly              // In-Reply-To = parent, no References
	shapeCount
)

// forest is a random set of reply trees: parent[i] is the index of message
// i's parent, or -1 for a root. Parents precede children.
type forest struct {
	parent []int
}

func (f forest) id(i int) string { return fmt.Sprintf("m%d@example.org", i) }

// chain returns the ancestors of i, root first.
func (f forest) chain(i int) []int {
	var c []int
	for p := f.parent[i]; p >= 0; p = f.parent[p] {
		c = append(c, p)
	}
	slices.Reverse(c)
	return c
}

// message builds message i's headers in the given shape; k is the
// truncation length (at least 1).
func (f forest) message(i, shape, k int) Message {
	m := Message{Scope: sc, ID: f.id(i)}
	anc := f.chain(i)
	if len(anc) == 0 {
		return m
	}
	ids := func(idx []int) []string {
		out := make([]string, len(idx))
		for j, a := range idx {
			out[j] = f.id(a)
		}
		return out
	}
	parent := []string{f.id(f.parent[i])}
	last := anc[max(0, len(anc)-k):]
	switch shape {
	case shapeFull:
		m.InReplyTo, m.References = parent, ids(anc)
	case shapeRefsOnly:
		m.References = ids(anc)
	case shapeTruncated:
		m.InReplyTo, m.References = parent, ids(last)
	case shapeTruncatedOnly:
		m.References = ids(last)
	case shapeRootAndLast:
		refs := ids(last)
		if anc[0] != last[0] {
			refs = append([]string{f.id(anc[0])}, refs...)
		}
		m.InReplyTo, m.References = parent, refs
	case shapeIRTOnly:
		m.InReplyTo = parent
	}
	return m
}

func drawForest(t *rapid.T) forest {
	n := rapid.IntRange(1, 40).Draw(t, "messages")
	f := forest{parent: make([]int, n)}
	for i := range n {
		if i == 0 || rapid.IntRange(0, 9).Draw(t, "root?") == 0 {
			f.parent[i] = -1
		} else {
			// Mostly recent parents, for deep threads.
			lo := max(0, i-rapid.IntRange(1, 8).Draw(t, "span"))
			f.parent[i] = rapid.IntRange(lo, i-1).Draw(t, "parent")
		}
	}
	return f
}

// components returns, for the delivered messages, the connected components
// of the graph whose nodes are message and referenced ids and whose edges
// join each delivered message to every id it names. It returns each
// message's component representative.
func components(msgs []Message) map[string]string {
	uf := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := uf[x]
		if !ok || p == x {
			uf[x] = x
			return x
		}
		r := find(p)
		uf[x] = r
		return r
	}
	for _, m := range msgs {
		for _, r := range append(slices.Clone(m.InReplyTo), m.References...) {
			a, b := find(m.ID), find(r)
			if a != b {
				uf[a] = b
			}
		}
		find(m.ID)
	}
	out := map[string]string{}
	for _, m := range msgs {
		out[m.ID] = find(m.ID)
	}
	return out
}

// samePartition reports whether two labelings group the keys alike.
func samePartition[A, B comparable](x map[string]A, y map[string]B) bool {
	if len(x) != len(y) {
		return false
	}
	xy, yx := map[A]B{}, map[B]A{}
	for k, a := range x {
		b, ok := y[k]
		if !ok {
			return false
		}
		if prev, ok := xy[a]; ok && prev != b {
			return false
		}
		if prev, ok := yx[b]; ok && prev != a {
			return false
		}
		xy[a], yx[b] = b, a
	}
	return true
}

// TestOrderIndependence checks that, for random reply forests, header
// shapes and delivery orders (with missing messages and duplicate
// deliveries), the final partition of messages into conversations, after
// applying the merge decisions, is the connected components of the
// reference graph: for a complete delivery, exactly the trees.
func TestOrderIndependence(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := drawForest(t)
		shape := rapid.IntRange(0, shapeCount-1).Draw(t, "shape")
		ghosts := rapid.Bool().Draw(t, "ghosts")
		globalK := rapid.IntRange(1, 5).Draw(t, "k")

		var msgs []Message
		for i := range f.parent {
			if ghosts && rapid.IntRange(0, 3).Draw(t, "ghost?") == 0 {
				continue
			}
			k := globalK
			if !ghosts {
				// Without missing messages every client may truncate
				// differently; with them, one policy (see the report).
				k = rapid.IntRange(1, 5).Draw(t, "k_i")
			}
			msgs = append(msgs, f.message(i, shape, k))
		}
		if len(msgs) == 0 {
			return
		}
		order := rapid.Permutation(msgs).Draw(t, "order")
		// Duplicate deliveries: a few messages arrive again later.
		for range rapid.IntRange(0, 3).Draw(t, "dups") {
			i := rapid.IntRange(0, len(order)-1).Draw(t, "dup")
			j := rapid.IntRange(i, len(order)).Draw(t, "dup-at")
			order = slices.Insert(order, j, order[i])
		}

		h := newHarness(Options{})
		for _, m := range order {
			h.deliver(m)
		}
		got := map[string]int{}
		for _, m := range msgs {
			c := h.conv(sc, m.ID)
			if c == 0 {
				t.Fatalf("%s landed in no conversation", m.ID)
			}
			got[m.ID] = c
		}
		want := components(msgs)
		if !samePartition(got, want) {
			t.Fatalf("partition %v\nwant components %v", got, want)
		}
		// Every message is counted once, in its live conversation.
		total := 0
		for c, n := range h.idx.Conversations() {
			total += n
			if !slices.Contains(slices.Collect(maps.Values(got)), c) {
				t.Fatalf("conversation %d holds %d messages but none of ours", c, n)
			}
		}
		if total != len(msgs) {
			t.Fatalf("counts add up to %d, want %d", total, len(msgs))
		}

		// The same order gives the same decisions: deterministic.
		h2 := newHarness(Options{})
		h3 := newHarness(Options{})
		for _, m := range order {
			d2, c2 := h2.deliver(m)
			d3, c3 := h3.deliver(m)
			if c2 != c3 || d2.Action != d3.Action || !slices.Equal(d2.Merge, d3.Merge) {
				t.Fatalf("same input, different decisions: %+v vs %+v", d2, d3)
			}
		}
	})
}
