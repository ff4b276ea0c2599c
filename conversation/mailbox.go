package conversation

import "slices"

// MailboxKind names a mailbox: a view of conversations for one user.
type MailboxKind uint8

// The mailboxes of F3:101-300 and the spec's §1.7. Team mailboxes
// (TeamInbox, AssignedToOthers) are per team and per viewer.
const (
	// Inbox: the user's personal Inbox ("yours alone", F3:119), less
	// conversations a snooze hides.
	Inbox MailboxKind = iota + 1
	// TeamInbox: one team's inbox, for its active members and observers,
	// less conversations snoozed for everyone or for the viewer.
	TeamInbox
	// TeamInboxes: the unified team inboxes of the teams the user is an
	// active member of (observers excluded, F3:9520).
	TeamInboxes
	// AssignedToMe: open conversations assigned to the user, snoozed ones
	// included (F3:7757).
	AssignedToMe
	// AssignedToOthers: open conversations of one team assigned to
	// someone other than the viewer (F3:9227).
	AssignedToOthers
	// Closed: accessible closed conversations.
	Closed
	// Snoozed: conversations snoozed for the user or for everyone.
	Snoozed
	// Starred: conversations the user starred.
	Starred
	// Sent: accessible conversations holding an outgoing message.
	Sent
	// All: every accessible conversation, less Trash and Spam.
	All
	// Trash: conversations trashed for everyone or for the user.
	Trash
	// Spam: conversations marked as spam.
	Spam
	// TeamConversations is not a user mailbox: it indexes, per team (User
	// zero), every conversation the team has access to, Trash and Spam
	// included, so a membership change can re-place them without a scan.
	TeamConversations
)

var mailboxNames = [...]string{
	Inbox:            "Inbox",
	TeamInbox:        "Team inbox",
	TeamInboxes:      "Team Inboxes",
	AssignedToMe:     "Assigned to me",
	AssignedToOthers: "Assigned to others",
	Closed:           "Closed",
	Snoozed:          "Snoozed",
	Starred:          "Starred",
	Sent:             "Sent",
	All:              "All",
	Trash:            "Trash",
	Spam:             "Spam",

	TeamConversations: "Team conversations",
}

// String returns the mailbox's display name.
func (k MailboxKind) String() string {
	if int(k) < len(mailboxNames) && mailboxNames[k] != "" {
		return mailboxNames[k]
	}
	return "unknown"
}

// PerTeam reports whether the mailbox needs a team.
func (k MailboxKind) PerTeam() bool { return k == TeamInbox || k == AssignedToOthers }

// Valid reports whether k is a user mailbox (TeamConversations is not).
func (k MailboxKind) Valid() bool { return k >= Inbox && k <= Spam }

// Box is one mailbox of one user: the key of a mailbox index. Team is set
// only for per-team mailboxes.
type Box struct {
	Kind MailboxKind
	User UserID
	Team TeamID
}

// Placement says that a conversation is listed in Box, and whether it is
// unread for the box's user.
//
// Besides per-user placements, [Placements] emits team-level ones (Box.User
// zero): for each team that can see the conversation, the views a member
// with no state of their own would have (All, Closed, Sent, Snoozed, Trash,
// Spam; TeamInbox and AssignedToOthers for the conversation's team).
// A per-user placement that exists only because its user belongs to such a
// team carries that team in Via: it is listed by the team-level box of the
// same kind (TeamInbox for TeamInboxes) of team Via. A store may keep only
// counters for such placements and list them from the team-level index,
// filtered by the conversation's placements; or it may ignore Via and
// index every placement.
type Placement struct {
	Box    Box
	Unread bool
	Via    TeamID
}

// SourceKind returns the kind of the team-level box that lists derived
// placements of kind k, and whether k has one.
func SourceKind(k MailboxKind) (MailboxKind, bool) {
	switch k {
	case All, Closed, Sent, Snoozed, Trash, Spam, TeamInbox, AssignedToOthers:
		return k, true
	case TeamInboxes:
		return TeamInbox, true
	}
	return 0, false
}

// ComparePlacements orders placements by box user, then kind, then team:
// the order [Placements] returns them in, so stores can diff placement
// lists without sorting.
func ComparePlacements(a, b Placement) int {
	if c := a.Box.User.Compare(b.Box.User); c != 0 {
		return c
	}
	if a.Box.Kind != b.Box.Kind {
		return int(a.Box.Kind) - int(b.Box.Kind)
	}
	return a.Box.Team.Compare(b.Box.Team)
}

