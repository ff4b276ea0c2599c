package rules

import (
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

type ruleKind struct{}

// RuleID identifies a rule. Like every inboxkit ID it is a UUID; version 7
// IDs sort by creation time, which breaks ties between equal descriptions.
type RuleID = conversation.ID[ruleKind]

// NewRuleID returns a new rule ID.
func NewRuleID() RuleID { return conversation.NewID[ruleKind]() }

// ScopeKind says whose rule it is.
type ScopeKind uint8

// The scopes.
const (
	// Personal rules belong to one user and run on that user's private
	// conversations only.
	Personal ScopeKind = iota + 1
	// Organization rules run on conversations shared with the
	// organization only; admins and owners manage them.
	Organization
)

// Scope is the owner of a rule, or the sharing state of a conversation:
// private to User, or shared with Org.
type Scope struct {
	Kind ScopeKind
	User conversation.UserID
	Org  conversation.OrgID
}

// PersonalScope returns the scope of user u's personal rules.
func PersonalScope(u conversation.UserID) Scope { return Scope{Kind: Personal, User: u} }

// OrgScope returns the scope of organization o's rules.
func OrgScope(o conversation.OrgID) Scope { return Scope{Kind: Organization, Org: o} }

// ConversationScope returns which rule set sees conversation c: the
// organization's when c is shared, else the personal rules of the one user
// with access. A conversation nobody holds has a zero scope, which no rule
// sees.
func ConversationScope(c *conversation.Conversation) Scope {
	if c.Shared() {
		return OrgScope(c.Org)
	}
	if len(c.Users) == 1 {
		return PersonalScope(c.Users[0])
	}
	if len(c.LabelUsers) == 1 {
		return PersonalScope(c.LabelUsers[0])
	}
	return Scope{}
}

// Channel is the channel of a message rule.
type Channel uint8

// The channels. Post covers API posts and call logs, and exists for
// incoming rules only.
const (
	Email Channel = iota
	SMS
	WhatsApp
	Messenger
	Instagram
	LiveChat
	Post
)

// ChannelOf returns the rule channel of a message channel: voice and custom
// channels are posts.
func ChannelOf(c conversation.Channel) Channel {
	switch c {
	case conversation.Email:
		return Email
	case conversation.SMS:
		return SMS
	case conversation.WhatsApp:
		return WhatsApp
	case conversation.Messenger:
		return Messenger
	case conversation.Instagram:
		return Instagram
	case conversation.LiveChat:
		return LiveChat
	}
	return Post
}

// TypeKind is when a rule runs.
type TypeKind uint8

// The rule types.
const (
	// Incoming rules run when a message arrives, before anyone sees it,
	// once per receiving account.
	Incoming TypeKind = iota + 1
	// Outgoing rules run when a user sends a message, before delivery.
	Outgoing
	// UserAction rules run when a user does one of the [UserActionKind]
	// things.
	UserAction
)

// UserActionKind is the user action a user-action rule reacts to.
type UserActionKind uint8

// The six user actions.
const (
	// NewComment: a comment or task is added to a conversation.
	NewComment UserActionKind = iota + 1
	// LabelChange: a label is added or removed.
	LabelChange
	// ConversationClosed: someone closes a conversation.
	ConversationClosed
	// ConversationReopened: a closed conversation is reopened.
	ConversationReopened
	// AssigneeChanged: assignees are added or removed.
	AssigneeChanged
	// TeamChanged: the conversation moves to a different team.
	TeamChanged
)

// Type is a rule's trigger: exactly one of incoming, outgoing, or a user
// action of one kind.
type Type struct {
	Kind TypeKind
	// Action is the user action of a UserAction rule, zero otherwise.
	Action UserActionKind
}

// AIModel names the AI provider integration and model a rule's AI
// conditions and actions use. It is chosen per rule and never rebound
// automatically.
type AIModel struct {
	Provider string
	Model    string
}

// Rule is one automation rule.
type Rule struct {
	ID RuleID
	// Description is shown to users and is the sort key of execution
	// order.
	Description string
	Scope       Scope
	// Channel is the channel of an incoming or outgoing rule; user-action
	// rules ignore it.
	Channel Channel
	Type    Type
	Enabled bool
	// Conditions is the top-level group. Its zero value is an empty All
	// group, which matches every event.
	Conditions Group
	// Actions run in order.
	Actions []Action
	// AI is the model AI conditions and actions use.
	AI AIModel
	// Version is bumped by the store on every change; a delayed run
	// records the version it was scheduled with.
	Version uint64
	// Author is the user who last saved the rule.
	Author conversation.UserID
}

// Mode is how a group combines its children.
type Mode uint8

// The group modes.
const (
	// All: every child must match (an empty All group matches).
	All Mode = iota
	// Any: at least one child must match (an empty Any group does not).
	Any
	// None: no child may match (an empty None group matches).
	None
)

// Node is an element of a condition group: a [Group], a [Condition] or a
// [Delay].
type Node interface{ isNode() }

// Group combines its children by its mode.
type Group struct {
	Mode     Mode
	Children []Node
}

// Delay is a checkpoint in the top-level All group: the conditions before
// it are evaluated when the event happens, the ones after it when the
// delay is over.
type Delay struct {
	For time.Duration
}

func (Group) isNode()     {}
func (Condition) isNode() {}
func (Delay) isNode()     {}

// AllOf returns an All group of nodes.
func AllOf(nodes ...Node) Group { return Group{Mode: All, Children: nodes} }

// AnyOf returns an Any group of nodes.
func AnyOf(nodes ...Node) Group { return Group{Mode: Any, Children: nodes} }

// NoneOf returns a None group of nodes.
func NoneOf(nodes ...Node) Group { return Group{Mode: None, Children: nodes} }

// ConvState is a value of the Conversation state condition.
type ConvState uint8

// The conversation states.
const (
	StateAssigned ConvState = iota + 1
	StateClosed
	StateInTeamInbox
)

// HoursKind says how a watch measures time.
type HoursKind uint8

// The time measures.
const (
	// CalendarTime counts every minute.
	CalendarTime HoursKind = iota
	// OrgHours counts only the organization's business hours.
	OrgHours
	// TeamHours counts only a team's business hours.
	TeamHours
)

// HoursRef says which business hours a watch counts in.
type HoursRef struct {
	Kind HoursKind
	// Team is the team of TeamHours.
	Team conversation.TeamID
}

// Condition is one test on the event. Field and Op say what is tested; the
// value is in the one slot the field takes (Text for text operators, User
// for user fields, and so on), and every other slot is left zero.
type Condition struct {
	Field Field
	Op    Operator
	// Text is the literal of text operators, compared without case.
	Text string
	// Set is the contact group, company or book of contact operators.
	Set string
	// User, Team, Label, Account and State are the values of the value
	// operators is and is not.
	User    conversation.UserID
	Team    conversation.TeamID
	Label   conversation.LabelID
	Account conversation.AccountID
	State   ConvState
	// Bool is the value of yes/no fields.
	Bool bool
	// Number is the value of Number of messages.
	Number int
	// Schedule is the value of is within and is not within; when nil,
	// Hours names the business hours to test instead.
	Schedule *Schedule
	// At is the instant of is before and is after, stored in UTC.
	At time.Time
	// After and Hours configure the Unreplied and Unassigned watches.
	After time.Duration
	Hours HoursRef
	// Prompt is the AI prompt; Op and Text then compare its answer.
	Prompt string
}
