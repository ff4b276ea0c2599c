package guests

import (
	"github.com/inboxkit/inboxkit/conversation"
)

// Documented limits.
const (
	// GuestsPerSeat is the guest capacity each user with a seat brings: "5
	// guests' access per Missive user". Under [conversation.QuotaPerInviter]
	// it is each inviter's own allowance.
	GuestsPerSeat = 5
	// ConversationsPerGuest caps the conversations one guest holds access to
	// in one organization.
	ConversationsPerGuest = 5
)

// ErrGuestQuota is returned when inviting a new guest would exceed the
// organization's (or the inviter's) guest capacity. It wraps
// [conversation.ErrLimitReached].
var ErrGuestQuota = conversation.ErrGuestQuota

// ErrGuestConversationQuota is returned when a guest already holds access
// to the maximum number of conversations. It wraps
// [conversation.ErrLimitReached].
var ErrGuestConversationQuota = conversation.ErrGuestConversationQuota

// Limits are the quotas one invitation is checked against, as the store
// enforces them in the transaction that writes it.
type Limits = conversation.GuestLimits

// Capacity returns the guest capacity of an organization with seats seated
// users under mode q: 5 × seats pooled (8 users, 40 guests), or 5 for each
// inviter.
func Capacity(q conversation.GuestQuota, seats int) int {
	if q == conversation.QuotaPerInviter {
		return GuestsPerSeat
	}
	return GuestsPerSeat * max(seats, 0)
}

// LimitsFor returns the limits of an organization with seats seated
// users under mode q.
func LimitsFor(q conversation.GuestQuota, seats int) Limits {
	return Limits{Guests: Capacity(q, seats), ByInviter: q == conversation.QuotaPerInviter, Conversations: ConversationsPerGuest}
}

// Usage is how much of its guest capacity an organization uses.
type Usage struct {
	// Seats is the number of users holding a seat.
	Seats int
	// Guests is the number of distinct guests holding at least one
	// pending invitation or live grant; a guest counts once however many
	// conversations they are in.
	Guests int
	// Capacity is the pooled capacity (5 × Seats), or under
	// QuotaPerInviter each inviter's allowance.
	Capacity int
	Mode     conversation.GuestQuota
}

// Free returns the slots left in the pool (pooled mode), never negative.
// Capacity may drop below Guests when seats are removed: nobody loses
// access, but no new guest can be invited until slots are freed.
func (u Usage) Free() int { return max(u.Capacity-u.Guests, 0) }
