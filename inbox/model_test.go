package inbox_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// TestModelVisibility runs random sequences of operations, by random
// actors, against the engine and against a small reference model kept in
// this file, and after every step checks, for every actor, who can see
// what: CanSee and Get for every conversation, every mailbox listing and
// its counts, and the refusal of team mailboxes of other teams and of
// another organization.
//
// The model does not call conversation.CanAccess or conversation.Placements:
// access and mailbox membership are re-derived from the spec
// (teams-labels-tasks-guests.md §1.6-1.7 and §2.0-2.9, conversations.md
// §2). Where the spec leaves a fine point open (which flags an operation
// sets, in what order), the model mirrors the engine's documented choice.
//
// Where the spec says something the engine does not do, the model follows
// the spec; each such point has a name (the modelQuirk constants) and
// INBOXKIT_MODEL_QUIRKS=name,name (or "all") makes the model mirror the
// engine instead, so the rest of the model can still be exercised while
// a discrepancy is open.
//
// Actors: Acme's owner Own, admin Adm, Support members A and B (active)
// and O (observer), Sales member C (owner of the personal account c@ with
// D as delegated user), Production member M, and a second organization
// Beta with owner Zed and member Yan (whose handle, "a", is also A's, and
// whose team's handle, "support", is also Acme's Support's).
//
// Replies to a parent nobody has seen (deliverOrphan) follow the audience
// rule of issue 10: they join the conversation that already waits for
// the same unseen parent only when it is in the same threading scope and
// all its mail arrived the same way (the same routes, so the same
// audience); otherwise they start a new conversation, so the checks
// below see anyone who gains access across audiences.
func TestModelVisibility(t *testing.T) {
	defer noRapidFailFile()()
	rapid.Check(t, func(t *rapid.T) {
		m := newVisModel(t)
		t.Repeat(map[string]func(*rapid.T){
			"":              m.check,
			"deliverNew":    m.deliverNew,
			"deliverNew2":   m.deliverNew, // weight: conversations must exist early
			"deliverReply":  m.deliverReply,
			"deliverOrphan": m.deliverOrphan,
			"assign":        m.assign,
			"unassign":      m.unassign,
			"moveToTeam":    m.moveToTeam,
			"unassignTeam":  m.unassignTeam,
			"close":         m.close,
			"reopen":        m.reopen,
			"archive":       m.archive,
			"trash":         m.trash,
			"recover":       m.recover,
			"deleteForever": m.deleteForever,
			"snooze":        m.snooze,
			"discardSnooze": m.discardSnooze,
			"tick":          m.tick,
			"read":          m.read,
			"star":          m.star,
			"watch":         m.watch,
			"addPeople":     m.addPeople,
			"comment":       m.comment,
			"setMembership": m.setMembership,
			"markSpam":      m.markSpam,
			"applyLabel":    m.applyLabel,
			"removeLabel":   m.removeLabel,
			"labelSharing":  m.labelSharing,
			"split":         m.split,
		})
	})
}

// noRapidFailFile makes rapid not leave testdata/rapid fail files behind
// unless asked to (a failure prints the seed that reproduces it,
// -rapid.seed=N); the returned function restores the setting.
func noRapidFailFile() func() {
	explicit := os.Getenv("RAPID_NOFAILFILE") != "" || os.Getenv("RAPID_FAILFILE") != ""
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.nofailfile" || f.Name == "rapid.failfile" })
	if !explicit && flag.Lookup("rapid.nofailfile") != nil {
		if err := flag.Set("rapid.nofailfile", "true"); err == nil {
			return func() { _ = flag.Set("rapid.nofailfile", "false") }
		}
	}
	return func() {}
}

// maxModelConvs bounds the conversations of one run, deleted ones
// included, so every check stays cheap.
const maxModelConvs = 6

// Spec points where the engine was seen to disagree with the spec. By
// default the model follows the spec; naming a point in
// INBOXKIT_MODEL_QUIRKS makes it follow the engine.
const (
	// Trash from a team inbox moves the conversation "to trash for
	// everyone who has access"; "Everyone can still find it in their
	// trash mailbox" (F3:8441, F3:8484, F3:8561, F3:9606). Clearing the
	// team assignment must not take access away from the team's members.
	quirkTrashTeamAccess = "trash-team-access"
	// Assigning a user gives them access and "always shows the
	// conversation in [their] Inbox and Tasks view" (F3:8119, F3:9207,
	// F3:9510), also after they deleted it forever for themselves.
	quirkAssignRemoved = "assign-removed"
	// An @mention "always shows the conversation in the mentioned
	// person's Inbox" (F3:8117, F3:7323), also after they trashed it for
	// themselves (which only removed their own access, F3:8448,
	// F3:9619).
	quirkMentionTrashed = "mention-trashed"
	// Add people gives the added people access, "archived", or with
	// "Show in their inbox" in their Inbox (F3:8118): also to users who
	// had trashed it for themselves, which only removed their own access
	// (F3:8448, F3:9619), just as it lifts their "delete forever".
	quirkAddTrashed = "add-trashed"
	// An observer's trash outside a team inbox "only affects their own
	// access" (F3:9621; delegated users likewise, F3:8448, F3:9619):
	// also when they observe a team the conversation is shared with
	// rather than its current team.
	quirkObserverTrash = "observer-trash"
)

func modelQuirk(name string) bool {
	for _, q := range strings.Split(os.Getenv("INBOXKIT_MODEL_QUIRKS"), ",") {
		q = strings.TrimSpace(q)
		if q == name || q == "all" {
			return true
		}
	}
	return false
}

// ---- the reference model ----

type mUser struct {
	name   string
	id     conversation.UserID
	org    int
	admin  bool
	handle string
	// prefs
	removeOnClose bool
	archive       conversation.ArchiveAssigned
}

type mTeam struct {
	key     string
	handle  string
	id      conversation.TeamID
	org     int
	members map[string]conversation.MembershipKind
}

type mAcct struct {
	key       string
	id        conversation.AccountID
	org       int
	owner     string
	delegates []string
	// inboxes: the account is shared to these users' Inboxes.
	inboxes []string
}

// mRoute is where one recipient address of a delivery leads: an account
// and, for a team-inbox account, its team.
type mRoute struct {
	acct string
	team string
}

// mDelivery is one way mail arrives: the receiving account, the recipient
// addresses, and the routes they resolve to (as the spec's routing says:
// addresses of the organization only).
type mDelivery struct {
	acct   string
	to     []string
	routes []mRoute
}

func (d mDelivery) team() string {
	for _, r := range d.routes {
		if r.team != "" {
			return r.team
		}
	}
	return ""
}

type mSnooze struct {
	until   time.Time
	by      string
	leave   bool
	discard bool
}

// mState is one user's own state of one conversation.
type mState struct {
	inInbox  bool
	trashed  bool // trashed for this user only
	removed  bool // deleted forever for this user only
	starred  bool
	watching bool
	read     bool
	snooze   *mSnooze
}

// mConv is one conversation.
type mConv struct {
	n        int
	id       conversation.ConversationID
	org      int
	delivery string // how its first message arrived; replies arrive the same way
	headers  []string

	users    map[string]bool // explicit access
	teams    map[string]bool // teams it is shared with
	kept     map[string]bool // teams that keep access after a team-inbox trash (spec)
	accounts map[string]bool
	labels   map[string]bool // label keys (model_labels_test.go)

	// mentionTeams: teams an @mention shared it with while it was
	// private; their active members see it.
	mentionTeams map[string]bool

	team        string
	inTeamInbox bool
	assignees   map[string]bool
	closed      bool
	trashed     bool // for everyone
	spam        bool
	deleted     bool
	snoozeAll   *mSnooze
	// waits holds the unseen parent ids its replies named (deliverOrphan).
	waits map[string]bool
	// successor is the conversation a reply to this deleted conversation
	// started: the reply's parent id is remembered as referenced there, so
	// later replies to the same parent (arriving the same way, in the same
	// threading scope) join it.
	successor *mConv

	states map[string]*mState
}

