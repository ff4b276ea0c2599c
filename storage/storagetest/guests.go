package storagetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// guestFixture is an organization with conversations to invite guests to.
type guestFixture struct {
	org   conversation.OrgID
	convs []*conversation.Conversation
	by    conversation.UserID
}

func newGuestFixture(t *testing.T, s storage.Store, n int) *guestFixture {
	t.Helper()
	f := &guestFixture{org: newID[conversation.OrgID](), by: newID[conversation.UserID]()}
	update(t, s, func(tx storage.Tx) error {
		for range n {
			c := newConversation(f.org)
			if err := tx.CreateConversation(t.Context(), c); err != nil {
				return err
			}
			f.convs = append(f.convs, c)
		}
		return nil
	})
	return f
}

// pending returns a pending invitation of email to conversation i.
func (f *guestFixture) pending(email string, i int) *conversation.GuestAccess {
	var h conversation.TokenHash
	id := newID[conversation.MessageID]()
	copy(h[:], id[:])
	copy(h[16:], email)
	return &conversation.GuestAccess{Org: f.org, Conversation: f.convs[i].ID, Email: email, InvitedBy: f.by,
		InvitedAt: at(i), ExpiresAt: at(100 + i), TokenHash: h}
}

var roomy = conversation.GuestLimits{Guests: 100, Conversations: 100}

func putGuest(ctx context.Context, s storage.Store, a *conversation.GuestAccess, lim conversation.GuestLimits) error {
	return s.Update(ctx, func(tx storage.Tx) error { return tx.PutGuestAccess(ctx, a, lim) })
}

func guestCounts(t *testing.T, s storage.Store, org conversation.OrgID, inviter conversation.UserID) storage.GuestCounts {
	t.Helper()
	return mustRead(t, s, func(tx storage.ReadTx) (storage.GuestCounts, error) { return tx.GuestCounts(t.Context(), org, inviter) })
}

