package inbox

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// The outbox and its feed.
//
// Every operation writes what it emits (timeline events and the
// notifications they imply) to the store's outbox in the transaction
// that commits it. After the commit the engine drains the outbox: it
// hands every record past its consumer's cursor to Config.Subscribers and
// Config.Notifier, then records the new cursor. A process that dies
// between the commit and the drain loses nothing: the next engine on the
// store drains from the recorded cursor. Delivery is at least once: a
// process that dies after handing records out but before recording the
// cursor hands them out again. Hosts read the same records with
// [Engine.Events] and keep their own cursor under a consumer name.

// Outbox record kinds.
const (
	kindEvent        = "event"
	kindNotification = "notification"
)

// DefaultConsumer is the consumer name the engine drains under when
// Config.Consumer is empty.
const DefaultConsumer = "inbox"

// drainBatch is how many records a drain or a feed page reads at once.
const drainBatch = 256

// FeedItem is one record of the feed: a timeline event or a
// notification, at position Seq. Exactly one of Event and Notification is
// set. Its JSON encoding is {"seq": 12, "event": {...}} or
// {"seq": 13, "notification": {...}}, with the encodings of
// [conversation.Event] and [Notification].
type FeedItem struct {
	Seq          uint64              `json:"seq"`
	Event        *conversation.Event `json:"event,omitempty"`
	Notification *Notification       `json:"notification,omitempty"`
}

// outbox is what an operation emits, collected as it goes and written to
// the store before it commits.
type outbox struct {
	events []*conversation.Event
	notes  []Notification
}

// records encodes out for the store. The records' Data share one
// buffer; notifications, the bulk of most operations' records, are
// encoded by hand (appendNotification) to keep allocations per operation
// constant.
func (out *outbox) records() ([]storage.OutboxRecord, error) {
	recs := make([]storage.OutboxRecord, 0, len(out.events)+len(out.notes))
	ends := make([]int, 0, cap(recs))
	var buf []byte
	for _, ev := range out.events {
		b, err := json.Marshal(ev)
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		buf = append(buf, b...)
		ends = append(ends, len(buf))
		recs = append(recs, storage.OutboxRecord{Kind: kindEvent, Conversation: ev.Conversation, At: ev.At})
	}
	for i := range out.notes {
		n := &out.notes[i]
		var err error
		if buf, err = appendNotification(buf, n); err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		ends = append(ends, len(buf))
		recs = append(recs, storage.OutboxRecord{Kind: kindNotification, Conversation: n.Conversation, At: n.At})
	}
	start := 0
	for i, end := range ends {
		recs[i].Data = buf[start:end:end]
		start = end
	}
	return recs, nil
}

// appendNotification appends the JSON encoding of n, the same as
// json.Marshal's, to b.
func appendNotification(b []byte, n *Notification) ([]byte, error) {
	if n.Invitation != nil {
		j, err := json.Marshal(n)
		return append(b, j...), err
	}
	reason, err := n.Reason.MarshalText()
	if err != nil {
		return b, err
	}
	b = append(b, '{')
	b = appendIDField(b, "user", n.User)
	b = appendIDField(b, "conversation", n.Conversation)
	b = appendIDField(b, "task", n.Task)
	b = appendComma(b)
	b = append(b, `"reason":"`...)
	b = append(b, reason...)
	b = append(b, '"')
	b = appendIDField(b, "actor", n.Actor)
	b = append(b, `,"at":"`...)
	b = n.At.AppendFormat(b, time.RFC3339Nano)
	return append(b, `"}`...), nil
}

// appendIDField appends "key":"uuid" unless id is zero.
func appendIDField[K any](b []byte, key string, id conversation.ID[K]) []byte {
	if id.IsZero() {
		return b
	}
	b = appendComma(b)
	b = append(b, '"')
	b = append(b, key...)
	b = append(b, `":"`...)
	var h [36]byte
	u := [16]byte(id)
	hex.Encode(h[0:8], u[0:4])
	h[8] = '-'
	hex.Encode(h[9:13], u[4:6])
	h[13] = '-'
	hex.Encode(h[14:18], u[6:8])
	h[18] = '-'
	hex.Encode(h[19:23], u[8:10])
	h[23] = '-'
	hex.Encode(h[24:], u[10:])
	b = append(b, h[:]...)
	return append(b, '"')
}

// appendComma separates a field from the one before it.
func appendComma(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	return b
}

