package triage

import (
	"maps"
	"slices"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
)

// Route is one place an incoming message is addressed to: an account of
// the organization and the sharing that applies to the address used.
type Route struct {
	Account *conversation.Account
	Sharing conversation.Sharing
}

// Target is one conversation an incoming message goes to: the team whose
// inbox it feeds (nil for none) and the routes that lead there.
type Target struct {
	Team   *conversation.Team
	Routes []Route
}

// Targets splits the routes of one incoming message into the
// conversations it makes or joins. Mail to several team inboxes makes one
// conversation per team in duplicate-per-team mode, or one in the team
// that comes first by name in single-conversation mode; routes to no team
// inbox go with the first target. teams holds the teams the team-inbox
// routes name; a route to a team not in it is ignored.
func Targets(org *conversation.Org, routes []Route, teams map[conversation.TeamID]*conversation.Team) []Target {
	var ordered []*conversation.Team
	var others []Route
	for _, r := range routes {
		if r.Sharing.Kind != conversation.SharedToTeamInbox {
			others = append(others, r)
			continue
		}
		t := teams[r.Sharing.Team]
		if t == nil || slices.Contains(ordered, t) {
			continue
		}
		ordered = append(ordered, t)
	}
	slices.SortFunc(ordered, func(a, b *conversation.Team) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return a.ID.Compare(b.ID)
	})
	if org.MultiTeamMode == conversation.SingleConversation && len(ordered) > 1 {
		ordered = ordered[:1]
	}
	var out []Target
	for _, t := range ordered {
		tg := Target{Team: t}
		for _, r := range routes {
			if r.Sharing.Kind == conversation.SharedToTeamInbox && r.Sharing.Team == t.ID {
				tg.Routes = append(tg.Routes, r)
			}
		}
		out = append(out, tg)
	}
	if len(out) == 0 {
		out = append(out, Target{})
	}
	out[0].Routes = append(out[0].Routes, others...)
	return out
}

// Delivery holds the facts of one incoming message filed in one
// conversation.
type Delivery struct {
	Org *conversation.Org
	// Conversation is the conversation the message goes to, as it is
	// before the message; for a new one, the fresh value.
	Conversation *conversation.Conversation
	// New is set when the message starts the conversation.
	New bool
	// States are the per-user states of the conversation.
	States map[conversation.UserID]*conversation.UserState
	// Teams are the conversation's teams by ID (its own team at least).
	Teams conversation.Teams
	// Target is where the message goes (see [Targets]).
	Target Target
	// Message is the incoming message.
	Message *conversation.Message
	// Parents are the messages the incoming one answers by its
	// In-Reply-To or References header, in any conversation.
	Parents []*conversation.Message
}

