package storagetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// testImpliedPlacements: a team-level placement lists the conversation for
// every member of its team (conversation.Implies) without a placement of
// their own; a correction cancels one implied placement or sets the
// user's unread flag; listings and counts follow team membership as
// stored; inconsistent corrections are refused.
func testImpliedPlacements(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := context.Background()
	org := newOrg()
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	t1 := &conversation.Team{ID: newID[conversation.TeamID](), Org: org.ID, Name: "T1", Handle: "t1"}
	t1.SetMember(u1, conversation.Active)
	t1.SetMember(u2, conversation.Active)
	t2 := &conversation.Team{ID: newID[conversation.TeamID](), Org: org.ID, Name: "T2", Handle: "t2"}
	t2.SetMember(u2, conversation.Observer)
	all := func(u conversation.UserID, unread bool) conversation.Placement {
		return conversation.Placement{Box: conversation.Box{Kind: conversation.All, User: u}, Unread: unread}
	}
	fix := func(u conversation.UserID, via conversation.TeamID, unread, off bool) conversation.Placement {
		return conversation.Placement{Box: conversation.Box{Kind: conversation.All, User: u}, Via: via, Unread: unread, Off: off}
	}
	teamAll := func(team conversation.TeamID) conversation.Placement {
		return conversation.Placement{Box: conversation.Box{Kind: conversation.All, Team: team}, Unread: true}
	}
	teamInbox := func(team conversation.TeamID) conversation.Placement {
		return conversation.Placement{Box: conversation.Box{Kind: conversation.TeamInbox, Team: team}, Unread: true}
	}
	convs := make([]*conversation.Conversation, 5)
	placements := [][]conversation.Placement{
		{teamAll(t1.ID), fix(u2, t1.ID, false, false)},                                           // c0: implied for both, u2 read it
		{teamAll(t1.ID), teamAll(t2.ID), fix(u1, t1.ID, true, true), fix(u2, t2.ID, true, true)}, // c1: u1 cancelled; u2 once, via T1
		{all(u1, false)},                // c2: u1's own
		{teamAll(t2.ID), all(u1, true)}, // c3: u2 via T2 (an observer), u1 own
		{teamInbox(t2.ID), {Box: conversation.Box{Kind: conversation.TeamInbox, User: u2, Team: t2.ID}, Via: t2.ID, Unread: true, Off: true}}, // c4: in nobody's All
	}
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.PutOrg(ctx, org))
		require.NoError(t, tx.PutTeam(ctx, t1))
		require.NoError(t, tx.PutTeam(ctx, t2))
		for i := range convs {
			convs[i] = newConversation(org.ID)
			require.NoError(t, tx.CreateConversation(ctx, convs[i]))
			require.NoError(t, tx.SetPlacements(ctx, convs[i].ID, at(i), sortedPlacements(placements[i])))
		}
		return nil
	})
	list := func(box conversation.Box, limit int) []conversation.ConversationID {
		return entryIDs(listBox(t, s, box, limit))
	}
	count := func(box conversation.Box) storage.Counts {
		return mustRead(t, s, func(tx storage.ReadTx) (storage.Counts, error) { return tx.Count(ctx, box) })
	}
	allOf := func(u conversation.UserID) conversation.Box { return conversation.Box{Kind: conversation.All, User: u} }
	id := func(i int) conversation.ConversationID { return convs[i].ID }
	for _, limit := range []int{1, 2, 50} {
		assert.Equal(t, []conversation.ConversationID{id(3), id(2), id(0)}, list(allOf(u1), limit), "u1, page size %d", limit)
		assert.Equal(t, []conversation.ConversationID{id(3), id(1), id(0)}, list(allOf(u2), limit), "u2, page size %d", limit)
	}
	assert.Equal(t, storage.Counts{Total: 3, Unread: 2}, count(allOf(u1)))
	assert.Equal(t, storage.Counts{Total: 3, Unread: 2}, count(allOf(u2)))
	first := listBox(t, s, allOf(u2), 3)
	require.Len(t, first, 3)
	assert.Equal(t, []bool{true, true, false}, []bool{first[0].Unread, first[1].Unread, first[2].Unread}, "a correction sets the user's unread flag")
	assert.True(t, first[0].Activity.Equal(at(3)))
	// Per-team boxes: an observer's team inbox is implied (here cancelled);
	// Team Inboxes is implied for active members only.
	assert.Empty(t, list(conversation.Box{Kind: conversation.TeamInbox, User: u2, Team: t2.ID}, 10))
	assert.Equal(t, storage.Counts{}, count(conversation.Box{Kind: conversation.TeamInboxes, User: u2}))

	// u2 leaves T1; the engine re-places T1's conversations.
	update(t, s, func(tx storage.Tx) error {
		t1.SetMember(u2, 0)
		require.NoError(t, tx.PutTeam(ctx, t1))
		require.NoError(t, tx.SetPlacements(ctx, id(0), at(0), sortedPlacements([]conversation.Placement{teamAll(t1.ID)})))
		require.NoError(t, tx.SetPlacements(ctx, id(1), at(1), sortedPlacements([]conversation.Placement{teamAll(t1.ID), teamAll(t2.ID), fix(u1, t1.ID, true, true)})))
		return nil
	})
	assert.Equal(t, []conversation.ConversationID{id(3), id(1)}, list(allOf(u2), 1))
	assert.Equal(t, storage.Counts{Total: 2, Unread: 2}, count(allOf(u2)))
	assert.Equal(t, []conversation.ConversationID{id(3), id(2), id(0)}, list(allOf(u1), 2))

	// Corrections the counters could not honour are refused, and change nothing.
	for name, pl := range map[string][]conversation.Placement{
		"no team-level placement":  {fix(u1, t2.ID, true, true)},
		"Off with another unread":  {teamAll(t1.ID), fix(u1, t1.ID, false, true)},
		"same unread as the team":  {teamAll(t1.ID), fix(u1, t1.ID, true, false)},
		"Off without Via":          {{Box: allOf(u1), Off: true}},
		"per-team box, other team": {teamInbox(t1.ID), {Box: conversation.Box{Kind: conversation.TeamInbox, User: u1, Team: t1.ID}, Via: t2.ID, Off: true, Unread: true}},
	} {
		err := s.Update(ctx, func(tx storage.Tx) error { return tx.SetPlacements(ctx, id(0), at(7), sortedPlacements(pl)) })
		assert.True(t, errors.Is(err, conversation.ErrInvalidArgument), "%s: %v", name, err)
	}
	assert.Equal(t, []conversation.ConversationID{id(3), id(2), id(0)}, list(allOf(u1), 2))

	// A correction can make an implied placement unread, too.
	quiet := teamAll(t1.ID)
	quiet.Unread = false
	c5 := newConversation(org.ID)
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.CreateConversation(ctx, c5))
		return tx.SetPlacements(ctx, c5.ID, at(9), sortedPlacements([]conversation.Placement{quiet, fix(u1, t1.ID, true, false)}))
	})
	assert.Equal(t, storage.Counts{Total: 4, Unread: 3}, count(allOf(u1)))
	top := mustRead(t, s, func(tx storage.ReadTx) ([]storage.Entry, error) { return tx.List(ctx, allOf(u1), storage.Cursor{}, 1) })
	if assert.Len(t, top, 1) {
		assert.Equal(t, c5.ID, top[0].Conversation)
		assert.True(t, top[0].Unread)
	}
}

