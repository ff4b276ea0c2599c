package rules

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// foldRune maps r to the representative of its simple case-folding class
// used for comparisons: the lower case of its upper case, so that 'K', 'k'
// and the Kelvin sign, or 'S', 's' and the long s, compare equal.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

// appendFold appends the case-folded form of s to dst.
func appendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		dst = utf8.AppendRune(dst, foldRune(r))
		i += n
	}
	return dst
}

// fold returns the case-folded form of s.
func fold(s string) string { return string(appendFold(nil, s)) }

// Match flags of one pattern against one text.
const (
	hitContains uint8 = 1 << iota
	hitPrefix
	hitSuffix
	hitExact
)

// matcher is an Aho-Corasick automaton over the bytes of case-folded
// patterns: one pass over a text finds every occurrence of every pattern.
// States are numbered from 0 (the root); each state's outgoing edges are
// a sorted run of edgeByte/edgeNext, and the root has a full table.
type matcher struct {
	root      [256]int32
	edgeStart []int32 // per state, index of its first edge; edgeStart[s+1] ends it
	edgeByte  []byte
	edgeNext  []int32
	fail      []int32
	// out is the pattern ending at the state (-1 none); dict is the next
	// state down the fail chain with an output (-1 none).
	out    []int32
	dict   []int32
	depth  []int32
	lens   []int32 // pattern lengths
	npat   int
	states int
}

// newMatcher builds the automaton of patterns (already folded, distinct,
// non-empty); pattern i is reported as i.
func newMatcher(patterns []string) *matcher {
	type key struct {
		s int32
		b byte
	}
	next := map[key]int32{}
	out := []int32{-1}
	depth := []int32{0}
	children := [][]byte{nil}
	m := &matcher{npat: len(patterns), lens: make([]int32, len(patterns))}
	for i, p := range patterns {
		m.lens[i] = int32(len(p))
		s := int32(0)
		for j := 0; j < len(p); j++ {
			k := key{s, p[j]}
			t, ok := next[k]
			if !ok {
				t = int32(len(out))
				next[k] = t
				out = append(out, -1)
				depth = append(depth, depth[s]+1)
				children = append(children, nil)
				children[s] = append(children[s], p[j])
			}
			s = t
		}
		out[s] = int32(i)
	}
	n := len(out)
	m.states = n
	m.out, m.depth = out, depth
	m.fail = make([]int32, n)
	m.dict = make([]int32, n)
	m.edgeStart = make([]int32, n+1)
	for s := range n {
		slices.Sort(children[s])
		m.edgeStart[s] = int32(len(m.edgeByte))
		for _, b := range children[s] {
			m.edgeByte = append(m.edgeByte, b)
			m.edgeNext = append(m.edgeNext, next[key{int32(s), b}])
		}
	}
	m.edgeStart[n] = int32(len(m.edgeByte))
	m.dict[0] = -1
	// Breadth-first: a state's fail link is the longest proper suffix of
	// its path that is also a path.
	queue := make([]int32, 0, n)
	for _, b := range children[0] {
		t := next[key{0, b}]
		m.root[b] = t
		m.fail[t] = 0
		m.dict[t] = -1
		queue = append(queue, t)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for e := m.edgeStart[s]; e < m.edgeStart[s+1]; e++ {
			b, t := m.edgeByte[e], m.edgeNext[e]
			f := m.fail[s]
			m.fail[t] = m.step(f, b)
			if ft := m.fail[t]; m.out[ft] >= 0 {
				m.dict[t] = ft
			} else {
				m.dict[t] = m.dict[ft]
			}
			queue = append(queue, t)
		}
	}
	return m
}

// step follows byte b from state s, through fail links as needed.
func (m *matcher) step(s int32, b byte) int32 {
	for s != 0 {
		lo, hi := m.edgeStart[s], m.edgeStart[s+1]
		for lo < hi {
			mid := (lo + hi) / 2
			switch c := m.edgeByte[mid]; {
			case c == b:
				return m.edgeNext[mid]
			case c < b:
				lo = mid + 1
			default:
				hi = mid
			}
		}
		s = m.fail[s]
	}
	return m.root[b]
}

// scan runs text through the automaton and ORs into hits[p] the flags of
// every pattern p found in it; it appends to touched the patterns whose
// flags were zero before, and returns it.
func (m *matcher) scan(text []byte, hits []uint8, touched []int32) []int32 {
	n := int32(len(text))
	s := int32(0)
	for i, b := range text {
		s = m.step(s, b)
		for o := s; o >= 0; o = m.dict[o] {
			p := m.out[o]
			if p < 0 {
				continue
			}
			end := int32(i) + 1
			start := end - m.lens[p]
			f := hitContains
			if start == 0 {
				f |= hitPrefix
			}
			if end == n {
				f |= hitSuffix
				if start == 0 {
					f |= hitExact
				}
			}
			if hits[p] == 0 {
				touched = append(touched, p)
			}
			hits[p] |= f
		}
	}
	return touched
}
