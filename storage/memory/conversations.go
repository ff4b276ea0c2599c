package memory

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// convRecord is a conversation with everything stored under it.
//
// Its slices are never changed in place below their length: a write
// either appends (old slice headers still describe the old contents) or
// builds a new slice, so an undo can restore a slice by restoring its
// header.
type convRecord struct {
	conv   *conversation.Conversation
	states map[conversation.UserID]*conversation.UserState
	// messages and comments are sorted by Seq, ties in insertion order;
	// events are in append order.
	messages []*conversation.Message
	comments []*conversation.Comment
	events   []*conversation.Event

	// activity and placements (sorted by box) are the conversation's
	// current mailbox index entries, kept so SetPlacements can diff.
	activity   time.Time
	placements []conversation.Placement
	// assignees are the users the placements are indexed under in the
	// per-assignee index (state.assigned), sorted.
	assignees []conversation.UserID

	// threadKeys are the threading index records naming the
	// conversation, so deleting it can drop them.
	threadKeys  []threadKey
	subjectKeys []threadKey
}

// messageRecord is a stored message and the organization it belongs to.
type messageRecord struct {
	msg *conversation.Message
	org conversation.OrgID
}

func notFoundConversation(id conversation.ConversationID) error {
	return conversation.Errorf(conversation.ErrNotFound, "conversation %s does not exist", id)
}

// Conversation implements [storage.ReadTx].
func (s *state) Conversation(_ context.Context, id conversation.ConversationID) (*conversation.Conversation, error) {
	rec := s.convs[id]
	if rec == nil {
		return nil, notFoundConversation(id)
	}
	return rec.conv.Clone(), nil
}

// UserState implements [storage.ReadTx].
func (s *state) UserState(_ context.Context, c conversation.ConversationID, u conversation.UserID) (*conversation.UserState, error) {
	rec := s.convs[c]
	if rec == nil {
		return nil, notFoundConversation(c)
	}
	st := rec.states[u]
	if st == nil {
		return nil, conversation.Errorf(conversation.ErrNotFound, "no state of user %s for conversation %s", u, c)
	}
	return st.Clone(), nil
}

// UserStates implements [storage.ReadTx]. The map is empty, not nil, when
// no state is stored (or the conversation does not exist).
func (s *state) UserStates(_ context.Context, c conversation.ConversationID) (map[conversation.UserID]*conversation.UserState, error) {
	var states map[conversation.UserID]*conversation.UserState
	if rec := s.convs[c]; rec != nil {
		states = rec.states
	}
	out := make(map[conversation.UserID]*conversation.UserState, len(states))
	for u, st := range states {
		out[u] = st.Clone()
	}
	return out, nil
}

// Messages implements [storage.ReadTx]. A conversation that does not exist
// has no messages.
func (s *state) Messages(_ context.Context, c conversation.ConversationID) ([]*conversation.Message, error) {
	rec := s.convs[c]
	if rec == nil {
		return nil, nil
	}
	return cloneAll(rec.messages, (*conversation.Message).Clone), nil
}

// Comments implements [storage.ReadTx]. A conversation that does not exist
// has no comments.
func (s *state) Comments(_ context.Context, c conversation.ConversationID) ([]*conversation.Comment, error) {
	rec := s.convs[c]
	if rec == nil {
		return nil, nil
	}
	return cloneAll(rec.comments, (*conversation.Comment).Clone), nil
}

// Events implements [storage.ReadTx]. A conversation that does not exist
// has no events.
func (s *state) Events(_ context.Context, c conversation.ConversationID) ([]*conversation.Event, error) {
	rec := s.convs[c]
	if rec == nil {
		return nil, nil
	}
	return cloneAll(rec.events, (*conversation.Event).Clone), nil
}

// MessagesByHeaderID implements [storage.ReadTx].
func (s *state) MessagesByHeaderID(_ context.Context, org conversation.OrgID, id string) ([]*conversation.Message, error) {
	if id == "" {
		return nil, nil
	}
	ids := s.headerIDs[orgKey{org: org, key: id}]
	if len(ids) == 0 {
		return nil, nil
	}
	out := make([]*conversation.Message, len(ids))
	for i, mid := range ids {
		out[i] = s.messages[mid].msg.Clone()
	}
	return out, nil
}

