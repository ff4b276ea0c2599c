// Command helpdesk runs one realistic day of a two-team support
// organization on inboxkit's in-memory storage and prints what each
// person's mailboxes hold along the way.
//
//	go run ./examples/helpdesk
//
// The day: customer mail lands in the Support and Billing team inboxes;
// a Support agent triages and assigns; a reply goes out with Send &
// Close; the customer answers, which reopens the conversation in the
// assignee's Inbox; a colleague is @mentioned; a conversation is snoozed
// until the afternoon and the timer brings it back.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "helpdesk:", err)
		os.Exit(1)
	}
}

// clock is the simulated time of the day.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) set(h, m int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = time.Date(2026, 3, 2, h, m, 0, 0, time.UTC)
}

// day holds the cast and the engine.
type day struct {
	ctx   context.Context
	out   io.Writer
	e     *inbox.Engine
	clock *clock
	names map[conversation.UserID]string
	users map[string]*conversation.User
	teams map[string]*conversation.Team
	accts map[string]*conversation.Account
	seq   int
}

func run(ctx context.Context, out io.Writer) error {
	d := &day{ctx: ctx, out: out, clock: &clock{}, names: map[conversation.UserID]string{},
		users: map[string]*conversation.User{}, teams: map[string]*conversation.Team{}, accts: map[string]*conversation.Account{}}
	d.clock.set(8, 0)
	d.e = inbox.New(inbox.Config{
		Clock: d.clock,
		Notifier: inbox.NotifierFunc(func(_ context.Context, n inbox.Notification) error {
			fmt.Fprintf(out, "    🔔 %s: %s\n", d.names[n.User], n.Reason)
			return nil
		}),
	})
	if err := d.setup(); err != nil {
		return err
	}
	return d.story()
}

func (d *day) setup() error {
	_, owner, err := d.e.CreateOrg(d.ctx, inbox.OrgSpec{Name: "Northwind", Owner: inbox.UserSpec{Name: "Olivia (owner)", Email: "olivia@northwind.test", Handle: "olivia"}})
	if err != nil {
		return err
	}
	d.remember("Olivia", owner)
	admin := inbox.AsUser(owner.ID)
	for _, n := range []string{"Ana", "Ben", "Cleo", "Dev"} {
		u, err := d.e.AddUser(d.ctx, admin, inbox.UserSpec{Name: n, Email: strings.ToLower(n) + "@northwind.test", Handle: strings.ToLower(n)})
		if err != nil {
			return err
		}
		d.remember(n, u)
	}
	active := func(n string) conversation.Membership {
		return conversation.Membership{User: d.users[n].ID, Kind: conversation.Active}
	}
	observer := func(n string) conversation.Membership {
		return conversation.Membership{User: d.users[n].ID, Kind: conversation.Observer}
	}
	for _, t := range []inbox.TeamSpec{
		{Name: "Support", Handle: "support", Members: []conversation.Membership{active("Ana"), active("Ben"), observer("Olivia")}},
		{Name: "Billing", Handle: "billing", Members: []conversation.Membership{active("Cleo"), observer("Ben")}},
	} {
		team, err := d.e.CreateTeam(d.ctx, admin, t)
		if err != nil {
			return err
		}
		d.teams[t.Name] = team
	}
	for _, a := range []struct{ key, addr, team string }{{"support", "support@northwind.test", "Support"}, {"billing", "billing@northwind.test", "Billing"}} {
		acct, err := d.e.ConnectAccount(d.ctx, admin, inbox.AccountSpec{Address: a.addr,
			Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: d.teams[a.team].ID}})
		if err != nil {
			return err
		}
		d.accts[a.key] = acct
	}
	return nil
}

func (d *day) remember(name string, u *conversation.User) {
	d.users[name] = u
	d.names[u.ID] = name
}

func (d *day) as(name string) inbox.Actor { return inbox.AsUser(d.users[name].ID) }

func (d *day) say(h, m int, format string, args ...any) {
	d.clock.set(h, m)
	fmt.Fprintf(d.out, "\n%02d:%02d  %s\n", h, m, fmt.Sprintf(format, args...))
}

// email delivers a customer email and returns its conversation and message.
func (d *day) email(acct, from, subject string, parent *conversation.Message) (conversation.ConversationID, conversation.Message, error) {
	d.seq++
	m := conversation.Message{From: conversation.Address{Address: from}, To: []conversation.Address{{Address: d.accts[acct].Address}},
		Subject: subject, Text: "…", HeaderID: fmt.Sprintf("%d.%s", d.seq, from)}
	if parent != nil {
		m.InReplyTo = []string{parent.HeaderID}
		m.References = append(append([]string{}, parent.References...), parent.HeaderID)
	}
	res, err := d.e.Deliver(d.ctx, inbox.System, inbox.Incoming{Account: d.accts[acct].ID, Message: m})
	if err != nil {
		return conversation.ConversationID{}, m, err
	}
	return res.Conversations[0], m, nil
}

