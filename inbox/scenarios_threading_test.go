package inbox_test

// One test per scenario 1-39 of shared/spec/accounts-threading.md §6.1-§6.4
// (seed F3 = shared/seeds/003_14a10531bc51b387.txt), through the public
// API of package inbox: real users, teams, accounts, visibility and
// notifications. The pure threading half of many of them is proven in
// threading/scenario_test.go (TestTHR_NN). Scenarios that need a feature
// this engine does not have yet assert the part that exists, then skip at
// the point where the missing feature is required, naming it.
//
// Helpers are prefixed at so they do not collide with the other scenario
// files of package inbox_test.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/threading"
)

var (
	atCtx  = context.Background()
	atSent atomic.Int64
)

func atAcme(opts ...inboxtest.AcmeOptions) *inboxtest.Acme {
	var o inboxtest.AcmeOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	return inboxtest.NewAcme(o)
}

// atTick advances the fixture clock, so successive content is ordered.
func atTick(a *inboxtest.Acme) { a.Clock.Advance(time.Minute) }

// atConnect connects an account owned by user under key, once.
func atConnect(t *testing.T, a *inboxtest.Acme, key, owner, addr string, spec inbox.AccountSpec) *conversation.Account {
	t.Helper()
	if acct, ok := a.Accounts[key]; ok {
		return acct
	}
	spec.Address = addr
	acct, err := a.Engine.ConnectAccount(atCtx, a.As(owner), spec)
	require.NoError(t, err)
	a.Accounts[key] = acct
	return acct
}

// atPersonal connects (once) a personal account "<handle>.personal@acme.test"
// of owner and returns its key.
func atPersonal(t *testing.T, a *inboxtest.Acme, owner string) string {
	t.Helper()
	key := "personal-" + owner
	atConnect(t, a, key, owner, a.Users[owner].Handle+".personal@acme.test", inbox.AccountSpec{})
	return key
}

// atDeliver delivers m to the account named key and returns the result.
func atDeliver(t *testing.T, a *inboxtest.Acme, key string, m conversation.Message) inbox.Delivery {
	t.Helper()
	d, err := a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts[key].ID, Message: m})
	require.NoError(t, err)
	return d
}

// atReply builds a customer's reply to parent, sent to address to.
func atReply(a *inboxtest.Acme, parent conversation.Message, to string) conversation.Message {
	m := a.Email("Re: "+parent.Subject, to)
	m.InReplyTo = []string{parent.HeaderID}
	m.References = append(slices.Clone(parent.References), parent.HeaderID)
	return m
}

// atSend records who's reply to parent in c and returns it as sent.
func atSend(t *testing.T, a *inboxtest.Acme, who string, c conversation.ConversationID, parent conversation.Message, mut ...func(*conversation.Message)) conversation.Message {
	t.Helper()
	m := conversation.Message{
		To:         []conversation.Address{parent.From},
		Subject:    threading.ReplySubject(parent.Subject),
		Text:       "Answer",
		HeaderID:   fmt.Sprintf("at-sent%d@acme.test", atSent.Add(1)),
		InReplyTo:  []string{parent.HeaderID},
		References: append(slices.Clone(parent.References), parent.HeaderID),
	}
	for _, f := range mut {
		f(&m)
	}
	_, err := a.Engine.RecordReply(atCtx, a.As(who), c, inbox.Reply{Message: m})
	require.NoError(t, err)
	return m
}

func atComment(t *testing.T, a *inboxtest.Acme, who string, c conversation.ConversationID, body string) conversation.CommentID {
	t.Helper()
	id, err := a.Engine.Comment(atCtx, a.As(who), c, inbox.NewComment{Body: body})
	require.NoError(t, err)
	return id
}

func atCanSee(t *testing.T, a *inboxtest.Acme, who string, c conversation.ConversationID) bool {
	t.Helper()
	ok, err := a.Engine.CanSee(atCtx, a.As(who), c)
	require.NoError(t, err)
	return ok
}

// atHeaderIDs returns the Message-IDs of a view's messages, in order.
func atHeaderIDs(v *inbox.View) []string {
	out := make([]string, 0, len(v.Messages))
	for _, m := range v.Messages {
		out = append(out, m.HeaderID)
	}
	return out
}

func atEvents(v *inbox.View, typ conversation.EventType) []*conversation.Event {
	var out []*conversation.Event
	for _, ev := range v.Events {
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

// atTypes returns the types of recorded events, in order.
func atTypes(evs []*conversation.Event) []conversation.EventType {
	out := make([]conversation.EventType, 0, len(evs))
	for _, ev := range evs {
		out = append(out, ev.Type)
	}
	return out
}

func atMessage(t *testing.T, v *inbox.View, headerID string) *conversation.Message {
	t.Helper()
	for _, m := range v.Messages {
		if m.HeaderID == headerID {
			return m
		}
	}
	require.FailNow(t, "no message "+headerID)
	return nil
}

// atConvs returns the conversations of a user's All mailbox.
func atConvs(a *inboxtest.Acme, user string) []conversation.ConversationID {
	return a.List(user, a.Box(conversation.All))
}

// atChain delivers n customer emails to support@ as one thread (each a
// reply to the previous) and returns the conversation and the last one.
func atChain(t *testing.T, a *inboxtest.Acme, subject string, n int) (conversation.ConversationID, conversation.Message) {
	t.Helper()
	m := a.Email(subject, "support@acme.test")
	c := a.Deliver("support", m)
	for i := 1; i < n; i++ {
		m = atReply(a, m, "support@acme.test")
		require.Equal(t, c, a.Deliver("support", m), "message %d joins", i+1)
	}
	return c, m
}

// atHelp connects help@acme.test, a second account shared to the Support
// team inbox (a "newly connected account").
func atHelp(t *testing.T, a *inboxtest.Acme) string {
	t.Helper()
	atConnect(t, a, "help", "Adm", "help@acme.test", inbox.AccountSpec{
		Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: a.Teams["Support"].ID}})
	return "help"
}

// ---------------------------------------------------------------------
// §6.1 Email threading

// Scenario 1 (F3:8052): replies of several recipients to one outgoing
// message all join its conversation.
func TestAT_06_01_RepliesOfAllRecipientsJoinConversation(t *testing.T) {
	a := atAcme()
	first := a.Email("Team offsite", "support@acme.test")
	c := a.Deliver("support", first)
	atTick(a)
	m0 := atSend(t, a, "A", c, first, func(m *conversation.Message) {
		m.To = []conversation.Address{{Address: "a@example.com"}, {Address: "b@example.com"}, {Address: "c@example.com"}}
	})
	var want = []string{first.HeaderID, m0.HeaderID}
	for _, who := range []string{"a", "b", "c"} {
		atTick(a)
		r := atReply(a, m0, "support@acme.test")
		r.From = conversation.Address{Address: who + "@example.com"}
		r.InReplyTo = []string{m0.HeaderID}
		d := atDeliver(t, a, "support", r)
		assert.Equal(t, []conversation.ConversationID{c}, d.Conversations, "%s's reply joins C", who)
		want = append(want, r.HeaderID)
	}
	v := a.Conv("A", c)
	assert.Equal(t, want, atHeaderIDs(v), "all in C, in order")
	assert.Equal(t, 5, v.Conversation.Messages)
	assert.Equal(t, []conversation.ConversationID{c}, atConvs(a, "B"), "no new conversation")
}

// Scenario 2 (F3:8506-8507, T4): the same subject alone never threads.
func TestAT_06_02_SameSubjectWithoutReferencesIsNewConversation(t *testing.T) {
	a := atAcme()
	c := a.Deliver("support", a.Email("Invoice 42", "support@acme.test"))
	atTick(a)
	other := a.Email("Invoice 42", "support@acme.test")
	other.From = conversation.Address{Address: "someone.else@example.com"}
	d := atDeliver(t, a, "support", other)
	require.Len(t, d.Conversations, 1)
	assert.NotEqual(t, c, d.Conversations[0], "a new conversation")
	assert.ElementsMatch(t, []conversation.ConversationID{c, d.Conversations[0]}, atConvs(a, "A"))
	assert.Equal(t, 1, a.Conv("A", c).Conversation.Messages, "C is untouched")
}

// Scenario 3 (F3:12606-12608): an auto-reply with another subject is
// recorded with the message that triggered it.
func TestAT_06_03_AutoReplyWithOtherSubjectIsRecordedInConversation(t *testing.T) {
	a := atAcme()
	m1 := a.Email("Order 7", "support@acme.test")
	c := a.Deliver("support", m1)
	atTick(a)
	// The provider's auto-responder sent it; sync finds it in Sent
	// (scenario 12's entry point).
	r := conversation.Message{From: conversation.Address{Address: "support@acme.test"}, To: []conversation.Address{m1.From},
		Subject: "Out of office", Text: "Back Monday", HeaderID: "ooo1@acme.test", InReplyTo: []string{m1.HeaderID}}
	d, err := a.Engine.RecordSent(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["support"].ID, Message: r})
	require.NoError(t, err)
	assert.Equal(t, []conversation.ConversationID{c}, d.Conversations, "recorded alongside the inbound message")
	v := a.Conv("A", c)
	assert.Equal(t, []string{m1.HeaderID, "ooo1@acme.test"}, atHeaderIDs(v))
	assert.Equal(t, conversation.Outbound, v.Messages[1].Direction)
	assert.Equal(t, []conversation.ConversationID{c}, atConvs(a, "A"), "no other conversation")

	// Recorded by a user in C (a "Send response" the user made), with
	// its own subject: in C as well.
	atTick(a)
	atSend(t, a, "A", c, m1, func(m *conversation.Message) { m.Subject = "Out of office" })
	assert.Len(t, a.Conv("A", c).Messages, 3)
	// The "Send response" rule action itself needs the rules engine.
	t.Skip("rules engine: not built (the Send response rule action of F3:12608)")
}

// Scenario 4 (F3:12611): a reply's non-empty subject becomes the title;
// an empty one leaves it.
func TestAT_06_04_ReplySubjectOverwritesDefaultTitle(t *testing.T) {
	a := atAcme()
	m1 := a.Email("Order 7", "support@acme.test")
	c := a.Deliver("support", m1)
	require.Equal(t, "Order 7", a.Conv("A", c).Conversation.DisplaySubject())

	atTick(a)
	empty := atReply(a, m1, "support@acme.test")
	empty.Subject = ""
	require.Equal(t, c, a.Deliver("support", empty))
	assert.Equal(t, "Order 7", a.Conv("A", c).Conversation.DisplaySubject(), "an empty subject leaves the title")

	atTick(a)
	away := atReply(a, empty, "support@acme.test")
	away.Subject = "Away until Monday"
	require.Equal(t, c, a.Deliver("support", away))
	assert.Equal(t, "Away until Monday", a.Conv("A", c).Conversation.DisplaySubject())
	p, err := a.Engine.List(atCtx, a.As("B"), a.Box(conversation.TeamInbox, "Support"), inbox.ListOptions{})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	assert.Equal(t, "Away until Monday", p.Items[0].Subject, "listings show the new title")
}