// testImpliedPlacementsModel: random teams, memberships, conversations and
// user states, placed with conversation.Placements; after every step each
// user's listing and count of every mailbox equals what
// conversation.Effective says, including after membership changes.
func testImpliedPlacementsModel(t *testing.T, newStore func(t *testing.T) storage.Store) {
	rapid.Check(t, func(rt *rapid.T) {
		s := newStore(t)
		ctx := context.Background()
		org := newOrg()
		users := make([]conversation.UserID, 4)
		for i := range users {
			users[i] = newID[conversation.UserID]()
		}
		teams := conversation.Teams{}
		var teamIDs []conversation.TeamID
		for i := range 3 {
			tm := &conversation.Team{ID: newID[conversation.TeamID](), Org: org.ID, Name: "T", Handle: "t" + string(rune('a'+i))}
			teams[tm.ID] = tm
			teamIDs = append(teamIDs, tm.ID)
		}
		slices.SortFunc(teamIDs, conversation.TeamID.Compare)
		labelIDs := []conversation.LabelID{newID[conversation.LabelID](), newID[conversation.LabelID]()}
		update(t, s, func(tx storage.Tx) error {
			require.NoError(t, tx.PutOrg(ctx, org))
			for _, tm := range teams {
				require.NoError(t, tx.PutTeam(ctx, tm))
			}
			return nil
		})
		type convState struct {
			c      *conversation.Conversation
			states map[conversation.UserID]*conversation.UserState
			minute int
		}
		var convs []*convState
		place := func(tx storage.Tx, cs *convState) error {
			return tx.SetPlacements(ctx, cs.c.ID, at(cs.minute), conversation.Placements(nil, cs.c, cs.states, teams))
		}
		minute := 0
		rt.Repeat(map[string]func(*rapid.T){
			"conversation": func(rt *rapid.T) {
				minute++
				cs := &convState{c: newConversation(org.ID), states: map[conversation.UserID]*conversation.UserState{}, minute: minute}
				drawConversation(rt, cs.c, teamIDs, users, labelIDs)
				for _, u := range users {
					if rapid.Bool().Draw(rt, "has state") {
						cs.states[u] = drawState(rt, cs.c.ID, u)
					}
				}
				convs = append(convs, cs)
				update(t, s, func(tx storage.Tx) error {
					require.NoError(t, tx.CreateConversation(ctx, cs.c))
					return place(tx, cs)
				})
			},
			"change": func(rt *rapid.T) {
				if len(convs) == 0 {
					rt.Skip("no conversation")
				}
				cs := rapid.SampledFrom(convs).Draw(rt, "conv")
				if rapid.Bool().Draw(rt, "activity") {
					minute++
					cs.minute = minute
				}
				u := rapid.SampledFrom(users).Draw(rt, "user")
				if rapid.Bool().Draw(rt, "user state") {
					cs.states[u] = drawState(rt, cs.c.ID, u)
				} else {
					drawConversation(rt, cs.c, teamIDs, users, labelIDs)
				}
				update(t, s, func(tx storage.Tx) error { return place(tx, cs) })
			},
			"membership": func(rt *rapid.T) {
				tm := teams[rapid.SampledFrom(teamIDs).Draw(rt, "team")]
				u := rapid.SampledFrom(users).Draw(rt, "user")
				tm.SetMember(u, rapid.SampledFrom([]conversation.MembershipKind{0, conversation.Active, conversation.Observer}).Draw(rt, "kind"))
				update(t, s, func(tx storage.Tx) error {
					require.NoError(t, tx.PutTeam(ctx, tm))
					for _, cs := range convs {
						if err := place(tx, cs); err != nil {
							return err
						}
					}
					return nil
				})
			},
			"": func(rt *rapid.T) {
				type row struct {
					id     conversation.ConversationID
					minute int
					unread bool
				}
				want := map[conversation.Box][]row{}
				for _, cs := range convs {
					for _, p := range conversation.Effective(conversation.Placements(nil, cs.c, cs.states, teams), teams) {
						want[p.Box] = append(want[p.Box], row{cs.c.ID, cs.minute, p.Unread})
					}
				}
				for _, u := range users {
					for k := conversation.Inbox; k <= conversation.Spam; k++ {
						boxes := []conversation.Box{{Kind: k, User: u}}
						if k.PerTeam() {
							boxes = boxes[:0]
							for _, id := range teamIDs {
								boxes = append(boxes, conversation.Box{Kind: k, User: u, Team: id})
							}
						}
						if k == conversation.All { // and every label box, which mirrors All
							for _, l := range labelIDs {
								boxes = append(boxes, conversation.Box{Kind: conversation.LabelMailbox, User: u, Label: l})
							}
						}
						for _, box := range boxes {
							rows := want[box]
							slices.SortFunc(rows, func(a, b row) int {
								if a.minute != b.minute {
									return b.minute - a.minute
								}
								return b.id.Compare(a.id)
							})
							var expect []storage.Entry
							unread := 0
							for _, r := range rows {
								expect = append(expect, storage.Entry{Conversation: r.id, Activity: at(r.minute), Unread: r.unread})
								if r.unread {
									unread++
								}
							}
							got := listBox(rt, s, box, 2)
							require.Equal(rt, len(expect), len(got), "box %v", box)
							for i := range got {
								require.Equal(rt, expect[i].Conversation, got[i].Conversation, "box %v entry %d", box, i)
								require.Equal(rt, expect[i].Unread, got[i].Unread, "box %v entry %d", box, i)
								require.True(rt, expect[i].Activity.Equal(got[i].Activity))
							}
							n := mustRead(t, s, func(tx storage.ReadTx) (storage.Counts, error) { return tx.Count(ctx, box) })
							require.Equal(rt, storage.Counts{Total: len(expect), Unread: unread}, n, "box %v", box)
						}
					}
				}
			},
		})
	})
}

