package triage

import (
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
)

// Reason says why a user is notified. The values mirror the engine's
// notification reasons one for one.
type Reason uint8

// Notification reasons.
const (
	// NewMessage: an external message arrived.
	NewMessage Reason = iota + 1
	// Mentioned: the user was mentioned in a comment.
	Mentioned
	// Assigned: the conversation was assigned to the user.
	Assigned
	// CommentPosted: a comment was posted.
	CommentPosted
	// Shared: the user was added to the conversation with show-in-inbox.
	Shared
	// SnoozeDue: a snooze the user is reminded of came due.
	SnoozeDue
	// Replied: a teammate sent a message.
	Replied
)

var reasonNames = [...]string{
	NewMessage:    "new message",
	Mentioned:     "mentioned",
	Assigned:      "assigned",
	CommentPosted: "new comment",
	Shared:        "shared",
	SnoozeDue:     "snooze due",
	Replied:       "replied",
}

// String returns the reason in words.
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return "unknown"
}

// Cause says why a user's Inbox changes.
type Cause uint8

// Causes of Inbox changes.
const (
	// Recipient: mail came to an account or address that puts it in the
	// user's Inbox.
	Recipient Cause = iota + 1
	// Assignee: the user is assigned (newly, or on a reply or reopen).
	Assignee
	// Watcher: the user watches the conversation and something happened.
	Watcher
	// DirectReply: the message answers one the user sent.
	DirectReply
	// Due: a snooze came due.
	Due
	// Added: the user was added, shown in their Inbox.
	Added
	// Done: the user archived, closed, trashed or left the conversation,
	// or lost access to it.
	Done
	// CoworkerClosed: a coworker closed it and the user asked to lose
	// such conversations from their Inbox.
	CoworkerClosed
	// Mentioned: the user was mentioned in a comment.
	MentionedIn
	// Carried: the state was carried over from another conversation (a
	// merge, a move to a new conversation).
	Carried
)

var causeNames = [...]string{
	Recipient:      "recipient",
	Assignee:       "assignee",
	Watcher:        "watcher",
	DirectReply:    "direct reply",
	Due:            "snooze due",
	Added:          "added",
	Done:           "done",
	CoworkerClosed: "coworker closed",
	MentionedIn:    "mentioned",
	Carried:        "carried over",
}

// String returns the cause in words.
func (c Cause) String() string {
	if int(c) < len(causeNames) && causeNames[c] != "" {
		return causeNames[c]
	}
	return "unknown"
}

// Listing is a change of the team-inbox flag.
type Listing uint8

// Team-inbox changes.
const (
	// Unchanged leaves the team-inbox flag as it is.
	Unchanged Listing = iota
	// Listed lists the conversation in its team's inbox.
	Listed
	// Unlisted takes it out of its team's inbox.
	Unlisted
)

// String returns the change in words.
func (l Listing) String() string {
	switch l {
	case Listed:
		return "listed"
	case Unlisted:
		return "unlisted"
	}
	return "unchanged"
}

// InboxChange puts a conversation in one user's Inbox (In) or takes it
// out.
type InboxChange struct {
	User  conversation.UserID
	In    bool
	Cause Cause
}

// Notice is one notification to send: who, and why.
type Notice struct {
	User   conversation.UserID
	Reason Reason
}

// Grant is access an outcome adds to the conversation.
type Grant struct {
	Accounts []conversation.AccountID
	Users    []conversation.UserID
	Teams    []conversation.TeamID
}

// Outcome is what a decision asks the engine to do to one conversation.
// The zero Outcome changes nothing. Changes apply in this order: grant,
// team, reopen, team inbox, Inboxes, watching, due marks, snoozes,
// events, notifications.
type Outcome struct {
	// Grant is access the conversation gains.
	Grant Grant
	// Team, when set, is the conversation's team from now on (the zero
	// ID for none).
	Team *conversation.TeamID
	// Reopen opens a closed conversation.
	Reopen bool
	// TeamInbox changes the team-inbox flag.
	TeamInbox Listing
	// Inbox lists the Inbox changes in the order decided; a user appears
	// at most once.
	Inbox []InboxChange
	// Watch lists users who start watching.
	Watch []conversation.UserID
	// MarkDue lists users for whom the conversation is back from a snooze.
	MarkDue []conversation.UserID
	// DiscardSnoozeForEveryone ends the snooze set for everyone.
	DiscardSnoozeForEveryone bool
	// DiscardSnoozes lists the users whose own snooze ends.
	DiscardSnoozes []conversation.UserID
	// Events are the timeline events to append, in order.
	Events []conversation.Event
	// Notify lists who is told and why, in order, each user once.
	Notify []Notice
}

