package conversation

import (
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func uid() UserID { return UserID(uuid.Must(uuid.NewV7())) }
func tid() TeamID { return TeamID(uuid.Must(uuid.NewV7())) }

// boxesOf returns the kinds of u's effective placements.
func boxesOf(pl []Placement, u UserID) []MailboxKind {
	var out []MailboxKind
	for _, p := range pl {
		if p.Box.User == u {
			out = append(out, p.Box.Kind)
		}
	}
	return out
}

// Placements come out in ComparePlacements order, each box once.
func TestPlacementsSortedAndUnique(t *testing.T) {
	a, b, o := uid(), uid(), uid()
	team := &Team{ID: tid()}
	team.SetMember(a, Active)
	team.SetMember(b, Active)
	team.SetMember(o, Observer)
	other := tid()
	c := &Conversation{ID: ConversationID(uuid.Must(uuid.NewV7())), Team: team.ID, InTeamInbox: true,
		Teams: []TeamID{other}, Users: []UserID{b}, HasSent: true, MessageSeq: 1, Seq: 1}
	states := map[UserID]*UserState{a: {InInbox: true, Starred: true, ReadSeq: 1}}
	teams := Teams{team.ID: team, other: {ID: other}}
	pl := Placements(nil, c, states, teams)
	require.True(t, slices.IsSortedFunc(pl, ComparePlacements))
	for i := 1; i < len(pl); i++ {
		require.NotZero(t, ComparePlacements(pl[i-1], pl[i]))
	}
	pl = Effective(pl, teams)
	for i := 1; i < len(pl); i++ {
		require.NotEqual(t, pl[i-1].Box, pl[i].Box)
	}
	assert.Equal(t, []MailboxKind{Inbox, TeamInbox, TeamInboxes, Starred, Sent, All}, boxesOf(pl, a))
	assert.Equal(t, []MailboxKind{TeamInbox, Sent, All}, boxesOf(pl, o), "observers: team inbox only, not Team Inboxes")
	for _, p := range pl {
		if p.Box.User == a {
			assert.False(t, p.Unread, "a read everything")
		}
		if p.Box.User == b && p.Box.Kind != TeamConversations {
			assert.True(t, p.Unread)
		}
	}
}

// Trash and Spam exclude every other mailbox; a removed user is nowhere;
// a snooze hides from Inbox and team inbox only.
func TestPlacementsExclusions(t *testing.T) {
	a := uid()
	team := &Team{ID: tid()}
	team.SetMember(a, Active)
	base := Conversation{Team: team.ID, InTeamInbox: true, Assignees: []UserID{a}, Users: []UserID{a}}
	teams := Teams{team.ID: team}
	tests := []struct {
		name   string
		edit   func(c *Conversation, st *UserState)
		expect []MailboxKind
	}{
		{"open assigned in inbox", func(c *Conversation, st *UserState) { st.InInbox = true },
			[]MailboxKind{Inbox, TeamInbox, TeamInboxes, AssignedToMe, All}},
		{"trashed for everyone", func(c *Conversation, st *UserState) { c.Trashed = true; st.InInbox = true }, []MailboxKind{Trash}},
		{"trashed for me", func(c *Conversation, st *UserState) { st.Trashed = true }, []MailboxKind{Trash}},
		{"spam", func(c *Conversation, st *UserState) { c.Spam = true }, []MailboxKind{Spam}},
		{"removed", func(c *Conversation, st *UserState) { st.Removed = true }, nil},
		{"closed", func(c *Conversation, st *UserState) { c.Closed = true }, []MailboxKind{Closed, All}},
		{"snoozed for me", func(c *Conversation, st *UserState) { st.InInbox = true; st.Snooze = &Snooze{} },
			[]MailboxKind{AssignedToMe, Snoozed, All}},
		{"snoozed, left in inbox", func(c *Conversation, st *UserState) { st.InInbox = true; st.Snooze = &Snooze{LeaveInInbox: true} },
			[]MailboxKind{Inbox, TeamInbox, TeamInboxes, AssignedToMe, Snoozed, All}},
		{"snoozed for everyone", func(c *Conversation, st *UserState) { c.SnoozeForEveryone = &Snooze{} },
			[]MailboxKind{AssignedToMe, Snoozed, All}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base.Clone()
			st := &UserState{User: a}
			tt.edit(c, st)
			pl := Placements(nil, c, map[UserID]*UserState{a: st}, teams)
			assert.Equal(t, tt.expect, boxesOf(Effective(pl, teams), a))
		})
	}
}

// Access: explicit users and team members (active or observer), same
// organization, not removed, never guests.
func TestCanAccess(t *testing.T) {
	org := OrgID(uuid.Must(uuid.NewV7()))
	member := &User{ID: uid(), Org: org}
	observer := &User{ID: uid(), Org: org}
	explicit := &User{ID: uid(), Org: org}
	outsider := &User{ID: uid(), Org: org}
	foreign := &User{ID: explicit.ID, Org: OrgID(uuid.Must(uuid.NewV7()))}
	guest := &User{ID: uid(), Org: org, Role: RoleGuest}
	team := &Team{ID: tid(), Org: org}
	team.SetMember(member.ID, Active)
	team.SetMember(observer.ID, Observer)
	c := &Conversation{Org: org, Teams: []TeamID{team.ID}, Users: []UserID{explicit.ID, guest.ID}}
	teams := Teams{team.ID: team}
	assert.True(t, CanAccess(c, member, nil, teams))
	assert.True(t, CanAccess(c, observer, nil, teams))
	assert.True(t, CanAccess(c, explicit, nil, teams))
	assert.False(t, CanAccess(c, outsider, nil, teams))
	assert.False(t, CanAccess(c, foreign, nil, teams), "another organization")
	assert.False(t, CanAccess(c, guest, nil, teams), "guests see nothing through member grants")
	assert.False(t, CanAccess(c, member, &UserState{Removed: true}, teams))
}