// Scenario 5 (F3:6845-6847): a rename is internal; the reply's subject
// comes from the parent email and the title stays custom.
func TestAT_06_05_CustomSubjectSurvivesReplies(t *testing.T) {
	a := atAcme()
	m1 := a.Email("Order 7", "support@acme.test")
	c := a.Deliver("support", m1)
	require.NoError(t, a.Engine.SetSubject(atCtx, a.As("A"), c, "VIP – ACME"))
	atTick(a)
	sent := atSend(t, a, "A", c, m1) // subject from threading.ReplySubject(parent)
	v := a.Conv("B", c)
	assert.Equal(t, "Re: Order 7", atMessage(t, v, sent.HeaderID).Subject, "the outgoing Subject comes from the parent email")
	assert.Equal(t, "VIP – ACME", v.Conversation.DisplaySubject(), "the title stays custom")
	atTick(a)
	require.Equal(t, c, a.Deliver("support", atReply(a, sent, "support@acme.test")))
	assert.Equal(t, "VIP – ACME", a.Conv("B", c).Conversation.DisplaySubject(), "later emails do not overwrite a custom subject")
}

// Scenario 6 (F3:7898, F3:8936): drafts' subjects.
func TestAT_06_06_DraftSubjects(t *testing.T) {
	t.Skip("drafts: not built (ComposeReply composes a reply without storing a draft; no draft has a conversation or a display subject)")
}

// Scenario 7 (F3:6608): a forward "in this conversation" and the reply
// to it stay in C.
func TestAT_06_07_ForwardInThisConversation(t *testing.T) {
	a := atAcme()
	m1 := a.Email("Broken part", "support@acme.test")
	c := a.Deliver("support", m1)
	atTick(a)
	fwd := atSend(t, a, "A", c, m1, func(m *conversation.Message) {
		m.To = []conversation.Address{{Address: "vendor@example.net"}}
		m.Subject, m.HeaderID, m.InReplyTo = "Fwd: Broken part", "f1@acme.test", nil
	})
	atTick(a)
	r := a.Email("Re: Fwd: Broken part", "support@acme.test")
	r.From = conversation.Address{Address: "vendor@example.net"}
	r.InReplyTo, r.References = []string{"f1@acme.test"}, []string{m1.HeaderID, "f1@acme.test"}
	assert.Equal(t, []conversation.ConversationID{c}, atDeliver(t, a, "support", r).Conversations)
	assert.Equal(t, []string{m1.HeaderID, fwd.HeaderID, r.HeaderID}, atHeaderIDs(a.Conv("A", c)))
	assert.Equal(t, []conversation.ConversationID{c}, atConvs(a, "A"))
}

// Scenario 8 (F3:6610, T2): the reply to a forward in a private
// conversation lands with the forward, although its References also
// name the original.
func TestAT_06_08_ReplyToPrivateForwardLandsInForwardsConversation(t *testing.T) {
	a := atAcme()
	m1 := a.Email("Lease renewal", "c@acme.test")
	c := a.Deliver("c", m1)
	atTick(a)
	// The forward starts its own conversation C2. The engine has no
	// compose-new operation yet; the forward is recorded as the
	// account's sent mail, which files it the same way (a message naming
	// no known parent starts a conversation in the account's scope).
	fwd := conversation.Message{To: []conversation.Address{{Address: "lawyer@example.org"}}, Subject: "Fwd: Lease renewal",
		Text: "See below", HeaderID: "f2@acme.test"}
	d, err := a.Engine.RecordSent(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["c"].ID, Message: fwd})
	require.NoError(t, err)
	require.Len(t, d.Conversations, 1)
	c2 := d.Conversations[0]
	require.NotEqual(t, c, c2)
	atTick(a)
	r := a.Email("Re: Fwd: Lease renewal", "c@acme.test")
	r.From = conversation.Address{Address: "lawyer@example.org"}
	r.InReplyTo, r.References = []string{"f2@acme.test"}, []string{m1.HeaderID, "f2@acme.test"}
	assert.Equal(t, []conversation.ConversationID{c2}, atDeliver(t, a, "c", r).Conversations, "C2, not C")
	assert.Equal(t, []string{m1.HeaderID}, atHeaderIDs(a.Conv("C", c)), "C is untouched and not merged")
	assert.Equal(t, []string{"f2@acme.test", r.HeaderID}, atHeaderIDs(a.Conv("C", c2)))
}

// Scenario 9 (F3:6520, F3:7116, T1): the same Message-ID on a second
// account of the same scope is one message with two copies; nothing is
// created, reopened or announced.
func TestAT_06_09_SameMessageOnSecondAccountIsOneMessageTwoCopies(t *testing.T) {
	a := atAcme()
	atHelp(t, a)
	m1 := a.Email("Warranty", "support@acme.test", "help@acme.test")
	d, err := a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["support"].ID, Ref: "INBOX/7/1", Message: m1})
	require.NoError(t, err)
	c := d.Conversations[0]
	require.NoError(t, a.Engine.Close(atCtx, a.As("A"), c))
	a.Notes.Take()
	a.Events.Take()
	before := a.Conv("A", c)

	atTick(a)
	d, err = a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["help"].ID, Ref: "INBOX/9/4", Message: m1})
	require.NoError(t, err)
	assert.True(t, d.Duplicate)
	assert.Equal(t, []conversation.ConversationID{c}, d.Conversations)
	v := a.Conv("A", c)
	require.Len(t, v.Messages, 1, "still one message")
	assert.Equal(t, a.Accounts["support"].ID, v.Messages[0].Account)
	assert.Equal(t, "INBOX/7/1", v.Messages[0].Ref, "the first copy's reference is kept with the message")
	if assert.Len(t, v.Messages[0].Copies, 1) {
		assert.Equal(t, a.Accounts["help"].ID, v.Messages[0].Copies[0].Account)
		assert.Equal(t, "INBOX/9/4", v.Messages[0].Copies[0].Ref)
	}
	assert.True(t, v.Conversation.Closed, "not reopened")
	assert.Equal(t, before.Conversation.LastActivity, v.Conversation.LastActivity, "no activity")
	assert.Equal(t, []conversation.ConversationID{c}, atConvs(a, "A"), "no conversation created")
	assert.Empty(t, a.Events.Take(), "no new-message event")
	assert.Empty(t, a.Notes.Take(), "nobody notified")
}

// Scenario 10 (F3:1665): an unseen reply imported by a newly connected
// account reopens the closed (or archived) conversation it answers.
func TestAT_06_10_ImportedUnseenReplyReopens(t *testing.T) {
	t.Run("closed", func(t *testing.T) {
		a := atAcme()
		m1 := a.Email("Refund", "support@acme.test")
		c := a.Deliver("support", m1)
		require.NoError(t, a.Engine.Assign(atCtx, a.As("A"), c, a.IDs("A"), inbox.Replace))
		require.NoError(t, a.Engine.Close(atCtx, a.As("A"), c))
		require.False(t, a.In("A", a.Box(conversation.Inbox), c))
		atHelp(t, a) // connected now; its history import finds m9
		atTick(a)
		m9 := atReply(a, m1, "help@acme.test")
		assert.Equal(t, []conversation.ConversationID{c}, atDeliver(t, a, "help", m9).Conversations)
		v := a.Conv("A", c)
		assert.Equal(t, []string{m1.HeaderID, m9.HeaderID}, atHeaderIDs(v), "a new message in C")
		assert.False(t, v.Conversation.Closed, "C reopens")
		assert.True(t, a.In("A", a.Box(conversation.Inbox), c), "back with the assignee")
		assert.NotEmpty(t, atEvents(v, conversation.EventReopened))
	})
	t.Run("archived", func(t *testing.T) {
		a := atAcme()
		m1 := a.Email("Refund", "support@acme.test")
		c := a.Deliver("support", m1)
		require.NoError(t, a.Engine.Archive(atCtx, a.As("A"), c, inbox.ArchiveOptions{From: inbox.FromTeamInbox}))
		require.False(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), c))
		atHelp(t, a)
		atTick(a)
		m9 := atReply(a, m1, "help@acme.test")
		assert.Equal(t, []conversation.ConversationID{c}, atDeliver(t, a, "help", m9).Conversations)
		assert.True(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), c), "back in the team inbox")
	})
}

// Scenario 11 (F3:9373): a reply to a closed, assigned conversation goes
// back to the assignee's Inbox and notifies only the assignees.
func TestAT_06_11_ReplyToClosedAssignedNotifiesOnlyAssignees(t *testing.T) {
	a := atAcme()
	m1 := a.Email("Login fails", "support@acme.test")
	c := a.Deliver("support", m1)
	require.NoError(t, a.Engine.Assign(atCtx, a.As("B"), c, a.IDs("A"), inbox.Replace))
	require.NoError(t, a.Engine.Close(atCtx, a.As("A"), c))
	a.Notes.Take()
	atTick(a)
	require.Equal(t, c, a.Deliver("support", atReply(a, m1, "support@acme.test")))
	assert.True(t, a.In("A", a.Box(conversation.Inbox), c), "back in the assignee's Inbox")
	assert.False(t, a.Conv("A", c).Conversation.Closed)
	notes := a.Notes.Take()
	require.Len(t, notes, 1, "only the assignee")
	assert.Equal(t, a.ID("A"), notes[0].User)
	assert.Equal(t, inbox.NewMessage, notes[0].Reason)
	assert.False(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), c), "assigned: not back in the team inbox")
}

