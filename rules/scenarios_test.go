package rules

// Scenario tests of the rules spec §5 that the pure package decides on its
// own. Scenarios whose outcome is an applied change (a label created, a
// message delivered, a timer firing in the schedule, an auto-reply sent)
// need the engine:
//
//	13 incoming actions applied before visibility, 20-21 auto follow-up
//	timers, 79 mentioned users as candidates (the engine resolves the
//	filter sets), 80-85 and 88-92, 94-103 applied actions (93 only for
//	the hiding and waking), 104-114 status, out of office and the
//	auto-responder, 116-123 contact books, 124-130 activity feed, 131-132
//	alias selection.
//
// Decided here (the engine applies the outcome): 1-12, 14-19, 22-78,
// 86-87, 93 (snooze times) and 115. Scenario 5's refusal is a validation
// error here (CheckRole); the engine reports it as forbidden.

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
)

var ctx = context.Background()

// F3:14047-14051: From ends with disney.com -> Add label Disney.
func disneyRule() Rule {
	return personalRule("Disney", AllOf(text(From, EndsWith, "disney.com")), AddLabels{Names: []string{"Disney"}})
}

func TestRULES_001_DisneyLabel(t *testing.T) {
	d := decide([]Rule{disneyRule()}, incoming(privateConv(), conversation.Message{From: addr("news@disney.com")}))
	assert.Equal(t, []string{"Disney:add_labels"}, actionKinds(d))
	assert.Equal(t, AddLabels{Names: []string{"Disney"}}, d.Runs[0].Actions[0].Action)
}

func TestRULES_002_PersonalRuleSkipsSharedConversation(t *testing.T) {
	d := decide([]Rule{disneyRule()}, incoming(sharedConv(), conversation.Message{From: addr("news@disney.com")}))
	assert.Empty(t, d.Runs)
	run := Explain(ctx, disneyRule(), incoming(sharedConv(), conversation.Message{From: addr("news@disney.com")}))
	assert.True(t, run.Matched, "the conditions hold")
	assert.Contains(t, run.NotCandidate, "private conversations only")
}

func TestRULES_003_OrgRuleSkipsPrivateConversation(t *testing.T) {
	r := orgRule("Billing", AllOf(text(Subject, Contains, "invoice")), AddLabels{Names: []string{"Billing"}})
	d := decide([]Rule{r}, incoming(privateConv(), conversation.Message{Subject: "Your invoice"}))
	assert.Empty(t, d.Runs)
	d = decide([]Rule{r}, incoming(sharedConv(), conversation.Message{Subject: "Your invoice"}))
	assert.Len(t, d.Runs, 1)
}

func TestRULES_004_OnlyTheSharingOrgsRules(t *testing.T) {
	r1 := orgRule("O1 rule", AllOf(), Close{})
	r1.Scope = OrgScope(oid("O1"))
	r2 := orgRule("O2 rule", AllOf(), Close{})
	r2.Scope = OrgScope(oid("O2"))
	conv := sharedConv()
	conv.Org = oid("O1")
	d := decide([]Rule{r1, r2}, incoming(conv, conversation.Message{}))
	assert.Equal(t, []string{"O1 rule:close"}, actionKinds(d))
}

func TestRULES_005_OnlyAdminsSaveOrgRules(t *testing.T) {
	r := orgRule("x", AllOf(), Close{})
	member := &conversation.User{ID: bob, Org: orgO, Role: conversation.RoleMember}
	err := Validate(&r, Env{Author: member})
	require.ErrorIs(t, err, ErrInvalidRule)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, CheckRole, ve.Check)
	assert.Equal(t, "scope", ve.Path)
	p := personalRule("mine", AllOf(), Close{})
	p.Scope = PersonalScope(bob)
	assert.NoError(t, Validate(&p, Env{Author: member}))
	admin := &conversation.User{ID: alice, Org: orgO, Role: conversation.RoleAdmin}
	assert.NoError(t, Validate(&r, Env{Author: admin}))
	assert.Error(t, Validate(&p, Env{Author: admin}), "not even an admin edits another user's personal rules")
	other := &conversation.User{ID: alice, Org: oid("O2"), Role: conversation.RoleOwner}
	assert.Error(t, Validate(&r, Env{Author: other}), "an owner of another organization")
}

func TestRULES_006_DisabledRuleDoesNotRun(t *testing.T) {
	r := orgRule("x", AllOf(), Close{})
	r.Enabled = false
	f := incoming(sharedConv(), conversation.Message{})
	assert.Empty(t, decide([]Rule{r}, f).Runs)
	r.Enabled = true
	assert.Len(t, decide([]Rule{r}, f).Runs, 1)
}

func TestRULES_007_OrderAndStopProcessing(t *testing.T) {
	label := orgRule("02 Label", AllOf(), AddLabels{Names: []string{"L"}})
	route := orgRule("01 Route", AllOf(), MoveToTeam{Team: tid("Support")}, StopProcessing{})
	d := decide([]Rule{label, route}, incoming(sharedConv(), conversation.Message{}))
	assert.Equal(t, []string{"01 Route:move_to_team", "01 Route:stop_processing"}, actionKinds(d))
	assert.Equal(t, route.ID, d.StoppedBy)
}

func TestRULES_008_StopNeedsTheRuleToMatch(t *testing.T) {
	label := orgRule("02 Label", AllOf(), AddLabels{Names: []string{"L"}})
	route := orgRule("01 Route", AllOf(text(Subject, Contains, "nope")), MoveToTeam{Team: tid("Support")}, StopProcessing{})
	d := decide([]Rule{label, route}, incoming(sharedConv(), conversation.Message{Subject: "hello"}))
	assert.Equal(t, []string{"02 Label:add_labels"}, actionKinds(d))
	assert.True(t, d.StoppedBy.IsZero())
}

