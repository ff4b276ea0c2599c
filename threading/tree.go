package threading

// TreeMessage is one message of a conversation as the display tree needs
// it: its own id and the ids it names as parents.
type TreeMessage struct {
	ID         string
	InReplyTo  []string
	References []string
}

// Node is a message in the display tree: its index in the input and its
// replies, in input order.
type Node struct {
	Index    int
	Children []*Node
}

// Parents returns the reply structure of a conversation's messages: for each
// message the index of its parent among msgs, or -1 for a root. The parent
// is found as the threader finds it, among the conversation's own messages
// only: In-Reply-To ids in order, then References last to first; the first
// id naming another message of msgs wins (the first message with that id, if
// several copies share it).
//
// Reference loops of any length (A names B, B names C, C names A; a message
// naming itself) never produce a cycle: a candidate that would close one is
// skipped and the next is tried. Messages are taken in input order, so the
// result is deterministic; pass them oldest first. It runs in O(n * depth).
func Parents(msgs []TreeMessage) []int {
	first := make(map[string]int, len(msgs))
	for i, m := range msgs {
		if m.ID == "" {
			continue
		}
		if _, ok := first[m.ID]; !ok {
			first[m.ID] = i
		}
	}
	parent := make([]int, len(msgs))
	for i := range parent {
		parent[i] = -1
	}
	// closesCycle reports whether making j the parent of i would close a
	// cycle, i.e. whether i is j or an ancestor of j. The parent links
	// stay acyclic, so the walk ends.
	closesCycle := func(i, j int) bool {
		for k := j; k >= 0; k = parent[k] {
			if k == i {
				return true
			}
		}
		return false
	}
	try := func(i int, id string) bool {
		j, ok := first[id]
		if !ok || closesCycle(i, j) {
			return false
		}
		parent[i] = j
		return true
	}
	for i, m := range msgs {
		done := false
		for _, id := range m.InReplyTo {
			if done = try(i, id); done {
				break
			}
		}
		for k := len(m.References) - 1; k >= 0 && !done; k-- {
			done = try(i, m.References[k])
		}
	}
	return parent
}

// Forest returns the display tree of a conversation's messages: the roots
// in input order, each message exactly once. See [Parents] for how parents
// are chosen and why loops cannot occur.
func Forest(msgs []TreeMessage) []*Node {
	parent := Parents(msgs)
	nodes := make([]Node, len(msgs))
	var roots []*Node
	for i := range nodes {
		nodes[i].Index = i
	}
	for i, p := range parent {
		if p < 0 {
			roots = append(roots, &nodes[i])
		} else {
			nodes[p].Children = append(nodes[p].Children, &nodes[i])
		}
	}
	return roots
}
