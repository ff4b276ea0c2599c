package triage

import (
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
)

// Facts are what the decisions on an existing conversation read.
type Facts struct {
	// Conversation is the conversation when the decision is asked: before
	// the change, except where a decision says otherwise (Assign and
	// Unassign see the assignees already changed).
	Conversation *conversation.Conversation
	// States are the per-user states the decision reads (every stored
	// one, for the decisions that look at watchers).
	States map[conversation.UserID]*conversation.UserState
	// Teams are the conversation's teams by ID (its own team at least).
	Teams conversation.Teams
	// Actor is the acting user, zero for the system.
	Actor conversation.UserID
}

func (f Facts) builder() *builder {
	return &builder{actor: f.Actor, states: f.States}
}

// teamInbox returns the conversation's own team when it has a team inbox.
func (f Facts) teamInbox() *conversation.Team {
	if t := f.Teams[f.Conversation.Team]; t != nil && !t.NoInbox {
		return t
	}
	return nil
}

// Activity decides what new activity by the actor does: every watcher but
// the actor gets the conversation back in their Inbox (any new message,
// comment or task change), told r when notify is set. Watchers who
// trashed it for themselves or removed their access stay out.
func Activity(f Facts, r Reason, notify bool) Outcome {
	b := f.builder()
	b.wakeWatchers(r, notify)
	return b.out
}

// Comment decides what a comment by the actor does: watchers get it back
// and are told, and so are the active members of its team when it sits
// unassigned in their team inbox. Mentions are decided by [Mention].
func Comment(f Facts) Outcome {
	b := f.builder()
	b.wakeWatchers(CommentPosted, true)
	c := f.Conversation
	if t := f.Teams[c.Team]; t != nil && c.InTeamInbox && len(c.Assignees) == 0 {
		b.notifyActive(t, CommentPosted)
	}
	return b.out
}

// Mention decides what mentioning u does: the conversation enters u's
// Inbox and u is told, unless u is the actor.
func Mention(f Facts, u conversation.UserID) Outcome {
	b := f.builder()
	if u != f.Actor {
		b.inbox(u, true, MentionedIn)
		b.notify(u, Mentioned)
	}
	return b.out
}

// Share decides what adding users does: with showInInbox, every user
// reached but the actor gets it in their Inbox and is told; without,
// they only gain access (decided by the caller).
func Share(f Facts, reached []conversation.UserID, showInInbox bool) Outcome {
	b := f.builder()
	if !showInInbox {
		return b.out
	}
	for _, u := range reached {
		if u == f.Actor {
			continue
		}
		b.inbox(u, true, Added)
		b.notify(u, Shared)
	}
	return b.out
}

// Assign decides what assigning the users added does, the conversation's
// assignees already including them: each gets it in their Inbox, starts
// watching and is told; the conversation leaves the team inbox.
func Assign(f Facts, added []conversation.UserID) Outcome {
	b := f.builder()
	if len(added) == 0 {
		return b.out
	}
	for _, u := range added {
		b.inbox(u, true, Assignee)
		b.out.Watch = append(b.out.Watch, u)
		b.notify(u, Assigned)
	}
	b.out.TeamInbox = Unlisted
	b.event(conversation.Event{Type: conversation.EventAssigned, Users: added})
	return b.out
}

// Unassign decides what removing assignees does, the conversation's
// assignees already without them: when none is left, an open
// conversation of a team with an inbox goes back to it.
func Unassign(f Facts, removed []conversation.UserID) Outcome {
	b := f.builder()
	if len(removed) == 0 {
		return b.out
	}
	c := f.Conversation
	if len(c.Assignees) == 0 && !c.Closed && !c.Trashed && f.teamInbox() != nil {
		b.out.TeamInbox = Listed
	}
	b.event(conversation.Event{Type: conversation.EventUnassigned, Users: removed})
	return b.out
}

