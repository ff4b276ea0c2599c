package inbox

import (
	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/triage"
)

// apply carries out a decision of package triage on the operation's
// conversation. It is the one place the per-user Inbox flags and the
// team-inbox flag are written: every operation that moves a conversation
// between mailboxes asks triage for an outcome and applies it here.
//
// Teams the outcome adds are loaded when the operation's conversation is
// flushed.
func (o *op) apply(out *triage.Outcome) {
	c := o.conv
	for _, a := range out.Grant.Accounts {
		o.changed = conversation.AddSorted(&c.Accounts, a) || o.changed
	}
	for _, u := range out.Grant.Users {
		o.changed = conversation.AddSorted(&c.Users, u) || o.changed
	}
	teamsChanged := false
	for _, t := range out.Grant.Teams {
		teamsChanged = conversation.AddSorted(&c.Teams, t) || teamsChanged
	}
	if out.Team != nil && *out.Team != c.Team {
		c.Team = *out.Team
		teamsChanged = true
	}
	o.changed = o.changed || teamsChanged
	if out.Reopen && c.Closed {
		c.Closed = false
		o.changed = true
	}
	switch out.TeamInbox {
	case triage.Listed:
		o.changed = o.changed || !c.InTeamInbox
		c.InTeamInbox = true
	case triage.Unlisted:
		o.changed = o.changed || c.InTeamInbox
		c.InTeamInbox = false
	}
	for _, ch := range out.Inbox {
		if st := o.peek(ch.User); !ch.In && (st == nil || !st.InInbox) {
			continue
		}
		o.state(ch.User).InInbox = ch.In
	}
	for _, u := range out.Watch {
		o.state(u).Watching = true
	}
	for _, u := range out.MarkDue {
		o.state(u).SnoozeDue = true
	}
	if out.DiscardSnoozeForEveryone && c.SnoozeForEveryone != nil {
		c.SnoozeForEveryone = nil
		o.changed = true
	}
	for _, u := range out.DiscardSnoozes {
		o.state(u).Snooze = nil
	}
	for _, ev := range out.Events {
		o.emit(ev)
	}
	for _, n := range out.Notify {
		o.notify(n.User, reasonOf(n.Reason))
	}
}

// facts returns the facts of the operation's conversation for a decision
// on what actor (zero for the system) does.
func (o *op) facts(actor conversation.UserID) triage.Facts {
	return triage.Facts{Conversation: o.conv, States: o.states, Teams: o.teams, Actor: actor}
}

// decide applies the outcome decide returns for the operation's
// conversation and the acting user.
func (o *op) decide(decide func(triage.Facts) triage.Outcome) {
	out := decide(o.facts(o.actor.user))
	o.apply(&out)
}

// reasonOf returns the engine's notification reason for a triage reason;
// the two share their values.
func reasonOf(r triage.Reason) Reason { return Reason(r) }

// triageRoutes returns routes as package triage takes them.
func triageRoutes(routes []route) []triage.Route {
	out := make([]triage.Route, len(routes))
	for i, r := range routes {
		out[i] = triage.Route{Account: r.acct, Sharing: r.sharing}
	}
	return out
}

// applyRoutes grants the access routes imply, and nothing else (no Inbox,
// no team inbox): sent mail waits on nobody.
func (o *op) applyRoutes(routes []route) {
	grant, _ := triage.Recipients(triageRoutes(routes))
	o.apply(&triage.Outcome{Grant: grant})
	o.touch(false)
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
