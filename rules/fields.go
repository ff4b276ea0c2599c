package rules

import "fmt"

// Field is what a condition tests.
type Field uint8

// The condition fields.
const (
	fieldNone Field = iota
	// Message addresses: text and contact operators.
	From         // sender's address or display name
	To           // recipients in To
	Cc           // recipients in Cc
	Bcc          // recipients in Bcc
	ReplyTo      // the Reply-To addresses
	AnyRecipient // To, Cc or Bcc
	PhoneFrom    // sender's phone number (SMS and WhatsApp)
	PhoneTo      // recipient's phone number (SMS and WhatsApp)
	// Message content: text operators.
	Subject
	Body           // the full message text
	BodyNoQuote    // the text without quoted replies
	Content        // from, to, cc, bcc, subject and body
	AttachmentName // any attachment's file name
	Headers        // the raw header block
	// Message properties: is / is not a yes-or-no value.
	Automated    // newsletter, auto-responder or auto-generated
	ReadTrackers // the message holds tracking pixels
	Spam         // the message landed in spam
	Sender       // the user who sent it (outgoing rules)
	// Conversation.
	EmailAccount // the email account that received (or sends) the message
	Account      // the non-email account that received the message
	Assignee
	Team
	Label
	MessageCount // messages in the conversation, the triggering one included
	WatchingUser
	OutOfOfficeUser // a user with access who is away
	State           // assigned, closed, in team inbox
	// Time.
	ReceptionTime   // when the message arrived (incoming rules)
	RuleTriggerTime // when the rule runs (user-action rules)
	UnrepliedAfter  // unreplied and open after a duration (incoming rules)
	UnassignedAfter // unassigned and open after a duration (incoming rules)
	// AI.
	Prompt // the answer of an AI prompt
	// User action.
	ActionInitiator
	AddedLabel
	RemovedLabel
	AddedLabelOrParent
	RemovedLabelOrParent
	AddedAssignee
	RemovedAssignee
	NewTeam
	PreviousTeam
	IsTask
	Mention
	CommentText
	fieldEnd
)

var fieldNames = [...]string{
	From: "from", To: "to", Cc: "cc", Bcc: "bcc", ReplyTo: "reply_to", AnyRecipient: "any_recipient",
	PhoneFrom: "phone_from", PhoneTo: "phone_to", Subject: "subject", Body: "body", BodyNoQuote: "body_no_quote",
	Content: "content", AttachmentName: "attachment_name", Headers: "headers", Automated: "automated",
	ReadTrackers: "read_trackers", Spam: "spam", Sender: "sender", EmailAccount: "email_account",
	Account: "account", Assignee: "assignee", Team: "team", Label: "label", MessageCount: "message_count",
	WatchingUser: "watching_user", OutOfOfficeUser: "out_of_office_user", State: "state",
	ReceptionTime: "reception_time", RuleTriggerTime: "rule_trigger_time", UnrepliedAfter: "unreplied_after",
	UnassignedAfter: "unassigned_after", Prompt: "prompt", ActionInitiator: "action_initiator",
	AddedLabel: "added_label", RemovedLabel: "removed_label", AddedLabelOrParent: "added_label_or_parent",
	RemovedLabelOrParent: "removed_label_or_parent", AddedAssignee: "added_assignee",
	RemovedAssignee: "removed_assignee", NewTeam: "new_team", PreviousTeam: "previous_team",
	IsTask: "is_task", Mention: "mention", CommentText: "comment_text",
}

// String returns the field's name, as used in the JSON form of rules.
func (f Field) String() string {
	if f > fieldNone && f < fieldEnd {
		return fieldNames[f]
	}
	return fmt.Sprintf("field(%d)", uint8(f))
}

// Operator is how a condition compares its field with its value.
type Operator uint8

// The operators.
const (
	opNone Operator = iota
	// Text operators; Is and IsNot are also the value operators.
	Is
	IsNot
	Contains
	NotContains
	StartsWith
	NotStartsWith
	EndsWith
	NotEndsWith
	// Contact operators, on address fields.
	InGroup
	NotInGroup
	InCompany
	NotInCompany
	InBook
	NotInBook
	InContacts
	NotInContacts
	PastRecipient
	NotPastRecipient
	// Value operators.
	IsPresent
	IsBlank
	LowerThan
	GreaterThan
	// Time operators.
	Within
	NotWithin
	Before
	After
	opEnd
)

var opNames = [...]string{
	Is: "is", IsNot: "is_not", Contains: "contains", NotContains: "not_contains",
	StartsWith: "starts_with", NotStartsWith: "not_starts_with", EndsWith: "ends_with",
	NotEndsWith: "not_ends_with", InGroup: "in_group", NotInGroup: "not_in_group",
	InCompany: "in_company", NotInCompany: "not_in_company", InBook: "in_book", NotInBook: "not_in_book",
	InContacts: "in_contacts", NotInContacts: "not_in_contacts", PastRecipient: "past_recipient",
	NotPastRecipient: "not_past_recipient", IsPresent: "is_present", IsBlank: "is_blank",
	LowerThan: "lower_than", GreaterThan: "greater_than", Within: "within", NotWithin: "not_within",
	Before: "before", After: "after",
}

