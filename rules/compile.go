package rules

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/inboxkit/inboxkit/conversation"
)

// Set is a compiled rule set, safe for concurrent use. Build it once with
// [Compile] (or through a [Cache]) and evaluate every event against it.
type Set struct {
	rules []*compiled // in execution order
	byKey map[candKey][]*compiled
	byID  map[RuleID]*compiled
	m     *matcher
	// used are the slots some rule reads.
	used slotMask
	// Invalid lists the rules left out because they do not validate, with
	// why.
	Invalid map[RuleID]error
	pool    sync.Pool
}

// candKey is what selects the candidates of an event.
type candKey struct {
	scope   Scope
	typ     Type
	channel Channel
}

// compiled is one rule ready to evaluate.
type compiled struct {
	rule *Rule
	root cnode
	key  candKey
}

// cnode is a compiled condition node.
type cnode struct {
	group    bool
	mode     Mode
	children []cnode
	cond     *Condition
	delay    *Delay
	// Text leaves served by the matcher: the slot, the pattern, the flag
	// tested and whether the operator is negative.
	text bool
	slot slot
	pat  int32
	bit  uint8
	neg  bool
}

// Compile validates and compiles rules. Rules that do not validate (as
// far as the rule itself goes: the author's role and AI setup are checked
// when saving) are left out and listed in Set.Invalid; they never stop the
// others from running.
func Compile(rules []Rule) *Set {
	s := &Set{byKey: map[candKey][]*compiled{}, byID: map[RuleID]*compiled{}, Invalid: map[RuleID]error{}}
	patIndex := map[string]int32{}
	var patterns []string
	shapeEnv := Env{AIAvailable: func(AIModel, Scope, conversation.UserID) bool { return true }}
	for i := range rules {
		r := &rules[i]
		if err := Validate(r, shapeEnv); err != nil {
			s.Invalid[r.ID] = err
			continue
		}
		c := &compiled{rule: r, key: keyOf(r)}
		c.root = s.compileGroup(r.Conditions, patIndex, &patterns)
		s.rules = append(s.rules, c)
	}
	slices.SortStableFunc(s.rules, func(a, b *compiled) int {
		return cmp.Or(strings.Compare(a.rule.Description, b.rule.Description), a.rule.ID.Compare(b.rule.ID))
	})
	for _, c := range s.rules {
		s.byID[c.rule.ID] = c
		if c.rule.Enabled {
			s.byKey[c.key] = append(s.byKey[c.key], c)
		}
	}
	s.m = newMatcher(patterns)
	n := len(patterns)
	s.pool.New = func() any { return newScratch(n) }
	return s
}

func keyOf(r *Rule) candKey {
	k := candKey{scope: r.Scope, typ: r.Type}
	if r.Type.Kind != UserAction {
		k.channel = r.Channel
	}
	k.scope = normScope(r.Scope)
	return k
}

// normScope keeps only the fields of the scope's kind.
func normScope(sc Scope) Scope {
	switch sc.Kind {
	case Personal:
		return Scope{Kind: Personal, User: sc.User}
	case Organization:
		return Scope{Kind: Organization, Org: sc.Org}
	}
	return Scope{}
}

func (s *Set) compileGroup(g Group, patIndex map[string]int32, patterns *[]string) cnode {
	n := cnode{group: true, mode: g.Mode, children: make([]cnode, 0, len(g.Children))}
	for _, child := range g.Children {
		switch c := child.(type) {
		case Group:
			n.children = append(n.children, s.compileGroup(c, patIndex, patterns))
		case Delay:
			n.children = append(n.children, cnode{delay: &c})
		case Condition:
			n.children = append(n.children, s.compileCondition(c, patIndex, patterns))
		}
	}
	return n
}

func (s *Set) compileCondition(c Condition, patIndex map[string]int32, patterns *[]string) cnode {
	c.Schedule = c.Schedule.loaded()
	n := cnode{cond: &c}
	sl, ok := slotOf(c.Field)
	if !ok || !isTextOp(c.Op) {
		return n
	}
	p := fold(c.Text)
	id, seen := patIndex[p]
	if !seen {
		id = int32(len(*patterns))
		patIndex[p] = id
		*patterns = append(*patterns, p)
	}
	pos, neg := c.Op.negative()
	n.text, n.slot, n.pat, n.neg = true, sl, id, neg
	n.bit = map[Operator]uint8{Is: hitExact, Contains: hitContains, StartsWith: hitPrefix, EndsWith: hitSuffix}[pos]
	s.used |= 1 << sl
	return n
}

// scratch is the per-evaluation state: the matcher's flags per slot.
type scratch struct {
	hits    [numSlots][]uint8
	scanned bool
	buf     []byte
	tmp     []uint8
	touched []int32
}

func newScratch(n int) *scratch {
	sc := &scratch{tmp: make([]uint8, n)}
	for i := range sc.hits {
		sc.hits[i] = make([]uint8, n)
	}
	return sc
}

func (sc *scratch) reset(used slotMask) {
	for i := range sc.hits {
		if used&(1<<i) != 0 {
			clear(sc.hits[i])
		}
	}
	sc.scanned = false
}

// scan runs every text of the event through the matcher once.
func (s *Set) scan(sc *scratch, f *Facts) {
	if sc.scanned || s.m.npat == 0 {
		sc.scanned = true
		return
	}
	sc.scanned = true
	sources(f, s.used, func(src source) {
		if src.text == "" {
			return
		}
		sc.buf = appendFold(sc.buf[:0], src.text)
		sc.touched = s.m.scan(sc.buf, sc.tmp, sc.touched[:0])
		for sl := range numSlots {
			if src.slots&(1<<sl) == 0 {
				continue
			}
			h := sc.hits[sl]
			for _, p := range sc.touched {
				h[p] |= sc.tmp[p]
			}
		}
		for _, p := range sc.touched {
			sc.tmp[p] = 0
		}
	})
}

// Rules returns the valid rules of the set in execution order.
func (s *Set) Rules() []*Rule {
	out := make([]*Rule, len(s.rules))
	for i, c := range s.rules {
		out[i] = c.rule
	}
	return out
}

// Cache keeps compiled rule sets by key (an organization, a user) and by a
// version the caller supplies: a set is compiled again only when the
// version changes, so several engines sharing one store share the work as
// long as they agree on versions.
type Cache struct {
	mu   sync.Mutex
	sets map[string]cached
}

type cached struct {
	version uint64
	set     *Set
}

// Get returns the set compiled for key at version, calling load to read
// the rules when it is not cached. A load error is returned and nothing is
// cached.
func (c *Cache) Get(key string, version uint64, load func() ([]Rule, error)) (*Set, error) {
	c.mu.Lock()
	if e, ok := c.sets[key]; ok && e.version == version {
		c.mu.Unlock()
		return e.set, nil
	}
	c.mu.Unlock()
	rules, err := load()
	if err != nil {
		return nil, err
	}
	set := Compile(rules)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sets == nil {
		c.sets = map[string]cached{}
	}
	if e, ok := c.sets[key]; !ok || e.version <= version {
		c.sets[key] = cached{version, set}
	}
	return set, nil
}

// Forget drops key's compiled set.
func (c *Cache) Forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.sets, key)
}
