package memory

import (
	"context"
	"strings"
	"time"

	"github.com/google/btree"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// guestKey is the key of one guest access record.
type guestKey struct {
	org   conversation.OrgID
	email string
	conv  conversation.ConversationID
}

// inviterKey counts the records one inviter asked for, per guest.
type inviterKey struct {
	org     conversation.OrgID
	inviter conversation.UserID
	email   string
}

// inviterScope is one inviter's guest count (QuotaPerInviter).
type inviterScope struct {
	org     conversation.OrgID
	inviter conversation.UserID
}

// expiryKey is one entry of the pending-invitation expiry index.
type expiryKey struct {
	at  time.Time
	key guestKey
}

func expiryLess(a, b expiryKey) bool {
	if c := a.at.Compare(b.at); c != 0 {
		return c < 0
	}
	if c := a.key.org.Compare(b.key.org); c != 0 {
		return c < 0
	}
	if a.key.email != b.key.email {
		return a.key.email < b.key.email
	}
	return a.key.conv.Compare(b.key.conv) < 0
}

func stringLess(a, b string) bool { return a < b }

// guestIndex holds guest access records and the indexes and counters of
// storage.GuestReadTx. Trees are created on demand; an empty one left
// behind by a rollback or a delete is harmless (counts are tree sizes).
type guestIndex struct {
	recs    map[guestKey]*conversation.GuestAccess
	byToken map[conversation.TokenHash]guestKey
	// byGuest holds each guest's conversations; its size is the guest's
	// conversation count.
	byGuest map[orgKey]*btree.BTreeG[conversation.ConversationID]
	byConv  map[conversation.ConversationID]*btree.BTreeG[string]
	// orgGuests holds the distinct guests of each organization; its size
	// is the pooled slot count.
	orgGuests map[conversation.OrgID]*btree.BTreeG[string]
	// inviterRefs counts records per inviter and guest; inviterGuests
	// counts the guests with a non-zero count, per inviter.
	inviterRefs   map[inviterKey]int
	inviterGuests map[inviterScope]int
	expiry        *btree.BTreeG[expiryKey]
	// seats counts users with a seat per organization; userEmails indexes
	// users by canonical email.
	seats      map[conversation.OrgID]int
	userEmails map[orgKey]*btree.BTreeG[conversation.UserID]
	// linked indexes users by the user they are linked to.
	linked map[conversation.UserID]*btree.BTreeG[conversation.UserID]
}

func (g *guestIndex) init() {
	g.recs = make(map[guestKey]*conversation.GuestAccess)
	g.byToken = make(map[conversation.TokenHash]guestKey)
	g.byGuest = make(map[orgKey]*btree.BTreeG[conversation.ConversationID])
	g.byConv = make(map[conversation.ConversationID]*btree.BTreeG[string])
	g.orgGuests = make(map[conversation.OrgID]*btree.BTreeG[string])
	g.inviterRefs = make(map[inviterKey]int)
	g.inviterGuests = make(map[inviterScope]int)
	g.expiry = btree.NewG(btreeDegree, expiryLess)
	g.seats = make(map[conversation.OrgID]int)
	g.userEmails = make(map[orgKey]*btree.BTreeG[conversation.UserID])
	g.linked = make(map[conversation.UserID]*btree.BTreeG[conversation.UserID])
}

// treeOf returns m[k], creating an empty tree if needed.
func treeOf[K comparable, T any](m map[K]*btree.BTreeG[T], k K, less btree.LessFunc[T]) *btree.BTreeG[T] {
	tr := m[k]
	if tr == nil {
		tr = btree.NewG(btreeDegree, less)
		m[k] = tr
	}
	return tr
}

// treeLen returns the size of a tree that may not exist.
func treeLen[T any](tr *btree.BTreeG[T]) int {
	if tr == nil {
		return 0
	}
	return tr.Len()
}

func (g *guestIndex) record(k guestKey) *conversation.GuestAccess {
	if a := g.recs[k]; a != nil {
		return a.Clone()
	}
	return nil
}

// GuestAccess implements [storage.GuestReadTx].
func (s *state) GuestAccess(_ context.Context, org conversation.OrgID, email string, c conversation.ConversationID) (*conversation.GuestAccess, error) {
	if a := s.guest.record(guestKey{org, email, c}); a != nil {
		return a, nil
	}
	return nil, conversation.Errorf(conversation.ErrNotFound, "no guest access of %q to conversation %s", email, c)
}

// GuestAccessByToken implements [storage.GuestReadTx].
func (s *state) GuestAccessByToken(_ context.Context, h conversation.TokenHash) (*conversation.GuestAccess, error) {
	if k, ok := s.guest.byToken[h]; ok && !h.IsZero() {
		return s.guest.record(k), nil
	}
	return nil, conversation.Errorf(conversation.ErrNotFound, "no pending invitation has this token")
}

// GuestAccesses implements [storage.GuestReadTx].
func (s *state) GuestAccesses(_ context.Context, org conversation.OrgID, email string) ([]*conversation.GuestAccess, error) {
	return s.guest.ofGuest(nil, org, email), nil
}

func (g *guestIndex) ofGuest(dst []*conversation.GuestAccess, org conversation.OrgID, email string) []*conversation.GuestAccess {
	if tr := g.byGuest[orgKey{org, email}]; tr != nil {
		tr.Ascend(func(c conversation.ConversationID) bool {
			dst = append(dst, g.record(guestKey{org, email, c}))
			return true
		})
	}
	return dst
}

// ConversationGuestAccess implements [storage.GuestReadTx].
func (s *state) ConversationGuestAccess(_ context.Context, c conversation.ConversationID) ([]*conversation.GuestAccess, error) {
	var out []*conversation.GuestAccess
	if tr, rec := s.guest.byConv[c], s.convs[c]; tr != nil && rec != nil {
		tr.Ascend(func(email string) bool {
			out = append(out, s.guest.record(guestKey{rec.conv.Org, email, c}))
			return true
		})
	}
	return out, nil
}

// OrgGuestAccess implements [storage.GuestReadTx].
func (s *state) OrgGuestAccess(_ context.Context, org conversation.OrgID) ([]*conversation.GuestAccess, error) {
	var out []*conversation.GuestAccess
	if tr := s.guest.orgGuests[org]; tr != nil {
		tr.Ascend(func(email string) bool {
			out = s.guest.ofGuest(out, org, email)
			return true
		})
	}
	return out, nil
}

// GuestCounts implements [storage.GuestReadTx].
func (s *state) GuestCounts(_ context.Context, org conversation.OrgID, inviter conversation.UserID) (storage.GuestCounts, error) {
	n := storage.GuestCounts{Seats: s.guest.seats[org], Guests: treeLen(s.guest.orgGuests[org])}
	if !inviter.IsZero() {
		n.ByInviter = s.guest.inviterGuests[inviterScope{org, inviter}]
	}
	return n, nil
}

// UsersByEmail implements [storage.GuestReadTx].
func (s *state) UsersByEmail(_ context.Context, org conversation.OrgID, email string) ([]*conversation.User, error) {
	return collect(s.guest.userEmails[orgKey{org, email}], s.userCopy), nil
}

// LinkedUsers implements [storage.GuestReadTx].
func (s *state) LinkedUsers(_ context.Context, user conversation.UserID) ([]*conversation.User, error) {
	if user.IsZero() {
		return nil, nil
	}
	return collect(s.guest.linked[user], s.userCopy), nil
}

// userCopy returns a copy of stored user id.
func (s *state) userCopy(id conversation.UserID) *conversation.User {
	u := *s.users[id]
	return &u
}

// PutGuestAccess implements [storage.GuestTx].
func (t *writeTx) PutGuestAccess(_ context.Context, a *conversation.GuestAccess, lim conversation.GuestLimits) error {
	switch {
	case a == nil:
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutGuestAccess: nil record")
	case strings.TrimSpace(a.Email) == "" || a.Org.IsZero() || a.Conversation.IsZero():
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutGuestAccess: a record needs an organization, an email and a conversation")
	}
	rec := t.convs[a.Conversation]
	if rec == nil {
		return notFoundConversation(a.Conversation)
	}
	if rec.conv.Org != a.Org {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutGuestAccess: conversation %s is not in org %s", a.Conversation, a.Org)
	}
	g := &t.guest
	key := guestKey{a.Org, a.Email, a.Conversation}
	if !a.TokenHash.IsZero() {
		if k, ok := g.byToken[a.TokenHash]; ok && k != key {
			return conversation.Errorf(conversation.ErrConflict, "PutGuestAccess: token hash already used by another invitation")
		}
	}
	old := g.recs[key]
	if old == nil {
		if err := g.checkLimits(a, lim); err != nil {
			return err
		}
	} else if old.InvitedBy != a.InvitedBy {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutGuestAccess: the inviter of a record does not change")
	}
	na := a.Clone()
	if old != nil {
		t.unindexPending(key, old)
	} else {
		treeInsert(t, idSet(g.byGuest, orgKey{a.Org, a.Email}), a.Conversation)
		treeInsert(t, treeOf(g.byConv, a.Conversation, stringLess), a.Email)
		treeInsert(t, treeOf(g.orgGuests, a.Org, stringLess), a.Email)
		ik := inviterKey{a.Org, a.InvitedBy, a.Email}
		if g.inviterRefs[ik] == 0 {
			scope := inviterScope{a.Org, a.InvitedBy}
			setMap(t, g.inviterGuests, scope, g.inviterGuests[scope]+1)
		}
		setMap(t, g.inviterRefs, ik, g.inviterRefs[ik]+1)
	}
	if !na.TokenHash.IsZero() {
		setMap(t, g.byToken, na.TokenHash, key)
	}
	if !na.Live() {
		treeInsert(t, g.expiry, expiryKey{na.ExpiresAt, key})
	}
	setMap(t, g.recs, key, na)
	return nil
}

// checkLimits applies lim to a new record a.
func (g *guestIndex) checkLimits(a *conversation.GuestAccess, lim conversation.GuestLimits) error {
	held := treeLen(g.byGuest[orgKey{a.Org, a.Email}])
	var newInScope bool
	var inScope int
	if lim.ByInviter {
		newInScope = g.inviterRefs[inviterKey{a.Org, a.InvitedBy, a.Email}] == 0
		inScope = g.inviterGuests[inviterScope{a.Org, a.InvitedBy}]
	} else {
		newInScope = held == 0
		inScope = treeLen(g.orgGuests[a.Org])
	}
	if newInScope && inScope >= lim.Guests {
		scope := "the organization"
		if lim.ByInviter {
			scope = "this inviter"
		}
		return conversation.Errorf(conversation.ErrGuestQuota, "%s already has %d of %d guests", scope, inScope, lim.Guests)
	}
	if held >= lim.Conversations {
		return conversation.Errorf(conversation.ErrGuestConversationQuota, "%s already has access to %d of %d conversations", a.Email, held, lim.Conversations)
	}
	return nil
}

// unindexPending drops the token and expiry entries of record a.
func (t *writeTx) unindexPending(key guestKey, a *conversation.GuestAccess) {
	if !a.TokenHash.IsZero() {
		deleteMap(t, t.guest.byToken, a.TokenHash)
	}
	if !a.Live() {
		treeDelete(t, t.guest.expiry, expiryKey{a.ExpiresAt, key})
	}
}

// DeleteGuestAccess implements [storage.GuestTx].
func (t *writeTx) DeleteGuestAccess(_ context.Context, org conversation.OrgID, email string, c conversation.ConversationID) error {
	key := guestKey{org, email, c}
	if t.guest.recs[key] == nil {
		return conversation.Errorf(conversation.ErrNotFound, "no guest access of %q to conversation %s", email, c)
	}
	t.deleteGuest(key)
	return nil
}

// deleteGuest removes an existing record and its index entries.
func (t *writeTx) deleteGuest(key guestKey) {
	g := &t.guest
	a := g.recs[key]
	t.unindexPending(key, a)
	gk := orgKey{key.org, key.email}
	treeDelete(t, g.byGuest[gk], key.conv)
	treeDelete(t, g.byConv[key.conv], key.email)
	if treeLen(g.byGuest[gk]) == 0 {
		treeDelete(t, g.orgGuests[key.org], key.email)
	}
	ik := inviterKey{key.org, a.InvitedBy, key.email}
	if n := g.inviterRefs[ik]; n > 1 {
		setMap(t, g.inviterRefs, ik, n-1)
	} else {
		deleteMap(t, g.inviterRefs, ik)
		scope := inviterScope{key.org, a.InvitedBy}
		if m := g.inviterGuests[scope]; m > 1 {
			setMap(t, g.inviterGuests, scope, m-1)
		} else {
			deleteMap(t, g.inviterGuests, scope)
		}
	}
	deleteMap(t, g.recs, key)
}

// ExpireGuestInvitations implements [storage.GuestTx].
func (t *writeTx) ExpireGuestInvitations(_ context.Context, now time.Time, limit int) ([]*conversation.GuestAccess, error) {
	if limit <= 0 {
		return nil, conversation.Errorf(conversation.ErrInvalidArgument, "ExpireGuestInvitations: limit %d", limit)
	}
	var due []guestKey
	t.guest.expiry.Ascend(func(e expiryKey) bool {
		if e.at.After(now) || len(due) == limit {
			return false
		}
		due = append(due, e.key)
		return true
	})
	out := make([]*conversation.GuestAccess, 0, len(due))
	for _, k := range due {
		out = append(out, t.guest.record(k))
		t.deleteGuest(k)
	}
	return out, nil
}

// deleteConversationGuests removes every guest record of conversation c
// (DeleteConversation's cascade).
func (t *writeTx) deleteConversationGuests(c conversation.ConversationID, org conversation.OrgID) {
	tr := t.guest.byConv[c]
	if tr == nil {
		return
	}
	var emails []string
	tr.Ascend(func(e string) bool { emails = append(emails, e); return true })
	for _, e := range emails {
		t.deleteGuest(guestKey{org, e, c})
	}
}

// reindexUser keeps the seat counter and the email index when a user is
// created or replaced by nu (old is nil for a new user).
func (t *writeTx) reindexUser(old, nu *conversation.User) {
	g := &t.guest
	if old != nil {
		if old.HasSeat() {
			setMap(t, g.seats, old.Org, g.seats[old.Org]-1)
		}
		if old.Email != "" {
			treeDelete(t, g.userEmails[orgKey{old.Org, old.Email}], old.ID)
		}
		if !old.Linked.IsZero() {
			treeDelete(t, g.linked[old.Linked], old.ID)
		}
	}
	if nu.HasSeat() {
		setMap(t, g.seats, nu.Org, g.seats[nu.Org]+1)
	}
	if nu.Email != "" {
		treeInsert(t, idSet(g.userEmails, orgKey{nu.Org, nu.Email}), nu.ID)
	}
	if !nu.Linked.IsZero() {
		treeInsert(t, idSet(g.linked, nu.Linked), nu.ID)
	}
}
