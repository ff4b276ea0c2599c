package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

func outboxRecord(i int) storage.OutboxRecord {
	return storage.OutboxRecord{Kind: "event", Conversation: newID[conversation.ConversationID](), At: at(i), Data: fmt.Appendf(nil, `{"n":%d}`, i)}
}

func readOutbox(t *testing.T, s storage.Store, after uint64, limit int) []storage.OutboxRecord {
	t.Helper()
	return mustRead(t, s, func(tx storage.ReadTx) ([]storage.OutboxRecord, error) {
		return tx.ReadOutbox(t.Context(), after, limit)
	})
}

func outboxHead(t *testing.T, s storage.Store) uint64 {
	t.Helper()
	return mustRead(t, s, func(tx storage.ReadTx) (uint64, error) { return tx.OutboxHead(t.Context()) })
}

// testOutbox: records get increasing Seqs in commit order, read back as
// written, in pages; a rolled-back append leaves nothing and no gap that
// a reader could later see filled.
func testOutbox(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	require.Zero(t, outboxHead(t, s))
	require.Empty(t, readOutbox(t, s, 0, 10))

	var written []storage.OutboxRecord
	for batch := 0; batch < 3; batch++ {
		recs := []storage.OutboxRecord{outboxRecord(2 * batch), outboxRecord(2*batch + 1)}
		update(t, s, func(tx storage.Tx) error { return tx.AppendOutbox(ctx, recs) })
		require.Greater(t, recs[1].Seq, recs[0].Seq)
		written = append(written, recs...)
	}
	for i := 1; i < len(written); i++ {
		require.Greater(t, written[i].Seq, written[i-1].Seq, "Seqs increase in commit order")
	}
	require.Equal(t, written[len(written)-1].Seq, outboxHead(t, s))
	require.Equal(t, written, readOutbox(t, s, 0, 100))
	require.Equal(t, written[2:4], readOutbox(t, s, written[1].Seq, 2), "a page after a cursor")

	// A record without a kind is refused.
	err := s.Update(ctx, func(tx storage.Tx) error {
		return tx.AppendOutbox(ctx, []storage.OutboxRecord{{Data: []byte("x")}})
	})
	require.ErrorIs(t, err, conversation.ErrInvalidArgument)

	// Rollback writes nothing.
	boom := errors.New("boom")
	err = s.Update(ctx, func(tx storage.Tx) error {
		if err := tx.AppendOutbox(ctx, []storage.OutboxRecord{outboxRecord(9)}); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, written, readOutbox(t, s, 0, 100))
	next := []storage.OutboxRecord{outboxRecord(10)}
	update(t, s, func(tx storage.Tx) error { return tx.AppendOutbox(ctx, next) })
	require.Greater(t, next[0].Seq, written[len(written)-1].Seq)
	require.Equal(t, next, readOutbox(t, s, written[len(written)-1].Seq, 10), "nothing of the rolled-back append shows")

	// Copies: changing what was read changes nothing stored.
	got := readOutbox(t, s, 0, 1)
	got[0].Data[0] = 'X'
	require.Equal(t, written[:1], readOutbox(t, s, 0, 1))
}

// testOutboxConsumers: cursors per consumer, registered, moved and
// forgotten independently; a cursor past the head is refused.
func testOutboxConsumers(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	_, err := read(t, s, func(tx storage.ReadTx) (uint64, error) { return tx.OutboxConsumer(ctx, "a") })
	require.ErrorIs(t, err, conversation.ErrNotFound)
	recs := []storage.OutboxRecord{outboxRecord(0), outboxRecord(1), outboxRecord(2)}
	update(t, s, func(tx storage.Tx) error { return tx.AppendOutbox(ctx, recs) })
	update(t, s, func(tx storage.Tx) error {
		if err := tx.SetOutboxConsumer(ctx, "a", recs[0].Seq); err != nil {
			return err
		}
		return tx.SetOutboxConsumer(ctx, "b", recs[2].Seq)
	})
	require.Equal(t, map[string]uint64{"a": recs[0].Seq, "b": recs[2].Seq},
		mustRead(t, s, func(tx storage.ReadTx) (map[string]uint64, error) { return tx.OutboxConsumers(ctx) }))
	update(t, s, func(tx storage.Tx) error { return tx.SetOutboxConsumer(ctx, "a", recs[1].Seq) })
	require.Equal(t, recs[1].Seq, mustRead(t, s, func(tx storage.ReadTx) (uint64, error) { return tx.OutboxConsumer(ctx, "a") }))
	require.Equal(t, recs[2].Seq, mustRead(t, s, func(tx storage.ReadTx) (uint64, error) { return tx.OutboxConsumer(ctx, "b") }))

	err = s.Update(ctx, func(tx storage.Tx) error { return tx.SetOutboxConsumer(ctx, "a", recs[2].Seq+1) })
	require.ErrorIs(t, err, conversation.ErrInvalidArgument)
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.SetOutboxConsumer(ctx, "", 0) })
	require.ErrorIs(t, err, conversation.ErrInvalidArgument)

	boom := errors.New("boom")
	err = s.Update(ctx, func(tx storage.Tx) error {
		if err := tx.SetOutboxConsumer(ctx, "a", recs[2].Seq); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, recs[1].Seq, mustRead(t, s, func(tx storage.ReadTx) (uint64, error) { return tx.OutboxConsumer(ctx, "a") }), "a rolled-back move")

	update(t, s, func(tx storage.Tx) error { return tx.DeleteOutboxConsumer(ctx, "b") })
	_, err = read(t, s, func(tx storage.ReadTx) (uint64, error) { return tx.OutboxConsumer(ctx, "b") })
	require.ErrorIs(t, err, conversation.ErrNotFound)
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.DeleteOutboxConsumer(ctx, "b") })
	require.ErrorIs(t, err, conversation.ErrNotFound)
}

