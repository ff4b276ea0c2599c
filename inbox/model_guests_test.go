package inbox_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
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
//   - nothing a guest receives (Get: the conversation, its messages,
//     comments and events; List items; ConversationTasks; Task;
//     notifications) carries a label ID or name or a field of another
//     conversation, and no notification reaches a guest about a
//     conversation they hold no grant for;
//   - a guest reads exactly the subtasks of the conversations they hold a
//     live grant for (ConversationTasks, Task), never a standalone task,
//     and the Tasks views and label lists give them nothing;
//   - members see exactly the model's labels among those they may find,
//     and the model's tasks;
//   - a guest's comment changes no member's access;
//   - handles form one namespace (issue 10, point 4): a guest accepts
//     with a handle a member, team or other guest holds (in any case) only
//     to be refused with ErrConflict, keeping the token usable, "all" is
//     refused as reserved, and a member's "@handle" mentions exactly the
//     one holder of the handle (a guest only while present).
//
// Labels and tasks go through the engine: members apply and remove
// organization labels (an open one, a restricted one auto-shared with Ana,
// a restricted one only admins find) and the support account's email
// label, and create, edit, re-status and delete subtasks and standalone
// tasks; guests attempting any of it are refused (ErrGuestForbidden with a
// grant, ErrNotFound without), and assigning a task to a guest is
// ErrForbidden. Merges run Engine.Merge, refused while either side has
// guests, and carry labels and subtasks to the target.
func TestModelGuests(t *testing.T) {
	defer noRapidFailFile()()
	rapid.Check(t, func(t *rapid.T) {
		m := newGuestModel(t)
		t.Repeat(map[string]func(*rapid.T){
			"":            m.check,
			"deliver":     m.deliver,
			"deliver2":    m.deliver,
			"invite":      m.invite,
			"invite2":     m.invite,
			"invite3":     m.invite,
			"accept":      m.accept,
			"accept2":     m.accept,
			"remove":      m.remove,
			"revoke":      m.revoke,
			"comment":     m.comment,
			"applyLabel":  m.applyLabel,
			"applyLabel2": m.applyLabel,
			"removeLabel": m.removeLabel,
			"createTask":  m.createTask,
			"createTask2": m.createTask,
			"editTask":    m.editTask,
			"taskStatus":  m.taskStatus,
			"deleteTask":  m.deleteTask,
			"guestTasks":  m.guestTasks,
			"trash":       m.trash,
			"merge":       m.merge,
			"merge2":      m.merge,
			"recover":     m.recover,
			"guestTries":  m.guestTries,
			"settings":    m.settings,
			"tick":        m.tick,
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
	labels map[string]bool // model label keys
}

// gmTask is one modelled task.
type gmTask struct {
	id   conversation.TaskID
	conv *gmConv // nil for a standalone task
	// beta: a standalone task of Beta (Zed's).
	beta      bool
	title     string
	status    conversation.TaskStatus
	assignees []string // member names, sorted
	deleted   bool
}

type guestModel struct {
	t   *rapid.T
	ctx context.Context
	e   *inbox.Engine
	clk *inboxtest.Clock
	nt  *inboxtest.Notifier

	users   map[string]*conversation.User // Own, Ana, Zed (Beta)
	support conversation.AccountID
	team    conversation.TeamID // Support
	own     conversation.AccountID
	convs   []*gmConv
	recs    map[gmKey]*gmRecord
	ids     map[string]*conversation.User // guest identities by email
	tokens  []string                      // every token ever sent
	policy  conversation.GuestPolicy
	quota   conversation.GuestQuota
	seq     int

	labels    map[string]*mLabel // by key (model_labels_test.go's type)
	labelKeys []string
	// needles: every label's ID and name, which nothing a guest receives
	// may contain.
	labelIDs   map[[16]byte]string
	labelNames []string
	tasks      []*gmTask
	// handles is Acme's mention namespace: each folded handle to its
	// holder, a member's name, "team" for Support, or a guest's email.
	handles map[string]string
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
		users: map[string]*conversation.User{}, recs: map[gmKey]*gmRecord{}, ids: map[string]*conversation.User{},
		handles: map[string]string{"own": "Own", "ana": "Ana", "support": "team"}}
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
	m.team = team.ID
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
	m.setupLabels()
	return m
}

// setupLabels creates Acme's labels, as Own: Open (everyone finds it),
// Legal (restricted, auto-shared with Ana), Board (restricted: only the
// owner finds it) and Mail (an email label of support@, whose full access
// is its owner Own and Support's member Ana). The names are distinctive so
// that checkNoLabel can look for them anywhere.
func (m *guestModel) setupLabels() {
	m.labels, m.labelIDs = map[string]*mLabel{}, map[[16]byte]string{}
	for _, l := range []*mLabel{
		{key: "Open", everyone: true},
		{key: "Legal", auto: map[string]bool{"Ana": true}},
		{key: "Board"},
		{key: "Mail", email: true, everyone: true},
	} {
		name := "Lbl-" + l.key
		err := createModelLabel(m.ctx, m.e, inbox.AsUser(m.users["Own"].ID), l, name, m.support,
			func(u string) conversation.UserID { return m.users[u].ID })
		if err != nil {
			m.t.Fatalf("setup label %s: %v", l.key, err)
		}
		m.labels[l.key] = l
		m.labelKeys = append(m.labelKeys, l.key)
		m.labelIDs[l.id] = l.key
		m.labelNames = append(m.labelNames, name)
	}
}

// canSeeLabel is who may find a label: Acme's members only; the email
// label both (full access to support@), an open label both, a restricted
// one the owner and its auto-shared users.
func (m *guestModel) canSeeLabel(a string, l *mLabel) bool {
	switch {
	case a != "Own" && a != "Ana":
		return false
	case l.email || l.everyone:
		return true
	}
	return a == "Own" || l.auto[a]
}

// checkNoLabel fails if v, walked deeply, holds a label's ID (as any
// 16-byte array) or a string containing a label's name.
func (m *guestModel) checkNoLabel(t *rapid.T, what string, v any) {
	if where := m.labelIn(reflect.ValueOf(v), map[uintptr]bool{}); where != "" {
		t.Fatalf("%s carries a label: %s", what, where)
	}
}

var timeType = reflect.TypeFor[time.Time]()

func (m *guestModel) labelIn(v reflect.Value, seen map[uintptr]bool) string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return ""
		}
		seen[v.Pointer()] = true
		return m.labelIn(v.Elem(), seen)
	case reflect.Interface:
		if v.IsNil() {
			return ""
		}
		return m.labelIn(v.Elem(), seen)
	case reflect.Struct:
		if v.Type() == timeType {
			return ""
		}
		for i := range v.NumField() {
			if w := m.labelIn(v.Field(i), seen); w != "" {
				return v.Type().Field(i).Name + "." + w
			}
		}
	case reflect.Array:
		if v.Len() == 16 && v.Type().Elem().Kind() == reflect.Uint8 {
			var b [16]byte
			for i := range b {
				b[i] = byte(v.Index(i).Uint())
			}
			if k, ok := m.labelIDs[b]; ok {
				return "the ID of label " + k
			}
			return ""
		}
		fallthrough
	case reflect.Slice:
		for i := range v.Len() {
			if w := m.labelIn(v.Index(i), seen); w != "" {
				return fmt.Sprintf("[%d].%s", i, w)
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if w := m.labelIn(it.Key(), seen) + m.labelIn(it.Value(), seen); w != "" {
				return "[map]." + w
			}
		}
	case reflect.String:
		for _, n := range m.labelNames {
			if strings.Contains(v.String(), n) {
				return fmt.Sprintf("%q names label %s", v.String(), n)
			}
		}
	}
	return ""
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

// writeErr predicts the engine's answer to a write on c that guests may
// not make: ErrNotFound for an actor who cannot see c, then
// ErrGuestForbidden for a guest.
func (m *guestModel) writeErr(actor string, c *gmConv) error {
	switch {
	case !m.sees(actor, c):
		return inbox.ErrNotFound
	case m.isGuest(actor):
		return inbox.ErrGuestForbidden
	}
	return nil
}

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
			if !n.Task.IsZero() {
				m.t.Fatalf("guest %s notified (%s) about task %v", email, n.Reason, n.Task)
			}
			m.checkNoLabel(m.t, "a guest's notification", n)
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
	c := &gmConv{n: len(m.convs), id: d.Conversations[0], support: support, labels: map[string]bool{}}
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
		if key.email == "zed@beta.test" {
			acc.Link = m.users["Zed"].ID
		}
		if m.ids[key.email] == nil { // else the identity exists: no handle
			acc.Handle = m.drawHandle(t, key.email)
		}
	}
	holder, taken := m.handles[strings.ToLower(acc.Handle)]
	switch {
	case strings.EqualFold(acc.Handle, "all"):
		want = inbox.ErrInvalidArgument // checked before the token
	case want == nil && taken && acc.Handle != "":
		want = inbox.ErrConflict
	}
	res, err := m.e.AcceptInvitation(m.ctx, tok, acc)
	m.takeNotes()
	if !m.expect(fmt.Sprintf("accept %v as @%s (held by %q)", key, acc.Handle, holder), want, err) {
		// A refused handle leaves the invitation pending with the same
		// token: a later accept draws it again and must succeed.
		return
	}
	if acc.Handle != "" {
		m.handles[strings.ToLower(acc.Handle)] = key.email
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

// drawHandle draws the handle a new guest email accepts with: mostly the
// address's local part, sometimes a member's, the team's, another
// guest's (in another case) or the reserved "all".
func (m *guestModel) drawHandle(t *rapid.T, email string) string {
	pool := []string{handleOf(email), handleOf(email), "Support", "ANA", "own", "all", "All"}
	for _, e := range gmEmails {
		pool = append(pool, strings.ToUpper(handleOf(e)))
	}
	return rapid.SampledFrom(pool).Draw(t, "handle")
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
		m.checkMentioned(t, actor, c, id, h)
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

// checkMentioned checks that a member's comment id on c mentioning @h
// mentions the one holder of h in the namespace: everyone for "all", the
// team, a member, or a guest present in c.
func (m *guestModel) checkMentioned(t *rapid.T, actor string, c *gmConv, id conversation.CommentID, h string) {
	var want []conversation.Mention
	holder := m.handles[strings.ToLower(h)]
	switch {
	case strings.EqualFold(h, "all"):
		want = []conversation.Mention{{All: true}}
	case holder == "team":
		want = []conversation.Mention{{Team: m.team}}
	case m.users[holder] != nil:
		want = []conversation.Mention{{User: m.users[holder].ID}}
	case holder != "" && m.live(holder, c):
		want = []conversation.Mention{{User: m.ids[holder].ID}}
	}
	v, err := m.e.Get(m.ctx, inbox.AsUser(m.actorID(actor)), c.id)
	if err != nil {
		t.Fatalf("%s cannot read c%d after commenting: %v", actor, c.n, err)
	}
	for _, cm := range v.Comments {
		if cm.ID == id && !reflect.DeepEqual(cm.Mentions, want) {
			t.Fatalf("%s's @%s on c%d mentions %+v, want %+v (holder %q)", actor, h, c.n, cm.Mentions, want, holder)
		}
	}
}

func (m *guestModel) applyLabel(t *rapid.T)  { m.changeLabel(t, true) }
func (m *guestModel) removeLabel(t *rapid.T) { m.changeLabel(t, false) }

// changeLabel applies or removes a label through the engine, by a random
// actor: guests are refused (ErrGuestForbidden with a grant, ErrNotFound
// without), a label the actor may not find is ErrNotFound, and the email
// label goes only on a conversation holding an email of support@.
func (m *guestModel) changeLabel(t *rapid.T, apply bool) {
	actor := m.drawActor(t)
	c := m.drawConv(t)
	l := m.labels[rapid.SampledFrom(m.labelKeys).Draw(t, "label")]
	want := m.writeErr(actor, c)
	switch {
	case want != nil:
	case !m.canSeeLabel(actor, l):
		want = inbox.ErrNotFound
	case apply && l.email && !c.labels[l.key] && !c.support:
		want = inbox.ErrInvalidArgument
	}
	as := inbox.AsUser(m.actorID(actor))
	op, err := "removes", error(nil)
	if apply {
		op, err = "applies", m.e.ApplyLabel(m.ctx, as, c.id, l.id)
	} else {
		err = m.e.RemoveLabel(m.ctx, as, c.id, l.id)
	}
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s %s label %s on c%d", actor, op, l.key, c.n), want, err) {
		if apply {
			c.labels[l.key] = true
		} else {
			delete(c.labels, l.key)
		}
	}
}

// drawAssignees draws task assignees among the members and, sometimes, a
// guest (whom no task may be assigned to).
func (m *guestModel) drawAssignees(t *rapid.T) (names []string, ids []conversation.UserID, guest bool) {
	names = rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"Own", "Ana"}), 0, 2, rapid.ID[string]).Draw(t, "assignees")
	slices.Sort(names)
	for _, n := range names {
		ids = append(ids, m.users[n].ID)
	}
	var gs []string
	for _, e := range gmEmails {
		if g := m.ids[e]; g != nil && g.Role == conversation.RoleGuest {
			gs = append(gs, e)
		}
	}
	if len(gs) > 0 && rapid.Float64Range(0, 1).Draw(t, "p guest") < 0.2 {
		ids = append(ids, m.ids[rapid.SampledFrom(gs).Draw(t, "guest assignee")].ID)
		guest = true
	}
	return names, ids, guest
}