// MoveTeam decides what moving the conversation to team t does: t becomes
// its team and it is listed in t's inbox, unless the move comes from a
// message and it is assigned.
func MoveTeam(f Facts, t conversation.TeamID, byMessage bool) Outcome {
	b := f.builder()
	c := f.Conversation
	ev := conversation.Event{Type: conversation.EventTeamChanged, ByMessage: byMessage, Teams: []conversation.TeamID{t}}
	if !c.Team.IsZero() {
		ev.Teams = append(ev.Teams, c.Team)
	}
	b.out.Team = &t
	b.out.TeamInbox = Unlisted
	if !byMessage || len(c.Assignees) == 0 {
		b.out.TeamInbox = Listed
	}
	b.event(ev)
	return b.out
}

// LeaveTeam decides what taking the conversation from its team does: no
// team, in no team inbox.
func LeaveTeam(f Facts) Outcome {
	b := f.builder()
	c := f.Conversation
	if c.Team.IsZero() {
		return b.out
	}
	none := conversation.TeamID{}
	b.out.Team = &none
	b.out.TeamInbox = Unlisted
	b.event(conversation.Event{Type: conversation.EventTeamChanged, Teams: []conversation.TeamID{{}, c.Team}})
	return b.out
}

// Reopen decides what reopening a closed conversation does: back in each
// assignee's Inbox, or in its team inbox when nobody is assigned.
// Reopening an open conversation changes nothing.
func Reopen(f Facts) Outcome {
	b := f.builder()
	c := f.Conversation
	if !c.Closed {
		return b.out
	}
	b.out.Reopen = true
	for _, a := range c.Assignees {
		b.inbox(a, true, Assignee)
	}
	if len(c.Assignees) == 0 && f.teamInbox() != nil {
		b.out.TeamInbox = Listed
	}
	b.event(conversation.Event{Type: conversation.EventReopened})
	return b.out
}

// CloseAsks returns the users whose "remove when a coworker closes"
// preference [Close] needs: those who have it in their Inbox, do not
// watch it and are not the actor.
func CloseAsks(f Facts) []conversation.UserID {
	var out []conversation.UserID
	for _, u := range sortedUsers(f.States) {
		if st := f.States[u]; st.InInbox && !st.Watching && u != f.Actor {
			out = append(out, u)
		}
	}
	return out
}

// Close decides what closing does to mailboxes: it leaves the team inbox
// and the actor's Inbox; the users of [CloseAsks] that removeOnClose
// holds lose it too, the others keep it.
func Close(f Facts, removeOnClose map[conversation.UserID]bool) Outcome {
	b := f.builder()
	b.out.TeamInbox = Unlisted
	if !f.Actor.IsZero() {
		b.inbox(f.Actor, false, Done)
	}
	for _, u := range CloseAsks(f) {
		if removeOnClose[u] {
			b.inbox(u, false, CoworkerClosed)
		}
	}
	b.event(conversation.Event{Type: conversation.EventClosed})
	return b.out
}

// ArchiveTeamInbox decides an archive from the team inbox: out of it for
// everyone, if it was there.
func ArchiveTeamInbox(f Facts) Outcome {
	b := f.builder()
	if f.Conversation.InTeamInbox {
		b.out.TeamInbox = Unlisted
		b.event(conversation.Event{Type: conversation.EventArchived, ForEveryone: true})
	}
	return b.out
}

// Archive decides the actor archiving from their own Inbox: out of it,
// recorded if it was there.
func Archive(f Facts) Outcome {
	b := f.builder()
	if f.Actor.IsZero() {
		return b.out
	}
	if st := f.States[f.Actor]; st != nil && st.InInbox {
		b.event(conversation.Event{Type: conversation.EventArchived, Users: []conversation.UserID{f.Actor}})
	}
	b.inbox(f.Actor, false, Done)
	return b.out
}

// Leave takes the conversation out of the Inbox of users, who archived,
// trashed, deleted or lost it.
func Leave(users ...conversation.UserID) Outcome {
	var b builder
	for _, u := range users {
		b.inbox(u, false, Done)
	}
	return b.out
}

// TrashForEveryone decides a trash for everyone: out of the team inbox
// and out of every Inbox.
func TrashForEveryone(f Facts) Outcome {
	b := f.builder()
	b.out.TeamInbox = Unlisted
	for _, u := range sortedUsers(f.States) {
		if f.States[u].InInbox {
			b.inbox(u, false, Done)
		}
	}
	return b.out
}