func (c *mConv) String() string { return fmt.Sprintf("c%d", c.n) }

func (c *mConv) st(u string) *mState {
	s := c.states[u]
	if s == nil {
		s = &mState{}
		c.states[u] = s
	}
	return s
}

func (c *mConv) peek(u string) mState {
	if s := c.states[u]; s != nil {
		return *s
	}
	return mState{}
}

// accessTeams are the teams whose members (active or observer) see c.
func (c *mConv) accessTeams() []string {
	set := map[string]bool{}
	if c.team != "" {
		set[c.team] = true
	}
	for t := range c.teams {
		set[t] = true
	}
	for t := range c.kept {
		set[t] = true
	}
	return slices.Sorted(maps.Keys(set))
}

type visModel struct {
	t   *rapid.T
	ctx context.Context
	a   *inboxtest.Acme
	e   *inbox.Engine

	users      map[string]*mUser
	userNames  []string
	teams      map[string]*mTeam
	teamKeys   []string
	accts      map[string]*mAcct
	labels     map[string]*mLabel
	labelKeys  []string
	deliveries map[string]mDelivery
	delivKeys  []string
	handles    []string
	convs      []*mConv
	msgs       int
}

func newVisModel(t *rapid.T) *visModel {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	e := a.Engine
	m := &visModel{t: t, ctx: ctx, a: a, e: e,
		users: map[string]*mUser{}, teams: map[string]*mTeam{}, accts: map[string]*mAcct{}}
	must := func(err error) {
		if err != nil {
			t.Fatalf("setup: %v", err)
		}
	}

	// Acme, from the fixture.
	for _, n := range []string{"Own", "Adm", "A", "B", "O", "C", "M", "D"} {
		u := a.Users[n]
		m.users[n] = &mUser{name: n, id: u.ID, org: 1, admin: u.Role.IsAdmin(), handle: u.Handle}
	}
	for _, k := range []string{"Support", "Sales", "Production"} {
		tm := a.Teams[k]
		mt := &mTeam{key: k, handle: tm.Handle, id: tm.ID, org: 1, members: map[string]conversation.MembershipKind{}}
		for _, mb := range tm.Members {
			mt.members[m.nameOf(mb.User)] = mb.Kind
		}
		m.teams[k] = mt
	}
	for _, k := range []string{"support", "sales", "production", "c"} {
		ac := a.Accounts[k]
		ma := &mAcct{key: k, id: ac.ID, org: 1, owner: m.nameOf(ac.Owner)}
		for _, d := range ac.Delegates {
			ma.delegates = append(ma.delegates, m.nameOf(d))
		}
		m.accts[k] = ma
	}
	// Preferences that change what Close and Archive do.
	must(e.SetPrefs(ctx, a.As("B"), conversation.Prefs{RemoveWhenCoworkerCloses: true}))
	m.users["B"].removeOnClose = true
	must(e.SetPrefs(ctx, a.As("C"), conversation.Prefs{ArchiveAssigned: conversation.ArchiveAndClose}))
	m.users["C"].archive = conversation.ArchiveAndClose
	must(e.SetPrefs(ctx, a.As("M"), conversation.Prefs{ArchiveAssigned: conversation.ArchiveOnly}))
	m.users["M"].archive = conversation.ArchiveOnly

	// Beta, a second organization, made through the engine. Its member
	// Yan has A's handle and its team has Support's handle.
	_, zed, err := e.CreateOrg(ctx, inbox.OrgSpec{Name: "Beta", Owner: inbox.UserSpec{Name: "Zed", Email: "zed@beta.test", Handle: "zed"}})
	must(err)
	m.users["Zed"] = &mUser{name: "Zed", id: zed.ID, org: 2, admin: true, handle: "zed"}
	yan, err := e.AddUser(ctx, inbox.AsUser(zed.ID), inbox.UserSpec{Name: "Yan", Email: "yan@beta.test", Handle: "a"})
	must(err)
	m.users["Yan"] = &mUser{name: "Yan", id: yan.ID, org: 2, handle: "a"}
	bt, err := e.CreateTeam(ctx, inbox.AsUser(zed.ID), inbox.TeamSpec{Name: "Support", Handle: "support", Members: []conversation.Membership{
		{User: zed.ID, Kind: conversation.Active}, {User: yan.ID, Kind: conversation.Observer}}})
	must(err)
	m.teams["Beta"] = &mTeam{key: "Beta", handle: "support", id: bt.ID, org: 2,
		members: map[string]conversation.MembershipKind{"Zed": conversation.Active, "Yan": conversation.Observer}}
	help, err := e.ConnectAccount(ctx, inbox.AsUser(zed.ID), inbox.AccountSpec{Address: "help@beta.test",
		Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: bt.ID}})
	must(err)
	m.accts["help"] = &mAcct{key: "help", id: help.ID, org: 2, owner: "Zed"}
	// news@acme.test, Adm's, shared to the Inboxes of B and M (issue 10
	// point 5: their trash is their own).
	news, err := e.ConnectAccount(ctx, a.As("Adm"), inbox.AccountSpec{Address: "news@acme.test",
		Sharing: conversation.Sharing{Kind: conversation.SharedToInboxes, Users: map[conversation.UserID]conversation.InboxDelivery{
			a.Users["B"].ID: conversation.ToInbox, a.Users["M"].ID: conversation.ToInbox}}})
	must(err)
	m.accts["news"] = &mAcct{key: "news", id: news.ID, org: 1, owner: "Adm", inboxes: []string{"B", "M"}}
	// p@acme.test, M's personal account without delegates: conversations
	// private to M (issue 10 point 11: @team shares them with the team).
	p, err := e.ConnectAccount(ctx, a.As("M"), inbox.AccountSpec{Address: "p@acme.test"})
	must(err)
	m.accts["p"] = &mAcct{key: "p", id: p.ID, org: 1, owner: "M"}

	m.userNames = []string{"Own", "Adm", "A", "B", "O", "C", "M", "D", "Zed", "Yan"}
	m.teamKeys = []string{"Support", "Sales", "Production", "Beta"}
	m.deliveries = map[string]mDelivery{
		"support":   {acct: "support", to: []string{"support@acme.test"}, routes: []mRoute{{"support", "Support"}}},
		"sales":     {acct: "sales", to: []string{"sales@acme.test"}, routes: []mRoute{{"sales", "Sales"}}},
		"c":         {acct: "c", to: []string{"c@acme.test"}, routes: []mRoute{{"c", ""}}},
		"support+c": {acct: "support", to: []string{"support@acme.test", "c@acme.test"}, routes: []mRoute{{"support", "Support"}, {"c", ""}}},
		// Another organization's address routes nowhere in Acme.
		"support+beta": {acct: "support", to: []string{"support@acme.test", "help@beta.test"}, routes: []mRoute{{"support", "Support"}}},
		"beta":         {acct: "help", to: []string{"help@beta.test"}, routes: []mRoute{{"help", "Beta"}}},
		"news":         {acct: "news", to: []string{"news@acme.test"}, routes: []mRoute{{"news", ""}}},
		"p":            {acct: "p", to: []string{"p@acme.test"}, routes: []mRoute{{"p", ""}}},
	}
	m.delivKeys = []string{"support", "sales", "c", "support+c", "support+beta", "beta", "news", "p"}
	m.handles = []string{"a", "b", "o", "c", "d", "m", "own", "adm", "zed", "support", "sales", "all"}
	m.setupLabels()
	return m
}

func (m *visModel) nameOf(id conversation.UserID) string {
	for n, u := range m.users {
		if u.id == id {
			return n
		}
	}
	m.t.Fatalf("unknown user %s", id)
	return ""
}