// Scenario 12 (F3:6865-6867, [DEV]): a reply sent from the provider's web
// UI, seen by sync in Sent, threads into C as an outgoing message: no
// duplicate conversation. The same Message-ID sent from inboxkit is a
// copy.
func TestAT_06_12_ExternallySentReplyThreadsAsOutgoing(t *testing.T) {
	a := atAcme()
	m1 := a.Email("Quote", "c@acme.test")
	c := a.Deliver("c", m1)
	a.Notes.Take()
	atTick(a)
	r1 := conversation.Message{From: conversation.Address{Address: "c@acme.test"}, To: []conversation.Address{m1.From},
		Subject: "Re: Quote", Text: "Here it is", HeaderID: "r1@acme.test", InReplyTo: []string{m1.HeaderID}, References: []string{m1.HeaderID}}
	sent := inbox.Incoming{Account: a.Accounts["c"].ID, Ref: "Sent/3/12", Message: r1}
	d, err := a.Engine.RecordSent(atCtx, inbox.System, sent)
	require.NoError(t, err)
	assert.Equal(t, []conversation.ConversationID{c}, d.Conversations)
	assert.False(t, d.Duplicate)
	v := a.Conv("C", c)
	require.Equal(t, []string{m1.HeaderID, "r1@acme.test"}, atHeaderIDs(v))
	out := v.Messages[1]
	assert.Equal(t, conversation.Outbound, out.Direction, "outgoing, not a new incoming message")
	assert.Equal(t, a.ID("C"), out.SentBy, "sent by the account owner")
	assert.Equal(t, "Sent/3/12", out.Ref)
	assert.Equal(t, []conversation.ConversationID{c}, atConvs(a, "C"), "no duplicate conversation")
	assert.True(t, a.In("C", a.Box(conversation.Sent), c))
	assert.False(t, v.State.Unread(v.Conversation), "the sender has read what they sent")
	assert.Empty(t, a.Notes.Take(), "nobody is notified of their own mail")

	// Synced again (another folder): a copy, nothing new.
	a.Events.Take()
	d, err = a.Engine.RecordSent(atCtx, inbox.System, sent)
	require.NoError(t, err)
	assert.True(t, d.Duplicate)
	assert.Len(t, a.Conv("C", c).Messages, 2)
	assert.Empty(t, a.Events.Take())

	// Sent from inboxkit, then seen in Sent: the same message, its
	// reference recorded.
	atTick(a)
	r2 := atSend(t, a, "C", c, m1, func(m *conversation.Message) { m.HeaderID = "r2@acme.test" })
	d, err = a.Engine.RecordSent(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["c"].ID, Ref: "Sent/3/13", Message: r2})
	require.NoError(t, err)
	assert.True(t, d.Duplicate)
	assert.Equal(t, []conversation.ConversationID{c}, d.Conversations)
	v = a.Conv("C", c)
	require.Len(t, v.Messages, 3)
	assert.Equal(t, "Sent/3/13", atMessage(t, v, "r2@acme.test").Ref)

	// A new thread started from the web UI: a conversation in Sent, not
	// in the Inbox.
	atTick(a)
	n := conversation.Message{To: []conversation.Address{{Address: "friend@example.com"}}, Subject: "Lunch?", HeaderID: "n1@acme.test"}
	d, err = a.Engine.RecordSent(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["c"].ID, Message: n})
	require.NoError(t, err)
	require.Len(t, d.Conversations, 1)
	nc := d.Conversations[0]
	assert.True(t, a.In("C", a.Box(conversation.Sent), nc))
	assert.False(t, a.In("C", a.Box(conversation.Inbox), nc))
	assert.False(t, atCanSee(t, a, "A", nc), "private like the account")
	// Only the system records sync results.
	_, err = a.Engine.RecordSent(atCtx, a.As("C"), sent)
	assert.ErrorIs(t, err, inbox.ErrForbidden)
}

// Scenario 13 (F3:6455, F3:7947, T2): replies follow an email moved to a
// new private conversation.
func TestAT_06_13_RepliesFollowMovedEmail(t *testing.T) {
	a := atAcme()
	m1 := a.Email("Two questions", "support@acme.test")
	c := a.Deliver("support", m1)
	atTick(a)
	e := atReply(a, m1, "support@acme.test")
	e.Subject = "Unrelated: my invoice"
	require.Equal(t, c, a.Deliver("support", e))
	eid := atMessage(t, a.Conv("A", c), e.HeaderID).ID
	c3, err := a.Engine.Split(atCtx, a.As("A"), c, eid, inbox.SplitOptions{})
	require.NoError(t, err)
	atTick(a)
	r := atReply(a, e, "support@acme.test")
	r.References = nil // only In-Reply-To: E
	assert.Equal(t, []conversation.ConversationID{c3}, atDeliver(t, a, "support", r).Conversations, "lands in C3")
	assert.Equal(t, []string{e.HeaderID, r.HeaderID}, atHeaderIDs(a.Conv("A", c3)))
	assert.Equal(t, []string{m1.HeaderID}, atHeaderIDs(a.Conv("A", c)))
}

// ---------------------------------------------------------------------
// §6.2 Conversation size cap

// Scenario 14 (F3:7932, F3:7968, T3): a reply to a full conversation
// starts a continuation; the full one keeps its 400.
func TestAT_06_14_FullConversationStartsContinuation(t *testing.T) {
	require.Equal(t, 400, inbox.DefaultMaxMessages)
	a := atAcme()
	c, last := atChain(t, a, "Endless thread", inbox.DefaultMaxMessages)
	require.Equal(t, 400, a.Conv("A", c).Conversation.Messages)
	atTick(a)
	r := atReply(a, last, "support@acme.test")
	d := atDeliver(t, a, "support", r)
	require.Len(t, d.Conversations, 1)
	next := d.Conversations[0]
	assert.NotEqual(t, c, next, "a new conversation C'")
	full := a.Conv("A", c).Conversation
	assert.Equal(t, 400, full.Messages, "C still has 400")
	assert.Equal(t, next, full.ContinuedIn)
	v := a.Conv("A", next)
	assert.Equal(t, c, v.Conversation.ContinuationOf, "ContinuationOf = C")
	assert.Equal(t, []string{r.HeaderID}, atHeaderIDs(v))
	// A reply to the continuation's message stays there.
	atTick(a)
	assert.Equal(t, []conversation.ConversationID{next}, atDeliver(t, a, "support", atReply(a, r, "support@acme.test")).Conversations)
}

// Scenario 15 (F3:7978): comments do not count toward the cap.
func TestAT_06_15_CommentsDoNotCountTowardCap(t *testing.T) {
	a := atAcme()
	c, last := atChain(t, a, "Busy thread", 399)
	for i := range 50 {
		atComment(t, a, "A", c, fmt.Sprintf("note %d", i))
	}
	atTick(a)
	assert.Equal(t, []conversation.ConversationID{c}, atDeliver(t, a, "support", atReply(a, last, "support@acme.test")).Conversations, "joins C")
	v := a.Conv("A", c)
	assert.Equal(t, 400, v.Conversation.Messages)
	assert.Len(t, v.Comments, 50)
}

// Scenario 16 (F3:7929): two conversations both at the cap cannot merge.
func TestAT_06_16_MergeOfTwoFullConversationsRefused(t *testing.T) {
	a := atAcme(inboxtest.AcmeOptions{Config: inbox.Config{MaxMessages: 20}}) // the rule is the same at 400
	c1, _ := atChain(t, a, "First", 20)
	c2, _ := atChain(t, a, "Second", 20)
	a.Events.Take()
	err := a.Engine.Merge(atCtx, a.As("A"), c1, []conversation.ConversationID{c2}, inbox.MergeOptions{})
	require.ErrorIs(t, err, inbox.ErrMergeNotAllowed)
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
	var refused *inbox.MergeNotAllowedError
	require.ErrorAs(t, err, &refused)
	assert.Equal(t, inbox.MergeRefusedSize, refused.Reason, `ErrMergeNotAllowed{Reason: "size"}`)
	assert.Empty(t, a.Events.Take(), "nothing changes")
	assert.Equal(t, 20, a.Conv("A", c1).Conversation.Messages)
	assert.Equal(t, 20, a.Conv("A", c2).Conversation.Messages)

	// One below the cap may merge (F3:7974).
	c3, _ := atChain(t, a, "Third", 19)
	require.NoError(t, a.Engine.Merge(atCtx, a.As("A"), c1, []conversation.ConversationID{c3}, inbox.MergeOptions{}))
	assert.Equal(t, 39, a.Conv("A", c1).Conversation.Messages)
}

// ---------------------------------------------------------------------
// §6.3 Splitting and merging

// atThree makes C with E1, E2, E3 in the Support team inbox.
func atThree(t *testing.T, a *inboxtest.Acme) (conversation.ConversationID, [3]conversation.Message) {
	t.Helper()
	var es [3]conversation.Message
	es[0] = a.Email("Three things", "support@acme.test")
	c := a.Deliver("support", es[0])
	for i := 1; i < 3; i++ {
		atTick(a)
		es[i] = atReply(a, es[i-1], "support@acme.test")
		require.Equal(t, c, a.Deliver("support", es[i]))
	}
	return c, es
}

// Scenario 17 (F3:7947-7951, F3:241): moving E2 to a new shared
// conversation.
func TestAT_06_17_MoveEmailToNewSharedConversation(t *testing.T) {
	a := atAcme()
	c, es := atThree(t, a)
	e2 := atMessage(t, a.Conv("A", c), es[1].HeaderID)
	c4, err := a.Engine.Split(atCtx, a.As("A"), c, e2.ID, inbox.SplitOptions{Shared: true})
	require.NoError(t, err)
	v := a.Conv("A", c)
	assert.Equal(t, []string{es[0].HeaderID, es[2].HeaderID}, atHeaderIDs(v), "C holds E1 and E3")
	assert.Equal(t, 2, v.Conversation.Messages)
	v4 := a.Conv("A", c4)
	assert.Equal(t, []string{es[1].HeaderID}, atHeaderIDs(v4), "C4 holds only E2")
	assert.Equal(t, e2.ID, v4.Messages[0].ID, "the same message, moved")
	assert.True(t, v4.Conversation.Shared(), "shared")
	for _, u := range []string{"A", "B", "O"} {
		assert.True(t, atCanSee(t, a, u, c4), "%s (Support) sees the shared C4", u)
	}
	assert.False(t, atCanSee(t, a, "M", c4))
	forks := atEvents(v, conversation.EventForked)
	if assert.Len(t, forks, 1, "fork event on C") {
		assert.Equal(t, e2.ID, forks[0].Message)
		assert.Equal(t, []conversation.ConversationID{c4}, forks[0].Related)
	}
	forks = atEvents(v4, conversation.EventForked)
	if assert.Len(t, forks, 1, "fork event on C4") {
		assert.Equal(t, []conversation.ConversationID{c}, forks[0].Related)
	}
	// Each email moved ends in its own conversation (F3:7951).
	e3 := atMessage(t, v, es[2].HeaderID)
	c5, err := a.Engine.Split(atCtx, a.As("A"), c, e3.ID, inbox.SplitOptions{Shared: true})
	require.NoError(t, err)
	assert.NotEqual(t, c4, c5)
	assert.Equal(t, []string{es[0].HeaderID}, atHeaderIDs(a.Conv("A", c)))
}

// Scenario 18 (F3:7954, F3:8040): comments cannot move.
func TestAT_06_18_CommentsCannotBeMoved(t *testing.T) {
	a := atAcme()
	c, _ := atThree(t, a)
	k := atComment(t, a, "A", c, "internal only")
	before := a.Conv("A", c)
	_, err := a.Engine.Split(atCtx, a.As("A"), c, conversation.MessageID(k), inbox.SplitOptions{})
	require.ErrorIs(t, err, inbox.ErrCommentsNotMovable)
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
	after := a.Conv("A", c)
	assert.Equal(t, before.Comments, after.Comments)
	assert.Equal(t, atHeaderIDs(before), atHeaderIDs(after))
	assert.Len(t, atConvs(a, "A"), 1, "no conversation created")
}