func TestRULES_009_ByteWiseOrder(t *testing.T) {
	a := orgRule("10. A", AllOf(), Close{})
	b := orgRule("2. B", AllOf(), Close{})
	d := decide([]Rule{b, a}, incoming(sharedConv(), conversation.Message{}))
	assert.Equal(t, []string{"10. A:close", "2. B:close"}, actionKinds(d))
	// Equal descriptions: ties by ID.
	x := orgRule("same", AllOf(), Close{})
	y := orgRule("same", AllOf(), Trash{})
	x.ID, y.ID = RuleID{1}, RuleID{2}
	d = decide([]Rule{y, x}, incoming(sharedConv(), conversation.Message{}))
	assert.Equal(t, []string{"same:close", "same:trash"}, actionKinds(d))
}

func TestRULES_010_DuplicateDropsAssignToMe(t *testing.T) {
	r := personalRule("mine", AllOf(text(Subject, Contains, "x")), AssignToMe{}, Close{})
	dup, dropped := Duplicate(r, OrgScope(orgO))
	assert.Equal(t, []Action{Close{}}, dup.Actions)
	require.Len(t, dropped, 1)
	assert.Equal(t, "actions[0]", dropped[0].Path)
	assert.NoError(t, Validate(&dup, Env{}))
	err := Validate(&Rule{ID: r.ID, Scope: OrgScope(orgO), Type: r.Type, Actions: []Action{AssignToMe{}}}, Env{})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, CheckAssignToMe, ve.Check)
}

func TestRULES_012_PlanRequired(t *testing.T) {
	r := orgRule("x", AllOf(), Close{})
	err := Validate(&r, Env{Entitled: func(Scope) bool { return false }})
	assert.ErrorIs(t, err, ErrPlanRequired)
}

func TestRULES_014_SMSRuleIgnoresEmail(t *testing.T) {
	r := orgRule("sms", AllOf(), Close{})
	r.Channel = SMS
	assert.Empty(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{Channel: conversation.Email})).Runs)
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{Channel: conversation.SMS})).Runs, 1)
}

func TestRULES_015_PostRule(t *testing.T) {
	r := orgRule("calls", AllOf(text(Content, Contains, "Aircall")), AddLabels{Names: []string{"Calls"}})
	r.Channel = Post
	d := decide([]Rule{r}, incoming(sharedConv(), conversation.Message{Channel: conversation.Custom, Text: "Call logged by Aircall"}))
	assert.Equal(t, []string{"calls:add_labels"}, actionKinds(d))
	r.Type = Type{Kind: Outgoing}
	assert.Error(t, Validate(&r, Env{}), "post is for incoming rules only")
}

func outgoing(conv *conversation.Conversation, by conversation.UserID) *Facts {
	m := conversation.Message{Direction: conversation.Outbound, SentBy: by, At: t0}
	return &Facts{Type: Outgoing, Initiator: Initiator{Kind: ByUser, User: by}, Message: &m,
		Conversation: conv, Scope: ConversationScope(conv), Now: t0}
}

func TestRULES_016_AssignSenderOnOutgoing(t *testing.T) {
	r := orgRule("sender", AllOf(Condition{Field: Assignee, Op: IsBlank}), AssignSender{})
	r.Type = Type{Kind: Outgoing}
	assert.Equal(t, []string{"sender:assign_sender"}, actionKinds(decide([]Rule{r}, outgoing(sharedConv(), bob))))
}

func TestRULES_017_PreventDelivery(t *testing.T) {
	r := orgRule("legal", AllOf(Condition{Field: Label, Op: Is, Label: lid("Legal")}), PreventDelivery{})
	r.Type = Type{Kind: Outgoing}
	conv := sharedConv()
	conv.Labels = []conversation.LabelID{lid("Legal")}
	assert.Equal(t, []string{"legal:prevent_delivery"}, actionKinds(decide([]Rule{r}, outgoing(conv, carol))))
}

func TestRULES_018_AddRecipients(t *testing.T) {
	r := orgRule("crm", AllOf(Condition{Field: Label, Op: Is, Label: lid("CRM")}), AddRecipients{Bcc: []string{"crm@x.com"}})
	r.Type = Type{Kind: Outgoing}
	conv := sharedConv()
	conv.Labels = []conversation.LabelID{lid("CRM")}
	d := decide([]Rule{r}, outgoing(conv, carol))
	require.Len(t, d.Runs, 1)
	assert.Equal(t, AddRecipients{Bcc: []string{"crm@x.com"}}, d.Runs[0].Actions[0].Action)
}

func TestRULES_019_OutgoingOnlyActions(t *testing.T) {
	for _, a := range []Action{PreventDelivery{}, ScheduleFollowUp{After: time.Hour, Text: "ping"}} {
		r := orgRule("x", AllOf(), Close{}, a)
		err := Validate(&r, Env{})
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%T", a)
		assert.Equal(t, CheckOutgoingOnly, ve.Check)
		assert.Equal(t, "actions[1]", ve.Path)
	}
}

func userRule(desc string, kind UserActionKind, conds Group, actions ...Action) Rule {
	r := orgRule(desc, conds, actions...)
	r.Type = Type{Kind: UserAction, Action: kind}
	return r
}

func TestRULES_022_IsTask(t *testing.T) {
	r := userRule("todo", NewComment, AllOf(Condition{Field: IsTask, Op: Is, Bool: true}), AddLabels{Names: []string{"Todo"}})
	task := userAction(bob, UserActionFacts{Kind: NewComment, IsTask: true, Comment: &conversation.Comment{Body: "do it"}})
	assert.Len(t, decide([]Rule{r}, task).Runs, 1)
	plain := userAction(bob, UserActionFacts{Kind: NewComment, Comment: &conversation.Comment{Body: "hi"}})
	assert.Empty(t, decide([]Rule{r}, plain).Runs)
}

func vipRule() Rule {
	return userRule("vip", LabelChange, AllOf(text(AddedLabel, Is, "VIP")), Watch{Users: []conversation.UserID{carol}})
}

func TestRULES_023_AddedLabelWatch(t *testing.T) {
	f := userAction(bob, UserActionFacts{Kind: LabelChange, Labels: []conversation.LabelChange{{Label: lid("VIP"), Added: true, Name: "VIP"}}})
	d := decide([]Rule{vipRule()}, f)
	require.Len(t, d.Runs, 1)
	assert.Equal(t, Watch{Users: []conversation.UserID{carol}}, d.Runs[0].Actions[0].Action)
}