// Deliver decides what an incoming message does to the conversation it
// is filed in.
//
// On a new conversation, mail to a team inbox lists it there and tells
// the team's active members; the users the routes put in their Inbox (see
// [Recipients]) get it there and are told.
//
// On an existing one, mail to a team inbox moves the conversation to that
// team when it has none (or, in single-conversation mode, when it has
// another), listed there unless assigned. Snoozes set to end on a reply
// before the message end. A closed conversation reopens, back in its
// assignees' Inbox (or its team inbox when unassigned), and only they are
// told; watchers get it back without being told. An open conversation
// goes to the assignees' Inbox, or to the team inbox when the team moves
// replies on assigned work back there, or to the team inbox when
// unassigned; watchers get it back and are told. The routes' recipients,
// and the senders of the messages it answers, get it in their Inbox and
// are told, unless they trashed it for themselves or removed their
// access.
func Deliver(f Delivery) Outcome {
	b := &builder{states: f.States}
	c := f.Conversation
	team := f.Target.Team
	grant, recipients := Recipients(f.Target.Routes)
	// Only access not held yet is granted.
	b.out.Grant = Grant{
		Accounts: missing(c.Accounts, grant.Accounts, conversation.AccountID.Compare),
		Users:    missing(c.Users, grant.Users, conversation.UserID.Compare),
		Teams:    missing(c.Teams, grant.Teams, conversation.TeamID.Compare),
	}
	if f.New {
		if team != nil {
			b.out.Team = &team.ID
			b.out.TeamInbox = Listed
			b.notifyActive(team, NewMessage)
		}
		for _, u := range recipients {
			b.inbox(u, true, Recipient)
			b.notify(u, NewMessage)
		}
		return b.out
	}

	teamOf := f.Teams[c.Team]
	if team != nil && c.Team != team.ID && (c.Team.IsZero() || f.Org.MultiTeamMode == conversation.SingleConversation) {
		ev := conversation.Event{Type: conversation.EventTeamChanged, ByMessage: true, Teams: []conversation.TeamID{team.ID}}
		if !c.Team.IsZero() {
			ev.Teams = append(ev.Teams, c.Team)
		}
		b.event(ev)
		b.out.Team = &team.ID
		b.out.TeamInbox = Unlisted
		if len(c.Assignees) == 0 {
			b.out.TeamInbox = Listed
		}
		teamOf = team
	}
	discardOnReply(b, c, f.Message)
	if c.Closed {
		b.out.Reopen = true
		b.event(conversation.Event{Type: conversation.EventReopened, ByMessage: true})
		// Only the assignees are told; watchers still get it back.
		for _, a := range c.Assignees {
			b.inbox(a, true, Assignee)
			b.notify(a, NewMessage)
		}
		if len(c.Assignees) == 0 && teamOf != nil && !teamOf.NoInbox {
			b.out.TeamInbox = Listed
			b.notifyActive(teamOf, NewMessage)
		}
		b.wakeWatchers(NewMessage, false)
	} else {
		switch {
		case len(c.Assignees) > 0 && teamOf != nil && teamOf.ReplyToAssigned == conversation.MoveBackToTeamInbox:
			b.out.TeamInbox = Listed
			for _, a := range c.Assignees {
				b.notify(a, NewMessage)
			}
		case len(c.Assignees) > 0:
			for _, a := range c.Assignees {
				b.inbox(a, true, Assignee)
				b.notify(a, NewMessage)
			}
		case teamOf != nil && !teamOf.NoInbox:
			b.out.TeamInbox = Listed
			b.notifyActive(teamOf, NewMessage)
		}
		b.wakeWatchers(NewMessage, true)
	}
	inbox := func(u conversation.UserID, cause Cause) {
		if st := f.States[u]; st != nil && (st.Removed || st.Trashed) {
			return
		}
		b.inbox(u, true, cause)
		b.notify(u, NewMessage)
	}
	for _, u := range recipients {
		inbox(u, Recipient)
	}
	// A direct reply, to a message the user sent, brings it back even to
	// a user who does not watch.
	for _, p := range f.Parents {
		if p.Conversation == c.ID && p.Direction == conversation.Outbound && !p.SentBy.IsZero() {
			inbox(p.SentBy, DirectReply)
		}
	}
	return b.out
}

// Recipients returns the access the routes grant (their accounts, the
// accounts' owners and delegated users, the users of addresses shared to
// users' Inboxes, the teams of team-inbox addresses) and the users whose
// Inbox the message enters: the owner and delegated users of an account
// not shared, and the users set to "to inbox" on an address shared to
// users' Inboxes ("auto-archive" users only gain access).
func Recipients(routes []Route) (grant Grant, inbox []conversation.UserID) {
	for _, r := range routes {
		conversation.AddSorted(&grant.Accounts, r.Account.ID)
		conversation.AddSorted(&grant.Users, r.Account.Owner)
		for _, d := range r.Account.Delegates {
			conversation.AddSorted(&grant.Users, d)
		}
		switch r.Sharing.Kind {
		case conversation.NotShared:
			inbox = append(inbox, r.Account.Owner)
			inbox = append(inbox, r.Account.Delegates...)
		case conversation.SharedToInboxes:
			for _, u := range slices.SortedFunc(maps.Keys(r.Sharing.Users), conversation.UserID.Compare) {
				conversation.AddSorted(&grant.Users, u)
				if r.Sharing.Users[u] == conversation.ToInbox {
					inbox = append(inbox, u)
				}
			}
		case conversation.SharedToTeamInbox:
			conversation.AddSorted(&grant.Teams, r.Sharing.Team)
		}
	}
	return grant, inbox
}

// discardOnReply ends the snoozes set with "discard if someone replies"
// before message m.
func discardOnReply(b *builder, c *conversation.Conversation, m *conversation.Message) {
	if m == nil {
		return
	}
	if s := c.SnoozeForEveryone; s != nil && s.DiscardOnReply && !m.At.Before(s.At) {
		b.out.DiscardSnoozeForEveryone = true
		b.event(conversation.Event{Type: conversation.EventSnoozeDiscarded, ForEveryone: true})
	}
	for _, u := range sortedUsers(b.states) {
		if s := b.states[u].Snooze; s != nil && s.DiscardOnReply && !m.At.Before(s.At) {
			b.out.DiscardSnoozes = append(b.out.DiscardSnoozes, u)
			b.event(conversation.Event{Type: conversation.EventSnoozeDiscarded, Users: []conversation.UserID{u}})
		}
	}
}

// missing returns the elements of want (sorted) not in have (sorted).
func missing[T any](have, want []T, cmp func(a, b T) int) []T {
	var out []T
	for _, x := range want {
		if _, ok := slices.BinarySearchFunc(have, x, cmp); !ok {
			out = append(out, x)
		}
	}
	return out
}