// writeOutbox appends what the operation emitted to the outbox, registering
// the engine's consumer first if the store does not know it yet (at the
// head, so it never replays what was there before it existed).
func (e *Engine) writeOutbox(ctx context.Context, tx storage.Tx, out *outbox) ([]storage.OutboxRecord, error) {
	if !e.registered.Load() && e.hands() {
		if _, err := tx.OutboxConsumer(ctx, e.consumer); isNotFound(err) {
			head, err := tx.OutboxHead(ctx)
			if err != nil {
				return nil, err
			}
			if err := tx.SetOutboxConsumer(ctx, e.consumer, head); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
	}
	if len(out.events) == 0 && len(out.notes) == 0 {
		return nil, nil
	}
	recs, err := out.records()
	if err != nil {
		return nil, err
	}
	return recs, tx.AppendOutbox(ctx, recs)
}

// decode turns a record back into a feed item.
func decode(r storage.OutboxRecord) (FeedItem, error) {
	it := FeedItem{Seq: r.Seq}
	switch r.Kind {
	case kindEvent:
		it.Event = new(conversation.Event)
		if err := json.Unmarshal(r.Data, it.Event); err != nil {
			return it, fmt.Errorf("outbox record %d: %w", r.Seq, err)
		}
	case kindNotification:
		it.Notification = new(Notification)
		if err := json.Unmarshal(r.Data, it.Notification); err != nil {
			return it, fmt.Errorf("outbox record %d: %w", r.Seq, err)
		}
	default:
		return it, fmt.Errorf("outbox record %d: unknown kind %q", r.Seq, r.Kind)
	}
	return it, nil
}

// fresh is what an operation just appended, from Seq first on: its
// events, then its notifications, so the drain that follows hands those
// values out without decoding them.
type fresh struct {
	first uint64
	out   *outbox
}

// item returns the record with Seq seq if the operation appended it.
func (f fresh) item(seq uint64) (FeedItem, bool) {
	if f.out == nil || seq < f.first {
		return FeedItem{}, false
	}
	i := int(seq - f.first)
	if i < len(f.out.events) {
		return FeedItem{Seq: seq, Event: f.out.events[i]}, true
	}
	if i -= len(f.out.events); i < len(f.out.notes) {
		return FeedItem{Seq: seq, Notification: &f.out.notes[i]}, true
	}
	return FeedItem{}, false
}

func freshItems(recs []storage.OutboxRecord, out *outbox) fresh {
	if len(recs) == 0 {
		return fresh{}
	}
	return fresh{first: recs[0].Seq, out: out}
}

// Drain hands every outbox record past the engine's cursor to the
// subscribers and the notifier, in order, recording the cursor after
// each batch, and returns how many records it handed out. Operations
// drain on their own after they commit; a host calls Drain once after
// starting an engine, to hand out what a previous process committed but
// did not hand out. Records are handed out at least once: a process that
// dies while handing out a batch hands the whole batch out again, so a
// subscriber that must not act twice remembers the IDs of the events it
// acted on. An engine without subscribers and notifier hands out
// nothing, and keeps no cursor (it holds no record back from compaction).
//
// Subscribers and the notifier run one record at a time. One that calls
// the engine must pass on the context it was given: the operation then
// returns at once, and the drain that called it hands out what it
// emitted once the handler returns. With another context it would wait
// for that drain, which waits for it.
func (e *Engine) Drain(ctx context.Context) (int, error) { return e.drain(ctx, fresh{}) }

// drainingKey marks the context a drain hands to subscribers and the
// notifier, so an operation they run through the same engine does not
// wait for the drain that called them.
type drainingKey struct{}

func (e *Engine) drain(ctx context.Context, f fresh) (int, error) {
	if !e.hands() {
		return 0, nil
	}
	if ctx.Value(drainingKey{}) == e {
		// Called from a handler of this engine's drain: that drain goes on
		// until the records this operation appended are handed out too.
		e.drainAgain.Store(true)
		return 0, nil
	}
	e.drainMu.Lock()
	defer e.drainMu.Unlock()
	ctx = context.WithValue(ctx, drainingKey{}, e)
	total := 0
	for {
		var recs []storage.OutboxRecord
		var cursor uint64
		err := e.store.View(ctx, func(tx storage.ReadTx) error {
			var err error
			cursor, err = tx.OutboxConsumer(ctx, e.consumer)
			if isNotFound(err) {
				// Not registered yet: nothing committed since this engine
				// started, and nothing earlier is its to hand out.
				return nil
			}
			if err != nil {
				return err
			}
			recs, err = tx.ReadOutbox(ctx, cursor, drainBatch)
			return err
		})
		if err != nil || len(recs) == 0 {
			return total, err
		}
		for _, r := range recs {
			it, ok := f.item(r.Seq)
			if !ok {
				if it, err = decode(r); err != nil {
					// A record this engine cannot read is reported and
					// skipped, so it does not stop every later one.
					e.reportError(err)
					continue
				}
			}
			e.hand(ctx, it)
		}
		last := recs[len(recs)-1].Seq
		err = e.store.Update(ctx, func(tx storage.Tx) error {
			now, err := tx.OutboxConsumer(ctx, e.consumer)
			if err != nil && !isNotFound(err) {
				return err
			}
			if now >= last {
				return nil // another engine sharing the name got further
			}
			return tx.SetOutboxConsumer(ctx, e.consumer, last)
		})
		if err != nil {
			return total, err
		}
		total += len(recs)
		if len(recs) < drainBatch && !e.drainAgain.Swap(false) {
			return total, nil
		}
	}
}

// hands reports whether the engine has anyone to hand records to.
func (e *Engine) hands() bool { return len(e.subscribers) > 0 || e.notifier != nil }

// hand gives one record to the subscribers or the notifier. A failing
// notifier is reported to Config.OnError; the record counts as handed.
func (e *Engine) hand(ctx context.Context, it FeedItem) {
	if it.Event != nil {
		for _, s := range e.subscribers {
			s.HandleEvent(ctx, it.Event.Clone())
		}
		return
	}
	if e.notifier != nil && it.Notification != nil {
		e.reportError(e.notifier.Notify(ctx, *it.Notification))
	}
}

// Events returns the feed from just after cursor after (zero: from the
// oldest record kept), in commit order, ending at the last record
// committed when it reaches it. Only the [System] actor reads it: it
// holds every organization's events and notifications, for the host to
// build webhooks, write-back and indexing from; views for one user are
// not offered here. Invitation tokens are left out. A host that must not
// miss a record registers a consumer ([Engine.RegisterConsumer]) and
// acknowledges what it has handled ([Engine.AckEvents]); records every
// registered consumer has acknowledged may be removed by
// [Engine.Compact]. Reading stops at the first error.
func (e *Engine) Events(ctx context.Context, actor Actor, after uint64) iter.Seq2[FeedItem, error] {
	return func(yield func(FeedItem, error) bool) {
		if !actor.system {
			yield(FeedItem{}, conversation.Errorf(ErrForbidden, "the event feed is read by the system actor"))
			return
		}
		for {
			var recs []storage.OutboxRecord
			err := e.store.View(ctx, func(tx storage.ReadTx) error {
				var err error
				recs, err = tx.ReadOutbox(ctx, after, drainBatch)
				return err
			})
			if err != nil {
				yield(FeedItem{}, err)
				return
			}
			for _, r := range recs {
				it, err := decode(r)
				if err == nil && it.Notification != nil && it.Notification.Invitation != nil {
					it.Notification.Invitation.Token = ""
				}
				if !yield(it, err) || err != nil {
					return
				}
				after = r.Seq
			}
			if len(recs) < drainBatch {
				return
			}
		}
	}
}

// RegisterConsumer registers a feed consumer under name, at the last
// record committed if it is new, and returns its cursor: the Seq of the
// last record it has acknowledged. Compaction keeps every record a
// registered consumer has not acknowledged. System actor only.
func (e *Engine) RegisterConsumer(ctx context.Context, actor Actor, name string) (uint64, error) {
	if err := feedActor(actor, name); err != nil {
		return 0, err
	}
	var cursor uint64
	err := e.store.Update(ctx, func(tx storage.Tx) error {
		var err error
		cursor, err = tx.OutboxConsumer(ctx, name)
		if !isNotFound(err) {
			return err
		}
		if cursor, err = tx.OutboxHead(ctx); err != nil {
			return err
		}
		return tx.SetOutboxConsumer(ctx, name, cursor)
	})
	return cursor, err
}

// AckEvents records that consumer name has handled every record up to
// and including Seq cursor. ErrNotFound if no consumer has that name;
// ErrInvalidArgument for a cursor past the last record. System actor
// only.
func (e *Engine) AckEvents(ctx context.Context, actor Actor, name string, cursor uint64) error {
	if err := feedActor(actor, name); err != nil {
		return err
	}
	return e.store.Update(ctx, func(tx storage.Tx) error {
		if _, err := tx.OutboxConsumer(ctx, name); err != nil {
			return err
		}
		return tx.SetOutboxConsumer(ctx, name, cursor)
	})
}

// UnregisterConsumer forgets consumer name, so compaction no longer
// waits for it. System actor only.
func (e *Engine) UnregisterConsumer(ctx context.Context, actor Actor, name string) error {
	if err := feedActor(actor, name); err != nil {
		return err
	}
	return e.store.Update(ctx, func(tx storage.Tx) error { return tx.DeleteOutboxConsumer(ctx, name) })
}

// Compact removes the outbox records every registered consumer (the
// engines' own included) has acknowledged, and returns how many it
// removed. With no consumer registered, every record goes. System actor
// only.
func (e *Engine) Compact(ctx context.Context, actor Actor) (int, error) {
	if !actor.system {
		return 0, conversation.Errorf(ErrForbidden, "the outbox is compacted by the system actor")
	}
	n := 0
	err := e.store.Update(ctx, func(tx storage.Tx) error {
		upTo, err := tx.OutboxHead(ctx)
		if err != nil {
			return err
		}
		consumers, err := tx.OutboxConsumers(ctx)
		if err != nil {
			return err
		}
		for _, c := range consumers {
			upTo = min(upTo, c)
		}
		n, err = tx.CompactOutbox(ctx, upTo)
		return err
	})
	return n, err
}

// feedActor refuses feed administration to anyone but the system.
func feedActor(actor Actor, name string) error {
	if !actor.system {
		return conversation.Errorf(ErrForbidden, "feed consumers are managed by the system actor")
	}
	if name == "" {
		return conversation.Errorf(ErrInvalidArgument, "a feed consumer needs a name")
	}
	return nil
}
