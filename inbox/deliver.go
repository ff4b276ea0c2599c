package inbox

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
)

// Incoming is a message a connected account received.
type Incoming struct {
	// Account received the message.
	Account conversation.AccountID
	// Message holds what the transport parsed: From, To, Cc, Bcc, Subject,
	// Text, Attachments, HeaderID, InReplyTo, References and At (zero
	// means now). Its ID, Conversation, Direction, Channel and Seq are set
	// by the engine.
	Message conversation.Message
}

// Delivery reports what [Engine.Deliver] did.
type Delivery struct {
	// Conversations holds the message, one per team inbox in
	// duplicate-per-team mode, otherwise one.
	Conversations []conversation.ConversationID
	// Duplicate is true when the message had been delivered before (same
	// Message-ID in the organization) and nothing changed.
	Duplicate bool
}

// route is one place an incoming message is addressed to: an account of
// the organization and the sharing that applies to the address used.
type route struct {
	acct    *conversation.Account
	sharing conversation.Sharing
}

// Deliver files an incoming message. Only the [System] actor delivers.
//
// Routing follows each recipient address that belongs to the
// organization (and the receiving account itself): a team-inbox address
// lists the conversation in that team's inbox and notifies its active
// members, never its observers (F3:970-980); an Inbox-mode address puts it
// in the Inbox of users set to "to inbox" and only gives access to
// "auto-archive" users (F3:986-999); a personal account puts it in its
// owner's Inbox. Mail to several team inboxes makes one linked copy per
// team, or one conversation in the alphabetically first team, by the
// organization's MultiTeamMode (F3:9723-9758).
//
// A reply (In-Reply-To, then References newest first) joins the
// conversation of the first known parent it names; on a closed
// conversation it reopens it, back in the assignees' Inbox with only the
// assignees notified (F3:9373). A conversation already holding
// MaxMessages messages is not joined: a new, linked one starts (F3:7932).
func (e *Engine) Deliver(ctx context.Context, actor Actor, in Incoming) (Delivery, error) {
	if !actor.system {
		return Delivery{}, conversation.Errorf(ErrForbidden, "only the system actor delivers mail")
	}
	var res Delivery
	err := e.update(ctx, actor, func(o *op) error {
		res = Delivery{}
		return o.deliver(in, &res)
	})
	return res, err
}

