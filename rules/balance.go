package rules

import (
	"math/rand/v2"
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
)

// Balance is what Assign user(s) needs to pick among candidates: the
// engine resolves the candidates (selected users passing every filter),
// then Pick decides.
type Balance struct {
	// Cursor is the in-turn position of the (rule, action): the last user
	// picked; zero before the first pick.
	Cursor conversation.UserID
	// Load counts each candidate's open assigned conversations, for least
	// busy first.
	Load map[conversation.UserID]int
	// Rand picks for Randomly; nil uses a source seeded by the runtime.
	Rand *rand.Rand
}

// Pick returns the users to assign among candidates by strategy, and the
// new in-turn cursor. Candidates are taken in user ID order, so the turn
// is stable as users come and go: a user who is not a candidate now is
// skipped without losing the place. No candidates assigns nobody.
func Pick(strategy Strategy, candidates []conversation.UserID, b Balance) ([]conversation.UserID, conversation.UserID) {
	cs := slices.Clone(candidates)
	slices.SortFunc(cs, conversation.UserID.Compare)
	cs = slices.Compact(cs)
	if len(cs) == 0 {
		return nil, b.Cursor
	}
	// next is the first candidate after the cursor, wrapping around.
	next := func() int {
		i, found := slices.BinarySearchFunc(cs, b.Cursor, conversation.UserID.Compare)
		if found {
			i++
		}
		if b.Cursor.IsZero() || i >= len(cs) {
			return 0
		}
		return i
	}
	switch strategy {
	case Randomly:
		var i int
		if b.Rand != nil {
			i = b.Rand.IntN(len(cs))
		} else {
			i = rand.IntN(len(cs))
		}
		return []conversation.UserID{cs[i]}, b.Cursor
	case InTurn:
		u := cs[next()]
		return []conversation.UserID{u}, u
	case LeastBusy:
		// Ties go to the first in turn order.
		start := next()
		best := start
		for k := 1; k < len(cs); k++ {
			i := (start + k) % len(cs)
			if b.Load[cs[i]] < b.Load[cs[best]] {
				best = i
			}
		}
		return []conversation.UserID{cs[best]}, cs[best]
	}
	return cs, b.Cursor
}
