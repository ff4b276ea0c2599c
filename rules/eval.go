package rules

import (
	"context"
	"fmt"
	"time"
)

// DefaultMaxRuns is the default fuse on the rules evaluated for one event.
const DefaultMaxRuns = 1000

// Options tune an evaluation. The zero value is ready to use.
type Options struct {
	// Trace records every condition's value and why, and lists the
	// candidate rules that did not match too.
	Trace bool
	// MaxRuns is the fuse: at most this many rules are evaluated for one
	// event (DefaultMaxRuns when zero).
	MaxRuns int
}

// Result is the value of one condition node.
type Result uint8

// The results.
const (
	// NotEvaluated: an earlier sibling already decided the group.
	NotEvaluated Result = iota
	False
	True
	// Deferred: a watch or a condition after a delay, decided later.
	Deferred
)

var resultNames = [...]string{NotEvaluated: "not evaluated", False: "false", True: "true", Deferred: "deferred"}

// String returns the result's name.
func (r Result) String() string { return resultNames[r] }

// Step is one condition node of a trace.
type Step struct {
	// Path names the node as validation errors do: "conditions[1].any[0]".
	Path   string
	Result Result
	// Why explains the result in plain words.
	Why string
}

// PendingKind says what a pending run waits for.
type PendingKind uint8

// The pending kinds.
const (
	// WaitDelay: a Delay checkpoint; evaluate the rest with [Set.Resume].
	WaitDelay PendingKind = iota + 1
	// WaitUnreplied: run the actions at At if the conversation is still
	// open and unreplied.
	WaitUnreplied
	// WaitUnassigned: run the actions at At if the conversation is still
	// open and unassigned.
	WaitUnassigned
)

// Pending is the continuation of a rule whose conditions so far hold but
// that waits: the engine schedules it and calls [Set.Resume] at At.
type Pending struct {
	Kind PendingKind
	Rule RuleID
	// Version is the rule's version when the wait started; Resume uses the
	// rule as it is then, and cancels when it is gone or disabled.
	Version uint64
	// At is when to resume. For a watch counted in business hours whose
	// hours are unknown or never open, At is zero and Hours says which.
	At    time.Time
	Hours HoursRef
	// Checkpoint is the number of delays passed (1 after the first).
	Checkpoint int
}

// Planned is an action to run, or one the evaluation decided to skip.
type Planned struct {
	// Index is the action's place in the rule's list.
	Index  int
	Action Action
	// Skip, when set, says why the action does not run (its throttle).
	Skip string
}

// Run is the outcome of one rule for one event.
type Run struct {
	Rule        RuleID
	Version     uint64
	Description string
	// NotCandidate, when set, says why the rule does not run on this
	// event at all (only Explain reports such runs).
	NotCandidate string
	// Matched: the conditions hold (so far, when Pending is set).
	Matched bool
	// Actions to run now, in order; empty when Pending is set.
	Actions []Planned
	// Pending is set when the rule waits for a delay or a watch.
	Pending *Pending
	// Stop: the rule ran a Stop processing action.
	Stop bool
	// Errors are the AI failures met while evaluating; each made its
	// condition false.
	Errors []string
	// Trace holds every condition node's value, when tracing.
	Trace []Step
}

// Decision is the outcome of one event: the runs of the rules that
// matched or met an AI failure (and, when tracing, of every candidate
// evaluated), in execution order.
type Decision struct {
	Runs []Run
	// Evaluated counts the candidate rules evaluated.
	Evaluated int
	// StoppedBy is the rule whose Stop processing ended the run.
	StoppedBy RuleID
	// Fuse is set when the fuse stopped the run before every candidate
	// was evaluated.
	Fuse bool
	// Ignored, when set, says why no rule is a candidate (a change made by
	// a rule never triggers user-action rules).
	Ignored string
}

