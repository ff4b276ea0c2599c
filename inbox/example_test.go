package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// exampleOrg sets up a small organization: owner Olivia, agents Ana and
// Ben in team Support (fed by support@acme.test), and observer Obi.
func exampleOrg() (e *inbox.Engine, clock *inboxtest.Clock, ana, ben, obi *conversation.User, support *conversation.Team, acct *conversation.Account) {
	ctx := context.Background()
	clock = &inboxtest.Clock{}
	e = inbox.New(inbox.Config{Clock: clock})
	_, owner, _ := e.CreateOrg(ctx, inbox.OrgSpec{Name: "Acme", Owner: inbox.UserSpec{Name: "Olivia", Email: "olivia@acme.test", Handle: "olivia"}})
	admin := inbox.AsUser(owner.ID)
	ana, _ = e.AddUser(ctx, admin, inbox.UserSpec{Name: "Ana", Email: "ana@acme.test", Handle: "ana"})
	ben, _ = e.AddUser(ctx, admin, inbox.UserSpec{Name: "Ben", Email: "ben@acme.test", Handle: "ben"})
	obi, _ = e.AddUser(ctx, admin, inbox.UserSpec{Name: "Obi", Email: "obi@acme.test", Handle: "obi"})
	support, _ = e.CreateTeam(ctx, admin, inbox.TeamSpec{Name: "Support", Handle: "support", Members: []conversation.Membership{
		{User: ana.ID, Kind: conversation.Active}, {User: ben.ID, Kind: conversation.Active}, {User: obi.ID, Kind: conversation.Observer}}})
	acct, _ = e.ConnectAccount(ctx, admin, inbox.AccountSpec{Address: "support@acme.test",
		Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: support.ID}})
	return
}

func subjects(e *inbox.Engine, u *conversation.User, mb inbox.Mailbox) []string {
	page, err := e.List(context.Background(), inbox.AsUser(u.ID), mb, inbox.ListOptions{})
	if err != nil {
		return []string{err.Error()}
	}
	out := []string{}
	for _, s := range page.Items {
		out = append(out, s.Subject)
	}
	return out
}

// A message to a team-inbox address lands in the team inbox, notifies the
// active members (not observers), and leaves it for everyone once
// assigned.
func ExampleEngine_Deliver() {
	ctx := context.Background()
	e, _, ana, ben, obi, support, acct := exampleOrg()
	teamInbox := inbox.TeamMailbox(conversation.TeamInbox, support.ID)

	d, err := e.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: conversation.Message{
		From: conversation.Address{Address: "kim@example.com"}, To: []conversation.Address{{Address: "support@acme.test"}},
		Subject: "Login broken", HeaderID: "1@example.com"}})
	if err != nil {
		panic(err)
	}
	fmt.Println("team inbox (Obi):", subjects(e, obi, teamInbox))

	_ = e.Assign(ctx, inbox.AsUser(ana.ID), d.Conversations[0], []conversation.UserID{ben.ID}, inbox.Replace)
	fmt.Println("team inbox (Ana):", subjects(e, ana, teamInbox))
	fmt.Println("Ben's Inbox:", subjects(e, ben, inbox.MailboxOf(conversation.Inbox)))
	// Output:
	// team inbox (Obi): [Login broken]
	// team inbox (Ana): []
	// Ben's Inbox: [Login broken]
}

// A customer's reply to a closed conversation reopens it in the
// assignee's Inbox.
func ExampleEngine_Close() {
	ctx := context.Background()
	e, _, ana, _, _, _, acct := exampleOrg()
	first := conversation.Message{From: conversation.Address{Address: "kim@example.com"},
		To: []conversation.Address{{Address: "support@acme.test"}}, Subject: "Refund", HeaderID: "r1@example.com"}
	d, _ := e.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: first})
	c := d.Conversations[0]
	_ = e.Assign(ctx, inbox.AsUser(ana.ID), c, []conversation.UserID{ana.ID}, inbox.Replace)
	_ = e.Close(ctx, inbox.AsUser(ana.ID), c)
	fmt.Println("closed:", subjects(e, ana, inbox.MailboxOf(conversation.Closed)), "inbox:", subjects(e, ana, inbox.MailboxOf(conversation.Inbox)))

	reply := first
	reply.Subject, reply.HeaderID, reply.InReplyTo = "Re: Refund", "r2@example.com", []string{"r1@example.com"}
	_, _ = e.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: reply})
	fmt.Println("closed:", subjects(e, ana, inbox.MailboxOf(conversation.Closed)), "inbox:", subjects(e, ana, inbox.MailboxOf(conversation.Inbox)))
	// Output:
	// closed: [Refund] inbox: []
	// closed: [] inbox: [Re: Refund]
}

// An @mention in a comment shares the conversation and puts it in the
// mentioned person's Inbox.
func ExampleEngine_Comment() {
	ctx := context.Background()
	e, _, ana, ben, _, _, acct := exampleOrg()
	d, _ := e.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: conversation.Message{
		To: []conversation.Address{{Address: "support@acme.test"}}, Subject: "Crash", HeaderID: "c1@example.com"}})
	_, _ = e.Comment(ctx, inbox.AsUser(ana.ID), d.Conversations[0], inbox.NewComment{Body: "@ben can you reproduce?"})
	fmt.Println("Ben's Inbox:", subjects(e, ben, inbox.MailboxOf(conversation.Inbox)))
	// Output:
	// Ben's Inbox: [Crash]
}

// Members cannot do what only admins may, and the error says so.
func ExampleEngine_AddUser() {
	ctx := context.Background()
	e, _, ana, _, _, _, _ := exampleOrg()
	_, err := e.AddUser(ctx, inbox.AsUser(ana.ID), inbox.UserSpec{Name: "Dev", Email: "dev@acme.test", Handle: "dev"})
	fmt.Println(errors.Is(err, inbox.ErrForbidden))
	// Output:
	// true
}

// A snooze hides a conversation from the Inbox until RunDue brings it
// back.
func ExampleEngine_RunDue() {
	ctx := context.Background()
	e, clock, ana, _, _, _, acct := exampleOrg()
	d, _ := e.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: conversation.Message{
		To: []conversation.Address{{Address: "support@acme.test"}}, Subject: "Follow up", HeaderID: "f1@example.com"}})
	c := d.Conversations[0]
	_ = e.Assign(ctx, inbox.AsUser(ana.ID), c, []conversation.UserID{ana.ID}, inbox.Replace)
	_ = e.Snooze(ctx, inbox.AsUser(ana.ID), c, inbox.SnoozeOptions{Until: clock.Now().Add(3 * time.Hour)})
	fmt.Println("inbox:", subjects(e, ana, inbox.MailboxOf(conversation.Inbox)), "snoozed:", subjects(e, ana, inbox.MailboxOf(conversation.Snoozed)))

	clock.Advance(3 * time.Hour)
	n, _ := e.RunDue(ctx)
	fmt.Println("woken:", n, "inbox:", subjects(e, ana, inbox.MailboxOf(conversation.Inbox)), "snoozed:", subjects(e, ana, inbox.MailboxOf(conversation.Snoozed)))
	// Output:
	// inbox: [] snoozed: [Follow up]
	// woken: 1 inbox: [Follow up] snoozed: []
}