// Scenario 19 (F3:14624, F3:14668): a rule's actions before a split act
// on the original, after it on the new conversation.
func TestAT_06_19_RuleSplitActionOrder(t *testing.T) {
	a := atAcme()
	c, es := atThree(t, a)
	e := atMessage(t, a.Conv("A", c), es[2].HeaderID)
	la, err := a.Engine.CreateLabel(atCtx, a.As("A"), inbox.LabelSpec{Kind: conversation.OrgLabel, Name: "A"})
	require.NoError(t, err)
	lb, err := a.Engine.CreateLabel(atCtx, a.As("A"), inbox.LabelSpec{Kind: conversation.OrgLabel, Name: "B"})
	require.NoError(t, err)
	// The three actions in order, as the system would run them: AddLabel
	// A on C; MoveEmailToNewConversation moves E to C5; AddLabel B then
	// addresses C5.
	require.NoError(t, a.Engine.ApplyLabel(atCtx, inbox.System, c, la.ID))
	c5, err := a.Engine.Split(atCtx, a.As("A"), c, e.ID, inbox.SplitOptions{Shared: true})
	require.NoError(t, err)
	require.NoError(t, a.Engine.ApplyLabel(atCtx, inbox.System, c5, lb.ID))
	v, v5 := a.Conv("A", c), a.Conv("A", c5)
	assert.Equal(t, []string{es[2].HeaderID}, atHeaderIDs(v5))
	assert.Equal(t, []string{es[0].HeaderID, es[1].HeaderID}, atHeaderIDs(v))
	assert.Equal(t, []conversation.LabelID{la.ID}, v.Conversation.Labels, "A on C")
	assert.Equal(t, []conversation.LabelID{lb.ID}, v5.Conversation.Labels, "B on C5 only")
	t.Skip("rules engine: not built (an incoming rule running [AddLabel A, MoveEmailToNewConversation, AddLabel B] on E, F3:14624)")
}

// atMergePair makes C1 (label x, assignee A, task T1) and C2 (label y,
// assignee B, task T2), both in the Support team inbox, with messages and
// comments interleaved in time.
func atMergePair(t *testing.T, a *inboxtest.Acme) (c1, c2 conversation.ConversationID, order []string) {
	t.Helper()
	m1 := a.Email("First", "support@acme.test")
	c1 = a.Deliver("support", m1)
	atTick(a)
	m2 := a.Email("Second", "support@acme.test")
	c2 = a.Deliver("support", m2)
	atTick(a)
	k1 := atComment(t, a, "A", c1, "comment on one")
	atTick(a)
	r2 := atReply(a, m2, "support@acme.test")
	require.Equal(t, c2, a.Deliver("support", r2))
	atTick(a)
	r1 := atReply(a, m1, "support@acme.test")
	require.Equal(t, c1, a.Deliver("support", r1))
	atTick(a)
	k2 := atComment(t, a, "B", c2, "comment on two")
	require.NoError(t, a.Engine.Assign(atCtx, a.As("A"), c1, a.IDs("A"), inbox.Replace))
	require.NoError(t, a.Engine.Assign(atCtx, a.As("B"), c2, a.IDs("B"), inbox.Replace))
	for i, c := range []conversation.ConversationID{c1, c2} {
		l, err := a.Engine.CreateLabel(atCtx, a.As("A"), inbox.LabelSpec{Kind: conversation.OrgLabel, Name: []string{"x", "y"}[i]})
		require.NoError(t, err)
		require.NoError(t, a.Engine.ApplyLabel(atCtx, a.As("A"), c, l.ID))
		_, err = a.Engine.CreateTask(atCtx, a.As("A"), inbox.TaskSpec{Conversation: c, Title: []string{"T1", "T2"}[i]})
		require.NoError(t, err)
	}
	return c1, c2, []string{m1.HeaderID, m2.HeaderID, "k:" + k1.String(), r2.HeaderID, r1.HeaderID, "k:" + k2.String()}
}

// atContent returns a view's messages and comments in Seq order, messages
// by Message-ID and comments as "k:<id>".
func atContent(v *inbox.View) []string {
	type item struct {
		seq uint64
		s   string
	}
	var items []item
	for _, m := range v.Messages {
		items = append(items, item{m.Seq, m.HeaderID})
	}
	for _, k := range v.Comments {
		items = append(items, item{k.Seq, "k:" + k.ID.String()})
	}
	slices.SortFunc(items, func(x, y item) int { return cmp.Compare(x.seq, y.seq) })
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.s)
	}
	return out
}

// atCheckMerged asserts scenario 20's Then for c2 merged into c1.
func atCheckMerged(t *testing.T, a *inboxtest.Acme, c1, c2 conversation.ConversationID, order []string) {
	t.Helper()
	v := a.Conv("A", c1)
	assert.Equal(t, order, atContent(v), "all messages and comments, chronologically")
	assert.Equal(t, 4, v.Conversation.Messages)
	assert.Equal(t, a.IDs("A", "B"), v.Conversation.Assignees, "assignees combined")
	var names []string
	for _, id := range v.Conversation.Labels {
		info, err := a.Engine.Label(atCtx, a.As("A"), id)
		require.NoError(t, err)
		names = append(names, info.Label.Name)
	}
	assert.ElementsMatch(t, []string{"x", "y"}, names, "labels {x, y}")
	tasks, err := a.Engine.ConversationTasks(atCtx, a.As("A"), c1)
	require.NoError(t, err)
	var titles []string
	for _, tk := range tasks {
		titles = append(titles, tk.Title)
	}
	assert.ElementsMatch(t, []string{"T1", "T2"}, titles, "tasks {T1, T2}")
	_, err = a.Engine.Get(atCtx, a.As("A"), c2)
	var merged *inbox.MergedError
	require.ErrorAs(t, err, &merged)
	assert.Equal(t, c1, merged.Target)
}

// Scenario 20 (F3:7892): what the target of a merge receives.
func TestAT_06_20_MergeCombinesEverything(t *testing.T) {
	a := atAcme()
	c1, c2, order := atMergePair(t, a)
	require.NoError(t, a.Engine.Merge(atCtx, a.As("A"), c1, []conversation.ConversationID{c2}, inbox.MergeOptions{}))
	atCheckMerged(t, a, c1, c2, order)
	assert.True(t, a.In("B", a.Box(conversation.AssignedToMe), c1), "B is assigned to the merged conversation")
	assert.False(t, a.In("B", a.Box(conversation.AssignedToMe), c2))
}

// atMergeTwo delivers two new emails to support@ and has who merge the
// second's conversation into the first's.
func atMergeTwo(t *testing.T, a *inboxtest.Acme, who string) (m1 conversation.Message, c1 conversation.ConversationID, m2 conversation.Message, c2 conversation.ConversationID) {
	t.Helper()
	m1 = a.Email("Kept", "support@acme.test")
	c1 = a.Deliver("support", m1)
	m2 = a.Email("Merged away", "support@acme.test")
	c2 = a.Deliver("support", m2)
	require.NoError(t, a.Engine.Merge(atCtx, a.As(who), c1, []conversation.ConversationID{c2}, inbox.MergeOptions{}))
	return m1, c1, m2, c2
}

// Scenario 21 (F3:7937, F3:7881): the source is a tombstone naming the
// target; the target has a merge event; a merge cannot be undone.
func TestAT_06_21_MergedSourceRedirects(t *testing.T) {
	a := atAcme()
	_, c1, m2, c2 := atMergeTwo(t, a, "B")

	_, err := a.Engine.Get(atCtx, a.As("A"), c2)
	var merged *inbox.MergedError
	require.ErrorAs(t, err, &merged)
	assert.Equal(t, inbox.MergedError{Conversation: c2, Target: c1}, *merged)
	assert.ErrorIs(t, err, inbox.ErrNotFound)
	// Changing it is refused the same way: there is nothing to un-merge.
	err = a.Engine.Close(atCtx, a.As("A"), c2)
	require.ErrorAs(t, err, &merged)
	err = a.Engine.Merge(atCtx, a.As("A"), c2, []conversation.ConversationID{c1}, inbox.MergeOptions{})
	require.ErrorAs(t, err, &merged, "merging back is not an un-merge")
	assert.Equal(t, c1, merged.Target)
	// Someone who never saw it gets a plain not-found.
	_, err = a.Engine.Get(atCtx, a.As("M"), c2)
	require.ErrorIs(t, err, inbox.ErrNotFound)
	assert.False(t, errors.As(err, &merged), "no hint to an outsider")

	v := a.Conv("A", c1)
	evs := atEvents(v, conversation.EventMerged)
	if assert.Len(t, evs, 1) {
		assert.Equal(t, []conversation.ConversationID{c2}, evs[0].Related)
		assert.Equal(t, a.ID("B"), evs[0].Actor)
	}
	assert.Equal(t, []conversation.ConversationID{c1}, atConvs(a, "A"), "the source disappears")
	// Replies to the source's messages land in the target.
	atTick(a)
	assert.Equal(t, []conversation.ConversationID{c1}, atDeliver(t, a, "support", atReply(a, m2, "support@acme.test")).Conversations)
}

// atSubjectPair makes a target and a source conversation, shared (in the
// Support team inbox) or private (on A's personal account), with the
// given custom subjects ("" for none).
func atSubjectPair(t *testing.T, a *inboxtest.Acme, dstShared bool, dstCustom string, srcShared bool, srcCustom string) (dst, src conversation.ConversationID) {
	t.Helper()
	mk := func(shared bool, custom, subject string) conversation.ConversationID {
		var c conversation.ConversationID
		if shared {
			c = a.Deliver("support", a.Email(subject, "support@acme.test"))
		} else {
			key := atPersonal(t, a, "A")
			c = a.Deliver(key, a.Email(subject, a.Accounts[key].Address))
		}
		if custom != "" {
			require.NoError(t, a.Engine.SetSubject(atCtx, a.As("A"), c, custom))
		}
		atTick(a)
		return c
	}
	dst = mk(dstShared, dstCustom, "target email")
	src = mk(srcShared, srcCustom, "source email")
	return dst, src
}

func atMergedSubject(t *testing.T, a *inboxtest.Acme, dst, src conversation.ConversationID) string {
	t.Helper()
	require.NoError(t, a.Engine.Merge(atCtx, a.As("A"), dst, []conversation.ConversationID{src}, inbox.MergeOptions{}))
	return a.Conv("A", dst).Conversation.DisplaySubject()
}

// Scenario 22 (F3:7902): shared with private, both custom: the shared
// one's subject, whichever is the target.
func TestAT_06_22_MergeSubjectSharedCustomWins(t *testing.T) {
	for _, sharedIsTarget := range []bool{true, false} {
		t.Run(fmt.Sprintf("shared target %v", sharedIsTarget), func(t *testing.T) {
			a := atAcme()
			var dst, src conversation.ConversationID
			if sharedIsTarget {
				dst, src = atSubjectPair(t, a, true, "A", false, "B")
			} else {
				dst, src = atSubjectPair(t, a, false, "B", true, "A")
			}
			assert.Equal(t, "A", atMergedSubject(t, a, dst, src))
		})
	}
}

// Scenario 23 (F3:7908, F3:7914): two private or two shared, both custom:
// the target's subject.
func TestAT_06_23_MergeSubjectTargetCustomWins(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared %v", shared), func(t *testing.T) {
			a := atAcme()
			dst, src := atSubjectPair(t, a, shared, "T", shared, "S")
			assert.Equal(t, "T", atMergedSubject(t, a, dst, src))
		})
	}
}