// drawConversation sets c's shared state at random.
func drawConversation(rt *rapid.T, c *conversation.Conversation, teamIDs []conversation.TeamID, users []conversation.UserID, labelIDs []conversation.LabelID) {
	c.Labels, c.LabelUsers = nil, nil
	for _, l := range labelIDs {
		if rapid.Bool().Draw(rt, "labelled") {
			conversation.AddSorted(&c.Labels, l)
		}
	}
	for _, u := range users {
		if len(c.Labels) > 0 && rapid.IntRange(0, 3).Draw(rt, "label-shared") == 0 {
			conversation.AddSorted(&c.LabelUsers, u)
		}
	}
	c.Team = rapid.SampledFrom(append([]conversation.TeamID{{}}, teamIDs...)).Draw(rt, "team")
	c.Teams = nil
	for _, id := range teamIDs {
		if rapid.IntRange(0, 3).Draw(rt, "shared with team") == 0 {
			conversation.AddSorted(&c.Teams, id)
		}
	}
	c.Users, c.Assignees = nil, nil
	for _, u := range users {
		if rapid.IntRange(0, 2).Draw(rt, "named") == 0 {
			conversation.AddSorted(&c.Users, u)
		}
		if rapid.IntRange(0, 3).Draw(rt, "assigned") == 0 {
			conversation.AddSorted(&c.Assignees, u)
		}
	}
	c.InTeamInbox = rapid.Bool().Draw(rt, "in team inbox")
	c.Closed = rapid.IntRange(0, 3).Draw(rt, "closed") == 0
	c.Trashed = rapid.IntRange(0, 7).Draw(rt, "trashed") == 0
	c.Spam = rapid.IntRange(0, 7).Draw(rt, "spam") == 0
	c.HasSent = rapid.Bool().Draw(rt, "sent")
	c.MessageSeq = uint64(rapid.IntRange(0, 2).Draw(rt, "message seq"))
	c.SnoozeForEveryone = nil
	if rapid.IntRange(0, 5).Draw(rt, "snoozed for everyone") == 0 {
		c.SnoozeForEveryone = &conversation.Snooze{}
	}
}

