package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/guests"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// TestModelGuests runs random sequences of guest operations by random
// actors (the owner, a member, guests, a user of another organization)
// against the engine and a reference model of guest access records, and
// after every step checks that
//
//   - the quotas hold: at most 5 × seats guests (pooled) or 5 per inviter,
//     a guest counted once, at most 5 conversations per guest;
//   - the admin view lists exactly the model's records (who, where, who
//     invited, pending or live);
//   - every guest reads exactly the conversations they hold a live grant
//     for (CanSee, Get, the All and Inbox listings and their counts), and
//     nothing else;
//   - nothing a guest receives carries a label or a field of another
//     conversation, and no notification reaches a guest about a
//     conversation they hold no grant for;
//   - a guest's comment changes no member's access.
//
// Labels are applied and removed by Own through the engine (organization
// labels, which guests never see); merges run Engine.Merge, refused while
// either side has guests; guests also try to label a conversation and to
// create a task in it (the other task refusals: TestTLTG_05_133).
func TestModelGuests(t *testing.T) {
	defer noRapidFailFile()()
	rapid.Check(t, func(t *rapid.T) {
		m := newGuestModel(t)
		t.Repeat(map[string]func(*rapid.T){
			"":           m.check,
			"deliver":    m.deliver,
			"deliver2":   m.deliver,
			"invite":     m.invite,
			"invite2":    m.invite,
			"invite3":    m.invite,
			"accept":     m.accept,
			"accept2":    m.accept,
			"remove":     m.remove,
			"revoke":     m.revoke,
			"comment":    m.comment,
			"setLabels":  m.setLabels,
			"trash":      m.trash,
			"merge":      m.merge,
			"recover":    m.recover,
			"guestTries": m.guestTries,
			"settings":   m.settings,
			"tick":       m.tick,
		})
	})
}

// gmRecord is one modelled guest access record.
type gmRecord struct {
	inviter   string
	expires   time.Time
	live      bool
	token     string // current token while pending
	invitedAt time.Time
}

type gmKey struct {
	email string
	conv  int
}

type gmConv struct {
	n       int
	id      conversation.ConversationID
	support bool // in the Support team inbox (else Own's personal account)
	trashed bool
	// teamGone: trashed from the team inbox once, which clears the team
	// assignment (F3:8444).
	teamGone bool
	// merged: merged into another conversation, a tombstone no step
	// draws any more.
	merged bool
}

type guestModel struct {
	t   *rapid.T
	ctx context.Context
	e   *inbox.Engine
	clk *inboxtest.Clock
	nt  *inboxtest.Notifier

	users   map[string]*conversation.User // Own, Ana, Zed (Beta)
	support conversation.AccountID
	own     conversation.AccountID
	convs   []*gmConv
	recs    map[gmKey]*gmRecord
	ids     map[string]*conversation.User // guest identities by email
	tokens  []string                      // every token ever sent
	policy  conversation.GuestPolicy
	quota   conversation.GuestQuota
	seq     int
	labels  []conversation.LabelID // organization labels created by Own
}

// The invitee pool: more addresses than the pooled capacity (2 seats: 10
// guests), a member's address and the Beta user's.
var gmEmails = []string{"g0@ext.test", "g1@ext.test", "g2@ext.test", "g3@ext.test", "g4@ext.test", "g5@ext.test",
	"g6@ext.test", "g7@ext.test", "g8@ext.test", "g9@ext.test", "g10@ext.test", "ana@acme.test", "zed@beta.test"}

const (
	gmTTL      = time.Hour
	gmMaxConvs = 7
	gmSeats    = 2
)