// createTask creates a subtask of a random conversation or a standalone
// task, by a random actor, with random assignees.
func (m *guestModel) createTask(t *rapid.T) {
	actor := m.drawActor(t)
	var c *gmConv
	if rapid.Float64Range(0, 1).Draw(t, "p standalone") >= 0.2 {
		c = m.drawConv(t)
	}
	names, ids, guest := m.drawAssignees(t)
	if actor == "Zed" { // Acme's people are nobody in Beta
		names, ids, guest = nil, nil, false
	}
	var want error
	switch {
	case c != nil && !m.sees(actor, c):
		want = inbox.ErrNotFound
	case m.isGuest(actor):
		want = inbox.ErrGuestForbidden
	case guest:
		want = inbox.ErrForbidden
	}
	m.seq++
	tk := &gmTask{conv: c, beta: actor == "Zed" && c == nil, title: fmt.Sprintf("task %d", m.seq), status: conversation.ToDo, assignees: names}
	spec := inbox.TaskSpec{Title: tk.title, Description: "details", Assignees: ids}
	where := "standalone"
	if c != nil {
		spec.Conversation, where = c.id, fmt.Sprintf("in c%d", c.n)
	}
	got, err := m.e.CreateTask(m.ctx, inbox.AsUser(m.actorID(actor)), spec)
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s creates %s %s assigned %v (guest %v)", actor, tk.title, where, names, guest), want, err) {
		tk.id = got.ID
		m.tasks = append(m.tasks, tk)
	}
}