// testGuestAccess: records round-trip, are found by key, token, guest,
// conversation and organization, and are copies.
func testGuestAccess(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	f := newGuestFixture(t, s, 3)
	a := f.pending("g@ext.test", 1)
	b := f.pending("g@ext.test", 0)
	b.Guest = newID[conversation.UserID]()
	b.AcceptedAt = at(5)
	b.TokenHash = conversation.TokenHash{}
	c := f.pending("a@ext.test", 1)
	for _, r := range []*conversation.GuestAccess{a, b, c} {
		require.NoError(t, putGuest(ctx, s, r, roomy))
	}
	a.Email = "changed" // the store keeps its own copy
	a.Email = "g@ext.test"

	view(t, s, func(tx storage.ReadTx) error {
		got, err := tx.GuestAccess(ctx, f.org, "g@ext.test", f.convs[1].ID)
		require.NoError(t, err)
		require.Equal(t, a, got)
		got.Email = "mutated"
		again, err := tx.GuestAccess(ctx, f.org, "g@ext.test", f.convs[1].ID)
		require.NoError(t, err)
		require.Equal(t, a, again, "a returned record is a copy")

		_, err = tx.GuestAccess(ctx, f.org, "g@ext.test", f.convs[2].ID)
		require.ErrorIs(t, err, conversation.ErrNotFound)
		_, err = tx.GuestAccess(ctx, newID[conversation.OrgID](), "g@ext.test", f.convs[1].ID)
		require.ErrorIs(t, err, conversation.ErrNotFound)

		byTok, err := tx.GuestAccessByToken(ctx, a.TokenHash)
		require.NoError(t, err)
		require.Equal(t, a, byTok)
		_, err = tx.GuestAccessByToken(ctx, conversation.TokenHash{})
		require.ErrorIs(t, err, conversation.ErrNotFound, "the zero hash (accepted records) is never found")
		_, err = tx.GuestAccessByToken(ctx, conversation.TokenHash{1})
		require.ErrorIs(t, err, conversation.ErrNotFound)

		mine, err := tx.GuestAccesses(ctx, f.org, "g@ext.test")
		require.NoError(t, err)
		want := []*conversation.GuestAccess{b, a}
		if f.convs[1].ID.Compare(f.convs[0].ID) < 0 {
			want = []*conversation.GuestAccess{a, b}
		}
		require.Equal(t, want, mine)

		onConv, err := tx.ConversationGuestAccess(ctx, f.convs[1].ID)
		require.NoError(t, err)
		require.Equal(t, []*conversation.GuestAccess{c, a}, onConv, "sorted by email")
		none, err := tx.ConversationGuestAccess(ctx, f.convs[2].ID)
		require.NoError(t, err)
		require.Empty(t, none)

		all, err := tx.OrgGuestAccess(ctx, f.org)
		require.NoError(t, err)
		require.Equal(t, append([]*conversation.GuestAccess{c}, want...), all)

		n, err := tx.GuestCounts(ctx, f.org, f.by)
		require.NoError(t, err)
		require.Equal(t, storage.GuestCounts{Guests: 2, ByInviter: 2}, n, "a guest counts once however many conversations")
		n, err = tx.GuestCounts(ctx, f.org, conversation.UserID{})
		require.NoError(t, err)
		require.Zero(t, n.ByInviter)
		return nil
	})

	// Accepting replaces the record: the token is gone, no new slot taken.
	acc := a.Clone()
	acc.TokenHash, acc.AcceptedAt, acc.Guest = conversation.TokenHash{}, at(9), b.Guest
	require.NoError(t, putGuest(ctx, s, acc, conversation.GuestLimits{}), "replacing checks no limit")
	_, err := read(t, s, func(tx storage.ReadTx) (*conversation.GuestAccess, error) {
		return tx.GuestAccessByToken(ctx, a.TokenHash)
	})
	require.ErrorIs(t, err, conversation.ErrNotFound, "a used token is not found again")
	require.Equal(t, 2, guestCounts(t, s, f.org, conversation.UserID{}).Guests)

	// Bad writes change nothing.
	other := acc.Clone()
	other.InvitedBy = newID[conversation.UserID]()
	require.ErrorIs(t, putGuest(ctx, s, other, roomy), conversation.ErrInvalidArgument, "the inviter does not change")
	for _, bad := range []*conversation.GuestAccess{nil, {Org: f.org, Conversation: f.convs[0].ID}, {Email: "x@y", Conversation: f.convs[0].ID}, {Org: f.org, Email: "x@y"}} {
		require.ErrorIs(t, putGuest(ctx, s, bad, roomy), conversation.ErrInvalidArgument)
	}
	missing := f.pending("m@ext.test", 2)
	missing.Conversation = newID[conversation.ConversationID]()
	require.ErrorIs(t, putGuest(ctx, s, missing, roomy), conversation.ErrNotFound)
	foreign := f.pending("m@ext.test", 2)
	foreign.Org = newID[conversation.OrgID]()
	require.ErrorIs(t, putGuest(ctx, s, foreign, roomy), conversation.ErrInvalidArgument)
	dup := f.pending("d@ext.test", 2)
	dup.TokenHash = c.TokenHash
	require.ErrorIs(t, putGuest(ctx, s, dup, roomy), conversation.ErrConflict, "token hashes are unique")
	require.Equal(t, 2, guestCounts(t, s, f.org, conversation.UserID{}).Guests)

	// Deleting frees the slot of the last record at once.
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.DeleteGuestAccess(ctx, f.org, "a@ext.test", f.convs[1].ID) })
	require.NoError(t, err)
	require.Equal(t, storage.GuestCounts{Guests: 1, ByInviter: 1}, guestCounts(t, s, f.org, f.by))
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.DeleteGuestAccess(ctx, f.org, "a@ext.test", f.convs[1].ID) })
	require.ErrorIs(t, err, conversation.ErrNotFound)
	_, err = read(t, s, func(tx storage.ReadTx) (*conversation.GuestAccess, error) {
		return tx.GuestAccessByToken(ctx, c.TokenHash)
	})
	require.ErrorIs(t, err, conversation.ErrNotFound, "a deleted invitation's token is gone")
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.DeleteGuestAccess(ctx, f.org, "g@ext.test", f.convs[0].ID) })
	require.NoError(t, err)
	require.Equal(t, 1, guestCounts(t, s, f.org, conversation.UserID{}).Guests, "g still holds one conversation")
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.DeleteGuestAccess(ctx, f.org, "g@ext.test", f.convs[1].ID) })
	require.NoError(t, err)
	require.Equal(t, storage.GuestCounts{}, guestCounts(t, s, f.org, f.by))
}

