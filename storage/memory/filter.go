package memory

import (
	"context"
	"slices"

	"github.com/google/btree"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// assignedKey names one tree of the per-assignee index: the entries of
// box whose conversation is assigned to user.
type assignedKey struct {
	box  conversation.Box
	user conversation.UserID
}

var _ storage.FilteredLister = (*state)(nil)

// emptyTree stands for a box without entries of its own; it is only read.
var emptyTree = btree.NewG(2, boxEntryLess)

// assigneesOf returns, sorted and without duplicates, the users c counts
// as assigned to for the AssignedTo filter.
func assigneesOf(c *conversation.Conversation) []conversation.UserID {
	if len(c.TaskAssignees) == 0 {
		return slices.Clone(c.Assignees)
	}
	out := slices.Concat(c.Assignees, c.TaskAssignees)
	slices.SortFunc(out, conversation.UserID.Compare)
	return slices.Compact(out)
}

// indexAssigned adds rec's listed placements (not its corrections) to the
// per-assignee index under each of rec.assignees.
func (s *state) indexAssigned(id conversation.ConversationID, rec *convRecord) {
	at := rec.activity.UnixNano()
	for _, u := range rec.assignees {
		for _, p := range rec.placements {
			if !p.Via.IsZero() {
				continue
			}
			k := assignedKey{box: p.Box, user: u}
			tr := s.assigned[k]
			if tr == nil {
				tr = btree.NewWithFreeListG(btreeDegree, boxEntryLess, s.boxNodes)
				s.assigned[k] = tr
			}
			tr.ReplaceOrInsert(boxEntry{at: at, conv: id, unread: p.Unread})
		}
	}
}

// unindexAssigned undoes indexAssigned.
func (s *state) unindexAssigned(id conversation.ConversationID, rec *convRecord) {
	at := rec.activity.UnixNano()
	for _, u := range rec.assignees {
		for _, p := range rec.placements {
			if !p.Via.IsZero() {
				continue
			}
			if tr := s.assigned[assignedKey{box: p.Box, user: u}]; tr != nil {
				tr.Delete(boxEntry{at: at, conv: id})
			}
		}
	}
}

// ListFiltered implements [storage.FilteredLister]. AssignedTo reads the
// per-assignee index of box and of the team-level boxes implying it,
// merged as List merges them; NotSnoozedFor steps over snoozed entries.
func (s *state) ListFiltered(ctx context.Context, box conversation.Box, f storage.Filter, after storage.Cursor, limit int) ([]storage.Entry, error) {
	if limit <= 0 {
		return nil, nil
	}
	var out []storage.Entry
	for len(out) < limit {
		var chunk []storage.Entry
		if f.AssignedTo.IsZero() {
			var err error
			if chunk, err = s.List(ctx, box, after, limit-len(out)); err != nil {
				return nil, err
			}
		} else {
			chunk = s.listAssigned(box, f.AssignedTo, after, limit-len(out))
		}
		for _, e := range chunk {
			if f.NotSnoozedFor.IsZero() || !s.snoozedFor(e.Conversation, f.NotSnoozedFor) {
				if out == nil {
					out = make([]storage.Entry, 0, limit)
				}
				out = append(out, e)
			}
		}
		if len(chunk) < limit-len(out) || len(chunk) == 0 || f.NotSnoozedFor.IsZero() {
			break
		}
		after = chunk[len(chunk)-1].Cursor()
	}
	return out, nil
}

// listAssigned lists box restricted to conversations assigned to u.
func (s *state) listAssigned(box conversation.Box, u conversation.UserID, after storage.Cursor, limit int) []storage.Entry {
	var sources []listSource
	if tr := s.assigned[assignedKey{box: box, user: u}]; tr != nil && tr.Len() > 0 {
		sources = append(sources, listSource{tree: tr})
	}
	own := len(sources) == 1
	s.eachImplying(box, func(t conversation.TeamID, _ *boxIndex) {
		team := s.teams[t]
		src, _ := conversation.Implies(box.Kind, team.MemberKind(box.User))
		if tr := s.assigned[assignedKey{box: box.TeamLevel(src, t), user: u}]; tr != nil && tr.Len() > 0 {
			sources = append(sources, listSource{tree: tr, team: t})
		}
	})
	switch {
	case len(sources) == 0:
		return nil
	case len(sources) == 1 && own:
		var out []storage.Entry
		for _, e := range readTree(sources[0].tree, after, limit, nil) {
			out = append(out, e.entry())
		}
		return out
	case !own:
		// mergeList treats its first source as the box's own entries.
		sources = append([]listSource{{tree: emptyTree}}, sources...)
	}
	return s.mergeList(box, sources, after, limit, make([]storage.Entry, 0, limit))
}

// snoozedFor reports whether conversation id is snoozed for u or for
// everyone.
func (s *state) snoozedFor(id conversation.ConversationID, u conversation.UserID) bool {
	rec := s.convs[id]
	if rec == nil {
		return false
	}
	if rec.conv.SnoozeForEveryone != nil {
		return true
	}
	st := rec.states[u]
	return st != nil && st.Snooze != nil
}