// taskErr predicts what loading task tk for a change gives actor:
// ErrNotFound for a task they cannot see (deleted, of another
// organization, a subtask of a conversation hidden from them, any
// standalone task for a guest), then ErrGuestForbidden for a guest.
func (m *guestModel) taskErr(actor string, tk *gmTask) error {
	switch {
	case tk.deleted:
		return inbox.ErrNotFound
	case tk.conv == nil && (tk.beta != (actor == "Zed") || m.isGuest(actor)):
		return inbox.ErrNotFound
	case tk.conv != nil:
		return m.writeErr(actor, tk.conv)
	}
	return nil
}

func (m *guestModel) drawTask(t *rapid.T) (string, *gmTask) {
	if len(m.tasks) == 0 {
		t.Skip("no task yet")
	}
	return m.drawActor(t), rapid.SampledFrom(m.tasks).Draw(t, "task")
}

// editTask changes a task's title and, sometimes, its assignees.
func (m *guestModel) editTask(t *rapid.T) {
	actor, tk := m.drawTask(t)
	m.seq++
	title := fmt.Sprintf("task %d", m.seq)
	p := inbox.TaskPatch{Title: &title}
	want := m.taskErr(actor, tk)
	var names []string
	reassign := actor != "Zed" && rapid.Bool().Draw(t, "reassign")
	if reassign {
		var ids []conversation.UserID
		var guest bool
		names, ids, guest = m.drawAssignees(t)
		p.Assignees = &ids
		if want == nil && guest {
			want = inbox.ErrForbidden
		}
	}
	err := m.e.UpdateTask(m.ctx, inbox.AsUser(m.actorID(actor)), tk.id, p)
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s edits %s (reassign %v: %v)", actor, tk.title, reassign, names), want, err) {
		tk.title = title
		if reassign {
			tk.assignees = names
		}
	}
}

