package conversation

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// naivePlacements is the reference for Placements: every user of the
// audience, one placement per mailbox, with the user's unread flag.
func naivePlacements(c *Conversation, states map[UserID]*UserState, teams Teams) []Placement {
	var out []Placement
	var zero UserState
	for _, u := range Audience(c, states, teams) {
		st := states[u]
		if st == nil {
			st = &zero
		}
		var mk MembershipKind
		if team := teams[c.Team]; team != nil {
			mk = team.MemberKind(u)
		}
		for _, k := range userKinds(nil, c, u, st, mk, false) {
			box := Box{Kind: k, User: u}
			if k.PerTeam() {
				box.Team = c.Team
			}
			out = append(out, Placement{Box: box, Unread: st.Unread(c)})
			if k == All { // every label is its own mailbox, listing what All lists
				for _, l := range c.Labels {
					out = append(out, Placement{Box: Box{Kind: LabelMailbox, User: u, Label: l}, Unread: st.Unread(c)})
				}
			}
		}
	}
	slices.SortFunc(out, ComparePlacements)
	return out
}

// The placements a store keeps (team-level, own, corrections) stand for
// exactly the per-user placements of the naive definition, whatever the
// teams, memberships, states and shared state; and they are sorted and
// name each box and team once.
func TestPlacementsEffectiveMatchesNaive(t *testing.T) {
	users := []UserID{uid(), uid(), uid(), uid(), uid()}
	teamIDs := []TeamID{tid(), tid(), tid()}
	guestIDs := []UserID{uid(), uid()}
	labelIDs := []LabelID{LabelID(uid()), LabelID(uid()), LabelID(uid())}
	rapid.Check(t, func(rt *rapid.T) {
		teams := Teams{}
		for i, id := range teamIDs {
			team := &Team{ID: id, Mention: rapid.SampledFrom([]MentionOption{MentionActiveOnly, MentionActiveAndObservers}).Draw(rt, "mention option")}
			for j, u := range users {
				kind := rapid.SampledFrom([]MembershipKind{0, Active, Observer}).Draw(rt, "member")
				_ = j
				team.SetMember(u, kind)
			}
			if i < 2 || rapid.Bool().Draw(rt, "third team exists") {
				teams[id] = team
			}
		}
		c := &Conversation{
			Team:        rapid.SampledFrom(append([]TeamID{{}}, teamIDs...)).Draw(rt, "team"),
			InTeamInbox: rapid.Bool().Draw(rt, "in team inbox"),
			Closed:      rapid.Bool().Draw(rt, "closed"),
			Trashed:     rapid.IntRange(0, 9).Draw(rt, "trashed") == 0,
			Spam:        rapid.IntRange(0, 9).Draw(rt, "spam") == 0,
			HasSent:     rapid.Bool().Draw(rt, "sent"),
			MessageSeq:  uint64(rapid.IntRange(0, 3).Draw(rt, "message seq")),
			CommentSeq:  uint64(rapid.IntRange(0, 3).Draw(rt, "comment seq")),
		}
		for _, id := range teamIDs {
			if rapid.IntRange(0, 3).Draw(rt, "shared with team") == 0 {
				AddSorted(&c.Teams, id)
			}
			if rapid.IntRange(0, 3).Draw(rt, "shared with team by a mention") == 0 {
				AddSorted(&c.MentionTeams, id)
			}
		}
		if rapid.IntRange(0, 4).Draw(rt, "snoozed for everyone") == 0 {
			c.SnoozeForEveryone = &Snooze{LeaveInInbox: rapid.Bool().Draw(rt, "leave")}
		}
		for _, l := range labelIDs {
			if rapid.Bool().Draw(rt, "labelled") {
				AddSorted(&c.Labels, l)
			}
		}
		states := map[UserID]*UserState{}
		for _, u := range users {
			if rapid.Bool().Draw(rt, "named") {
				AddSorted(&c.Users, u)
			}
			if rapid.IntRange(0, 3).Draw(rt, "label-shared") == 0 {
				AddSorted(&c.LabelUsers, u)
			}
			if rapid.IntRange(0, 3).Draw(rt, "assigned") == 0 {
				AddSorted(&c.Assignees, u)
			}
			if !rapid.Bool().Draw(rt, "has state") {
				continue
			}
			st := &UserState{User: u,
				InInbox: rapid.Bool().Draw(rt, "in inbox"),
				ReadSeq: uint64(rapid.IntRange(0, 3).Draw(rt, "read seq")),
				Starred: rapid.Bool().Draw(rt, "starred"),
				Trashed: rapid.IntRange(0, 5).Draw(rt, "trashed for me") == 0,
				Removed: rapid.IntRange(0, 5).Draw(rt, "removed") == 0,
			}
			if rapid.IntRange(0, 3).Draw(rt, "snoozed") == 0 {
				st.Snooze = &Snooze{LeaveInInbox: rapid.Bool().Draw(rt, "leave in inbox")}
			}
			states[u] = st
		}
		// Guests: in no team, never named or assigned; visible through a
		// live grant only, whatever state they keep.
		for _, g := range guestIDs {
			if rapid.Bool().Draw(rt, "guest grant") {
				AddSorted(&c.Guests, g)
			}
			if rapid.Bool().Draw(rt, "guest state") {
				states[g] = &UserState{User: g, InInbox: rapid.Bool().Draw(rt, "guest inbox"), Starred: rapid.Bool().Draw(rt, "guest star"),
					ReadSeq: uint64(rapid.IntRange(0, 3).Draw(rt, "guest read seq"))}
			}
		}
		pl := Placements(nil, c, states, teams)
		for _, p := range pl {
			if slices.Contains(guestIDs, p.Box.User) {
				require.True(rt, c.IsGuest(p.Box.User), "a guest without a grant is placed: %+v", p)
				require.True(rt, p.Via.IsZero(), "a guest's placements are their own")
			}
		}
		require.True(rt, slices.IsSortedFunc(pl, ComparePlacements), "sorted")
		for i := 1; i < len(pl); i++ {
			require.NotZero(rt, ComparePlacements(pl[i-1], pl[i]), "each box and team once: %+v", pl[i])
		}
		assert.Equal(rt, naivePlacements(c, states, teams), Effective(pl, teams))
		var indexed []LabelID
		for _, p := range pl {
			if p.Box.Kind == LabelConversations {
				indexed = append(indexed, p.Box.Label)
			}
		}
		assert.Equal(rt, c.Labels, indexed, "every label indexes the conversation, whatever its state")
		var teamIndexed, wantIndexed []TeamID
		for _, p := range pl {
			if p.Box.Kind == TeamConversations {
				teamIndexed = append(teamIndexed, p.Box.Team)
			}
		}
		for _, id := range teamIDs {
			if teams[id] != nil && slices.Contains(c.GrantTeams(), id) {
				wantIndexed = append(wantIndexed, id)
			}
		}
		slices.SortFunc(wantIndexed, TeamID.Compare)
		assert.Equal(rt, wantIndexed, teamIndexed, "every grant team indexes the conversation, mention teams included")
	})
}

