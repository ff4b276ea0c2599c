package inbox

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// ContactInput is what a caller writes of a contact. Company and Groups
// are names: a name the organization does not know yet creates the
// company or group, a known one (compared without case) links to it.
type ContactInput struct {
	// Book holds the contact; changing it on an update moves the contact.
	Book                          conversation.ContactBookID
	FirstName, LastName, Nickname string
	Company                       string
	JobTitle, Department          string
	Groups                        []string
	Emails                        []conversation.ContactEmail
	Phones                        []conversation.ContactPhone
	Notes                         string
	Starred                       bool
}

// checkContactInput validates the sizes and encodings of in and trims
// its names.
func checkContactInput(in *ContactInput) error {
	if len(in.Emails) > MaxContactValues || len(in.Phones) > MaxContactValues || len(in.Groups) > MaxContactValues {
		return conversation.Errorf(ErrInvalidArgument, "a contact holds at most %d email addresses, phone numbers and groups each", MaxContactValues)
	}
	texts := []*string{&in.FirstName, &in.LastName, &in.Nickname, &in.Company, &in.JobTitle, &in.Department}
	for i := range in.Groups {
		texts = append(texts, &in.Groups[i])
	}
	for i := range in.Emails {
		texts = append(texts, &in.Emails[i].Address, &in.Emails[i].Label)
	}
	for i := range in.Phones {
		texts = append(texts, &in.Phones[i].Number, &in.Phones[i].Label)
	}
	for _, p := range texts {
		*p = strings.TrimSpace(*p)
		if len(*p) > MaxContactText || !utf8.ValidString(*p) {
			return conversation.Errorf(ErrInvalidArgument, "contact values are at most %d bytes of UTF-8", MaxContactText)
		}
	}
	if len(in.Notes) > MaxContactNotes || !utf8.ValidString(in.Notes) {
		return conversation.Errorf(ErrInvalidArgument, "contact notes are at most %d bytes of UTF-8", MaxContactNotes)
	}
	for _, e := range in.Emails {
		if a := e.Address; strings.Count(a, "@") != 1 || strings.HasPrefix(a, "@") || strings.HasSuffix(a, "@") || strings.ContainsAny(a, " \t\r\n<>") {
			return conversation.Errorf(ErrInvalidArgument, "contact email address %q is not an address", a)
		}
	}
	for _, p := range in.Phones {
		if k := conversation.ContactKey(p.Number); k == "" || strings.Contains(k, "@") || strings.TrimPrefix(k, "+") == "" || strings.ContainsFunc(strings.TrimPrefix(k, "+"), func(r rune) bool { return r < '0' || r > '9' }) {
			return conversation.Errorf(ErrInvalidArgument, "contact phone number %q is not a number", p.Number)
		}
	}
	return nil
}

// buildContact fills c from in, creating the company and groups in names
// not known yet.
func buildContact(ctx context.Context, e *Engine, w storage.ContactWriter, r storage.ContactReader, c *conversation.Contact, in ContactInput) error {
	c.Book = in.Book
	c.FirstName, c.LastName, c.Nickname = in.FirstName, in.LastName, in.Nickname
	c.JobTitle, c.Department, c.Notes, c.Starred = in.JobTitle, in.Department, in.Notes, in.Starred
	c.Emails, c.Phones = slices.Clone(in.Emails), slices.Clone(in.Phones)
	c.Company = conversation.CompanyID{}
	if in.Company != "" {
		co, err := r.CompanyByName(ctx, c.Org, in.Company)
		if isNotFound(err) {
			co = &conversation.Company{ID: conversation.CompanyID(e.newID()), Org: c.Org, Name: in.Company}
			err = w.PutCompany(ctx, co)
		}
		if err != nil {
			return err
		}
		c.Company = co.ID
	}
	c.Groups = nil
	for _, name := range in.Groups {
		if name == "" {
			continue
		}
		g, err := r.ContactGroupByName(ctx, c.Org, name)
		if isNotFound(err) {
			g = &conversation.ContactGroup{ID: conversation.ContactGroupID(e.newID()), Org: c.Org, Name: name}
			err = w.PutContactGroup(ctx, g)
		}
		if err != nil {
			return err
		}
		conversation.AddSorted(&c.Groups, g.ID)
	}
	return w.PutContact(ctx, c)
}

// contactOp runs fn for a user actor with the contact role of the
// transaction.
func (e *Engine) contactOp(ctx context.Context, actor Actor, fn func(o *op, w storage.ContactWriter, r storage.ContactReader) error) error {
	return e.update(ctx, actor, func(o *op) error {
		if err := contactUser(o.user); err != nil {
			return err
		}
		w, r, err := contactWriter(o.tx)
		if err != nil {
			return err
		}
		return fn(o, w, r)
	})
}

