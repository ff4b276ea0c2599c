package memory

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// snoozeKey is one entry of the due-snooze index: a user's own snooze
// (UserState.Snooze) or, with user zero, a snooze for everyone
// (Conversation.SnoozeForEveryone).
type snoozeKey struct {
	until time.Time
	conv  conversation.ConversationID
	user  conversation.UserID
}

// snoozeLess orders the due-snooze index by Until, then conversation,
// then user.
func snoozeLess(a, b snoozeKey) bool {
	if c := a.until.Compare(b.until); c != 0 {
		return c < 0
	}
	if c := a.conv.Compare(b.conv); c != 0 {
		return c < 0
	}
	return a.user.Compare(b.user) < 0
}

// resnooze replaces the index entry of old by one for next (either may be
// nil) for user's snooze of conv (user zero: the snooze for everyone).
func (t *writeTx) resnooze(conv conversation.ConversationID, user conversation.UserID, old, next *conversation.Snooze) {
	if old != nil && next != nil && old.Until.Equal(next.Until) {
		return
	}
	if old != nil {
		treeDelete(t, t.snoozes, snoozeKey{until: old.Until, conv: conv, user: user})
	}
	if next != nil {
		// Round(0) drops the monotonic clock reading, so the index orders
		// by wall clock only, the way it is compared with now.
		treeInsert(t, t.snoozes, snoozeKey{until: next.Until.Round(0), conv: conv, user: user})
	}
}

// DueSnoozes implements [storage.ReadTx].
func (s *state) DueSnoozes(_ context.Context, now time.Time, limit int) ([]storage.DueSnooze, error) {
	if limit <= 0 {
		return nil, nil
	}
	now = now.Round(0)
	var out []storage.DueSnooze
	s.snoozes.Ascend(func(k snoozeKey) bool {
		if k.until.After(now) {
			return false
		}
		out = append(out, storage.DueSnooze{Conversation: k.conv, User: k.user, Until: k.until})
		return len(out) < limit
	})
	return out, nil
}
