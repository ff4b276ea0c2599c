package threading

import (
	"context"
	"time"
)

// Defaults of [Options].
const (
	// DefaultMaxMessages is the hard limit of countable messages per
	// conversation.
	DefaultMaxMessages = 400
	// DefaultMaxReferences bounds how many parent ids of one message are
	// looked up: In-Reply-To first, then the nearest References. The
	// first References id (the thread root) is looked up as well,
	// whatever the bound.
	DefaultMaxReferences = 128
	// DefaultSubjectWindow is the window an engine should use when it turns
	// the subject fallback on.
	DefaultSubjectWindow = 7 * 24 * time.Hour
)

// maxHops bounds redirect and continuation chains.
const maxHops = 1 << 16

// Options configure a [Threader]. The zero value is the documented
// behaviour: a 400-message cap and no subject fallback.
type Options struct {
	// MaxMessages is the cap of countable messages per conversation. Zero
	// means DefaultMaxMessages; a negative value means no cap.
	MaxMessages int
	// MaxReferences bounds the parent ids looked up per message; the
	// thread root (the first References id) is looked up beyond it. Zero
	// means DefaultMaxReferences.
	MaxReferences int
	// SubjectWindow turns the subject fallback on when positive (it is off
	// by default): a message none of whose ids resolve joins the
	// conversation of the same scope that last received a message with the
	// same [SubjectKey], if that message is dated within SubjectWindow of
	// this one. DefaultSubjectWindow is a sensible value. The index must
	// implement [SubjectIndex].
	SubjectWindow time.Duration
}

// Message is what the Threader needs of a message.
type Message struct {
	// Scope is the visibility scope the message is threaded in.
	Scope Scope
	// ID is the message's own id: the Message-ID ([ExtractID]), a
	// synthesized id ([SynthesizeID]) or a channel's message id. Empty
	// means the message can neither be de-duplicated nor found by replies.
	ID string
	// InReplyTo and References are the parent ids, as [ExtractIDs] returns
	// them (References oldest first). Non-email channels put their thread
	// keys in References.
	InReplyTo  []string
	References []string
	// Subject and Date are used only by the subject fallback.
	Subject string
	Date    time.Time
	// Audience is an opaque key of who can see the message through the
	// account or address it arrived on. When it is set, every join or
	// merge that rests on a parent nobody has seen (a waiting parent id,
	// early replies merged into their parent) and the subject fallback
	// only ever connect the message with conversations all of whose
	// messages arrived with the same Audience, so threading never shows a
	// message to anyone its arrival audience does not include. Joins
	// through a known parent ignore it. The index must implement
	// [AudienceIndex]. Empty means no audience rule.
	Audience string
}

// Action is what a [Decision] asks the engine to do with a message.
type Action uint8

const (
	// New starts a new conversation.
	New Action = iota + 1
	// Join adds the message to Decision.Conversation.
	Join
	// Duplicate: a message with the same id already exists in the scope, in
	// Decision.Conversation; attach the new copy to it. Nothing else
	// changes: no new message, no reopen, no rule run.
	Duplicate
	// Continue starts a new conversation linked to the full
	// Decision.Conversation (its ContinuationOf).
	Continue
)

// String returns the action's name.
func (a Action) String() string {
	switch a {
	case New:
		return "new"
	case Join:
		return "join"
	case Duplicate:
		return "duplicate"
	case Continue:
		return "continue"
	}
	return "invalid"
}

// Reason says which evidence decided.
type Reason uint8

const (
	// ByNothing: no id resolved.
	ByNothing Reason = iota
	// ByMessageID: the message's own id is known (Duplicate).
	ByMessageID
	// ByInReplyTo: an In-Reply-To id names a known message.
	ByInReplyTo
	// ByReferences: a References id names a known message.
	ByReferences
	// ByPending: a parent id is not known as a message, but another
	// conversation already references it (a shared missing ancestor, or a
	// channel thread key).
	ByPending
	// ByReplies: the message's own id is referenced by messages that
	// arrived first (its replies).
	ByReplies
	// BySubject: the subject fallback matched.
	BySubject
)

