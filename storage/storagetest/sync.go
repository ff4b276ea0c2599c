package storagetest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// syncCursorsOf returns the SyncCursors role of a transaction of s, and
// skips the test when the backend does not implement that optional role.
func syncCursorsOf(t *testing.T, s storage.Store) {
	t.Helper()
	var ok bool
	update(t, s, func(tx storage.Tx) error {
		_, ok = tx.(storage.SyncCursors)
		return nil
	})
	if !ok {
		t.Skip("the backend does not implement the optional storage.SyncCursors role")
	}
	view(t, s, func(tx storage.ReadTx) error {
		_, ok = tx.(storage.SyncCursorReader)
		return nil
	})
	require.True(t, ok, "a backend with SyncCursors reads them in View too (storage.SyncCursorReader)")
}

// testSyncCursors covers the optional SyncCursors role: cursors per
// account and folder, replaced by Put, read in View and Update, rolled
// back with their transaction; skips kept oldest first, one per UID; and
// DeleteSyncState.
func testSyncCursors(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	syncCursorsOf(t, s)
	acct, other := newID[conversation.AccountID](), newID[conversation.AccountID]()
	cur := func(tx storage.ReadTx) storage.SyncCursorReader { return tx.(storage.SyncCursorReader) }
	put := func(c storage.SyncCursor) {
		update(t, s, func(tx storage.Tx) error { return tx.(storage.SyncCursors).PutSyncCursor(t.Context(), c) })
	}

	_, err := read(t, s, func(tx storage.ReadTx) (storage.SyncCursor, error) {
		return cur(tx).SyncCursor(t.Context(), acct, "INBOX")
	})
	require.ErrorIs(t, err, conversation.ErrNotFound)

	inbox := storage.SyncCursor{Account: acct, Folder: "INBOX", Validity: 7, Last: 42, ImportEnd: 100, Since: at(1), PreviousValidity: 6}
	sent := storage.SyncCursor{Account: acct, Folder: "Envoyés", Validity: 3, Last: 9}
	put(inbox)
	put(sent)
	put(storage.SyncCursor{Account: other, Folder: "INBOX", Validity: 1, Last: 1})
	got := mustRead(t, s, func(tx storage.ReadTx) (storage.SyncCursor, error) {
		return cur(tx).SyncCursor(t.Context(), acct, "INBOX")
	})
	require.Equal(t, inbox, got)
	inbox.Last, inbox.ImportEnd, inbox.PreviousValidity = 120, 0, 0
	put(inbox)
	require.Equal(t, inbox, mustRead(t, s, func(tx storage.ReadTx) (storage.SyncCursor, error) {
		return cur(tx).SyncCursor(t.Context(), acct, "INBOX")
	}), "Put replaces")
	require.Equal(t, sent, mustRead(t, s, func(tx storage.ReadTx) (storage.SyncCursor, error) {
		return cur(tx).SyncCursor(t.Context(), acct, "Envoyés")
	}))

	// Rolled back with its transaction, and read back inside it.
	boom := errors.New("boom")
	err = s.Update(t.Context(), func(tx storage.Tx) error {
		sc := tx.(storage.SyncCursors)
		require.NoError(t, sc.PutSyncCursor(t.Context(), storage.SyncCursor{Account: acct, Folder: "INBOX", Validity: 8, Last: 1}))
		require.NoError(t, sc.PutSyncCursor(t.Context(), storage.SyncCursor{Account: acct, Folder: "Archive", Validity: 1, Last: 1}))
		require.NoError(t, sc.AddSyncSkip(t.Context(), storage.SyncSkip{Account: acct, Folder: "INBOX", Validity: 8, UID: 1, Reason: "x", At: at(2)}))
		c, err := sc.SyncCursor(t.Context(), acct, "INBOX")
		require.NoError(t, err)
		require.Equal(t, uint32(8), c.Validity, "a transaction reads its own writes")
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, inbox, mustRead(t, s, func(tx storage.ReadTx) (storage.SyncCursor, error) {
		return cur(tx).SyncCursor(t.Context(), acct, "INBOX")
	}))
	_, err = read(t, s, func(tx storage.ReadTx) (storage.SyncCursor, error) {
		return cur(tx).SyncCursor(t.Context(), acct, "Archive")
	})
	require.ErrorIs(t, err, conversation.ErrNotFound)

	// Skips: oldest first, one record per UID, limit.
	skip := func(sk storage.SyncSkip) {
		update(t, s, func(tx storage.Tx) error { return tx.(storage.SyncCursors).AddSyncSkip(t.Context(), sk) })
	}
	a := storage.SyncSkip{Account: acct, Folder: "INBOX", Validity: 7, UID: 5, Reason: "too large", At: at(3)}
	b := storage.SyncSkip{Account: acct, Folder: "INBOX", Validity: 7, UID: 6, Reason: "no header", At: at(4)}
	skip(a)
	skip(b)
	skip(storage.SyncSkip{Account: other, Folder: "INBOX", Validity: 1, UID: 1, Reason: "other", At: at(5)})
	skips := func(limit int) []storage.SyncSkip {
		return mustRead(t, s, func(tx storage.ReadTx) ([]storage.SyncSkip, error) {
			return cur(tx).SyncSkips(t.Context(), acct, limit)
		})
	}
	require.Equal(t, []storage.SyncSkip{a, b}, skips(0))
	require.Equal(t, []storage.SyncSkip{a}, skips(1))
	a.Reason, a.At = "still too large", at(6)
	skip(a)
	require.Equal(t, []storage.SyncSkip{b, a}, skips(0), "the same UID again replaces the record")

	// Invalid arguments.
	err = s.Update(t.Context(), func(tx storage.Tx) error {
		return tx.(storage.SyncCursors).PutSyncCursor(t.Context(), storage.SyncCursor{Account: acct})
	})
	require.ErrorIs(t, err, conversation.ErrInvalidArgument)
	err = s.Update(t.Context(), func(tx storage.Tx) error {
		return tx.(storage.SyncCursors).AddSyncSkip(t.Context(), storage.SyncSkip{Folder: "INBOX"})
	})
	require.ErrorIs(t, err, conversation.ErrInvalidArgument)

	// DeleteSyncState forgets one account only.
	update(t, s, func(tx storage.Tx) error { return tx.(storage.SyncCursors).DeleteSyncState(t.Context(), acct) })
	_, err = read(t, s, func(tx storage.ReadTx) (storage.SyncCursor, error) {
		return cur(tx).SyncCursor(t.Context(), acct, "INBOX")
	})
	require.ErrorIs(t, err, conversation.ErrNotFound)
	require.Empty(t, skips(0))
	require.Len(t, mustRead(t, s, func(tx storage.ReadTx) ([]storage.SyncSkip, error) {
		return cur(tx).SyncSkips(t.Context(), other, 0)
	}), 1)
	_, err = read(t, s, func(tx storage.ReadTx) (storage.SyncCursor, error) {
		return cur(tx).SyncCursor(t.Context(), other, "INBOX")
	})
	require.NoError(t, err)
}