// testGuestQuota: the store enforces guest and conversation limits when
// a record is created, pooled or per inviter.
func testGuestQuota(t *testing.T, newStore func(t *testing.T) storage.Store) {
	ctx := t.Context()
	t.Run("Pooled", func(t *testing.T) {
		s := newStore(t)
		f := newGuestFixture(t, s, 3)
		lim := conversation.GuestLimits{Guests: 2, Conversations: 2}
		require.NoError(t, putGuest(ctx, s, f.pending("a@x", 0), lim))
		require.NoError(t, putGuest(ctx, s, f.pending("b@x", 0), lim))
		err := putGuest(ctx, s, f.pending("c@x", 0), lim)
		require.ErrorIs(t, err, conversation.ErrGuestQuota)
		require.ErrorIs(t, err, conversation.ErrLimitReached)
		require.NoError(t, putGuest(ctx, s, f.pending("a@x", 1), lim), "a guest already counted takes no new slot")
		err = putGuest(ctx, s, f.pending("a@x", 2), lim)
		require.ErrorIs(t, err, conversation.ErrGuestConversationQuota)
		require.Equal(t, 2, guestCounts(t, s, f.org, conversation.UserID{}).Guests)
		require.NoError(t, s.Update(ctx, func(tx storage.Tx) error { return tx.DeleteGuestAccess(ctx, f.org, "b@x", f.convs[0].ID) }))
		require.NoError(t, putGuest(ctx, s, f.pending("c@x", 0), lim), "a freed slot is usable at once")

		// A refused write leaves no trace even when the transaction
		// commits anyway.
		before := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.GuestAccess, error) { return tx.OrgGuestAccess(ctx, f.org) })
		update(t, s, func(tx storage.Tx) error {
			require.ErrorIs(t, tx.PutGuestAccess(ctx, f.pending("d@x", 2), lim), conversation.ErrGuestQuota)
			require.ErrorIs(t, tx.PutGuestAccess(ctx, f.pending("a@x", 2), lim), conversation.ErrGuestConversationQuota)
			require.ErrorIs(t, tx.DeleteGuestAccess(ctx, f.org, "zz@x", f.convs[0].ID), conversation.ErrNotFound)
			return nil
		})
		after := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.GuestAccess, error) { return tx.OrgGuestAccess(ctx, f.org) })
		require.Equal(t, before, after)
		require.Equal(t, 2, guestCounts(t, s, f.org, conversation.UserID{}).Guests)
	})
	t.Run("PerInviter", func(t *testing.T) {
		s := newStore(t)
		f := newGuestFixture(t, s, 2)
		lim := conversation.GuestLimits{Guests: 1, ByInviter: true, Conversations: 5}
		require.NoError(t, putGuest(ctx, s, f.pending("a@x", 0), lim))
		require.ErrorIs(t, putGuest(ctx, s, f.pending("b@x", 0), lim), conversation.ErrGuestQuota)
		other := f.pending("b@x", 0)
		other.InvitedBy = newID[conversation.UserID]()
		require.NoError(t, putGuest(ctx, s, other, lim), "another inviter has their own allowance")
		again := f.pending("a@x", 1)
		again.InvitedBy = other.InvitedBy
		require.ErrorIs(t, putGuest(ctx, s, again, lim), conversation.ErrGuestQuota, "a guest of someone else is new to this inviter")
		require.Equal(t, storage.GuestCounts{Guests: 2, ByInviter: 1}, guestCounts(t, s, f.org, other.InvitedBy))
	})
}

