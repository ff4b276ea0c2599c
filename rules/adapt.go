package rules

import "strconv"

// Dropped is an element a copy of a rule left out because the target
// scope does not offer it.
type Dropped struct {
	Path   string
	Reason string
}

// Duplicate returns a copy of r for another scope (a personal rule
// duplicated into an organization, or an imported one), with a new ID,
// and lists the conditions and actions it dropped because that scope does
// not offer them. Nothing is dropped silently.
func Duplicate(r Rule, scope Scope) (Rule, []Dropped) {
	out := r
	out.ID = NewRuleID()
	out.Scope = scope
	out.Version = 0
	out.Conditions = cloneGroup(r.Conditions)
	out.Actions = nil
	var dropped []Dropped
	for i, a := range r.Actions {
		if _, ok := a.(AssignToMe); ok && scope.Kind != Personal {
			dropped = append(dropped, Dropped{Path: "actions[" + strconv.Itoa(i) + "]",
				Reason: "assign to me works in personal rules only"})
			continue
		}
		out.Actions = append(out.Actions, a)
	}
	return out, dropped
}

func cloneGroup(g Group) Group {
	out := Group{Mode: g.Mode, Children: make([]Node, len(g.Children))}
	for i, n := range g.Children {
		if sub, ok := n.(Group); ok {
			n = cloneGroup(sub)
		}
		out.Children[i] = n
	}
	return out
}