func cloneAll[T any](in []*T, clone func(*T) *T) []*T {
	if len(in) == 0 {
		return nil
	}
	out := make([]*T, len(in))
	for i, v := range in {
		out[i] = clone(v)
	}
	return out
}

// CreateConversation implements [storage.Tx]. On rollback c.Version is
// restored too.
func (t *writeTx) CreateConversation(_ context.Context, c *conversation.Conversation) error {
	if c == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "CreateConversation: nil conversation")
	}
	if _, ok := t.convs[c.ID]; ok {
		return conversation.Errorf(conversation.ErrConflict, "conversation %s already exists", c.ID)
	}
	nc := c.Clone()
	nc.Version = 1
	setMap(t, t.convs, nc.ID, &convRecord{conv: nc})
	t.resnooze(nc.ID, conversation.UserID{}, nil, nc.SnoozeForEveryone)
	setField(t, &c.Version, 1)
	return nil
}

// UpdateConversation implements [storage.Tx]. On rollback c.Version is
// restored too.
func (t *writeTx) UpdateConversation(_ context.Context, c *conversation.Conversation) error {
	if c == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "UpdateConversation: nil conversation")
	}
	rec := t.convs[c.ID]
	if rec == nil {
		return notFoundConversation(c.ID)
	}
	if c.Version != rec.conv.Version {
		return conversation.Errorf(conversation.ErrConflict,
			"conversation %s is at version %d, the update is based on version %d", c.ID, rec.conv.Version, c.Version)
	}
	nc := c.Clone()
	nc.Version++
	t.resnooze(nc.ID, conversation.UserID{}, rec.conv.SnoozeForEveryone, nc.SnoozeForEveryone)
	setField(t, &rec.conv, nc)
	setField(t, &c.Version, nc.Version)
	return nil
}

// DeleteConversation implements [storage.Tx].
func (t *writeTx) DeleteConversation(_ context.Context, id conversation.ConversationID) error {
	rec := t.convs[id]
	if rec == nil {
		return notFoundConversation(id)
	}
	t.setPlacements(id, rec, time.Time{}, nil)
	t.resnooze(id, conversation.UserID{}, rec.conv.SnoozeForEveryone, nil)
	for u, st := range rec.states {
		t.resnooze(id, u, st.Snooze, nil)
	}
	for _, m := range rec.messages {
		org := t.messages[m.ID].org
		deleteMap(t, t.messages, m.ID)
		t.unindexHeaderID(org, m.HeaderID, m.ID)
	}
	for _, c := range rec.comments {
		deleteMap(t, t.comments, c.ID)
	}
	for _, e := range rec.events {
		deleteMap(t, t.events, e.ID)
	}
	t.unindexThreads(id, rec)
	t.deleteConversationGuests(id, rec.conv.Org)
	t.deleteConversationTasks(id)
	// The record keeps its states, messages, comments and events, so
	// putting it back restores them.
	deleteMap(t, t.convs, id)
	return nil
}

// PutUserState implements [storage.Tx]. ErrNotFound if the conversation
// does not exist.
func (t *writeTx) PutUserState(_ context.Context, s *conversation.UserState) error {
	if s == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutUserState: nil state")
	}
	rec := t.convs[s.Conversation]
	if rec == nil {
		return notFoundConversation(s.Conversation)
	}
	ns := s.Clone()
	if rec.states == nil {
		rec.states = make(map[conversation.UserID]*conversation.UserState)
	}
	var old *conversation.Snooze
	if st := rec.states[ns.User]; st != nil {
		old = st.Snooze
	}
	t.resnooze(ns.Conversation, ns.User, old, ns.Snooze)
	setMap(t, rec.states, ns.User, ns)
	return nil
}

// DeleteUserState implements [storage.UserStateDeleter].
func (t *writeTx) DeleteUserState(_ context.Context, c conversation.ConversationID, u conversation.UserID) error {
	rec := t.convs[c]
	if rec == nil {
		return notFoundConversation(c)
	}
	st := rec.states[u]
	if st == nil {
		return nil
	}
	t.resnooze(c, u, st.Snooze, nil)
	deleteMap(t, rec.states, u)
	return nil
}

