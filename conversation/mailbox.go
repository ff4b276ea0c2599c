package conversation

import "slices"

// MailboxKind names a mailbox: a view of conversations for one user.
type MailboxKind uint8

// The mailboxes a conversation can be listed in. Team mailboxes (TeamInbox,
// AssignedToOthers) are per team and per viewer.
const (
	// Inbox: the user's personal Inbox ("yours alone"), less conversations a
	// snooze hides.
	Inbox MailboxKind = iota + 1
	// TeamInbox: one team's inbox, for its active members and observers,
	// less conversations snoozed for everyone or for the viewer.
	TeamInbox
	// TeamInboxes: the unified team inboxes of the teams the user is an
	// active member of (observers excluded).
	TeamInboxes
	// AssignedToMe: open conversations assigned to the user, snoozed ones
	// included.
	AssignedToMe
	// AssignedToOthers: open conversations of one team assigned to someone
	// other than the viewer.
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
	// Label: the conversations carrying one label (Box.Label) that the user
	// may see, less Trash and Spam: "every label is its own mailbox". It
	// lists exactly what All lists, per label; a parent label's box lists
	// only conversations labelled with it directly.
	LabelMailbox
	// TeamConversations is not a user mailbox: it indexes, per team (User
	// zero), every conversation the team has access to, Trash and Spam
	// included, so a membership change can re-place them without a scan.
	TeamConversations
	// LabelConversations is not a user mailbox either: it indexes, per
	// label (User and Team zero, Box.Label set), every conversation
	// carrying the label, Trash and Spam included, so deleting a label or
	// changing its auto-shared users reaches them without a scan.
	LabelConversations
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
	LabelMailbox:     "Label",

	TeamConversations:  "Team conversations",
	LabelConversations: "Label conversations",
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

// PerLabel reports whether the mailbox needs a label.
func (k MailboxKind) PerLabel() bool { return k == LabelMailbox || k == LabelConversations }

// Valid reports whether k is a user mailbox (TeamConversations and
// LabelConversations are not).
func (k MailboxKind) Valid() bool { return k >= Inbox && k <= LabelMailbox }

// Box is one mailbox of one user: the key of a mailbox index. Team is set
// only for per-team mailboxes (and team-level placements), Label only for
// per-label ones.
type Box struct {
	Kind  MailboxKind
	User  UserID
	Team  TeamID
	Label LabelID
}

// TeamLevel returns the team-level box of kind src (as [Implies] names
// it) whose entries imply placements in per-user box b through team t.
func (b Box) TeamLevel(src MailboxKind, t TeamID) Box {
	return Box{Kind: src, Team: t, Label: b.Label}
}

// Placement says that a conversation is listed in Box, and whether it is
// unread there. A conversation's placements come in three sorts, told
// apart by Box.User and Via:
//
//   - Team-level (Box.User zero): for each team T that can see the
//     conversation, the views a member of T with no state of their own
//     has (All, Closed, Sent, Snoozed, Trash, Spam; TeamInbox and
//     AssignedToOthers for the conversation's own team), plus
//     TeamConversations. Unread is what such a member sees: true when the
//     conversation holds anything.
//   - Own (Box.User set, Via zero): the conversation is listed in the
//     user's box.
//   - Correction (Box.User set, Via set): see below.
//
// A team-level placement implies a placement for every member u of its
// team T, without a placement of u's own: kind K in box {K, u} (with Team
// T for the per-team kinds), and, for TeamInbox and active members only,
// TeamInboxes in box {TeamInboxes, u}, all with the team-level Unread.
// This is what keeps a delivery to a team of any size to a handful of
// writes. A correction adjusts one implied placement, that of Box through
// team Via: with Off set it cancels it (Unread then repeats the
// team-level flag it cancels); without Off it keeps it with the user's
// own Unread, which differs from the team-level one. [Placements] emits
// corrections only where a user's view differs from the implied one: they
// read it, snoozed it, trashed it for themselves, are assigned to it, or
// belong to two teams that both imply it (all but the first, in team
// order, are cancelled).
//
// A store lists box {K, u} as u's own entries merged with the team-level
// entries of the teams u belongs to (per [Implies]), less cancelled ones;
// counts are the sum of the same, plus the corrections' deltas. Implied
// placements follow team membership as the store holds it: after changing
// a team's members, the caller re-places every conversation the team can
// see (its TeamConversations box) in the same transaction. [Effective]
// expands placements into the per-user placements they stand for.
type Placement struct {
	Box    Box
	Unread bool
	Via    TeamID
	Off    bool
}

// Implies returns the kind of the team-level box whose entries imply
// per-user placements of kind k for a member of the team with membership
// kind mk, and whether there is one: k itself for All, Closed, Sent,
// Snoozed, Trash, Spam, TeamInbox, AssignedToOthers and LabelMailbox (any
// member; the team-level box has the same label);
// TeamInbox for TeamInboxes (active members only).
func Implies(k MailboxKind, mk MembershipKind) (MailboxKind, bool) {
	if mk == 0 {
		return 0, false
	}
	switch k {
	case All, Closed, Sent, Snoozed, Trash, Spam, TeamInbox, AssignedToOthers, LabelMailbox:
		return k, true
	case TeamInboxes:
		return TeamInbox, mk == Active
	}
	return 0, false
}

// impliedKinds lists, in MailboxKind order, the per-user kinds that
// team-level placements can imply.
var impliedKinds = [...]MailboxKind{TeamInbox, TeamInboxes, AssignedToOthers, Closed, Snoozed, Sent, All, Trash, Spam, LabelMailbox}

// ComparePlacements orders placements by box user, then kind, then team,
// then label, then Via (own placements first): the order [Placements] returns them
// in, so stores can diff placement lists without sorting.
func ComparePlacements(a, b Placement) int {
	if c := a.Box.User.Compare(b.Box.User); c != 0 {
		return c
	}
	if a.Box.Kind != b.Box.Kind {
		return int(a.Box.Kind) - int(b.Box.Kind)
	}
	if c := a.Box.Team.Compare(b.Box.Team); c != 0 {
		return c
	}
	if c := a.Box.Label.Compare(b.Box.Label); c != 0 {
		return c
	}
	return a.Via.Compare(b.Via)
}

// Placements returns every mailbox that lists c, for every user who may
// see it and for every team that can see it, appended to dst in
// [ComparePlacements] order: team-level placements, then each user's own
// placements and corrections (see [Placement]). It is the single
// definition of mailbox membership: stores keep an index entry per
// team-level and own placement and a counter per correction, so listings
// and counts are index reads. states maps users to their stored state (a
// user without one has the zero state); teams must hold c's grant teams
// ([Conversation.GrantTeams]).
//
// A member of one access team with no state of their own, who is neither
// named in c.Users nor assigned, sees exactly what their team implies,
// so Placements spends nothing on them: the cost of a new conversation
// does not grow with the size of its team. A merged conversation (a
// tombstone) has no placements.
func Placements(dst []Placement, c *Conversation, states map[UserID]*UserState, teams Teams) []Placement {
	if !c.MergedInto.IsZero() {
		return dst // a tombstone is in no mailbox
	}
	var access []TeamID
	for _, t := range c.AccessTeams() {
		if teams[t] != nil {
			access = append(access, t)
		}
	}
	if len(access) > 1 && !slices.IsSortedFunc(access, TeamID.Compare) {
		slices.SortFunc(access, TeamID.Compare)
	}
	var zero UserState
	teamUnread := zero.Unread(c)
	// Team-level placements: what a member without state of their own sees.
	var teamKinds [LabelConversations + 1][]TeamID // teams having a team-level box of each kind
	var kindsBuf [LabelConversations + 1]MailboxKind
	for _, t := range access {
		kind := MembershipKind(0)
		if t == c.Team {
			kind = Active
		}
		for _, k := range userKinds(kindsBuf[:0], c, UserID{}, &zero, kind, true) {
			teamKinds[k] = append(teamKinds[k], t)
		}
	}
	if len(c.Labels) > 0 {
		teamKinds[LabelMailbox] = teamKinds[All] // a label box mirrors All, per label
	}
	if dst == nil {
		dst = make([]Placement, 0, len(access)*4+len(states)*4)
	}
	// Emitted in ComparePlacements order: zero user first, by kind, by team.
	for k := Inbox; k < TeamConversations; k++ {
		for _, t := range teamKinds[k] {
			if k == LabelMailbox {
				for _, l := range c.Labels {
					dst = append(dst, Placement{Box: Box{Kind: k, Team: t, Label: l}, Unread: teamUnread})
				}
				continue
			}
			dst = append(dst, Placement{Box: Box{Kind: k, Team: t}, Unread: teamUnread})
		}
	}
	for _, t := range teamIndexes(c, access, teams) {
		dst = append(dst, Placement{Box: Box{Kind: TeamConversations, Team: t}})
	}
	for _, l := range c.Labels {
		dst = append(dst, Placement{Box: Box{Kind: LabelConversations, Label: l}})
	}
	p := placer{c: c, access: access, teams: teams, teamKinds: &teamKinds, teamUnread: teamUnread, dst: dst}
	for _, u := range p.users(states) {
		st := states[u]
		if st == nil {
			st = &zero
		}
		p.user(u, st)
	}
	return p.dst
}

// teamIndexes returns, sorted, the teams whose TeamConversations index
// lists c: its access teams, and its mention teams (whose members' access
// a membership change alters too, though no team-level placement implies
// it).
func teamIndexes(c *Conversation, access []TeamID, teams Teams) []TeamID {
	if len(c.MentionTeams) == 0 {
		return access
	}
	out := slices.Clone(access)
	for _, t := range c.MentionTeams {
		if teams[t] != nil && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, TeamID.Compare)
	return out
}

// placer computes the per-user placements of one conversation.
type placer struct {
	c          *Conversation
	access     []TeamID
	teams      Teams
	teamKinds  *[LabelConversations + 1][]TeamID
	teamUnread bool
	memberOf   []MembershipKind // the current user's kind in each access team
	kinds      []MailboxKind
	dst        []Placement
}

// users returns, sorted, the users whose placements may differ from what
// their teams imply: named users (label-granted ones included), guests,
// users with a state, assignees, the members of its mention teams that a
// mention reaches (no team-level placement stands for them), and, when c
// is seen by several teams, every member of them (a member of two teams
// needs one of the two implied placements cancelled).
func (p *placer) users(states map[UserID]*UserState) []UserID {
	out := make([]UserID, 0, len(p.c.Users)+len(p.c.LabelUsers)+len(p.c.Guests)+len(states)+len(p.c.Assignees))
	out = append(out, p.c.Users...)
	out = append(out, p.c.LabelUsers...)
	out = append(out, p.c.Guests...)
	for u := range states {
		out = append(out, u)
	}
	out = append(out, p.c.Assignees...)
	out = p.c.appendMentionGranted(out, p.teams)
	if len(p.access) > 1 {
		for _, t := range p.access {
			for _, m := range p.teams[t].Members {
				out = append(out, m.User)
			}
		}
	}
	slices.SortFunc(out, UserID.Compare)
	return slices.Compact(out)
}

// user appends u's own placements and corrections.
func (p *placer) user(u UserID, st *UserState) {
	c := p.c
	if cap(p.memberOf) < len(p.access) {
		p.memberOf = make([]MembershipKind, len(p.access))
	}
	p.memberOf = p.memberOf[:len(p.access)]
	var memberKind MembershipKind // u's kind in c's own team
	member := false
	for i, t := range p.access {
		p.memberOf[i] = p.teams[t].MemberKind(u)
		member = member || p.memberOf[i] != 0
		if t == c.Team {
			memberKind = p.memberOf[i]
		}
	}
	p.kinds = p.kinds[:0]
	visible := !st.Removed && (member || c.Granted(u) || c.IsGuest(u) || c.mentionGranted(u, p.teams))
	if visible {
		p.kinds = userKinds(p.kinds, c, u, st, memberKind, false)
	}
	unread := st.Unread(c)
	// Walk u's actual kinds and the implied kinds together, in kind order.
	ai := 0
	for _, k := range impliedKinds {
		if k.PerLabel() {
			continue // below, one box per label
		}
		for ai < len(p.kinds) && p.kinds[ai] < k {
			p.own(u, p.kinds[ai], unread)
			ai++
		}
		has := ai < len(p.kinds) && p.kinds[ai] == k
		if has {
			ai++
		}
		box := Box{Kind: k, User: u}
		if k.PerTeam() {
			box.Team = c.Team
		}
		p.implied(box, has, unread)
	}
	for ; ai < len(p.kinds); ai++ {
		p.own(u, p.kinds[ai], unread)
	}
	// Label boxes come last (LabelMailbox sorts after every other user kind):
	// one per label, listed exactly where All is.
	if len(c.Labels) > 0 {
		hasAll := slices.Contains(p.kinds, All)
		for _, l := range c.Labels {
			p.implied(Box{Kind: LabelMailbox, User: u, Label: l}, hasAll, unread)
		}
	}
}

// implied appends u's placement of box (has: u's actual view lists it)
// against what u's teams imply: nothing when an implied entry already
// says it, a correction where it differs, cancellations for second
// implying teams, or u's own entry when no team implies it.
func (p *placer) implied(box Box, has, unread bool) {
	kept := false
	for i, t := range p.access {
		src, ok := Implies(box.Kind, p.memberOf[i])
		if !ok || (box.Kind.PerTeam() && t != p.c.Team) || !slices.Contains(p.teamKinds[src], t) {
			continue
		}
		switch {
		case has && !kept:
			kept = true
			if unread != p.teamUnread {
				p.dst = append(p.dst, Placement{Box: box, Unread: unread, Via: t})
			}
		default:
			p.dst = append(p.dst, Placement{Box: box, Unread: p.teamUnread, Via: t, Off: true})
		}
	}
	if has && !kept {
		// Not implied by any team: u's own entry. It sorts before the
		// corrections of the same box, none of which exist here.
		p.dst = append(p.dst, Placement{Box: box, Unread: unread})
	}
}

// own appends u's own placement of kind k.
func (p *placer) own(u UserID, k MailboxKind, unread bool) {
	box := Box{Kind: k, User: u}
	if k.PerTeam() {
		box.Team = p.c.Team
	}
	p.dst = append(p.dst, Placement{Box: box, Unread: unread})
}

// Effective expands placements (as [Placements] returns them) into the
// per-user placements they stand for, given the teams' memberships: own
// placements, plus every placement implied by a team-level one for each
// member of its team, less cancelled ones, with corrected Unread flags.
// The result has Via zero, is in [ComparePlacements] order and may name a
// box twice only if pl is inconsistent. It is the reference a store's
// listings and counts must agree with, and the way for a backend that
// wants one index entry per user and box to get them.
func Effective(pl []Placement, teams Teams) []Placement {
	type key struct {
		box Box
		via TeamID
	}
	corr := make(map[key]Placement)
	var out []Placement
	for _, p := range pl {
		switch {
		case p.Box.User.IsZero():
		case p.Via.IsZero():
			out = append(out, p)
		default:
			corr[key{p.Box, p.Via}] = p
		}
	}
	for _, tp := range pl {
		if !tp.Box.User.IsZero() {
			continue
		}
		team := teams[tp.Box.Team]
		if team == nil {
			continue
		}
		for _, m := range team.Members {
			for _, k := range impliedKinds {
				src, ok := Implies(k, m.Kind)
				if !ok || src != tp.Box.Kind {
					continue
				}
				box := Box{Kind: k, User: m.User, Label: tp.Box.Label}
				if k.PerTeam() {
					box.Team = tp.Box.Team
				}
				q := Placement{Box: box, Unread: tp.Unread}
				if cp, ok := corr[key{box, tp.Box.Team}]; ok {
					if cp.Off {
						continue
					}
					q.Unread = cp.Unread
				}
				out = append(out, q)
			}
		}
	}
	slices.SortFunc(out, ComparePlacements)
	return out
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