func newGuestModel(t *rapid.T) *guestModel {
	ctx := context.Background()
	m := &guestModel{t: t, ctx: ctx, clk: &inboxtest.Clock{}, nt: &inboxtest.Notifier{},
		users: map[string]*conversation.User{}, recs: map[gmKey]*gmRecord{}, ids: map[string]*conversation.User{}}
	m.e = inbox.New(inbox.Config{Clock: m.clk, Notifier: m.nt, InvitationTTL: gmTTL})
	must := func(err error) {
		if err != nil {
			t.Fatalf("setup: %v", err)
		}
	}
	_, own, err := m.e.CreateOrg(ctx, inbox.OrgSpec{Name: "Acme", Owner: inbox.UserSpec{Name: "Own", Email: "own@acme.test", Handle: "own"}})
	must(err)
	m.users["Own"] = own
	ana, err := m.e.AddUser(ctx, inbox.AsUser(own.ID), inbox.UserSpec{Name: "Ana", Email: "ana@acme.test", Handle: "ana"})
	must(err)
	m.users["Ana"] = ana
	team, err := m.e.CreateTeam(ctx, inbox.AsUser(own.ID), inbox.TeamSpec{Name: "Support", Handle: "support",
		Members: []conversation.Membership{{User: ana.ID, Kind: conversation.Active}}})
	must(err)
	acct, err := m.e.ConnectAccount(ctx, inbox.AsUser(own.ID), inbox.AccountSpec{Address: "support@acme.test",
		Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: team.ID}})
	must(err)
	m.support = acct.ID
	acct, err = m.e.ConnectAccount(ctx, inbox.AsUser(own.ID), inbox.AccountSpec{Address: "own@acme.test"})
	must(err)
	m.own = acct.ID
	_, zed, err := m.e.CreateOrg(ctx, inbox.OrgSpec{Name: "Beta", Owner: inbox.UserSpec{Name: "Zed", Email: "zed@beta.test", Handle: "zed"}})
	must(err)
	m.users["Zed"] = zed
	for _, name := range []string{"L1", "L2", "L3"} {
		l, err := m.e.CreateLabel(ctx, inbox.AsUser(own.ID), inbox.LabelSpec{Kind: conversation.OrgLabel, Name: name})
		must(err)
		m.labels = append(m.labels, l.ID)
	}
	return m
}

// ---- helpers ----

func (m *guestModel) expect(desc string, want, err error) bool {
	m.t.Logf("%s -> %v", desc, err)
	if want == nil {
		if err != nil {
			m.t.Fatalf("%s: engine refused (%v), model expected success", desc, err)
		}
		return true
	}
	if err == nil {
		m.t.Fatalf("%s: engine succeeded, model expected %v", desc, want)
	}
	if errors.Is(want, inbox.ErrNotFound) && errors.Is(err, inbox.ErrForbidden) {
		m.t.Fatalf("%s: ErrForbidden leaks a conversation the actor cannot see: %v", desc, err)
	}
	if !errors.Is(err, want) {
		m.t.Fatalf("%s: engine error %v, model expected %v", desc, err, want)
	}
	return false
}

// actor is someone who acts: a member name or a guest's email.
func (m *guestModel) actorID(a string) conversation.UserID {
	if u := m.users[a]; u != nil {
		return u.ID
	}
	return m.ids[a].ID
}

func (m *guestModel) drawActor(t *rapid.T) string {
	names := []string{"Own", "Ana", "Zed"}
	for _, e := range gmEmails {
		if m.ids[e] != nil {
			names = append(names, e)
		}
	}
	return rapid.SampledFrom(names).Draw(t, "actor")
}

func (m *guestModel) drawConv(t *rapid.T) *gmConv {
	if len(m.convs) == 0 {
		m.deliver(t)
	}
	var live []*gmConv
	for _, c := range m.convs {
		if !c.merged {
			live = append(live, c)
		}
	}
	if len(live) == 0 {
		t.Skip("every conversation was merged")
	}
	return live[rapid.IntRange(0, len(live)-1).Draw(t, "conv")]
}

func (m *guestModel) isGuest(a string) bool { return m.ids[a] != nil }