// String returns the reason's name.
func (r Reason) String() string {
	switch r {
	case ByNothing:
		return "nothing"
	case ByMessageID:
		return "message-id"
	case ByInReplyTo:
		return "in-reply-to"
	case ByReferences:
		return "references"
	case ByPending:
		return "pending"
	case ByReplies:
		return "replies"
	case BySubject:
		return "subject"
	}
	return "invalid"
}

// Decision is the Threader's answer for one message.
type Decision[K comparable] struct {
	Action Action
	// Conversation is the conversation to join (Join), the one holding the
	// existing copy (Duplicate), or the full one the new conversation
	// continues (Continue). It is the zero K for New.
	Conversation K
	// Merge lists conversations the engine must merge into the conversation
	// the message ends in (Conversation for Join, the new one otherwise), in
	// order. They are conversations that turn out to hold the same thread:
	// replies that arrived before their parent and did not know each other.
	// Each merge keeps the result within the cap. An engine that refuses one
	// of them (chat rooms, access) removes it before calling Record; the
	// conversations then stay apart.
	Merge []K
	// By and Matched say which evidence decided and which id matched.
	By      Reason
	Matched string

	// known has bit i set when the i-th parent id Decide visited named a
	// known message, so Record skips AddWaiting for it (a no-op anyway).
	known uint64
}

// Threader decides where messages go. It holds no mutable state: the state
// is the [Index]. A Threader is safe for concurrent use when its index is.
type Threader[K comparable] struct {
	idx       Index[K]
	subjects  SubjectIndex[K]
	audiences AudienceIndex[K] // nil when idx does not implement it
	opts      Options
}

// NewThreader returns a Threader over idx. It fails with [ErrNoSubjectIndex] when
// opts turn the subject fallback on and idx does not implement
// [SubjectIndex].
func NewThreader[K comparable](idx Index[K], opts Options) (*Threader[K], error) {
	if opts.MaxMessages == 0 {
		opts.MaxMessages = DefaultMaxMessages
	}
	if opts.MaxReferences <= 0 {
		opts.MaxReferences = DefaultMaxReferences
	}
	t := &Threader[K]{idx: idx, opts: opts}
	t.audiences, _ = idx.(AudienceIndex[K])
	if opts.SubjectWindow > 0 {
		s, ok := idx.(SubjectIndex[K])
		if !ok {
			return nil, ErrNoSubjectIndex
		}
		t.subjects = s
	}
	return t, nil
}

