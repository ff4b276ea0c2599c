package threading

import (
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
