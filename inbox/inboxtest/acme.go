package inboxtest

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// Acme is the scenario tests' fixture: owner Own, admin Adm, members A, B, C, M and
// O; team Support with active members A and B and observer O, fed by
// support@acme.test in team-inbox mode; team Sales (active C) fed by
// sales@acme.test; team Production (active M) fed by production@acme.test;
// and a personal account c@acme.test owned by C with D as delegated user.
type Acme struct {
	Engine *inbox.Engine
	Clock  *Clock
	Notes  *Notifier
	Events *Events
	// Sender records the replies sent with Engine.SendReply (unless
	// AcmeOptions.Config named another Sender).
	Sender   *Sender
	Org      *conversation.Org
	Users    map[string]*conversation.User
	Teams    map[string]*conversation.Team
	Accounts map[string]*conversation.Account

	seq atomic.Int64
}

// AcmeOptions adjust the fixture. The zero value is the standard fixture.
type AcmeOptions struct {
	MultiTeamMode conversation.MultiTeamMode
	// Config is passed to inbox.New after Clock, Notifier and Subscribers
	// are filled in (a Store left nil is a new in-memory store).
	Config inbox.Config
}

// NewAcme builds the fixture. It panics on error: it is for tests.
func NewAcme(opts AcmeOptions) *Acme {
	ctx := context.Background()
	a := &Acme{Clock: &Clock{}, Notes: &Notifier{}, Events: &Events{},
		Users: map[string]*conversation.User{}, Teams: map[string]*conversation.Team{}, Accounts: map[string]*conversation.Account{}}
	cfg := opts.Config
	cfg.Clock = a.Clock
	cfg.Notifier = a.Notes
	cfg.Subscribers = append(slices.Clone(cfg.Subscribers), a.Events)
	a.Sender = &Sender{}
	if cfg.Sender == nil {
		cfg.Sender = a.Sender
	}
	a.Engine = inbox.New(cfg)
	e := a.Engine
	org, own, err := e.CreateOrg(ctx, inbox.OrgSpec{Name: "Acme", Owner: inbox.UserSpec{Name: "Own", Email: "own@acme.test", Handle: "own"}, MultiTeamMode: opts.MultiTeamMode})
	must(err)
	a.Org = org
	a.Users["Own"] = own
	owner := inbox.AsUser(own.ID)
	for _, name := range []string{"Adm", "A", "B", "C", "M", "O", "D"} {
		role := conversation.RoleMember
		if name == "Adm" {
			role = conversation.RoleAdmin
		}
		u, err := e.AddUser(ctx, owner, inbox.UserSpec{Name: name, Email: lower(name) + "@acme.test", Handle: lower(name), Role: role})
		must(err)
		a.Users[name] = u
	}
	id := func(n string) conversation.UserID { return a.Users[n].ID }
	mk := func(name, handle string, members ...conversation.Membership) {
		t, err := e.CreateTeam(ctx, owner, inbox.TeamSpec{Name: name, Handle: handle, Members: members})
		must(err)
		a.Teams[name] = t
	}
	mk("Support", "support", conversation.Membership{User: id("A"), Kind: conversation.Active},
		conversation.Membership{User: id("B"), Kind: conversation.Active}, conversation.Membership{User: id("O"), Kind: conversation.Observer})
	mk("Sales", "sales", conversation.Membership{User: id("C"), Kind: conversation.Active})
	mk("Production", "production", conversation.Membership{User: id("M"), Kind: conversation.Active})
	connect := func(key, addr string, by string, spec inbox.AccountSpec) {
		spec.Address = addr
		acct, err := e.ConnectAccount(ctx, inbox.AsUser(id(by)), spec)
		must(err)
		a.Accounts[key] = acct
	}
	team := func(n string) conversation.Sharing {
		return conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: a.Teams[n].ID}
	}
	connect("support", "support@acme.test", "Adm", inbox.AccountSpec{Sharing: team("Support")})
	connect("sales", "sales@acme.test", "Adm", inbox.AccountSpec{Sharing: team("Sales")})
	connect("production", "production@acme.test", "Adm", inbox.AccountSpec{Sharing: team("Production")})
	connect("c", "c@acme.test", "C", inbox.AccountSpec{Delegates: []conversation.UserID{id("D")}})
	return a
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func must(err error) {
	if err != nil {
		panic(fmt.Sprintf("inboxtest: %v", err))
	}
}