// drawState returns a random state of u in c.
func drawState(rt *rapid.T, c conversation.ConversationID, u conversation.UserID) *conversation.UserState {
	st := newState(c, u)
	st.InInbox = rapid.Bool().Draw(rt, "in inbox")
	st.ReadSeq = uint64(rapid.IntRange(0, 2).Draw(rt, "read seq"))
	st.Starred = rapid.IntRange(0, 3).Draw(rt, "starred") == 0
	st.Trashed = rapid.IntRange(0, 5).Draw(rt, "trashed for me") == 0
	st.Removed = rapid.IntRange(0, 5).Draw(rt, "removed") == 0
	if rapid.IntRange(0, 3).Draw(rt, "snoozed") == 0 {
		st.Snooze = &conversation.Snooze{}
	}
	return st
}

// listBox pages through box in one read transaction.
func listBox(t require.TestingT, s storage.Store, box conversation.Box, limit int) []storage.Entry {
	var out []storage.Entry
	require.NoError(t, s.View(context.Background(), func(tx storage.ReadTx) error {
		out = listAll(t, context.Background(), tx, box, limit, 1000)
		return nil
	}))
	return out
}

func sortedPlacements(pl []conversation.Placement) []conversation.Placement {
	return slices.SortedFunc(slices.Values(pl), conversation.ComparePlacements)
}