// AddMessage implements [storage.Tx]. ErrNotFound if the conversation does
// not exist; ErrInvalidArgument if it belongs to another organization
// than org.
func (t *writeTx) AddMessage(_ context.Context, org conversation.OrgID, m *conversation.Message) error {
	if m == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "AddMessage: nil message")
	}
	rec := t.convs[m.Conversation]
	if rec == nil {
		return notFoundConversation(m.Conversation)
	}
	if rec.conv.Org != org {
		return conversation.Errorf(conversation.ErrInvalidArgument,
			"message %s: conversation %s belongs to org %s, not %s", m.ID, m.Conversation, rec.conv.Org, org)
	}
	if _, ok := t.messages[m.ID]; ok {
		return conversation.Errorf(conversation.ErrConflict, "message %s already exists", m.ID)
	}
	nm := m.Clone()
	setMap(t, t.messages, nm.ID, &messageRecord{msg: nm, org: org})
	setField(t, &rec.messages, insertBySeq(rec.messages, nm, messageSeq))
	if nm.HeaderID != "" {
		k := orgKey{org: org, key: nm.HeaderID}
		setMap(t, t.headerIDs, k, append(t.headerIDs[k], nm.ID))
	}
	return nil
}

// MoveMessage implements [storage.Tx]. The message keeps its Seq and is
// placed among the messages of to by Seq, after those with an equal Seq.
// ErrNotFound if the message or the conversation does not exist;
// ErrInvalidArgument if to belongs to another organization.
func (t *writeTx) MoveMessage(_ context.Context, id conversation.MessageID, to conversation.ConversationID) error {
	mr := t.messages[id]
	if mr == nil {
		return conversation.Errorf(conversation.ErrNotFound, "message %s does not exist", id)
	}
	dst := t.convs[to]
	if dst == nil {
		return notFoundConversation(to)
	}
	m := mr.msg
	if m.Conversation == to {
		return nil
	}
	if dst.conv.Org != mr.org {
		return conversation.Errorf(conversation.ErrInvalidArgument,
			"message %s of org %s cannot move to conversation %s of org %s", id, mr.org, to, dst.conv.Org)
	}
	src := t.convs[m.Conversation]
	setField(t, &src.messages, removeMessage(src.messages, m))
	setField(t, &dst.messages, insertBySeq(dst.messages, m, messageSeq))
	setField(t, &m.Conversation, to)
	return nil
}

// UpdateMessage implements [storage.Tx].
func (t *writeTx) UpdateMessage(_ context.Context, m *conversation.Message) error {
	if m == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "UpdateMessage: nil message")
	}
	mr := t.messages[m.ID]
	if mr == nil {
		return conversation.Errorf(conversation.ErrNotFound, "message %s does not exist", m.ID)
	}
	old := mr.msg
	if m.Conversation != old.Conversation || m.HeaderID != old.HeaderID {
		return conversation.Errorf(conversation.ErrInvalidArgument,
			"UpdateMessage: message %s cannot change its conversation or Message-ID", m.ID)
	}
	nm := m.Clone()
	rec := t.convs[old.Conversation]
	setField(t, &rec.messages, insertBySeq(removeMessage(rec.messages, old), nm, messageSeq))
	setMap(t, t.messages, nm.ID, &messageRecord{msg: nm, org: mr.org})
	return nil
}

// MoveComment implements [storage.Tx].
func (t *writeTx) MoveComment(_ context.Context, id conversation.CommentID, to conversation.ConversationID) error {
	from, ok := t.comments[id]
	if !ok {
		return conversation.Errorf(conversation.ErrNotFound, "comment %s does not exist", id)
	}
	dst := t.convs[to]
	if dst == nil {
		return notFoundConversation(to)
	}
	if from == to {
		return nil
	}
	src := t.convs[from]
	if dst.conv.Org != src.conv.Org {
		return conversation.Errorf(conversation.ErrInvalidArgument,
			"comment %s of org %s cannot move to conversation %s of org %s", id, src.conv.Org, to, dst.conv.Org)
	}
	i := slices.IndexFunc(src.comments, func(c *conversation.Comment) bool { return c.ID == id })
	moved := src.comments[i].Clone()
	moved.Conversation = to
	setField(t, &src.comments, slices.Delete(slices.Clone(src.comments), i, i+1))
	setField(t, &dst.comments, insertBySeq(dst.comments, moved, commentSeq))
	setMap(t, t.comments, id, to)
	return nil
}

