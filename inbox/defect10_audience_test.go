package inbox_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/storage/memory"
	"github.com/inboxkit/inboxkit/threading"
)

// d10Inboxes connects the two Inbox-mode addresses of issue 10 point 1:
// hello@ shared to A's Inbox only and jobs@ shared to M's Inbox only, both
// owned by Adm.
func d10Inboxes(t *testing.T, a *inboxtest.Acme) {
	t.Helper()
	to := func(u string) conversation.Sharing {
		return conversation.Sharing{Kind: conversation.SharedToInboxes,
			Users: map[conversation.UserID]conversation.InboxDelivery{a.ID(u): conversation.ToInbox}}
	}
	atConnect(t, a, "hello", "Adm", "hello@acme.test", inbox.AccountSpec{Sharing: to("A")})
	atConnect(t, a, "jobs", "Adm", "jobs@acme.test", inbox.AccountSpec{Sharing: to("M")})
}

// d10Orphan is a stranger's reply, sent to address to, to a broadcast
// the library never saw.
func d10Orphan(a *inboxtest.Acme, to, subject string) conversation.Message {
	m := a.Email(subject, to)
	m.InReplyTo = []string{"broadcast@elsewhere.example"}
	m.References = []string{"broadcast@elsewhere.example"}
	return m
}

// Issue 10 point 1: two strangers reply to a broadcast nobody has seen,
// one through hello@ (A only), one through jobs@ (M only). Each reply
// stays within the audience of the address it arrived on; replies of one
// audience still group (F3:8050-8058); the broadcast arriving later on
// hello@ gathers hello@'s replies only.
func TestDefect10_1_UnknownParentStaysInAudience(t *testing.T) {
	a := atAcme()
	d10Inboxes(t, a)

	c1 := atDeliver(t, a, "hello", d10Orphan(a, "hello@acme.test", "Re: Open day")).Conversations[0]
	atTick(a)
	c2 := atDeliver(t, a, "jobs", d10Orphan(a, "jobs@acme.test", "Re: Open day")).Conversations[0]
	require.NotEqual(t, c1, c2, "replies to an unseen parent joined across audiences")
	require.True(t, atCanSee(t, a, "A", c1))
	require.False(t, atCanSee(t, a, "A", c2), "A reads mail sent to jobs@")
	require.True(t, atCanSee(t, a, "M", c2))
	require.False(t, atCanSee(t, a, "M", c1), "M reads mail sent to hello@")

	// Within one audience such replies group (F3:8050-8058).
	atTick(a)
	c3 := atDeliver(t, a, "hello", d10Orphan(a, "hello@acme.test", "Re: Open day")).Conversations[0]
	require.Equal(t, c1, c3)

	// The parent arrives on hello@: it gathers hello@'s early replies, not
	// jobs@'s.
	atTick(a)
	parent := a.Email("Open day", "hello@acme.test")
	parent.HeaderID = "broadcast@elsewhere.example"
	cp := atDeliver(t, a, "hello", parent).Conversations[0]
	require.Equal(t, c1, cp)
	require.False(t, atCanSee(t, a, "M", cp))
	v := a.Conv("M", c2)
	require.Len(t, v.Messages, 1, "jobs@'s reply was merged away")
	require.True(t, v.Conversation.MergedInto.IsZero())
}

// Issue 10 point 1, the subject fallback: with Config.SubjectWindow on,
// two strangers writing the same subject to hello@ and jobs@ do not meet;
// two writing to hello@ do.
func TestDefect10_1_SubjectFallbackStaysInAudience(t *testing.T) {
	a := atAcme(inboxtest.AcmeOptions{Config: inbox.Config{SubjectWindow: threading.DefaultSubjectWindow}})
	d10Inboxes(t, a)

	c1 := atDeliver(t, a, "hello", a.Email("Question", "hello@acme.test")).Conversations[0]
	a.Clock.Advance(time.Hour)
	c2 := atDeliver(t, a, "jobs", a.Email("Question", "jobs@acme.test")).Conversations[0]
	require.NotEqual(t, c1, c2, "the subject fallback joined across audiences")
	require.False(t, atCanSee(t, a, "M", c1))
	require.False(t, atCanSee(t, a, "A", c2))

	a.Clock.Advance(time.Hour)
	c3 := atDeliver(t, a, "hello", a.Email("Question", "hello@acme.test")).Conversations[0]
	require.Equal(t, c1, c3, "within one audience the subject fallback still groups")
}