// live reports whether guest email holds a live grant on c.
func (m *guestModel) live(email string, c *gmConv) bool {
	r := m.recs[gmKey{email, c.n}]
	return r != nil && r.live
}

// sees reports whether actor a can see c, asking the engine for members
// (their access is TestModelVisibility's business) and the model for
// guests.
func (m *guestModel) sees(a string, c *gmConv) bool {
	if m.isGuest(a) {
		return m.live(a, c)
	}
	ok, err := m.e.CanSee(m.ctx, inbox.AsUser(m.actorID(a)), c.id)
	if err != nil {
		m.t.Fatalf("CanSee: %v", err)
	}
	return ok
}

// purge drops expired pending records, as the engine does before
// counting an invitation.
func (m *guestModel) purge() {
	now := m.clk.Now()
	for k, r := range m.recs {
		if !r.live && !r.expires.After(now) {
			delete(m.recs, k)
		}
	}
}

func (m *guestModel) guestCount(inviter string) int {
	set := map[string]bool{}
	for k, r := range m.recs {
		if inviter == "" || r.inviter == inviter {
			set[k.email] = true
		}
	}
	return len(set)
}

func (m *guestModel) convCount(email string) int {
	n := 0
	for k := range m.recs {
		if k.email == email {
			n++
		}
	}
	return n
}

// takeNotes checks the notifications of the last operation: none reaches
// a guest about a conversation they hold no live grant on; it returns the
// invitations sent.
func (m *guestModel) takeNotes() []*inbox.Invitation {
	var invs []*inbox.Invitation
	for _, n := range m.nt.Take() {
		if n.Reason == inbox.GuestInvited {
			invs = append(invs, n.Invitation)
			continue
		}
		for email, g := range m.ids {
			if n.User != g.ID || g.Role != conversation.RoleGuest {
				continue
			}
			c := m.convByID(n.Conversation)
			if c == nil || !m.live(email, c) {
				m.t.Fatalf("guest %s notified (%s) about %v without a grant", email, n.Reason, n.Conversation)
			}
		}
	}
	return invs
}

func (m *guestModel) convByID(id conversation.ConversationID) *gmConv {
	for _, c := range m.convs {
		if c.id == id {
			return c
		}
	}
	return nil
}

// ---- operations ----

func (m *guestModel) deliver(t *rapid.T) {
	if len(m.convs) >= gmMaxConvs {
		return
	}
	support := rapid.Bool().Draw(t, "support")
	acct, addr := m.own, "own@acme.test"
	if support {
		acct, addr = m.support, "support@acme.test"
	}
	m.seq++
	d, err := m.e.Deliver(m.ctx, inbox.System, inbox.Incoming{Account: acct, Message: conversation.Message{
		From: conversation.Address{Address: "kim@example.com"}, To: []conversation.Address{{Address: addr}},
		Subject: fmt.Sprintf("conv %d", m.seq), HeaderID: fmt.Sprintf("m%d@example.com", m.seq),
		Attachments: []conversation.Attachment{{Name: "file.pdf"}}}})
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	c := &gmConv{n: len(m.convs), id: d.Conversations[0], support: support}
	m.convs = append(m.convs, c)
	t.Logf("deliver c%d support=%v", c.n, support)
	m.takeNotes()
}