// Issue 10 point 11: a team an @mention shared a conversation with gives
// access by the team's mention rule, to whoever holds the membership
// now: active members; observers when the team's option includes them.
func TestCanAccessMentionTeams(t *testing.T) {
	active, observer, outsider := &User{ID: uid()}, &User{ID: uid()}, &User{ID: uid()}
	team := &Team{ID: tid()}
	team.SetMember(active.ID, Active)
	team.SetMember(observer.ID, Observer)
	c := &Conversation{MentionTeams: []TeamID{team.ID}}
	teams := Teams{team.ID: team}
	assert.True(t, CanAccess(c, active, nil, teams))
	assert.False(t, CanAccess(c, observer, nil, teams), "observers are not reached by default")
	assert.False(t, CanAccess(c, outsider, nil, teams))
	assert.Equal(t, []UserID{active.ID}, Audience(c, nil, teams))
	assert.True(t, c.Shared())
	assert.Equal(t, []TeamID{team.ID}, c.GrantTeams())
	assert.Empty(t, c.AccessTeams(), "not a team every member of which sees it")

	team.Mention = MentionActiveAndObservers
	assert.True(t, CanAccess(c, observer, nil, teams))
	team.SetMember(outsider.ID, Observer)
	assert.True(t, CanAccess(c, outsider, nil, teams), "a later member")
	assert.False(t, CanAccess(c, outsider, &UserState{Removed: true}, teams), "Removed still withdraws it")
}

// A new conversation in a team inbox costs team-level placements only:
// nothing per member, however large the team.
func TestPlacementsNewTeamConversationHasNoPerUserEntries(t *testing.T) {
	team := &Team{ID: tid()}
	for i := 0; i < 50; i++ {
		team.SetMember(uid(), MembershipKind(1+i%2))
	}
	c := &Conversation{Team: team.ID, InTeamInbox: true, MessageSeq: 1, Seq: 1}
	pl := Placements(nil, c, nil, Teams{team.ID: team})
	for _, p := range pl {
		assert.True(t, p.Box.User.IsZero(), "%+v", p)
	}
	assert.Len(t, Effective(pl, Teams{team.ID: team}), 50*2+25) // TeamInbox and All each, TeamInboxes for the active half
}

// A guest sees a conversation exactly while they hold a live grant on it,
// in its organization, unless their state says Removed; members' grants
// never reach a guest, and a member is not reached by c.Guests.
func TestCanAccessGuests(t *testing.T) {
	org := OrgID(uid())
	team := &Team{ID: tid()}
	g := &User{ID: uid(), Org: org, Role: RoleGuest}
	member := &User{ID: uid(), Org: org, Role: RoleMember}
	team.SetMember(g.ID, Active) // an inconsistent store: guests are never team members
	c := &Conversation{Org: org, Team: team.ID, Users: []UserID{g.ID}, Guests: []UserID{member.ID}}
	teams := Teams{team.ID: team}
	assert.False(t, CanAccess(c, g, nil, teams), "no grant: team membership and Users do not count for a guest")
	assert.False(t, CanAccess(c, member, nil, Teams{}), "Guests does not grant a member")
	AddSorted(&c.Guests, g.ID)
	assert.True(t, CanAccess(c, g, nil, teams))
	assert.False(t, CanAccess(c, g, &UserState{Removed: true}, teams))
	other := *g
	other.Org = OrgID(uid())
	assert.False(t, CanAccess(c, &other, nil, teams), "nothing crosses organizations")
	assert.Contains(t, Audience(c, nil, Teams{}), g.ID)
	assert.True(t, c.Clone().IsGuest(g.ID))
	d := c.Clone()
	RemoveSorted(&d.Guests, g.ID)
	assert.True(t, c.IsGuest(g.ID), "Clone copies Guests")
}