// Issue 10 point 1, early replies merged by their parent: a reply that
// arrives on jobs@ before its parent, which arrives on hello@, is not
// merged into hello@'s conversation.
func TestDefect10_1_EarlyReplyNotMergedAcrossAudiences(t *testing.T) {
	a := atAcme()
	d10Inboxes(t, a)

	parent := a.Email("Offer", "hello@acme.test")
	early := atReply(a, parent, "jobs@acme.test")
	ce := atDeliver(t, a, "jobs", early).Conversations[0]
	atTick(a)
	cp := atDeliver(t, a, "hello", parent).Conversations[0]
	require.NotEqual(t, ce, cp, "the parent merged another audience's early reply")
	require.False(t, atCanSee(t, a, "A", ce))
	require.False(t, atCanSee(t, a, "M", cp))
}

// d10Route is one way mail arrives in the property test: the receiving
// account, the addresses, who the addresses let see it (by fixture name)
// and the threading scope it is filed in, by MultiTeamMode.
type d10Route struct {
	acct string
	to   []string
	aud  []string
	// team is set for a team-inbox address: its own scope in
	// duplicate-per-team mode.
	team     bool
	personal bool
}

func (r d10Route) scope(dup bool, key string) string {
	switch {
	case r.personal:
		return "personal:" + r.acct
	case r.team && dup:
		return "team:" + key
	}
	return "shared"
}

var d10Routes = map[string]d10Route{
	"hello":  {acct: "hello", to: []string{"hello@acme.test"}, aud: []string{"Adm", "A"}},
	"hello2": {acct: "hello2", to: []string{"hello2@acme.test"}, aud: []string{"Adm", "A"}},
	"jobs":   {acct: "jobs", to: []string{"jobs@acme.test"}, aud: []string{"Adm", "M"}},
	"both":   {acct: "hello", to: []string{"hello@acme.test", "jobs@acme.test"}, aud: []string{"Adm", "A", "M"}},
	"support": {acct: "support", to: []string{"support@acme.test"}, aud: []string{"Adm", "A", "B", "O"},
		team: true},
	"sales": {acct: "sales", to: []string{"sales@acme.test"}, aud: []string{"Adm", "C"}, team: true},
	"c":     {acct: "c", to: []string{"c@acme.test"}, aud: []string{"C", "D"}, personal: true},
}

// d10Node is one message of a random reply tree.
type d10Node struct {
	id, subject string
	parent      int // -1 for a root
	route       string
	deliver     bool
}