// Scenario 24 (F3:7903): only the source has a custom subject: it is
// kept.
func TestAT_06_24_MergeSubjectOnlyCustomKept(t *testing.T) {
	a := atAcme()
	dst, src := atSubjectPair(t, a, true, "", true, "S")
	assert.Equal(t, "S", atMergedSubject(t, a, dst, src))
	assert.Equal(t, "S", a.Conv("A", dst).Conversation.CustomSubject)
}

// Scenario 25 (F3:7904): no custom subject: the most recent email's
// subject across both.
func TestAT_06_25_MergeSubjectMostRecentEmail(t *testing.T) {
	a := atAcme()
	dst := a.Deliver("support", a.Email("Older thread", "support@acme.test"))
	atTick(a)
	src := a.Deliver("support", a.Email("Newer thread", "support@acme.test"))
	atTick(a)
	assert.Equal(t, "Newer thread", atMergedSubject(t, a, dst, src), "the source holds the latest email")

	// The source's latest email is a reply, newer than the target's.
	b := atAcme()
	m := b.Email("Source thread", "support@acme.test")
	src = b.Deliver("support", m)
	atTick(b)
	dst = b.Deliver("support", b.Email("Target thread", "support@acme.test"))
	atTick(b)
	r := atReply(b, m, "support@acme.test")
	r.Subject = "Source, latest"
	require.Equal(t, src, b.Deliver("support", r))
	assert.Equal(t, "Source, latest", atMergedSubject(t, b, dst, src))

	// The target's is the newest.
	c := atAcme()
	src = c.Deliver("support", c.Email("Old source", "support@acme.test"))
	atTick(c)
	dst = c.Deliver("support", c.Email("New target", "support@acme.test"))
	atTick(c)
	assert.Equal(t, "New target", atMergedSubject(t, c, dst, src))
}

// atInsertRoom stores a chat room shared with users, as no public
// operation creates one yet.
func atInsertRoom(t *testing.T, a *inboxtest.Acme, users ...string) conversation.ConversationID {
	t.Helper()
	id := conversation.ConversationID(uuid.Must(uuid.NewV7()))
	now := a.Clock.Now().UTC().Truncate(time.Microsecond)
	c := &conversation.Conversation{ID: id, Org: a.Org.ID, Kind: conversation.Room, Subject: "#general", Users: a.IDs(users...), CreatedAt: now, LastActivity: now}
	err := a.Engine.Store().Update(atCtx, func(tx storage.Tx) error {
		if err := tx.CreateConversation(atCtx, c); err != nil {
			return err
		}
		return tx.SetPlacements(atCtx, id, now, conversation.Placements(nil, c, nil, conversation.Teams{}))
	})
	require.NoError(t, err)
	return id
}

// atMergeRefusal returns the reason of a merge refusal, "" for any other
// error.
func atMergeRefusal(err error) inbox.MergeRefusal {
	var refused *inbox.MergeNotAllowedError
	if errors.As(err, &refused) {
		return refused.Reason
	}
	return ""
}

// atForeignConversation creates a second organization, Globex, in a's
// engine and returns a conversation of its own.
func atForeignConversation(t *testing.T, a *inboxtest.Acme) conversation.ConversationID {
	t.Helper()
	_, other, err := a.Engine.CreateOrg(atCtx, inbox.OrgSpec{Name: "Globex", Owner: inbox.UserSpec{Name: "Hank", Email: "hank@globex.test", Handle: "hank"}})
	require.NoError(t, err)
	gacct, err := a.Engine.ConnectAccount(atCtx, inbox.AsUser(other.ID), inbox.AccountSpec{Address: "hank@globex.test"})
	require.NoError(t, err)
	d, err := a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: gacct.ID, Message: a.Email("Globex mail", "hank@globex.test")})
	require.NoError(t, err)
	require.Len(t, d.Conversations, 1)
	return d.Conversations[0]
}

// Scenario 26 (F3:7926-7928): no merge of a chat room, by a guest, or
// across organizations.
func TestAT_06_26_MergeRefusals(t *testing.T) {
	a := atAcme()
	c := a.Deliver("support", a.Email("Thread", "support@acme.test"))
	room := atInsertRoom(t, a, "A", "B")
	reason := atMergeRefusal
	for _, pair := range [][2]conversation.ConversationID{{c, room}, {room, c}} {
		err := a.Engine.Merge(atCtx, a.As("A"), pair[0], []conversation.ConversationID{pair[1]}, inbox.MergeOptions{})
		assert.ErrorIs(t, err, inbox.ErrMergeNotAllowed, "chat room")
		assert.Equal(t, inbox.MergeRefusedRoom, reason(err))
	}

	// A guest of another conversation (refused whatever they can see).
	g := a.Deliver("support", a.Email("Guest thread", "support@acme.test"))
	guest := gstJoin(t, a, "A", g, "g@partner.example")
	c2 := a.Deliver("support", a.Email("Other", "support@acme.test"))
	err := a.Engine.Merge(atCtx, inbox.AsUser(guest.ID), c, []conversation.ConversationID{c2}, inbox.MergeOptions{})
	assert.ErrorIs(t, err, inbox.ErrMergeNotAllowed, "guest")
	assert.Equal(t, inbox.MergeRefusedGuest, reason(err))

	// Another organization in the same engine.
	foreign := atForeignConversation(t, a)
	err = a.Engine.Merge(atCtx, inbox.System, c, []conversation.ConversationID{foreign}, inbox.MergeOptions{})
	assert.ErrorIs(t, err, inbox.ErrMergeNotAllowed, "two organizations")
	assert.Equal(t, inbox.MergeRefusedOrganization, reason(err))
	err = a.Engine.Merge(atCtx, a.As("Own"), c, []conversation.ConversationID{foreign}, inbox.MergeOptions{})
	assert.ErrorIs(t, err, inbox.ErrNotFound, "a user cannot even see the other organization's conversation")
	assert.NotErrorIs(t, err, inbox.ErrMergeNotAllowed)
	assert.Equal(t, 1, a.Conv("A", c).Conversation.Messages, "nothing merged")
	assert.Equal(t, 1, a.Conv("A", c2).Conversation.Messages)

	// A conversation with a guest in it ("You are a guest in the
	// conversation", F3:7927): merging would hand the guest the other's
	// content.
	_, err = a.Engine.InviteGuest(atCtx, a.As("A"), c2, "partner@example.net")
	require.NoError(t, err)
	for _, pair := range [][2]conversation.ConversationID{{c, c2}, {c2, c}} {
		err = a.Engine.Merge(atCtx, a.As("A"), pair[0], []conversation.ConversationID{pair[1]}, inbox.MergeOptions{})
		assert.ErrorIs(t, err, inbox.ErrMergeWithGuests)
	}
	assert.Equal(t, 1, a.Conv("A", c2).Conversation.Messages)
}

// Scenario 27 (F3:7878): a batch merge merges into the first selected.
func TestAT_06_27_BatchMergeIntoFirst(t *testing.T) {
	a := atAcme()
	var ids []conversation.ConversationID
	var msgs []string
	for _, s := range []string{"C7", "C8", "C9"} {
		m := a.Email(s, "support@acme.test")
		ids = append(ids, a.Deliver("support", m))
		msgs = append(msgs, m.HeaderID)
		atTick(a)
	}
	require.NoError(t, a.Engine.Merge(atCtx, a.As("A"), ids[0], ids[1:], inbox.MergeOptions{}))
	v := a.Conv("A", ids[0])
	assert.Equal(t, msgs, atHeaderIDs(v))
	var related []conversation.ConversationID
	for _, ev := range atEvents(v, conversation.EventMerged) {
		related = append(related, ev.Related...)
	}
	assert.Equal(t, ids[1:], related, "C8 then C9")
	for _, src := range ids[1:] {
		_, err := a.Engine.Get(atCtx, a.As("A"), src)
		var merged *inbox.MergedError
		if assert.ErrorAs(t, err, &merged) {
			assert.Equal(t, ids[0], merged.Target)
		}
	}
	assert.Equal(t, ids[:1], atConvs(a, "A"))
}

// Scenario 28 (F3:14513): a rule's "Merge in conversation" has the
// semantics of scenario 20.
func TestAT_06_28_RuleMergeHasMergeSemantics(t *testing.T) {
	a := atAcme()
	c10, c11, order := atMergePair(t, a)
	// Rules act as the system.
	require.NoError(t, a.Engine.Merge(atCtx, inbox.System, c10, []conversation.ConversationID{c11}, inbox.MergeOptions{}))
	atCheckMerged(t, a, c10, c11, order)
	t.Skip("rules engine: not built (the Merge in conversation action firing on an incoming email)")
}

// atExpunges returns the expunge requests among recorded events.
func atExpunges(evs []*conversation.Event) []*conversation.Event {
	return slices.DeleteFunc(slices.Clone(evs), func(ev *conversation.Event) bool { return ev.Type != conversation.EventExpungeRequested })
}

// Scenario 29 (F3:6672-6675): deleting one email: move it out, trash,
// delete forever. Only the account owner's delete reaches the server.
func TestAT_06_29_DeleteOneEmailForeverExpungesOnlyForOwner(t *testing.T) {
	setup := func(t *testing.T) (*inboxtest.Acme, conversation.ConversationID, conversation.Message, conversation.Message) {
		a := atAcme() // c@acme.test is C's personal account, D its delegated user
		m1 := a.Email("Statement", "c@acme.test")
		d, err := a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["c"].ID, Ref: "INBOX/1/10", Message: m1})
		require.NoError(t, err)
		c := d.Conversations[0]
		atTick(a)
		e := atReply(a, m1, "c@acme.test")
		e.Subject = "Wrong attachment"
		_, err = a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["c"].ID, Ref: "INBOX/1/11", Message: e})
		require.NoError(t, err)
		return a, c, m1, e
	}
	t.Run("owner", func(t *testing.T) {
		a, c, m1, e := setup(t)
		eid := atMessage(t, a.Conv("C", c), e.HeaderID).ID
		c2, err := a.Engine.Split(atCtx, a.As("C"), c, eid, inbox.SplitOptions{})
		require.NoError(t, err)
		require.NoError(t, a.Engine.Trash(atCtx, a.As("C"), c2, inbox.TrashOptions{}))
		a.Events.Take()
		require.NoError(t, a.Engine.DeleteForever(atCtx, a.As("C"), c2))
		ex := atExpunges(a.Events.Take())
		require.Len(t, ex, 1, "E is expunged from the server")
		assert.Equal(t, eid, ex[0].Message)
		assert.Equal(t, a.Accounts["c"].ID, ex[0].Account)
		assert.Equal(t, "INBOX/1/11", ex[0].Ref)
		assert.Equal(t, c2, ex[0].Conversation)
		for _, u := range []string{"C", "D"} {
			assert.False(t, atCanSee(t, a, u, c2), "gone for %s", u)
		}
		assert.Equal(t, []string{m1.HeaderID}, atHeaderIDs(a.Conv("C", c)), "the rest of C is untouched")
	})
	t.Run("delegated user", func(t *testing.T) {
		a, c, m1, e := setup(t)
		eid := atMessage(t, a.Conv("D", c), e.HeaderID).ID
		c2, err := a.Engine.Split(atCtx, a.As("D"), c, eid, inbox.SplitOptions{Shared: true})
		require.NoError(t, err)
		require.NoError(t, a.Engine.Trash(atCtx, a.As("D"), c2, inbox.TrashOptions{}))
		a.Events.Take()
		require.NoError(t, a.Engine.DeleteForever(atCtx, a.As("D"), c2))
		evs := a.Events.Take()
		assert.Empty(t, atExpunges(evs), "the server is untouched")
		assert.Equal(t, []conversation.EventType{conversation.EventDeletedForUser}, atTypes(evs))
		assert.False(t, atCanSee(t, a, "D", c2), "D's access is removed")
		v := a.Conv("C", c2)
		assert.Equal(t, []string{e.HeaderID}, atHeaderIDs(v), "the owner still has E")
		assert.False(t, v.Conversation.Trashed, "D's trash was D's own")
		assert.Equal(t, []string{m1.HeaderID}, atHeaderIDs(a.Conv("C", c)))
	})
	t.Run("copies on the owner's accounts only", func(t *testing.T) {
		a := atAcme()
		atHelp(t, a) // owned by Adm, like support@
		own := atConnect(t, a, "own-shared", "Own", "desk@acme.test", inbox.AccountSpec{
			Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: a.Teams["Support"].ID}})
		m := a.Email("Everywhere", "support@acme.test", "help@acme.test", "desk@acme.test")
		for i, key := range []string{"support", "help", "own-shared"} {
			_, err := a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts[key].ID, Ref: fmt.Sprintf("INBOX/%d", i), Message: m})
			require.NoError(t, err)
		}
		c := a.List("A", a.Box(conversation.TeamInbox, "Support"))[0]
		require.NoError(t, a.Engine.Trash(atCtx, a.As("Adm"), c, inbox.TrashOptions{}))
		a.Events.Take()
		require.NoError(t, a.Engine.DeleteForever(atCtx, a.As("Adm"), c))
		var got []string
		for _, ev := range atExpunges(a.Events.Take()) {
			got = append(got, ev.Ref)
			assert.NotEqual(t, own.ID, ev.Account, "not Own's account")
		}
		assert.ElementsMatch(t, []string{"INBOX/0", "INBOX/1"}, got, "support@ and help@, which Adm owns")
	})
}

