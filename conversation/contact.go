package conversation

import (
	"slices"
	"strings"
)

// The contact entity kinds, used only as type parameters of [ID].
type (
	contactBookKind  struct{}
	contactKind      struct{}
	contactGroupKind struct{}
	companyKind      struct{}
)

// Typed identifiers of the contact entities.
type (
	// ContactBookID identifies a [ContactBook].
	ContactBookID = ID[contactBookKind]
	// ContactID identifies a [Contact].
	ContactID = ID[contactKind]
	// ContactGroupID identifies a [ContactGroup].
	ContactGroupID = ID[contactGroupKind]
	// CompanyID identifies a [Company].
	CompanyID = ID[companyKind]
)

// MaxPersonalContactBooks is how many contact books one user may own.
const MaxPersonalContactBooks = 500

// BookSharingKind says who may use a contact book.
type BookSharingKind uint8

const (
	// BookPersonal (the zero value): only the owner. A new book stays
	// private until it is shared.
	BookPersonal BookSharingKind = iota
	// BookOrg: every member of the organization.
	BookOrg
	// BookTeams: the members (active or observers) of the listed teams.
	BookTeams
	// BookUsers: the listed users.
	BookUsers
)

// BookSharing is who a contact book is shared with.
type BookSharing struct {
	Kind BookSharingKind
	// Teams are the teams of BookTeams, sorted by ID.
	Teams []TeamID
	// Users are the users of BookUsers, sorted by ID.
	Users []UserID
}

// ContactBook holds contacts. Everyone it is shared with may read and
// edit its contacts; only its owner and organization admins may change its
// sharing or delete it, and deleting it deletes its contacts.
type ContactBook struct {
	ID    ContactBookID
	Org   OrgID
	Owner UserID
	Name  string
	// Sharing says who besides the owner may use the book.
	Sharing BookSharing
	// ExcludeFromSearch hides the book's contacts from compose
	// auto-complete; they still count everywhere else.
	ExcludeFromSearch bool
	// Synced marks the book a provider sync (Google, Office 365) keeps:
	// CSV files cannot be imported into it, and stopping the sync deletes
	// its contacts.
	Synced bool
}

// Clone returns a deep copy.
func (b *ContactBook) Clone() *ContactBook {
	c := *b
	c.Sharing.Teams = slices.Clone(b.Sharing.Teams)
	c.Sharing.Users = slices.Clone(b.Sharing.Users)
	return &c
}

// Shared reports whether the book is shared with anyone besides its owner:
// the organization, a team or some users. Those are the organization's
// contact books, which "in contacts" looks in for organization rules; a
// personal book is left out.
func (b *ContactBook) Shared() bool {
	switch b.Sharing.Kind {
	case BookOrg:
		return true
	case BookTeams:
		return len(b.Sharing.Teams) > 0
	case BookUsers:
		return len(b.Sharing.Users) > 0
	}
	return false
}

// VisibleTo reports whether user u may see and edit the book's contacts:
// its owner, and the users it is shared with (for a team sharing, the
// members of the team, which teams must hold). Guests see no contacts.
func (b *ContactBook) VisibleTo(u *User, teams Teams) bool {
	if u == nil || u.Org != b.Org || u.Role == RoleGuest {
		return false
	}
	if u.ID == b.Owner {
		return true
	}
	switch b.Sharing.Kind {
	case BookOrg:
		return true
	case BookTeams:
		for _, id := range b.Sharing.Teams {
			if t := teams[id]; t != nil && t.MemberKind(u.ID) != 0 {
				return true
			}
		}
	case BookUsers:
		_, ok := slices.BinarySearchFunc(b.Sharing.Users, u.ID, UserID.Compare)
		return ok
	}
	return false
}

// Manageable reports whether user u may change the book's sharing or
// delete it: its owner and organization admins.
func (b *ContactBook) Manageable(u *User) bool {
	return u != nil && u.Org == b.Org && u.Role != RoleGuest && (u.ID == b.Owner || u.Role.IsAdmin())
}

// ContactEmail is one email address of a contact, with its label (work,
// home, personal, other).
type ContactEmail struct {
	Address string
	Label   string
}

// ContactPhone is one phone number of a contact, with its label (mobile,
// main, home, work, ...).
type ContactPhone struct {
	Number string
	Label  string
}

// Contact is a person in one contact book.
type Contact struct {
	ID   ContactID
	Org  OrgID
	Book ContactBookID
	// FirstName, LastName and Nickname are the contact's names.
	FirstName, LastName, Nickname string
	// Company is the employer, zero for none.
	Company    CompanyID
	JobTitle   string
	Department string
	// Groups are the contact's groups, sorted by ID.
	Groups []ContactGroupID
	Emails []ContactEmail
	Phones []ContactPhone
	// Notes are free text (markdown).
	Notes   string
	Starred bool
}

// Clone returns a deep copy.
func (c *Contact) Clone() *Contact {
	d := *c
	d.Groups = slices.Clone(c.Groups)
	d.Emails = slices.Clone(c.Emails)
	d.Phones = slices.Clone(c.Phones)
	return &d
}

// Keys returns the lookup keys of the contact ([ContactKey] of each email
// address and phone number), sorted, each once, without empty keys.
func (c *Contact) Keys() []string {
	keys := make([]string, 0, len(c.Emails)+len(c.Phones))
	for _, e := range c.Emails {
		keys = append(keys, ContactKey(e.Address))
	}
	for _, p := range c.Phones {
		keys = append(keys, ContactKey(p.Number))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if len(keys) > 0 && keys[0] == "" {
		keys = keys[1:]
	}
	return keys
}

// ContactGroup tags contacts across companies (VIPs, Leads, Partners).
// Names are unique in an organization, compared without case.
type ContactGroup struct {
	ID   ContactGroupID
	Org  OrgID
	Name string
}

// Company is an employer contacts can be linked to. Names are unique in
// an organization, compared without case, and so are Domains, the mail
// domains the company uses (lower case, without "@").
type Company struct {
	ID      CompanyID
	Org     OrgID
	Name    string
	Domains []string
}

// Clone returns a deep copy.
func (c *Company) Clone() *Company {
	d := *c
	d.Domains = slices.Clone(c.Domains)
	return &d
}

// ContactKey returns the form contacts are looked up by: an email address
// in canonical form ([CanonicalAddress]), or a phone number with its
// formatting (spaces, dashes, dots, parentheses, slashes) removed and a
// leading '+' kept, so "+1 (555) 010-2030" and "+15550102030" are one key.
func ContactKey(addr string) string {
	addr = strings.TrimSpace(addr)
	if strings.Contains(addr, "@") || !looksLikePhone(addr) {
		return CanonicalAddress(addr)
	}
	var b strings.Builder
	b.Grow(len(addr))
	for i, r := range addr {
		switch {
		case r >= '0' && r <= '9', r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// looksLikePhone reports whether s holds only digits, a leading '+' and
// the formatting characters people type into phone numbers, with at least
// one digit.
func looksLikePhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" \t-.()/\u00a0", r):
		default:
			return false
		}
	}
	return digits > 0
}

// AddressDomain returns the lower-case domain of an email address, or ""
// when addr has none.
func AddressDomain(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return CanonicalAddress(addr[i+1:])
}
