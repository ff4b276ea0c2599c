package inbox_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/storage"
)

var wpUsers = []string{"Own", "Adm", "A", "B", "C", "M", "O", "D"}

// wpWorld is a random Acme history: deliveries to shared and personal
// accounts (some to two accounts at once), replies, merges, mentions and
// a label auto-shared with M.
type wpWorld struct {
	a     *inboxtest.Acme
	keys  []string
	sent  []conversation.Message
	on    []string // account key each of sent was delivered to
	convs []conversation.ConversationID
	label conversation.LabelID // auto-shared with M
}

func newWPWorld(t *rapid.T) *wpWorld {
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	w := &wpWorld{a: a, keys: []string{"support", "sales", "c", "personal-A", "personal-M"}}
	for _, u := range []string{"A", "M"} {
		acct, err := a.Engine.ConnectAccount(atCtx, a.As(u), inbox.AccountSpec{Address: a.Users[u].Handle + ".personal@acme.test"})
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		a.Accounts["personal-"+u] = acct
	}
	l, err := a.Engine.CreateLabel(atCtx, a.As("Own"), inbox.LabelSpec{Kind: conversation.OrgLabel, Name: "Shared with M", AutoShared: a.IDs("M")})
	if err != nil {
		t.Fatalf("label: %v", err)
	}
	w.label = l.ID
	for i, n := 0, rapid.IntRange(2, 10).Draw(t, "steps"); i < n; i++ {
		w.step(t)
	}
	return w
}

func (w *wpWorld) deliver(t *rapid.T, key string, m conversation.Message) {
	d, err := w.a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: w.a.Accounts[key].ID, Ref: fmt.Sprintf("INBOX/%d", len(w.sent)), Message: m})
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	w.sent, w.on = append(w.sent, m), append(w.on, key)
	for _, c := range d.Conversations {
		if !slices.Contains(w.convs, c) {
			w.convs = append(w.convs, c)
		}
	}
}

func (w *wpWorld) step(t *rapid.T) {
	a := w.a
	switch op := rapid.IntRange(0, 4).Draw(t, "op"); {
	case op == 0 || len(w.sent) == 0:
		key := rapid.SampledFrom(w.keys).Draw(t, "account")
		to := []string{a.Accounts[key].Address}
		also := ""
		if rapid.Bool().Draw(t, "two accounts") {
			also = rapid.SampledFrom(w.keys).Draw(t, "also")
			to = append(to, a.Accounts[also].Address)
		}
		m := a.Email("subject", to...)
		w.deliver(t, key, m)
		if also != "" && also != key {
			w.deliver(t, also, m)
		}
	case op == 1:
		i := rapid.IntRange(0, len(w.sent)-1).Draw(t, "parent")
		r := a.Email("Re", a.Accounts[w.on[i]].Address)
		r.InReplyTo = []string{w.sent[i].HeaderID}
		w.deliver(t, w.on[i], r)
	case op == 2 && len(w.convs) > 1:
		who := rapid.SampledFrom(wpUsers).Draw(t, "merger")
		dst := rapid.SampledFrom(w.convs).Draw(t, "dst")
		src := rapid.SampledFrom(w.convs).Draw(t, "src")
		_ = a.Engine.Merge(atCtx, a.As(who), dst, []conversation.ConversationID{src}, inbox.MergeOptions{}) // refusals are fine
	case op == 3:
		who := rapid.SampledFrom(wpUsers).Draw(t, "labeller")
		c := rapid.SampledFrom(w.convs).Draw(t, "labelled")
		_ = a.Engine.ApplyLabel(atCtx, a.As(who), c, w.label) // refusals are fine
	default:
		who := rapid.SampledFrom(wpUsers).Draw(t, "author")
		whom := rapid.SampledFrom(wpUsers).Draw(t, "mentioned")
		c := rapid.SampledFrom(w.convs).Draw(t, "conversation")
		_, _ = a.Engine.Comment(atCtx, a.As(who), c, inbox.NewComment{Body: "@" + a.Users[whom].Handle + " look"})
	}
}

