package conversation

import (
	"maps"
	"slices"
	"strings"
)

// Channel is the kind of a connected account and of its messages.
type Channel uint8

// The channels an account can connect.
const (
	Email Channel = iota
	SMS
	WhatsApp
	Messenger
	Instagram
	LiveChat
	Voice
	Custom
)

// String returns the channel's lower-case name.
func (c Channel) String() string {
	switch c {
	case Email:
		return "email"
	case SMS:
		return "sms"
	case WhatsApp:
		return "whatsapp"
	case Messenger:
		return "messenger"
	case Instagram:
		return "instagram"
	case LiveChat:
		return "livechat"
	case Voice:
		return "voice"
	case Custom:
		return "custom"
	}
	return "unknown"
}

// InboxDelivery is the per-user choice of an Inbox-mode shared account or
// address.
type InboxDelivery uint8

const (
	// ToInbox puts new conversations in the user's Inbox, unread, and
	// notifies them.
	ToInbox InboxDelivery = iota + 1
	// AutoArchive gives access (All, search) without Inbox or notification.
	AutoArchive
)

// SharingKind says how an account or address is shared.
type SharingKind uint8

const (
	// NotShared: personal; only the owner and delegated users see its mail.
	NotShared SharingKind = iota
	// SharedToTeamInbox: new messages go to one team's inbox.
	SharedToTeamInbox
	// SharedToInboxes: new messages go to chosen users' Inboxes or are
	// auto-archived for them. With no users, it is a shared address without
	// auto-share recipients: mail to it alone stays private to its owner,
	// mail that also names another such address is shared among their
	// owners.
	SharedToInboxes
)

// Sharing is the sharing mode of an account or of one shared address.
type Sharing struct {
	Kind SharingKind
	// Team receives the mail when Kind is SharedToTeamInbox.
	Team TeamID
	// Users maps each user to their delivery when Kind is SharedToInboxes.
	Users map[UserID]InboxDelivery
}

// Clone returns a deep copy.
func (s Sharing) Clone() Sharing {
	s.Users = maps.Clone(s.Users)
	return s
}

// SharedAddress shares one address of an account (an alias, a Google group,
// a forwarder) without sharing the whole account; mail is routed by
// recipient address.
type SharedAddress struct {
	Address string
	Sharing Sharing
}

// Account is a connected account: an email account, a phone number, a
// WhatsApp or social inbox, a live chat, a custom channel.
type Account struct {
	ID      AccountID
	Org     OrgID
	Channel Channel
	// Address is the account's own address (email address, E.164 number,
	// page id, ...), stored in canonical form (see [CanonicalAddress]).
	Address string
	// Owner connected or imported the account; only the owner may delete its
	// conversations for everyone, and the owner sees all of its content
	// whatever team it is shared with.
	Owner UserID
	// Delegates have delegated access to the owner's account.
	Delegates []UserID
	// Sharing applies to mail that matches no shared address.
	Sharing Sharing
	// SharedAddresses are shared separately from the account.
	SharedAddresses []SharedAddress
}

// Clone returns a deep copy.
func (a *Account) Clone() *Account {
	c := *a
	c.Delegates = slices.Clone(a.Delegates)
	c.Sharing = a.Sharing.Clone()
	c.SharedAddresses = slices.Clone(a.SharedAddresses)
	for i := range c.SharedAddresses {
		c.SharedAddresses[i].Sharing = c.SharedAddresses[i].Sharing.Clone()
	}
	return &c
}

// Addresses returns the account's own address followed by its shared
// addresses, all canonical.
func (a *Account) Addresses() []string {
	out := []string{a.Address}
	for _, s := range a.SharedAddresses {
		out = append(out, s.Address)
	}
	return out
}

// SharingFor returns the sharing that applies to mail addressed to addr:
// the shared address's own when addr is one, otherwise the account's.
// The second result reports whether addr is one of the account's addresses.
func (a *Account) SharingFor(addr string) (Sharing, bool) {
	if s, ok := a.SharedAddress(addr); ok {
		return s.Sharing, true
	}
	return a.Sharing, CanonicalAddress(addr) == a.Address
}

// SharedAddress returns the shared address addr (any case) of the
// account, if it is one.
func (a *Account) SharedAddress(addr string) (SharedAddress, bool) {
	addr = CanonicalAddress(addr)
	for _, s := range a.SharedAddresses {
		if s.Address == addr {
			return s, true
		}
	}
	return SharedAddress{}, false
}

// IsDelegate reports whether u has delegated access to the account.
func (a *Account) IsDelegate(u UserID) bool { return slices.Contains(a.Delegates, u) }

// MayMarkSpam reports whether user u may mark what account a received as
// spam: only the owner or a delegated user of an email account may (the
// mark moves the provider's copy to its spam folder, and a block applies
// to the account's future mail). Users the conversation is merely shared
// with, through a team inbox, their Inbox or a mention, may not.
func (a *Account) MayMarkSpam(u UserID) bool {
	return a.Channel == Email && (a.Owner == u || a.IsDelegate(u))
}

// CanonicalAddress returns the form addresses are stored and compared in:
// surrounding space trimmed and letters lower-cased.
func CanonicalAddress(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

// CanSendFrom reports whether user u may send as address addr of account a:
// a user must be granted access to an address or alias to send from it. The
// account's owner and delegated users may use every address of it; otherwise
// the sharing that applies to addr decides: the members (active or
// observers) of its team for a team-inbox sharing, the users it is shared
// with for an Inbox-mode sharing, nobody for a personal address. teams must
// hold the sharing's team. Guests send nothing.
func CanSendFrom(a *Account, addr string, u *User, teams Teams) bool {
	if a == nil || u == nil || u.Org != a.Org || u.Role == RoleGuest {
		return false
	}
	sh, own := a.SharingFor(addr)
	if !own {
		return false
	}
	if u.ID == a.Owner || a.IsDelegate(u.ID) {
		return true
	}
	switch sh.Kind {
	case SharedToTeamInbox:
		t := teams[sh.Team]
		return t != nil && t.MemberKind(u.ID) != 0
	case SharedToInboxes:
		_, ok := sh.Users[u.ID]
		return ok
	}
	return false
}