func TestRULES_024_RuleChangesDoNotTriggerUserActionRules(t *testing.T) {
	f := userAction(bob, UserActionFacts{Kind: LabelChange, Labels: []conversation.LabelChange{{Label: lid("VIP"), Added: true, Name: "VIP"}}})
	f.Initiator = Initiator{Kind: ByRule, Rule: rid("incoming adds VIP")}
	d := decide([]Rule{vipRule()}, f)
	assert.Empty(t, d.Runs)
	assert.NotEmpty(t, d.Ignored)
	for _, k := range []InitiatorKind{BySystem, ByAPI} {
		f.Initiator.Kind = k
		assert.Empty(t, decide([]Rule{vipRule()}, f).Runs)
	}
}

func TestRULES_025_ClosedByUserNotByRule(t *testing.T) {
	r := userRule("done", ConversationClosed, AllOf(), AddLabels{Names: []string{"Done"}})
	f := userAction(bob, UserActionFacts{Kind: ConversationClosed})
	assert.Len(t, decide([]Rule{r}, f).Runs, 1)
	f.Initiator = Initiator{Kind: ByRule, Rule: rid("closer")}
	assert.Empty(t, decide([]Rule{r}, f).Runs)
}

func TestRULES_026_ReopenedNotify(t *testing.T) {
	r := userRule("reopen", ConversationReopened, AllOf(), Notify{Users: []conversation.UserID{alice}, Text: "reopened"})
	d := decide([]Rule{r}, userAction(bob, UserActionFacts{Kind: ConversationReopened}))
	require.Len(t, d.Runs, 1)
	assert.Equal(t, Notify{Users: []conversation.UserID{alice}, Text: "reopened"}, d.Runs[0].Actions[0].Action)
}

func TestRULES_027_AddedAssignee(t *testing.T) {
	r := userRule("esc", AssigneeChanged, AllOf(Condition{Field: AddedAssignee, Op: Is, User: carol}), AddLabels{Names: []string{"Escalated"}})
	assert.Len(t, decide([]Rule{r}, userAction(bob, UserActionFacts{Kind: AssigneeChanged, AddedAssignees: []conversation.UserID{carol}})).Runs, 1)
	assert.Empty(t, decide([]Rule{r}, userAction(bob, UserActionFacts{Kind: AssigneeChanged, RemovedAssignees: []conversation.UserID{carol}})).Runs)
}

func TestRULES_028_TeamMove(t *testing.T) {
	r := userRule("moved", TeamChanged, AllOf(
		Condition{Field: PreviousTeam, Op: Is, Team: tid("Sales")},
		Condition{Field: NewTeam, Op: Is, Team: tid("Support")}), AddNote{Markdown: "moved from sales"})
	assert.Len(t, decide([]Rule{r}, userAction(bob, UserActionFacts{Kind: TeamChanged, PreviousTeam: tid("Sales"), NewTeam: tid("Support")})).Runs, 1)
	assert.Empty(t, decide([]Rule{r}, userAction(bob, UserActionFacts{Kind: TeamChanged, PreviousTeam: tid("Billing"), NewTeam: tid("Support")})).Runs)
}

func TestRULES_029_ActionInitiator(t *testing.T) {
	r := userRule("by alice", NewComment, AllOf(Condition{Field: ActionInitiator, Op: Is, User: alice}), Close{})
	c := &conversation.Comment{Body: "x"}
	assert.Empty(t, decide([]Rule{r}, userAction(bob, UserActionFacts{Kind: NewComment, Comment: c})).Runs)
	assert.Len(t, decide([]Rule{r}, userAction(alice, UserActionFacts{Kind: NewComment, Comment: c})).Runs, 1)
}

func TestRULES_030_AddedLabelOrParent(t *testing.T) {
	billing := &conversation.Label{ID: lid("Billing"), Name: "Billing"}
	lookup := func(id conversation.LabelID) *conversation.Label {
		if id == billing.ID {
			return billing
		}
		return nil
	}
	f := userAction(bob, UserActionFacts{Kind: LabelChange, Labels: []conversation.LabelChange{
		{Label: lid("Refunds"), Added: true, Name: "Refunds", Path: "Billing/Refunds", Parent: billing.ID}}})
	f.Labels = lookup
	parent := userRule("p", LabelChange, AllOf(text(AddedLabelOrParent, Is, "Billing")), Close{})
	own := userRule("o", LabelChange, AllOf(text(AddedLabel, Is, "Billing")), Close{})
	assert.Equal(t, []string{"p:close"}, actionKinds(decide([]Rule{parent, own}, f)))
}

func TestRULES_031_AllGroup(t *testing.T) {
	r := orgRule("x", AllOf(text(From, EndsWith, "acme.com"), text(Subject, Contains, "urgent")), Close{})
	assert.Empty(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{From: addr("a@acme.com"), Subject: "hello"})).Runs)
}

func TestRULES_032_AnyGroup(t *testing.T) {
	r := orgRule("x", AnyOf(text(Subject, Contains, "refund"), text(Subject, Contains, "chargeback")), Close{})
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{Subject: "chargeback notice"})).Runs, 1)
}

func TestRULES_033_NoneGroup(t *testing.T) {
	r := orgRule("x", NoneOf(text(From, Contains, "noreply"), Condition{Field: Automated, Op: Is, Bool: true}), Close{})
	assert.Empty(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{From: addr("noreply@x.com")})).Runs)
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{From: addr("jane@x.com")})).Runs, 1)
}

func TestRULES_034_NestedGroupsIgnoreCase(t *testing.T) {
	r := orgRule("x", AllOf(text(From, EndsWith, "acme.com"),
		AnyOf(text(Subject, Contains, "urgent"), text(Subject, Contains, "asap"))), Close{})
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{From: addr("a@acme.com"), Subject: "ASAP please"})).Runs, 1)
}