// InboxOf returns the Inbox change of u, if the outcome has one.
func (o *Outcome) InboxOf(u conversation.UserID) (InboxChange, bool) {
	i := slices.IndexFunc(o.Inbox, func(c InboxChange) bool { return c.User == u })
	if i < 0 {
		return InboxChange{}, false
	}
	return o.Inbox[i], true
}

// SetInbox records an Inbox change for u, replacing an earlier one.
func (o *Outcome) SetInbox(u conversation.UserID, in bool, cause Cause) {
	if i := slices.IndexFunc(o.Inbox, func(c InboxChange) bool { return c.User == u }); i >= 0 {
		o.Inbox[i] = InboxChange{User: u, In: in, Cause: cause}
		return
	}
	o.Inbox = append(o.Inbox, InboxChange{User: u, In: in, Cause: cause})
}

// SkipInbox drops every change that puts the conversation in someone's
// Inbox, as a rule that keeps incoming mail out of the Inbox does.
func (o *Outcome) SkipInbox() {
	o.Inbox = slices.DeleteFunc(o.Inbox, func(c InboxChange) bool { return c.In })
}

// Notifies reports whether a user with state st (nil for none) is told
// about r by an operation of actor (zero for the system): never of their
// own action (a snooze coming due excepted), and not when they silenced
// the conversation, unless they are mentioned or assigned.
func Notifies(actor, u conversation.UserID, st *conversation.UserState, r Reason) bool {
	if u == actor && !actor.IsZero() && r != SnoozeDue {
		return false
	}
	return st == nil || !st.Silenced || r == Mentioned || r == Assigned
}

// builder accumulates an outcome from the facts of one decision.
type builder struct {
	out    Outcome
	actor  conversation.UserID
	states map[conversation.UserID]*conversation.UserState
}

// inbox records an Inbox change (the first for a user wins unless it is
// taken back out).
func (b *builder) inbox(u conversation.UserID, in bool, cause Cause) {
	if c, ok := b.out.InboxOf(u); ok && c.In == in {
		return
	}
	b.out.SetInbox(u, in, cause)
}

// notify tells u about r unless the notification rules keep it quiet or
// u was told already.
func (b *builder) notify(u conversation.UserID, r Reason) {
	if !Notifies(b.actor, u, b.states[u], r) {
		return
	}
	if slices.ContainsFunc(b.out.Notify, func(n Notice) bool { return n.User == u }) {
		return
	}
	b.out.Notify = append(b.out.Notify, Notice{User: u, Reason: r})
}

// notifyActive tells the active members of t (never its observers).
func (b *builder) notifyActive(t *conversation.Team, r Reason) {
	for _, m := range t.Members {
		if m.Kind == conversation.Active {
			b.notify(m.User, r)
		}
	}
}

// event appends a timeline event.
func (b *builder) event(ev conversation.Event) { b.out.Events = append(b.out.Events, ev) }

// sortedUsers returns the users of states in ID order.
func sortedUsers(states map[conversation.UserID]*conversation.UserState) []conversation.UserID {
	us := make([]conversation.UserID, 0, len(states))
	for u := range states {
		us = append(us, u)
	}
	slices.SortFunc(us, conversation.UserID.Compare)
	return us
}

// wakeWatchers brings the conversation back to the Inbox of every watcher
// but the actor, and tells them r when notify is set. Watchers who
// trashed it for themselves or removed their access stay out.
func (b *builder) wakeWatchers(r Reason, notify bool) {
	for _, u := range sortedUsers(b.states) {
		st := b.states[u]
		if !st.Watching || u == b.actor || st.Removed || st.Trashed {
			continue
		}
		b.inbox(u, true, Watcher)
		if notify {
			b.notify(u, r)
		}
	}
}