// Evaluate runs the rule set on the event of f.
func (s *Set) Evaluate(ctx context.Context, f *Facts, opt Options) Decision {
	var d Decision
	key, why := eventKey(f)
	if why != "" {
		d.Ignored = why
		return d
	}
	cands := s.byKey[key]
	maxRuns := opt.MaxRuns
	if maxRuns <= 0 {
		maxRuns = DefaultMaxRuns
	}
	e := s.newEval(ctx, f, opt.Trace)
	defer s.pool.Put(e.sc)
	for _, c := range cands {
		if d.Evaluated >= maxRuns {
			d.Fuse = true
			break
		}
		d.Evaluated++
		res, pending := e.match(c, 0)
		if res != True && !opt.Trace && len(e.errors) == 0 {
			continue
		}
		run := e.finish(c, res, pending)
		d.Runs = append(d.Runs, run)
		if run.Stop {
			d.StoppedBy = c.rule.ID
			break
		}
	}
	return d
}

// eventKey returns the candidate key of the event, or why no rule runs.
func eventKey(f *Facts) (candKey, string) {
	k := candKey{scope: normScope(f.Scope), typ: Type{Kind: f.Type}}
	switch f.Type {
	case Incoming:
		k.channel = f.channel()
	case Outgoing:
		if f.Initiator.Kind != ByUser {
			return k, "messages inboxkit sends itself do not trigger outgoing rules"
		}
		k.channel = f.channel()
	case UserAction:
		if f.Initiator.Kind != ByUser {
			return k, "only changes made by users trigger user-action rules"
		}
		k.typ.Action = f.Action.Kind
	default:
		return k, "unknown event type"
	}
	if k.scope.Kind == 0 {
		return k, "the conversation is neither private to a user nor shared with an organization"
	}
	return k, ""
}

// eval is the state of one evaluation.
type eval struct {
	s     *Set
	ctx   context.Context
	f     *Facts
	sc    *scratch
	trace bool
	// ai caches prompt answers for the event; model is the current
	// rule's.
	ai    map[[3]string]aiAnswer
	model AIModel
	// run collects the current rule's trace and errors.
	steps  []Step
	errors []string
}

type aiAnswer struct {
	text string
	err  error
}

func (s *Set) newEval(ctx context.Context, f *Facts, trace bool) *eval {
	sc := s.pool.Get().(*scratch)
	sc.reset(s.used)
	return &eval{s: s, ctx: ctx, f: f, sc: sc, trace: trace}
}

func (e *eval) start(c *compiled) Run {
	r := c.rule
	return Run{Rule: r.ID, Version: r.Version, Description: r.Description}
}

// rule evaluates rule c from its checkpoint-th delay on.
func (e *eval) rule(c *compiled, checkpoint int) Run {
	res, pending := e.match(c, checkpoint)
	return e.finish(c, res, pending)
}

// match evaluates rule c's conditions from its checkpoint-th delay on; the
// trace and errors are left in e.steps and e.errors.
func (e *eval) match(c *compiled, checkpoint int) (Result, *Pending) {
	e.steps, e.errors = nil, nil
	e.model = c.rule.AI
	if c.root.mode != All {
		return e.node(&c.root, "conditions"), nil
	}
	return e.top(c, checkpoint)
}

// finish builds the run of rule c from the result of match.
func (e *eval) finish(c *compiled, res Result, pending *Pending) Run {
	run := e.start(c)
	run.Trace, run.Errors = e.steps, e.errors
	if res != True {
		return run
	}
	run.Matched = true
	if pending != nil {
		run.Pending = pending
		return run
	}
	e.plan(c, &run)
	return run
}

// top evaluates the top-level All group, with its delays and watches.
func (e *eval) top(c *compiled, checkpoint int) (Result, *Pending) {
	r := c.rule
	delays := 0
	var watch *Condition
	var p *Pending
	res := True
	for i := range c.root.children {
		if !e.trace && (res != True || p != nil) {
			break
		}
		n := &c.root.children[i]
		path := ""
		if e.trace {
			path = "conditions[" + itoa(i) + "]"
		}
		if delays < checkpoint {
			if n.delay != nil {
				delays++
			}
			if e.trace {
				e.step(path, True, "checked before the delay")
			}
			continue
		}
		switch {
		case res != True:
			if e.trace {
				e.step(path, NotEvaluated, "")
			}
		case p != nil:
			if e.trace {
				e.step(path, Deferred, "evaluated when the delay is over")
			}
		case n.delay != nil:
			delays++
			p = &Pending{Kind: WaitDelay, Rule: r.ID, Version: r.Version, At: e.f.Now.Add(n.delay.For), Checkpoint: delays}
			if e.trace {
				e.step(path, Deferred, "wait "+n.delay.For.String()+", then evaluate the conditions after this one")
			}
		case n.cond != nil && fieldInfos[n.cond.Field].kind == kindWatch:
			watch = n.cond
			if e.trace {
				e.step(path, Deferred, "watch: fires after "+n.cond.After.String()+" if still open and "+watchWord(n.cond.Field))
			}
		default:
			res = e.node(n, path)
		}
	}
	if res == True && watch != nil && p == nil {
		p = e.watch(r, watch)
	}
	return res, p
}

