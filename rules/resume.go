package rules

import "context"

// Resume continues a pending run at its time: for a delay, the conditions
// after the checkpoint are evaluated against f, the state now; for a
// watch, the actions run if the conversation is still open and unreplied
// (f.Replied false) or unassigned. A rule deleted or disabled since is
// not run (NotCandidate says so).
func (s *Set) Resume(ctx context.Context, p Pending, f *Facts, opt Options) Run {
	c, ok := s.byID[p.Rule]
	if !ok {
		return Run{Rule: p.Rule, NotCandidate: "the rule no longer exists"}
	}
	if !c.rule.Enabled {
		return Run{Rule: p.Rule, Version: c.rule.Version, Description: c.rule.Description, NotCandidate: "the rule is disabled"}
	}
	e := s.newEval(ctx, f, opt.Trace)
	defer s.pool.Put(e.sc)
	switch p.Kind {
	case WaitDelay:
		if delaysOf(c) < p.Checkpoint {
			return Run{Rule: p.Rule, Version: c.rule.Version, Description: c.rule.Description,
				NotCandidate: "the rule was changed and no longer has the delay this run waited for"}
		}
		return e.rule(c, p.Checkpoint)
	case WaitUnreplied, WaitUnassigned:
		run := e.start(c)
		conv := f.Conversation
		switch {
		case conv == nil || conv.Closed || conv.Trashed:
			run.Trace = append(run.Trace, Step{Path: "conditions", Result: False, Why: "the conversation is no longer open"})
		case p.Kind == WaitUnreplied && f.Replied:
			run.Trace = append(run.Trace, Step{Path: "conditions", Result: False, Why: "the conversation was replied to"})
		case p.Kind == WaitUnassigned && len(conv.Assignees) > 0:
			run.Trace = append(run.Trace, Step{Path: "conditions", Result: False, Why: "the conversation was assigned"})
		default:
			run.Matched = true
			e.plan(c, &run)
		}
		if !opt.Trace {
			run.Trace = nil
		}
		return run
	}
	return Run{Rule: p.Rule, NotCandidate: "unknown pending kind"}
}

// delaysOf counts the delays of a compiled rule's top-level group.
func delaysOf(c *compiled) int {
	n := 0
	for i := range c.root.children {
		if c.root.children[i].delay != nil {
			n++
		}
	}
	return n
}

// Explain evaluates one rule on the event of f as the set would, and
// returns each condition's value and why, and the actions it would run.
// It has no side effects beyond the AI prompts the rule asks.
func Explain(ctx context.Context, r Rule, f *Facts) Run {
	s := Compile([]Rule{r})
	if err := s.Invalid[r.ID]; err != nil {
		return Run{Rule: r.ID, Version: r.Version, Description: r.Description, NotCandidate: err.Error()}
	}
	c := s.rules[0]
	e := s.newEval(ctx, f, true)
	defer s.pool.Put(e.sc)
	run := e.rule(c, 0)
	key, why := eventKey(f)
	switch {
	case why != "":
		run.NotCandidate = why
	case !r.Enabled:
		run.NotCandidate = "the rule is disabled"
	case key.scope != c.key.scope:
		run.NotCandidate = scopeMismatch(c.key.scope)
	case key.typ != c.key.typ:
		run.NotCandidate = "the rule is for " + typeName(r.Type) + " events"
	case key.channel != c.key.channel:
		run.NotCandidate = "the rule is for another channel"
	}
	return run
}

func scopeMismatch(sc Scope) string {
	if sc.Kind == Personal {
		return "a personal rule runs on its owner's private conversations only"
	}
	return "an organization rule runs on conversations shared with its organization only"
}

// DryRun evaluates the set over past events with traces, as Evaluate
// would have then, and changes nothing: the decisions are only returned.
// AI prompts are asked only of the AI the facts carry, so a host that
// leaves Facts.AI nil (or sets a test double) spends nothing.
func (s *Set) DryRun(ctx context.Context, events []*Facts) []Decision {
	out := make([]Decision, len(events))
	for i, f := range events {
		out[i] = s.Evaluate(ctx, f, Options{Trace: true})
	}
	return out
}