// Decide returns where m belongs. It only reads the index; the caller acts
// on the decision and then calls [Threader.Record].
//
// The order of evidence:
//  1. m's own id known in the scope: Duplicate.
//  2. Parent lookup: In-Reply-To ids in order, then References from
//     last to first (up to MaxReferences ids, then the first References
//     id, the root); the first id naming a known message decides, in the
//     conversation that message lives in now (after moves and merges).
//     Later known ids never pull in their conversations: a reply to a
//     private forward stays with the forward.
//  3. Parent ids not known as messages but referenced by other
//     conversations (a missing common ancestor, a channel thread key).
//  4. Conversations waiting for m's own id: its replies arrived first.
//  5. The subject fallback, if on.
//
// Candidates from 3, 4 and 5 count only when they are in m's audience
// ([Message.Audience]). The first candidate with room (a full candidate's
// continuation counts as the candidate) is joined; the other candidates
// from 3 and 4 are returned in Merge, because m proves they hold one
// thread, when the conversation joined is in m's audience too. When every
// candidate is full, the answer is Continue from the first. With no
// candidate, New.
func (t *Threader[K]) Decide(ctx context.Context, m Message) (Decision[K], error) {
	if m.Audience != "" && t.audiences == nil {
		return Decision[K]{}, ErrNoAudienceIndex
	}
	var own Entry[K]
	if m.ID != "" {
		e, err := t.idx.Lookup(ctx, m.Scope, m.ID)
		if err != nil {
			return Decision[K]{}, err
		}
		if e.Known {
			c, err := t.resolve(ctx, e.Conversation)
			if err != nil {
				return Decision[K]{}, err
			}
			return Decision[K]{Action: Duplicate, Conversation: c, By: ByMessageID, Matched: m.ID}, nil
		}
		own = e
	}

	// Steps 2 and 3 in one pass over the parent ids.
	var known candidate[K]
	var knownBits uint64
	var pendBuf [4]candidate[K]
	pending := pendBuf[:0]
	err := t.eachParent(m, func(i int, id string, by Reason) error {
		e, err := t.idx.Lookup(ctx, m.Scope, id)
		if err != nil {
			return err
		}
		if e.Known {
			if i < 64 {
				knownBits |= 1 << i
			}
			if known.by == ByNothing {
				known = candidate[K]{c: e.Conversation, by: by, id: id}
			}
			return nil
		}
		for _, w := range e.Waiting {
			pending = append(pending, candidate[K]{c: w, by: ByPending, id: id})
		}
		return nil
	})
	if err != nil {
		return Decision[K]{}, err
	}

	var candBuf [8]candidate[K]
	cands := candBuf[:0]
	add := func(x candidate[K]) error {
		c, err := t.resolve(ctx, x.c)
		if err != nil {
			return err
		}
		for _, y := range cands {
			if y.c == c {
				return nil
			}
		}
		if x.by.unseen() {
			if ok, err := t.inAudience(ctx, m, c); err != nil || !ok {
				return err
			}
		}
		x.c = c
		cands = append(cands, x)
		return nil
	}
	if known.by != ByNothing {
		if err := add(known); err != nil {
			return Decision[K]{}, err
		}
	}
	for _, x := range pending {
		if err := add(x); err != nil {
			return Decision[K]{}, err
		}
	}
	for _, w := range own.Waiting {
		if err := add(candidate[K]{c: w, by: ByReplies, id: m.ID}); err != nil {
			return Decision[K]{}, err
		}
	}
	if len(cands) == 0 && t.subjects != nil {
		c, ok, err := t.bySubject(ctx, m)
		if err != nil {
			return Decision[K]{}, err
		}
		if ok {
			if err := add(candidate[K]{c: c, by: BySubject, id: SubjectKey(m.Subject)}); err != nil {
				return Decision[K]{}, err
			}
		}
	}
	if len(cands) == 0 {
		return Decision[K]{Action: New, By: ByNothing, known: knownBits}, nil
	}

	// Join the first candidate with room.
	ti, first, target, count := -1, -1, cands[0].c, 0
	for i, x := range cands {
		c, n, err := t.withRoom(ctx, x.c)
		if err != nil {
			return Decision[K]{}, err
		}
		if c != x.c && x.by.unseen() {
			// A continuation must be in m's audience too.
			ok, err := t.inAudience(ctx, m, c)
			if err != nil {
				return Decision[K]{}, err
			}
			if !ok {
				continue
			}
		}
		if n >= 0 {
			ti, target, count = i, c, n
			break
		}
		if first < 0 {
			first, target = i, c // the end of the first candidate's chain
		}
	}
	if ti < 0 && first < 0 {
		return Decision[K]{Action: New, By: ByNothing, known: knownBits}, nil
	}
	if ti < 0 {
		return Decision[K]{Action: Continue, Conversation: target, By: cands[first].by, Matched: cands[first].id, known: knownBits}, nil
	}
	d := Decision[K]{Action: Join, Conversation: target, By: cands[ti].by, Matched: cands[ti].id, known: knownBits}

	// Merge the other candidates, which m proves hold the same thread, as
	// long as the result stays within the cap. A known parent's
	// conversation is never merged: it is a deliberate separation (a
	// private forward, a split, a full conversation). The candidates are
	// in m's audience; so must the conversation they merge into be.
	if len(cands) > 1 && !cands[ti].by.unseen() {
		ok, err := t.inAudience(ctx, m, target)
		if err != nil || !ok {
			return d, err
		}
	}
	total := count + 1
	for i, x := range cands {
		if i == ti || x.c == target || (i == 0 && known.by != ByNothing) {
			continue
		}
		n, err := t.idx.Count(ctx, x.c)
		if err != nil {
			return Decision[K]{}, err
		}
		if t.opts.MaxMessages >= 0 && total+n > t.opts.MaxMessages {
			continue
		}
		total += n
		d.Merge = append(d.Merge, x.c)
	}
	return d, nil
}

