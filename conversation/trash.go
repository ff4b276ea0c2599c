package conversation

// TrashesForEveryone reports whether user u's trash of c from anywhere but
// a team inbox moves c to Trash for everyone who has access (true), or
// only takes it out of u's own mailboxes (false). owner and delegate say
// whether u owns, or is a delegated user of, one of c's accounts; teams
// must hold c's access teams. (A trash from a team inbox is always for
// everyone.)
//
// The owner of one of its accounts trashes it for everyone; a delegated
// user only for themselves. A member of c's team decides by their
// membership: an active member trashes for everyone, an observer for
// themselves; without a membership in c's team, the same holds for the
// teams c is shared with, an active membership in any of them winning.
// Anyone else sees c through a grant of their own: a user receiving the
// account in their Inbox, a mentioned or added user (a member of a team
// an @mention shared it with included). They keep their
// trash to themselves, since the others keep the conversation until they
// read, archive or trash it themselves; only when c has no account, or
// is private to u, is their trash for everyone.
func TrashesForEveryone(c *Conversation, u UserID, owner, delegate bool, teams Teams) bool {
	switch {
	case owner:
		return true
	case delegate:
		return false
	}
	if t := teams[c.Team]; t != nil {
		if kind := t.MemberKind(u); kind != 0 {
			return kind == Active
		}
	}
	observer := false
	for _, id := range c.AccessTeams() {
		if t := teams[id]; t != nil {
			switch t.MemberKind(u) {
			case Active:
				return true
			case Observer:
				observer = true
			}
		}
	}
	if observer {
		return false
	}
	return len(c.Accounts) == 0 || c.privateTo(u)
}

// privateTo reports whether u is the only one c is shared with: no team,
// and no explicit or label grant to anyone else. Guests do not count.
func (c *Conversation) privateTo(u UserID) bool {
	if !c.Team.IsZero() || len(c.Teams) > 0 || len(c.MentionTeams) > 0 {
		return false
	}
	for _, s := range [][]UserID{c.Users, c.LabelUsers} {
		for _, x := range s {
			if x != u {
				return false
			}
		}
	}
	return true
}