// String returns the operator's name, as used in the JSON form of rules.
func (o Operator) String() string {
	if o > opNone && o < opEnd {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// negative reports whether o is the negation of another operator, and
// returns that positive operator.
func (o Operator) negative() (Operator, bool) {
	switch o {
	case IsNot, NotContains, NotStartsWith, NotEndsWith, NotInGroup, NotInCompany, NotInBook,
		NotInContacts, NotPastRecipient, NotWithin:
		return o - 1, true
	}
	return o, false
}

// valueKind is the kind of value a field holds.
type valueKind uint8

const (
	kindAddress valueKind = iota + 1 // text and contact operators over addresses
	kindText                         // text operators
	kindBool
	kindUser
	kindTeam
	kindLabel
	kindAccount
	kindNumber
	kindState
	kindTime
	kindWatch
)

// fieldInfo describes what a field holds and where it may be used.
type fieldInfo struct {
	kind valueKind
	// multi: the field holds a set (presence operators allowed).
	multi bool
	// types restricts the rule types: zero means every type.
	types []TypeKind
	// actions restricts user-action rules to these kinds; nil means all.
	actions []UserActionKind
}

var fieldInfos = [fieldEnd]fieldInfo{
	From: {kind: kindAddress}, To: {kind: kindAddress}, Cc: {kind: kindAddress}, Bcc: {kind: kindAddress},
	ReplyTo: {kind: kindAddress}, AnyRecipient: {kind: kindAddress},
	PhoneFrom: {kind: kindAddress}, PhoneTo: {kind: kindAddress},
	Subject: {kind: kindText}, Body: {kind: kindText}, BodyNoQuote: {kind: kindText},
	Content: {kind: kindText}, AttachmentName: {kind: kindText}, Headers: {kind: kindText},
	Automated: {kind: kindBool}, ReadTrackers: {kind: kindBool}, Spam: {kind: kindBool},
	Sender:       {kind: kindUser, types: []TypeKind{Outgoing}},
	EmailAccount: {kind: kindAccount}, Account: {kind: kindAccount},
	Assignee: {kind: kindUser, multi: true}, Team: {kind: kindTeam, multi: true},
	Label: {kind: kindLabel, multi: true}, MessageCount: {kind: kindNumber},
	WatchingUser: {kind: kindUser, multi: true}, OutOfOfficeUser: {kind: kindUser, multi: true},
	State:           {kind: kindState},
	ReceptionTime:   {kind: kindTime, types: []TypeKind{Incoming}},
	RuleTriggerTime: {kind: kindTime, types: []TypeKind{UserAction}},
	UnrepliedAfter:  {kind: kindWatch, types: []TypeKind{Incoming}},
	UnassignedAfter: {kind: kindWatch, types: []TypeKind{Incoming}},
	Prompt:          {kind: kindText},
	ActionInitiator: {kind: kindUser, types: []TypeKind{UserAction}},
	AddedLabel:      {kind: kindText, types: []TypeKind{UserAction}, actions: []UserActionKind{LabelChange}},
	RemovedLabel:    {kind: kindText, types: []TypeKind{UserAction}, actions: []UserActionKind{LabelChange}},
	AddedLabelOrParent: {kind: kindText, types: []TypeKind{UserAction},
		actions: []UserActionKind{LabelChange}},
	RemovedLabelOrParent: {kind: kindText, types: []TypeKind{UserAction},
		actions: []UserActionKind{LabelChange}},
	AddedAssignee: {kind: kindUser, multi: true, types: []TypeKind{UserAction},
		actions: []UserActionKind{AssigneeChanged}},
	RemovedAssignee: {kind: kindUser, multi: true, types: []TypeKind{UserAction},
		actions: []UserActionKind{AssigneeChanged}},
	NewTeam:      {kind: kindTeam, types: []TypeKind{UserAction}, actions: []UserActionKind{TeamChanged}},
	PreviousTeam: {kind: kindTeam, types: []TypeKind{UserAction}, actions: []UserActionKind{TeamChanged}},
	IsTask:       {kind: kindBool, types: []TypeKind{UserAction}, actions: []UserActionKind{NewComment}},
	Mention: {kind: kindUser, multi: true, types: []TypeKind{UserAction},
		actions: []UserActionKind{NewComment}},
	CommentText: {kind: kindText, types: []TypeKind{UserAction}, actions: []UserActionKind{NewComment}},
}

// opsFor reports whether operator o applies to field f.
func opsFor(f Field, o Operator) bool {
	if f <= fieldNone || f >= fieldEnd {
		return false
	}
	info := fieldInfos[f]
	switch info.kind {
	case kindAddress:
		return o >= Is && o <= NotPastRecipient
	case kindText:
		return o >= Is && o <= NotEndsWith
	case kindBool, kindState, kindAccount:
		return o == Is || o == IsNot
	case kindUser, kindTeam, kindLabel:
		return o == Is || o == IsNot || (info.multi && (o == IsPresent || o == IsBlank))
	case kindNumber:
		return o == Is || o == IsNot || o == LowerThan || o == GreaterThan
	case kindTime:
		return o >= Within && o <= After
	case kindWatch:
		return o == opNone
	}
	return false
}

// isTextOp reports whether o is one of the eight text operators.
func isTextOp(o Operator) bool { return o >= Is && o <= NotEndsWith }

// isContactOp reports whether o is one of the ten contact operators.
func isContactOp(o Operator) bool { return o >= InGroup && o <= NotPastRecipient }
