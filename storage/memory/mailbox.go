package memory

import (
	"context"
	"slices"
	"time"

	"github.com/google/btree"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// boxEntry is one conversation listed in one mailbox index. It holds no
// pointers (activity is Unix nanoseconds), so the index's nodes are
// neither scanned by the garbage collector nor copied with write barriers.
type boxEntry struct {
	at     int64
	conv   conversation.ConversationID
	unread bool
}

// boxEntryLess orders a mailbox index by ascending activity, ties by
// ascending conversation ID; listings walk it backwards (newest first).
// Ascending order makes the common write, a conversation becoming the
// newest, an append at the tree's right edge instead of an insertion at
// the front of a node.
func boxEntryLess(a, b boxEntry) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.conv.Compare(b.conv) < 0
}

// entry converts an index entry to what List returns (times in UTC).
func (e boxEntry) entry() storage.Entry {
	return storage.Entry{Conversation: e.conv, Activity: time.Unix(0, e.at).UTC(), Unread: e.unread}
}

// boxIndex is the index of one mailbox with its counters. A box stays in
// the map once created, empty or not: boxes are bounded by users, teams
// and mailbox kinds, and keeping them spares allocations when a box
// empties and fills again.
type boxIndex struct {
	tree   *btree.BTreeG[boxEntry]
	total  int
	unread int
}

// List implements [storage.ReadTx] in O(log n + limit) for a box of n
// entries.
func (s *state) List(_ context.Context, box conversation.Box, after storage.Cursor, limit int) ([]storage.Entry, error) {
	if limit <= 0 {
		return nil, nil
	}
	bi := s.boxes[box]
	if bi == nil || bi.total == 0 {
		return nil, nil
	}
	out := make([]storage.Entry, 0, min(limit, bi.total))
	collect := func(e boxEntry) bool {
		out = append(out, e.entry())
		return len(out) < limit
	}
	if after.IsZero() {
		bi.tree.Descend(collect)
		return out, nil
	}
	pivot := boxEntry{at: after.Activity.UnixNano(), conv: after.Conversation}
	bi.tree.DescendLessOrEqual(pivot, func(e boxEntry) bool {
		if e.at == pivot.at && e.conv == pivot.conv {
			return true // the entry at the cursor itself
		}
		return collect(e)
	})
	return out, nil
}

// Count implements [storage.ReadTx]. A box that was never written has
// zero counts.
func (s *state) Count(_ context.Context, box conversation.Box) (storage.Counts, error) {
	bi := s.boxes[box]
	if bi == nil {
		return storage.Counts{}, nil
	}
	return storage.Counts{Total: bi.total, Unread: bi.unread}, nil
}

// SetPlacements implements [storage.Tx]. It touches only the entries that
// change: every entry when the activity changes, otherwise the boxes added
// or removed and those whose unread flag flips. ErrNotFound if the
// conversation does not exist; ErrInvalidArgument if placements names a
// box twice.
func (t *writeTx) SetPlacements(_ context.Context, c conversation.ConversationID, activity time.Time, placements []conversation.Placement) error {
	rec := t.convs[c]
	if rec == nil {
		return notFoundConversation(c)
	}
	var pl []conversation.Placement
	if len(placements) > 0 {
		pl = slices.Clone(placements)
		if !slices.IsSortedFunc(pl, conversation.ComparePlacements) {
			slices.SortFunc(pl, conversation.ComparePlacements)
		}
		for i := 1; i < len(pl); i++ {
			if pl[i-1].Box == pl[i].Box {
				b := pl[i].Box
				return conversation.Errorf(conversation.ErrInvalidArgument,
					"placements of conversation %s name box {%s user %s team %s} twice", c, b.Kind, b.User, b.Team)
			}
		}
	}
	// Round(0) drops the monotonic clock reading: the index orders by wall
	// clock, the way cursors compare.
	t.setPlacements(c, rec, activity.Round(0), pl)
	return nil
}

// setPlacements moves the index entries of rec to activity and pl (sorted
// by box, owned by the record from now on) and records the way back.
func (t *writeTx) setPlacements(id conversation.ConversationID, rec *convRecord, activity time.Time, pl []conversation.Placement) {
	s := t.state
	oldActivity, oldPl := rec.activity, rec.placements
	s.applyPlacements(id, rec, activity, pl)
	t.onUndo(func() { s.applyPlacements(id, rec, oldActivity, oldPl) })
}

// applyPlacements diffs rec's current entries against activity and pl and
// applies the difference. Neither slice is modified.
func (s *state) applyPlacements(id conversation.ConversationID, rec *convRecord, activity time.Time, pl []conversation.Placement) {
	old := rec.placements
	if !rec.activity.Equal(activity) {
		for _, p := range old {
			s.unlist(p.Box, rec.activity, id)
		}
		for _, p := range pl {
			s.list(p.Box, activity, id, p.Unread)
		}
	} else {
		i, j := 0, 0
		for i < len(old) || j < len(pl) {
			var c int
			switch {
			case i == len(old):
				c = 1
			case j == len(pl):
				c = -1
			default:
				c = boxCompare(old[i].Box, pl[j].Box)
			}
			switch {
			case c < 0:
				s.unlist(old[i].Box, activity, id)
				i++
			case c > 0:
				s.list(pl[j].Box, activity, id, pl[j].Unread)
				j++
			default:
				if old[i].Unread != pl[j].Unread {
					s.list(pl[j].Box, activity, id, pl[j].Unread)
				}
				i++
				j++
			}
		}
	}
	rec.activity, rec.placements = activity, pl
}

// list inserts or replaces the entry of conversation id in box.
func (s *state) list(box conversation.Box, activity time.Time, id conversation.ConversationID, unread bool) {
	bi := s.boxes[box]
	if bi == nil {
		bi = &boxIndex{tree: btree.NewWithFreeListG(btreeDegree, boxEntryLess, s.boxNodes)}
		s.boxes[box] = bi
	}
	prev, replaced := bi.tree.ReplaceOrInsert(boxEntry{at: activity.UnixNano(), conv: id, unread: unread})
	switch {
	case !replaced:
		bi.total++
	case prev.unread:
		bi.unread--
	}
	if unread {
		bi.unread++
	}
}

// unlist removes the entry of conversation id at activity from box.
func (s *state) unlist(box conversation.Box, activity time.Time, id conversation.ConversationID) {
	bi := s.boxes[box]
	if bi == nil {
		return
	}
	if prev, ok := bi.tree.Delete(boxEntry{at: activity.UnixNano(), conv: id}); ok {
		bi.total--
		if prev.unread {
			bi.unread--
		}
	}
}

// boxCompare orders boxes by user, kind and team: the order of
// conversation.ComparePlacements, in which placements are kept.
func boxCompare(a, b conversation.Box) int {
	return conversation.ComparePlacements(conversation.Placement{Box: a}, conversation.Placement{Box: b})
}