func TestRULES_035_CommaIsNotASeparator(t *testing.T) {
	r := orgRule("x", AllOf(text(Subject, Contains, "a, b")), Close{})
	for subject, want := range map[string]int{"a": 0, "b": 0, "x a, b y": 1} {
		assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{Subject: subject})).Runs, want, subject)
	}
}

func TestRULES_036_FromMatchesDisplayName(t *testing.T) {
	r := orgRule("x", AllOf(text(From, Contains, "Disney")), Close{})
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{From: named("Disney Store", "store@mail.com")})).Runs, 1)
}

func TestRULES_037_AnyRecipient(t *testing.T) {
	r := orgRule("x", AllOf(text(AnyRecipient, Contains, "sales@")), Close{})
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{To: addrs("a@x.com"), Cc: addrs("sales@x.com")})).Runs, 1)
}

func TestRULES_038_BodyWithoutQuote(t *testing.T) {
	noQuote := orgRule("nq", AllOf(text(BodyNoQuote, Contains, "cancel")), Close{})
	body := orgRule("b", AllOf(text(Body, Contains, "cancel")), Close{})
	m := conversation.Message{Text: "thanks!\n> I want to cancel", Unquoted: "thanks!"}
	assert.Equal(t, []string{"b:close"}, actionKinds(decide([]Rule{noQuote, body}, incoming(sharedConv(), m))))
}

func TestRULES_039_ContentSearchesCc(t *testing.T) {
	r := orgRule("x", AllOf(text(Content, Contains, "acme")), Close{})
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{Cc: addrs("boss@acme.com"), Subject: "hi"})).Runs, 1)
}

func TestRULES_040_AttachmentName(t *testing.T) {
	r := orgRule("x", AllOf(text(AttachmentName, EndsWith, ".pdf")), Close{})
	m := conversation.Message{Attachments: []conversation.Attachment{{Name: "a.png"}, {Name: "b.pdf"}}}
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), m)).Runs, 1)
}

func TestRULES_041_Headers(t *testing.T) {
	r := orgRule("x", AllOf(text(Headers, Contains, "Importance: high")), Close{})
	f := incoming(sharedConv(), conversation.Message{})
	f.Headers = "From: a@x.com\r\nImportance: High\r\n"
	assert.Len(t, decide([]Rule{r}, f).Runs, 1)
}

func TestRULES_042_AutomatedArchive(t *testing.T) {
	r := orgRule("x", AllOf(Condition{Field: Automated, Op: Is, Bool: true}), Archive{Users: []conversation.UserID{alice}})
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{Automated: true})).Runs, 1)
	assert.Empty(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{})).Runs)
}

func TestRULES_043_Spam(t *testing.T) {
	r := orgRule("x", AllOf(Condition{Field: Spam, Op: Is, Bool: true}), Close{})
	conv := sharedConv()
	conv.Spam = true
	assert.Len(t, decide([]Rule{r}, incoming(conv, conversation.Message{})).Runs, 1)
}

func TestRULES_044_SenderOnlyOnOutgoing(t *testing.T) {
	r := orgRule("x", AllOf(Condition{Field: Sender, Op: Is, User: bob}), Close{})
	var ve *ValidationError
	require.ErrorAs(t, Validate(&r, Env{}), &ve)
	assert.Equal(t, CheckSender, ve.Check)
	assert.Equal(t, "conditions[0]", ve.Path)
}

func TestRULES_045_046_PerAccountFanOut(t *testing.T) {
	fwd := personalRule("fwd", AllOf(text(Subject, Contains, "x")), Forward{To: "ext@x.com"})
	narrowed := personalRule("fwd a", AllOf(text(Subject, Contains, "x"), Condition{Field: EmailAccount, Op: Is, Account: aid("a")}), Forward{To: "ext@x.com"})
	count := func(r Rule) int {
		n := 0
		for _, acct := range []string{"a", "b"} {
			f := incoming(privateConv(), conversation.Message{Subject: "x"})
			f.Account = aid(acct)
			n += len(decide([]Rule{r}, f).Runs)
		}
		return n
	}
	assert.Equal(t, 2, count(fwd))
	assert.Equal(t, 1, count(narrowed))
}

func TestRULES_047_MessageCount(t *testing.T) {
	r := orgRule("x", AllOf(Condition{Field: MessageCount, Op: GreaterThan, Number: 1}), Close{})
	conv := sharedConv()
	assert.Empty(t, decide([]Rule{r}, incoming(conv, conversation.Message{})).Runs)
	conv.Messages = 2
	assert.Len(t, decide([]Rule{r}, incoming(conv, conversation.Message{})).Runs, 1)
}

func TestRULES_048_StateClosed(t *testing.T) {
	r := orgRule("x", AllOf(Condition{Field: State, Op: Is, State: StateClosed}), AddLabels{Names: []string{"Reopened-by-customer"}})
	conv := sharedConv()
	conv.Closed = true
	assert.Len(t, decide([]Rule{r}, incoming(conv, conversation.Message{})).Runs, 1)
}

func TestRULES_049_AssigneeBlankInTurn(t *testing.T) {
	act := AssignUsers{Strategy: InTurn, Filters: []AssignFilter{{Kind: TeamActiveMembers, Team: tid("Support")}}}
	r := orgRule("x", AllOf(Condition{Field: Assignee, Op: IsBlank}), act)
	d := decide([]Rule{r}, incoming(sharedConv(), conversation.Message{}))
	require.Len(t, d.Runs, 1)
	picked, _ := Pick(InTurn, []conversation.UserID{alice, bob, carol}, Balance{})
	assert.Len(t, picked, 1)
}

func TestRULES_050_LabelIs(t *testing.T) {
	r := orgRule("x", AllOf(Condition{Field: Label, Op: Is, Label: lid("VIP")}), Close{})
	conv := sharedConv()
	conv.Labels = []conversation.LabelID{lid("VIP")}
	assert.Len(t, decide([]Rule{r}, incoming(conv, conversation.Message{})).Runs, 1)
}

func TestRULES_051_OutOfOfficeUser(t *testing.T) {
	r := orgRule("x", AllOf(Condition{Field: OutOfOfficeUser, Op: IsPresent}), Close{})
	f := incoming(sharedConv(), conversation.Message{})
	assert.Empty(t, decide([]Rule{r}, f).Runs)
	f.Away = []conversation.UserID{bob}
	assert.Len(t, decide([]Rule{r}, f).Runs, 1)
}

