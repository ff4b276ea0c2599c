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
// entries. A per-user box is read together with the team-level boxes of
// the user's teams that imply its placements (conversation.Implies); a
// team candidate is dropped when the conversation cancels it for the user
// (a correction with Off set) and takes the user's Unread when a
// correction sets it.
func (s *state) List(_ context.Context, box conversation.Box, after storage.Cursor, limit int) ([]storage.Entry, error) {
	if limit <= 0 {
		return nil, nil
	}
	n, _ := s.Count(context.Background(), box)
	if n.Total == 0 {
		return nil, nil
	}
	bi := s.boxes[box]
	if bi == nil {
		bi = &boxIndex{tree: btree.NewWithFreeListG(btreeDegree, boxEntryLess, s.boxNodes)}
	}
	sources := []listSource{{tree: bi.tree}}
	s.eachImplying(box, func(t conversation.TeamID, tb *boxIndex) {
		if tb.tree.Len() > 0 {
			sources = append(sources, listSource{tree: tb.tree, team: t})
		}
	})
	out := make([]storage.Entry, 0, min(limit, n.Total))
	if len(sources) == 1 {
		for _, e := range readTree(bi.tree, after, limit, nil) {
			out = append(out, e.entry())
		}
		return out, nil
	}
	return s.mergeList(box, sources, after, limit, out), nil
}

// eachImplying calls fn with every team-level box whose entries imply
// placements in the per-user box: those of the teams the user belongs to,
// of the kind conversation.Implies names (for per-team boxes, the box's
// team only).
func (s *state) eachImplying(box conversation.Box, fn func(conversation.TeamID, *boxIndex)) {
	if box.User.IsZero() {
		return
	}
	for _, t := range s.memberOf[box.User] {
		team := s.teams[t]
		if team == nil || (box.Kind.PerTeam() && t != box.Team) {
			continue
		}
		src, ok := conversation.Implies(box.Kind, team.MemberKind(box.User))
		if !ok {
			continue
		}
		if tb := s.boxes[box.TeamLevel(src, t)]; tb != nil {
			fn(t, tb)
		}
	}
}

// listSource is one index a listing reads: the box's own (team zero) or
// the team-level box of team.
type listSource struct {
	tree *btree.BTreeG[boxEntry]
	team conversation.TeamID
}

// readTree appends to dst, newest first, up to n entries of tr strictly
// after the cursor.
func readTree(tr *btree.BTreeG[boxEntry], after storage.Cursor, n int, dst []boxEntry) []boxEntry {
	if n <= 0 {
		return dst
	}
	start := len(dst)
	visit := func(e boxEntry) bool {
		dst = append(dst, e)
		return len(dst)-start < n
	}
	if after.IsZero() {
		tr.Descend(visit)
		return dst
	}
	pivot := boxEntry{at: after.Activity.UnixNano(), conv: after.Conversation}
	tr.DescendLessOrEqual(pivot, func(e boxEntry) bool {
		if e.at == pivot.at && e.conv == pivot.conv {
			return true // the entry at the cursor itself
		}
		return visit(e)
	})
	return dst
}

// mergeList merges several sources newest first. Each round reads the
// next `need` entries of every source; a source that filled its quota may
// hold more entries older than its last one, so the round only walks down
// to the newest such last entry, then the next round continues from there.
func (s *state) mergeList(box conversation.Box, sources []listSource, after storage.Cursor, limit int, out []storage.Entry) []storage.Entry {
	chunks := make([][]boxEntry, len(sources))
	cursor := after
	for len(out) < limit {
		need := limit - len(out)
		var bound boxEntry
		bounded, any := false, false
		for i, src := range sources {
			chunk := readTree(src.tree, cursor, need, chunks[i][:0])
			chunks[i] = chunk
			any = any || len(chunk) > 0
			if len(chunk) == need && (!bounded || boxEntryLess(bound, chunk[need-1])) {
				bound, bounded = chunk[need-1], true
			}
		}
		if !any {
			break
		}
		// k-way merge of the chunks, newest first; k is 1 + the user's teams.
		heads := make([]int, len(sources))
		for {
			best := -1
			for i, h := range heads {
				if h < len(chunks[i]) && (best < 0 || boxEntryLess(chunks[best][heads[best]], chunks[i][h])) {
					best = i
				}
			}
			if best < 0 {
				break
			}
			e := chunks[best][heads[best]]
			heads[best]++
			if bounded && boxEntryLess(e, bound) {
				break
			}
			cursor = storage.Cursor{Activity: time.Unix(0, e.at).UTC(), Conversation: e.conv}
			if best == 0 {
				out = append(out, e.entry())
			} else if unread, ok := s.implied(e, box, sources[best].team); ok {
				out = append(out, storage.Entry{Conversation: e.conv, Activity: time.Unix(0, e.at).UTC(), Unread: unread})
			}
			if len(out) == limit {
				return out
			}
		}
		if !bounded {
			break // every source was read to its end
		}
	}
	return out
}