// CreateContact adds a contact to a book the actor may see. Everyone the
// book is shared with may add, edit and delete its contacts.
func (e *Engine) CreateContact(ctx context.Context, actor Actor, in ContactInput) (*conversation.Contact, error) {
	if err := checkContactInput(&in); err != nil {
		return nil, err
	}
	var out *conversation.Contact
	err := e.contactOp(ctx, actor, func(o *op, w storage.ContactWriter, r storage.ContactReader) error {
		if _, err := visibleBook(o.ctx, o.tx, r, o.user, in.Book); err != nil {
			return err
		}
		c := &conversation.Contact{ID: conversation.ContactID(e.newID()), Org: o.user.Org}
		if err := buildContact(o.ctx, e, w, r, c, in); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// UpdateContact replaces what a contact holds with in. The actor must see
// the contact's book, and the book in.Book names when it moves.
func (e *Engine) UpdateContact(ctx context.Context, actor Actor, id conversation.ContactID, in ContactInput) (*conversation.Contact, error) {
	if err := checkContactInput(&in); err != nil {
		return nil, err
	}
	var out *conversation.Contact
	err := e.contactOp(ctx, actor, func(o *op, w storage.ContactWriter, r storage.ContactReader) error {
		c, err := visibleContact(o.ctx, o.tx, r, o.user, id)
		if err != nil {
			return err
		}
		if in.Book.IsZero() {
			in.Book = c.Book
		} else if _, err := visibleBook(o.ctx, o.tx, r, o.user, in.Book); err != nil {
			return err
		}
		if err := buildContact(o.ctx, e, w, r, c, in); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// DeleteContact deletes a contact of a book the actor may see.
func (e *Engine) DeleteContact(ctx context.Context, actor Actor, id conversation.ContactID) error {
	return e.contactOp(ctx, actor, func(o *op, w storage.ContactWriter, r storage.ContactReader) error {
		if _, err := visibleContact(o.ctx, o.tx, r, o.user, id); err != nil {
			return err
		}
		return w.DeleteContact(o.ctx, id)
	})
}

// Contact returns a contact of a book the actor may see.
func (e *Engine) Contact(ctx context.Context, actor Actor, id conversation.ContactID) (*conversation.Contact, error) {
	var out *conversation.Contact
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		if err := contactUser(u); err != nil {
			return err
		}
		r, err := contactReader(tx)
		if err != nil {
			return err
		}
		out, err = visibleContact(ctx, tx, r, u, id)
		return err
	})
	return out, err
}

// MaxContactPage is the most contacts one BookContacts call returns.
const MaxContactPage = 1000

// BookContacts returns up to limit contacts of a book the actor may see,
// with IDs after after (the zero ID: from the start), sorted by ID. A
// limit outside 1 to MaxContactPage means MaxContactPage.
func (e *Engine) BookContacts(ctx context.Context, actor Actor, book conversation.ContactBookID, after conversation.ContactID, limit int) ([]*conversation.Contact, error) {
	if limit <= 0 || limit > MaxContactPage {
		limit = MaxContactPage
	}
	var out []*conversation.Contact
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		if err := contactUser(u); err != nil {
			return err
		}
		r, err := contactReader(tx)
		if err != nil {
			return err
		}
		if _, err := visibleBook(ctx, tx, r, u, book); err != nil {
			return err
		}
		out, err = r.BookContacts(ctx, book, after, limit)
		return err
	})
	return out, err
}

// AddContactAddresses makes each of addrs a contact of book, skipping
// addresses some contact of the book already has (by email address, or
// phone number for SMS and WhatsApp), and returns the contacts it created.
// It is what the rules action "Create contact(s)" does; the System actor
// may run it on any book of the organization, a user on a book they see.
// An address becomes an email address when it holds "@", a phone number
// otherwise; the display name becomes the first name.
func (e *Engine) AddContactAddresses(ctx context.Context, actor Actor, book conversation.ContactBookID, addrs []conversation.Address) ([]*conversation.Contact, error) {
	if len(addrs) > MaxContactValues {
		return nil, conversation.Errorf(ErrInvalidArgument, "at most %d addresses at once", MaxContactValues)
	}
	var out []*conversation.Contact
	err := e.update(ctx, actor, func(o *op) error {
		out = nil
		w, r, err := contactWriter(o.tx)
		if err != nil {
			return err
		}
		var b *conversation.ContactBook
		if actor.system {
			if b, err = r.ContactBook(o.ctx, book); err != nil {
				return err
			}
		} else {
			if err := contactUser(o.user); err != nil {
				return err
			}
			if b, err = visibleBook(o.ctx, o.tx, r, o.user, book); err != nil {
				return err
			}
		}
		seen := map[string]bool{}
		for _, a := range addrs {
			in := ContactInput{Book: b.ID, FirstName: a.Name}
			if strings.Contains(a.Address, "@") {
				in.Emails = []conversation.ContactEmail{{Address: a.Address}}
			} else {
				in.Phones = []conversation.ContactPhone{{Number: a.Address}}
			}
			if err := checkContactInput(&in); err != nil {
				return err
			}
			key := conversation.ContactKey(a.Address)
			if seen[key] {
				continue
			}
			seen[key] = true
			have, err := inBook(o.ctx, r, b, key)
			if err != nil || have {
				if err != nil {
					return err
				}
				continue
			}
			c := &conversation.Contact{ID: conversation.ContactID(e.newID()), Org: b.Org}
			if err := buildContact(o.ctx, e, w, r, c, in); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// inBook reports whether a contact of book b has key, through the key
// index.
func inBook(ctx context.Context, r storage.ContactReader, b *conversation.ContactBook, key string) (bool, error) {
	cs, err := r.ContactsByKeys(ctx, b.Org, []string{key})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(cs, func(c *conversation.Contact) bool { return c.Book == b.ID }), nil
}