// UpdateComment implements [storage.Tx].
func (t *writeTx) UpdateComment(_ context.Context, c *conversation.Comment) error {
	if c == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "UpdateComment: nil comment")
	}
	conv, ok := t.comments[c.ID]
	if !ok {
		return conversation.Errorf(conversation.ErrNotFound, "comment %s does not exist", c.ID)
	}
	if conv != c.Conversation {
		return conversation.Errorf(conversation.ErrInvalidArgument, "UpdateComment: comment %s cannot change its conversation", c.ID)
	}
	rec := t.convs[conv]
	i := slices.IndexFunc(rec.comments, func(x *conversation.Comment) bool { return x.ID == c.ID })
	rest := slices.Delete(slices.Clone(rec.comments), i, i+1)
	setField(t, &rec.comments, insertBySeq(rest, c.Clone(), commentSeq))
	return nil
}

// AddComment implements [storage.Tx]. ErrNotFound if the conversation does
// not exist.
func (t *writeTx) AddComment(_ context.Context, c *conversation.Comment) error {
	if c == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "AddComment: nil comment")
	}
	rec := t.convs[c.Conversation]
	if rec == nil {
		return notFoundConversation(c.Conversation)
	}
	if _, ok := t.comments[c.ID]; ok {
		return conversation.Errorf(conversation.ErrConflict, "comment %s already exists", c.ID)
	}
	setMap(t, t.comments, c.ID, c.Conversation)
	setField(t, &rec.comments, insertBySeq(rec.comments, c.Clone(), commentSeq))
	return nil
}

// AppendEvent implements [storage.Tx]. ErrNotFound if the conversation
// does not exist.
func (t *writeTx) AppendEvent(_ context.Context, e *conversation.Event) error {
	if e == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "AppendEvent: nil event")
	}
	rec := t.convs[e.Conversation]
	if rec == nil {
		return notFoundConversation(e.Conversation)
	}
	if _, ok := t.events[e.ID]; ok {
		return conversation.Errorf(conversation.ErrConflict, "event %s already exists", e.ID)
	}
	setMap(t, t.events, e.ID, struct{}{})
	setField(t, &rec.events, append(rec.events, e.Clone()))
	return nil
}

// unindexHeaderID removes message id from the header-id index entry of
// org and header.
func (t *writeTx) unindexHeaderID(org conversation.OrgID, header string, id conversation.MessageID) {
	if header == "" {
		return
	}
	k := orgKey{org: org, key: header}
	ids := t.headerIDs[k]
	if len(ids) == 1 && ids[0] == id {
		deleteMap(t, t.headerIDs, k)
		return
	}
	out := make([]conversation.MessageID, 0, len(ids))
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	setMap(t, t.headerIDs, k, out)
}

func messageSeq(m *conversation.Message) uint64 { return m.Seq }
func commentSeq(c *conversation.Comment) uint64 { return c.Seq }

// insertBySeq returns list with v inserted after every element whose Seq
// is at most v's. Appending reuses list's array (past its length);
// inserting elsewhere builds a new slice, so list itself never changes.
func insertBySeq[T any](list []T, v T, seq func(T) uint64) []T {
	n := len(list)
	s := seq(v)
	if n == 0 || seq(list[n-1]) <= s {
		return append(list, v)
	}
	i := sort.Search(n, func(i int) bool { return seq(list[i]) > s })
	out := make([]T, n+1, n+1+n/4)
	copy(out, list[:i])
	out[i] = v
	copy(out[i+1:], list[i:])
	return out
}

// removeMessage returns a new slice holding list without m.
func removeMessage(list []*conversation.Message, m *conversation.Message) []*conversation.Message {
	out := make([]*conversation.Message, 0, len(list))
	for _, x := range list {
		if x != m {
			out = append(out, x)
		}
	}
	return out
}