// A reply to a message of a merged-away conversation whose target was
// deleted forever since starts a new conversation instead of failing (the
// merge tombstone still names the deleted target).
func TestAT_ReplyIntoDeletedMergeTargetStartsNewConversation(t *testing.T) {
	a := atAcme()
	m1, c1, m2, c2 := atMergeTwo(t, a, "A")
	require.NoError(t, a.Engine.Trash(atCtx, a.As("Adm"), c1, inbox.TrashOptions{}))
	require.NoError(t, a.Engine.DeleteForever(atCtx, a.As("Adm"), c1))
	require.False(t, atCanSee(t, a, "Adm", c1))

	atTick(a)
	for _, parent := range []conversation.Message{m2, m1} {
		r := atReply(a, parent, "support@acme.test")
		d, err := a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["support"].ID, Message: r})
		require.NoError(t, err, "reply to %s", parent.Subject)
		require.Len(t, d.Conversations, 1)
		nc := d.Conversations[0]
		assert.NotEqual(t, c1, nc)
		assert.NotEqual(t, c2, nc)
		v := a.Conv("A", nc)
		assert.Equal(t, []string{r.HeaderID}, atHeaderIDs(v), "a new conversation")
		assert.True(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), nc))
	}
}

// Scenario 30 (F3:6707-6723): a user removed from a shared conversation
// keeps their personal account's emails, in a private conversation; the
// shared one shows a notice.
func TestAT_06_30_RemovedUsersPersonalEmailsMoveToPrivateConversation(t *testing.T) {
	a := atAcme()
	m1 := a.Email("Partnership", "support@acme.test")
	s := a.Deliver("support", m1)
	atTick(a)
	key := atPersonal(t, a, "A")
	p := a.Email("Partnership (my notes)", a.Accounts[key].Address)
	pc := a.Deliver(key, p)
	atTick(a)
	require.NoError(t, a.Engine.Merge(atCtx, a.As("A"), s, []conversation.ConversationID{pc}, inbox.MergeOptions{}))
	k := atComment(t, a, "B", s, "thanks for adding this")
	require.Equal(t, []string{m1.HeaderID, p.HeaderID}, atHeaderIDs(a.Conv("B", s)))
	pid := atMessage(t, a.Conv("B", s), p.HeaderID).ID
	require.True(t, a.In("A", a.Box(conversation.Inbox), s), "the merge brought P's Inbox entry along")
	require.NoError(t, a.Engine.Archive(atCtx, a.As("A"), s, inbox.ArchiveOptions{}))
	a.Events.Take()

	require.NoError(t, a.Engine.RemoveUser(atCtx, a.As("B"), s, a.ID("A")))

	// The shared conversation: without P, with the notice naming A.
	v := a.Conv("B", s)
	assert.Equal(t, []string{m1.HeaderID}, atHeaderIDs(v))
	assert.Equal(t, 1, v.Conversation.Messages)
	assert.Equal(t, "Partnership", v.Conversation.Subject)
	assert.Len(t, v.Comments, 1, "comments stay")
	assert.Equal(t, k, v.Comments[0].ID)
	notices := atEvents(v, conversation.EventMessageWithdrawn)
	if assert.Len(t, notices, 1, "Message was deleted because [User] was removed from the conversation") {
		assert.Equal(t, []conversation.UserID{a.ID("A")}, notices[0].Users, "[User] = A")
		assert.Equal(t, pid, notices[0].Message)
	}
	if un := atEvents(v, conversation.EventUnshared); assert.Len(t, un, 1) {
		assert.Equal(t, []conversation.UserID{a.ID("A")}, un[0].Users)
	}
	assert.NotContains(t, v.Conversation.Accounts, a.Accounts[key].ID, "A's account no longer feeds it")
	assert.False(t, atCanSee(t, a, "A", s), "A is out of the conversation, team member or not")
	assert.True(t, atCanSee(t, a, "O", s))

	// P is in a new private conversation of A.
	var priv conversation.ConversationID
	for _, id := range atConvs(a, "A") {
		if atHeaderIDs(a.Conv("A", id))[0] == p.HeaderID {
			priv = id
		}
	}
	require.False(t, priv.IsZero(), "A finds P in a conversation of theirs")
	pv := a.Conv("A", priv)
	assert.Equal(t, []string{p.HeaderID}, atHeaderIDs(pv))
	assert.Equal(t, pid, pv.Messages[0].ID, "the same message")
	assert.Equal(t, []conversation.UserID{a.ID("A")}, pv.Conversation.Users)
	assert.False(t, pv.Conversation.Shared())
	assert.Empty(t, pv.Comments, "comments do not follow")
	for _, u := range []string{"B", "O", "Own", "Adm"} {
		assert.False(t, atCanSee(t, a, u, priv), "visible only to A, not %s", u)
	}
	assert.False(t, a.In("A", a.Box(conversation.Inbox), priv), "archived: S was not in A's Inbox")
	assert.True(t, a.In("A", a.Box(conversation.All), priv))

	// A reply to P follows it.
	atTick(a)
	r := atReply(a, p, a.Accounts[key].Address)
	assert.Equal(t, []conversation.ConversationID{priv}, atDeliver(t, a, key, r).Conversations)

	// Restoring (F3:6716-6723): re-add A, who merges the private
	// conversation back.
	require.NoError(t, a.Engine.AddPeople(atCtx, a.As("B"), s, inbox.People{Users: a.IDs("A")}))
	require.NoError(t, a.Engine.Merge(atCtx, a.As("A"), s, []conversation.ConversationID{priv}, inbox.MergeOptions{}))
	assert.Equal(t, []string{m1.HeaderID, p.HeaderID, r.HeaderID}, atHeaderIDs(a.Conv("B", s)))
}

// Scenario 30, the other shapes: a private conversation shared by a
// mention, and the refusals.
func TestAT_06_30_RemoveUserEdgeCases(t *testing.T) {
	a := atAcme()
	key := atPersonal(t, a, "A")
	p := a.Email("Offer", a.Accounts[key].Address)
	c := a.Deliver(key, p)
	require.NoError(t, a.Engine.Archive(atCtx, a.As("A"), c, inbox.ArchiveOptions{}))
	require.ErrorIs(t, a.Engine.RemoveUser(atCtx, a.As("A"), c, a.ID("A")), inbox.ErrInvalidArgument, "the only user")
	atComment(t, a, "A", c, "@b what do you think?")
	require.ErrorIs(t, a.Engine.RemoveUser(atCtx, a.As("B"), c, a.ID("M")), inbox.ErrInvalidArgument, "M is not in it")
	require.ErrorIs(t, a.Engine.RemoveUser(atCtx, a.As("M"), c, a.ID("A")), inbox.ErrNotFound, "M cannot see it")

	require.NoError(t, a.Engine.RemoveUser(atCtx, a.As("B"), c, a.ID("A")))
	v := a.Conv("B", c)
	assert.Empty(t, v.Messages, "A's email left")
	assert.Len(t, v.Comments, 1)
	assert.Len(t, atEvents(v, conversation.EventMessageWithdrawn), 1)
	mine := slices.DeleteFunc(atConvs(a, "A"), func(id conversation.ConversationID) bool { return id == c })
	require.Len(t, mine, 1)
	pv := a.Conv("A", mine[0])
	assert.Equal(t, []string{p.HeaderID}, atHeaderIDs(pv))
	assert.False(t, pv.State.Unread(pv.Conversation), "A had read it (and wrote the comment)")
	assert.False(t, atCanSee(t, a, "B", mine[0]))
	assert.False(t, a.In("A", a.Box(conversation.Inbox), mine[0]), "archived, as C was for A")
	assert.True(t, a.In("A", a.Box(conversation.All), mine[0]))

	// Shared with A again, the conversation is in A's Inbox; removed
	// again, with no email of A's left, only the access goes.
	require.NoError(t, a.Engine.AddPeople(atCtx, a.As("B"), c, inbox.People{Users: a.IDs("A"), ShowInInbox: true}))
	require.True(t, a.In("A", a.Box(conversation.Inbox), c))
	require.NoError(t, a.Engine.RemoveUser(atCtx, a.As("B"), c, a.ID("A")))
	assert.False(t, atCanSee(t, a, "A", c))
	assert.Len(t, atConvs(a, "A"), 1)
	assert.Len(t, atEvents(a.Conv("B", c), conversation.EventMessageWithdrawn), 1, "no new notice")
}