// access re-derives who may see c (spec §1.6 Access, §1.2, §1.4, §2.6):
// nothing crosses organizations; a conversation deleted for everyone is
// gone; a user who deleted it forever for themselves lost their own
// access; otherwise explicit grants (account owner and delegates,
// mentioned, added, assigned) and membership, active or observer, of a
// team it belongs to or is shared with.
func (m *visModel) access(u string, c *mConv) bool {
	if c.deleted || m.users[u].org != c.org || c.peek(u).removed {
		return false
	}
	if c.users[u] || m.labelGrants(u, c) {
		return true
	}
	for _, t := range c.accessTeams() {
		if m.teams[t].members[u] != 0 {
			return true
		}
	}
	// A team an @mention shared a private conversation with: its active
	// members, today's and later ones (F3:7333, spec A-12; the fixture's
	// teams keep the default mention option).
	for t := range c.mentionTeams {
		if m.teams[t].members[u] == conversation.Active {
			return true
		}
	}
	return false
}

func (m *visModel) member(team, u string) conversation.MembershipKind {
	if team == "" {
		return 0
	}
	return m.teams[team].members[u]
}

// audience is everyone with access to c.
func (m *visModel) audience(c *mConv) []string {
	var out []string
	for _, u := range m.userNames {
		if m.access(u, c) {
			out = append(out, u)
		}
	}
	return out
}

// want is a mailbox's expected content for u: conversation -> unread.
type want map[conversation.ConversationID]bool

// expected re-derives mailbox membership (spec §1.7, conversations.md §2).
func (m *visModel) expected(u string, kind conversation.MailboxKind, team string) want {
	out := want{}
	for _, c := range m.convs {
		if !m.access(u, c) {
			continue
		}
		st := c.peek(u)
		inTrash := c.trashed || st.trashed
		inAll := !inTrash && !c.spam
		hidden := (st.snooze != nil && !st.snooze.leave) || (c.snoozeAll != nil && !c.snoozeAll.leave)
		teamInbox := inAll && c.inTeamInbox && !hidden && (!c.closed || m.closedTeamInboxListed())
		in := false
		switch kind {
		case conversation.Inbox:
			in = inAll && st.inInbox && !hidden
		case conversation.TeamInbox:
			in = teamInbox && c.team == team && m.member(team, u) != 0
		case conversation.TeamInboxes:
			in = teamInbox && m.member(c.team, u) == conversation.Active
		case conversation.AssignedToMe:
			in = inAll && c.assignees[u] && !c.closed
		case conversation.AssignedToOthers:
			in = inAll && c.team == team && m.member(team, u) != 0 && len(c.assignees) > 0 && !c.assignees[u] && !c.closed
		case conversation.Closed:
			in = inAll && c.closed
		case conversation.Snoozed:
			in = inAll && (st.snooze != nil || c.snoozeAll != nil)
		case conversation.Starred:
			in = inAll && st.starred
		case conversation.All:
			in = inAll
		case conversation.Trash:
			in = inTrash
		case conversation.Spam:
			in = !inTrash && c.spam
		}
		if in {
			out[c.id] = !st.read
		}
	}
	return out
}

// closedTeamInboxListed: the team inbox never lists closed conversations
// (conversations-detail.md §1.15); MoveToTeam reopens them.
func (m *visModel) closedTeamInboxListed() bool { return false }

// ---- checks ----

var modelSentinels = []error{inbox.ErrNotFound, inbox.ErrForbidden, inbox.ErrConflict, inbox.ErrInvalidArgument, inbox.ErrLimitReached}

func isModelSentinel(err error) bool {
	for _, s := range modelSentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func (m *visModel) convByID(id conversation.ConversationID) *mConv {
	for _, c := range m.convs {
		if c.id == id {
			return c
		}
	}
	return nil
}

var userBoxes = []conversation.MailboxKind{
	conversation.Inbox, conversation.TeamInboxes, conversation.AssignedToMe, conversation.Closed,
	conversation.Snoozed, conversation.Starred, conversation.All, conversation.Trash, conversation.Spam,
}

// check verifies, for every actor, CanSee/Get of every conversation and
// every mailbox, after every step.
func (m *visModel) check(t *rapid.T) {
	type seen struct {
		u string
		c *mConv
		v *inbox.View
	}
	var views []seen
	for _, un := range m.userNames {
		u := m.users[un]
		actor := inbox.AsUser(u.id)
		for _, c := range m.convs {
			exp := m.access(un, c)
			got, err := m.e.CanSee(m.ctx, actor, c.id)
			if err != nil {
				t.Fatalf("CanSee(%s, %s): %v", un, c, err)
			}
			if got != exp {
				t.Fatalf("CanSee(%s, %s) = %v, model says %v\n%s", un, c, got, exp, m.describe(c))
			}
			v, err := m.e.Get(m.ctx, actor, c.id)
			switch {
			case exp && err != nil:
				t.Fatalf("Get(%s, %s): %v, model says visible\n%s", un, c, err, m.describe(c))
			case !exp && !errors.Is(err, inbox.ErrNotFound):
				t.Fatalf("Get(%s, %s) = %v, want ErrNotFound (no access)\n%s", un, c, err, m.describe(c))
			case exp:
				views = append(views, seen{un, c, v})
			}
		}
		for _, k := range userBoxes {
			m.checkBox(t, un, inbox.MailboxOf(k), m.expected(un, k, ""))
		}
		for _, tk := range m.teamKeys {
			tm := m.teams[tk]
			for _, k := range []conversation.MailboxKind{conversation.TeamInbox, conversation.AssignedToOthers} {
				mb := inbox.TeamMailbox(k, tm.id)
				var wantErr error
				switch {
				case tm.org != u.org:
					wantErr = inbox.ErrNotFound
				case tm.members[un] == 0:
					wantErr = inbox.ErrForbidden
				}
				if wantErr == nil {
					m.checkBox(t, un, mb, m.expected(un, k, tk))
					continue
				}
				_, err := m.e.List(m.ctx, actor, mb, inbox.ListOptions{Limit: inbox.MaxPageSize})
				if !errors.Is(err, wantErr) {
					t.Fatalf("List(%s, %s of %s) error = %v, want %v", un, k, tk, err, wantErr)
				}
				_, err = m.e.Count(m.ctx, actor, mb)
				if !errors.Is(err, wantErr) {
					t.Fatalf("Count(%s, %s of %s) error = %v, want %v", un, k, tk, err, wantErr)
				}
			}
		}
	}
	// Last, so that a visibility failure is reported as such: the state
	// Get shows, against the model's mirror of the engine's choices.
	for _, s := range views {
		m.checkView(t, s.u, s.c, s.v)
		m.checkViewLabels(t, s.u, s.c, s.v)
		m.checkRefs(t, s.u, s.c, s.v)
	}
	m.checkLabels(t)
}

// checkView compares what Get shows a user who may see c with the model:
// the shared state every viewer sees and the viewer's own flags.
func (m *visModel) checkView(t *rapid.T, u string, c *mConv, v *inbox.View) {
	ec := v.Conversation
	if ec.ID != c.id {
		t.Fatalf("Get(%s, %s) returned conversation %s", u, c, ec.ID)
	}
	var assignees []string
	for _, a := range ec.Assignees {
		assignees = append(assignees, m.nameOf(a))
	}
	slices.Sort(assignees)
	team := ""
	if !ec.Team.IsZero() {
		for k, tm := range m.teams {
			if tm.id == ec.Team {
				team = k
			}
		}
	}
	mine := c.peek(u)
	if !slices.Equal(assignees, slices.Sorted(maps.Keys(c.assignees))) || ec.Closed != c.closed || ec.Trashed != c.trashed ||
		ec.Spam != c.spam || team != c.team || (ec.SnoozeForEveryone != nil) != (c.snoozeAll != nil) ||
		v.State.Starred != mine.starred || v.State.Watching != mine.watching {
		t.Fatalf("model drift: Get(%s, %s) shows assignees=%v closed=%v trashed=%v spam=%v team=%q snoozedForEveryone=%v starred=%v watching=%v\n%s",
			u, c, assignees, ec.Closed, ec.Trashed, ec.Spam, team, ec.SnoozeForEveryone != nil, v.State.Starred, v.State.Watching, m.describe(c))
	}
}

func (m *visModel) checkBox(t *rapid.T, u string, mb inbox.Mailbox, exp want) {
	actor := inbox.AsUser(m.users[u].id)
	page, err := m.e.List(m.ctx, actor, mb, inbox.ListOptions{Limit: inbox.MaxPageSize})
	if err != nil {
		t.Fatalf("List(%s, %s): %v", u, m.boxName(mb), err)
	}
	if page.Next != "" {
		t.Fatalf("List(%s, %s): a second page with %d conversations", u, m.boxName(mb), len(page.Items))
	}
	got := want{}
	unread := 0
	for i, s := range page.Items {
		c := m.convByID(s.ID)
		if c == nil {
			t.Fatalf("List(%s, %s) lists unknown conversation %s", u, m.boxName(mb), s.ID)
		}
		if !m.access(u, c) {
			t.Fatalf("List(%s, %s) lists %s, which %s cannot see\n%s", u, m.boxName(mb), c, u, m.describe(c))
		}
		if _, dup := got[s.ID]; dup {
			t.Fatalf("List(%s, %s) lists %s twice", u, m.boxName(mb), c)
		}
		if i > 0 && s.LastActivity.After(page.Items[i-1].LastActivity) {
			t.Fatalf("List(%s, %s) is not newest first", u, m.boxName(mb))
		}
		got[s.ID] = s.Unread
		if s.Unread {
			unread++
		}
	}
	if !maps.Equal(got, exp) {
		t.Fatalf("List(%s, %s) = %s, model says %s\n%s", u, m.boxName(mb), m.fmtWant(got), m.fmtWant(exp), m.describeAll())
	}
	n, err := m.e.Count(m.ctx, actor, mb)
	if err != nil {
		t.Fatalf("Count(%s, %s): %v", u, m.boxName(mb), err)
	}
	if n.Total != len(got) || n.Unread != unread {
		t.Fatalf("Count(%s, %s) = %+v, listing has %d (%d unread)", u, m.boxName(mb), n, len(got), unread)
	}
}

func (m *visModel) boxName(mb inbox.Mailbox) string {
	if !mb.Kind.PerTeam() {
		return mb.Kind.String()
	}
	for k, tm := range m.teams {
		if tm.id == mb.Team {
			return mb.Kind.String() + " " + k
		}
	}
	return mb.String()
}

func (m *visModel) fmtWant(w want) string {
	var parts []string
	for _, c := range m.convs {
		if unread, ok := w[c.id]; ok {
			s := c.String()
			if unread {
				s += "*"
			}
			parts = append(parts, s)
		}
	}
	return "[" + strings.Join(parts, " ") + "] (* unread)"
}

func (m *visModel) describe(c *mConv) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  model %s (org %d, via %s): team=%q inTeamInbox=%v teams=%v kept=%v users=%v assignees=%v closed=%v trashed=%v spam=%v deleted=%v snoozeAll=%v labels=%v\n",
		c, c.org, c.delivery, c.team, c.inTeamInbox, slices.Sorted(maps.Keys(c.teams)), slices.Sorted(maps.Keys(c.kept)),
		slices.Sorted(maps.Keys(c.users)), slices.Sorted(maps.Keys(c.assignees)), c.closed, c.trashed, c.spam, c.deleted, c.snoozeAll != nil,
		slices.Sorted(maps.Keys(c.labels)))
	for _, u := range m.userNames {
		if s, ok := c.states[u]; ok {
			fmt.Fprintf(&b, "    %s: access=%v inInbox=%v trashed=%v removed=%v watching=%v starred=%v read=%v snoozed=%v\n",
				u, m.access(u, c), s.inInbox, s.trashed, s.removed, s.watching, s.starred, s.read, s.snooze != nil)
		}
	}
	return b.String()
}

