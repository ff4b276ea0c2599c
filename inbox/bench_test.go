package inbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// The benchmark organization: 1,000 users in 50 teams of 20 (15 active,
// 5 observers), one team-inbox account per team, and 100,000
// conversations delivered through the engine, 30% of them assigned.
// User 0 (in team 0) is assigned 1 conversation in 100, so their Inbox
// holds ~1,000; team 0's inbox holds ~1,300.
const (
	benchUsers         = 1000
	benchTeams         = 50
	benchConversations = 100_000
)

type benchOrg struct {
	e      *inbox.Engine
	clock  *inboxtest.Clock
	users  []*conversation.User
	teams  []*conversation.Team
	accts  []*conversation.Account
	convs  []conversation.ConversationID
	nextID int
	round  int
}

var (
	benchOnce sync.Once
	benchData *benchOrg
)

func loadBenchOrg(b *testing.B) *benchOrg {
	b.Helper()
	benchOnce.Do(func() { benchData = buildBenchOrg(b) })
	if benchData == nil {
		b.Fatal("benchmark setup failed")
	}
	return benchData
}

func buildBenchOrg(b *testing.B) *benchOrg {
	ctx := context.Background()
	o := &benchOrg{clock: &inboxtest.Clock{}}
	o.e = inbox.New(inbox.Config{Clock: o.clock})
	_, owner, err := o.e.CreateOrg(ctx, inbox.OrgSpec{Name: "Bench", Owner: inbox.UserSpec{Name: "owner", Email: "owner@bench.test", Handle: "owner"}})
	if err != nil {
		b.Fatal(err)
	}
	admin := inbox.AsUser(owner.ID)
	for i := range benchUsers {
		u, err := o.e.AddUser(ctx, admin, inbox.UserSpec{Name: fmt.Sprint("user", i), Email: fmt.Sprintf("u%d@bench.test", i), Handle: fmt.Sprint("u", i)})
		if err != nil {
			b.Fatal(err)
		}
		o.users = append(o.users, u)
	}
	for t := range benchTeams {
		var members []conversation.Membership
		for i := t; i < benchUsers; i += benchTeams {
			kind := conversation.Active
			if len(members) >= 15 {
				kind = conversation.Observer
			}
			members = append(members, conversation.Membership{User: o.users[i].ID, Kind: kind})
		}
		team, err := o.e.CreateTeam(ctx, admin, inbox.TeamSpec{Name: fmt.Sprint("Team ", t), Handle: fmt.Sprint("team", t), Members: members})
		if err != nil {
			b.Fatal(err)
		}
		o.teams = append(o.teams, team)
		acct, err := o.e.ConnectAccount(ctx, admin, inbox.AccountSpec{Address: fmt.Sprintf("team%d@bench.test", t),
			Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: team.ID}})
		if err != nil {
			b.Fatal(err)
		}
		o.accts = append(o.accts, acct)
	}
	for i := range benchConversations {
		c := o.deliver(b, i%benchTeams)
		o.convs = append(o.convs, c)
		switch {
		case i%1000 < 10:
			o.assign(b, c, o.users[0].ID)
		case (i/benchTeams)%10 < 3:
			o.assign(b, c, o.users[(i*7+i/benchTeams)%benchUsers].ID)
		}
	}
	return o
}

func (o *benchOrg) deliver(b *testing.B, team int) conversation.ConversationID {
	o.nextID++
	o.clock.Advance(1e6)
	to := o.accts[team].Address
	res, err := o.e.Deliver(context.Background(), inbox.System, inbox.Incoming{Account: o.accts[team].ID, Message: conversation.Message{
		From: conversation.Address{Address: "customer@example.com"}, To: []conversation.Address{{Address: to}},
		Subject: "Question", Text: "Hello", HeaderID: fmt.Sprintf("bench-%d@example.com", o.nextID)}})
	if err != nil {
		b.Fatal(err)
	}
	return res.Conversations[0]
}

func (o *benchOrg) assign(b *testing.B, c conversation.ConversationID, u conversation.UserID) {
	if err := o.e.Assign(context.Background(), inbox.System, c, []conversation.UserID{u}, inbox.Replace); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDeliver delivers a new message to a team inbox of the loaded
// store: one conversation created, 20 members' mailboxes indexed.
func BenchmarkDeliver(b *testing.B) {
	o := loadBenchOrg(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		o.deliver(b, i%benchTeams)
	}
}

// BenchmarkAssign reassigns existing conversations between two members.
func BenchmarkAssign(b *testing.B) {
	o := loadBenchOrg(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Each iteration gives a conversation a new assignee, so every
		// iteration changes state whatever runs came before.
		o.round++
		c := o.convs[(o.round*7919)%len(o.convs)]
		o.assign(b, c, o.users[o.round%benchUsers].ID)
	}
}

func benchList(b *testing.B, actor inbox.Actor, mb inbox.Mailbox) {
	o := loadBenchOrg(b)
	ctx := context.Background()
	page, err := o.e.List(ctx, actor, mb, inbox.ListOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if len(page.Items) != inbox.DefaultPageSize {
		b.Fatalf("first page has %d items, want %d", len(page.Items), inbox.DefaultPageSize)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := o.e.List(ctx, actor, mb, inbox.ListOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListInbox reads the first page (50) of a user's Inbox.
func BenchmarkListInbox(b *testing.B) {
	o := loadBenchOrg(b)
	benchList(b, inbox.AsUser(o.users[0].ID), inbox.MailboxOf(conversation.Inbox))
}

// BenchmarkListTeamInbox reads the first page (50) of a team inbox.
func BenchmarkListTeamInbox(b *testing.B) {
	o := loadBenchOrg(b)
	benchList(b, inbox.AsUser(o.users[0].ID), inbox.TeamMailbox(conversation.TeamInbox, o.teams[0].ID))
}

// BenchmarkListAll reads the first page (50) of a team member's All.
func BenchmarkListAll(b *testing.B) {
	o := loadBenchOrg(b)
	benchList(b, inbox.AsUser(o.users[0].ID), inbox.MailboxOf(conversation.All))
}

// BenchmarkCountTeamInbox reads a team inbox's counters.
func BenchmarkCountTeamInbox(b *testing.B) {
	o := loadBenchOrg(b)
	ctx := context.Background()
	actor := inbox.AsUser(o.users[0].ID)
	mb := inbox.TeamMailbox(conversation.TeamInbox, o.teams[0].ID)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := o.e.Count(ctx, actor, mb); err != nil {
			b.Fatal(err)
		}
	}
}