// Scenario 39 (F3:7208-7214): a shared account made private.
func TestAT_06_39_SharedAccountMadePrivate(t *testing.T) {
	a := atAcme() // support@ is owned by Adm, shared to Support (A, B active, O observer)
	mx := a.Email("Only support", "support@acme.test")
	x := a.Deliver("support", mx)
	kx := atComment(t, a, "A", x, "I'll look")
	atTick(a)
	// Y: emails of support@ and of sales@ (Sales: C).
	y := a.Deliver("support", a.Email("Both accounts", "support@acme.test"))
	ys := a.Deliver("sales", a.Email("Both accounts, sales side", "sales@acme.test"))
	require.NoError(t, a.Engine.Merge(atCtx, a.As("Adm"), y, []conversation.ConversationID{ys}, inbox.MergeOptions{}))
	atTick(a)
	// Z: a support@ email and one of M's personal account.
	z := a.Deliver("support", a.Email("With M", "support@acme.test"))
	atComment(t, a, "A", z, "@m please add your thread")
	key := atPersonal(t, a, "M")
	zm := a.Deliver(key, a.Email("M's side", a.Accounts[key].Address))
	require.NoError(t, a.Engine.Merge(atCtx, a.As("M"), z, []conversation.ConversationID{zm}, inbox.MergeOptions{}))
	require.NoError(t, a.Engine.Assign(atCtx, a.As("A"), z, a.IDs("B"), inbox.Replace))

	// Labels on X: one auto-shared with M, one with the owner only.
	vip, err := a.Engine.CreateLabel(atCtx, a.As("Own"), inbox.LabelSpec{Kind: conversation.OrgLabel, Name: "VIP", AutoShared: a.IDs("M")})
	require.NoError(t, err)
	mine, err := a.Engine.CreateLabel(atCtx, a.As("Own"), inbox.LabelSpec{Kind: conversation.OrgLabel, Name: "Adm's", AutoShared: a.IDs("Adm")})
	require.NoError(t, err)
	require.NoError(t, a.Engine.ApplyLabel(atCtx, a.As("A"), x, vip.ID))
	require.NoError(t, a.Engine.ApplyLabel(atCtx, a.As("A"), x, mine.ID))
	require.True(t, atCanSee(t, a, "M", x), "the label shares X with M")
	_, err = a.Engine.InviteGuest(atCtx, a.As("A"), x, "partner@example.net")
	require.NoError(t, err)
	_, err = a.Engine.InviteGuest(atCtx, a.As("C"), y, "partner@example.net")
	require.NoError(t, err)

	require.ErrorIs(t, a.Engine.MakeAccountPrivate(atCtx, a.As("A"), a.Accounts["support"].ID), inbox.ErrNotFound, "not the owner nor an admin")
	a.Events.Take()
	require.NoError(t, a.Engine.MakeAccountPrivate(atCtx, a.As("Adm"), a.Accounts["support"].ID))

	// X: private to the owner, who keeps the colleague's comment.
	for _, u := range []string{"A", "B", "O", "C", "M"} {
		assert.False(t, atCanSee(t, a, u, x), "%s no longer sees X", u)
	}
	vx := a.Conv("Adm", x)
	assert.Equal(t, []string{mx.HeaderID}, atHeaderIDs(vx))
	require.Len(t, vx.Comments, 1)
	assert.Equal(t, kx, vx.Comments[0].ID, "colleagues' comments stay visible to the owner")
	assert.True(t, vx.Conversation.Team.IsZero())
	assert.True(t, a.In("Adm", a.Box(conversation.Inbox), x), "out of the team inbox, into the owner's Inbox")
	if un := atEvents(vx, conversation.EventUnshared); assert.Len(t, un, 1) {
		assert.Equal(t, []conversation.TeamID{a.Teams["Support"].ID}, un[0].Teams)
		assert.Equal(t, a.IDs("M"), un[0].Users, "M's label access ends")
	}
	assert.Equal(t, []conversation.LabelID{mine.ID}, vx.Conversation.Labels, "the label sharing X with M comes off; the owner's stays")
	if gone := atEvents(vx, conversation.EventGuestRemoved); assert.Len(t, gone, 1, "the guest invitation ends with the sharing") {
		assert.Equal(t, "partner@example.net", gone[0].Email)
	}
	assert.Empty(t, atEvents(a.Conv("C", y), conversation.EventGuestRemoved), "Y stays shared, with its guest")
	assert.Empty(t, a.List("A", a.Box(conversation.TeamInbox, "Support")), "nothing of support@ left in the team inbox")

	// Y: still visible to Sales (the other shared account's audience).
	assert.True(t, atCanSee(t, a, "C", y))
	assert.False(t, atCanSee(t, a, "A", y))
	assert.True(t, atCanSee(t, a, "Adm", y))

	// Z: M took part with a personal account and keeps access; B, who
	// only saw it through Support, is unassigned.
	assert.True(t, atCanSee(t, a, "M", z))
	assert.False(t, atCanSee(t, a, "A", z))
	assert.False(t, atCanSee(t, a, "B", z))
	assert.Empty(t, a.Conv("M", z).Conversation.Assignees)

	// New mail is private, and a reply to X still finds X.
	atTick(a)
	n := a.Deliver("support", a.Email("After", "support@acme.test"))
	assert.False(t, atCanSee(t, a, "A", n))
	assert.True(t, a.In("Adm", a.Box(conversation.Inbox), n))
	assert.Equal(t, []conversation.ConversationID{x}, atDeliver(t, a, "support", atReply(a, mx, "support@acme.test")).Conversations)
	assert.False(t, atCanSee(t, a, "A", x))

	// Making it private again does nothing.
	a.Events.Take()
	require.NoError(t, a.Engine.MakeAccountPrivate(atCtx, a.As("Adm"), a.Accounts["support"].ID))
	assert.Empty(t, a.Events.Take())
}

// ---------------------------------------------------------------------
// §6.4 Scope and routing

// atGmail connects (once) a personal "Gmail" account <handle>@gmail.test
// of user and returns its key.
func atGmail(t *testing.T, a *inboxtest.Acme, user string) string {
	t.Helper()
	key := "gmail-" + user
	atConnect(t, a, key, user, a.Users[user].Handle+"@gmail.test", inbox.AccountSpec{})
	return key
}

// atGroupEmail is a Google Group email to team@groups.test, as each
// member's mailbox receives it.
func atGroupEmail(a *inboxtest.Acme, subject string) conversation.Message {
	m := a.Email(subject, "team@groups.test")
	m.MailingList = "list team@groups.test; contact team+owners@groups.test"
	m.ListID = "Team <team.groups.test>"
	return m
}

// Scenario 31 (F3:1281, F3:7226): without a shared address, each member's
// copy of a group email is a private conversation of their own.
func TestAT_06_31_GroupMailWithoutSharedAddressIsPrivatePerUser(t *testing.T) {
	a := atAcme()
	ka, kb := atGmail(t, a, "A"), atGmail(t, a, "B")
	g1 := atGroupEmail(a, "Quarterly numbers")
	ca := atDeliver(t, a, ka, g1).Conversations[0]
	cb := atDeliver(t, a, kb, g1).Conversations[0]
	assert.NotEqual(t, ca, cb, "two conversations, one per user")
	assert.Equal(t, []conversation.ConversationID{ca}, atConvs(a, "A"))
	assert.Equal(t, []conversation.ConversationID{cb}, atConvs(a, "B"))
	assert.Equal(t, a.IDs("A"), a.Conv("A", ca).Conversation.Users, "private to A")
	assert.Equal(t, a.IDs("B"), a.Conv("B", cb).Conversation.Users, "private to B")
	assert.True(t, a.In("A", a.Box(conversation.Inbox), ca))
	assert.True(t, a.In("B", a.Box(conversation.Inbox), cb))

	// The same holds for an email sent straight to both personal
	// addresses (F3:7226): neither copy is shared with the other user.
	direct := a.Email("Lunch", "a@gmail.test", "b@gmail.test")
	da := atDeliver(t, a, ka, direct).Conversations[0]
	db := atDeliver(t, a, kb, direct).Conversations[0]
	assert.NotEqual(t, da, db)
	assert.False(t, atCanSee(t, a, "B", da), "A's copy is A's")
	assert.False(t, atCanSee(t, a, "A", db), "B's copy is B's")
}

// Scenario 32 (F3:1283, F3:1286): with the group as a shared address,
// every member's copy is one shared conversation; read state stays per
// person.
func TestAT_06_32_SharedGroupAddressGivesOneConversation(t *testing.T) {
	a := atAcme()
	atConnect(t, a, "group", "Adm", "team@groups.test", inbox.AccountSpec{
		Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: a.Teams["Support"].ID}})
	ka, kb := atGmail(t, a, "A"), atGmail(t, a, "B")
	g1 := atGroupEmail(a, "Quarterly numbers")
	d1 := atDeliver(t, a, ka, g1)
	d2 := atDeliver(t, a, kb, g1)
	require.Len(t, d1.Conversations, 1)
	c := d1.Conversations[0]
	assert.Equal(t, []conversation.ConversationID{c}, d2.Conversations, "exactly one conversation")
	assert.True(t, d2.Duplicate)
	v := a.Conv("A", c)
	assert.True(t, v.Conversation.Shared())
	require.Len(t, v.Messages, 1)
	assert.Len(t, v.Messages[0].Copies, 1, "B's copy attached")
	assert.True(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), c))
	assert.Equal(t, []conversation.ConversationID{c}, atConvs(a, "A"))
	assert.Equal(t, []conversation.ConversationID{c}, atConvs(a, "B"))

	require.NoError(t, a.Engine.MarkRead(atCtx, a.As("A"), c))
	va, vb := a.Conv("A", c), a.Conv("B", c)
	assert.False(t, va.State.Unread(va.Conversation), "A read it")
	assert.True(t, vb.State.Unread(vb.Conversation), "B's read state is B's own")
}

// Scenario 33 (F3:6423-6425, F3:7241): shared addresses with no
// auto-share recipients share mail among the co-recipients only.
func TestAT_06_33_CoRecipientSharing(t *testing.T) {
	a := atAcme()
	for _, name := range []string{"Claire", "Hubert"} {
		u, err := a.Engine.AddUser(atCtx, a.As("Own"), inbox.UserSpec{Name: name, Email: strings.ToLower(name) + "@acme.test", Handle: strings.ToLower(name)})
		require.NoError(t, err)
		a.Users[name] = u
		acct := atConnect(t, a, name, name, strings.ToLower(name)+"@acme.test", inbox.AccountSpec{})
		// "Add a shared address ... Leave the sharing selection empty."
		require.NoError(t, a.Engine.ShareAddress(atCtx, a.As(name), acct.ID, acct.Address, conversation.Sharing{Kind: conversation.SharedToInboxes}))
	}
	both := a.Email("Joint project", "claire@acme.test", "hubert@acme.test")
	dc := atDeliver(t, a, "Claire", both)
	dh := atDeliver(t, a, "Hubert", both)
	c := dc.Conversations[0]
	assert.Equal(t, []conversation.ConversationID{c}, dh.Conversations, "one conversation")
	assert.True(t, dh.Duplicate)
	assert.Equal(t, a.IDs("Claire", "Hubert"), a.Conv("Claire", c).Conversation.Users, "shared between Claire and Hubert")
	for _, u := range []string{"Claire", "Hubert"} {
		assert.True(t, a.In(u, a.Box(conversation.Inbox), c), u)
	}
	for _, u := range []string{"A", "Own", "Adm"} {
		assert.False(t, atCanSee(t, a, u, c), "nobody else: %s", u)
	}
	// Claire's reply to both, and the answer to that reply alone, stay in
	// the shared conversation.
	atTick(a)
	sent := atSend(t, a, "Claire", c, both, func(m *conversation.Message) { m.Cc = []conversation.Address{{Address: "hubert@acme.test"}} })
	atTick(a)
	answer := a.Email("Re: Joint project", "claire@acme.test", "hubert@acme.test")
	answer.InReplyTo = []string{sent.HeaderID}
	assert.Equal(t, []conversation.ConversationID{c}, atDeliver(t, a, "Hubert", answer).Conversations)
	assert.Len(t, a.Conv("Hubert", c).Messages, 3)

	only := a.Email("Just for Claire", "claire@acme.test")
	oc := atDeliver(t, a, "Claire", only).Conversations[0]
	assert.Equal(t, a.IDs("Claire"), a.Conv("Claire", oc).Conversation.Users, "private to Claire")
	assert.False(t, atCanSee(t, a, "Hubert", oc))
	// Her reply and the answer to it stay in her private conversation.
	atTick(a)
	sent = atSend(t, a, "Claire", oc, only)
	atTick(a)
	assert.Equal(t, []conversation.ConversationID{oc}, atDeliver(t, a, "Claire", atReply(a, sent, "claire@acme.test")).Conversations)
	assert.False(t, atCanSee(t, a, "Hubert", oc))
}

