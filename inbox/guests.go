package inbox

import (
	"context"
	"fmt"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/guests"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/triage"
)

// Guest errors, the values of package guests and conversation, so callers
// need import only this package.
var (
	// ErrGuestForbidden: a guest attempted something guests may not do.
	// It wraps ErrForbidden.
	ErrGuestForbidden = guests.ErrGuestForbidden
	// ErrInvitationsDisabled: the organization disabled guest
	// invitations. It wraps ErrForbidden.
	ErrInvitationsDisabled = guests.ErrInvitationsDisabled
	// ErrGuestQuota: the guest capacity is used up. It wraps
	// ErrLimitReached.
	ErrGuestQuota = guests.ErrGuestQuota
	// ErrGuestConversationQuota: the guest is in the maximum number of
	// conversations. It wraps ErrLimitReached.
	ErrGuestConversationQuota = guests.ErrGuestConversationQuota
	// ErrInvalidToken: an invitation token is malformed, unknown, used or
	// expired. It wraps ErrNotFound.
	ErrInvalidToken = guests.ErrInvalidToken
)

// ErrAlreadyMember is returned when the address invited as a guest
// belongs to a member of the organization: members already have normal
// access and are shared with, not invited. It wraps ErrInvalidArgument.
var ErrAlreadyMember = fmt.Errorf("%w: the address belongs to a member of this organization", ErrInvalidArgument)

// ErrMergeWithGuests matches a merge refused because guests are involved: a
// conversation with guests, live or invited, or a guest actor ("Merging is
// not available when … You are a guest in the conversation"). The error
// returned is a [*MergeNotAllowedError] with Reason MergeRefusedGuest; it
// wraps ErrMergeNotAllowed (and so ErrInvalidArgument).
var ErrMergeWithGuests = fmt.Errorf("%w: conversations with guests cannot be merged", ErrMergeNotAllowed)

