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
type Placement struct {
	Box    Box
	Unread bool
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
// see it, appended to dst in [ComparePlacements] order. It is the single
// definition of mailbox membership: stores keep one index entry per
// placement, so listings and counts are index reads. states maps users to
// their stored state (a user without one has the zero state); teams must
// hold c's access teams.
func Placements(dst []Placement, c *Conversation, states map[UserID]*UserState, teams Teams) []Placement {
	var zero UserState
	access := c.AccessTeams()
	if len(access) > 1 && !slices.IsSortedFunc(access, TeamID.Compare) {
		access = slices.SortedFunc(slices.Values(access), TeamID.Compare)
	}
	for _, t := range access {
		dst = append(dst, Placement{Box: Box{Kind: TeamConversations, Team: t}})
	}
	team := teams[c.Team]
	for _, u := range Audience(c, states, teams) {
		st := states[u]
		if st == nil {
			st = &zero
		}
		unread := st.Unread(c)
		add := func(k MailboxKind, t TeamID) {
			dst = append(dst, Placement{Box: Box{Kind: k, User: u, Team: t}, Unread: unread})
		}
		switch {
		case c.Trashed || st.Trashed:
			add(Trash, TeamID{})
			continue
		case c.Spam:
			add(Spam, TeamID{})
			continue
		}
		hidden := st.Snooze.Hides() || c.SnoozeForEveryone.Hides()
		assigned := c.IsAssigned(u)
		var kind MembershipKind
		if team != nil && !c.Closed {
			kind = team.MemberKind(u)
		}
		inTeamInbox := kind != 0 && c.InTeamInbox && !hidden
		// Emitted in MailboxKind order.
		if st.InInbox && !hidden {
			add(Inbox, TeamID{})
		}
		if inTeamInbox {
			add(TeamInbox, c.Team)
			if kind == Active {
				add(TeamInboxes, TeamID{})
			}
		}
		if assigned && !c.Closed {
			add(AssignedToMe, TeamID{})
		}
		if kind != 0 && len(c.Assignees) > 0 && !assigned {
			add(AssignedToOthers, c.Team)
		}
		if c.Closed {
			add(Closed, TeamID{})
		}
		if st.Snooze != nil || c.SnoozeForEveryone != nil {
			add(Snoozed, TeamID{})
		}
		if st.Starred {
			add(Starred, TeamID{})
		}
		if c.HasSent {
			add(Sent, TeamID{})
		}
		add(All, TeamID{})
	}
	return dst
}