// Scenario 34 (F3:1293-1297): a group known only by an alias is not
// routed; once its primary address (from Mailing-list) is shared, it is.
func TestAT_06_34_GroupRoutedByPrimaryAddressOnly(t *testing.T) {
	a := atAcme()
	// The group's alias is a shared address of support@ (Adm's), for the
	// Support team inbox.
	group := a.Accounts["support"]
	toSupport := conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: a.Teams["Support"].ID}
	require.NoError(t, a.Engine.ShareAddress(atCtx, a.As("Adm"), group.ID, "helpdesk@groups.test", toSupport))
	ka := atGmail(t, a, "A")
	mk := func(subject string) conversation.Message {
		m := a.Email(subject, "helpdesk@groups.test")
		m.MailingList = "list grp-123@groups.test; contact grp-123+owners@groups.test"
		return m
	}
	c := atDeliver(t, a, ka, mk("Printer on fire")).Conversations[0]
	assert.False(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), c), "not routed to the team inbox (documented failure)")
	assert.Empty(t, a.List("B", a.Box(conversation.TeamInbox, "Support")))
	assert.Equal(t, a.IDs("A"), a.Conv("A", c).Conversation.Users, "left in A's personal Inbox")
	assert.True(t, a.In("A", a.Box(conversation.Inbox), c))

	// The fix: share the primary address too (F3:1295).
	require.NoError(t, a.Engine.ShareAddress(atCtx, a.As("Adm"), group.ID, "grp-123@groups.test", toSupport))
	routed := atDeliver(t, a, ka, mk("Printer still on fire")).Conversations[0]
	assert.True(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), routed), "routed")
	assert.True(t, atCanSee(t, a, "O", routed))

	// A List-Id naming the group identifies it as well.
	byID := a.Email("By List-Id", "helpdesk@groups.test")
	byID.ListID = "<grp-123.groups.test>"
	assert.True(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), atDeliver(t, a, ka, byID).Conversations[0]))
}

// atTwoTeams delivers one email addressed to sales@ and support@.
func atTwoTeams(t *testing.T, a *inboxtest.Acme) (conversation.Message, inbox.Delivery) {
	t.Helper()
	m := a.Email("Bulk order support", "sales@acme.test", "support@acme.test")
	return m, atDeliver(t, a, "sales", m)
}

// Scenario 35 (F3:9739): duplicate per team: one linked conversation in
// each team inbox.
func TestAT_06_35_DuplicatePerTeamMakesLinkedCopies(t *testing.T) {
	a := atAcme()
	require.Equal(t, conversation.DuplicatePerTeam, a.Org.MultiTeamMode, "the default")
	m, d := atTwoTeams(t, a)
	require.Len(t, d.Conversations, 2, "two conversations")
	var sales, support conversation.ConversationID
	for _, c := range d.Conversations {
		if atCanSee(t, a, "C", c) {
			sales = c
		} else {
			support = c
		}
	}
	require.False(t, sales.IsZero())
	require.False(t, support.IsZero())
	assert.True(t, a.In("C", a.Box(conversation.TeamInbox, "Sales"), sales))
	assert.True(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), support))
	assert.False(t, atCanSee(t, a, "A", sales))
	// Each copy has the note; the link to the other copy shows only to
	// who can see both, here Adm, owner of both accounts (issue 10
	// point 6: C and A cannot see the other team's copy).
	for _, tc := range []struct {
		user      string
		c, linked conversation.ConversationID
	}{{"C", sales, conversation.ConversationID{}}, {"A", support, conversation.ConversationID{}}, {"Adm", sales, support}, {"Adm", support, sales}} {
		links := atEvents(a.Conv(tc.user, tc.c), conversation.EventLinked)
		if assert.Len(t, links, 1, "%s: a note of the duplicate", tc.user) {
			if tc.linked.IsZero() {
				assert.Empty(t, links[0].Related, "%s cannot see the other copy", tc.user)
			} else {
				assert.Equal(t, []conversation.ConversationID{tc.linked}, links[0].Related)
			}
		}
	}
	// support@'s own copy is the same message: nothing new.
	d2 := atDeliver(t, a, "support", m)
	assert.True(t, d2.Duplicate)
	// The note links for a merge by hand (F3:9739).
	require.NoError(t, a.Engine.Merge(atCtx, a.As("Adm"), support, []conversation.ConversationID{sales}, inbox.MergeOptions{}))
	assert.True(t, atCanSee(t, a, "C", support), "merged: both teams see it")
}

// Scenario 36 (F3:9740): single conversation, in the alphabetically first
// team.
func TestAT_06_36_SingleConversationInFirstTeam(t *testing.T) {
	a := atAcme(inboxtest.AcmeOptions{MultiTeamMode: conversation.SingleConversation})
	m, d := atTwoTeams(t, a)
	require.Len(t, d.Conversations, 1, "exactly one conversation")
	c := d.Conversations[0]
	v := a.Conv("C", c)
	assert.Equal(t, a.Teams["Sales"].ID, v.Conversation.Team, "Sales < Support")
	assert.Equal(t, []conversation.ConversationID{c}, a.List("C", a.Box(conversation.TeamInbox, "Sales")))
	assert.Empty(t, a.List("A", a.Box(conversation.TeamInbox, "Support")))
	d2 := atDeliver(t, a, "support", m)
	assert.True(t, d2.Duplicate)
	assert.Equal(t, []conversation.ConversationID{c}, d2.Conversations)
}

// Scenario 37 (F3:9725-9727): single conversation: an outgoing reply from
// sales@ with support@ in CC moves C to Support, by message
// (MovedByMessage is an EventTeamChanged with ByMessage set). It is
// scenario 10 of teams-labels-tasks-guests.md §5 too: the setup is shared.
func TestAT_06_37_ReplyCcingOtherTeamMovesConversation(t *testing.T) {
	a, c := tltgSalesReplyCcSupport(t)
	v := a.Conv("C", c)
	assert.Contains(t, atHeaderIDs(v), "sales-reply-1@acme.test", "the reply is in C")
	assert.Equal(t, a.Teams["Support"].ID, v.Conversation.Team)
	assert.Equal(t, []conversation.ConversationID{c}, a.List("A", a.Box(conversation.TeamInbox, "Support")), "C moves to the Support team inbox")
	assert.Empty(t, a.List("C", a.Box(conversation.TeamInbox, "Sales")), "and leaves Sales'")
	moves := atEvents(v, conversation.EventTeamChanged)
	if assert.Len(t, moves, 1) {
		assert.True(t, moves[0].ByMessage, "MovedByMessage")
		assert.Equal(t, a.ID("C"), moves[0].Actor, "C's reply moved it")
	}
}

// Scenario 38 (F3:14283): incoming rules run once per receiving account.
func TestAT_06_38_RulesRunOncePerAccount(t *testing.T) {
	a := atAcme()
	atHelp(t, a)
	m1 := a.Email("CC'd twice", "support@acme.test", "help@acme.test")
	d1 := atDeliver(t, a, "support", m1)
	d2 := atDeliver(t, a, "help", m1)
	// What the rules engine will hook: each account's delivery is seen,
	// the second as a copy of the same message.
	assert.False(t, d1.Duplicate)
	assert.True(t, d2.Duplicate)
	v := a.Conv("A", d1.Conversations[0])
	require.Len(t, v.Messages, 1)
	assert.Equal(t, a.Accounts["support"].ID, v.Messages[0].Account)
	require.Len(t, v.Messages[0].Copies, 1)
	assert.Equal(t, a.Accounts["help"].ID, v.Messages[0].Copies[0].Account)
	t.Skip("rules engine: not built (incoming rules, the Email-account condition, one run per receiving account)")
}

// RecordSent follows the rest of threading: the single-conversation team
// move (F3:9725) and the message cap (F3:7932).
func TestAT_RecordSentMovesByMessageAndRespectsCap(t *testing.T) {
	t.Run("moves by message", func(t *testing.T) {
		a := atAcme(inboxtest.AcmeOptions{MultiTeamMode: conversation.SingleConversation})
		m := a.Email("Damaged delivery", "sales@acme.test")
		c := a.Deliver("sales", m)
		atTick(a)
		r := conversation.Message{To: []conversation.Address{m.From}, Cc: []conversation.Address{{Address: "support@acme.test"}},
			Subject: "Re: " + m.Subject, HeaderID: "web-ui@acme.test", InReplyTo: []string{m.HeaderID}}
		d, err := a.Engine.RecordSent(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["sales"].ID, Message: r})
		require.NoError(t, err)
		require.Equal(t, []conversation.ConversationID{c}, d.Conversations)
		assert.True(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), c))
		moves := atEvents(a.Conv("A", c), conversation.EventTeamChanged)
		require.Len(t, moves, 1)
		assert.True(t, moves[0].ByMessage)
	})
	t.Run("cap", func(t *testing.T) {
		a := atAcme(inboxtest.AcmeOptions{Config: inbox.Config{MaxMessages: 2}})
		c, last := atChain(t, a, "Full", 2)
		r := conversation.Message{To: []conversation.Address{last.From}, Subject: "Re: Full", HeaderID: "web-ui-2@acme.test", InReplyTo: []string{last.HeaderID}}
		d, err := a.Engine.RecordSent(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts["support"].ID, Message: r})
		require.NoError(t, err)
		require.Len(t, d.Conversations, 1)
		next := d.Conversations[0]
		assert.NotEqual(t, c, next)
		assert.Equal(t, c, a.Conv("A", next).Conversation.ContinuationOf)
		assert.Equal(t, next, a.Conv("A", c).Conversation.ContinuedIn)
		assert.Equal(t, 2, a.Conv("A", c).Conversation.Messages)
		assert.True(t, atCanSee(t, a, "B", next), "with the account's audience")
	})
}