func (m *guestModel) invite(t *rapid.T) {
	actor := m.drawActor(t)
	c := m.drawConv(t)
	email := rapid.SampledFrom(gmEmails).Draw(t, "email")
	var want error
	key := gmKey{email, c.n}
	old := m.recs[key]
	renew := false
	switch {
	case !m.sees(actor, c):
		want = inbox.ErrNotFound
	case m.isGuest(actor):
		want = inbox.ErrGuestForbidden
	case m.policy == conversation.GuestsDisabled:
		want = inbox.ErrInvitationsDisabled
	case m.policy == conversation.GuestsAdminsOnly && actor != "Own":
		want = inbox.ErrForbidden
	case c.trashed:
		want = inbox.ErrInvalidArgument
	case email == "ana@acme.test" || (m.ids[email] != nil && m.ids[email].Role != conversation.RoleGuest):
		want = inbox.ErrAlreadyMember
	case old != nil && old.live:
		want = inbox.ErrConflict
	default:
		renew = old != nil && old.expires.After(m.clk.Now())
		m.purge()
		inviter := actor
		if renew {
			inviter = old.inviter
		}
		if !renew {
			newGuest, inScope, limit := m.convCount(email) == 0, m.guestCount(""), guests.GuestsPerSeat*gmSeats
			if m.quota == conversation.QuotaPerInviter {
				newGuest, inScope, limit = true, m.guestCount(inviter), guests.GuestsPerSeat
				for k, r := range m.recs {
					if k.email == email && r.inviter == inviter {
						newGuest = false
					}
				}
			}
			switch {
			case newGuest && inScope >= limit:
				want = inbox.ErrGuestQuota
			case m.convCount(email) >= guests.ConversationsPerGuest:
				want = inbox.ErrGuestConversationQuota
			}
		}
	}
	res, err := m.e.InviteGuest(m.ctx, inbox.AsUser(m.actorID(actor)), c.id, email)
	invs := m.takeNotes()
	if !m.expect(fmt.Sprintf("%s invites %s to c%d", actor, email, c.n), want, err) {
		if len(invs) != 0 {
			t.Fatalf("a refused invitation notified")
		}
		return
	}
	if len(invs) != 1 || invs[0].Email != email || invs[0].Conversation != c.id {
		t.Fatalf("invitation notifications %+v", invs)
	}
	if res.Renewed != renew {
		t.Fatalf("renewed = %v, model %v", res.Renewed, renew)
	}
	r := &gmRecord{inviter: actor, invitedAt: m.clk.Now()}
	if renew {
		r.inviter, r.invitedAt = old.inviter, old.invitedAt
	}
	r.expires = m.clk.Now().Add(gmTTL)
	r.token = invs[0].Token
	m.recs[key] = r
	m.tokens = append(m.tokens, r.token)
}

func (m *guestModel) accept(t *rapid.T) {
	if len(m.tokens) == 0 {
		return
	}
	tok := rapid.SampledFrom(m.tokens).Draw(t, "token")
	var key gmKey
	var rec *gmRecord
	for k, r := range m.recs {
		if !r.live && r.token == tok {
			key, rec = k, r
		}
	}
	var want error = inbox.ErrInvalidToken
	if rec != nil && rec.expires.After(m.clk.Now()) {
		want = nil
	}
	acc := inbox.Acceptance{}
	if rec != nil {
		acc.Handle = handleOf(key.email)
		if key.email == "zed@beta.test" {
			acc.Link = m.users["Zed"].ID
		}
		if m.ids[key.email] != nil {
			acc.Handle = "" // the identity exists
		}
	}
	res, err := m.e.AcceptInvitation(m.ctx, tok, acc)
	m.takeNotes()
	if !m.expect(fmt.Sprintf("accept %v", key), want, err) {
		return
	}
	if res.Conversation != m.convs[key.conv].id {
		t.Fatalf("accepted into %v, want c%d", res.Conversation, key.conv)
	}
	if g := m.ids[key.email]; g != nil && g.ID != res.Guest.ID {
		t.Fatalf("a second identity for %s", key.email)
	}
	if key.email == "zed@beta.test" && res.Guest.Linked != m.users["Zed"].ID {
		t.Fatalf("Zed's guest identity is not linked to him")
	}
	m.ids[key.email] = res.Guest
	rec.live, rec.token = true, ""
}

func handleOf(email string) string {
	for i := range email {
		if email[i] == '@' {
			return email[:i]
		}
	}
	return email
}