func (m *guestModel) taskStatus(t *rapid.T) {
	actor, tk := m.drawTask(t)
	st := conversation.TaskStatus(rapid.IntRange(int(conversation.ToDo), int(conversation.TaskClosed)).Draw(t, "status"))
	err := m.e.SetTaskStatus(m.ctx, inbox.AsUser(m.actorID(actor)), tk.id, st)
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s sets %s to %s", actor, tk.title, st), m.taskErr(actor, tk), err) {
		tk.status = st
	}
}

func (m *guestModel) deleteTask(t *rapid.T) {
	actor, tk := m.drawTask(t)
	err := m.e.DeleteTask(m.ctx, inbox.AsUser(m.actorID(actor)), tk.id)
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s deletes %s", actor, tk.title), m.taskErr(actor, tk), err) {
		tk.deleted = true
	}
}

func (m *guestModel) trash(t *rapid.T) {
	actor := m.drawActor(t)
	c := m.drawConv(t)
	want := m.writeErr(actor, c)
	opts := inbox.TrashOptions{}
	fromTeam := actor == "Ana" && c.support && !c.teamGone
	if fromTeam {
		opts = inbox.TrashOptions{From: inbox.FromTeamInbox, Confirmed: true}
	}
	err := m.e.Trash(m.ctx, inbox.AsUser(m.actorID(actor)), c.id, opts)
	m.takeNotes()
	// Ana's trash of Own's personal conversation, which she sees through
	// a grant of her own, is hers alone (issue 10 point 5): nothing here
	// tracks it.
	forEveryone := fromTeam || actor == "Own" || c.support
	if m.expect(fmt.Sprintf("%s trashes c%d", actor, c.n), want, err) && !c.trashed && forEveryone {
		c.trashed = true
		c.teamGone = c.teamGone || fromTeam
		for k := range c.labels { // a trash for everyone takes the organization labels off
			if !m.labels[k].email {
				delete(c.labels, k)
			}
		}
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
	m.takeNotes()
	if m.expect(fmt.Sprintf("%s merges c%d into c%d", actor, src.n, c.n), want, err) {
		src.merged = true
		for k := range src.labels { // labels combined, subtasks moved (F3:7892)
			c.labels[k] = true
		}
		src.labels = map[string]bool{}
		for _, tk := range m.tasks {
			if tk.conv == src {
				tk.conv = c
			}
		}
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
	}
	names := make([]string, 0, len(ops))
	for k := range ops {
		names = append(names, k)
	}
	sort.Strings(names)
	name := rapid.SampledFrom(names).Draw(t, "op")
	var want error = inbox.ErrGuestForbidden
	if !m.live(g, c) {
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

// guestTasks makes a guest attempt a task change, mostly on a subtask of a
// conversation they hold a grant for (creating one first, as a member, if
// there is none: the random steps rarely get there):
// ErrGuestForbidden there, ErrNotFound for any other task, and nothing
// changes.
func (m *guestModel) guestTasks(t *rapid.T) {
	var live []gmKey
	for k, r := range m.recs {
		if r.live {
			live = append(live, k)
		}
	}
	if len(live) == 0 {
		return
	}
	slices.SortFunc(live, func(a, b gmKey) int { return cmp.Or(strings.Compare(a.email, b.email), cmp.Compare(a.conv, b.conv)) })
	k := rapid.SampledFrom(live).Draw(t, "grant")
	g, c := k.email, m.convs[k.conv]
	var mine []*gmTask
	for _, tk := range m.tasks {
		if tk.conv == c && !tk.deleted {
			mine = append(mine, tk)
		}
	}
	if len(mine) == 0 {
		for _, u := range []string{"Own", "Ana"} {
			if m.sees(u, c) {
				m.seq++
				tk := &gmTask{conv: c, title: fmt.Sprintf("task %d", m.seq), status: conversation.ToDo, assignees: []string{u}}
				got, err := m.e.CreateTask(m.ctx, inbox.AsUser(m.users[u].ID), inbox.TaskSpec{Conversation: c.id, Title: tk.title, Assignees: []conversation.UserID{m.users[u].ID}})
				m.takeNotes()
				m.expect(fmt.Sprintf("%s creates %s in c%d for the guest to try", u, tk.title, c.n), nil, err)
				tk.id = got.ID
				m.tasks = append(m.tasks, tk)
				mine = append(mine, tk)
				break
			}
		}
	}
	pool := m.tasks
	if len(mine) > 0 && rapid.Float64Range(0, 1).Draw(t, "p mine") < 0.8 {
		pool = mine
	}
	if len(pool) == 0 {
		return
	}
	tk := rapid.SampledFrom(pool).Draw(t, "task")
	as := inbox.AsUser(m.ids[g].ID)
	title := "guest's"
	ops := []func() error{
		func() error { return m.e.UpdateTask(m.ctx, as, tk.id, inbox.TaskPatch{Title: &title}) },
		func() error { return m.e.SetTaskStatus(m.ctx, as, tk.id, conversation.TaskClosed) },
		func() error { return m.e.DeleteTask(m.ctx, as, tk.id) },
		func() error {
			_, err := m.e.CreateTask(m.ctx, as, inbox.TaskSpec{Conversation: c.id, Title: title})
			return err
		},
	}
	i := rapid.IntRange(0, len(ops)-1).Draw(t, "op")
	want := m.taskErr(g, tk)
	if i == 3 { // a new subtask of the granted conversation
		want = inbox.ErrGuestForbidden
	}
	err := ops[i]()
	m.takeNotes()
	m.expect(fmt.Sprintf("guest %s tries task op %d on %s", g, i, tk.title), want, err)
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
			tasks, terr := m.e.ConversationTasks(m.ctx, as, c.id)
			if !want {
				if !errors.Is(err, inbox.ErrNotFound) {
					t.Fatalf("%s reads c%d without a grant: %v", email, c.n, err)
				}
				if !errors.Is(terr, inbox.ErrNotFound) {
					t.Fatalf("%s reads the tasks of c%d without a grant: %v", email, c.n, terr)
				}
				continue
			}
			if err != nil || terr != nil {
				t.Fatalf("%s cannot read granted c%d: %v, its tasks: %v", email, c.n, err, terr)
			}
			m.checkRedacted(t, email, c, v)
			m.checkNoLabel(t, fmt.Sprintf("%s's Get(c%d)", email, c.n), v)
			m.checkTasks(t, email, c, tasks)
			m.checkNoLabel(t, fmt.Sprintf("%s's ConversationTasks(c%d)", email, c.n), tasks)
			granted = append(granted, c.id)
		}
		m.checkGuestTasks(t, email, as)
		slices.SortFunc(granted, conversation.ConversationID.Compare)
		for _, k := range []conversation.MailboxKind{conversation.All, conversation.Inbox, conversation.Trash} {
			page, err := m.e.List(m.ctx, as, inbox.MailboxOf(k), inbox.ListOptions{Limit: inbox.MaxPageSize})
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			m.checkNoLabel(t, fmt.Sprintf("%s's %s listing", email, k), page)
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
	for _, u := range []string{"Own", "Ana"} {
		m.checkMember(t, u)
	}
}

// checkTasks checks that a ConversationTasks answer for c is exactly the
// model's live subtasks of c.
func (m *guestModel) checkTasks(t *rapid.T, who string, c *gmConv, got []*conversation.Task) {
	var want []string
	for _, tk := range m.tasks {
		if tk.conv == c && !tk.deleted {
			want = append(want, tk.title)
		}
	}
	var titles []string
	for _, g := range got {
		if g.Conversation != c.id {
			t.Fatalf("%s: ConversationTasks(c%d) holds a task of %v", who, c.n, g.Conversation)
		}
		m.checkTask(t, who, g)
		titles = append(titles, g.Title)
	}
	slices.Sort(want)
	slices.Sort(titles)
	if !slices.Equal(titles, want) {
		t.Fatalf("%s: ConversationTasks(c%d) = %v, model %v", who, c.n, titles, want)
	}
}

// checkTask checks a task the engine returned against the model's.
func (m *guestModel) checkTask(t *rapid.T, who string, g *conversation.Task) {
	i := slices.IndexFunc(m.tasks, func(tk *gmTask) bool { return tk.id == g.ID })
	if i < 0 {
		t.Fatalf("%s receives task %v the model does not know", who, g.ID)
	}
	tk := m.tasks[i]
	var ids []conversation.UserID
	for _, a := range tk.assignees {
		ids = append(ids, m.users[a].ID)
	}
	slices.SortFunc(ids, conversation.UserID.Compare)
	conv := conversation.ConversationID{}
	if tk.conv != nil {
		conv = tk.conv.id
	}
	if tk.deleted || g.Title != tk.title || g.Status != tk.status || !slices.Equal(g.Assignees, ids) || g.Conversation != conv {
		t.Fatalf("%s receives task %+v, model %+v", who, g, tk)
	}
}

// checkGuestTasks checks a guest's Task answers (exactly the live
// subtasks of their granted conversations, never a standalone task) and
// that the Tasks views and the label lists give them nothing.
func (m *guestModel) checkGuestTasks(t *rapid.T, email string, as inbox.Actor) {
	for _, tk := range m.tasks {
		g, err := m.e.Task(m.ctx, as, tk.id)
		if tk.deleted || tk.conv == nil || !m.live(email, tk.conv) {
			if !errors.Is(err, inbox.ErrNotFound) {
				t.Fatalf("%s reads %s (standalone %v) without a grant: %v", email, tk.title, tk.conv == nil, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s cannot read %s of granted c%d: %v", email, tk.title, tk.conv.n, err)
		}
		m.checkTask(t, email, g)
		m.checkNoLabel(t, email+"'s Task", g)
	}
	for _, q := range []inbox.TaskQuery{{View: inbox.MyTasks}, {View: inbox.OrgTasks}, {View: inbox.OrgTasks, Closed: true}, {View: inbox.TeamTasks, Team: m.team}} {
		page, err := m.e.Tasks(m.ctx, as, q)
		if err != nil || len(page.Tasks) > 0 || len(page.Conversations) > 0 || page.Next != "" {
			t.Fatalf("%s's Tasks view %d (closed %v) = %+v (%v), want nothing", email, q.View, q.Closed, page, err)
		}
	}
	infos, err := m.e.Labels(m.ctx, as)
	if err != nil || len(infos) > 0 {
		t.Fatalf("%s's Labels = %v (%v), want none", email, infos, err)
	}
	for _, k := range m.labelKeys {
		l := m.labels[k]
		if _, err := m.e.Label(m.ctx, as, l.id); !errors.Is(err, inbox.ErrNotFound) {
			t.Fatalf("%s finds label %s: %v", email, k, err)
		}
		if _, err := m.e.List(m.ctx, as, inbox.LabelMailbox(l.id), inbox.ListOptions{}); !errors.Is(err, inbox.ErrNotFound) {
			t.Fatalf("%s opens label %s's mailbox: %v", email, k, err)
		}
	}
}

// checkMember checks that member u sees, on every conversation they can
// see, exactly the model's labels they may find (and no timeline trace of
// the others), and reads exactly the model's tasks they may see.
func (m *guestModel) checkMember(t *rapid.T, u string) {
	as := inbox.AsUser(m.users[u].ID)
	hidden := map[conversation.LabelID]string{}
	var findable []string
	for _, k := range m.labelKeys {
		if l := m.labels[k]; !m.canSeeLabel(u, l) {
			hidden[l.id] = k
		} else {
			findable = append(findable, "Lbl-"+k)
		}
	}
	infos, err := m.e.Labels(m.ctx, as)
	if err != nil {
		t.Fatalf("Labels(%s): %v", u, err)
	}
	var found []string
	for _, info := range infos {
		found = append(found, info.Path)
	}
	slices.Sort(findable)
	if !slices.Equal(found, findable) {
		t.Fatalf("Labels(%s) = %v, model %v", u, found, findable)
	}
	for _, c := range m.convs {
		if c.merged || !m.sees(u, c) {
			continue
		}
		v, err := m.e.Get(m.ctx, as, c.id)
		if err != nil {
			t.Fatalf("%s cannot read c%d: %v", u, c.n, err)
		}
		var exp []conversation.LabelID
		for k := range c.labels {
			if l := m.labels[k]; m.canSeeLabel(u, l) {
				exp = append(exp, l.id)
			}
		}
		if err := shownLabelsErr(v, exp, hidden); err != nil {
			t.Fatalf("%s's Get(c%d): %v (model labels %v)", u, c.n, err, c.labels)
		}
		tasks, err := m.e.ConversationTasks(m.ctx, as, c.id)
		if err != nil {
			t.Fatalf("%s cannot read c%d's tasks: %v", u, c.n, err)
		}
		m.checkTasks(t, u, c, tasks)
	}
	for _, tk := range m.tasks {
		g, err := m.e.Task(m.ctx, as, tk.id)
		if m.taskErr(u, tk) != nil {
			if !errors.Is(err, inbox.ErrNotFound) {
				t.Fatalf("%s reads %s, which they cannot see: %v", u, tk.title, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s cannot read %s: %v", u, tk.title, err)
		}
		m.checkTask(t, u, g)
	}
}

// checkRedacted asserts that a guest's view of c holds no label and
// nothing of another conversation.
func (m *guestModel) checkRedacted(t *rapid.T, email string, c *gmConv, v *inbox.View) {
	cv := v.Conversation
	if cv.ID != c.id || len(cv.Labels) > 0 || len(cv.LabelUsers) > 0 || !cv.MergedInto.IsZero() || !cv.ContinuationOf.IsZero() || !cv.ContinuedIn.IsZero() || cv.Scope != "" {
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
		if ev.Conversation != c.id || len(ev.Related) > 0 || len(ev.Labels) > 0 {
			t.Fatalf("%s receives an event naming another conversation or a label: %+v", email, ev)
		}
		if !ev.Task.IsZero() && !slices.ContainsFunc(m.tasks, func(tk *gmTask) bool { return tk.id == ev.Task && tk.conv == c }) {
			t.Fatalf("%s receives an event about task %v, not one of c%d's", email, ev.Task, c.n)
		}
	}
}
