package rules

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/inboxkit/inboxkit/conversation"
)

// The test vocabulary: deterministic IDs from names, so golden files and
// failures read as names.

var idSpace = uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")

// idOf returns the ID of a name, the same for every kind of entity, so
// golden files can write "@Support" wherever a team, user or label ID goes;
// idNames maps IDs back to names for printing.
func idOf(_, name string) uuid.UUID {
	id := uuid.NewSHA1(idSpace, []byte(name))
	idMu.Lock()
	idNames[id.String()] = name
	idMu.Unlock()
	return id
}

var (
	idMu    sync.Mutex
	idNames = map[string]string{}
)

func uid(name string) conversation.UserID  { return conversation.UserID(idOf("u", name)) }
func tid(name string) conversation.TeamID  { return conversation.TeamID(idOf("t", name)) }
func lid(name string) conversation.LabelID { return conversation.LabelID(idOf("l", name)) }
func aid(name string) conversation.AccountID {
	return conversation.AccountID(idOf("a", name))
}
func oid(name string) conversation.OrgID { return conversation.OrgID(idOf("o", name)) }
func cid(name string) conversation.ConversationID {
	return conversation.ConversationID(idOf("c", name))
}
func rid(name string) RuleID                    { return RuleID(idOf("r", name)) }
func addr(s string) conversation.Address        { return conversation.Address{Address: s} }
func named(name, a string) conversation.Address { return conversation.Address{Name: name, Address: a} }
func addrs(ss ...string) (out []conversation.Address) {
	for _, s := range ss {
		out = append(out, addr(s))
	}
	return out
}

// orgO is the organization of the scenarios; alice its admin.
var (
	orgO  = oid("O")
	alice = uid("alice")
	bob   = uid("bob")
	carol = uid("carol")
	t0    = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC) // a Tuesday
)

// orgRule returns an enabled incoming email organization rule of O.
func orgRule(desc string, conds Group, actions ...Action) Rule {
	return Rule{ID: rid(desc), Description: desc, Scope: OrgScope(orgO), Type: Type{Kind: Incoming},
		Enabled: true, Conditions: conds, Actions: actions}
}

// personalRule returns an enabled incoming email personal rule of alice.
func personalRule(desc string, conds Group, actions ...Action) Rule {
	r := orgRule(desc, conds, actions...)
	r.Scope = PersonalScope(alice)
	return r
}

func text(f Field, op Operator, s string) Condition { return Condition{Field: f, Op: op, Text: s} }

// sharedConv is a conversation shared with O (in team Support).
func sharedConv() *conversation.Conversation {
	return &conversation.Conversation{ID: cid("C1"), Org: orgO, Team: tid("Support"), Users: []conversation.UserID{alice}, Messages: 1}
}

// privateConv is a conversation private to alice.
func privateConv() *conversation.Conversation {
	return &conversation.Conversation{ID: cid("C2"), Org: orgO, Users: []conversation.UserID{alice}, Messages: 1}
}

// incoming returns the facts of an incoming email in conv.
func incoming(conv *conversation.Conversation, m conversation.Message) *Facts {
	if m.At.IsZero() {
		m.At = t0
	}
	if m.Unquoted == "" {
		m.Unquoted = m.Text
	}
	return &Facts{Type: Incoming, Message: &m, Conversation: conv, Scope: ConversationScope(conv), Now: m.At}
}

// userAction returns the facts of a user action by user in a shared
// conversation.
func userAction(by conversation.UserID, a UserActionFacts) *Facts {
	conv := sharedConv()
	return &Facts{Type: UserAction, Initiator: Initiator{Kind: ByUser, User: by}, Action: a,
		Conversation: conv, Scope: ConversationScope(conv), Now: t0}
}

// decide compiles rules and evaluates f.
func decide(rules []Rule, f *Facts) Decision {
	return Compile(rules).Evaluate(context.Background(), f, Options{})
}

// actionKinds lists the actions to run (not skipped) of a decision, as
// "description:kind".
func actionKinds(d Decision) []string {
	var out []string
	for _, r := range d.Runs {
		for _, a := range r.Actions {
			if a.Skip == "" {
				out = append(out, r.Description+":"+a.Action.Kind().String())
			}
		}
	}
	return out
}

// fakeAI answers every prompt with answer, or fails with err.
type fakeAI struct {
	answer string
	err    error
	calls  int
}

func (a *fakeAI) Prompt(_ context.Context, _ AIModel, _ string, _ *conversation.Message) (string, error) {
	a.calls++
	return a.answer, a.err
}

var errCredits = errors.New("no credits left")

// fakeContacts holds contacts as "addr group" / "addr company" / "addr
// book" facts and past recipients.
type fakeContacts struct {
	groups, companies, books map[string][]string
	past                     []string
}

func has(m map[string][]string, a, set string) bool {
	for _, s := range m[strings.ToLower(a)] {
		if s == set {
			return true
		}
	}
	return false
}

func (c *fakeContacts) InGroup(a, g string) bool   { return has(c.groups, a, g) }
func (c *fakeContacts) InCompany(a, g string) bool { return has(c.companies, a, g) }
func (c *fakeContacts) InBook(a, g string) bool    { return has(c.books, a, g) }
func (c *fakeContacts) InContacts(a string, _ Scope) bool {
	return len(c.books[strings.ToLower(a)]) > 0
}
func (c *fakeContacts) PastRecipient(a string, _ Scope) bool {
	for _, p := range c.past {
		if strings.EqualFold(p, a) {
			return true
		}
	}
	return false
}