func (m *guestModel) remove(t *rapid.T) {
	actor := m.drawActor(t)
	c := m.drawConv(t)
	email := rapid.SampledFrom(gmEmails).Draw(t, "email")
	rec := m.recs[gmKey{email, c.n}]
	var want error
	switch {
	case actor == "Zed":
		want = inbox.ErrNotFound
	case actor != "Own" && !m.sees(actor, c):
		want = inbox.ErrNotFound
	case rec == nil:
		want = inbox.ErrNotFound
	case m.isGuest(actor):
		want = inbox.ErrGuestForbidden
	case actor != "Own" && rec.inviter != actor:
		want = inbox.ErrForbidden
	}
	err := m.e.RemoveGuest(m.ctx, inbox.AsUser(m.actorID(actor)), c.id, email)
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s removes %s from c%d", actor, email, c.n), want, err) {
		delete(m.recs, gmKey{email, c.n})
	}
}

func (m *guestModel) revoke(t *rapid.T) {
	actor := m.drawActor(t)
	email := rapid.SampledFrom(gmEmails).Draw(t, "email")
	var want error
	switch {
	case m.isGuest(actor):
		want = inbox.ErrGuestForbidden
	case actor == "Zed": // Beta's owner: no such guest in Beta
		want = inbox.ErrNotFound
	case actor != "Own":
		want = inbox.ErrForbidden
	case m.convCount(email) == 0:
		want = inbox.ErrNotFound
	}
	err := m.e.RevokeGuest(m.ctx, inbox.AsUser(m.actorID(actor)), email)
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s revokes %s", actor, email), want, err) {
		for k := range m.recs {
			if k.email == email {
				delete(m.recs, k)
			}
		}
	}
}

func (m *guestModel) comment(t *rapid.T) {
	actor := m.drawActor(t)
	c := m.drawConv(t)
	handles := []string{"own", "ana", "all", "support", "zed"}
	for _, e := range gmEmails {
		handles = append(handles, handleOf(e))
	}
	h := rapid.SampledFrom(handles).Draw(t, "mention")
	var want error
	if !m.sees(actor, c) {
		want = inbox.ErrNotFound
	}
	before := map[string]bool{"Own": m.sees("Own", c), "Ana": m.sees("Ana", c)}
	id, err := m.e.Comment(m.ctx, inbox.AsUser(m.actorID(actor)), c.id, inbox.NewComment{Body: "hello @" + h,
		Attachments: []conversation.Attachment{{Name: "note.txt"}}})
	m.takeNotes()
	if !m.expect(fmt.Sprintf("%s comments @%s on c%d", actor, h, c.n), want, err) {
		return
	}
	if !m.isGuest(actor) {
		return
	}
	for u, saw := range before {
		if m.sees(u, c) != saw {
			t.Fatalf("a guest's @%s changed %s's access to c%d", h, u, c.n)
		}
	}
	v, err := m.e.Get(m.ctx, inbox.AsUser(m.users["Own"].ID), c.id)
	if err != nil {
		v, err = m.e.Get(m.ctx, inbox.AsUser(m.users["Ana"].ID), c.id)
	}
	if err != nil {
		t.Fatalf("no member sees c%d: %v", c.n, err)
	}
	for _, cm := range v.Comments {
		if cm.ID != id {
			continue
		}
		for _, mn := range cm.Mentions {
			if !mn.Team.IsZero() || mn.All {
				t.Fatalf("a guest's comment resolved a group mention: %+v", mn)
			}
		}
	}
}

func (m *guestModel) setLabels(t *rapid.T) {
	c := m.drawConv(t)
	n := rapid.IntRange(0, len(m.labels)).Draw(t, "labels")
	var want error
	if !m.sees("Own", c) {
		want = inbox.ErrNotFound
	}
	as := inbox.AsUser(m.users["Own"].ID)
	for i, l := range m.labels {
		var err error
		op := "applies"
		if i < n {
			err = m.e.ApplyLabel(m.ctx, as, c.id, l)
		} else {
			op = "removes"
			err = m.e.RemoveLabel(m.ctx, as, c.id, l)
		}
		m.takeNotes()
		m.expect(fmt.Sprintf("Own %s label %d on c%d", op, i+1, c.n), want, err)
	}
}