func TestRULES_052_054_055_ContactOperators(t *testing.T) {
	cs := &fakeContacts{
		groups:    map[string][]string{"vip@x.com": {"VIP"}},
		companies: map[string][]string{"jane@acme.com": {"Acme"}},
		past:      []string{"friend@x.com"},
	}
	group := orgRule("g", AllOf(Condition{Field: From, Op: InGroup, Set: "VIP"}), MoveToTeam{Team: tid("Priority")})
	company := orgRule("c", AllOf(Condition{Field: From, Op: InCompany, Set: "Acme"}), Close{})
	past := orgRule("p", AllOf(Condition{Field: From, Op: PastRecipient}), MarkNotSpam{})
	for from, want := range map[string][]string{
		"vip@x.com": {"g:move_to_team"}, "jane@acme.com": {"c:close"}, "friend@x.com": {"p:mark_not_spam"}, "x@y.com": nil,
	} {
		f := incoming(sharedConv(), conversation.Message{From: addr(from)})
		f.Contacts = cs
		assert.Equal(t, want, actionKinds(decide([]Rule{group, company, past}, f)), from)
	}
}

func TestRULES_053_NotInContactsCreateContact(t *testing.T) {
	r := orgRule("x", AllOf(Condition{Field: From, Op: NotInContacts}), CreateContacts{Book: "Leads"})
	f := incoming(sharedConv(), conversation.Message{From: addr("new@x.com")})
	f.Contacts = &fakeContacts{}
	assert.Len(t, decide([]Rule{r}, f).Runs, 1)
	f.Contacts = &fakeContacts{books: map[string][]string{"new@x.com": {"Leads"}}}
	assert.Empty(t, decide([]Rule{r}, f).Runs, "once the sender is a contact, the rule no longer matches")
}

func TestRULES_056_ReceptionTimeNotWithin(t *testing.T) {
	sched, err := ParseSchedule("Mon-Fri 09:00-17:00", "America/New_York")
	require.NoError(t, err)
	r := orgRule("after hours", AllOf(Condition{Field: ReceptionTime, Op: NotWithin, Schedule: sched}), SendResponse{Canned: "after hours"})
	ny, _ := time.LoadLocation("America/New_York")
	sat := time.Date(2026, 3, 7, 10, 0, 0, 0, ny)
	tue := time.Date(2026, 3, 3, 10, 0, 0, 0, ny)
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{At: sat})).Runs, 1)
	assert.Empty(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{At: tue})).Runs)
}

func TestRULES_057_ReceptionTimeAfterInstant(t *testing.T) {
	at := time.Date(2030, 1, 1, 9, 0, 0, 0, time.FixedZone("UTC+9", 9*3600))
	r := orgRule("x", AllOf(Condition{Field: ReceptionTime, Op: After, At: at}), Close{})
	assert.True(t, r.Conditions.Children[0].(Condition).At.Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.Empty(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{At: time.Date(2029, 12, 31, 23, 59, 0, 0, time.UTC)})).Runs)
	assert.Len(t, decide([]Rule{r}, incoming(sharedConv(), conversation.Message{At: time.Date(2030, 1, 1, 0, 1, 0, 0, time.UTC)})).Runs, 1)
}

func TestRULES_058_TimeConditionsByType(t *testing.T) {
	in := orgRule("x", AllOf(Condition{Field: RuleTriggerTime, Op: Before, At: t0}), Close{})
	ua := userRule("y", NewComment, AllOf(Condition{Field: ReceptionTime, Op: Before, At: t0}), Close{})
	for _, r := range []Rule{in, ua} {
		var ve *ValidationError
		require.ErrorAs(t, Validate(&r, Env{}), &ve)
		assert.Equal(t, CheckTimeType, ve.Check)
	}
}

func delayRule() Rule {
	return orgRule("lead", AllOf(
		Condition{Field: Label, Op: Is, Label: lid("Lead")},
		Delay{For: 5 * time.Minute},
		Condition{Field: Assignee, Op: IsBlank},
	), SendResponse{Canned: "R"})
}

func TestRULES_059_DelayCheckpoint(t *testing.T) {
	set := Compile([]Rule{delayRule()})
	conv := sharedConv()
	conv.Labels = []conversation.LabelID{lid("Lead")}
	d := set.Evaluate(ctx, incoming(conv, conversation.Message{}), Options{})
	require.Len(t, d.Runs, 1)
	p := d.Runs[0].Pending
	require.NotNil(t, p)
	assert.Empty(t, d.Runs[0].Actions, "nothing runs before the delay is over")
	assert.Equal(t, t0.Add(5*time.Minute), p.At)
	// At T0+5m, Bob has assigned himself: the condition after the delay
	// fails against the state of that moment.
	later := conv.Clone()
	later.Assignees = []conversation.UserID{bob}
	f := incoming(later, conversation.Message{})
	f.Now = p.At
	run := set.Resume(ctx, *p, f, Options{Trace: true})
	assert.False(t, run.Matched)
	assert.Empty(t, run.Actions)
	// Still unassigned: it runs.
	run = set.Resume(ctx, *p, incoming(conv, conversation.Message{}), Options{})
	assert.True(t, run.Matched)
	assert.Len(t, run.Actions, 1)
	// The rule as it is at fire time decides: disabled, or without its
	// delay, nothing runs.
	edited := delayRule()
	edited.Enabled = false
	run = Compile([]Rule{edited}).Resume(ctx, *p, incoming(conv, conversation.Message{}), Options{})
	assert.False(t, run.Matched)
	assert.NotEmpty(t, run.NotCandidate)
	edited = delayRule()
	edited.Conditions.Children = edited.Conditions.Children[:1]
	run = Compile([]Rule{edited}).Resume(ctx, *p, incoming(conv, conversation.Message{}), Options{})
	assert.False(t, run.Matched)
	assert.Contains(t, run.NotCandidate, "no longer has the delay")
	run = Compile(nil).Resume(ctx, *p, incoming(conv, conversation.Message{}), Options{})
	assert.Contains(t, run.NotCandidate, "no longer exists")
}

