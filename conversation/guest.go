package conversation

import (
	"fmt"
	"slices"
	"time"
)

// GuestPolicy is the organization setting "Settings → Guests → Allow guest
// invitations": who may invite guests.
type GuestPolicy uint8

const (
	// GuestsAnyMember (the default) lets any member, admin or the owner
	// invite guests ("By default, any team member can invite guests").
	GuestsAnyMember GuestPolicy = iota
	// GuestsAdminsOnly restricts invitations to admins and the owner, one
	// option.
	GuestsAdminsOnly
	// GuestsDisabled disables new invitations across the organization.
	// Guests already invited keep their access until revoked.
	GuestsDisabled
)

// String returns the policy's name.
func (p GuestPolicy) String() string {
	switch p {
	case GuestsAnyMember:
		return "any member"
	case GuestsAdminsOnly:
		return "admins and owner only"
	case GuestsDisabled:
		return "disabled"
	}
	return "unknown"
}

// GuestQuota says how an organization's guest capacity is counted.
type GuestQuota uint8

const (
	// QuotaPooled (the default) pools the capacity: 5 guests per user
	// holding a seat, shared by the organization.
	QuotaPooled GuestQuota = iota
	// QuotaPerInviter gives each inviting user their own 5 guests, the
	// blog's reading.
	QuotaPerInviter
)

// String returns the quota mode's name.
func (q GuestQuota) String() string {
	switch q {
	case QuotaPooled:
		return "pooled per organization"
	case QuotaPerInviter:
		return "per inviter"
	}
	return "unknown"
}

// TokenHash is the SHA-256 digest of an invitation token. Stores keep
// the hash, never the token, so a leaked store does not leak invitations.
type TokenHash [32]byte

// IsZero reports whether h is the zero hash (no pending invitation).
func (h TokenHash) IsZero() bool { return h == TokenHash{} }

// GuestAccess is one guest's access to one conversation of an organization:
// a pending invitation (AcceptedAt zero, TokenHash set) or, once accepted, a
// live grant. A guest is identified by the canonical email address the
// invitation went to, before and after they accept; (Org, Email,
// Conversation) is the key. A guest occupies one slot of the organization's
// capacity while they hold at least one record, pending or live, and each
// record counts towards the guest's 5 conversations.
type GuestAccess struct {
	Org          OrgID
	Conversation ConversationID
	// Email is the invitee's address in canonical form.
	Email string
	// Guest is the guest identity (a [User] of Org with [RoleGuest]) the
	// access belongs to; zero while pending for someone who has not
	// accepted any invitation of Org yet.
	Guest UserID
	// InvitedBy is the user who sent the invitation.
	InvitedBy UserID
	InvitedAt time.Time
	// ExpiresAt ends a pending invitation: after it the token is refused
	// and the record may be purged, freeing its slot.
	ExpiresAt time.Time
	// TokenHash is the hash of the pending invitation's token; zero once
	// accepted (tokens are single-use).
	TokenHash TokenHash
	// AcceptedAt is when the guest accepted; zero while pending.
	AcceptedAt time.Time
}

// Live reports whether the access is an accepted grant.
func (a *GuestAccess) Live() bool { return !a.AcceptedAt.IsZero() }

// Clone returns a copy.
func (a *GuestAccess) Clone() *GuestAccess {
	d := *a
	return &d
}

// IsGuest reports whether u holds a live guest grant on c: the only way a
// guest sees a conversation.
func (c *Conversation) IsGuest(u UserID) bool {
	_, ok := slices.BinarySearchFunc(c.Guests, u, UserID.Compare)
	return ok
}

// GuestLimits are the quotas a new guest access record is checked
// against, by the store, in the transaction that writes it (package
// guests computes them from the organization's settings).
type GuestLimits struct {
	// Guests is the number of distinct guests the scope may hold.
	Guests int
	// ByInviter scopes Guests to the guests the record's inviter invited
	// (QuotaPerInviter); false scopes it to the organization.
	ByInviter bool
	// Conversations is the number of conversations one guest may hold
	// access to in the organization.
	Conversations int
}

// ErrGuestQuota is returned when a new guest would exceed the
// organization's (or the inviter's) guest capacity. It wraps
// [ErrLimitReached].
var ErrGuestQuota = fmt.Errorf("%w: guest capacity reached", ErrLimitReached)

// ErrGuestConversationQuota is returned when a guest already holds access
// to the maximum number of conversations. It wraps [ErrLimitReached].
var ErrGuestConversationQuota = fmt.Errorf("%w: the guest is in the maximum number of conversations", ErrLimitReached)
