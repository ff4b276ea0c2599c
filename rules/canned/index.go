package canned

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/inboxkit/inboxkit/conversation"
)

// Viewer is who searches: the responses they can use are their personal
// ones, those of the teams they belong to (active member or observer),
// and their organization's.
type Viewer struct {
	User    conversation.UserID
	Org     conversation.OrgID
	OrgName string
	// Teams are the viewer's teams, with their names for scoping.
	Teams []TeamName
}

// TeamName is a team and its name.
type TeamName struct {
	ID   conversation.TeamID
	Name string
}

// Index finds canned responses by prefix search over their title, subject
// and body. Every query word must be the start of a word of the response,
// in any order, punctuation included ("ho bet pers" and "person?" both
// find "How to be a better person?"). A query may start with "personal",
// the name of one of the viewer's teams, or the organization's name, to
// search only those responses. Results rank by how often the query words
// occur, then by title.
//
// The index keeps a sorted vocabulary, so a query word reads the range of
// words it prefixes, not every response. The zero value is an empty index;
// it is not safe for concurrent writes.
type Index struct {
	docs  map[string]*doc
	words []string            // sorted vocabulary
	post  map[string][]string // word -> response IDs
}

type doc struct {
	r     Response
	count map[string]int // word -> occurrences
}

// Words splits text into the lower-cased words search matches: runs of
// characters between spaces, punctuation kept.
func Words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), unicode.IsSpace)
}

// Put adds or replaces a response.
func (x *Index) Put(r Response) {
	x.Remove(r.ID)
	if x.docs == nil {
		x.docs, x.post = map[string]*doc{}, map[string][]string{}
	}
	d := &doc{r: r, count: map[string]int{}}
	for _, text := range []string{r.Title, r.Subject, r.Body} {
		for _, w := range Words(text) {
			d.count[w]++
		}
	}
	for w := range d.count {
		ids := x.post[w]
		if len(ids) == 0 {
			i, _ := slices.BinarySearch(x.words, w)
			x.words = slices.Insert(x.words, i, w)
		}
		i, _ := slices.BinarySearch(ids, r.ID)
		x.post[w] = slices.Insert(ids, i, r.ID)
	}
	x.docs[r.ID] = d
}

// Remove removes a response; an unknown ID is ignored.
func (x *Index) Remove(id string) {
	d, ok := x.docs[id]
	if !ok {
		return
	}
	delete(x.docs, id)
	for w := range d.count {
		ids := x.post[w]
		if i, found := slices.BinarySearch(ids, id); found {
			ids = slices.Delete(ids, i, i+1)
		}
		if len(ids) > 0 {
			x.post[w] = ids
			continue
		}
		delete(x.post, w)
		if i, found := slices.BinarySearch(x.words, w); found {
			x.words = slices.Delete(x.words, i, i+1)
		}
	}
}

// Len returns the number of responses.
func (x *Index) Len() int { return len(x.docs) }

// CanUse reports whether v may list and insert r.
func CanUse(r *Response, v Viewer) bool {
	switch r.Scope.Kind {
	case Personal:
		return r.Scope.User == v.User
	case Team:
		return r.Scope.Org == v.Org && slices.ContainsFunc(v.Teams, func(t TeamName) bool { return t.ID == r.Scope.Team })
	case Organization:
		return r.Scope.Org == v.Org
	}
	return false
}

// MaxQueryWords bounds the words of one query.
const MaxQueryWords = 32

// Search returns the responses v can use that match query, best first. An
// empty query (or one holding only a scope) lists every usable response
// of the scope by title.
func (x *Index) Search(v Viewer, query string) []Response {
	words := Words(query)
	if len(words) > MaxQueryWords {
		words = words[:MaxQueryWords]
	}
	keep, words := scopeOf(v, words)
	var cand map[string]int // id -> score
	if len(words) == 0 {
		cand = map[string]int{}
		for id := range x.docs {
			cand[id] = 0
		}
	}
	for _, q := range words {
		hits := map[string]int{}
		lo, _ := slices.BinarySearch(x.words, q)
		for i := lo; i < len(x.words) && strings.HasPrefix(x.words[i], q); i++ {
			w := x.words[i]
			for _, id := range x.post[w] {
				if cand == nil || hasKey(cand, id) {
					hits[id] += x.docs[id].count[w]
				}
			}
		}
		for id, n := range hits {
			if cand != nil {
				hits[id] = n + cand[id]
			}
		}
		cand = hits
		if len(cand) == 0 {
			return nil
		}
	}
	type scored struct {
		r     *Response
		score int
	}
	var out []scored
	for id, s := range cand {
		r := &x.docs[id].r
		if CanUse(r, v) && keep(r) {
			out = append(out, scored{r, s})
		}
	}
	slices.SortFunc(out, func(a, b scored) int {
		return cmp.Or(b.score-a.score, strings.Compare(a.r.Title, b.r.Title), strings.Compare(a.r.ID, b.r.ID))
	})
	res := make([]Response, len(out))
	for i, s := range out {
		res[i] = s.r.clone()
	}
	return res
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

func (r *Response) clone() Response {
	c := *r
	c.To, c.Cc, c.Bcc = slices.Clone(r.To), slices.Clone(r.Cc), slices.Clone(r.Bcc)
	c.Labels, c.Attachments = slices.Clone(r.Labels), slices.Clone(r.Attachments)
	return c
}

// scopeOf reads a leading scope from the query words: "personal", a team
// name of the viewer or the organization name (several words allowed; the
// longest match wins). It returns the filter and the remaining words.
func scopeOf(v Viewer, words []string) (func(*Response) bool, []string) {
	all := func(*Response) bool { return true }
	if len(words) == 0 {
		return all, words
	}
	best, bestLen := all, 0
	try := func(name string, f func(*Response) bool) {
		nw := Words(name)
		if len(nw) > bestLen && len(nw) <= len(words) && slices.Equal(nw, words[:len(nw)]) {
			best, bestLen = f, len(nw)
		}
	}
	try("personal", func(r *Response) bool { return r.Scope.Kind == Personal })
	for _, t := range v.Teams {
		id := t.ID
		try(t.Name, func(r *Response) bool { return r.Scope.Kind == Team && r.Scope.Team == id })
	}
	if v.OrgName != "" {
		try(v.OrgName, func(r *Response) bool { return r.Scope.Kind == Organization })
	}
	return best, words[bestLen:]
}
