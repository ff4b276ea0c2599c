package storagetest

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

func newLabel(org conversation.OrgID, name string, parent conversation.LabelID) *conversation.Label {
	return &conversation.Label{
		ID: newID[conversation.LabelID](), Org: org, Kind: conversation.OrgLabel, Name: name, Parent: parent,
		Color: "red", Description: "d", Emoji: "🔥", Image: "i.png", VisibleTo: conversation.VisibleToAdminsAndAutoShared,
		AutoShared: []conversation.UserID{newID[conversation.UserID]()}, CreatedBy: newID[conversation.UserID](), CreatedAt: at(1),
	}
}

func newEmailLabel(org conversation.OrgID, acct conversation.AccountID, name string) *conversation.Label {
	return &conversation.Label{ID: newID[conversation.LabelID](), Org: org, Kind: conversation.EmailLabel, Account: acct, Name: name,
		Color: "blue", CreatedBy: newID[conversation.UserID](), CreatedAt: at(2)}
}

// testLabels covers label reads and writes: round trips, siblings
// sharing a name (the store accepts them), the parent and organization indexes, the organization-label
// counter, versions, immutable kind, and deletion with preferences.
func testLabels(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := context.Background()
	org := newOrg()
	acct := newID[conversation.AccountID]()
	parent := newLabel(org.ID, "Features", conversation.LabelID{})
	child := newLabel(org.ID, "Requested", parent.ID)
	email := newEmailLabel(org.ID, acct, "Features") // same name, other kind: fine
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.PutOrg(ctx, org))
		for _, l := range []*conversation.Label{parent, child, email} {
			require.NoError(t, tx.CreateLabel(ctx, l))
			assert.Equal(t, uint64(1), l.Version)
		}
		return nil
	})
	got := mustRead(t, s, func(tx storage.ReadTx) (*conversation.Label, error) { return tx.Label(ctx, child.ID) })
	assert.Equal(t, child, got)
	got.AutoShared[0] = conversation.UserID{}
	assert.Equal(t, child, mustRead(t, s, func(tx storage.ReadTx) (*conversation.Label, error) { return tx.Label(ctx, child.ID) }), "reads are copies")
	all := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Label, error) { return tx.Labels(ctx, org.ID) })
	assert.Equal(t, []conversation.LabelID{parent.ID, child.ID, email.ID}, ids(all, func(l *conversation.Label) conversation.LabelID { return l.ID }))
	kids := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Label, error) { return tx.LabelChildren(ctx, parent.ID) })
	assert.Equal(t, []conversation.LabelID{child.ID}, ids(kids, func(l *conversation.Label) conversation.LabelID { return l.ID }))
	assert.Equal(t, 2, mustRead(t, s, func(tx storage.ReadTx) (int, error) { return tx.CountOrgLabels(ctx, org.ID) }), "email labels are not counted")
	_, err := read(t, s, func(tx storage.ReadTx) (*conversation.Label, error) {
		return tx.Label(ctx, newID[conversation.LabelID]())
	})
	assert.ErrorIs(t, err, conversation.ErrNotFound)

	// The store does not keep sibling names unique (the engine does, per
	// actor): a same-named sibling, in any case, is stored and listed.
	twin := newLabel(org.ID, "REQUESTED", parent.ID)
	update(t, s, func(tx storage.Tx) error { return tx.CreateLabel(ctx, twin) })
	kids = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Label, error) { return tx.LabelChildren(ctx, parent.ID) })
	assert.ElementsMatch(t, []conversation.LabelID{child.ID, twin.ID}, ids(kids, func(l *conversation.Label) conversation.LabelID { return l.ID }), "both same-named siblings are listed")
	assert.Equal(t, 3, mustRead(t, s, func(tx storage.ReadTx) (int, error) { return tx.CountOrgLabels(ctx, org.ID) }))
	twin.Name = "Requested"
	update(t, s, func(tx storage.Tx) error { return tx.UpdateLabel(ctx, twin) })
	assert.Equal(t, twin, mustRead(t, s, func(tx storage.ReadTx) (*conversation.Label, error) { return tx.Label(ctx, twin.ID) }), "a rename to a sibling's exact name is stored")
	update(t, s, func(tx storage.Tx) error { return tx.DeleteLabel(ctx, twin.ID) })
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.CreateLabel(ctx, parent) })
	assert.ErrorIs(t, err, conversation.ErrConflict, "the ID exists")
	update(t, s, func(tx storage.Tx) error {
		return tx.CreateLabel(ctx, newLabel(org.ID, "Requested", conversation.LabelID{}))
	})

	// Updates: versions, immutable kind, renames free the old name.
	stale := child.Clone()
	renamed := child.Clone()
	renamed.Name = "Asked"
	update(t, s, func(tx storage.Tx) error { return tx.UpdateLabel(ctx, renamed) })
	assert.Equal(t, uint64(2), renamed.Version)
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.UpdateLabel(ctx, stale) })
	assert.ErrorIs(t, err, conversation.ErrConflict, "stale version")
	converted := renamed.Clone()
	converted.Kind, converted.Account = conversation.EmailLabel, acct
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.UpdateLabel(ctx, converted) })
	assert.ErrorIs(t, err, conversation.ErrInvalidArgument, "kinds cannot be converted")
	update(t, s, func(tx storage.Tx) error { return tx.CreateLabel(ctx, newLabel(org.ID, "requested", parent.ID)) })
	err = s.Update(ctx, func(tx storage.Tx) error {
		return tx.UpdateLabel(ctx, &conversation.Label{ID: newID[conversation.LabelID]()})
	})
	assert.ErrorIs(t, err, conversation.ErrNotFound)

	// Preferences and deletion.
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	p := &conversation.LabelPrefs{User: u1, Label: child.ID, Pinned: true, Favorite: true, Watch: true, Count: conversation.CountUnread, LastUsed: at(3)}
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.PutLabelPrefs(ctx, p))
		require.NoError(t, tx.PutLabelPrefs(ctx, &conversation.LabelPrefs{User: u2, Label: child.ID, Pinned: true}))
		return tx.PutLabelPrefs(ctx, &conversation.LabelPrefs{User: u1, Label: parent.ID})
	})
	assert.Equal(t, p, mustRead(t, s, func(tx storage.ReadTx) (*conversation.LabelPrefs, error) { return tx.LabelPrefs(ctx, u1, child.ID) }))
	mine := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.LabelPrefs, error) { return tx.UserLabelPrefs(ctx, u1) })
	require.Len(t, mine, 2)
	assert.Equal(t, parent.ID, mine[0].Label, "sorted by label")
	err = s.Update(ctx, func(tx storage.Tx) error {
		return tx.PutLabelPrefs(ctx, &conversation.LabelPrefs{User: u1, Label: newID[conversation.LabelID]()})
	})
	assert.ErrorIs(t, err, conversation.ErrNotFound)
	update(t, s, func(tx storage.Tx) error { return tx.DeleteLabel(ctx, child.ID) })
	_, err = read(t, s, func(tx storage.ReadTx) (*conversation.LabelPrefs, error) { return tx.LabelPrefs(ctx, u2, child.ID) })
	assert.ErrorIs(t, err, conversation.ErrNotFound, "preferences go with the label")
	assert.Len(t, mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.LabelPrefs, error) { return tx.UserLabelPrefs(ctx, u1) }), 1)
	assert.Empty(t, mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Label, error) { return tx.LabelChildren(ctx, parent.ID) })[1:])
	assert.Equal(t, 3, mustRead(t, s, func(tx storage.ReadTx) (int, error) { return tx.CountOrgLabels(ctx, org.ID) }))
	update(t, s, func(tx storage.Tx) error { return tx.CreateLabel(ctx, newLabel(org.ID, "Asked", parent.ID)) })
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.DeleteLabel(ctx, child.ID) })
	assert.ErrorIs(t, err, conversation.ErrNotFound)
}