func (o *op) deliver(in Incoming, res *Delivery) error {
	acct, err := o.tx.Account(o.ctx, in.Account)
	if err != nil {
		return err
	}
	org, err := o.loadOrg(acct.Org)
	if err != nil {
		return err
	}
	msg := in.Message
	msg.Direction = conversation.Inbound
	msg.Channel = acct.Channel
	if msg.At.IsZero() {
		msg.At = o.now
	}
	if msg.HeaderID != "" {
		known, err := o.tx.MessagesByHeaderID(o.ctx, org.ID, msg.HeaderID)
		if err != nil {
			return err
		}
		if len(known) > 0 {
			res.Duplicate = true
			for _, m := range known {
				if !slices.Contains(res.Conversations, m.Conversation) {
					res.Conversations = append(res.Conversations, m.Conversation)
				}
			}
			return nil
		}
	}
	routes, err := o.routes(acct, &msg)
	if err != nil {
		return err
	}
	parents, parentMsgs, err := o.parents(org.ID, &msg)
	if err != nil {
		return err
	}

	// Split routes into team inboxes and the rest.
	var teams []*conversation.Team
	var others []route
	for _, r := range routes {
		if r.sharing.Kind != conversation.SharedToTeamInbox {
			others = append(others, r)
			continue
		}
		if slices.ContainsFunc(teams, func(t *conversation.Team) bool { return t.ID == r.sharing.Team }) {
			continue
		}
		t, err := o.tx.Team(o.ctx, r.sharing.Team)
		if err != nil {
			return err
		}
		teams = append(teams, t)
	}
	slices.SortFunc(teams, func(a, b *conversation.Team) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return a.ID.Compare(b.ID)
	})
	single := org.MultiTeamMode == conversation.SingleConversation
	if single && len(teams) > 1 {
		teams = teams[:1]
	}

	// One target per team (or a single target without team); the first
	// target also takes the non-team routes.
	type target struct {
		team   *conversation.Team
		routes []route
		conv   *conversation.Conversation
	}
	var targets []*target
	for _, t := range teams {
		var rs []route
		for _, r := range routes {
			if r.sharing.Kind == conversation.SharedToTeamInbox && r.sharing.Team == t.ID {
				rs = append(rs, r)
			}
		}
		targets = append(targets, &target{team: t, routes: rs})
	}
	if len(targets) == 0 {
		targets = append(targets, &target{})
	}
	targets[0].routes = append(targets[0].routes, others...)

	var created []*target
	used := map[conversation.ConversationID]bool{}
	for _, tg := range targets {
		tg.conv = o.pickParent(parents, tg.team, tg.routes, single)
		if tg.conv != nil && used[tg.conv.ID] {
			tg.conv = nil // another copy already joined it
		}
		if tg.conv == nil {
			created = append(created, tg)
			continue
		}
		used[tg.conv.ID] = true
	}
	// Pre-name new conversations so duplicates can link to each other.
	newIDs := make([]conversation.ConversationID, len(created))
	for i := range created {
		newIDs[i] = conversation.ConversationID(o.e.newID())
	}
	for _, tg := range targets {
		var full *conversation.Conversation
		if tg.conv != nil && tg.conv.Messages >= o.e.maxMessages {
			full, tg.conv = tg.conv, nil
			created = append(created, tg)
			newIDs = append(newIDs, conversation.ConversationID(o.e.newID()))
		}
		m := msg.Clone()
		if tg.conv != nil {
			if err := o.switchTo(tg.conv, false); err != nil {
				return err
			}
			if err := o.inboundReply(org, tg.team, tg.routes, m, parentMsgs); err != nil {
				return err
			}
		} else {
			i := slices.Index(created, tg)
			c := &conversation.Conversation{ID: newIDs[i], Org: org.ID, Kind: conversation.Thread, CreatedAt: o.now}
			if err := o.switchTo(c, true); err != nil {
				return err
			}
			if err := o.inboundNew(tg.team, tg.routes, m); err != nil {
				return err
			}
			if related := slices.Delete(slices.Clone(newIDs), i, i+1); len(related) > 0 && full == nil {
				o.emit(conversation.Event{Type: conversation.EventLinked, Related: related})
			}
			if full != nil {
				o.emit(conversation.Event{Type: conversation.EventLinked, Related: []conversation.ConversationID{full.ID}})
			}
		}
		res.Conversations = append(res.Conversations, o.conv.ID)
	}
	return nil
}

// routes resolves where a message is addressed: every recipient address
// that belongs to an account of the organization, plus the receiving
// account itself when no recipient named it (Bcc, forwarding).
func (o *op) routes(acct *conversation.Account, m *conversation.Message) ([]route, error) {
	var out []route
	seen := map[string]bool{}
	self := false
	for _, list := range [][]conversation.Address{m.To, m.Cc, m.Bcc} {
		for _, a := range list {
			addr := conversation.CanonicalAddress(a.Address)
			if addr == "" || seen[addr] {
				continue
			}
			seen[addr] = true
			owner := acct
			if sh, ok := acct.SharingFor(addr); ok {
				out = append(out, route{acct: owner, sharing: sh})
				self = true
				continue
			}
			other, err := o.tx.AccountByAddress(o.ctx, acct.Org, addr)
			if err != nil {
				if isNotFound(err) {
					continue
				}
				return nil, err
			}
			sh, _ := other.SharingFor(addr)
			out = append(out, route{acct: other, sharing: sh})
		}
	}
	if !self {
		out = append(out, route{acct: acct, sharing: acct.Sharing})
	}
	return out, nil
}

