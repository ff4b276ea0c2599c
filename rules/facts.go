package rules

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/labels"
)

// InitiatorKind says who caused an event.
type InitiatorKind uint8

// The initiators. Only events a user caused trigger user-action rules, and
// only messages a user sent trigger outgoing rules.
const (
	ByUser InitiatorKind = iota
	ByRule
	BySystem
	ByAPI
)

// Initiator is who caused an event: a user, a rule's action, the system
// (timers, the out-of-office move back to the team inbox) or the API.
type Initiator struct {
	Kind InitiatorKind
	User conversation.UserID
	Rule RuleID
}

// Contacts answers the contact operators. A nil Contacts answers false to
// everything. Addresses are passed as they appear in the message.
type Contacts interface {
	InGroup(addr, group string) bool
	InCompany(addr, company string) bool
	InBook(addr, book string) bool
	// InContacts reports whether addr is in a contact book the scope sees.
	InContacts(addr string, scope Scope) bool
	// PastRecipient reports whether the scope ever sent mail to addr: the
	// rule's owner for a personal rule, an account shared with the
	// organization for an organization rule.
	PastRecipient(addr string, scope Scope) bool
}

// AI answers AI prompt conditions. The host implements it; inboxkit ships
// none. An error makes the condition not match and is recorded in the
// trace.
type AI interface {
	Prompt(ctx context.Context, model AIModel, prompt string, msg *conversation.Message) (string, error)
}

// UserActionFacts are the details of a user action.
type UserActionFacts struct {
	Kind UserActionKind
	// Labels are the label changes of a LabelChange, with the names and
	// parents they had then.
	Labels []conversation.LabelChange
	// AddedAssignees and RemovedAssignees of an AssigneeChanged.
	AddedAssignees, RemovedAssignees []conversation.UserID
	// NewTeam and PreviousTeam of a TeamChanged (zero for none).
	NewTeam, PreviousTeam conversation.TeamID
	// Comment of a NewComment, and whether it is a task.
	Comment *conversation.Comment
	IsTask  bool
}

// Facts are everything rules read about one event, as the engine loads
// them. The zero value of a part is "nothing": no message, no labels.
type Facts struct {
	// Type is the event: an incoming or outgoing message, or a user action
	// (then Action.Kind says which).
	Type TypeKind
	// Initiator caused the event. User-action rules and outgoing rules
	// run only for events a user caused.
	Initiator Initiator
	// Message is the triggering message, or for a user action the latest
	// message of the conversation, when there is one.
	Message *conversation.Message
	// Headers is the raw header block of the message.
	Headers string
	// ReadTrackers says the message holds tracking pixels.
	ReadTrackers bool
	// Account received (incoming) or sends (outgoing) the message.
	Account conversation.AccountID
	// Conversation is the conversation's state when the event is
	// evaluated.
	Conversation *conversation.Conversation
	// Scope says which rule set sees the conversation; see
	// [ConversationScope].
	Scope Scope
	// Watchers are the users watching the conversation, and Away the users
	// with access who are out of office now.
	Watchers []conversation.UserID
	Away     []conversation.UserID
	// Action holds the user action of a user-action event.
	Action UserActionFacts
	// Replied says an outgoing message was sent in the conversation after
	// the message that started a watch (read when a watch resumes).
	Replied bool
	// Now is when the rules run: the rule trigger time.
	Now time.Time
	// Labels finds labels (to match a label condition's children); nil
	// means exact matches only.
	Labels labels.Lookup
	// Contacts answers contact operators.
	Contacts Contacts
	// AI answers AI prompts; nil makes them fail.
	AI AI
	// Hours returns the business hours of the organization (zero team) or
	// of a team.
	Hours func(team conversation.TeamID) (BusinessHours, bool)
	// LastResponse returns when a rule's Send response action (by index)
	// last sent in this conversation, for its "at most once every"
	// throttle.
	LastResponse func(rule RuleID, action int) (time.Time, bool)
}

// channel returns the rule channel of the message, Email when there is
// none.
func (f *Facts) channel() Channel {
	if f.Message == nil {
		return Email
	}
	return ChannelOf(f.Message.Channel)
}
