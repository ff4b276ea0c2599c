package storage

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// GuestReadTx reads guest access records ([conversation.GuestAccess]) and
// the counters guest quotas are checked against. Every read is an index
// read: its cost follows the size of the result, not of the store.
type GuestReadTx interface {
	// GuestAccess returns the record of one guest (org, canonical email)
	// on conversation c, ErrNotFound if none.
	GuestAccess(ctx context.Context, org conversation.OrgID, email string, c conversation.ConversationID) (*conversation.GuestAccess, error)
	// GuestAccessByToken returns the record whose TokenHash is h (a
	// pending invitation), ErrNotFound if none. The zero hash is never
	// found.
	GuestAccessByToken(ctx context.Context, h conversation.TokenHash) (*conversation.GuestAccess, error)
	// GuestAccesses returns every record of one guest of org, sorted by
	// conversation ID.
	GuestAccesses(ctx context.Context, org conversation.OrgID, email string) ([]*conversation.GuestAccess, error)
	// ConversationGuestAccess returns every record on conversation c,
	// sorted by email.
	ConversationGuestAccess(ctx context.Context, c conversation.ConversationID) ([]*conversation.GuestAccess, error)
	// OrgGuestAccess returns every record of org, sorted by email, then
	// conversation ID.
	OrgGuestAccess(ctx context.Context, org conversation.OrgID) ([]*conversation.GuestAccess, error)
	// GuestCounts returns the counters of org, and with inviter set, the
	// number of guests that user invited.
	GuestCounts(ctx context.Context, org conversation.OrgID, inviter conversation.UserID) (GuestCounts, error)
	// UsersByEmail returns the users of org whose Email is email
	// (canonical form, exact), sorted by ID.
	UsersByEmail(ctx context.Context, org conversation.OrgID, email string) ([]*conversation.User, error)
	// LinkedUsers returns the users, of any organization, whose Linked is
	// user (the guest identities of a person who accepted invitations
	// with their own login), sorted by ID.
	LinkedUsers(ctx context.Context, user conversation.UserID) ([]*conversation.User, error)
}

// GuestCounts are the counters a store keeps for guest quotas.
type GuestCounts struct {
	// Seats is the number of users of the organization holding a seat
	// (conversation.User.HasSeat), kept by PutUser.
	Seats int
	// Guests is the number of distinct guests (emails) holding at least
	// one record in the organization.
	Guests int
	// ByInviter is the number of distinct guests holding at least one
	// record the inviter asked for (zero without an inviter).
	ByInviter int
}

// GuestTx writes guest access records. Quotas are enforced here, in the
// transaction that writes the record, so two transactions racing for the
// last slot cannot both win whatever the engine holds in memory.
type GuestTx interface {
	// PutGuestAccess creates or replaces the record of (a.Org, a.Email,
	// a.Conversation).
	//
	// Creating one first checks lim against the counters as they are in
	// this transaction: if the guest holds no record in the scope yet
	// (the organization, or with lim.ByInviter the records a.InvitedBy
	// asked for) and the scope already holds lim.Guests guests, it fails
	// with an error wrapping conversation.ErrGuestQuota; if the guest
	// already holds lim.Conversations records in the organization, with
	// conversation.ErrGuestConversationQuota. Replacing a record checks
	// nothing (accepting an invitation or sending it again takes no new
	// slot) but may not change its InvitedBy: ErrInvalidArgument.
	//
	// ErrInvalidArgument for an empty email or a zero organization or
	// conversation; ErrNotFound if the conversation does not exist;
	// ErrConflict if a non-zero TokenHash belongs to another record.
	PutGuestAccess(ctx context.Context, a *conversation.GuestAccess, lim conversation.GuestLimits) error
	// DeleteGuestAccess removes a record, freeing the guest's slot when it
	// was their last one; ErrNotFound if there is none.
	DeleteGuestAccess(ctx context.Context, org conversation.OrgID, email string, c conversation.ConversationID) error
	// ExpireGuestInvitations removes up to limit pending records (AcceptedAt
	// zero) whose ExpiresAt is at or before now, earliest first, from an
	// index ordered by expiry, and returns them.
	ExpireGuestInvitations(ctx context.Context, now time.Time, limit int) ([]*conversation.GuestAccess, error)
}