// testOutboxCompaction: compaction removes records up to a Seq, keeps
// the rest and the head, never reuses a Seq, and rolls back.
func testOutboxCompaction(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	recs := []storage.OutboxRecord{outboxRecord(0), outboxRecord(1), outboxRecord(2), outboxRecord(3)}
	update(t, s, func(tx storage.Tx) error { return tx.AppendOutbox(ctx, recs) })

	err := s.Update(ctx, func(tx storage.Tx) error {
		if _, err := tx.CompactOutbox(ctx, recs[3].Seq); err != nil {
			return err
		}
		return errors.New("boom")
	})
	require.Error(t, err)
	require.Equal(t, recs, readOutbox(t, s, 0, 10), "a rolled-back compaction")

	var n int
	update(t, s, func(tx storage.Tx) error {
		var err error
		n, err = tx.CompactOutbox(ctx, recs[1].Seq)
		return err
	})
	require.Equal(t, 2, n)
	require.Equal(t, recs[2:], readOutbox(t, s, 0, 10))
	require.Equal(t, recs[2:], readOutbox(t, s, recs[0].Seq, 10))
	update(t, s, func(tx storage.Tx) error {
		var err error
		n, err = tx.CompactOutbox(ctx, recs[1].Seq)
		return err
	})
	require.Zero(t, n, "compaction is idempotent")

	update(t, s, func(tx storage.Tx) error {
		_, err := tx.CompactOutbox(ctx, recs[3].Seq)
		return err
	})
	require.Empty(t, readOutbox(t, s, 0, 10))
	require.Equal(t, recs[3].Seq, outboxHead(t, s), "the head survives compaction")
	next := []storage.OutboxRecord{outboxRecord(4)}
	update(t, s, func(tx storage.Tx) error { return tx.AppendOutbox(ctx, next) })
	require.Greater(t, next[0].Seq, recs[3].Seq, "Seqs are never reused")
	require.Equal(t, next, readOutbox(t, s, 0, 10))
}

// testOutboxConcurrentAppends: concurrent writers; every reader that
// follows the feed with a cursor sees each record once, in Seq order,
// never one below its cursor appearing later.
func testOutboxConcurrentAppends(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	const writers, per = 4, 25
	var wg sync.WaitGroup
	done := make(chan struct{})
	seen := map[uint64]bool{}
	var readErr error
	go func() {
		defer close(done)
		var cursor uint64
		finish := false
		for {
			var recs []storage.OutboxRecord
			if err := s.View(ctx, func(tx storage.ReadTx) error {
				var err error
				recs, err = tx.ReadOutbox(ctx, cursor, 7)
				return err
			}); err != nil {
				readErr = err
				return
			}
			for _, r := range recs {
				if r.Seq <= cursor || seen[r.Seq] {
					readErr = fmt.Errorf("record %d seen after cursor %d", r.Seq, cursor)
					return
				}
				seen[r.Seq] = true
				cursor = r.Seq
			}
			if len(recs) == 0 {
				if finish {
					return
				}
				select {
				case <-ctx.Done():
					return
				default:
				}
			}
			if len(seen) == writers*per {
				finish = true
			}
		}
	}()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				require.NoError(t, s.Update(ctx, func(tx storage.Tx) error {
					return tx.AppendOutbox(ctx, []storage.OutboxRecord{outboxRecord(i)})
				}))
			}
		}()
	}
	wg.Wait()
	<-done
	require.NoError(t, readErr)
	require.Len(t, seen, writers*per)
}
