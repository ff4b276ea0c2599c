package memory

import (
	"context"
	"maps"
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// outboxState is the outbox: records in Seq order (the first one has Seq
// first), the last Seq handed out, and the consumers' cursors. Writes are
// serialized by the store's lock, so Seqs commit in order.
type outboxState struct {
	records   []storage.OutboxRecord
	first     uint64
	head      uint64
	consumers map[string]uint64
}

func (s *outboxState) init() {
	s.first = 1
	s.consumers = make(map[string]uint64)
}

// ReadOutbox implements [storage.OutboxReader].
func (s *state) ReadOutbox(_ context.Context, after uint64, limit int) ([]storage.OutboxRecord, error) {
	o := &s.outbox
	if limit <= 0 || after >= o.head {
		return nil, nil
	}
	i := 0
	if after >= o.first {
		i = int(after - o.first + 1)
	}
	end := min(len(o.records), i+limit)
	out := make([]storage.OutboxRecord, 0, end-i)
	for _, r := range o.records[i:end] {
		r.Data = slices.Clone(r.Data)
		out = append(out, r)
	}
	return out, nil
}

// OutboxHead implements [storage.OutboxReader].
func (s *state) OutboxHead(context.Context) (uint64, error) { return s.outbox.head, nil }

// OutboxConsumer implements [storage.OutboxReader].
func (s *state) OutboxConsumer(_ context.Context, name string) (uint64, error) {
	c, ok := s.outbox.consumers[name]
	if !ok {
		return 0, conversation.Errorf(conversation.ErrNotFound, "outbox consumer %q", name)
	}
	return c, nil
}

// OutboxConsumers implements [storage.OutboxReader].
func (s *state) OutboxConsumers(context.Context) (map[string]uint64, error) {
	return maps.Clone(s.outbox.consumers), nil
}

// AppendOutbox implements [storage.OutboxWriter].
func (t *writeTx) AppendOutbox(_ context.Context, recs []storage.OutboxRecord) error {
	for i := range recs {
		if recs[i].Kind == "" {
			return conversation.Errorf(conversation.ErrInvalidArgument, "outbox record without a kind")
		}
	}
	o := &t.outbox
	n, head := len(o.records), o.head
	size := 0
	for i := range recs {
		size += len(recs[i].Data)
	}
	// One copy of every record's data.
	arena := make([]byte, 0, size)
	for i := range recs {
		o.head++
		recs[i].Seq = o.head
		r := recs[i]
		start := len(arena)
		arena = append(arena, r.Data...)
		r.Data = arena[start:len(arena):len(arena)]
		r.At = r.At.Round(0)
		o.records = append(o.records, r)
	}
	t.onUndo(func() {
		clear(o.records[n:])
		o.records, o.head = o.records[:n], head
	})
	return nil
}

// SetOutboxConsumer implements [storage.OutboxWriter].
func (t *writeTx) SetOutboxConsumer(_ context.Context, name string, cursor uint64) error {
	if name == "" {
		return conversation.Errorf(conversation.ErrInvalidArgument, "outbox consumer without a name")
	}
	if cursor > t.outbox.head {
		return conversation.Errorf(conversation.ErrInvalidArgument, "outbox cursor %d is past the last record %d", cursor, t.outbox.head)
	}
	setMap(t, t.outbox.consumers, name, cursor)
	return nil
}

// DeleteOutboxConsumer implements [storage.OutboxWriter].
func (t *writeTx) DeleteOutboxConsumer(_ context.Context, name string) error {
	if _, ok := t.outbox.consumers[name]; !ok {
		return conversation.Errorf(conversation.ErrNotFound, "outbox consumer %q", name)
	}
	deleteMap(t, t.outbox.consumers, name)
	return nil
}

// CompactOutbox implements [storage.OutboxWriter].
func (t *writeTx) CompactOutbox(_ context.Context, upTo uint64) (int, error) {
	o := &t.outbox
	if upTo < o.first || len(o.records) == 0 {
		return 0, nil
	}
	n := min(len(o.records), int(upTo-o.first+1))
	old, first := o.records, o.first
	// A new backing array, so the removed records can be collected.
	o.records = slices.Clone(o.records[n:])
	o.first += uint64(n)
	t.onUndo(func() { o.records, o.first = old, first })
	return n, nil
}
