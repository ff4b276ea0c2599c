package conversation

import "slices"

// Teams maps team IDs to teams: the teams a decision about one
// conversation needs (its team and the teams it is shared with).
type Teams map[TeamID]*Team

// AccessTeams returns the teams whose every member may see c: c.Team and
// c.Teams, without duplicates. (The teams of c.MentionTeams give access
// by their mention rule only; [Conversation.GrantTeams] has them all.)
func (c *Conversation) AccessTeams() []TeamID {
	if c.Team.IsZero() || slices.Contains(c.Teams, c.Team) {
		return c.Teams
	}
	return append(slices.Clone(c.Teams), c.Team)
}

// GrantTeams returns every team whose membership decides who may see c:
// its access teams and its mention teams, without duplicates. A decision
// about c needs them all loaded.
func (c *Conversation) GrantTeams() []TeamID {
	access := c.AccessTeams()
	if len(c.MentionTeams) == 0 {
		return access
	}
	out := slices.Clone(access)
	for _, t := range c.MentionTeams {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// mentionGranted reports whether u sees c through one of its mention
// teams: a member that team's mention reaches.
func (c *Conversation) mentionGranted(u UserID, teams Teams) bool {
	for _, t := range c.MentionTeams {
		if team := teams[t]; team != nil && team.MentionReaches(team.MemberKind(u)) {
			return true
		}
	}
	return false
}

// CanAccess reports whether user u may see conversation c at all (in any
// mailbox, Trash included). st is u's state of c, nil if none is stored.
//
// Access comes from explicit grants (c.Users, and c.LabelUsers: the
// auto-shared users of its labels), from membership, active
// or observer, of one of c's access teams, or from a membership in one of
// c's mention teams that a mention of the team reaches (its active
// members; observers too by the team's option); teams must hold c's
// grant teams ([Conversation.GrantTeams]). Nothing crosses organizations,
// a state marked Removed withdraws access whatever grants it, and guests
// see nothing through these grants: a guest sees c exactly while they
// hold a live guest grant on it (c.Guests).
func CanAccess(c *Conversation, u *User, st *UserState, teams Teams) bool {
	if u == nil || c == nil || u.Org != c.Org {
		return false
	}
	if st != nil && st.Removed {
		return false
	}
	if u.Role == RoleGuest {
		return c.IsGuest(u.ID)
	}
	if c.Granted(u.ID) {
		return true
	}
	for _, t := range c.AccessTeams() {
		if team := teams[t]; team != nil && team.MemberKind(u.ID) != 0 {
			return true
		}
	}
	return c.mentionGranted(u.ID, teams)
}

// Audience returns every user who may see c, sorted and without
// duplicates: explicit and label-granted users, guests holding a grant,
// members of the access teams and the members of its mention teams that
// a mention reaches, less users whose state is Removed. states maps
// users to their stored state; teams must hold c's grant teams.
func Audience(c *Conversation, states map[UserID]*UserState, teams Teams) []UserID {
	out := slices.Concat(c.Users, c.LabelUsers, c.Guests)
	for _, t := range c.AccessTeams() {
		if team := teams[t]; team != nil {
			for _, m := range team.Members {
				out = append(out, m.User)
			}
		}
	}
	out = c.appendMentionGranted(out, teams)
	slices.SortFunc(out, UserID.Compare)
	out = slices.Compact(out)
	return slices.DeleteFunc(out, func(u UserID) bool {
		st := states[u]
		return st != nil && st.Removed
	})
}

// AddSorted inserts id into the sorted set s and reports whether it was
// absent.
func AddSorted[K any](s *[]ID[K], id ID[K]) bool {
	i, ok := slices.BinarySearchFunc(*s, id, ID[K].Compare)
	if ok {
		return false
	}
	*s = slices.Insert(*s, i, id)
	return true
}

// RemoveSorted deletes id from the sorted set s and reports whether it was
// present.
func RemoveSorted[K any](s *[]ID[K], id ID[K]) bool {
	i, ok := slices.BinarySearchFunc(*s, id, ID[K].Compare)
	if !ok {
		return false
	}
	*s = slices.Delete(*s, i, i+1)
	return true
}

// Granted reports whether u holds an explicit grant on c: named in
// c.Users, or an auto-shared user of one of its labels (c.LabelUsers).
// Team access is separate ([CanAccess]).
func (c *Conversation) Granted(u UserID) bool {
	if _, ok := slices.BinarySearchFunc(c.Users, u, UserID.Compare); ok {
		return true
	}
	_, ok := slices.BinarySearchFunc(c.LabelUsers, u, UserID.Compare)
	return ok
}

// appendMentionGranted appends the members of c's mention teams whom a
// mention of their team reaches.
func (c *Conversation) appendMentionGranted(dst []UserID, teams Teams) []UserID {
	for _, t := range c.MentionTeams {
		if team := teams[t]; team != nil {
			for _, m := range team.Members {
				if team.MentionReaches(m.Kind) {
					dst = append(dst, m.User)
				}
			}
		}
	}
	return dst
}
