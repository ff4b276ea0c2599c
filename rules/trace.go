package rules

import (
	"fmt"
	"strings"
)

// skip records a node (and its children) as not evaluated.
func (e *eval) skip(n *cnode, path string) {
	e.step(path, NotEvaluated, "")
	for i := range n.children {
		e.skip(&n.children[i], path+"."+n.mode.String()+"["+itoa(i)+"]")
	}
}

func groupWhy(m Mode, n int, res bool) string {
	switch {
	case n == 0 && m == Any:
		return "an empty any group never matches"
	case n == 0:
		return "an empty " + m.String() + " group always matches"
	case m == All && res:
		return "every condition matched"
	case m == All:
		return "a condition did not match"
	case m == Any && res:
		return "a condition matched"
	case m == Any:
		return "no condition matched"
	case m == None && res:
		return "no condition matched"
	}
	return "a condition matched"
}

func (e *eval) traceText(c *Condition, path string, v bool) {
	r := False
	if v {
		r = True
	}
	var vals []string
	sl, _ := slotOf(c.Field)
	sources(e.f, 1<<sl, func(s source) { vals = append(vals, s.text) })
	pos, neg := c.Op.negative()
	var hit string
	found := false
	for _, val := range vals {
		if textOp(pos, fold(val), fold(c.Text)) {
			hit, found = val, true
			break
		}
	}
	var why string
	switch {
	case found:
		why = fmt.Sprintf("%s %q %s %q", c.Field, clip(hit), pos, c.Text)
	case len(vals) == 1:
		why = fmt.Sprintf("%s %q: not %s %q", c.Field, clip(vals[0]), pos, c.Text)
	default:
		why = fmt.Sprintf("none of %d %s values %s %q", len(vals), c.Field, pos, c.Text)
	}
	if neg {
		why += ", so " + c.Op.String() + " is " + r.String()
	}
	e.step(path, r, why)
}

// textOp applies a positive text operator to folded strings.
func textOp(op Operator, val, lit string) bool {
	switch op {
	case Is:
		return val == lit
	case Contains:
		return strings.Contains(val, lit)
	case StartsWith:
		return strings.HasPrefix(val, lit)
	case EndsWith:
		return strings.HasSuffix(val, lit)
	}
	return false
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