// implied reports whether team-level entry e of team implies a placement
// in box, and its Unread: the entry's, unless the conversation's
// correction of box through team cancels it or sets the user's own.
func (s *state) implied(e boxEntry, box conversation.Box, team conversation.TeamID) (bool, bool) {
	rec := s.convs[e.conv]
	if rec == nil {
		return false, false
	}
	key := conversation.Placement{Box: box, Via: team}
	if i, ok := slices.BinarySearchFunc(rec.placements, key, conversation.ComparePlacements); ok {
		p := rec.placements[i]
		return p.Unread, !p.Off
	}
	return e.unread, true
}

// Count implements [storage.ReadTx] in O(teams of the user): the box's
// own counters, plus those of the team-level boxes implying its
// placements, plus the user's corrections. A box that was never written
// has zero counts.
func (s *state) Count(_ context.Context, box conversation.Box) (storage.Counts, error) {
	var n storage.Counts
	if bi := s.boxes[box]; bi != nil {
		n = storage.Counts{Total: bi.total, Unread: bi.unread}
	}
	s.eachImplying(box, func(_ conversation.TeamID, tb *boxIndex) {
		n.Total += tb.total
		n.Unread += tb.unread
	})
	if d := s.perUser[box.User]; d != nil && !box.User.IsZero() {
		if dn := d.counts(box, false); dn != nil {
			n.Total += dn.Total
			n.Unread += dn.Unread
		}
	}
	return n, nil
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
		for i := range pl {
			if i > 0 && conversation.ComparePlacements(pl[i-1], pl[i]) == 0 {
				b := pl[i].Box
				return conversation.Errorf(conversation.ErrInvalidArgument,
					"placements of conversation %s name box {%s user %s team %s} via %q twice", c, b.Kind, b.User, b.Team, pl[i].Via)
			}
			if err := checkCorrection(c, pl, pl[i]); err != nil {
				return err
			}
		}
	}
	// Round(0) drops the monotonic clock reading: the index orders by wall
	// clock, the way cursors compare.
	t.setPlacements(c, rec, activity.Round(0), pl)
	return nil
}

// checkCorrection validates p against the team-level placements of pl
// (sorted): a correction must name a user and a team-level placement
// implying its box, and its Unread must be consistent with it, so the
// counters it moves stay exact. Other placements are always valid, but a
// team-level one must not carry Via.
func checkCorrection(c conversation.ConversationID, pl []conversation.Placement, p conversation.Placement) error {
	bad := func(why string) error {
		return conversation.Errorf(conversation.ErrInvalidArgument,
			"placements of conversation %s: correction of box {%s user %s team %s} via %s: %s", c, p.Box.Kind, p.Box.User, p.Box.Team, p.Via, why)
	}
	switch {
	case p.Via.IsZero() && !p.Off:
		return nil
	case p.Via.IsZero():
		return bad("Off without Via")
	case p.Box.User.IsZero():
		return bad("a team-level placement cannot be a correction")
	case p.Box.Kind.PerTeam() && p.Box.Team != p.Via:
		return bad("a per-team box is implied by its own team only")
	}
	src, ok := conversation.Implies(p.Box.Kind, conversation.Active)
	if !ok {
		return bad("no team-level box implies this kind")
	}
	i, found := slices.BinarySearchFunc(pl, conversation.Placement{Box: p.Box.TeamLevel(src, p.Via)}, conversation.ComparePlacements)
	if !found {
		return bad("no team-level placement implies it")
	}
	if team := pl[i]; p.Off != (p.Unread == team.Unread) {
		return bad("Unread must repeat the team-level flag when Off, and differ from it otherwise")
	}
	return nil
}

