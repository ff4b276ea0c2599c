package rules

import (
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// Action is one step of a rule's action list, as data: the engine applies
// it later as an operation whose initiator is the rule. Each action type
// below documents its parameters; [Kind] names the type.
type Action interface {
	// Kind returns the action's kind.
	Kind() ActionKind
}

// ActionKind names an action type.
type ActionKind uint8

// The action kinds, one per action type.
const (
	actionNone ActionKind = iota
	KindAssignToMe
	KindAssignUsers
	KindAssignSender
	KindUnassignUsers
	KindMoveToTeam
	KindUnassignTeam
	KindAddToInbox
	KindAddTask
	KindAddLabels
	KindRemoveLabels
	KindAddLabelsAI
	KindSetColor
	KindMergeInto
	KindAddNote
	KindCreateDraft
	KindCreateDraftAI
	KindSendResponse
	KindScheduleFollowUp
	KindForward
	KindNotify
	KindWebhook
	KindClose
	KindArchive
	KindArchiveFromTeam
	KindTrash
	KindSnooze
	KindDiscardSnooze
	KindMarkRead
	KindMarkUnread
	KindStar
	KindUnstar
	KindWatch
	KindUnwatch
	KindSilence
	KindCreateContacts
	KindShare
	KindRemoveUsers
	KindAddRecipients
	KindMoveToNewConversation
	KindMarkSpam
	KindMarkNotSpam
	KindUnsubscribe
	KindPreventDelivery
	KindAddAINote
	KindAddTasksAI
	KindStopProcessing
	actionEnd
)

// Strategy is how Assign user(s) distributes among its candidates.
type Strategy uint8

// The four balancing strategies.
const (
	// AllAtOnce assigns every candidate.
	AllAtOnce Strategy = iota
	// Randomly picks one candidate at random.
	Randomly
	// InTurn cycles through the candidates (round robin).
	InTurn
	// LeastBusy picks the candidate with the fewest open assigned
	// conversations.
	LeastBusy
)

// FilterKind selects candidates of Assign user(s).
type FilterKind uint8

// The assignment filters.
const (
	filterNone FilterKind = iota
	// UsersInConversation: users who can already see the conversation.
	UsersInConversation
	NotAssignedUsers
	AssignedUsers
	SnoozedUsers
	// TeamActiveMembers and TeamObservers need AssignFilter.Team.
	TeamActiveMembers
	TeamObservers
	WatchingUsers
	OutOfOfficeUsers
	OnlineUsers
	OfflineUsers
	// AccountOwner and DelegatedUsers: incoming email rules only.
	AccountOwner
	DelegatedUsers
	// MentionedUsers and TaskAssignees: new-comment rules only.
	MentionedUsers
	TaskAssignees
	// InitiatorUser (the user who acted): user-action rules only.
	InitiatorUser
	// AddedAssignees and RemovedAssignees: assignee-change rules only.
	AddedAssignees
	RemovedAssignees
	filterEnd
)

// AssignFilter narrows the candidates of Assign user(s). The candidates
// are the selected users (or everyone, when none is selected) that pass
// every filter; Negate keeps the users the filter would drop instead
// ("not out of office").
type AssignFilter struct {
	Kind   FilterKind
	Team   conversation.TeamID
	Negate bool
}

// AssignToMe assigns the rule's owner. Personal rules only.
type AssignToMe struct{}

// AssignUsers assigns among Users (every user, when empty) that pass the
// Filters, by Strategy.
type AssignUsers struct {
	Users    []conversation.UserID
	Strategy Strategy
	Filters  []AssignFilter
}

// AssignSender assigns the user who sent the message.
type AssignSender struct{}

// UnassignUsers removes Users from the assignees, or every assignee when
// All is set.
type UnassignUsers struct {
	Users []conversation.UserID
	All   bool
}

// MoveToTeam moves the conversation to Team's inbox.
type MoveToTeam struct{ Team conversation.TeamID }

// UnassignTeam removes the conversation from its team without moving it.
type UnassignTeam struct{}

// AddToInbox puts the conversation in Users' personal inboxes.
type AddToInbox struct{ Users []conversation.UserID }

// AddTask creates a task in the conversation; Due, when positive, is
// counted from the moment the action runs.
type AddTask struct {
	Title     string
	Assignees []conversation.UserID
	Due       time.Duration
	Team      conversation.TeamID
}

// AddLabels applies labels named by their full path ("Billing/Refunds");
// labels that do not exist are created.
type AddLabels struct{ Names []string }

// RemoveLabels removes Labels, or every label when All is set.
type RemoveLabels struct {
	Labels []conversation.LabelID
	All    bool
}

// AddLabelsAI lets the AI pick labels among Choices; answers not in the
// list are dropped.
type AddLabelsAI struct {
	Prompt  string
	Choices []string
}

// SetColor sets the conversation colour (a CSS colour such as "#ff0000").
type SetColor struct{ Color string }

// MergeInto merges the triggering conversation into Target.
type MergeInto struct{ Target conversation.ConversationID }

// AddNote adds a team-only comment; Markdown is rendered by the host.
type AddNote struct{ Markdown string }

// CreateDraft starts a draft reply from a canned response or free text.
type CreateDraft struct {
	Canned string
	Text   string
}

// CreateDraftAI lets the AI write a draft reply.
type CreateDraftAI struct {
	Instructions string
	Canned       []string
}

// SendResponse sends a reply with a canned response, at most once every
// Every per conversation (zero: every time).
type SendResponse struct {
	Canned string
	Every  time.Duration
}

// ScheduleFollowUp sends a follow-up After the outgoing message if the
// conversation is still unreplied. Outgoing rules only.
type ScheduleFollowUp struct {
	After  time.Duration
	Canned string
	Text   string
}

// Forward forwards the message to an email address.
type Forward struct{ To string }

// Notify sends a notification with Text to Users.
type Notify struct {
	Users []conversation.UserID
	Text  string
}

// Webhook asks the host to post the conversation, message and contact
// details to URL; inboxkit itself makes no HTTP calls.
type Webhook struct{ URL string }

// Close closes the conversation for everyone.
type Close struct{}

// Archive removes the conversation from Users' personal inboxes.
type Archive struct{ Users []conversation.UserID }

// ArchiveFromTeam removes the conversation from Team's inbox.
type ArchiveFromTeam struct{ Team conversation.TeamID }

// Trash trashes the conversation for everyone, removing assignees,
// guests, snoozes and pins.
type Trash struct{}

// SnoozeWhen is a fixed snooze time.
type SnoozeWhen uint8

// The fixed snooze times.
const (
	// SnoozeFor snoozes for Snooze.For from the moment the action runs.
	SnoozeFor SnoozeWhen = iota
	// TomorrowMorning snoozes until 09:00 tomorrow.
	TomorrowMorning
	// NextMonday snoozes until 09:00 next Monday.
	NextMonday
	// NextBusinessDay snoozes until the next business day opens.
	NextBusinessDay
)

// Snooze hides the conversation for Users (every user who has it in their
// inbox, when empty) until a fixed time or for a duration.
type Snooze struct {
	Users []conversation.UserID
	When  SnoozeWhen
	For   time.Duration
}

// DiscardSnooze cancels Users' snoozes.
type DiscardSnooze struct{ Users []conversation.UserID }

// MarkRead marks the conversation read for Users.
type MarkRead struct{ Users []conversation.UserID }

// MarkUnread marks the conversation unread for Users.
type MarkUnread struct{ Users []conversation.UserID }

// Star stars the conversation for Users.
type Star struct{ Users []conversation.UserID }

// Unstar removes Users' stars.
type Unstar struct{ Users []conversation.UserID }

// Watch makes Users watch the conversation.
type Watch struct{ Users []conversation.UserID }

// Unwatch makes Users stop watching the conversation.
type Unwatch struct{ Users []conversation.UserID }

// Silence disables notifications of the conversation for Users.
type Silence struct{ Users []conversation.UserID }

// ContactsOf says whose addresses Create contact(s) adds.
type ContactsOf uint8

// Which addresses become contacts.
const (
	SenderContacts ContactsOf = iota
	RecipientContacts
	SenderAndRecipientContacts
)

// CreateContacts adds addresses to contact Book, skipping those already in
// it.
type CreateContacts struct {
	Book  string
	Which ContactsOf
}

// Share shares the conversation with Users of the organization.
type Share struct{ Users []conversation.UserID }

// RemoveUsers removes Users, and every guest when AllGuests is set, from
// the conversation.
type RemoveUsers struct {
	Users     []conversation.UserID
	AllGuests bool
}

// AddRecipients adds recipients to an outgoing message. Outgoing rules
// only.
type AddRecipients struct{ To, Cc, Bcc []string }

// MoveToNewConversation splits the message into a new conversation; the
// actions after it apply to the new one.
type MoveToNewConversation struct{}

// MarkSpam moves the message to spam.
type MarkSpam struct{}

// MarkNotSpam moves the message out of spam.
type MarkNotSpam struct{}

// Unsubscribe unsubscribes from the mailing list when the message has an
// unsubscribe header; without one the engine records a skip.
type Unsubscribe struct{}

// PreventDelivery blocks the outgoing message. Outgoing rules only.
type PreventDelivery struct{}

// AddAINote posts an AI-written analysis as a team-only comment.
type AddAINote struct{ Prompt string }

// AddTasksAI creates a task for each action item the AI finds.
type AddTasksAI struct{ Prompt string }

// StopProcessing ends the event's run after this rule's actions: no later
// rule runs for the same event.
type StopProcessing struct{}

// Kind implementations.
func (AssignToMe) Kind() ActionKind            { return KindAssignToMe }
func (AssignUsers) Kind() ActionKind           { return KindAssignUsers }
func (AssignSender) Kind() ActionKind          { return KindAssignSender }
func (UnassignUsers) Kind() ActionKind         { return KindUnassignUsers }
func (MoveToTeam) Kind() ActionKind            { return KindMoveToTeam }
func (UnassignTeam) Kind() ActionKind          { return KindUnassignTeam }
func (AddToInbox) Kind() ActionKind            { return KindAddToInbox }
func (AddTask) Kind() ActionKind               { return KindAddTask }
func (AddLabels) Kind() ActionKind             { return KindAddLabels }
func (RemoveLabels) Kind() ActionKind          { return KindRemoveLabels }
func (AddLabelsAI) Kind() ActionKind           { return KindAddLabelsAI }
func (SetColor) Kind() ActionKind              { return KindSetColor }
func (MergeInto) Kind() ActionKind             { return KindMergeInto }
func (AddNote) Kind() ActionKind               { return KindAddNote }
func (CreateDraft) Kind() ActionKind           { return KindCreateDraft }
func (CreateDraftAI) Kind() ActionKind         { return KindCreateDraftAI }
func (SendResponse) Kind() ActionKind          { return KindSendResponse }
func (ScheduleFollowUp) Kind() ActionKind      { return KindScheduleFollowUp }
func (Forward) Kind() ActionKind               { return KindForward }
func (Notify) Kind() ActionKind                { return KindNotify }
func (Webhook) Kind() ActionKind               { return KindWebhook }
func (Close) Kind() ActionKind                 { return KindClose }
func (Archive) Kind() ActionKind               { return KindArchive }
func (ArchiveFromTeam) Kind() ActionKind       { return KindArchiveFromTeam }
func (Trash) Kind() ActionKind                 { return KindTrash }
func (Snooze) Kind() ActionKind                { return KindSnooze }
func (DiscardSnooze) Kind() ActionKind         { return KindDiscardSnooze }
func (MarkRead) Kind() ActionKind              { return KindMarkRead }
func (MarkUnread) Kind() ActionKind            { return KindMarkUnread }
func (Star) Kind() ActionKind                  { return KindStar }
func (Unstar) Kind() ActionKind                { return KindUnstar }
func (Watch) Kind() ActionKind                 { return KindWatch }
func (Unwatch) Kind() ActionKind               { return KindUnwatch }
func (Silence) Kind() ActionKind               { return KindSilence }
func (CreateContacts) Kind() ActionKind        { return KindCreateContacts }
func (Share) Kind() ActionKind                 { return KindShare }
func (RemoveUsers) Kind() ActionKind           { return KindRemoveUsers }
func (AddRecipients) Kind() ActionKind         { return KindAddRecipients }
func (MoveToNewConversation) Kind() ActionKind { return KindMoveToNewConversation }
func (MarkSpam) Kind() ActionKind              { return KindMarkSpam }
func (MarkNotSpam) Kind() ActionKind           { return KindMarkNotSpam }
func (Unsubscribe) Kind() ActionKind           { return KindUnsubscribe }
func (PreventDelivery) Kind() ActionKind       { return KindPreventDelivery }
func (AddAINote) Kind() ActionKind             { return KindAddAINote }
func (AddTasksAI) Kind() ActionKind            { return KindAddTasksAI }
func (StopProcessing) Kind() ActionKind        { return KindStopProcessing }

// Until returns when a snooze set at now ends, on the wall clock of loc:
// fixed times open at 09:00 ("tomorrow at 9am", "next Monday"); next
// business day is the next opening of hours on a later day (09:00 the next
// weekday when hours are not known).
func (s Snooze) Until(now time.Time, loc *time.Location, hours *BusinessHours) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	lt := now.In(loc)
	at9 := func(days int) time.Time {
		return time.Date(lt.Year(), lt.Month(), lt.Day()+days, 9, 0, 0, 0, loc)
	}
	switch s.When {
	case TomorrowMorning:
		return at9(1)
	case NextMonday:
		days := (int(time.Monday) - int(lt.Weekday()) + 7) % 7
		if days == 0 {
			days = 7
		}
		return at9(days)
	case NextBusinessDay:
		if hours != nil {
			midnight := time.Date(lt.Year(), lt.Month(), lt.Day()+1, 0, 0, 0, 0, loc)
			if at, ok := hours.Add(midnight, 0); ok {
				return at
			}
		}
		for d := 1; ; d++ {
			if t := at9(d); t.Weekday() != time.Saturday && t.Weekday() != time.Sunday {
				return t
			}
		}
	}
	return now.Add(s.For)
}