// TestDefect10_1_PropertyUnknownParentAudience delivers random reply trees,
// in random order, across accounts and addresses with different audiences
// (Inbox-mode addresses, team inboxes in both multi-team modes, a personal
// account), with and without the subject fallback, and checks after every
// delivery:
//
//   - a message that names no parent known in its scope (so it can only
//     join through a waiting parent id or the subject) lands in a
//     conversation all of whose other messages arrived with its audience;
//   - a message that joins through a known parent may bring any audience
//     in (team routing), but every conversation merged away on the way
//     (early replies gathered by their parent) held only its audience, as
//     does the conversation they merge into;
//   - nobody can see a conversation except through the audience of a
//     message in it, and everyone in those audiences can.
func TestDefect10_1_PropertyUnknownParentAudience(t *testing.T) {
	defer noRapidFailFile()()
	rapid.Check(t, func(t *rapid.T) {
		dup := rapid.Bool().Draw(t, "duplicatePerTeam")
		cfg := inbox.Config{Store: memory.New()}
		if rapid.Bool().Draw(t, "subjectFallback") {
			cfg.SubjectWindow = threading.DefaultSubjectWindow
		}
		mode := conversation.SingleConversation
		if dup {
			mode = conversation.DuplicatePerTeam
		}
		a := inboxtest.NewAcme(inboxtest.AcmeOptions{MultiTeamMode: mode, Config: cfg})
		store := cfg.Store
		to := func(u string) conversation.Sharing {
			return conversation.Sharing{Kind: conversation.SharedToInboxes,
				Users: map[conversation.UserID]conversation.InboxDelivery{a.ID(u): conversation.ToInbox}}
		}
		for key, sh := range map[string]conversation.Sharing{"hello": to("A"), "hello2": to("A"), "jobs": to("M")} {
			acct, err := a.Engine.ConnectAccount(atCtx, a.As("Adm"), inbox.AccountSpec{Address: key + "@acme.test", Sharing: sh})
			if err != nil {
				t.Fatalf("connect %s: %v", key, err)
			}
			a.Accounts[key] = acct
		}

		// Random reply trees; roots are delivered only sometimes.
		keys := []string{"hello", "hello2", "jobs", "both", "support", "sales", "c"}
		var nodes []d10Node
		for tr := range rapid.IntRange(1, 2).Draw(t, "trees") {
			base := len(nodes)
			n := rapid.IntRange(2, 7).Draw(t, "size")
			for i := range n {
				nd := d10Node{id: fmt.Sprintf("t%dn%d@example.com", tr, i), parent: -1,
					subject: fmt.Sprintf("Tree %d", rapid.IntRange(0, 1).Draw(t, "subject")),
					route:   rapid.SampledFrom(keys).Draw(t, "route")}
				if i > 0 {
					nd.parent = base + rapid.IntRange(0, i-1).Draw(t, "parent")
					nd.subject = "Re: " + nd.subject
					nd.deliver = true
				} else {
					nd.deliver = rapid.Float64Range(0, 1).Draw(t, "p") < 0.3
				}
				nodes = append(nodes, nd)
			}
		}
		var order []int
		for i, nd := range nodes {
			if nd.deliver {
				order = append(order, i)
			}
		}
		order = rapid.Permutation(order).Draw(t, "order")

		ancestors := func(i int) []int { // nearest first
			var out []int
			for p := nodes[i].parent; p >= 0; p = nodes[p].parent {
				out = append(out, p)
			}
			return out
		}
		audKey := func(i int) string { return strings.Join(d10Routes[nodes[i].route].aud, ",") }
		scopeOf := func(i int) string { return d10Routes[nodes[i].route].scope(dup, nodes[i].route) }
		convs := func(delivered []int) map[int]conversation.ConversationID {
			out := map[int]conversation.ConversationID{}
			err := store.View(atCtx, func(tx storage.ReadTx) error {
				for _, i := range delivered {
					ms, err := tx.MessagesByHeaderID(atCtx, a.Org.ID, nodes[i].id)
					if err != nil {
						return err
					}
					if len(ms) != 1 {
						return fmt.Errorf("%s stored %d times", nodes[i].id, len(ms))
					}
					out[i] = ms[0].Conversation
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}

		var delivered []int
		for _, i := range order {
			nd := nodes[i]
			r := d10Routes[nd.route]
			m := conversation.Message{From: conversation.Address{Address: "stranger@example.com"},
				Subject: nd.subject, Text: "Hi", HeaderID: nd.id, At: a.Clock.Now()}
			for _, addr := range r.to {
				m.To = append(m.To, conversation.Address{Address: addr})
			}
			anc := ancestors(i)
			if len(anc) > 0 {
				m.InReplyTo = []string{nodes[anc[0]].id}
				for _, p := range slices.Backward(anc) {
					m.References = append(m.References, nodes[p].id)
				}
			}
			// The known parent the threader follows: the nearest ancestor
			// delivered in the same scope.
			knownParent := -1
			for _, p := range anc {
				if slices.Contains(delivered, p) && scopeOf(p) == scopeOf(i) {
					knownParent = p
					break
				}
			}
			before := convs(delivered)
			desc := fmt.Sprintf("deliver %s (reply to %d) to %s", nd.id, nd.parent, nd.route)
			if _, err := a.Engine.Deliver(atCtx, inbox.System, inbox.Incoming{Account: a.Accounts[r.acct].ID, Message: m}); err != nil {
				t.Fatalf("%s: %v", desc, err)
			}
			atTick(a)
			delivered = append(delivered, i)
			after := convs(delivered)
			landed := after[i]
			var parentConv conversation.ConversationID
			if knownParent >= 0 {
				parentConv = before[knownParent]
			}
			var others, moved []int
			for _, x := range delivered {
				if x == i || after[x] != landed {
					continue
				}
				others = append(others, x)
				if knownParent < 0 || before[x] != parentConv {
					moved = append(moved, x)
				}
			}
			// Everything that came into the conversation without a known
			// parent (including the conversation it joined, when there
			// was no known parent) arrived with m's audience.
			for _, x := range moved {
				if audKey(x) != audKey(i) {
					t.Fatalf("%s: %s (audience %s) shares conversation %s with it (audience %s) without a known parent",
						desc, nodes[x].id, audKey(x), landed, audKey(i))
				}
			}
			if knownParent >= 0 && len(moved) > 0 {
				for _, x := range others {
					if audKey(x) != audKey(i) {
						t.Fatalf("%s: merged early replies into a conversation holding %s (audience %s)",
							desc, nodes[x].id, audKey(x))
					}
				}
			}
		}

		// Visibility: exactly the audiences of a conversation's messages.
		final := convs(delivered)
		byConv := map[conversation.ConversationID]map[string]bool{}
		for _, x := range delivered {
			if byConv[final[x]] == nil {
				byConv[final[x]] = map[string]bool{}
			}
			for _, u := range d10Routes[nodes[x].route].aud {
				byConv[final[x]][u] = true
			}
		}
		for c, want := range byConv {
			for _, u := range []string{"Own", "Adm", "A", "B", "O", "C", "M", "D"} {
				ok, err := a.Engine.CanSee(atCtx, a.As(u), c)
				if err != nil {
					t.Fatal(err)
				}
				if ok != want[u] {
					t.Fatalf("CanSee(%s, %s) = %v, want %v (audiences %v)", u, c, ok, want[u], want)
				}
			}
		}
	})
}
