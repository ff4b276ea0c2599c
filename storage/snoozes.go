package storage

import (
	"context"
	"time"
)

// SnoozeReader reads the due-snooze index, kept by PutUserState and
// UpdateConversation from UserState.Snooze and
// Conversation.SnoozeForEveryone. Part of [ReadTx].
type SnoozeReader interface {
	// DueSnoozes returns up to limit snoozes whose Until is at or before
	// now, earliest first: each user's own snoozes (UserState.Snooze) and
	// snoozes for everyone (Conversation.SnoozeForEveryone, User zero).
	DueSnoozes(ctx context.Context, now time.Time, limit int) ([]DueSnooze, error)
}
