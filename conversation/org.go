package conversation

import "slices"

// MultiTeamMode decides what happens to one email addressed to the team
// inboxes of several teams.
type MultiTeamMode uint8

const (
	// DuplicatePerTeam (the default) puts a copy in each team inbox, each
	// with a note linking to the others; closing one copy leaves the others
	// open.
	DuplicatePerTeam MultiTeamMode = iota
	// SingleConversation creates one conversation in the team inbox of the
	// alphabetically first team, and moves it when a later message of the
	// thread concerns another team's account.
	SingleConversation
)

// Org is an organization: the unit that owns users, teams, accounts and
// conversations. Nothing crosses organizations.
type Org struct {
	ID   OrgID
	Name string
	// Owner is the single organization owner.
	Owner UserID
	// MultiTeamMode applies to mail addressed to several team inboxes.
	MultiTeamMode MultiTeamMode
	// MaxTeams caps the number of teams; zero means the documented 1,000.
	MaxTeams int
	// GuestPolicy says who may invite guests; the zero value lets any
	// member.
	GuestPolicy GuestPolicy
	// GuestQuota says how guest capacity is counted; the zero value pools it
	// per organization.
	GuestQuota GuestQuota
}

// DefaultMaxTeams is the documented cap on teams per organization.
const DefaultMaxTeams = 1000

// TeamLimit returns the effective team cap.
func (o *Org) TeamLimit() int {
	if o.MaxTeams > 0 {
		return o.MaxTeams
	}
	return DefaultMaxTeams
}

// Role is a user's organization role.
type Role uint8

const (
	// RoleMember is a regular user holding a seat.
	RoleMember Role = iota
	// RoleAdmin may manage teams and memberships.
	RoleAdmin
	// RoleOwner is the organization owner; it has every admin right.
	RoleOwner
	// RoleGuest is an external collaborator without a seat. A guest sees
	// only the conversations they hold a live grant for
	// ([Conversation.Guests]) and may do only what package guests allows.
	RoleGuest
)

// String returns the role's name.
func (r Role) String() string {
	switch r {
	case RoleMember:
		return "member"
	case RoleAdmin:
		return "admin"
	case RoleOwner:
		return "owner"
	case RoleGuest:
		return "guest"
	}
	return "unknown"
}

// IsAdmin reports whether the role has admin rights (owners count as
// admins).
func (r Role) IsAdmin() bool { return r == RoleAdmin || r == RoleOwner }

// ArchiveAssigned is the preference "Archiving assigned conversations": what
// archiving from the Inbox does when the user is assigned.
type ArchiveAssigned uint8

const (
	// ArchiveAsk (the default) makes the engine refuse an archive of an
	// assigned conversation that does not say whether to close it too.
	ArchiveAsk ArchiveAssigned = iota
	// ArchiveOnly archives without closing.
	ArchiveOnly
	// ArchiveAndClose archives and closes.
	ArchiveAndClose
)

// Prefs are a user's personal preferences that change engine behaviour.
// The zero value is the documented default of every field.
type Prefs struct {
	// RemoveWhenCoworkerCloses is "Remove from my Inbox" for conversations a
	// coworker closes (default off: "Keep in my Inbox"). A conversation the
	// user watches is kept either way.
	RemoveWhenCoworkerCloses bool
	// ArchiveAssigned decides archive-and-close when archiving an assigned
	// conversation from the Inbox.
	ArchiveAssigned ArchiveAssigned
	// NoWatchOnReply turns off auto-watching a conversation one replies in
	// (auto-watch on drafts is on by default).
	NoWatchOnReply bool
	// DragLabelCopy makes dragging a conversation from one label onto
	// another copy it (keep both labels) instead of moving it, the default.
	DragLabelCopy bool
	// NoTaskNotifications turns task notifications off (they are on by
	// default: a task assigned, completed or set in progress, its assignees
	// changed).
	NoTaskNotifications bool
}