// parents returns the conversations, and the messages, of the first
// parent id that resolves: In-Reply-To first, then References from last
// to first.
func (o *op) parents(org conversation.OrgID, m *conversation.Message) ([]*conversation.Conversation, []*conversation.Message, error) {
	ids := slices.Clone(m.InReplyTo)
	for i := len(m.References) - 1; i >= 0; i-- {
		ids = append(ids, m.References[i])
	}
	for _, id := range ids {
		if id == "" || id == m.HeaderID {
			continue
		}
		msgs, err := o.tx.MessagesByHeaderID(o.ctx, org, id)
		if err != nil {
			return nil, nil, err
		}
		var out []*conversation.Conversation
		for _, pm := range msgs {
			if slices.ContainsFunc(out, func(c *conversation.Conversation) bool { return c.ID == pm.Conversation }) {
				continue
			}
			c, err := o.tx.Conversation(o.ctx, pm.Conversation)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, c)
		}
		if len(out) > 0 {
			return out, msgs, nil
		}
	}
	return nil, nil, nil
}

// pickParent chooses which parent conversation a target joins. A
// conversation qualifies when it is of the target's team or shares an
// account with the routes; in single-conversation mode any team
// conversation of the thread qualifies (and will move team). Personal
// mail therefore never joins a conversation its account does not hold.
func (o *op) pickParent(parents []*conversation.Conversation, team *conversation.Team, routes []route, single bool) *conversation.Conversation {
	var fallback *conversation.Conversation
	for _, c := range parents {
		if c.Trashed && c.Team.IsZero() && team != nil {
			continue
		}
		if team != nil && (c.Team == team.ID || slices.Contains(c.Teams, team.ID)) {
			return c
		}
		for _, r := range routes {
			if slices.Contains(c.Accounts, r.acct.ID) && (team == nil || !single) {
				if fallback == nil {
					fallback = c
				}
			}
		}
		if single && team != nil && !c.Team.IsZero() && fallback == nil {
			fallback = c
		}
	}
	return fallback
}

// addMessage appends m to the operation's conversation.
func (o *op) addMessage(m *conversation.Message) error {
	c := o.conv
	m.ID = conversation.MessageID(o.e.newID())
	m.Conversation = c.ID
	c.Seq++
	m.Seq = c.Seq
	c.MessageSeq = c.Seq
	c.Messages++
	if m.Subject != "" {
		c.Subject = m.Subject
	}
	if m.Direction == conversation.Outbound {
		c.HasSent = true
	}
	o.touch(true)
	o.emit(conversation.Event{Type: conversation.EventMessageAdded, Message: m.ID})
	return o.tx.AddMessage(o.ctx, c.Org, m)
}

// applyRoutes grants the access each route implies and returns the users
// a new message puts in their Inbox (personal owners, delegates and
// "to inbox" users) and the team whose inbox it feeds, if any.
func (o *op) applyRoutes(routes []route) (inboxUsers []conversation.UserID, team conversation.TeamID) {
	c := o.conv
	for _, r := range routes {
		conversation.AddSorted(&c.Accounts, r.acct.ID)
		conversation.AddSorted(&c.Users, r.acct.Owner)
		for _, d := range r.acct.Delegates {
			conversation.AddSorted(&c.Users, d)
		}
		switch r.sharing.Kind {
		case conversation.NotShared:
			inboxUsers = append(inboxUsers, r.acct.Owner)
			inboxUsers = append(inboxUsers, r.acct.Delegates...)
		case conversation.SharedToInboxes:
			for _, u := range slices.SortedFunc(maps.Keys(r.sharing.Users), conversation.UserID.Compare) {
				conversation.AddSorted(&c.Users, u)
				if r.sharing.Users[u] == conversation.ToInbox {
					inboxUsers = append(inboxUsers, u)
				}
			}
		case conversation.SharedToTeamInbox:
			conversation.AddSorted(&c.Teams, r.sharing.Team)
			team = r.sharing.Team
		}
	}
	o.touch(false)
	return inboxUsers, team
}

// inboundNew fills a new conversation with its first message.
func (o *op) inboundNew(team *conversation.Team, routes []route, m *conversation.Message) error {
	o.emit(conversation.Event{Type: conversation.EventCreated})
	inboxUsers, _ := o.applyRoutes(routes)
	if team != nil {
		o.conv.Team = team.ID
		o.conv.InTeamInbox = true
		o.teams[team.ID] = team // loaded by deliver in this transaction
		if err := o.loadTeams(); err != nil {
			return err
		}
		o.notifyActive(team, NewMessage)
	}
	for _, u := range inboxUsers {
		o.state(u).InInbox = true
		o.notify(u, NewMessage)
	}
	return o.addMessage(m)
}