func TestRULES_060_DelayPreconditionFails(t *testing.T) {
	d := decide([]Rule{delayRule()}, incoming(sharedConv(), conversation.Message{}))
	assert.Empty(t, d.Runs, "no label Lead at T0: nothing is scheduled")
}

func watchRule(field Field, after time.Duration, extra ...Node) Rule {
	return orgRule("sla", AllOf(append(extra, Condition{Field: field, After: after})...), Notify{Users: []conversation.UserID{alice}, Text: "SLA"})
}

func TestRULES_061_065_Watches(t *testing.T) {
	set := Compile([]Rule{watchRule(UnrepliedAfter, 30*time.Minute)})
	d := set.Evaluate(ctx, incoming(sharedConv(), conversation.Message{}), Options{})
	require.Len(t, d.Runs, 1)
	p := *d.Runs[0].Pending
	assert.Equal(t, WaitUnreplied, p.Kind)
	assert.Equal(t, t0.Add(30*time.Minute), p.At)
	// 61: no reply: fires.
	assert.True(t, set.Resume(ctx, p, incoming(sharedConv(), conversation.Message{}), Options{}).Matched)
	// 62: replied.
	f := incoming(sharedConv(), conversation.Message{})
	f.Replied = true
	assert.False(t, set.Resume(ctx, p, f, Options{}).Matched)
	// 65: closed.
	closed := sharedConv()
	closed.Closed = true
	assert.False(t, set.Resume(ctx, p, incoming(closed, conversation.Message{}), Options{}).Matched)
}

func TestRULES_063_WatchDoesNotRecheckOtherConditions(t *testing.T) {
	set := Compile([]Rule{watchRule(UnrepliedAfter, 30*time.Minute, Condition{Field: Label, Op: Is, Label: lid("Urgent")})})
	conv := sharedConv()
	conv.Labels = []conversation.LabelID{lid("Urgent")}
	d := set.Evaluate(ctx, incoming(conv, conversation.Message{}), Options{})
	require.Len(t, d.Runs, 1)
	// Urgent removed since.
	assert.True(t, set.Resume(ctx, *d.Runs[0].Pending, incoming(sharedConv(), conversation.Message{}), Options{}).Matched)
}

func TestRULES_064_UnassignedWatch(t *testing.T) {
	set := Compile([]Rule{watchRule(UnassignedAfter, time.Hour)})
	d := set.Evaluate(ctx, incoming(sharedConv(), conversation.Message{}), Options{})
	p := *d.Runs[0].Pending
	assigned := sharedConv()
	assigned.Assignees = []conversation.UserID{carol}
	assert.False(t, set.Resume(ctx, p, incoming(assigned, conversation.Message{}), Options{}).Matched)
}

func TestRULES_066_DelayAndWatchCannotCombine(t *testing.T) {
	r := watchRule(UnrepliedAfter, time.Hour, Delay{For: time.Minute})
	var ve *ValidationError
	require.ErrorAs(t, Validate(&r, Env{}), &ve)
	assert.Equal(t, CheckDelayAndSLA, ve.Check)
}

func TestRULES_067_BusinessHours(t *testing.T) {
	sched, err := ParseSchedule("Mon-Fri 09:00-17:00", "Europe/Paris")
	require.NoError(t, err)
	hours := BusinessHours{Schedule: sched}
	r := orgRule("sla", AllOf(Condition{Field: UnrepliedAfter, After: time.Hour, Hours: HoursRef{Kind: OrgHours}}), Close{})
	paris, _ := time.LoadLocation("Europe/Paris")
	fri := time.Date(2026, 3, 6, 16, 30, 0, 0, paris)
	f := incoming(sharedConv(), conversation.Message{At: fri})
	f.Hours = func(team conversation.TeamID) (BusinessHours, bool) { return hours, team.IsZero() }
	d := decide([]Rule{r}, f)
	require.Len(t, d.Runs, 1)
	assert.Equal(t, time.Date(2026, 3, 9, 9, 30, 0, 0, paris), d.Runs[0].Pending.At.In(paris))
}

func TestRULES_068_SameBusinessHours(t *testing.T) {
	r := orgRule("sla", AllOf(
		Condition{Field: UnrepliedAfter, After: time.Hour, Hours: HoursRef{Kind: OrgHours}},
		Condition{Field: UnassignedAfter, After: time.Hour}), Close{})
	var ve *ValidationError
	require.ErrorAs(t, Validate(&r, Env{}), &ve)
	assert.Equal(t, CheckHours, ve.Check)
}

func aiRule(desc string) Rule {
	r := orgRule(desc, AllOf(Condition{Field: Prompt, Op: Is, Text: "YES", Prompt: "Is this customer upset? Respond with only YES or NO."}), AddLabels{Names: []string{"Upset"}})
	r.AI = AIModel{Provider: "P1", Model: "M"}
	return r
}

func TestRULES_069_AICondition(t *testing.T) {
	f := incoming(sharedConv(), conversation.Message{Text: "this is unacceptable"})
	f.AI = &fakeAI{answer: " YES\n"}
	assert.Equal(t, []string{"upset:add_labels"}, actionKinds(decide([]Rule{aiRule("upset")}, f)))
}

func TestRULES_070_AIErrorDoesNotMatchAndIsRecorded(t *testing.T) {
	f := incoming(sharedConv(), conversation.Message{})
	f.AI = &fakeAI{err: errCredits}
	later := orgRule("z later", AllOf(), Close{})
	d := decide([]Rule{aiRule("upset"), later}, f)
	require.Len(t, d.Runs, 2)
	assert.False(t, d.Runs[0].Matched)
	assert.Contains(t, d.Runs[0].Errors[0], "no credits left")
	assert.Equal(t, []string{"z later:close"}, actionKinds(d), "later rules still run")
	run := Explain(ctx, aiRule("upset"), f)
	require.Len(t, run.Trace, 1)
	assert.Equal(t, "conditions[0]", run.Trace[0].Path)
	assert.Contains(t, run.Trace[0].Why, "AI prompt failed: no credits left")
}