// As returns the actor for the fixture user named name.
func (a *Acme) As(name string) inbox.Actor { return inbox.AsUser(a.ID(name)) }

// ID returns the ID of the fixture user named name.
func (a *Acme) ID(name string) conversation.UserID {
	u, ok := a.Users[name]
	if !ok {
		panic("inboxtest: no user " + name)
	}
	return u.ID
}

// IDs returns the sorted IDs of the named users.
func (a *Acme) IDs(names ...string) []conversation.UserID {
	out := make([]conversation.UserID, 0, len(names))
	for _, n := range names {
		out = append(out, a.ID(n))
	}
	slices.SortFunc(out, conversation.UserID.Compare)
	return out
}

// Email builds an incoming email from a customer to the given addresses,
// with a fresh Message-ID.
func (a *Acme) Email(subject string, to ...string) conversation.Message {
	n := a.seq.Add(1)
	m := conversation.Message{
		From:     conversation.Address{Name: "Customer", Address: "customer@example.com"},
		Subject:  subject,
		Text:     "Hello, " + subject,
		HeaderID: fmt.Sprintf("m%d@example.com", n),
	}
	for _, t := range to {
		m.To = append(m.To, conversation.Address{Address: t})
	}
	return m
}

// ReplyTo builds the customer's reply to message parent (same addresses).
func (a *Acme) ReplyTo(parent conversation.Message) conversation.Message {
	m := a.Email("Re: "+parent.Subject, addrs(parent.To)...)
	m.InReplyTo = []string{parent.HeaderID}
	m.References = append(slices.Clone(parent.References), parent.HeaderID)
	return m
}

func addrs(list []conversation.Address) []string {
	out := make([]string, 0, len(list))
	for _, a := range list {
		out = append(out, a.Address)
	}
	return out
}

// Deliver delivers m to the fixture account named key ("support",
// "sales", "production", "c") and returns the first conversation. It
// panics on error.
func (a *Acme) Deliver(key string, m conversation.Message) conversation.ConversationID {
	d, err := a.Engine.Deliver(context.Background(), inbox.System, inbox.Incoming{Account: a.Accounts[key].ID, Message: m})
	must(err)
	return d.Conversations[0]
}

// List returns the IDs in the first page (up to 500) of a mailbox of the
// named user, or panics.
func (a *Acme) List(user string, mb inbox.Mailbox) []conversation.ConversationID {
	p, err := a.Engine.List(context.Background(), a.As(user), mb, inbox.ListOptions{Limit: inbox.MaxPageSize})
	must(err)
	out := make([]conversation.ConversationID, 0, len(p.Items))
	for _, s := range p.Items {
		out = append(out, s.ID)
	}
	return out
}

// In reports whether conversation c is listed in the named user's mailbox.
func (a *Acme) In(user string, mb inbox.Mailbox, c conversation.ConversationID) bool {
	return slices.Contains(a.List(user, mb), c)
}

// Box returns the mailbox of kind k; for per-team kinds, of the team named
// team (first of teams).
func (a *Acme) Box(k conversation.MailboxKind, team ...string) inbox.Mailbox {
	if len(team) > 0 {
		return inbox.TeamMailbox(k, a.Teams[team[0]].ID)
	}
	return inbox.MailboxOf(k)
}

// Conv returns the stored conversation as the named user sees it.
func (a *Acme) Conv(user string, id conversation.ConversationID) *inbox.View {
	v, err := a.Engine.Get(context.Background(), a.As(user), id)
	must(err)
	return v
}