// inboundReply adds an external message to an existing conversation and
// applies the reply rules of F3:9373 and F3:9470-9473.
func (o *op) inboundReply(org *conversation.Org, team *conversation.Team, routes []route, m *conversation.Message, parents []*conversation.Message) error {
	c := o.conv
	inboxUsers, _ := o.applyRoutes(routes)
	if team != nil && c.Team != team.ID && (c.Team.IsZero() || org.MultiTeamMode == conversation.SingleConversation) {
		o.moveTeam(team, true)
	}
	if err := o.loadTeams(); err != nil {
		return err
	}
	if err := o.addMessage(m); err != nil {
		return err
	}
	o.discardSnoozesOnReply(m)
	teamOf := o.teams[c.Team]
	if c.Closed {
		c.Closed = false
		o.emit(conversation.Event{Type: conversation.EventReopened, ByMessage: true})
		// Only the assignees are told (F3:9373); watchers still get it
		// back in their Inbox (F3:7418).
		for _, a := range c.Assignees {
			o.state(a).InInbox = true
			o.notify(a, NewMessage)
		}
		if len(c.Assignees) == 0 && teamOf != nil && !teamOf.NoInbox {
			c.InTeamInbox = true
			o.notifyActive(teamOf, NewMessage)
		}
		o.reinboxWatchers(false)
	} else {
		switch {
		case len(c.Assignees) > 0 && teamOf != nil && teamOf.ReplyToAssigned == conversation.MoveBackToTeamInbox:
			c.InTeamInbox = true
			for _, a := range c.Assignees {
				o.notify(a, NewMessage)
			}
		case len(c.Assignees) > 0:
			for _, a := range c.Assignees {
				o.state(a).InInbox = true
				o.notify(a, NewMessage)
			}
		case teamOf != nil && !teamOf.NoInbox:
			c.InTeamInbox = true
			o.notifyActive(teamOf, NewMessage)
		}
		o.reinboxWatchers(true)
	}
	// A direct reply, to a message the user sent, brings it back even
	// to a user who does not watch (F3:7419).
	for _, p := range parents {
		if p.Conversation == c.ID && p.Direction == conversation.Outbound && !p.SentBy.IsZero() {
			inboxUsers = append(inboxUsers, p.SentBy)
		}
	}
	for _, u := range inboxUsers {
		if st := o.peek(u); st != nil && (st.Removed || st.Trashed) {
			continue
		}
		o.state(u).InInbox = true
		o.notify(u, NewMessage)
	}
	return nil
}

// reinboxWatchers puts the conversation back in the Inbox of every
// watcher but the actor (F3:7418), notifying them if notify is set.
func (o *op) reinboxWatchers(notify bool) {
	for u, st := range o.states {
		if !st.Watching || u == o.actor.user || st.Removed || st.Trashed {
			continue
		}
		o.state(u).InInbox = true
		if notify {
			o.notify(u, NewMessage)
		}
	}
}

// notifyActive notifies the active members of team (never observers,
// F3:980).
func (o *op) notifyActive(team *conversation.Team, r Reason) {
	o.notes = slices.Grow(o.notes, len(team.Members))
	for _, m := range team.Members {
		if m.Kind == conversation.Active {
			o.notify(m.User, r)
		}
	}
}

// discardSnoozesOnReply cancels snoozes set with "discard if someone
// replies" before this external message (F3:7795).
func (o *op) discardSnoozesOnReply(m *conversation.Message) {
	c := o.conv
	if s := c.SnoozeForEveryone; s != nil && s.DiscardOnReply && !m.At.Before(s.At) {
		c.SnoozeForEveryone = nil
		o.emit(conversation.Event{Type: conversation.EventSnoozeDiscarded, ForEveryone: true})
	}
	for u, st := range o.states {
		if s := st.Snooze; s != nil && s.DiscardOnReply && !m.At.Before(s.At) {
			o.state(u).Snooze = nil
			o.emit(conversation.Event{Type: conversation.EventSnoozeDiscarded, Users: []conversation.UserID{u}})
		}
	}
}
