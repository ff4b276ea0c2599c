package storage

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// SyncCursor is how far a mail transport has synced one folder of a
// connected account (for IMAP: one mailbox, its UIDVALIDITY and UIDs).
type SyncCursor struct {
	Account conversation.AccountID
	// Folder is the folder's name on the server.
	Folder string
	// Validity is the folder's UIDVALIDITY: the numbering Last and
	// ImportEnd belong to.
	Validity uint32
	// Last is the highest UID handled: every message at or below it was
	// delivered or skipped with a recorded reason.
	Last uint32
	// ImportEnd is set while the initial history import is under way:
	// the folder's UIDNEXT when it began. Messages below it are imported
	// only when they fall in the history window; zero once done.
	ImportEnd uint32
	// Since is the start of the history window of the import; zero for
	// all history.
	Since time.Time
	// PreviousValidity is set while the copies of an earlier UIDVALIDITY
	// are re-matched after the server renumbered the folder: the
	// references of that numbering are stale until ImportEnd is reached.
	PreviousValidity uint32
}

// SyncSkip records a message a transport could not deliver and skipped
// (malformed beyond parsing, over the size limit), so it is reported
// rather than lost silently.
type SyncSkip struct {
	Account  conversation.AccountID
	Folder   string
	Validity uint32
	UID      uint32
	// Reason says why, in plain words.
	Reason string
	At     time.Time
}

// SyncCursorReader reads sync cursors; see [SyncCursors].
type SyncCursorReader interface {
	// SyncCursor returns the cursor of folder of account, ErrNotFound if
	// none.
	SyncCursor(ctx context.Context, account conversation.AccountID, folder string) (SyncCursor, error)
	// SyncSkips returns the skips recorded for account, oldest first, up
	// to limit (all when limit <= 0).
	SyncSkips(ctx context.Context, account conversation.AccountID, limit int) ([]SyncSkip, error)
}

// SyncCursors is an optional role of a backend's [Tx] (checked at run time
// with a type assertion; its [ReadTx] then implements
// [SyncCursorReader]): the cursors a mail transport keeps per account and
// folder, in the store, so a transport resumes where it stopped after a
// restart, and the messages it skipped with their reasons.
type SyncCursors interface {
	SyncCursorReader
	// PutSyncCursor creates or replaces the cursor of c.Account and
	// c.Folder. ErrInvalidArgument if either is empty.
	PutSyncCursor(ctx context.Context, c SyncCursor) error
	// AddSyncSkip records a skipped message. Recording the same account,
	// folder, validity and UID again replaces the earlier record.
	// ErrInvalidArgument if Account or Folder is empty.
	AddSyncSkip(ctx context.Context, s SyncSkip) error
	// DeleteSyncState removes every cursor and skip of account (the
	// account was disconnected for good).
	DeleteSyncState(ctx context.Context, account conversation.AccountID) error
}