// setPlacements moves the index entries of rec to activity and pl (sorted
// by box, owned by the record from now on) and records the way back.
func (t *writeTx) setPlacements(id conversation.ConversationID, rec *convRecord, activity time.Time, pl []conversation.Placement) {
	s := t.state
	oldActivity, oldPl, oldAssignees := rec.activity, rec.placements, rec.assignees
	var assignees []conversation.UserID
	if len(pl) > 0 {
		assignees = assigneesOf(rec.conv)
	}
	s.unindexAssigned(id, rec)
	s.applyPlacements(id, rec, activity, pl)
	rec.assignees = assignees
	s.indexAssigned(id, rec)
	t.onUndo(func() {
		s.unindexAssigned(id, rec)
		s.applyPlacements(id, rec, oldActivity, oldPl)
		rec.assignees = oldAssignees
		s.indexAssigned(id, rec)
	})
}

// applyPlacements diffs rec's current placements against activity and pl
// and applies the difference. Neither slice is modified.
func (s *state) applyPlacements(id conversation.ConversationID, rec *convRecord, activity time.Time, pl []conversation.Placement) {
	old := rec.placements
	moved := !rec.activity.Equal(activity)
	i, j := 0, 0
	for i < len(old) || j < len(pl) {
		var c int
		switch {
		case i == len(old):
			c = 1
		case j == len(pl):
			c = -1
		default:
			c = conversation.ComparePlacements(old[i], pl[j])
		}
		switch {
		case c < 0:
			s.unlist(old[i], rec.activity, id)
			i++
		case c > 0:
			s.list(pl[j], activity, id)
			j++
		default:
			if old[i] != pl[j] || (moved && old[i].Via.IsZero()) { // corrections hold no activity
				s.unlist(old[i], rec.activity, id)
				s.list(pl[j], activity, id)
			}
			i++
			j++
		}
	}
	rec.activity, rec.placements = activity, pl
}

// list counts placement p of conversation id and indexes it, unless p
// is a correction: then only the user's counters move.
func (s *state) list(p conversation.Placement, activity time.Time, id conversation.ConversationID) {
	if !p.Via.IsZero() {
		s.countCorrection(p, 1)
		return
	}
	bi := s.boxes[p.Box]
	if bi == nil {
		bi = &boxIndex{tree: btree.NewWithFreeListG(btreeDegree, boxEntryLess, s.boxNodes)}
		s.boxes[p.Box] = bi
	}
	bi.total++
	if p.Unread {
		bi.unread++
	}
	bi.tree.ReplaceOrInsert(boxEntry{at: activity.UnixNano(), conv: id, unread: p.Unread})
}

// unlist undoes list.
func (s *state) unlist(p conversation.Placement, activity time.Time, id conversation.ConversationID) {
	if !p.Via.IsZero() {
		s.countCorrection(p, -1)
		return
	}
	bi := s.boxes[p.Box]
	if bi == nil {
		return
	}
	bi.total--
	if p.Unread {
		bi.unread--
	}
	bi.tree.Delete(boxEntry{at: activity.UnixNano(), conv: id})
}

// corrections are one user's corrections to the counts implied by their
// teams (they may be negative): one per mailbox kind, and per team or
// label for the per-team and per-label kinds.
type corrections struct {
	kinds   [conversation.LabelConversations + 1]storage.Counts
	perTeam map[conversation.Box]*storage.Counts
}

// counts returns the counter of box (nil if absent and !create).
func (d *corrections) counts(box conversation.Box, create bool) *storage.Counts {
	if !box.Kind.PerTeam() && !box.Kind.PerLabel() {
		if int(box.Kind) >= len(d.kinds) {
			return nil
		}
		return &d.kinds[box.Kind]
	}
	c := d.perTeam[box]
	if c == nil && create {
		if d.perTeam == nil {
			d.perTeam = make(map[conversation.Box]*storage.Counts)
		}
		c = &storage.Counts{}
		d.perTeam[box] = c
	}
	return c
}

// countCorrection applies correction p to its user's counters, delta
// times (1 to apply, -1 to take back). Off cancels an implied placement
// (one fewer, and one fewer unread if it was unread); otherwise the
// correction flips the implied placement's unread flag to p.Unread.
func (s *state) countCorrection(p conversation.Placement, delta int) {
	d := s.perUser[p.Box.User]
	if d == nil {
		d = &corrections{}
		s.perUser[p.Box.User] = d
	}
	c := d.counts(p.Box, true)
	switch {
	case p.Off:
		c.Total -= delta
		if p.Unread {
			c.Unread -= delta
		}
	case p.Unread:
		c.Unread += delta
	default:
		c.Unread -= delta
	}
}