// Invitation is a guest invitation as the host's [Notifier] receives it
// (Notification.Invitation), to send to the invitee.
type Invitation struct {
	Org          conversation.OrgID          `json:"org"`
	Conversation conversation.ConversationID `json:"conversation"`
	// Email is the invitee's address, canonical.
	Email     string              `json:"email"`
	InvitedBy conversation.UserID `json:"invited_by"`
	// Token is the single-use secret of the invitation link, given to
	// [Engine.AcceptInvitation]. Only the notifier sees it: the guest
	// records keep its hash, and the outbox keeps the notification (token
	// included) only until every consumer has read it and it is compacted;
	// [Engine.Events] leaves it out.
	Token     string    `json:"token,omitempty"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Invited reports an invitation that was sent.
type Invited struct {
	Email        string
	Conversation conversation.ConversationID
	// Guest is the invitee's guest identity if they already have one in
	// the organization, zero otherwise.
	Guest     conversation.UserID
	ExpiresAt time.Time
	// Renewed is set when a pending invitation to the same conversation
	// was sent again with a new token (the old one no longer works).
	Renewed bool
}

// InviteGuest invites an email address into one conversation. The actor must
// see the conversation and be allowed by the organization's policy; guests
// never invite. The invitation takes a guest slot at once and counts towards
// the invitee's conversations; the store checks both quotas in the same
// transaction. The Notifier receives the invitation with its token. An
// address that belongs to a member is refused with [ErrAlreadyMember]; one
// that already holds a live grant on the conversation with ErrConflict; a
// pending invitation is renewed.
func (e *Engine) InviteGuest(ctx context.Context, actor Actor, id conversation.ConversationID, email string) (Invited, error) {
	addr, err := guests.Email(email)
	if err != nil {
		return Invited{}, err
	}
	var res Invited
	err = e.update(ctx, actor, func(o *op) error {
		res = Invited{Email: addr, Conversation: id}
		if o.user == nil {
			return conversation.Errorf(ErrForbidden, "guests are invited by a user of the organization")
		}
		if err := o.load(id); err != nil {
			return err
		}
		return o.invite(addr, &res)
	})
	return res, err
}

// invite implements InviteGuest on the loaded conversation.
func (o *op) invite(addr string, res *Invited) error {
	c, u := o.conv, o.user
	if err := guests.CheckRole(u.Role, guests.InviteGuests); err != nil {
		return err
	}
	org, err := o.loadOrg(c.Org)
	if err != nil {
		return err
	}
	if err := guests.CanInvite(org.GuestPolicy, u.Role); err != nil {
		return err
	}
	switch {
	case c.Kind == conversation.Room:
		return conversation.Errorf(ErrGuestForbidden, "guests cannot join chat rooms")
	case c.Trashed:
		return conversation.Errorf(ErrInvalidArgument, "conversation %s is in Trash", c.ID)
	case !c.MergedInto.IsZero():
		return conversation.Errorf(ErrInvalidArgument, "conversation %s was merged into %s; invite into that one", c.ID, c.MergedInto)
	}
	guest, err := o.guestIdentity(c.Org, addr)
	if err != nil {
		return err
	}
	if guest != nil {
		res.Guest = guest.ID
	}
	old, err := o.tx.GuestAccess(o.ctx, c.Org, addr, c.ID)
	switch {
	case err == nil && old.Live():
		return conversation.Errorf(ErrConflict, "%s is already a guest in this conversation", addr)
	case err != nil && !isNotFound(err):
		return err
	}
	// Expired invitations give their slots back before this one is
	// counted.
	if _, err := o.tx.ExpireGuestInvitations(o.ctx, o.now, 256); err != nil {
		return err
	}
	tok, err := guests.NewToken(o.e.random)
	if err != nil {
		return err
	}
	rec := &conversation.GuestAccess{Org: c.Org, Conversation: c.ID, Email: addr, Guest: res.Guest,
		InvitedBy: u.ID, InvitedAt: o.now, ExpiresAt: o.now.Add(o.e.invitationTTL), TokenHash: tok.Hash()}
	if old != nil && old.ExpiresAt.After(o.now) {
		// A renewal keeps the record (and its inviter); only the token and
		// the expiry change.
		rec.InvitedBy, rec.InvitedAt, res.Renewed = old.InvitedBy, old.InvitedAt, true
	}
	counts, err := o.tx.GuestCounts(o.ctx, c.Org, rec.InvitedBy)
	if err != nil {
		return err
	}
	if err := o.tx.PutGuestAccess(o.ctx, rec, guests.LimitsFor(org.GuestQuota, counts.Seats)); err != nil {
		return err
	}
	res.ExpiresAt = rec.ExpiresAt
	// One expiry job per conversation and address: a renewal moves it.
	if err := o.putJob(jobGuestExpiry+":"+c.ID.String()+":"+addr, jobGuestExpiry, rec.ExpiresAt, struct{}{}); err != nil {
		return err
	}
	ev := conversation.Event{Type: conversation.EventGuestInvited, Email: addr}
	if guest != nil {
		ev.Users = []conversation.UserID{guest.ID}
	}
	o.emit(ev)
	o.notes = append(o.notes, Notification{User: res.Guest, Conversation: c.ID, Reason: GuestInvited, Actor: u.ID, At: o.now,
		Invitation: &Invitation{Org: c.Org, Conversation: c.ID, Email: addr, InvitedBy: rec.InvitedBy, Token: tok.String(), ExpiresAt: rec.ExpiresAt}})
	return nil
}

// guestIdentity returns the guest identity of addr in org (nil if none),
// or ErrAlreadyMember when addr belongs to a user with a seat.
func (o *op) guestIdentity(org conversation.OrgID, addr string) (*conversation.User, error) {
	users, err := o.tx.UsersByEmail(o.ctx, org, addr)
	if err != nil {
		return nil, err
	}
	var guest *conversation.User
	for _, u := range users {
		if u.HasSeat() {
			return nil, conversation.Errorf(ErrAlreadyMember, "%s is %s, a %s of this organization; share the conversation with them instead", addr, u.Name, u.Role)
		}
		guest = u
	}
	return guest, nil
}

// Acceptance says who accepts an invitation.
type Acceptance struct {
	// Link is set when an existing user of another organization accepts with
	// their own login: the guest identity is linked to them and they keep
	// their own organization. The host vouches that the person holding the
	// token is this user. Zero means a person without an account of any
	// organization, who gets a free guest account.
	Link conversation.UserID
	// Name and Handle describe a new guest identity; both are optional
	// (Name defaults to the linked user's name or the address). A guest
	// without a handle cannot be @mentioned by handle, only by an
	// explicit mention. The handle shares the organization's namespace
	// with its users and teams (see UserSpec.Handle): a taken one is
	// ErrConflict, and the token stays usable for another try.
	Name   string
	Handle string
}

// Accepted reports an accepted invitation.
type Accepted struct {
	// Guest is the guest identity: the user to act as (AsUser) in the
	// inviting organization.
	Guest        *conversation.User
	Conversation conversation.ConversationID
}

// AcceptInvitation accepts an invitation with its token: the token is the
// credential and is single-use. Accepting creates the guest identity if the
// address has none in the organization (or links it to acc.Link), turns the
// invitation into a live grant and lands the guest in the conversation: in
// their Inbox, watching it. A token that is malformed, unknown, used or
// expired is [ErrInvalidToken].
func (e *Engine) AcceptInvitation(ctx context.Context, token string, acc Acceptance) (Accepted, error) {
	tok, err := guests.ParseToken(token)
	if err != nil {
		return Accepted{}, err
	}
	if acc.Handle != "" {
		if err := validHandle(acc.Handle); err != nil {
			return Accepted{}, err
		}
	}
	var res Accepted
	err = e.update(ctx, System, func(o *op) error {
		res = Accepted{}
		rec, err := o.tx.GuestAccessByToken(o.ctx, tok.Hash())
		if isNotFound(err) || (err == nil && !rec.ExpiresAt.After(o.now)) {
			return ErrInvalidToken
		}
		if err != nil {
			return err
		}
		guest, err := o.acceptAs(rec, acc)
		if err != nil {
			return err
		}
		rec.Guest, rec.AcceptedAt, rec.TokenHash = guest.ID, o.now, conversation.TokenHash{}
		if err := o.tx.PutGuestAccess(o.ctx, rec, conversation.GuestLimits{}); err != nil {
			return err
		}
		if err := o.load(rec.Conversation); err != nil {
			return err
		}
		c := o.conv
		conversation.AddSorted(&c.Guests, guest.ID)
		st := o.state(guest.ID)
		st.Removed, st.Trashed = false, false
		o.apply(ptr(triage.Join(guest.ID)))
		ev := o.emit(conversation.Event{Type: conversation.EventGuestJoined, Users: []conversation.UserID{guest.ID}, Email: rec.Email})
		ev.Actor = guest.ID
		o.touch(false)
		res = Accepted{Guest: guest, Conversation: c.ID}
		return nil
	})
	return res, err
}

// acceptAs returns the guest identity accepting rec, creating or linking
// it as acc says.
func (o *op) acceptAs(rec *conversation.GuestAccess, acc Acceptance) (*conversation.User, error) {
	guest, err := o.guestIdentity(rec.Org, rec.Email)
	if err != nil {
		return nil, err
	}
	var linked *conversation.User
	if !acc.Link.IsZero() {
		linked, err = o.tx.User(o.ctx, acc.Link)
		if err != nil {
			return nil, err
		}
		if linked.Org == rec.Org {
			return nil, conversation.Errorf(ErrAlreadyMember, "user %s belongs to this organization", linked.ID)
		}
		if linked.Role == conversation.RoleGuest {
			return nil, conversation.Errorf(ErrInvalidArgument, "user %s is itself a guest identity; link the person's own user", linked.ID)
		}
	}
	if guest != nil {
		switch {
		case linked == nil:
		case guest.Linked.IsZero():
			guest.Linked = linked.ID
			if err := o.tx.PutUser(o.ctx, guest); err != nil {
				return nil, err
			}
		case guest.Linked != linked.ID:
			return nil, conversation.Errorf(ErrForbidden, "the guest identity of %s belongs to another user", rec.Email)
		}
		return guest, nil
	}
	if err := o.checkHandleFree(rec.Org, acc.Handle); err != nil {
		return nil, err
	}
	guest = &conversation.User{ID: conversation.UserID(o.e.newID()), Org: rec.Org, Name: acc.Name, Email: rec.Email,
		Handle: acc.Handle, Role: conversation.RoleGuest}
	if linked != nil {
		guest.Linked = linked.ID
		if guest.Name == "" {
			guest.Name = linked.Name
		}
	}
	if guest.Name == "" {
		guest.Name = rec.Email
	}
	if err := o.tx.PutUser(o.ctx, guest); err != nil {
		return nil, err
	}
	return guest, nil
}

// RemoveGuest ends one guest's access to one conversation, a live grant or a
// pending invitation: the guest loses the conversation and all its content
// at once and the slot is freed when it was their last one. Owners and
// admins may remove any guest, the inviting user their own invitees. The
// guest may be re-invited later.
func (e *Engine) RemoveGuest(ctx context.Context, actor Actor, id conversation.ConversationID, email string) error {
	addr, err := guests.Email(email)
	if err != nil {
		return err
	}
	return e.update(ctx, actor, func(o *op) error {
		if o.user == nil {
			return conversation.Errorf(ErrForbidden, "guests are removed by a user of the organization")
		}
		if err := o.loadForGuestAdmin(id); err != nil {
			return err
		}
		rec, err := o.tx.GuestAccess(o.ctx, o.conv.Org, addr, id)
		if isNotFound(err) {
			return conversation.Errorf(ErrNotFound, "%s has no guest access to conversation %s", addr, id)
		}
		if err != nil {
			return err
		}
		if err := guests.CanManage(o.user.Role, o.user.ID, rec.InvitedBy); err != nil {
			return err
		}
		return o.endGuestAccess(rec)
	})
}

// RevokeGuest ends every access of one guest in the actor's organization:
// their grants and pending invitations. The guest's slot is freed at once.
// Owners and admins only.
func (e *Engine) RevokeGuest(ctx context.Context, actor Actor, email string) error {
	addr, err := guests.Email(email)
	if err != nil {
		return err
	}
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.guestAdmin()
		if err != nil {
			return err
		}
		recs, err := o.tx.GuestAccesses(o.ctx, u.Org, addr)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return conversation.Errorf(ErrNotFound, "%s is not a guest of this organization", addr)
		}
		return o.eachGuestConversation(recs, o.endGuestAccess)
	})
}

// RemoveAllGuests ends the access of every guest of one conversation,
// granted or invited: the rule action "Remove user(s) from conversation: all
// guests". The system (automation), owners and admins may.
func (e *Engine) RemoveAllGuests(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	if err := needID("conversation", id); err != nil {
		return err
	}
	return e.update(ctx, actor, func(o *op) error {
		if o.user == nil {
			if err := o.load(id); err != nil {
				return err
			}
			return o.removeGuests()
		}
		if err := guestAdminRole(o.user); err != nil {
			return err
		}
		if err := o.loadForGuestAdmin(id); err != nil {
			return err
		}
		return o.removeGuests()
	})
}

// UpgradeGuest gives a guest a seat: the guest identity becomes a user with
// role (RoleMember or RoleAdmin) and full member capabilities, their live
// grants become normal access (they are added to the conversations' users),
// pending invitations are dropped, and their guest slot is freed. Owners and
// admins only.
func (e *Engine) UpgradeGuest(ctx context.Context, actor Actor, guest conversation.UserID, role conversation.Role) (*conversation.User, error) {
	if role != conversation.RoleMember && role != conversation.RoleAdmin {
		return nil, conversation.Errorf(ErrInvalidArgument, "a guest is upgraded to member or admin, not %s", role)
	}
	if err := needID("guest", guest); err != nil {
		return nil, err
	}
	var out *conversation.User
	err := e.update(ctx, actor, func(o *op) error {
		admin, err := o.guestAdmin()
		if err != nil {
			return err
		}
		g, err := o.tx.User(o.ctx, guest)
		if err != nil || g.Org != admin.Org {
			return conversation.Errorf(ErrNotFound, "user %s", guest)
		}
		if g.Role != conversation.RoleGuest {
			return conversation.Errorf(ErrInvalidArgument, "%s is not a guest", g.Name)
		}
		recs, err := o.tx.GuestAccesses(o.ctx, g.Org, g.Email)
		if err != nil {
			return err
		}
		g.Role = role
		if err := o.tx.PutUser(o.ctx, g); err != nil {
			return err
		}
		out = g
		return o.eachGuestConversation(recs, func(rec *conversation.GuestAccess) error {
			if err := o.tx.DeleteGuestAccess(o.ctx, rec.Org, rec.Email, rec.Conversation); err != nil {
				return err
			}
			ev := conversation.Event{Type: conversation.EventGuestRemoved, Email: rec.Email}
			if rec.Live() && conversation.RemoveSorted(&o.conv.Guests, g.ID) {
				conversation.AddSorted(&o.conv.Users, g.ID)
				ev.Users = []conversation.UserID{g.ID}
				o.emit(ev)
				o.emit(conversation.Event{Type: conversation.EventShared, Users: []conversation.UserID{g.ID}})
				return nil
			}
			o.emit(ev)
			return nil
		})
	})
	return out, err
}

// SetGuestSettings changes the organization's guest policy and quota mode.
// Owners and admins only. Disabling invitations, or a mode with less
// capacity, only stops new invitations: guests keep the access they hold
// until it is revoked.
func (e *Engine) SetGuestSettings(ctx context.Context, actor Actor, policy conversation.GuestPolicy, quota conversation.GuestQuota) error {
	if policy > conversation.GuestsDisabled {
		return conversation.Errorf(ErrInvalidArgument, "guest policy %d", policy)
	}
	if quota > conversation.QuotaPerInviter {
		return conversation.Errorf(ErrInvalidArgument, "guest quota mode %d", quota)
	}
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.guestAdmin()
		if err != nil {
			return err
		}
		org, err := o.loadOrg(u.Org)
		if err != nil {
			return err
		}
		org.GuestPolicy, org.GuestQuota = policy, quota
		return o.tx.PutOrg(o.ctx, org)
	})
}

// GuestConversation is one conversation a guest is in, or invited to.
type GuestConversation struct {
	Conversation conversation.ConversationID
	Subject      string
	InvitedBy    conversation.UserID
	InvitedAt    time.Time
	// Pending is set for an invitation not yet accepted, which expires at
	// ExpiresAt (Expired once that has passed: it can no longer be
	// accepted and still holds its slot until purged); AcceptedAt is set
	// otherwise.
	Pending    bool
	Expired    bool
	ExpiresAt  time.Time
	AcceptedAt time.Time
}

// GuestInfo is one guest of the organization, as the admin view lists it.
type GuestInfo struct {
	Email string
	// Guest is the guest identity; nil while they have accepted nothing.
	Guest         *conversation.User
	Conversations []GuestConversation
}

// Guests lists the organization's guests, by email, each with the
// conversations they are in or invited to and who invited them: the
// "Settings → Guests" view. Owners and admins only.
func (e *Engine) Guests(ctx context.Context, actor Actor) ([]GuestInfo, error) {
	var out []GuestInfo
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		if err := guestAdminRole(u); err != nil {
			return err
		}
		recs, err := tx.OrgGuestAccess(ctx, u.Org)
		if err != nil {
			return err
		}
		now := e.now()
		out = nil
		for _, r := range recs {
			if len(out) == 0 || out[len(out)-1].Email != r.Email {
				out = append(out, GuestInfo{Email: r.Email})
			}
			gi := &out[len(out)-1]
			if !r.Guest.IsZero() && gi.Guest == nil {
				if gi.Guest, err = tx.User(ctx, r.Guest); err != nil {
					return err
				}
			}
			c, err := tx.Conversation(ctx, r.Conversation)
			if err != nil {
				return err
			}
			gc := GuestConversation{Conversation: r.Conversation, Subject: c.DisplaySubject(), InvitedBy: r.InvitedBy,
				InvitedAt: r.InvitedAt, Pending: !r.Live(), AcceptedAt: r.AcceptedAt}
			if gc.Pending {
				gc.ExpiresAt, gc.Expired = r.ExpiresAt, !r.ExpiresAt.After(now)
			}
			gi.Conversations = append(gi.Conversations, gc)
		}
		return nil
	})
	return out, err
}

// GuestUsage returns the organization's guest usage and capacity, from the
// store's counters. Owners and admins only.
func (e *Engine) GuestUsage(ctx context.Context, actor Actor) (guests.Usage, error) {
	var out guests.Usage
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		if err := guestAdminRole(u); err != nil {
			return err
		}
		org, err := tx.Org(ctx, u.Org)
		if err != nil {
			return err
		}
		n, err := tx.GuestCounts(ctx, u.Org, conversation.UserID{})
		if err != nil {
			return err
		}
		out = guests.Usage{Seats: n.Seats, Guests: n.Guests, Capacity: guests.Capacity(org.GuestQuota, n.Seats), Mode: org.GuestQuota}
		return nil
	})
	return out, err
}

// GuestIdentities returns the guest identities, in other organizations,
// linked to the acting user: one per organization whose invitation they
// accepted with their own login. A host lists their mailboxes (acting as
// each identity) beside the user's own, so invited conversations appear in
// the person's normal interface "like any other conversation".
func (e *Engine) GuestIdentities(ctx context.Context, actor Actor) ([]*conversation.User, error) {
	var out []*conversation.User
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		linked, err := tx.LinkedUsers(ctx, u.ID)
		if err != nil {
			return err
		}
		out = nil
		for _, g := range linked {
			if g.Role == conversation.RoleGuest {
				out = append(out, g)
			}
		}
		return nil
	})
	return out, err
}

// PurgeExpiredInvitations removes every pending invitation whose time
// has passed, freeing their slots, and returns how many it removed. Every
// InviteGuest purges too, before it counts; a host calls this from a
// timer (as it calls RunDue) so usage figures do not count expired
// invitations meanwhile. It needs the System actor.
func (e *Engine) PurgeExpiredInvitations(ctx context.Context, actor Actor) (int, error) {
	if !actor.system {
		return 0, conversation.Errorf(ErrForbidden, "expired invitations are purged by the system actor")
	}
	total := 0
	for {
		n := 0
		err := e.update(ctx, actor, func(o *op) error {
			gone, err := o.tx.ExpireGuestInvitations(o.ctx, o.now, 256)
			n = len(gone)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < 256 {
			return total, nil
		}
	}
}

// guestAdminRole refuses users who may not manage guests.
func guestAdminRole(u *conversation.User) error {
	if err := guests.CheckRole(u.Role, guests.ManageGuests); err != nil {
		return err
	}
	if !u.Role.IsAdmin() {
		return conversation.Errorf(ErrForbidden, "only owners and admins manage guests")
	}
	return nil
}

// guestAdmin returns the acting user if they may manage guests.
func (o *op) guestAdmin() (*conversation.User, error) {
	if o.user == nil {
		return nil, conversation.Errorf(ErrForbidden, "guests are managed by an admin")
	}
	return o.user, guestAdminRole(o.user)
}

// loadForGuestAdmin loads a conversation for guest management: owners and
// admins manage the guests of every conversation of their organization, as
// the admin view lists them; anyone else must see it.
func (o *op) loadForGuestAdmin(id conversation.ConversationID) error {
	if err := needID("conversation", id); err != nil {
		return err
	}
	if !o.user.Role.IsAdmin() {
		return o.load(id)
	}
	c, err := o.tx.Conversation(o.ctx, id)
	if err != nil || c.Org != o.user.Org {
		return conversation.Errorf(ErrNotFound, "conversation %s", id)
	}
	u := o.user
	o.user = nil // the organization's admin needs no access of their own
	defer func() { o.user = u }()
	return o.adopt(c, false)
}

// eachGuestConversation runs fn on each record with its conversation
// loaded as the operation's conversation.
func (o *op) eachGuestConversation(recs []*conversation.GuestAccess, fn func(rec *conversation.GuestAccess) error) error {
	for _, rec := range recs {
		if err := o.flush(); err != nil {
			return err
		}
		if err := o.loadForGuestAdmin(rec.Conversation); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

// endGuestAccess deletes a record of the loaded conversation and, for a live
// grant, withdraws the guest's access in the same transaction: off Guests,
// and their state reset so no Inbox entry, snooze or watch survives to
// notify them.
func (o *op) endGuestAccess(rec *conversation.GuestAccess) error {
	if err := o.tx.DeleteGuestAccess(o.ctx, rec.Org, rec.Email, rec.Conversation); err != nil {
		return err
	}
	ev := conversation.Event{Type: conversation.EventGuestRemoved, Email: rec.Email}
	if rec.Live() {
		g := rec.Guest
		conversation.RemoveSorted(&o.conv.Guests, g)
		if st := o.peek(g); st != nil {
			o.apply(ptr(triage.Leave(g)))
			// Nothing of the guest's state means anything once their
			// access ended: it is emptied, and so deleted, not kept to be
			// read back by every later operation on the conversation.
			*o.state(g) = conversation.UserState{Conversation: o.conv.ID, User: g}
		}
		ev.Users = []conversation.UserID{g}
	}
	o.emit(ev)
	return nil
}

// removeGuests ends every guest access of the loaded conversation: a trash
// for everyone "removes all assignees, guests".
func (o *op) removeGuests() error {
	recs, err := o.tx.ConversationGuestAccess(o.ctx, o.conv.ID)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := o.endGuestAccess(rec); err != nil {
			return err
		}
	}
	return nil
}

// refuseMergeWithGuests refuses a merge involving c when c has guests, live
// or invited ("Merging is not available when … You are a guest in the
// conversation"): merging would hand the guests the other conversation's
// content. The merge operation calls it for each conversation it merges (a
// guest actor is refused before, by checkMerge), and threading drops such
// merges (checkDecision).
func (o *op) refuseMergeWithGuests(c *conversation.Conversation) error {
	if len(c.Guests) > 0 {
		return &MergeNotAllowedError{Reason: MergeRefusedGuest, Detail: fmt.Sprintf("conversation %s has %d guest(s); remove them first", c.ID, len(c.Guests))}
	}
	recs, err := o.tx.ConversationGuestAccess(o.ctx, c.ID)
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		return &MergeNotAllowedError{Reason: MergeRefusedGuest, Detail: fmt.Sprintf("conversation %s has pending guest invitations; cancel them first", c.ID)}
	}
	return nil
}

// checkMentionable validates an explicit mention of user id by author:
// a user of the conversation's organization whom author may mention.
func (o *op) checkMentionable(author *conversation.User, id conversation.UserID) error {
	target, err := o.tx.User(o.ctx, id)
	if err != nil || target.Org != o.conv.Org {
		return conversation.Errorf(ErrNotFound, "user %s", id)
	}
	switch {
	case o.guestMentionable(author, target):
		return nil
	case target.Role == conversation.RoleGuest:
		return conversation.Errorf(ErrGuestForbidden, "guest %s is not in this conversation; invite them instead", target.Name)
	}
	return guests.Check(guests.MentionAbsent)
}

// loadAsReader loads a conversation for an operation that guests may
// perform too (action a, one guests.Can allows) and returns the acting
// user; the system is refused.
func (o *op) loadAsReader(id conversation.ConversationID, a guests.Action) (*conversation.User, error) {
	if err := o.load(id); err != nil {
		return nil, err
	}
	return o.reader(a)
}

// reader returns the acting user if their role may do a on the loaded
// conversation.
func (o *op) reader(a guests.Action) (*conversation.User, error) {
	if o.user == nil {
		return nil, conversation.Errorf(ErrForbidden, "this operation needs a user actor")
	}
	if err := guests.CheckRole(o.user.Role, a); err != nil {
		return nil, err
	}
	return o.user, nil
}

// guestMentionable reports whether the comment author may mention user
// target: a guest author only users present in the conversation; anyone may
// mention a guest only if that guest is present.
func (o *op) guestMentionable(author, target *conversation.User) bool {
	if target.Role == conversation.RoleGuest {
		return o.conv.IsGuest(target.ID)
	}
	if author == nil || author.Role != conversation.RoleGuest {
		return true
	}
	return o.canAccess(target)
}

// redactFor is the one place that shapes what a viewer receives: every
// read path (Get, List) sends its result through it. For a guest it
// strips labels and everything naming another conversation
// (guests.Conversation, guests.Event, guests.Message). Get then applies
// label visibility to everyone (stripLabels). Other viewers get v
// unchanged here.
func redactFor(u *conversation.User, v *View) *View {
	if u.Role != conversation.RoleGuest {
		return v
	}
	out := &View{State: v.State}
	for _, c := range v.Comments {
		out.Comments = append(out.Comments, guests.CommentView(c))
	}
	if v.Conversation != nil {
		out.Conversation = guests.Conversation(v.Conversation)
	}
	for _, m := range v.Messages {
		out.Messages = append(out.Messages, guests.Message(m))
	}
	for _, ev := range v.Events {
		if r, ok := guests.Event(ev); ok {
			out.Events = append(out.Events, r)
		}
	}
	return out
}