func (m *visModel) describeAll() string {
	var b strings.Builder
	for _, c := range m.convs {
		b.WriteString(m.describe(c))
	}
	for _, k := range m.teamKeys {
		fmt.Fprintf(&b, "  team %s: %v\n", k, m.teams[k].members)
	}
	return b.String()
}

// expect compares an operation's outcome with the model's prediction and
// reports whether the model should apply the operation. When the actor
// cannot see the conversation the only acceptable error is ErrNotFound.
func (m *visModel) expect(t *rapid.T, desc string, wantErr, err error) bool {
	t.Logf("%s -> %v", desc, err)
	if err != nil && !isModelSentinel(err) {
		t.Fatalf("%s: error %v wraps no inbox sentinel", desc, err)
	}
	if wantErr == nil {
		if err != nil {
			t.Fatalf("%s: engine refused (%v), model expected success", desc, err)
		}
		return true
	}
	if err == nil {
		t.Fatalf("%s: engine succeeded, model expected %v", desc, wantErr)
	}
	if errors.Is(wantErr, inbox.ErrNotFound) && errors.Is(err, inbox.ErrForbidden) {
		t.Fatalf("%s: ErrForbidden leaks a conversation the actor cannot see: %v", desc, err)
	}
	if !errors.Is(err, wantErr) {
		t.Fatalf("%s: engine error %v, model expected %v", desc, err, wantErr)
	}
	return false
}

// ---- draws ----

func (m *visModel) drawActor(t *rapid.T) string {
	return rapid.SampledFrom(m.userNames).Draw(t, "actor")
}

func (m *visModel) drawConv(t *rapid.T) *mConv {
	if len(m.convs) == 0 {
		t.Skip("no conversation yet")
	}
	return m.convs[rapid.IntRange(0, len(m.convs)-1).Draw(t, "conv")]
}

// drawOp draws a conversation and an actor, mostly one who can see it
// (operations by others all end in ErrNotFound).
func (m *visModel) drawOp(t *rapid.T) (string, *mConv) {
	return m.drawOpOn(t, nil)
}

// drawOpOn is drawOp preferring conversations for which prefer is true.
func (m *visModel) drawOpOn(t *rapid.T, prefer func(*mConv) bool) (string, *mConv) {
	var c *mConv
	if prefer != nil {
		cands := slices.DeleteFunc(slices.Clone(m.convs), func(c *mConv) bool { return !prefer(c) })
		if len(cands) > 0 && rapid.Float64Range(0, 1).Draw(t, "p") < 0.8 {
			c = rapid.SampledFrom(cands).Draw(t, "conv")
		}
	}
	if c == nil {
		c = m.drawConv(t)
	}
	if rapid.Float64Range(0, 1).Draw(t, "p") < 0.8 {
		if aud := m.audience(c); len(aud) > 0 {
			return rapid.SampledFrom(aud).Draw(t, "actor"), c
		}
	}
	return m.drawActor(t), c
}

func (m *visModel) drawUsers(t *rapid.T, label string, least int) []string {
	return rapid.SliceOfNDistinct(rapid.SampledFrom(m.userNames), least, 2, rapid.ID[string]).Draw(t, label)
}

// accessErr is the error any operation on c by u must fail with when u
// cannot see c.
// ownsOrDelegates reports whether u owns, or is a delegated user of, one
// of c's accounts (all the model's accounts are email accounts).
func (m *visModel) ownsOrDelegates(u string, c *mConv) bool {
	for k := range c.accounts {
		if ac := m.accts[k]; ac.owner == u || slices.Contains(ac.delegates, u) {
			return true
		}
	}
	return false
}

func (m *visModel) accessErr(u string, c *mConv) error {
	if !m.access(u, c) {
		return inbox.ErrNotFound
	}
	return nil
}

// ---- model operations (the engine's choices on fine points) ----

func (m *visModel) applyRoutes(c *mConv, d mDelivery) (inboxUsers []string) {
	for _, r := range d.routes {
		ac := m.accts[r.acct]
		c.accounts[r.acct] = true
		c.users[ac.owner] = true
		for _, dl := range ac.delegates {
			c.users[dl] = true
		}
		switch {
		case r.team != "":
			c.teams[r.team] = true
		case ac.inboxes != nil:
			// Shared to users' Inboxes: they get access and it in their
			// Inbox; the owner and delegates access only (F3:986-990).
			for _, u := range ac.inboxes {
				c.users[u] = true
			}
			inboxUsers = append(inboxUsers, ac.inboxes...)
		default:
			inboxUsers = append(inboxUsers, ac.owner)
			inboxUsers = append(inboxUsers, ac.delegates...)
		}
	}
	return inboxUsers
}