func TestRULES_071_AINeedsAProvider(t *testing.T) {
	r := aiRule("upset")
	var ve *ValidationError
	require.ErrorAs(t, Validate(&r, Env{}), &ve)
	assert.Equal(t, CheckAI, ve.Check)
	assert.NoError(t, Validate(&r, Env{AIAvailable: func(m AIModel, _ Scope, _ conversation.UserID) bool { return m.Provider == "P1" }}))
	act := orgRule("ai note", AllOf(), AddAINote{Prompt: "summarize"})
	assert.Error(t, Validate(&act, Env{}))
}

type modelAI struct{ got AIModel }

func (a *modelAI) Prompt(_ context.Context, m AIModel, _ string, _ *conversation.Message) (string, error) {
	a.got = m
	return "NO", nil
}

func TestRULES_072_AIModelBoundPerRule(t *testing.T) {
	ai := &modelAI{}
	f := incoming(sharedConv(), conversation.Message{})
	f.AI = ai
	decide([]Rule{aiRule("upset")}, f)
	assert.Equal(t, AIModel{Provider: "P1", Model: "M"}, ai.got)
}

func TestRULES_073_TextOperators(t *testing.T) {
	cases := []struct {
		op   Operator
		lit  string
		want bool
	}{
		{Is, "hello world", true}, {Is, "hello", false}, {IsNot, "hello", true}, {IsNot, "HELLO WORLD", false},
		{Contains, "lo wo", true}, {Contains, "xyz", false}, {NotContains, "xyz", true}, {NotContains, "world", false},
		{StartsWith, "hell", true}, {StartsWith, "world", false}, {NotStartsWith, "world", true}, {NotStartsWith, "Hello", false},
		{EndsWith, "world", true}, {EndsWith, "hello", false}, {NotEndsWith, "hello", true}, {NotEndsWith, "WORLD", false},
	}
	for _, c := range cases {
		r := orgRule("x", AllOf(text(Subject, c.op, c.lit)), Close{})
		got := len(decide([]Rule{r}, incoming(sharedConv(), conversation.Message{Subject: "Hello World"})).Runs) == 1
		assert.Equal(t, c.want, got, "%s %q", c.op, c.lit)
	}
}

func TestRULES_074_078_Balancing(t *testing.T) {
	users := []conversation.UserID{alice, bob, carol}
	all, _ := Pick(AllAtOnce, users, Balance{})
	assert.ElementsMatch(t, users, all) // 74
	// 75: in turn cycles through the candidates in a stable order.
	var cursor conversation.UserID
	var seq []conversation.UserID
	for range 4 {
		var got []conversation.UserID
		got, cursor = Pick(InTurn, users, Balance{Cursor: cursor})
		seq = append(seq, got[0])
	}
	assert.Equal(t, seq[0], seq[3])
	assert.ElementsMatch(t, users, seq[:3])
	// 76: least busy.
	got, _ := Pick(LeastBusy, users, Balance{Load: map[conversation.UserID]int{alice: 5, bob: 2, carol: 3}})
	assert.Equal(t, []conversation.UserID{bob}, got)
	// 77: random with a seeded source picks exactly one candidate.
	got, _ = Pick(Randomly, users, Balance{Rand: rand.New(rand.NewPCG(7, 7))})
	require.Len(t, got, 1)
	assert.Contains(t, users, got[0])
	// 78: the engine intersects the filters; one candidate left is picked.
	got, _ = Pick(InTurn, []conversation.UserID{carol}, Balance{Cursor: alice})
	assert.Equal(t, []conversation.UserID{carol}, got)
	none, _ := Pick(InTurn, nil, Balance{})
	assert.Empty(t, none)
}

func TestRULES_086_087_SendResponseThrottle(t *testing.T) {
	r := orgRule("auto", AllOf(), SendResponse{Canned: "R", Every: 24 * time.Hour})
	sent := map[conversation.ConversationID]time.Time{}
	fire := func(conv conversation.ConversationID, at time.Time) bool {
		c := sharedConv()
		c.ID = conv
		f := incoming(c, conversation.Message{At: at})
		f.LastResponse = func(rule RuleID, i int) (time.Time, bool) {
			last, ok := sent[conv]
			return last, ok && rule == r.ID && i == 0
		}
		d := decide([]Rule{r}, f)
		if d.Runs[0].Actions[0].Skip != "" {
			return false
		}
		sent[conv] = at
		return true
	}
	var n int
	for i := range 5 {
		if fire(cid("C"), t0.Add(time.Duration(i)*30*time.Minute)) {
			n++
		}
	}
	assert.Equal(t, 1, n, "one reply for five messages within two hours")
	assert.True(t, fire(cid("C"), t0.Add(24*time.Hour)), "again 24 hours after the last one")
	assert.True(t, fire(cid("D"), t0.Add(time.Hour)), "the throttle is per conversation")
}

func TestRULES_Validation_PathsNameTheNode(t *testing.T) {
	r := orgRule("x", AllOf(
		text(Subject, Contains, "ok"),
		AnyOf(text(From, Contains, "a"), text(To, Contains, "b"), Condition{Field: Subject, Op: Contains}),
	), Close{}, Webhook{URL: "ftp://x"})
	err := Validate(&r, Env{})
	var ves ValidationErrors
	require.True(t, errors.As(err, &ves))
	paths := []string{}
	for _, ve := range ves {
		paths = append(paths, ve.Path)
	}
	assert.Equal(t, []string{"conditions[1].any[2]", "actions[1]"}, paths)
	assert.ErrorIs(t, err, ErrInvalidRule)
}

func TestRULES_Fuse(t *testing.T) {
	var rs []Rule
	for i := range 10 {
		r := orgRule(string(rune('a'+i)), AllOf(), Close{})
		rs = append(rs, r)
	}
	d := Compile(rs).Evaluate(ctx, incoming(sharedConv(), conversation.Message{}), Options{MaxRuns: 3})
	assert.True(t, d.Fuse)
	assert.Equal(t, 3, d.Evaluated)
	assert.Len(t, d.Runs, 3)
}