// audience returns who can see c.
func (w *wpWorld) audience(t *rapid.T, c conversation.ConversationID) []string {
	var out []string
	for _, u := range wpUsers {
		ok, err := w.a.Engine.CanSee(atCtx, w.a.As(u), c)
		if err != nil {
			t.Fatalf("CanSee: %v", err)
		}
		if ok {
			out = append(out, u)
		}
	}
	return out
}

// accountsOf returns the accounts holding c's messages or their copies,
// read from the store.
func (w *wpWorld) accountsOf(t *rapid.T, c conversation.ConversationID) []conversation.AccountID {
	var out []conversation.AccountID
	err := w.a.Engine.Store().View(atCtx, func(tx storage.ReadTx) error {
		msgs, err := tx.Messages(atCtx, c)
		for _, m := range msgs {
			conversation.AddSorted(&out, m.Account)
			for _, cp := range m.Copies {
				conversation.AddSorted(&out, cp.Account)
			}
		}
		return err
	})
	if err != nil {
		t.Fatalf("messages: %v", err)
	}
	return out
}

func (w *wpWorld) snapshot(t *rapid.T) map[conversation.ConversationID][]string {
	out := map[conversation.ConversationID][]string{}
	for _, c := range w.convs {
		out[c] = w.audience(t, c)
	}
	return out
}

// Withdrawing access never grants it: making support@ private leaves every
// conversation with a subset of its audience (its owner Adm aside), and
// one whose mail all came through support@ with Adm alone; removing a user
// takes exactly that user out, and their personal emails go where only
// they see them.
func TestAT_PropertyAccessWithdrawalsNeverGrant(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWPWorld(t)
		a := w.a
		before := w.snapshot(t)
		if rapid.Bool().Draw(t, "make support private") {
			if err := a.Engine.MakeAccountPrivate(atCtx, a.As("Adm"), a.Accounts["support"].ID); err != nil {
				t.Fatalf("MakeAccountPrivate: %v", err)
			}
			for _, c := range w.convs {
				after := w.audience(t, c)
				for _, u := range after {
					if u != "Adm" && !slices.Contains(before[c], u) {
						t.Fatalf("%s gained access to %s: %v -> %v", u, c, before[c], after)
					}
				}
				if accts := w.accountsOf(t, c); len(accts) > 0 && slices.Equal(accts, []conversation.AccountID{a.Accounts["support"].ID}) {
					if len(after) > 0 && !slices.Equal(after, []string{"Adm"}) {
						t.Fatalf("%s holds only support@ mail but %v see it", c, after)
					}
				}
			}
			return
		}
		c := rapid.SampledFrom(w.convs).Draw(t, "conversation")
		who := rapid.SampledFrom(wpUsers).Draw(t, "remover")
		u := rapid.SampledFrom(wpUsers).Draw(t, "removed")
		known := slices.Clone(w.convs)
		if err := a.Engine.RemoveUser(atCtx, a.As(who), c, a.ID(u)); err != nil {
			if !errors.Is(err, inbox.ErrNotFound) && !errors.Is(err, inbox.ErrInvalidArgument) && !errors.Is(err, inbox.ErrForbidden) {
				t.Fatalf("RemoveUser: %v", err)
			}
			if now := w.snapshot(t); !maps.EqualFunc(now, before, slices.Equal[[]string]) {
				t.Fatalf("a refused removal changed access: %v -> %v", before, now)
			}
			return
		}
		for _, x := range known {
			after := w.audience(t, x)
			want := before[x]
			if x == c {
				want = slices.DeleteFunc(slices.Clone(want), func(v string) bool { return v == u })
			}
			if !slices.Equal(after, want) {
				t.Fatalf("after removing %s from %s, %s is seen by %v, want %v", u, c, x, after, want)
			}
		}
		// Conversations the removal created hold u's emails and only u sees them.
		for _, s := range a.List(u, a.Box(conversation.All)) {
			if slices.Contains(known, s) {
				continue
			}
			if got := w.audience(t, s); !slices.Equal(got, []string{u}) {
				t.Fatalf("new conversation %s is seen by %v, want only %s", s, got, u)
			}
		}
	})
}
