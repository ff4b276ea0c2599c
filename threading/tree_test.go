package threading

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func tm(id string, irt string, refs ...string) TreeMessage {
	m := TreeMessage{ID: id, References: refs}
	if irt != "" {
		m.InReplyTo = []string{irt}
	}
	return m
}

func TestParents(t *testing.T) {
	tests := []struct {
		name string
		msgs []TreeMessage
		want []int
	}{
		{"empty", nil, []int{}},
		{"single", []TreeMessage{tm("a", "")}, []int{-1}},
		{"chain", []TreeMessage{tm("a", ""), tm("b", "a"), tm("c", "b", "a", "b")}, []int{-1, 0, 1}},
		{"references only", []TreeMessage{tm("a", ""), tm("b", "", "a"), tm("c", "", "a", "b")}, []int{-1, 0, 1}},
		{"in-reply-to wins over references", []TreeMessage{tm("a", ""), tm("b", "a"), tm("c", "a", "a", "b")}, []int{-1, 0, 0}},
		{"unknown parent falls back", []TreeMessage{tm("a", ""), tm("c", "zz", "a", "yy")}, []int{-1, 0}},
		{"reply before parent", []TreeMessage{tm("b", "a"), tm("a", "")}, []int{1, -1}},
		{"self reference", []TreeMessage{tm("a", "a", "a")}, []int{-1}},
		{"two-loop", []TreeMessage{tm("a", "b"), tm("b", "a")}, []int{1, -1}},
		{"three-loop", []TreeMessage{tm("a", "b"), tm("b", "c"), tm("c", "a")}, []int{1, 2, -1}},
		{"loop with way out", []TreeMessage{tm("r", ""), tm("a", "b", "r"), tm("b", "a", "r")}, []int{-1, 2, 0}},
		{"duplicate ids", []TreeMessage{tm("a", ""), tm("a", ""), tm("b", "a")}, []int{-1, -1, 0}},
		{"empty ids", []TreeMessage{tm("", ""), tm("", "")}, []int{-1, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parents(tt.msgs)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Parents = %v, want %v", got, tt.want)
			}
			checkForest(t, tt.msgs)
		})
	}
}

// fataler is what both *testing.T and *rapid.T offer.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// checkForest asserts that Forest is a forest holding every message once.
func checkForest(t fataler, msgs []TreeMessage) {
	t.Helper()
	seen := make([]int, len(msgs))
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if depth > len(msgs) {
			t.Fatalf("tree deeper than the message count: loop")
		}
		seen[n.Index]++
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	for _, r := range Forest(msgs) {
		walk(r, 0)
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("message %d appears %d times", i, n)
		}
	}
}

// TestForestRandomLoops throws random, loop-ridden reference graphs at the
// tree builder.
func TestForestRandomLoops(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 30).Draw(t, "n")
		ids := rapid.IntRange(1, 10).Draw(t, "ids") // few ids: collisions and loops
		msgs := make([]TreeMessage, n)
		for i := range msgs {
			id := func(label string) string { return fmt.Sprint("m", rapid.IntRange(0, ids).Draw(t, label)) }
			msgs[i].ID = id("id")
			for range rapid.IntRange(0, 2).Draw(t, "irt") {
				msgs[i].InReplyTo = append(msgs[i].InReplyTo, id("irt-id"))
			}
			for range rapid.IntRange(0, 4).Draw(t, "refs") {
				msgs[i].References = append(msgs[i].References, id("ref-id"))
			}
		}
		checkForest(t, msgs)
		parent := Parents(msgs)
		for i, p := range parent {
			if p == i {
				t.Fatalf("message %d is its own parent", i)
			}
		}
	})
}

func TestForestLongLoop(t *testing.T) {
	const n = 1000
	msgs := make([]TreeMessage, n)
	for i := range msgs {
		msgs[i] = tm(fmt.Sprint(i), fmt.Sprint((i+1)%n))
	}
	checkForest(t, msgs)
	roots := Forest(msgs)
	if len(roots) != 1 {
		t.Fatalf("a single loop of %d gives %d roots, want 1", n, len(roots))
	}
}