func (m *guestModel) trash(t *rapid.T) {
	actor := m.drawActor(t)
	c := m.drawConv(t)
	var want error
	switch {
	case !m.sees(actor, c):
		want = inbox.ErrNotFound
	case m.isGuest(actor):
		want = inbox.ErrGuestForbidden
	}
	opts := inbox.TrashOptions{}
	fromTeam := actor == "Ana" && c.support && !c.teamGone
	if fromTeam {
		opts = inbox.TrashOptions{From: inbox.FromTeamInbox, Confirmed: true}
	}
	err := m.e.Trash(m.ctx, inbox.AsUser(m.actorID(actor)), c.id, opts)
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s trashes c%d", actor, c.n), want, err) && !c.trashed {
		c.trashed = true
		c.teamGone = c.teamGone || fromTeam
		for k := range m.recs {
			if k.conv == c.n {
				delete(m.recs, k)
			}
		}
	}
}

// merge merges another conversation s into c through the engine: refused
// to guests, invisible to an actor who cannot see both, and refused while
// either has guests, live or invited (F3:7927). A merge that succeeds
// turns s into a tombstone, which no later step draws. s is drawn among the
// conversations in the same place as c (team inbox or not, trashed or
// not), so c's place after the merge is the model's.
func (m *guestModel) merge(t *rapid.T) {
	actor := m.drawActor(t)
	c := m.drawConv(t)
	var same []*gmConv
	for _, x := range m.convs {
		if x != c && !x.merged && x.support == c.support && x.trashed == c.trashed && x.teamGone == c.teamGone {
			same = append(same, x)
		}
	}
	if len(same) == 0 {
		return
	}
	src := same[rapid.IntRange(0, len(same)-1).Draw(t, "source")]
	var want error
	hasGuests := false
	for k := range m.recs {
		hasGuests = hasGuests || k.conv == c.n || k.conv == src.n
	}
	switch {
	case m.isGuest(actor):
		want = inbox.ErrMergeNotAllowed
	case !m.sees(actor, c) || !m.sees(actor, src):
		want = inbox.ErrNotFound
	case hasGuests:
		want = inbox.ErrMergeWithGuests
	}
	err := m.e.Merge(m.ctx, inbox.AsUser(m.actorID(actor)), c.id, []conversation.ConversationID{src.id}, inbox.MergeOptions{})
	if m.expect(fmt.Sprintf("%s merges c%d into c%d", actor, src.n, c.n), want, err) {
		src.merged = true
	}
}

func (m *guestModel) recover(t *rapid.T) {
	actor := rapid.SampledFrom([]string{"Own", "Ana"}).Draw(t, "actor")
	c := m.drawConv(t)
	if !c.trashed || !m.sees(actor, c) {
		return
	}
	err := m.e.Recover(m.ctx, inbox.AsUser(m.actorID(actor)), c.id)
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s recovers c%d", actor, c.n), nil, err) {
		c.trashed = false
	}
}

