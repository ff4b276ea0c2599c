package storage

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// MailboxReader reads the mailbox index: the conversations listed in each
// box (a user's Inbox, a team inbox, a label, ...) newest first, and the
// counters kept beside it. Part of [ReadTx].
type MailboxReader interface {
	// List reads the mailbox index of box: entries newest LastActivity
	// first, ties broken by descending conversation ID. Activity is
	// returned in UTC. It returns up to
	// limit entries strictly after the position after (the zero Cursor
	// means the start). Its cost must not depend on how many entries other
	// boxes hold, nor on how many entries of box precede after.
	List(ctx context.Context, box conversation.Box, after Cursor, limit int) ([]Entry, error)
	// Count returns the number of entries of box and how many of them are
	// unread, from counters kept with the index.
	Count(ctx context.Context, box conversation.Box) (Counts, error)
}

// MailboxWriter keeps the mailbox index. Part of [Tx].
type MailboxWriter interface {
	// SetPlacements replaces the mailbox index entries of conversation c
	// with placements, as conversation.Placements computes them, sorted in
	// conversation.ComparePlacements order. Afterwards List and Count of
	// every box behave as conversation.Effective says: c is listed in the
	// team-level and own placements' boxes, and in the box of every
	// placement a team-level one implies for a member of its team (team
	// membership as stored by PutTeam), less the implied placements a
	// correction cancels, with the unread flag a correction sets, all
	// sorted by activity. A backend may index the effective placements one
	// by one, or, as storage/memory does, index the team-level ones and
	// merge them into the member's listings, keeping counters for the
	// corrections. ErrInvalidArgument if a box appears twice with the same
	// Via, or a correction names no team-level placement implying it or
	// an unread flag inconsistent with it.
	SetPlacements(ctx context.Context, c conversation.ConversationID, activity time.Time, placements []conversation.Placement) error
}