// Placements returns every mailbox that lists c, for every user who may
// see it and for every team that can see it, appended to dst in
// [ComparePlacements] order. It is the single definition of mailbox
// membership: stores keep an index entry per placement (or, for a
// placement with Via set, a counter), so listings and counts are index
// reads. states maps users to their stored state (a user without one has
// the zero state); teams must hold c's access teams.
func Placements(dst []Placement, c *Conversation, states map[UserID]*UserState, teams Teams) []Placement {
	access := c.AccessTeams()
	if len(access) > 1 && !slices.IsSortedFunc(access, TeamID.Compare) {
		access = slices.SortedFunc(slices.Values(access), TeamID.Compare)
	}
	audience := Audience(c, states, teams)
	if dst == nil {
		dst = make([]Placement, 0, len(access)*8+len(audience)*4)
	}
	// Team-level placements: what a member without state of their own sees.
	var zero UserState
	var teamKinds [TeamConversations + 1][]TeamID // teams having a team-level box of each kind
	for _, t := range access {
		if teams[t] == nil {
			continue
		}
		kind := MembershipKind(0)
		if t == c.Team {
			kind = Active
		}
		for _, k := range userKinds(nil, c, UserID{}, &zero, kind, true) {
			teamKinds[k] = append(teamKinds[k], t)
		}
	}
	// Emitted in ComparePlacements order: zero user first, by kind, by team.
	for k := Inbox; k <= TeamConversations; k++ {
		if k == TeamConversations {
			for _, t := range access {
				dst = append(dst, Placement{Box: Box{Kind: k, Team: t}})
			}
			continue
		}
		for _, t := range teamKinds[k] {
			dst = append(dst, Placement{Box: Box{Kind: k, Team: t}})
		}
	}
	var kinds []MailboxKind
	memberOf := make([]MembershipKind, len(access)) // the user's kind in each access team
	for _, u := range audience {
		st := states[u]
		if st == nil {
			st = &zero
		}
		var memberKind MembershipKind
		for i, t := range access {
			memberOf[i] = 0
			if team := teams[t]; team != nil {
				memberOf[i] = team.MemberKind(u)
			}
			if t == c.Team {
				memberKind = memberOf[i]
			}
		}
		explicit := false
		if _, ok := slices.BinarySearchFunc(c.Users, u, UserID.Compare); ok {
			explicit = true
		}
		unread := st.Unread(c)
		kinds = userKinds(kinds[:0], c, u, st, memberKind, false)
		for _, k := range kinds {
			p := Placement{Box: Box{Kind: k, User: u}, Unread: unread}
			if k.PerTeam() {
				p.Box.Team = c.Team
			}
			if !explicit {
				p.Via = via(k, c, access, memberOf, &teamKinds)
			}
			dst = append(dst, p)
		}
	}
	return dst
}

// via returns the team whose team-level box lists a user's placement of
// kind k, or zero if none does (the placement needs its own entry).
// memberOf holds the user's membership kind in each access team.
func via(k MailboxKind, c *Conversation, access []TeamID, memberOf []MembershipKind, teamKinds *[TeamConversations + 1][]TeamID) TeamID {
	src, ok := SourceKind(k)
	if !ok {
		return TeamID{}
	}
	for _, t := range teamKinds[src] {
		if (k.PerTeam() || k == TeamInboxes) && t != c.Team {
			continue
		}
		if i := slices.Index(access, t); i >= 0 && memberOf[i] != 0 {
			return t
		}
	}
	return TeamID{}
}

// userKinds appends, in MailboxKind order, the mailboxes that list c for
// user u with state st, who belongs to c's team as memberKind (0: not a
// member). With teamLevel set (u zero, st the zero state) it yields the
// views of a team-level box: a member of that team with no state of their
// own, counted in AssignedToOthers whoever is assigned.
func userKinds(dst []MailboxKind, c *Conversation, u UserID, st *UserState, memberKind MembershipKind, teamLevel bool) []MailboxKind {
	switch {
	case c.Trashed || st.Trashed:
		return append(dst, Trash)
	case c.Spam:
		return append(dst, Spam)
	}
	hidden := st.Snooze.Hides() || c.SnoozeForEveryone.Hides()
	inTeam := memberKind != 0 && !c.Closed
	assigned := !teamLevel && c.IsAssigned(u)
	if st.InInbox && !hidden {
		dst = append(dst, Inbox)
	}
	if inTeam && c.InTeamInbox && !hidden {
		dst = append(dst, TeamInbox)
		if memberKind == Active && !teamLevel {
			dst = append(dst, TeamInboxes)
		}
	}
	if assigned && !c.Closed {
		dst = append(dst, AssignedToMe)
	}
	if inTeam && len(c.Assignees) > 0 && !assigned {
		dst = append(dst, AssignedToOthers)
	}
	if c.Closed {
		dst = append(dst, Closed)
	}
	if st.Snooze != nil || c.SnoozeForEveryone != nil {
		dst = append(dst, Snoozed)
	}
	if st.Starred {
		dst = append(dst, Starred)
	}
	if c.HasSent {
		dst = append(dst, Sent)
	}
	return append(dst, All)
}