// guestTries makes a guest attempt what guests may not do.
func (m *guestModel) guestTries(t *rapid.T) {
	var guestsList []string
	for e, g := range m.ids {
		if g.Role == conversation.RoleGuest {
			guestsList = append(guestsList, e)
		}
	}
	if len(guestsList) == 0 {
		return
	}
	sort.Strings(guestsList)
	g := rapid.SampledFrom(guestsList).Draw(t, "guest")
	c := m.drawConv(t)
	as := inbox.AsUser(m.ids[g].ID)
	ops := map[string]func() error{
		"subject": func() error { return m.e.SetSubject(m.ctx, as, c.id, "mine") },
		"close":   func() error { return m.e.Close(m.ctx, as, c.id) },
		"assign":  func() error { return m.e.Assign(m.ctx, as, c.id, []conversation.UserID{m.ids[g].ID}, inbox.Add) },
		"reply": func() error {
			_, err := m.e.RecordReply(m.ctx, as, c.id, inbox.Reply{Message: conversation.Message{
				To: []conversation.Address{{Address: "kim@example.com"}}, Text: "x", HeaderID: "r@ext"}})
			return err
		},
		"add people": func() error {
			return m.e.AddPeople(m.ctx, as, c.id, inbox.People{Users: []conversation.UserID{m.users["Own"].ID}})
		},
		"label": func() error { return m.e.ApplyLabel(m.ctx, as, c.id, m.labels[0]) },
		"task": func() error {
			_, err := m.e.CreateTask(m.ctx, as, inbox.TaskSpec{Conversation: c.id, Title: "mine"})
			return err
		},
	}
	names := make([]string, 0, len(ops))
	for k := range ops {
		names = append(names, k)
	}
	sort.Strings(names)
	name := rapid.SampledFrom(names).Draw(t, "op")
	var want error = inbox.ErrGuestForbidden
	// CreateTask refuses a guest before looking at the conversation (the
	// answer tells nothing about it).
	if !m.live(g, c) && name != "task" {
		want = inbox.ErrNotFound
	}
	err := ops[name]()
	m.takeNotes()
	m.expect(fmt.Sprintf("guest %s tries %s on c%d", g, name, c.n), want, err)
	// Being assigned is refused whoever asks.
	err = m.e.Assign(m.ctx, inbox.AsUser(m.users["Own"].ID), c.id, []conversation.UserID{m.ids[g].ID}, inbox.Add)
	m.takeNotes()
	if err == nil {
		t.Fatalf("a guest was assigned")
	}
}

func (m *guestModel) settings(t *rapid.T) {
	actor := rapid.SampledFrom([]string{"Own", "Ana"}).Draw(t, "actor")
	p := conversation.GuestPolicy(rapid.IntRange(0, 2).Draw(t, "policy"))
	q := conversation.GuestQuota(rapid.IntRange(0, 1).Draw(t, "quota"))
	var want error
	if actor != "Own" {
		want = inbox.ErrForbidden
	}
	err := m.e.SetGuestSettings(m.ctx, inbox.AsUser(m.actorID(actor)), p, q)
	if m.expect(fmt.Sprintf("%s sets %s/%s", actor, p, q), want, err) {
		m.policy, m.quota = p, q
	}
}

func (m *guestModel) tick(t *rapid.T) {
	d := time.Duration(rapid.IntRange(1, 40).Draw(t, "minutes")) * time.Minute
	m.clk.Advance(d)
}

// ---- the invariants ----