// newContent records a new message or comment: unread for everyone but
// its author.
func (m *visModel) newContent(c *mConv, author string) {
	for _, s := range c.states {
		s.read = false
	}
	if author != "" {
		c.st(author).read = true
	}
}

// reinboxWatchers brings the conversation back to the Inbox of every
// watcher but the actor (F3:7418).
func (m *visModel) reinboxWatchers(c *mConv, actor string) {
	for u, s := range c.states {
		if s.watching && u != actor && !s.removed && !s.trashed {
			s.inInbox = true
		}
	}
}

func (m *visModel) unassignModel(c *mConv, users ...string) {
	removed := false
	for _, u := range users {
		if c.assignees[u] {
			delete(c.assignees, u)
			removed = true
		}
	}
	if removed && len(c.assignees) == 0 && c.team != "" && !c.closed && !c.trashed {
		c.inTeamInbox = true
	}
}

func (m *visModel) assignModel(c *mConv, users []string, replace bool) {
	if replace {
		var gone []string
		for a := range c.assignees {
			if !slices.Contains(users, a) {
				gone = append(gone, a)
			}
		}
		m.unassignModel(c, gone...)
	}
	added := false
	for _, u := range users {
		if c.assignees[u] {
			continue
		}
		added = true
		c.assignees[u] = true
		c.users[u] = true
		s := c.st(u)
		s.inInbox, s.watching, s.trashed = true, true, false
		if !modelQuirk(quirkAssignRemoved) {
			s.removed = false
		}
	}
	if added {
		c.inTeamInbox = false
	}
}

func (m *visModel) closeModel(c *mConv, actor string) {
	if c.closed {
		return
	}
	c.closed = true
	c.inTeamInbox = false
	c.st(actor).inInbox = false
	for u, s := range c.states {
		if s.inInbox && !s.watching && u != actor && m.users[u].removeOnClose {
			s.inInbox = false
		}
	}
}

func (m *visModel) trashForEveryone(c *mConv, actor string, fromTeamInbox bool) {
	c.trashed = true
	c.inTeamInbox = false
	c.snoozeAll = nil
	if fromTeamInbox {
		if c.team != "" && !modelQuirk(quirkTrashTeamAccess) {
			c.kept[c.team] = true
		}
		c.team = ""
	}
	for _, s := range c.states {
		s.inInbox = false
		s.snooze = nil
	}
	m.unassignModel(c, actor)
	m.clearSharedLabels(c)
}

// trashesForSelf: outside a team inbox the owner of one of its accounts
// and an active member of its team (not being a member of it: of a team
// it is shared with) trash for everyone; a delegated user, an observer,
// and anyone who sees it through a grant of their own (a user receiving
// the account in their Inbox, a mentioned or added user) trash for
// themselves, unless it is private to them (F3:990, F3:8448,
// F3:9619-9621; conversations-detail OP-11, A-16; issue 10 point 5).
func (m *visModel) trashesForSelf(c *mConv, u string) bool {
	owner, delegate := false, false
	for k := range c.accounts {
		ac := m.accts[k]
		owner = owner || ac.owner == u
		delegate = delegate || slices.Contains(ac.delegates, u)
	}
	if owner {
		return false
	}
	if delegate {
		return true
	}
	if kind := m.member(c.team, u); kind != 0 || modelQuirk(quirkObserverTrash) {
		return kind == conversation.Observer
	}
	// Not a member of its current team: the teams it is shared with.
	observer := false
	for _, tk := range c.accessTeams() {
		switch m.member(tk, u) {
		case conversation.Observer:
			observer = true
		case conversation.Active:
			return false
		}
	}
	return observer || !m.privateTo(c, u)
}

// privateTo: nobody but u holds a grant on c and no team sees it.
func (m *visModel) privateTo(c *mConv, u string) bool {
	if len(c.accessTeams()) > 0 || len(c.mentionTeams) > 0 {
		return false
	}
	for _, x := range m.userNames {
		if x != u && (c.users[x] || m.labelGrants(x, c)) {
			return false
		}
	}
	return true
}

func (m *visModel) wake(c *mConv, remind bool) {
	by := c.snoozeAll.by
	c.snoozeAll = nil
	if len(c.assignees) == 0 && c.team != "" && !c.closed {
		c.inTeamInbox = true
	}
	parts := slices.Collect(maps.Keys(c.assignees))
	if remind {
		parts = append(parts, by)
		for u, s := range c.states {
			if s.inInbox || s.watching {
				parts = append(parts, u)
			}
		}
	}
	for _, u := range parts {
		if s := c.peek(u); s.trashed || s.removed {
			continue
		}
		c.st(u).inInbox = true
	}
}

// mention brings c to u's Inbox (F3:7323, F3:8117).
func (m *visModel) mention(c *mConv, actor, u string) {
	if u == actor {
		return
	}
	s := c.st(u)
	s.removed = false
	if s.trashed {
		if modelQuirk(quirkMentionTrashed) {
			return
		}
		s.trashed = false
	}
	s.inInbox = true
}

func (m *visModel) shared(c *mConv) bool {
	n := len(c.users)
	for _, u := range m.userNames {
		if m.labelGrants(u, c) {
			n++
		}
	}
	return n > 1 || len(c.teams) > 0 || len(c.kept) > 0 || len(c.mentionTeams) > 0 || c.team != ""
}

// ---- actions ----

func (m *visModel) deliverNew(t *rapid.T) {
	key := rapid.SampledFrom(m.delivKeys).Draw(t, "to")
	m.deliver(t, key, nil)
}

func (m *visModel) deliverReply(t *rapid.T) {
	var c *mConv
	closed := slices.DeleteFunc(slices.Clone(m.convs), func(c *mConv) bool { return !c.closed || c.deleted })
	if len(closed) > 0 && rapid.Bool().Draw(t, "toClosed") {
		c = rapid.SampledFrom(closed).Draw(t, "conv")
	} else {
		c = m.drawConv(t)
	}
	m.deliver(t, c.delivery, c)
}

// joins says which conversation a reply to parent, arriving by d, joins
// (nil: a new one): the engine's routing, which the spec leaves open
// beyond "replies join their thread".
func (m *visModel) joins(parent *mConv, d mDelivery) *mConv {
	if parent == nil {
		return nil
	}
	if parent.deleted {
		if s := parent.successor; s != nil && !s.deleted {
			return s
		}
		return nil
	}
	// A reply joins its parent's conversation even when that is trashed:
	// it is stored and does not un-trash it (conversations-detail A-18).
	team := d.team()
	if team != "" && (parent.team == team || parent.teams[team]) {
		return parent
	}
	for _, r := range d.routes {
		if parent.accounts[r.acct] {
			return parent
		}
	}
	return nil
}

// deliverOrphan delivers a reply to a parent nobody has seen.
func (m *visModel) deliverOrphan(t *rapid.T) {
	key := rapid.SampledFrom(m.delivKeys).Draw(t, "to")
	unseen := rapid.SampledFrom([]string{"unseen1@elsewhere.example", "unseen2@elsewhere.example"}).Draw(t, "unseen")
	m.deliverTo(t, key, nil, unseen)
}

// waiting says which conversation a reply to the unseen parent id,
// arriving by d, joins (nil: a new one): one that waits for the same id
// in the same threading scope (per team inbox in the fixture's
// duplicate-per-team mode, per account otherwise) whose mail all arrived
// by the same routes, so with the same audience (issue 10 point 1).
func (m *visModel) waiting(unseen string, d mDelivery) *mConv {
	scope := func(d mDelivery) string {
		if tm := d.team(); tm != "" {
			return "team:" + tm
		}
		return "account:" + d.acct
	}
	for _, c := range m.convs {
		if c.deleted || !c.waits[unseen] {
			continue
		}
		cd := m.deliveries[c.delivery]
		if scope(cd) == scope(d) && slices.Equal(cd.routes, d.routes) {
			return c
		}
	}
	return nil
}