// unseen reports whether evidence r rests on a parent nobody has seen (a
// waiting parent id, early replies) or on the subject: the evidence the
// audience rule applies to ([Message.Audience]).
func (r Reason) unseen() bool { return r == ByPending || r == ByReplies || r == BySubject }

// inAudience reports whether conversation c may take m by evidence the
// audience rule applies to: m has no audience, or every message in c
// arrived with m's.
func (t *Threader[K]) inAudience(ctx context.Context, m Message, c K) (bool, error) {
	if m.Audience == "" {
		return true, nil
	}
	a, ok, err := t.audiences.Audience(ctx, c)
	return ok && a == m.Audience, err
}

// subjectScope is the scope m's subject is indexed in: its audience's
// part of m.Scope, so the subject fallback only ever finds conversations
// of m's audience.
func subjectScope(m Message) Scope {
	if m.Audience == "" {
		return m.Scope
	}
	return Scope(string(m.Scope) + ":audience:" + escapeKey(m.Audience))
}

// candidate is a conversation the message may belong to, with the
// evidence.
type candidate[K comparable] struct {
	c  K
	by Reason
	id string
}

// eachParent calls fn with the position and value of m's parent ids in
// lookup order (In-Reply-To in order, then References last to first),
// skipping empty, synthesized and self references and References ids
// already in In-Reply-To, up to MaxReferences ids; the first References
// id, the thread root, comes last and is visited whatever the bound, so a
// reply whose References hold more unknown ids than the bound still finds
// its thread.
func (t *Threader[K]) eachParent(m Message, fn func(i int, id string, by Reason) error) error {
	n := 0
	usable := func(id string) bool { return id != "" && id != m.ID && !IsSynthetic(id) }
	visit := func(id string, by Reason) error {
		if !usable(id) || n >= t.opts.MaxReferences {
			return nil
		}
		n++
		return fn(n-1, id, by)
	}
	for _, id := range m.InReplyTo {
		if err := visit(id, ByInReplyTo); err != nil {
			return err
		}
	}
	first := len(m.References) // the lowest References index visited
	for i := len(m.References) - 1; i >= 0 && n < t.opts.MaxReferences; i-- {
		if contains(m.InReplyTo, m.References[i]) {
			continue
		}
		if err := visit(m.References[i], ByReferences); err != nil {
			return err
		}
		first = i
	}
	if first > 0 && len(m.References) > 0 {
		// The bound stopped the walk before the root.
		if root := m.References[0]; usable(root) && !contains(m.InReplyTo, root) {
			n++
			return fn(n-1, root, ByReferences)
		}
	}
	return nil
}