func (m *guestModel) check(t *rapid.T) {
	own := inbox.AsUser(m.users["Own"].ID)
	// Quotas, from the store's counters.
	usage, err := m.e.GuestUsage(m.ctx, own)
	if err != nil {
		t.Fatalf("usage: %v", err)
	}
	if usage.Seats != gmSeats || usage.Guests > guests.GuestsPerSeat*gmSeats {
		t.Fatalf("usage %+v exceeds the quota", usage)
	}
	if usage.Guests != m.guestCount("") {
		t.Fatalf("usage counts %d guests, model %d", usage.Guests, m.guestCount(""))
	}
	// The admin view is the model's records.
	list, err := m.e.Guests(m.ctx, own)
	if err != nil {
		t.Fatalf("guests: %v", err)
	}
	seen := 0
	perInviter := map[string]map[string]bool{}
	for _, gi := range list {
		if len(gi.Conversations) > guests.ConversationsPerGuest {
			t.Fatalf("%s is in %d conversations", gi.Email, len(gi.Conversations))
		}
		for _, gc := range gi.Conversations {
			c := m.convByID(gc.Conversation)
			r := m.recs[gmKey{gi.Email, c.n}]
			if r == nil || r.live == gc.Pending || m.actorID(r.inviter) != gc.InvitedBy {
				t.Fatalf("admin view has %s on c%d (pending %v), model %+v", gi.Email, c.n, gc.Pending, r)
			}
			if perInviter[r.inviter] == nil {
				perInviter[r.inviter] = map[string]bool{}
			}
			perInviter[r.inviter][gi.Email] = true
			seen++
		}
	}
	if seen != len(m.recs) {
		t.Fatalf("admin view lists %d records, model %d", seen, len(m.recs))
	}
	// Every guest reads exactly their live grants, redacted.
	for email, g := range m.ids {
		if g.Role != conversation.RoleGuest {
			continue
		}
		as := inbox.AsUser(g.ID)
		var granted []conversation.ConversationID
		for _, c := range m.convs {
			want := m.live(email, c)
			ok, err := m.e.CanSee(m.ctx, as, c.id)
			if err != nil || ok != want {
				t.Fatalf("%s CanSee c%d = %v (%v), model %v", email, c.n, ok, err, want)
			}
			v, err := m.e.Get(m.ctx, as, c.id)
			if !want {
				if !errors.Is(err, inbox.ErrNotFound) {
					t.Fatalf("%s reads c%d without a grant: %v", email, c.n, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s cannot read granted c%d: %v", email, c.n, err)
			}
			m.checkRedacted(t, email, c, v)
			granted = append(granted, c.id)
		}
		slices.SortFunc(granted, conversation.ConversationID.Compare)
		for _, k := range []conversation.MailboxKind{conversation.All, conversation.Inbox, conversation.Trash} {
			page, err := m.e.List(m.ctx, as, inbox.MailboxOf(k), inbox.ListOptions{Limit: inbox.MaxPageSize})
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			var listed []conversation.ConversationID
			for _, s := range page.Items {
				listed = append(listed, s.ID)
			}
			slices.SortFunc(listed, conversation.ConversationID.Compare)
			n, err := m.e.Count(m.ctx, as, inbox.MailboxOf(k))
			if err != nil || n.Total != len(listed) {
				t.Fatalf("%s %s count %+v for %d listed (%v)", email, k, n, len(listed), err)
			}
			switch k {
			case conversation.All:
				if !slices.Equal(listed, granted) {
					t.Fatalf("%s All lists %v, grants %v", email, listed, granted)
				}
			default:
				for _, id := range listed {
					if !slices.Contains(granted, id) {
						t.Fatalf("%s %s lists %v without a grant", email, k, id)
					}
				}
			}
		}
	}
}

// checkRedacted asserts that a guest's view of c holds no label and
// nothing of another conversation.
func (m *guestModel) checkRedacted(t *rapid.T, email string, c *gmConv, v *inbox.View) {
	cv := v.Conversation
	if cv.ID != c.id || len(cv.Labels) > 0 || !cv.MergedInto.IsZero() || !cv.ContinuationOf.IsZero() || !cv.ContinuedIn.IsZero() || cv.Scope != "" {
		t.Fatalf("%s receives c%d unredacted: %+v", email, c.n, cv)
	}
	for _, msg := range v.Messages {
		if msg.Conversation != c.id || len(msg.Copies) > 0 {
			t.Fatalf("%s receives a message of another conversation or its copies", email)
		}
	}
	for _, cm := range v.Comments {
		if cm.Conversation != c.id {
			t.Fatalf("%s receives a comment of another conversation", email)
		}
	}
	for _, ev := range v.Events {
		if ev.Conversation != c.id || len(ev.Related) > 0 {
			t.Fatalf("%s receives an event naming another conversation", email)
		}
	}
}
