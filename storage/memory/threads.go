package memory

import (
	"context"
	"slices"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// threadKey is a message id in a threading scope.
type threadKey struct{ scope, id string }

// threadRecord is the index entry of one threadKey: the conversation
// holding the message, or those waiting for it. Records are replaced,
// never changed in place, so undo can restore the previous pointer.
type threadRecord struct {
	known   bool
	conv    conversation.ConversationID
	waiting []conversation.ConversationID
}

// subjectRecord is the latest conversation to receive a subject key.
type subjectRecord struct {
	conv conversation.ConversationID
	at   time.Time
}

// ThreadEntry implements [storage.ReadTx].
func (s *state) ThreadEntry(_ context.Context, scope, id string) (storage.ThreadEntry, error) {
	r := s.threads[threadKey{scope, id}]
	if r == nil {
		return storage.ThreadEntry{}, nil
	}
	return storage.ThreadEntry{Known: r.known, Conversation: r.conv, Waiting: slices.Clone(r.waiting)}, nil
}

// LastBySubject implements [storage.ReadTx].
func (s *state) LastBySubject(_ context.Context, scope, key string) (conversation.ConversationID, time.Time, bool, error) {
	r, ok := s.subjects[threadKey{scope, key}]
	if !ok {
		return conversation.ConversationID{}, time.Time{}, false, nil
	}
	return r.conv, r.at, true, nil
}

// PutThreadMessage implements [storage.Tx].
func (t *writeTx) PutThreadMessage(_ context.Context, scope, id string, c conversation.ConversationID) error {
	if t.convs[c] == nil {
		return notFoundConversation(c)
	}
	k := threadKey{scope, id}
	setMap(t, t.threads, k, &threadRecord{known: true, conv: c})
	t.noteThreadKey(c, k)
	return nil
}

// noteThreadKey remembers that the record of k names c.
func (t *writeTx) noteThreadKey(c conversation.ConversationID, k threadKey) {
	rec := t.convs[c]
	if !slices.Contains(rec.threadKeys, k) {
		setField(t, &rec.threadKeys, append(slices.Clip(rec.threadKeys), k))
	}
}

// unindexThreads drops c from the threading index: the ids of its
// messages are no longer known, and it waits for nothing.
func (t *writeTx) unindexThreads(c conversation.ConversationID, rec *convRecord) {
	for _, k := range rec.threadKeys {
		r := t.threads[k]
		switch {
		case r == nil:
		case r.known && r.conv == c:
			deleteMap(t, t.threads, k)
		case !r.known && slices.Contains(r.waiting, c):
			rest := slices.DeleteFunc(slices.Clone(r.waiting), func(x conversation.ConversationID) bool { return x == c })
			if len(rest) == 0 {
				deleteMap(t, t.threads, k)
			} else {
				setMap(t, t.threads, k, &threadRecord{waiting: rest})
			}
		}
	}
	for _, k := range rec.subjectKeys {
		if r, ok := t.subjects[k]; ok && r.conv == c {
			deleteMap(t, t.subjects, k)
		}
	}
}

// AddThreadWaiting implements [storage.Tx].
func (t *writeTx) AddThreadWaiting(_ context.Context, scope, id string, c conversation.ConversationID) error {
	if t.convs[c] == nil {
		return notFoundConversation(c)
	}
	k := threadKey{scope, id}
	r := t.threads[k]
	if r != nil && (r.known || slices.Contains(r.waiting, c)) {
		return nil
	}
	nr := &threadRecord{waiting: []conversation.ConversationID{c}}
	if r != nil {
		nr.waiting = append(slices.Clip(r.waiting), c)
	}
	setMap(t, t.threads, k, nr)
	t.noteThreadKey(c, k)
	return nil
}

// PutThreadSubject implements [storage.Tx].
func (t *writeTx) PutThreadSubject(_ context.Context, scope, key string, c conversation.ConversationID, at time.Time) error {
	if t.convs[c] == nil {
		return notFoundConversation(c)
	}
	k := threadKey{scope, key}
	if r, ok := t.subjects[k]; ok && r.at.After(at) {
		return nil
	}
	setMap(t, t.subjects, k, subjectRecord{conv: c, at: at})
	if rec := t.convs[c]; !slices.Contains(rec.subjectKeys, k) {
		setField(t, &rec.subjectKeys, append(slices.Clip(rec.subjectKeys), k))
	}
	return nil
}