func (m *visModel) deliver(t *rapid.T, key string, parent *mConv) {
	m.deliverTo(t, key, parent, "")
}

// deliverTo delivers a message by the delivery named key: a reply to
// parent when it is set, a reply to the unseen parent id when that is
// set, else a new message.
func (m *visModel) deliverTo(t *rapid.T, key string, parent *mConv, unseen string) {
	d := m.deliveries[key]
	if parent != nil && len(parent.headers) == 0 {
		t.Skip("a split-off conversation gets no replies in the model")
	}
	target := m.joins(parent, d)
	if unseen != "" {
		target = m.waiting(unseen, d)
	}
	if target == nil && len(m.convs) >= maxModelConvs {
		t.Skip("enough conversations")
	}
	m.msgs++
	hdr := fmt.Sprintf("model%d@example.com", m.msgs)
	msg := conversation.Message{From: conversation.Address{Name: "Customer", Address: "customer@example.com"},
		Subject: fmt.Sprintf("Message %d", m.msgs), Text: "Hello", HeaderID: hdr}
	for _, to := range d.to {
		msg.To = append(msg.To, conversation.Address{Address: to})
	}
	desc := fmt.Sprintf("Deliver(to %s)", key)
	if parent != nil {
		msg.InReplyTo = []string{parent.headers[len(parent.headers)-1]}
		desc = fmt.Sprintf("Deliver(reply to %s, to %s)", parent, key)
	}
	if unseen != "" {
		msg.InReplyTo, msg.References = []string{unseen}, []string{unseen}
		desc = fmt.Sprintf("Deliver(reply to unseen %s, to %s)", unseen, key)
	}
	res, err := m.e.Deliver(m.ctx, inbox.System, inbox.Incoming{Account: m.accts[d.acct].id, Message: msg})
	if !m.expect(t, desc, nil, err) {
		return
	}
	if len(res.Conversations) != 1 || res.Duplicate {
		t.Fatalf("%s: delivery %+v, want one conversation", desc, res)
	}
	id := res.Conversations[0]
	if target != nil {
		if id != target.id {
			t.Fatalf("%s: joined %s, model says it joins %s", desc, id, target)
		}
		m.inboundReply(target, d)
		target.headers = append(target.headers, hdr)
		return
	}
	if m.convByID(id) != nil {
		t.Fatalf("%s: joined %s, model says it starts a new conversation", desc, m.convByID(id))
	}
	c := &mConv{n: len(m.convs), id: id, org: m.accts[d.acct].org, delivery: key, headers: []string{hdr},
		users: map[string]bool{}, teams: map[string]bool{}, kept: map[string]bool{}, accounts: map[string]bool{},
		assignees: map[string]bool{}, states: map[string]*mState{}, labels: map[string]bool{}}
	if unseen != "" {
		c.waits = map[string]bool{unseen: true}
	}
	m.convs = append(m.convs, c)
	t.Logf("  new conversation %s", c)
	if parent != nil && parent.deleted {
		parent.successor = c
	}
	inboxUsers := m.applyRoutes(c, d)
	if tm := d.team(); tm != "" {
		c.team = tm
		c.inTeamInbox = true
	}
	for _, u := range inboxUsers {
		c.st(u).inInbox = true
	}
	m.newContent(c, "")
}

// inboundReply: the reply rules of F3:9373 and F3:9470-9473 (spec §2.3).
func (m *visModel) inboundReply(c *mConv, d mDelivery) {
	inboxUsers := m.applyRoutes(c, d)
	if tm := d.team(); tm != "" && c.team == "" {
		c.team = tm
		c.inTeamInbox = len(c.assignees) == 0
	}
	m.newContent(c, "")
	if c.snoozeAll != nil && c.snoozeAll.discard {
		c.snoozeAll = nil
	}
	for _, s := range c.states {
		if s.snooze != nil && s.snooze.discard {
			s.snooze = nil
		}
	}
	switch {
	case c.closed:
		c.closed = false
		for a := range c.assignees {
			c.st(a).inInbox = true
		}
		if len(c.assignees) == 0 && c.team != "" {
			c.inTeamInbox = true
		}
	case len(c.assignees) > 0:
		for a := range c.assignees {
			c.st(a).inInbox = true
		}
	case c.team != "":
		c.inTeamInbox = true
	}
	m.reinboxWatchers(c, "")
	for _, u := range inboxUsers {
		if s := c.peek(u); s.removed || s.trashed {
			continue
		}
		c.st(u).inInbox = true
	}
}

func (m *visModel) assign(t *rapid.T) {
	actor, c := m.drawOp(t)
	replace := rapid.Bool().Draw(t, "replace")
	least := 1
	if replace {
		least = 0
	}
	users := m.drawUsers(t, "users", least)
	mode := inbox.Add
	if replace {
		mode = inbox.Replace
	}
	ids := make([]conversation.UserID, len(users))
	wantErr := m.accessErr(actor, c)
	for i, u := range users {
		ids[i] = m.users[u].id
		if wantErr == nil && m.users[u].org != c.org {
			wantErr = inbox.ErrNotFound
		}
	}
	err := m.e.Assign(m.ctx, inbox.AsUser(m.users[actor].id), c.id, ids, mode)
	if m.expect(t, fmt.Sprintf("%s: Assign(%s, %v, replace=%v)", actor, c, users, replace), wantErr, err) {
		m.assignModel(c, users, replace)
	}
}

func (m *visModel) unassign(t *rapid.T) {
	actor, c := m.drawOp(t)
	users := m.drawUsers(t, "users", 1)
	ids := make([]conversation.UserID, len(users))
	for i, u := range users {
		ids[i] = m.users[u].id
	}
	err := m.e.Unassign(m.ctx, inbox.AsUser(m.users[actor].id), c.id, ids)
	if m.expect(t, fmt.Sprintf("%s: Unassign(%s, %v)", actor, c, users), m.accessErr(actor, c), err) {
		m.unassignModel(c, users...)
	}
}

func (m *visModel) moveToTeam(t *rapid.T) {
	actor, c := m.drawOp(t)
	tk := rapid.SampledFrom(m.teamKeys).Draw(t, "team")
	wantErr := m.accessErr(actor, c)
	if wantErr == nil && m.teams[tk].org != c.org {
		wantErr = inbox.ErrNotFound
	}
	err := m.e.MoveToTeam(m.ctx, inbox.AsUser(m.users[actor].id), c.id, m.teams[tk].id)
	if m.expect(t, fmt.Sprintf("%s: MoveToTeam(%s, %s)", actor, c, tk), wantErr, err) {
		c.team = tk
		c.inTeamInbox = true
		c.closed = false // moved into a team inbox, it is work to do again
	}
}

