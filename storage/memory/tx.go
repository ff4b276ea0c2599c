package memory

import (
	"github.com/google/btree"

	"github.com/inboxkit/inboxkit/storage"
)

// writeTx is the read-write transaction. Writes change the state in place
// and push onto undo a closure restoring what they changed; rollback runs
// the closures newest first, which puts every map, slice, tree and
// counter back exactly as it was when the transaction began.
//
// Every write method validates its arguments before it changes anything,
// so a write that fails leaves no trace even when fn ignores its error and
// commits.
type writeTx struct {
	*state
	undo []func()
}

var _ storage.Tx = (*writeTx)(nil)

// maxKeptUndo bounds the undo log capacity kept between transactions, so
// one bulk load does not pin a large slice for the life of the store.
const maxKeptUndo = 1 << 12

// run runs fn and commits, or rolls back when fn fails or panics (the
// panic continues after the rollback).
func (t *writeTx) run(fn func(tx storage.Tx) error) error {
	committed := false
	defer func() {
		if !committed {
			t.rollback()
		}
		t.reset()
	}()
	if err := fn(t); err != nil {
		return err
	}
	committed = true
	return nil
}

func (t *writeTx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
}

func (t *writeTx) reset() {
	if cap(t.undo) > maxKeptUndo {
		t.undo = nil
		return
	}
	clear(t.undo)
	t.undo = t.undo[:0]
}

// onUndo records f to run on rollback.
func (t *writeTx) onUndo(f func()) { t.undo = append(t.undo, f) }

// setMap sets m[k] to v, recording how to restore the previous entry.
func setMap[K comparable, V any](t *writeTx, m map[K]V, k K, v V) {
	old, had := m[k]
	m[k] = v
	if had {
		t.onUndo(func() { m[k] = old })
	} else {
		t.onUndo(func() { delete(m, k) })
	}
}

// deleteMap deletes m[k], recording how to restore it.
func deleteMap[K comparable, V any](t *writeTx, m map[K]V, k K) {
	old, had := m[k]
	if !had {
		return
	}
	delete(m, k)
	t.onUndo(func() { m[k] = old })
}

// setField sets *p to v, recording how to restore the previous value.
func setField[T any](t *writeTx, p *T, v T) {
	old := *p
	*p = v
	t.onUndo(func() { *p = old })
}

// treeInsert inserts item into tr, recording how to undo it.
func treeInsert[T any](t *writeTx, tr *btree.BTreeG[T], item T) {
	if old, replaced := tr.ReplaceOrInsert(item); replaced {
		t.onUndo(func() { tr.ReplaceOrInsert(old) })
	} else {
		t.onUndo(func() { tr.Delete(item) })
	}
}

// treeDelete deletes item from tr, recording how to undo it.
func treeDelete[T any](t *writeTx, tr *btree.BTreeG[T], item T) {
	if old, ok := tr.Delete(item); ok {
		t.onUndo(func() { tr.ReplaceOrInsert(old) })
	}
}