// Spam decides marking as spam: out of the team inbox (Inboxes keep the
// flag; Spam hides it from every mailbox but Spam).
func Spam(f Facts) Outcome {
	return Outcome{TeamInbox: Unlisted}
}

// Unsnooze decides the actor discarding their own snooze: back in their
// Inbox at once.
func Unsnooze(f Facts) Outcome {
	b := f.builder()
	b.inbox(f.Actor, true, Due)
	b.out.DiscardSnoozes = []conversation.UserID{f.Actor}
	b.event(conversation.Event{Type: conversation.EventSnoozeDiscarded, Users: []conversation.UserID{f.Actor}})
	return b.out
}

// WakeEveryone decides the end of the snooze for everyone: back in the
// team inbox when unassigned and open, else in the assignees' Inbox.
// With remind (it came due, rather than being discarded), every
// participant (its setter, the assignees, the watchers, whoever has it in
// their Inbox) gets it back marked due and is reminded. Users who trashed
// it for themselves or removed their access stay out.
func WakeEveryone(f Facts, remind bool) Outcome {
	b := f.builder()
	c := f.Conversation
	if c.SnoozeForEveryone == nil {
		return b.out
	}
	b.out.DiscardSnoozeForEveryone = true
	if len(c.Assignees) == 0 && !c.Closed && f.teamInbox() != nil {
		b.out.TeamInbox = Listed
	}
	participants := slices.Clone(c.Assignees)
	if remind {
		participants = append(participants, c.SnoozeForEveryone.By)
		for _, u := range sortedUsers(f.States) {
			if st := f.States[u]; st.InInbox || st.Watching {
				participants = append(participants, u)
			}
		}
	}
	for _, u := range participants {
		if st := f.States[u]; st != nil && (st.Trashed || st.Removed) {
			continue
		}
		cause := Assignee
		if remind {
			cause = Due
		}
		b.inbox(u, true, cause)
		if remind {
			if !slices.Contains(b.out.MarkDue, u) {
				b.out.MarkDue = append(b.out.MarkDue, u)
			}
			b.notify(u, SnoozeDue)
		}
	}
	return b.out
}

// WakeUser decides the end of u's own snooze, come due: it ends, and
// unless u trashed the conversation for themselves or removed their
// access, it is back in u's Inbox marked due and u is reminded.
func WakeUser(f Facts, u conversation.UserID) Outcome {
	b := f.builder()
	b.out.DiscardSnoozes = []conversation.UserID{u}
	if st := f.States[u]; st == nil || !st.Trashed && !st.Removed {
		b.inbox(u, true, Due)
		b.out.MarkDue = []conversation.UserID{u}
		b.notify(u, SnoozeDue)
	}
	b.event(conversation.Event{Type: conversation.EventWoken, Users: []conversation.UserID{u}})
	return b.out
}

// Join decides a user joining the conversation by a path that shows it to
// them (a guest accepting an invitation, a user moving a message to a new
// conversation): in their Inbox, watching.
func Join(u conversation.UserID) Outcome {
	return Outcome{Inbox: []InboxChange{{User: u, In: true, Cause: Added}}, Watch: []conversation.UserID{u}}
}

// Carry decides the Inbox of users whose state comes from another
// conversation (a merge, a move to a private conversation): in their
// Inbox if they had it there; a user who did not have it there keeps
// what they have.
func Carry(from map[conversation.UserID]*conversation.UserState) Outcome {
	var b builder
	for _, u := range sortedUsers(from) {
		if from[u].InInbox {
			b.inbox(u, true, Carried)
		}
	}
	return b.out
}

// Unteam decides what making the conversation's account private does to
// its team: it has none any more, and if it was in the team inbox, the
// work goes to the account's owner's Inbox.
func Unteam(f Facts, owner conversation.UserID) Outcome {
	b := f.builder()
	none := conversation.TeamID{}
	b.out.Team = &none
	b.out.TeamInbox = Unlisted
	if f.Conversation.InTeamInbox {
		b.inbox(owner, true, Recipient)
	}
	return b.out
}
