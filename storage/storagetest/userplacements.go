package storagetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// testUserPlacements checks the optional storage.UserPlacementsSetter:
// one user's placements change, the team-level ones, the other users'
// and the activity stay.
func testUserPlacements(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	var supported bool
	update(t, s, func(tx storage.Tx) error {
		_, supported = tx.(storage.UserPlacementsSetter)
		return nil
	})
	if !supported {
		t.Skip("the backend does not implement storage.UserPlacementsSetter")
	}
	u1, u2, team := newID[conversation.UserID](), newID[conversation.UserID](), newID[conversation.TeamID]()
	inbox1 := conversation.Box{Kind: conversation.Inbox, User: u1}
	all1 := conversation.Box{Kind: conversation.All, User: u1}
	inbox2 := conversation.Box{Kind: conversation.Inbox, User: u2}
	teamAll := conversation.Box{Kind: conversation.All, Team: team}
	boxes := []conversation.Box{inbox1, all1, inbox2, teamAll}
	cs := createConversations(t, s, newID[conversation.OrgID](), 2)
	c1, c2 := cs[0].ID, cs[1].ID
	m := mailboxModel{}
	full := func(id conversation.ConversationID, pl ...conversation.Placement) {
		t.Helper()
		update(t, s, func(tx storage.Tx) error { return tx.SetPlacements(ctx, id, at(int(len(m))+1), pl) })
		m[id] = modelPlacements{activity: at(int(len(m)) + 1), placements: slices.Clone(pl)}
	}
	full(c1, conversation.Placement{Box: teamAll, Unread: true}, conversation.Placement{Box: inbox1},
		conversation.Placement{Box: inbox2, Unread: true})
	full(c2, conversation.Placement{Box: inbox1, Unread: true})
	checkMailboxes(t, ctx, s, boxes, m, 1)

	users := func(id conversation.ConversationID, us []conversation.UserID, pl ...conversation.Placement) error {
		return s.Update(ctx, func(tx storage.Tx) error {
			return tx.(storage.UserPlacementsSetter).SetUserPlacements(ctx, id, us, pl)
		})
	}
	// u1 leaves the Inbox of c1 for All, unread; u2 and the team keep theirs.
	require.NoError(t, users(c1, []conversation.UserID{u1}, conversation.Placement{Box: all1, Unread: true}))
	mp := m[c1]
	mp.placements = []conversation.Placement{{Box: teamAll, Unread: true}, {Box: inbox2, Unread: true}, {Box: all1, Unread: true}}
	m[c1] = mp
	checkMailboxes(t, ctx, s, boxes, m, 1)

	// No placements left for u1 and u2: only the team-level one stays.
	require.NoError(t, users(c1, []conversation.UserID{u1, u2}))
	mp.placements = []conversation.Placement{{Box: teamAll, Unread: true}}
	m[c1] = mp
	checkMailboxes(t, ctx, s, boxes, m, 1)

	// A placement of a user not named is refused, and changes nothing.
	err := users(c2, []conversation.UserID{u2}, conversation.Placement{Box: inbox1})
	require.True(t, errors.Is(err, conversation.ErrInvalidArgument), "got %v", err)
	checkMailboxes(t, ctx, s, boxes, m, 1)

	// An unknown conversation is ErrNotFound.
	err = users(newID[conversation.ConversationID](), []conversation.UserID{u1})
	require.True(t, errors.Is(err, conversation.ErrNotFound), "got %v", err)
}
