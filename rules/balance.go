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

// Sets answers the assignment filters for one event: the users each
// filter keeps (for TeamActiveMembers and TeamObservers, of the team
// given). Everyone is the organization's users, the candidates when an
// action selects nobody.
type Sets struct {
	Everyone []conversation.UserID
	Filter   func(kind FilterKind, team conversation.TeamID) []conversation.UserID
}

// Candidates returns the users Assign user(s) may pick: the selected users
// (everyone, when none is selected) that pass every filter, a negated
// filter keeping those it would drop. The result is sorted.
func Candidates(a AssignUsers, s Sets) []conversation.UserID {
	base := a.Users
	if len(base) == 0 {
		base = s.Everyone
	}
	out := slices.Clone(base)
	slices.SortFunc(out, conversation.UserID.Compare)
	out = slices.Compact(out)
	for _, f := range a.Filters {
		var keep []conversation.UserID
		if s.Filter != nil {
			keep = s.Filter(f.Kind, f.Team)
		}
		out = slices.DeleteFunc(out, func(u conversation.UserID) bool {
			return slices.Contains(keep, u) == f.Negate
		})
	}
	return out
}