// testLabelRollback checks that a failed transaction leaves no label,
// counter or preference behind.
func testLabelRollback(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := context.Background()
	org := newOrg()
	kept := newLabel(org.ID, "Kept", conversation.LabelID{})
	update(t, s, func(tx storage.Tx) error { return tx.CreateLabel(ctx, kept) })
	boom := errors.New("boom")
	u := newID[conversation.UserID]()
	err := s.Update(ctx, func(tx storage.Tx) error {
		require.NoError(t, tx.CreateLabel(ctx, newLabel(org.ID, "Gone", conversation.LabelID{})))
		require.NoError(t, tx.PutLabelPrefs(ctx, &conversation.LabelPrefs{User: u, Label: kept.ID, Pinned: true}))
		require.NoError(t, tx.DeleteLabel(ctx, kept.ID))
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 1, mustRead(t, s, func(tx storage.ReadTx) (int, error) { return tx.CountOrgLabels(ctx, org.ID) }))
	all := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Label, error) { return tx.Labels(ctx, org.ID) })
	require.Len(t, all, 1)
	assert.Equal(t, kept, all[0])
	assert.Empty(t, mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.LabelPrefs, error) { return tx.UserLabelPrefs(ctx, u) }))
	update(t, s, func(tx storage.Tx) error {
		return tx.CreateLabel(ctx, newLabel(org.ID, "Gone", conversation.LabelID{}))
	})
}

