package storagetest

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// testDerivedPlacements: a placement with Via set is listed and counted
// exactly like any other, whether the backend indexes it or lists it
// through the team-level box of team Via; a conversation reachable both
// ways appears once; the listing follows team membership as stored.
func testDerivedPlacements(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := context.Background()
	org := newOrg()
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	t1 := &conversation.Team{ID: newID[conversation.TeamID](), Org: org.ID, Name: "T1", Handle: "t1"}
	t1.SetMember(u1, conversation.Active)
	t1.SetMember(u2, conversation.Active)
	t2 := &conversation.Team{ID: newID[conversation.TeamID](), Org: org.ID, Name: "T2", Handle: "t2"}
	t2.SetMember(u2, conversation.Observer)
	all := func(u conversation.UserID, via conversation.TeamID, unread bool) conversation.Placement {
		return conversation.Placement{Box: conversation.Box{Kind: conversation.All, User: u}, Via: via, Unread: unread}
	}
	teamAll := func(team conversation.TeamID) conversation.Placement {
		return conversation.Placement{Box: conversation.Box{Kind: conversation.All, Team: team}}
	}
	convs := make([]*conversation.Conversation, 4)
	placements := [][]conversation.Placement{
		{teamAll(t1.ID), all(u1, t1.ID, true), all(u2, t1.ID, false)},                // c0: via T1 for both
		{teamAll(t1.ID), teamAll(t2.ID), all(u2, t1.ID, true)},                       // c1: u1 has no All (trashed for u1, say)
		{teamAll(t1.ID), all(u1, conversation.TeamID{}, false)},                      // c2: u1 explicit, also on T1's box
		{teamAll(t2.ID), all(u2, t2.ID, true), all(u1, conversation.TeamID{}, true)}, // c3: u2 via T2, u1 explicit
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
	list := func(u conversation.UserID, limit int) []conversation.ConversationID {
		var out []conversation.ConversationID
		var after storage.Cursor
		for {
			entries := mustRead(t, s, func(tx storage.ReadTx) ([]storage.Entry, error) {
				return tx.List(ctx, conversation.Box{Kind: conversation.All, User: u}, after, limit)
			})
			for _, e := range entries {
				out = append(out, e.Conversation)
			}
			if len(entries) < limit {
				return out
			}
			after = entries[len(entries)-1].Cursor()
		}
	}
	count := func(u conversation.UserID) storage.Counts {
		return mustRead(t, s, func(tx storage.ReadTx) (storage.Counts, error) {
			return tx.Count(ctx, conversation.Box{Kind: conversation.All, User: u})
		})
	}
	id := func(i int) conversation.ConversationID { return convs[i].ID }
	for _, limit := range []int{1, 2, 50} {
		assert.Equal(t, []conversation.ConversationID{id(3), id(2), id(0)}, list(u1, limit), "u1, page size %d", limit)
		assert.Equal(t, []conversation.ConversationID{id(3), id(1), id(0)}, list(u2, limit), "u2, page size %d", limit)
	}
	assert.Equal(t, storage.Counts{Total: 3, Unread: 2}, count(u1))
	assert.Equal(t, storage.Counts{Total: 3, Unread: 2}, count(u2))
	first := mustRead(t, s, func(tx storage.ReadTx) ([]storage.Entry, error) {
		return tx.List(ctx, conversation.Box{Kind: conversation.All, User: u2}, storage.Cursor{}, 3)
	})
	require.Len(t, first, 3)
	assert.Equal(t, []bool{true, true, false}, []bool{first[0].Unread, first[1].Unread, first[2].Unread}, "unread comes from the user's placement")
	assert.True(t, first[0].Activity.Equal(at(3)))

	// u2 leaves T1; the engine re-places T1's conversations.
	update(t, s, func(tx storage.Tx) error {
		t1.SetMember(u2, 0)
		require.NoError(t, tx.PutTeam(ctx, t1))
		require.NoError(t, tx.SetPlacements(ctx, id(0), at(0), sortedPlacements([]conversation.Placement{teamAll(t1.ID), all(u1, t1.ID, true)})))
		require.NoError(t, tx.SetPlacements(ctx, id(1), at(1), sortedPlacements([]conversation.Placement{teamAll(t1.ID), teamAll(t2.ID), all(u2, t2.ID, true)})))
		return nil
	})
	assert.Equal(t, []conversation.ConversationID{id(3), id(1)}, list(u2, 1))
	assert.Equal(t, storage.Counts{Total: 2, Unread: 2}, count(u2))
	assert.Equal(t, []conversation.ConversationID{id(3), id(2), id(0)}, list(u1, 2))

}

func sortedPlacements(pl []conversation.Placement) []conversation.Placement {
	return slices.SortedFunc(slices.Values(pl), conversation.ComparePlacements)
}