func TestRULES_EngineSentMessagesSkipOutgoingRules(t *testing.T) {
	r := orgRule("out", AllOf(), Close{})
	r.Type = Type{Kind: Outgoing}
	f := outgoing(sharedConv(), bob)
	f.Initiator = Initiator{Kind: ByRule, Rule: rid("auto reply")}
	d := decide([]Rule{r}, f)
	assert.Empty(t, d.Runs)
	assert.NotEmpty(t, d.Ignored)
}

func TestRULES_078_115_Candidates(t *testing.T) {
	support := []conversation.UserID{alice, bob, carol}
	sets := Sets{
		Everyone: []conversation.UserID{alice, bob, carol, uid("dave")},
		Filter: func(k FilterKind, team conversation.TeamID) []conversation.UserID {
			switch k {
			case TeamActiveMembers:
				if team == tid("Support") {
					return support
				}
			case OnlineUsers:
				return []conversation.UserID{carol, uid("dave")}
			case OutOfOfficeUsers:
				return []conversation.UserID{bob}
			}
			return nil
		},
	}
	// 78: team active members of Support that are online.
	got := Candidates(AssignUsers{Filters: []AssignFilter{{Kind: TeamActiveMembers, Team: tid("Support")}, {Kind: OnlineUsers}}}, sets)
	assert.Equal(t, []conversation.UserID{carol}, got)
	// 115: "not out of office" never picks Bob, however often it fires.
	cands := Candidates(AssignUsers{Filters: []AssignFilter{{Kind: TeamActiveMembers, Team: tid("Support")}, {Kind: OutOfOfficeUsers, Negate: true}}}, sets)
	assert.NotContains(t, cands, bob)
	var cursor conversation.UserID
	for range 6 {
		var picked []conversation.UserID
		picked, cursor = Pick(InTurn, cands, Balance{Cursor: cursor})
		assert.NotEqual(t, bob, picked[0])
	}
	// Selected users narrow the set; no filter keeps them all.
	assert.ElementsMatch(t, []conversation.UserID{alice, bob}, Candidates(AssignUsers{Users: []conversation.UserID{bob, alice, bob}}, sets))
}

func TestRULES_093_SnoozeTimes(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	fri := time.Date(2026, 3, 6, 16, 30, 0, 0, paris)
	assert.Equal(t, fri.Add(2*time.Hour), Snooze{For: 2 * time.Hour}.Until(fri, paris, nil))
	assert.Equal(t, time.Date(2026, 3, 7, 9, 0, 0, 0, paris), Snooze{When: TomorrowMorning}.Until(fri, paris, nil))
	assert.Equal(t, time.Date(2026, 3, 9, 9, 0, 0, 0, paris), Snooze{When: NextMonday}.Until(fri, paris, nil))
	assert.Equal(t, time.Date(2026, 3, 9, 9, 0, 0, 0, paris), Snooze{When: NextBusinessDay}.Until(fri, paris, nil))
	sched, _ := ParseSchedule("Mon-Fri 08:30-17:00", "Europe/Paris")
	h := &BusinessHours{Schedule: sched, Holidays: []conversation.Date{{Year: 2026, Month: 3, Day: 9}}}
	assert.Equal(t, time.Date(2026, 3, 10, 8, 30, 0, 0, paris), Snooze{When: NextBusinessDay}.Until(fri, paris, h).In(paris))
}

// Facts with nothing loaded (no message, no conversation) never make
// evaluation fail: every condition reads "nothing".
func TestEmptyFactsDoNotPanic(t *testing.T) {
	rules := realisticRules(50, rand.New(rand.NewPCG(3, 4)))
	rules = append(rules, aiRule("ai"), watchRule(UnrepliedAfter, time.Hour), delayRule(),
		orgRule("contacts", AllOf(Condition{Field: AnyRecipient, Op: NotInContacts}, Condition{Field: OutOfOfficeUser, Op: IsBlank}), Close{}))
	set := Compile(rules)
	require.Empty(t, set.Invalid)
	for _, typ := range []TypeKind{Incoming, Outgoing, UserAction, 0} {
		f := &Facts{Type: typ, Scope: OrgScope(orgO)}
		d := set.Evaluate(ctx, f, Options{Trace: true})
		assert.NotPanics(t, func() { set.Evaluate(ctx, f, Options{}) })
		if typ == Incoming {
			assert.NotEmpty(t, d.Runs)
		}
	}
}

func TestDryRun(t *testing.T) {
	set := Compile([]Rule{disneyRule(), aiRule("upset")})
	events := []*Facts{
		incoming(privateConv(), conversation.Message{From: addr("news@disney.com")}),
		incoming(sharedConv(), conversation.Message{From: addr("x@y.com")}),
	}
	ds := set.DryRun(ctx, events)
	require.Len(t, ds, 2)
	assert.Equal(t, []string{"Disney:add_labels"}, actionKinds(ds[0]))
	require.Len(t, ds[1].Runs, 1, "the organization rule is traced")
	assert.False(t, ds[1].Runs[0].Matched)
	assert.Contains(t, ds[1].Runs[0].Errors[0], "no AI configured")
}

// One compiled set serves concurrent events (run with -race).
func TestConcurrentEvaluation(t *testing.T) {
	sched := &Schedule{Zone: "Europe/Paris", Spans: []Span{{Day: time.Monday, Start: 0, End: 24 * 60}}}
	rules := append(realisticRules(100, rand.New(rand.NewPCG(5, 6))),
		orgRule("sched", AllOf(Condition{Field: ReceptionTime, Op: Within, Schedule: sched}), Close{}))
	set := Compile(rules)
	want := decisionLines(set.Evaluate(ctx, benchFacts(), Options{}))
	done := make(chan []string)
	for range 4 {
		go func() {
			var got []string
			for range 20 {
				got = decisionLines(set.Evaluate(ctx, benchFacts(), Options{Trace: true}))
			}
			done <- got
		}()
	}
	for range 4 {
		assert.Equal(t, want, <-done)
	}
}