func (d *day) story() error {
	ctx := d.ctx
	d.say(8, 5, "Three customers write in.")
	crash, crashMsg, err := d.email("support", "kim@customer.test", "App crashes on login", nil)
	if err != nil {
		return err
	}
	export, _, err := d.email("support", "lee@customer.test", "How do I export my data?", nil)
	if err != nil {
		return err
	}
	invoice, _, err := d.email("billing", "max@customer.test", "Invoice #4411 is wrong", nil)
	if err != nil {
		return err
	}
	d.show("Ana", "Ben", "Cleo", "Olivia")

	d.say(9, 0, "Ana triages: she takes the crash herself and gives the export question to Ben.")
	if err := d.e.Assign(ctx, d.as("Ana"), crash, []conversation.UserID{d.users["Ana"].ID}, inbox.Replace); err != nil {
		return err
	}
	if err := d.e.Assign(ctx, d.as("Ana"), export, []conversation.UserID{d.users["Ben"].ID}, inbox.Replace); err != nil {
		return err
	}
	d.show("Ana", "Ben")

	d.say(9, 30, "Ana asks Dev (engineering, not in Support) in a comment.")
	if _, err := d.e.Comment(ctx, d.as("Ana"), crash, inbox.NewComment{Body: "@dev is the 3.2 login fix shipped?"}); err != nil {
		return err
	}
	d.show("Dev")

	d.say(10, 0, "Dev answers; Ana replies to the customer with Send & Close.")
	if _, err := d.e.Comment(ctx, d.as("Dev"), crash, inbox.NewComment{Body: "Yes, update to 3.2.1."}); err != nil {
		return err
	}
	if _, err := d.e.RecordReply(ctx, d.as("Ana"), crash, inbox.Reply{Message: conversation.Message{
		To: []conversation.Address{{Address: "kim@customer.test"}}, Subject: "Re: App crashes on login", Text: "Please update to 3.2.1.",
		HeaderID: "reply-1@northwind.test", InReplyTo: []string{crashMsg.HeaderID}}, Then: inbox.ThenClose}); err != nil {
		return err
	}
	d.show("Ana")

	d.say(11, 0, "Cleo will look at the invoice after lunch: she snoozes it for everyone until 14:00.")
	if err := d.e.Snooze(ctx, d.as("Cleo"), invoice, inbox.SnoozeOptions{Until: time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC), ForEveryone: true}); err != nil {
		return err
	}
	d.show("Cleo")

	d.say(12, 15, "Kim answers Ana's reply: the closed conversation reopens, back in Ana's Inbox; only Ana is notified.")
	if _, _, err := d.email("support", "kim@customer.test", "Re: App crashes on login", &conversation.Message{HeaderID: "reply-1@northwind.test", References: []string{crashMsg.HeaderID}}); err != nil {
		return err
	}
	d.show("Ana", "Ben")

	d.say(14, 0, "The host's timer calls RunDue: the invoice is back in the Billing team inbox.")
	n, err := d.e.RunDue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "    woke %d snooze(s)\n", n)
	d.show("Cleo")

	d.say(17, 30, "End of day.")
	d.show("Olivia", "Ana", "Ben", "Cleo", "Dev")
	return nil
}

// show prints the non-empty mailboxes of each named person.
func (d *day) show(names ...string) {
	for _, name := range names {
		u := d.users[name]
		var lines []string
		boxes := []inbox.Mailbox{inbox.MailboxOf(conversation.Inbox), inbox.MailboxOf(conversation.TeamInboxes)}
		var teamNames []string
		for tn := range d.teams {
			teamNames = append(teamNames, tn)
		}
		sort.Strings(teamNames)
		for _, tn := range teamNames {
			if d.teams[tn].MemberKind(u.ID) != 0 {
				boxes = append(boxes, inbox.TeamMailbox(conversation.TeamInbox, d.teams[tn].ID))
			}
		}
		boxes = append(boxes, inbox.MailboxOf(conversation.AssignedToMe), inbox.MailboxOf(conversation.Snoozed),
			inbox.MailboxOf(conversation.Closed), inbox.MailboxOf(conversation.All))
		for _, mb := range boxes {
			page, err := d.e.List(d.ctx, inbox.AsUser(u.ID), mb, inbox.ListOptions{})
			if err != nil {
				lines = append(lines, fmt.Sprintf("%s: error %v", mb, err))
				continue
			}
			if len(page.Items) == 0 {
				continue
			}
			label := mb.Kind.String()
			if mb.Kind == conversation.TeamInbox {
				for tn, t := range d.teams {
					if t.ID == mb.Team {
						label = tn + " team inbox"
					}
				}
			}
			var subjects []string
			for _, s := range page.Items {
				mark := ""
				if s.Unread {
					mark = "•"
				}
				subjects = append(subjects, mark+s.Subject)
			}
			lines = append(lines, fmt.Sprintf("%-20s %s", label+":", strings.Join(subjects, " | ")))
		}
		fmt.Fprintf(d.out, "    %s\n", name)
		for _, l := range lines {
			fmt.Fprintf(d.out, "      %s\n", l)
		}
	}
}
