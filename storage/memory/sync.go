package memory

import (
	"context"
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

var (
	_ storage.SyncCursors      = (*writeTx)(nil)
	_ storage.SyncCursorReader = (*state)(nil)
)

// syncState holds the mail transports' sync cursors and skipped messages
// (storage.SyncCursors), per account. Its maps are made on first write.
type syncState struct {
	cursors map[conversation.AccountID]map[string]storage.SyncCursor
	// skips are kept oldest first; a slice is replaced, never changed in
	// place, so rollback restores the old one.
	skips map[conversation.AccountID][]storage.SyncSkip
}

// SyncCursor implements storage.SyncCursorReader.
func (s *state) SyncCursor(_ context.Context, account conversation.AccountID, folder string) (storage.SyncCursor, error) {
	c, ok := s.sync.cursors[account][folder]
	if !ok {
		return storage.SyncCursor{}, conversation.Errorf(conversation.ErrNotFound, "sync cursor of %s folder %q", account, folder)
	}
	return c, nil
}

// SyncSkips implements storage.SyncCursorReader.
func (s *state) SyncSkips(_ context.Context, account conversation.AccountID, limit int) ([]storage.SyncSkip, error) {
	all := s.sync.skips[account]
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return slices.Clone(all), nil
}

// PutSyncCursor implements storage.SyncCursors.
func (t *writeTx) PutSyncCursor(_ context.Context, c storage.SyncCursor) error {
	if c.Account.IsZero() || c.Folder == "" {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutSyncCursor: account and folder are required")
	}
	if t.sync.cursors == nil {
		t.sync.cursors = make(map[conversation.AccountID]map[string]storage.SyncCursor)
	}
	folders := t.sync.cursors[c.Account]
	if folders == nil {
		folders = make(map[string]storage.SyncCursor)
		setMap(t, t.sync.cursors, c.Account, folders)
	}
	setMap(t, folders, c.Folder, c)
	return nil
}

// AddSyncSkip implements storage.SyncCursors.
func (t *writeTx) AddSyncSkip(_ context.Context, sk storage.SyncSkip) error {
	if sk.Account.IsZero() || sk.Folder == "" {
		return conversation.Errorf(conversation.ErrInvalidArgument, "AddSyncSkip: account and folder are required")
	}
	if t.sync.skips == nil {
		t.sync.skips = make(map[conversation.AccountID][]storage.SyncSkip)
	}
	same := func(o storage.SyncSkip) bool {
		return o.Folder == sk.Folder && o.Validity == sk.Validity && o.UID == sk.UID
	}
	list := slices.DeleteFunc(slices.Clone(t.sync.skips[sk.Account]), same)
	setMap(t, t.sync.skips, sk.Account, append(list, sk))
	return nil
}

// DeleteSyncState implements storage.SyncCursors.
func (t *writeTx) DeleteSyncState(_ context.Context, account conversation.AccountID) error {
	if t.sync.cursors != nil {
		deleteMap(t, t.sync.cursors, account)
	}
	if t.sync.skips != nil {
		deleteMap(t, t.sync.skips, account)
	}
	return nil
}