// Record writes the outcome of a decision to the index: merges, the
// continuation link, the message's id in conv (the conversation it ended
// in: d.Conversation for Join, the new one for New and Continue) and its
// unresolved parent ids as waiting for conv. A Duplicate records nothing.
// d must be the decision Decide returned for m; the engine may still put
// the message elsewhere (conv is what counts).
func (t *Threader[K]) Record(ctx context.Context, m Message, d Decision[K], conv K) error {
	switch d.Action {
	case Duplicate:
		return nil
	case Continue:
		if err := t.idx.PutContinuation(ctx, d.Conversation, conv); err != nil {
			return err
		}
	}
	for _, from := range d.Merge {
		if from == conv {
			continue
		}
		if err := t.idx.PutMerge(ctx, from, conv); err != nil {
			return err
		}
	}
	return t.record(ctx, m, conv, d.known)
}

// Place records a message the engine put in conv explicitly, without a
// decision: an outgoing message composed in a conversation, or an imported
// message bound to a conversation.
func (t *Threader[K]) Place(ctx context.Context, m Message, conv K) error {
	return t.record(ctx, m, conv, 0)
}

// Moved records that the message with id was moved to conv (a split), so
// later replies to it follow it there.
func (t *Threader[K]) Moved(ctx context.Context, scope Scope, id string, conv K) error {
	if id == "" {
		return nil
	}
	return t.idx.PutMessage(ctx, scope, id, conv)
}

// record writes m's id and its parent ids; known marks parents already
// known, which need no AddWaiting.
func (t *Threader[K]) record(ctx context.Context, m Message, conv K, known uint64) error {
	if m.ID != "" {
		if err := t.idx.PutMessage(ctx, m.Scope, m.ID, conv); err != nil {
			return err
		}
	}
	err := t.eachParent(m, func(i int, id string, _ Reason) error {
		if i < 64 && known&(1<<i) != 0 {
			return nil
		}
		return t.idx.AddWaiting(ctx, m.Scope, id, conv)
	})
	if err != nil {
		return err
	}
	if m.Audience != "" && t.audiences != nil {
		if err := t.audiences.PutAudience(ctx, conv, m.Audience); err != nil {
			return err
		}
	}
	if t.subjects != nil && !m.Date.IsZero() {
		if key := SubjectKey(m.Subject); key != "" {
			return t.subjects.PutSubject(ctx, subjectScope(m), key, conv, m.Date)
		}
	}
	return nil
}

// resolve follows merge redirects to the conversation c lives in now.
func (t *Threader[K]) resolve(ctx context.Context, c K) (K, error) {
	for range maxHops {
		to, ok, err := t.idx.MergedInto(ctx, c)
		if err != nil || !ok || to == c {
			return c, err
		}
		c = to
	}
	return c, ErrRedirectLoop
}

// withRoom follows c's continuations to the first conversation with room
// and returns it with its count. When the whole chain is full it returns
// the last conversation of the chain and -1.
func (t *Threader[K]) withRoom(ctx context.Context, c K) (K, int, error) {
	for range maxHops {
		cnt, err := t.idx.Count(ctx, c)
		if err != nil {
			return c, -1, err
		}
		if t.opts.MaxMessages < 0 || cnt < t.opts.MaxMessages {
			return c, cnt, nil
		}
		next, ok, err := t.idx.ContinuedIn(ctx, c)
		if err != nil || !ok {
			return c, -1, err
		}
		if next, err = t.resolve(ctx, next); err != nil {
			return c, -1, err
		}
		if next == c {
			return c, -1, nil
		}
		c = next
	}
	return c, -1, ErrRedirectLoop
}

// bySubject implements the subject fallback.
func (t *Threader[K]) bySubject(ctx context.Context, m Message) (K, bool, error) {
	var zero K
	key := SubjectKey(m.Subject)
	if key == "" || m.Date.IsZero() {
		return zero, false, nil
	}
	c, at, ok, err := t.subjects.LastBySubject(ctx, subjectScope(m), key)
	if err != nil || !ok {
		return zero, false, err
	}
	if d := m.Date.Sub(at); d > t.opts.SubjectWindow || -d > t.opts.SubjectWindow {
		return zero, false, nil
	}
	return c, true, nil
}
