package storage

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
)

// ContactReader reads contact books, contacts, contact groups, companies
// and past recipients. It is an optional role: a backend offers it by
// implementing it on the transactions View and Update pass, and the
// engine checks for it with a type assertion (see the package
// documentation). Lookups by address go through indexes keyed by
// [conversation.ContactKey], never through a scan of the contacts.
type ContactReader interface {
	// ContactBook returns a book, ErrNotFound if none.
	ContactBook(ctx context.Context, id conversation.ContactBookID) (*conversation.ContactBook, error)
	// ContactBooks returns every book of org, sorted by ID.
	ContactBooks(ctx context.Context, org conversation.OrgID) ([]*conversation.ContactBook, error)
	// CountOwnedContactBooks returns how many books u owns, from a
	// counter.
	CountOwnedContactBooks(ctx context.Context, u conversation.UserID) (int, error)
	// Contact returns a contact, ErrNotFound if none.
	Contact(ctx context.Context, id conversation.ContactID) (*conversation.Contact, error)
	// BookContacts returns up to limit contacts of book with IDs after
	// after (the zero ID: from the start), sorted by ID.
	BookContacts(ctx context.Context, book conversation.ContactBookID, after conversation.ContactID, limit int) ([]*conversation.Contact, error)
	// ContactsByKeys returns the contacts of org, in every book, that have
	// one of keys (each already a conversation.ContactKey) as an email
	// address or phone number; each contact once, sorted by ID.
	ContactsByKeys(ctx context.Context, org conversation.OrgID, keys []string) ([]*conversation.Contact, error)
	// ContactGroup returns a group, ErrNotFound if none.
	ContactGroup(ctx context.Context, id conversation.ContactGroupID) (*conversation.ContactGroup, error)
	// ContactGroupByName finds a group of org by name, without case;
	// ErrNotFound if none.
	ContactGroupByName(ctx context.Context, org conversation.OrgID, name string) (*conversation.ContactGroup, error)
	// Company returns a company, ErrNotFound if none.
	Company(ctx context.Context, id conversation.CompanyID) (*conversation.Company, error)
	// CompanyByName finds a company of org by name, without case;
	// ErrNotFound if none.
	CompanyByName(ctx context.Context, org conversation.OrgID, name string) (*conversation.Company, error)
	// CompanyByDomain finds the company of org that uses a mail domain
	// (compared in lower case); ErrNotFound if none.
	CompanyByDomain(ctx context.Context, org conversation.OrgID, domain string) (*conversation.Company, error)
	// PastRecipients returns who in org has sent mail to each of keys
	// (each a conversation.ContactKey) that anyone has sent to, sorted by
	// key; keys nobody sent to are left out.
	PastRecipients(ctx context.Context, org conversation.OrgID, keys []string) ([]PastRecipient, error)
}

// ContactWriter writes contacts; the write half of the optional contact
// role (see [ContactReader]).
type ContactWriter interface {
	// PutContactBook creates or replaces a book. Org and Owner of an
	// existing book cannot change: ErrInvalidArgument.
	PutContactBook(ctx context.Context, b *conversation.ContactBook) error
	// DeleteContactBook removes a book and every contact in it.
	// ErrNotFound if none.
	DeleteContactBook(ctx context.Context, id conversation.ContactBookID) error
	// DeleteBookContacts removes every contact of a book and keeps the
	// book; it returns how many it removed. ErrNotFound if no such book.
	DeleteBookContacts(ctx context.Context, id conversation.ContactBookID) (int, error)
	// PutContact creates or replaces a contact. Its book, company and
	// groups must exist in its organization (ErrNotFound otherwise); Org
	// cannot change (ErrInvalidArgument). Moving a contact is changing
	// its Book.
	PutContact(ctx context.Context, c *conversation.Contact) error
	// DeleteContact removes a contact. ErrNotFound if none.
	DeleteContact(ctx context.Context, id conversation.ContactID) error
	// PutContactGroup creates or renames a group. ErrConflict if another
	// group of the organization has the name (without case).
	PutContactGroup(ctx context.Context, g *conversation.ContactGroup) error
	// PutCompany creates or replaces a company. ErrConflict if another
	// company of the organization has the name (without case) or one of
	// the domains.
	PutCompany(ctx context.Context, c *conversation.Company) error
	// AddPastRecipients records that mail was sent to keys (each a
	// conversation.ContactKey) in org: by user when user is not zero, and
	// from an account shared with the organization when orgWide is set.
	AddPastRecipients(ctx context.Context, org conversation.OrgID, user conversation.UserID, orgWide bool, keys []string) error
}

// PastRecipient says who has sent mail to one address.
type PastRecipient struct {
	// Key is the address as a conversation.ContactKey.
	Key string
	// OrgWide is set when mail went to it from an account shared with
	// the organization.
	OrgWide bool
	// Users sent mail to it, sorted by ID.
	Users []conversation.UserID
}