func (m *visModel) unassignTeam(t *rapid.T) {
	actor, c := m.drawOp(t)
	err := m.e.UnassignTeam(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	if m.expect(t, fmt.Sprintf("%s: UnassignTeam(%s)", actor, c), m.accessErr(actor, c), err) {
		c.team = ""
		c.inTeamInbox = false
	}
}

func (m *visModel) close(t *rapid.T) {
	actor, c := m.drawOp(t)
	err := m.e.Close(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	if m.expect(t, fmt.Sprintf("%s: Close(%s)", actor, c), m.accessErr(actor, c), err) {
		m.closeModel(c, actor)
	}
}

func (m *visModel) reopen(t *rapid.T) {
	actor, c := m.drawOpOn(t, func(c *mConv) bool { return c.closed })
	err := m.e.Reopen(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	if !m.expect(t, fmt.Sprintf("%s: Reopen(%s)", actor, c), m.accessErr(actor, c), err) || !c.closed {
		return
	}
	c.closed = false
	for a := range c.assignees {
		c.st(a).inInbox = true
	}
	if len(c.assignees) == 0 && c.team != "" {
		c.inTeamInbox = true
	}
}

func (m *visModel) archive(t *rapid.T) {
	actor, c := m.drawOp(t)
	fromTeam := rapid.Bool().Draw(t, "fromTeamInbox")
	opts := inbox.ArchiveOptions{}
	wantErr := m.accessErr(actor, c)
	closeToo := false
	desc := fmt.Sprintf("%s: Archive(%s, from team inbox)", actor, c)
	if wantErr == nil && (c.trashed || c.peek(actor).trashed) {
		// Archiving from Trash recovers it (F3:8536).
		err := m.e.Archive(m.ctx, inbox.AsUser(m.users[actor].id), c.id, opts)
		if m.expect(t, fmt.Sprintf("%s: Archive(%s) from Trash", actor, c), nil, err) {
			if c.peek(actor).trashed {
				c.st(actor).trashed = false
			} else {
				c.trashed = false
			}
		}
		return
	}
	if fromTeam {
		opts.From = inbox.FromTeamInbox
		if wantErr == nil && m.member(c.team, actor) == 0 {
			wantErr = inbox.ErrForbidden
		}
	} else {
		choice := rapid.SampledFrom([]string{"ask", "close", "just archive"}).Draw(t, "decision")
		desc = fmt.Sprintf("%s: Archive(%s, from Inbox, %s)", actor, c, choice)
		if choice != "ask" {
			v := choice == "close"
			opts.Close = &v
		}
		if wantErr == nil && c.assignees[actor] && !c.closed {
			switch {
			case opts.Close != nil:
				closeToo = *opts.Close
			case m.users[actor].archive == conversation.ArchiveAndClose:
				closeToo = true
			case m.users[actor].archive == conversation.ArchiveAsk:
				wantErr = inbox.ErrDecisionRequired
			}
		}
	}
	err := m.e.Archive(m.ctx, inbox.AsUser(m.users[actor].id), c.id, opts)
	if !m.expect(t, desc, wantErr, err) {
		return
	}
	if fromTeam {
		c.inTeamInbox = false
		return
	}
	if closeToo {
		m.closeModel(c, actor)
	}
	c.st(actor).inInbox = false
}

func (m *visModel) trash(t *rapid.T) {
	actor, c := m.drawOp(t)
	fromTeam := rapid.Bool().Draw(t, "fromTeamInbox")
	opts := inbox.TrashOptions{}
	desc := fmt.Sprintf("%s: Trash(%s, elsewhere)", actor, c)
	wantErr := m.accessErr(actor, c)
	if fromTeam {
		opts.From = inbox.FromTeamInbox
		opts.Confirmed = rapid.Float64Range(0, 1).Draw(t, "p") < 0.85
		desc = fmt.Sprintf("%s: Trash(%s, from team inbox, confirmed=%v)", actor, c, opts.Confirmed)
		if wantErr == nil && !c.trashed {
			switch {
			case m.member(c.team, actor) == 0:
				wantErr = inbox.ErrInvalidArgument // not in a team inbox of theirs
			case !opts.Confirmed:
				wantErr = inbox.ErrDecisionRequired
			}
		}
	}
	err := m.e.Trash(m.ctx, inbox.AsUser(m.users[actor].id), c.id, opts)
	if !m.expect(t, desc, wantErr, err) || c.trashed {
		return
	}
	if fromTeam {
		m.trashForEveryone(c, actor, true)
		return
	}
	if !m.trashesForSelf(c, actor) {
		m.trashForEveryone(c, actor, false)
		return
	}
	s := c.st(actor)
	if s.trashed {
		return
	}
	s.trashed, s.inInbox, s.snooze = true, false, nil
	m.unassignModel(c, actor)
}

func (m *visModel) inTrash(c *mConv) bool {
	if c.trashed {
		return true
	}
	for _, s := range c.states {
		if s.trashed {
			return true
		}
	}
	return false
}

func (m *visModel) recover(t *rapid.T) {
	actor, c := m.drawOpOn(t, m.inTrash)
	wantErr := m.accessErr(actor, c)
	if wantErr == nil && !c.peek(actor).trashed && !c.trashed {
		wantErr = inbox.ErrInvalidArgument
	}
	err := m.e.Recover(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	if !m.expect(t, fmt.Sprintf("%s: Recover(%s)", actor, c), wantErr, err) {
		return
	}
	if c.peek(actor).trashed {
		c.st(actor).trashed = false
	} else {
		c.trashed = false
	}
}

func (m *visModel) deleteForever(t *rapid.T) {
	actor, c := m.drawOpOn(t, m.inTrash)
	wantErr := m.accessErr(actor, c)
	if wantErr == nil && !c.peek(actor).trashed && !c.trashed {
		wantErr = inbox.ErrInvalidArgument
	}
	err := m.e.DeleteForever(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	if !m.expect(t, fmt.Sprintf("%s: DeleteForever(%s)", actor, c), wantErr, err) {
		return
	}
	for k := range c.accounts {
		if m.accts[k].owner == actor {
			c.deleted = true
			return
		}
	}
	s := c.st(actor)
	s.removed, s.inInbox = true, false
	delete(c.users, actor)
	m.unassignModel(c, actor)
}

func (m *visModel) snooze(t *rapid.T) {
	actor, c := m.drawOp(t)
	forEveryone := rapid.Bool().Draw(t, "forEveryone")
	leave := rapid.Float64Range(0, 1).Draw(t, "p") < 0.3
	discard := rapid.Bool().Draw(t, "discardOnReply")
	hours := rapid.SampledFrom([]int{1, 2, 5, 1, 2, 5, 0}).Draw(t, "hours")
	now := m.a.Clock.Now()
	until := now.Add(time.Duration(hours) * time.Hour)
	wantErr := m.accessErr(actor, c)
	if wantErr == nil {
		switch {
		case hours == 0, c.trashed:
			wantErr = inbox.ErrInvalidArgument
		case forEveryone && !m.shared(c):
			wantErr = inbox.ErrInvalidArgument
		}
	}
	err := m.e.Snooze(m.ctx, inbox.AsUser(m.users[actor].id), c.id,
		inbox.SnoozeOptions{Until: until, ForEveryone: forEveryone, LeaveInInbox: leave, DiscardOnReply: discard})
	desc := fmt.Sprintf("%s: Snooze(%s, %dh, forEveryone=%v, leaveInInbox=%v, discardOnReply=%v)", actor, c, hours, forEveryone, leave, discard)
	if !m.expect(t, desc, wantErr, err) {
		return
	}
	s := &mSnooze{until: until, by: actor, leave: leave, discard: discard}
	if forEveryone {
		c.snoozeAll = s
	} else {
		c.st(actor).snooze = s
	}
}

func (m *visModel) discardSnooze(t *rapid.T) {
	actor, c := m.drawOpOn(t, func(c *mConv) bool {
		if c.snoozeAll != nil {
			return true
		}
		for _, s := range c.states {
			if s.snooze != nil {
				return true
			}
		}
		return false
	})
	wantErr := m.accessErr(actor, c)
	own := c.peek(actor).snooze != nil
	if wantErr == nil && !own {
		switch {
		case c.snoozeAll == nil:
			wantErr = inbox.ErrInvalidArgument
		case c.snoozeAll.by != actor && !c.assignees[actor]:
			wantErr = inbox.ErrForbidden
		}
	}
	err := m.e.DiscardSnooze(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	if !m.expect(t, fmt.Sprintf("%s: DiscardSnooze(%s)", actor, c), wantErr, err) {
		return
	}
	if own {
		s := c.st(actor)
		s.snooze = nil
		s.inInbox = true
		return
	}
	m.wake(c, false)
}

func (m *visModel) tick(t *rapid.T) {
	d := rapid.SampledFrom([]time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour}).Draw(t, "advance")
	now := m.a.Clock.Advance(d)
	n, err := m.e.RunDue(m.ctx)
	m.expect(t, fmt.Sprintf("advance %s, RunDue", d), nil, err)
	woken := 0
	for _, c := range m.convs {
		if c.deleted {
			continue
		}
		if c.snoozeAll != nil && !c.snoozeAll.until.After(now) {
			woken++
			m.wake(c, true)
		}
		for _, s := range c.states {
			if s.snooze != nil && !s.snooze.until.After(now) {
				woken++
				s.snooze = nil
				if !s.trashed && !s.removed {
					s.inInbox = true
				}
			}
		}
	}
	if n != woken {
		t.Fatalf("RunDue woke %d snoozes, model says %d", n, woken)
	}
}

func (m *visModel) read(t *rapid.T) {
	actor, c := m.drawOp(t)
	read := rapid.Bool().Draw(t, "read")
	var err error
	if read {
		err = m.e.MarkRead(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	} else {
		err = m.e.MarkUnread(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	}
	if m.expect(t, fmt.Sprintf("%s: MarkRead(%s, %v)", actor, c, read), m.accessErr(actor, c), err) {
		c.st(actor).read = read
	}
}

func (m *visModel) star(t *rapid.T) {
	actor, c := m.drawOp(t)
	on := rapid.Bool().Draw(t, "on")
	err := m.e.Star(m.ctx, inbox.AsUser(m.users[actor].id), c.id, on)
	if m.expect(t, fmt.Sprintf("%s: Star(%s, %v)", actor, c, on), m.accessErr(actor, c), err) {
		c.st(actor).starred = on
	}
}

func (m *visModel) watch(t *rapid.T) {
	actor, c := m.drawOp(t)
	on := rapid.Bool().Draw(t, "on")
	wantErr := m.accessErr(actor, c)
	var err error
	if on {
		err = m.e.Watch(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	} else {
		if wantErr == nil && c.assignees[actor] {
			wantErr = inbox.ErrInvalidArgument // assignees always watch (F3:7446)
		}
		err = m.e.Unwatch(m.ctx, inbox.AsUser(m.users[actor].id), c.id)
	}
	if m.expect(t, fmt.Sprintf("%s: Watch(%s, %v)", actor, c, on), wantErr, err) {
		c.st(actor).watching = on
	}
}

func (m *visModel) addPeople(t *rapid.T) {
	actor, c := m.drawOp(t)
	users := m.drawUsers(t, "users", 0)
	minTeams := 0
	if len(users) == 0 {
		minTeams = 1
	}
	teams := rapid.SliceOfNDistinct(rapid.SampledFrom(m.teamKeys), minTeams, 1, rapid.ID[string]).Draw(t, "teams")
	show := rapid.Bool().Draw(t, "showInInbox")
	p := inbox.People{ShowInInbox: show}
	wantErr := m.accessErr(actor, c)
	for _, u := range users {
		p.Users = append(p.Users, m.users[u].id)
		if wantErr == nil && m.users[u].org != c.org {
			wantErr = inbox.ErrNotFound
		}
	}
	for _, tk := range teams {
		p.Teams = append(p.Teams, m.teams[tk].id)
		if wantErr == nil && m.teams[tk].org != c.org {
			wantErr = inbox.ErrNotFound
		}
	}
	err := m.e.AddPeople(m.ctx, inbox.AsUser(m.users[actor].id), c.id, p)
	if !m.expect(t, fmt.Sprintf("%s: AddPeople(%s, users=%v, teams=%v, showInInbox=%v)", actor, c, users, teams, show), wantErr, err) {
		return
	}
	reached := slices.Clone(users)
	for _, u := range users {
		c.users[u] = true
	}
	for _, tk := range teams {
		c.teams[tk] = true
		for u := range m.teams[tk].members {
			reached = append(reached, u)
		}
	}
	for _, u := range reached {
		s := c.st(u)
		s.removed = false // sharing again is an explicit grant
		if !modelQuirk(quirkAddTrashed) {
			s.trashed = false
		}
		if show && u != actor {
			s.inInbox = true
		}
	}
}

// resolve maps a mention handle to a user or team of org, or "all".
func (m *visModel) resolve(org int, h string) (user, team string, all bool) {
	if h == "all" {
		return "", "", true
	}
	for _, n := range m.userNames {
		if u := m.users[n]; u.org == org && u.handle == h {
			return n, "", false
		}
	}
	for _, k := range m.teamKeys {
		if tm := m.teams[k]; tm.org == org && tm.handle == h {
			return "", k, false
		}
	}
	return "", "", false
}

func (m *visModel) comment(t *rapid.T) {
	actor, c := m.drawOp(t)
	hs := rapid.SliceOfNDistinct(rapid.SampledFrom(m.handles), 0, 2, rapid.ID[string]).Draw(t, "mentions")
	body := "note"
	for _, h := range hs {
		body += " @" + h
	}
	_, err := m.e.Comment(m.ctx, inbox.AsUser(m.users[actor].id), c.id, inbox.NewComment{Body: body})
	if !m.expect(t, fmt.Sprintf("%s: Comment(%s, %q)", actor, c, body), m.accessErr(actor, c), err) {
		return
	}
	private := !m.shared(c)
	m.newContent(c, actor)
	c.st(actor).watching = true
	for _, h := range hs {
		user, team, all := m.resolve(c.org, h)
		switch {
		case user != "":
			c.users[user] = true
			m.mention(c, actor, user)
		case team != "":
			// The team's active members are mentioned (F3:9459-9461).
			// A private conversation is shared with the team as such
			// (F3:7333, issue 10 point 11); a shared one adds them.
			if private {
				if c.mentionTeams == nil {
					c.mentionTeams = map[string]bool{}
				}
				c.mentionTeams[team] = true
			}
			for _, u := range slices.Sorted(maps.Keys(m.teams[team].members)) {
				if m.teams[team].members[u] == conversation.Active {
					if !private {
						c.users[u] = true
					}
					m.mention(c, actor, u)
				}
			}
		case all:
			for _, u := range m.audience(c) {
				m.mention(c, actor, u)
			}
		}
	}
	m.reinboxWatchers(c, actor)
}

func (m *visModel) setMembership(t *rapid.T) {
	actor := m.drawActor(t)
	tk := rapid.SampledFrom(m.teamKeys).Draw(t, "team")
	u := rapid.SampledFrom(m.userNames).Draw(t, "user")
	kind := rapid.SampledFrom([]conversation.MembershipKind{0, conversation.Active, conversation.Observer}).Draw(t, "kind")
	tm := m.teams[tk]
	var wantErr error
	switch {
	case tm.org != m.users[actor].org:
		wantErr = inbox.ErrNotFound
	case !m.users[actor].admin:
		wantErr = inbox.ErrForbidden
	case kind != 0 && m.users[u].org != tm.org:
		wantErr = inbox.ErrNotFound
	}
	err := m.e.SetMembership(m.ctx, inbox.AsUser(m.users[actor].id), tm.id, m.users[u].id, kind)
	if !m.expect(t, fmt.Sprintf("%s: SetMembership(%s, %s, %s)", actor, tk, u, kind), wantErr, err) {
		return
	}
	if kind == 0 {
		delete(tm.members, u)
	} else {
		tm.members[u] = kind
	}
}

func (m *visModel) markSpam(t *rapid.T) {
	actor, c := m.drawOp(t)
	on := rapid.Float64Range(0, 1).Draw(t, "p") < 0.6
	want := m.accessErr(actor, c)
	if want == nil && on && !m.ownsOrDelegates(actor, c) {
		// Only the owner or a delegate of one of its accounts marks spam
		// (F3:3043, issue 10 point 10); anyone who sees it un-marks it.
		want = inbox.ErrForbidden
	}
	err := m.e.MarkSpam(m.ctx, inbox.AsUser(m.users[actor].id), c.id, on)
	if !m.expect(t, fmt.Sprintf("%s: MarkSpam(%s, %v)", actor, c, on), want, err) || c.spam == on {
		return
	}
	c.spam = on
	if on {
		c.inTeamInbox = false
	}
}