// testGuestUsers: PutUser keeps the seat counter and the email index.
func testGuestUsers(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	a, b := newUser(org, "a"), newUser(org, "b")
	g := newUser(org, "g")
	g.Role, g.Email, g.Linked = conversation.RoleGuest, "a@example.com", newID[conversation.UserID]()
	update(t, s, func(tx storage.Tx) error {
		for _, u := range []*conversation.User{a, b, g} {
			require.NoError(t, tx.PutUser(ctx, u))
		}
		return nil
	})
	require.Equal(t, 2, guestCounts(t, s, org, conversation.UserID{}).Seats, "guests hold no seat")
	us := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) {
		return tx.UsersByEmail(ctx, org, "a@example.com")
	})
	want := []*conversation.User{a, g}
	if g.ID.Compare(a.ID) < 0 {
		want = []*conversation.User{g, a}
	}
	require.Equal(t, want, us)
	none := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) {
		return tx.UsersByEmail(ctx, newID[conversation.OrgID](), "a@example.com")
	})
	require.Empty(t, none)

	linked := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) { return tx.LinkedUsers(ctx, g.Linked) })
	require.Equal(t, []*conversation.User{g}, linked)
	linked = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) {
		return tx.LinkedUsers(ctx, conversation.UserID{})
	})
	require.Empty(t, linked, "the zero user links nobody")

	// Upgrading the guest takes a seat; changing an email moves the entry.
	g.Role, g.Email = conversation.RoleMember, "g@example.com"
	update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, g) })
	require.Equal(t, 3, guestCounts(t, s, org, conversation.UserID{}).Seats)
	us = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) {
		return tx.UsersByEmail(ctx, org, "a@example.com")
	})
	require.Equal(t, []*conversation.User{a}, us)
	us = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) {
		return tx.UsersByEmail(ctx, org, "g@example.com")
	})
	require.Equal(t, []*conversation.User{g}, us)
	oldLink := g.Linked
	g.Linked = conversation.UserID{}
	update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, g) })
	linked = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) { return tx.LinkedUsers(ctx, oldLink) })
	require.Empty(t, linked, "unlinking moves the entry")

	// A rolled-back PutUser leaves the counters alone.
	err := s.Update(ctx, func(tx storage.Tx) error {
		require.NoError(t, tx.PutUser(ctx, newUser(org, "c")))
		return errRollbackGuests
	})
	require.ErrorIs(t, err, errRollbackGuests)
	require.Equal(t, 3, guestCounts(t, s, org, conversation.UserID{}).Seats)
}

var errRollbackGuests = errors.New("roll back")

// testGuestExpiry: pending invitations expire from an index, earliest
// first, and free their slots; accepted records never expire.
func testGuestExpiry(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	f := newGuestFixture(t, s, 3)
	p0, p1 := f.pending("a@x", 0), f.pending("b@x", 1)
	live := f.pending("c@x", 2)
	live.TokenHash, live.AcceptedAt = conversation.TokenHash{}, at(3)
	for _, r := range []*conversation.GuestAccess{p1, p0, live} {
		require.NoError(t, putGuest(ctx, s, r, roomy))
	}
	var got []*conversation.GuestAccess
	update(t, s, func(tx storage.Tx) error {
		var err error
		got, err = tx.ExpireGuestInvitations(ctx, at(99), 10)
		return err
	})
	require.Empty(t, got, "nothing is due yet")
	update(t, s, func(tx storage.Tx) error {
		var err error
		got, err = tx.ExpireGuestInvitations(ctx, at(1000), 1)
		return err
	})
	require.Equal(t, []*conversation.GuestAccess{p0}, got, "earliest first, up to limit")
	update(t, s, func(tx storage.Tx) error {
		var err error
		got, err = tx.ExpireGuestInvitations(ctx, at(1000), 10)
		return err
	})
	require.Equal(t, []*conversation.GuestAccess{p1}, got)
	require.Equal(t, 1, guestCounts(t, s, f.org, conversation.UserID{}).Guests, "only the live grant is left")
	err := s.Update(ctx, func(tx storage.Tx) error {
		_, err := tx.ExpireGuestInvitations(ctx, at(1000), 0)
		return err
	})
	require.ErrorIs(t, err, conversation.ErrInvalidArgument)
}