// User is a person in an organization.
type User struct {
	ID    UserID
	Org   OrgID
	Name  string
	Email string
	// Handle is what follows "@" in a mention; unique in the organization,
	// compared case-insensitively.
	Handle string
	Role   Role
	Prefs  Prefs
	// Linked is set on a guest identity accepted by an existing user of
	// another organization: that user, who keeps their own organization.
	// Zero otherwise.
	Linked UserID
}

// HasSeat reports whether the user holds a seat (owner, admin or member):
// seats are what guest capacity is counted from.
func (u *User) HasSeat() bool { return u.Role != RoleGuest }

// MembershipKind is how a user belongs to a team.
type MembershipKind uint8

const (
	// Active members are notified of new team-inbox messages and see the
	// team in their unified Team Inboxes.
	Active MembershipKind = iota + 1
	// Observers see the team inbox only and are never notified of it.
	Observer
)

// String returns "active" or "observer".
func (k MembershipKind) String() string {
	switch k {
	case Active:
		return "active"
	case Observer:
		return "observer"
	}
	return "none"
}

// Membership is one user's place in a team.
type Membership struct {
	User UserID
	Kind MembershipKind
}

// MentionOption decides who an @team mention reaches.
type MentionOption uint8

const (
	// MentionActiveOnly (default) mentions active members only.
	MentionActiveOnly MentionOption = iota
	// MentionActiveAndObservers mentions observers too.
	MentionActiveAndObservers
)

// ReplyFromTeamInbox is the team option for a member replying to a
// conversation that sits in the team inbox.
type ReplyFromTeamInbox uint8

const (
	// AssignReplier (default) assigns the replier, which takes the
	// conversation out of the team inbox for everyone.
	AssignReplier ReplyFromTeamInbox = iota
	// LeaveInTeamInbox changes nothing.
	LeaveInTeamInbox
)

// ReplyToAssigned is the team option for an inbound reply on an assigned
// conversation.
type ReplyToAssigned uint8

const (
	// MoveToAssigneeInbox (default) puts it back in each assignee's Inbox.
	MoveToAssigneeInbox ReplyToAssigned = iota
	// MoveBackToTeamInbox lists it in the team inbox again.
	MoveBackToTeamInbox
)

// Team groups colleagues who share conversations.
type Team struct {
	ID     TeamID
	Org    OrgID
	Name   string
	Handle string
	// Members holds each member once, sorted by user ID.
	Members []Membership
	// NoInbox is true for a team without a dedicated team inbox ("a team for
	// internal mentions or chats"). The zero value has one.
	NoInbox bool
	// ChatRoom is the dedicated chat room option.
	ChatRoom bool

	Mention         MentionOption
	ReplyFromInbox  ReplyFromTeamInbox
	ReplyToAssigned ReplyToAssigned
}

// MemberKind returns u's membership kind in t, or 0 if u is not a member.
func (t *Team) MemberKind(u UserID) MembershipKind {
	i, ok := slices.BinarySearchFunc(t.Members, u, func(m Membership, u UserID) int { return m.User.Compare(u) })
	if !ok {
		return 0
	}
	return t.Members[i].Kind
}

// MentionReaches reports whether a mention of team t reaches member kind
// k: active members always, observers when t's mention option includes
// them.
func (t *Team) MentionReaches(k MembershipKind) bool {
	return k == Active || (k == Observer && t.Mention == MentionActiveAndObservers)
}

// SetMember adds u to t with kind k, changes an existing membership, or
// (with k == 0) removes u. Members stay sorted.
func (t *Team) SetMember(u UserID, k MembershipKind) {
	i, ok := slices.BinarySearchFunc(t.Members, u, func(m Membership, u UserID) int { return m.User.Compare(u) })
	switch {
	case ok && k == 0:
		t.Members = slices.Delete(t.Members, i, i+1)
	case ok:
		t.Members[i].Kind = k
	case k != 0:
		t.Members = slices.Insert(t.Members, i, Membership{User: u, Kind: k})
	}
}

// Clone returns a deep copy.
func (t *Team) Clone() *Team {
	c := *t
	c.Members = slices.Clone(t.Members)
	return &c
}