func watchWord(f Field) string {
	if f == UnrepliedAfter {
		return "unreplied"
	}
	return "unassigned"
}

func (e *eval) watch(r *Rule, c *Condition) *Pending {
	p := &Pending{Kind: WaitUnreplied, Rule: r.ID, Version: r.Version, Hours: c.Hours}
	if c.Field == UnassignedAfter {
		p.Kind = WaitUnassigned
	}
	start := e.f.Now
	if m := e.f.Message; m != nil && !m.At.IsZero() {
		start = m.At
	}
	if c.Hours.Kind == CalendarTime {
		p.At = start.Add(c.After)
		return p
	}
	if e.f.Hours != nil {
		if h, ok := e.f.Hours(c.Hours.Team); ok {
			p.At, _ = h.Add(start, c.After)
		}
	}
	return p
}

// plan lists the rule's actions, applying the Send response throttle.
func (e *eval) plan(c *compiled, run *Run) {
	for i, a := range c.rule.Actions {
		pl := Planned{Index: i, Action: a}
		switch a := a.(type) {
		case StopProcessing:
			run.Stop = true
		case SendResponse:
			if a.Every > 0 && e.f.LastResponse != nil {
				if last, ok := e.f.LastResponse(c.rule.ID, i); ok && e.f.Now.Sub(last) < a.Every {
					pl.Skip = "sent " + e.f.Now.Sub(last).String() + " ago in this conversation; at most once every " + a.Every.String()
				}
			}
		}
		run.Actions = append(run.Actions, pl)
	}
}

func (e *eval) step(path string, r Result, why string) {
	e.steps = append(e.steps, Step{Path: path, Result: r, Why: why})
}

// node evaluates a group or a condition.
func (e *eval) node(n *cnode, path string) Result {
	if !n.group {
		if n.cond == nil {
			return True
		}
		ok := e.cond(n, path)
		if ok {
			return True
		}
		return False
	}
	idx := -1
	if e.trace {
		idx = len(e.steps)
		e.step(path, NotEvaluated, "")
	}
	decided := false
	res := n.mode != Any
	for i := range n.children {
		cp := ""
		if e.trace {
			cp = path + "." + n.mode.String() + "[" + itoa(i) + "]"
		}
		if decided {
			if e.trace {
				e.skip(&n.children[i], cp)
			}
			continue
		}
		v := e.node(&n.children[i], cp) == True
		switch {
		case n.mode == All && !v:
			res, decided = false, true
		case n.mode == Any && v:
			res, decided = true, true
		case n.mode == None && v:
			res, decided = false, true
		}
	}
	out := False
	if res {
		out = True
	}
	if e.trace {
		e.steps[idx].Result = out
		e.steps[idx].Why = groupWhy(n.mode, len(n.children), res)
	}
	return out
}

// cond evaluates one condition and, when tracing, records why.
func (e *eval) cond(n *cnode, path string) bool {
	c := n.cond
	if n.text {
		if !e.sc.scanned {
			e.s.scan(e.sc, e.f)
		}
		v := e.sc.hits[n.slot][n.pat]&n.bit != 0
		if n.neg {
			v = !v
		}
		if e.trace {
			e.traceText(c, path, v)
		}
		return v
	}
	v, why := e.leaf(c)
	if e.trace {
		r := False
		if v {
			r = True
		}
		e.step(path, r, why)
	}
	return v
}

func itoa(i int) string {
	if i >= 0 && i < 10 {
		return string(rune('0' + i))
	}
	return fmt.Sprint(i)
}