// testGuestCascadeAndRollback: DeleteConversation removes the records of
// the conversation; a rolled-back transaction leaves records and counters
// as they were.
func testGuestCascadeAndRollback(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	f := newGuestFixture(t, s, 2)
	require.NoError(t, putGuest(ctx, s, f.pending("a@x", 0), roomy))
	require.NoError(t, putGuest(ctx, s, f.pending("a@x", 1), roomy))
	require.NoError(t, putGuest(ctx, s, f.pending("b@x", 1), roomy))

	err := s.Update(ctx, func(tx storage.Tx) error {
		require.NoError(t, tx.PutGuestAccess(ctx, f.pending("c@x", 0), roomy))
		require.NoError(t, tx.DeleteGuestAccess(ctx, f.org, "a@x", f.convs[0].ID))
		_, err := tx.ExpireGuestInvitations(ctx, at(1000), 10)
		require.NoError(t, err)
		require.NoError(t, tx.DeleteConversation(ctx, f.convs[1].ID))
		return errRollbackGuests
	})
	require.ErrorIs(t, err, errRollbackGuests)
	all := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.GuestAccess, error) { return tx.OrgGuestAccess(ctx, f.org) })
	require.Len(t, all, 3, "the rollback restored every record")
	require.Equal(t, storage.GuestCounts{Guests: 2, ByInviter: 2}, guestCounts(t, s, f.org, f.by))

	update(t, s, func(tx storage.Tx) error { return tx.DeleteConversation(ctx, f.convs[1].ID) })
	all = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.GuestAccess, error) { return tx.OrgGuestAccess(ctx, f.org) })
	require.Len(t, all, 1)
	require.Equal(t, f.convs[0].ID, all[0].Conversation)
	require.Equal(t, 1, guestCounts(t, s, f.org, conversation.UserID{}).Guests, "b's slot went with the conversation")
}

// testGuestRace: goroutines racing for the last guest slot, and for a
// guest's last conversation, each in its own Update: exactly one wins,
// the others get the quota error, and the counters agree.
func testGuestRace(t *testing.T, newStore func(t *testing.T) storage.Store) {
	const racers = 16
	ctx := t.Context()
	run := func(t *testing.T, s storage.Store, records func(i int) *conversation.GuestAccess, lim conversation.GuestLimits) (won int, errs []error) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		start := make(chan struct{})
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				var err error
				for range 50 { // a backend may report serialization failures
					err = putGuest(ctx, s, records(i), lim)
					if !errors.Is(err, conversation.ErrConflict) {
						break
					}
				}
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					won++
				} else {
					errs = append(errs, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		return won, errs
	}
	t.Run("LastGuestSlot", func(t *testing.T) {
		s := newStore(t)
		f := newGuestFixture(t, s, 1)
		lim := conversation.GuestLimits{Guests: 3, Conversations: 5}
		require.NoError(t, putGuest(ctx, s, f.pending("held1@x", 0), lim))
		require.NoError(t, putGuest(ctx, s, f.pending("held2@x", 0), lim))
		won, errs := run(t, s, func(i int) *conversation.GuestAccess { return f.pending(fmt.Sprintf("r%d@x", i), 0) }, lim)
		assert.Equal(t, 1, won, "exactly one racer takes the last slot")
		for _, err := range errs {
			assert.ErrorIs(t, err, conversation.ErrGuestQuota)
		}
		require.Equal(t, 3, guestCounts(t, s, f.org, conversation.UserID{}).Guests)
		all := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.GuestAccess, error) { return tx.OrgGuestAccess(ctx, f.org) })
		require.Len(t, all, 3)
	})
	t.Run("LastConversationSlot", func(t *testing.T) {
		s := newStore(t)
		f := newGuestFixture(t, s, racers+1)
		lim := conversation.GuestLimits{Guests: 10, Conversations: 2}
		require.NoError(t, putGuest(ctx, s, f.pending("g@x", racers), lim))
		won, errs := run(t, s, func(i int) *conversation.GuestAccess { return f.pending("g@x", i) }, lim)
		assert.Equal(t, 1, won)
		for _, err := range errs {
			assert.ErrorIs(t, err, conversation.ErrGuestConversationQuota)
		}
		mine := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.GuestAccess, error) {
			return tx.GuestAccesses(ctx, f.org, "g@x")
		})
		require.Len(t, mine, 2)
	})
}