// testLabelIndexes checks the label boxes of SetPlacements: the
// LabelConversations index lists every conversation carrying a label,
// trashed ones included, and a team-level label box is implied for the
// team's members.
func testLabelIndexes(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := context.Background()
	org := newOrg()
	u, v := newID[conversation.UserID](), newID[conversation.UserID]()
	team := newTeam(org.ID, "support")
	team.Members = nil
	team.SetMember(u, conversation.Observer)
	l := newID[conversation.LabelID]()
	c1, c2 := newConversation(org.ID), newConversation(org.ID)
	for _, c := range []*conversation.Conversation{c1, c2} {
		c.Team, c.Teams, c.Users, c.Assignees, c.LabelUsers, c.Labels = team.ID, nil, nil, nil, nil, []conversation.LabelID{l}
	}
	c2.Trashed = true
	c1.LabelUsers = []conversation.UserID{v}
	teams := conversation.Teams{team.ID: team}
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.PutTeam(ctx, team))
		for i, c := range []*conversation.Conversation{c1, c2} {
			require.NoError(t, tx.CreateConversation(ctx, c))
			require.NoError(t, tx.SetPlacements(ctx, c.ID, at(i), conversation.Placements(nil, c, nil, teams)))
		}
		return nil
	})
	ids := func(box conversation.Box) []conversation.ConversationID {
		var out []conversation.ConversationID
		for _, e := range listBox(t, s, box, 10) {
			out = append(out, e.Conversation)
		}
		return out
	}
	assert.Equal(t, []conversation.ConversationID{c2.ID, c1.ID}, ids(conversation.Box{Kind: conversation.LabelConversations, Label: l}))
	assert.Equal(t, []conversation.ConversationID{c1.ID}, ids(conversation.Box{Kind: conversation.LabelMailbox, User: u, Label: l}), "implied by the team, trash excluded")
	assert.Equal(t, []conversation.ConversationID{c1.ID}, ids(conversation.Box{Kind: conversation.LabelMailbox, User: v, Label: l}), "label-granted user")
	assert.Empty(t, ids(conversation.Box{Kind: conversation.LabelMailbox, User: u, Label: newID[conversation.LabelID]()}))
	n := mustRead(t, s, func(tx storage.ReadTx) (storage.Counts, error) {
		return tx.Count(ctx, conversation.Box{Kind: conversation.LabelMailbox, User: u, Label: l})
	})
	assert.Equal(t, storage.Counts{Total: 1, Unread: 1}, n)
}
