package storagetest

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// runContacts runs the tests of the optional contact role, or skips them
// when the store's transactions do not offer it.
func runContacts(t *testing.T, newStore func(t *testing.T) storage.Store) {
	probe := newStore(t)
	offered := false
	_ = probe.View(context.Background(), func(tx storage.ReadTx) error {
		_, offered = tx.(storage.ContactReader)
		return nil
	})
	if !offered {
		t.Skip("the store does not offer the optional contact role (storage.ContactReader)")
	}
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s storage.Store)
	}{
		{"RoundTrip", testContactRoundTrip},
		{"KeyIndex", testContactKeyIndex},
		{"DeleteBook", testContactDeleteBook},
		{"Names", testContactNames},
		{"PastRecipients", testPastRecipients},
		{"Rollback", testContactRollback},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore(t)) })
	}
}

// contactUpdate runs fn with the contact role of a read-write transaction.
func contactUpdate(t *testing.T, s storage.Store, fn func(tx storage.ContactWriter, r storage.ContactReader) error) {
	t.Helper()
	update(t, s, func(tx storage.Tx) error { return fn(tx.(storage.ContactWriter), tx.(storage.ContactReader)) })
}

// contactRead reads through the contact role of a read-only transaction.
func contactRead[T any](t *testing.T, s storage.Store, fn func(r storage.ContactReader) (T, error)) (T, error) {
	t.Helper()
	return read(t, s, func(tx storage.ReadTx) (T, error) { return fn(tx.(storage.ContactReader)) })
}

func newBook(org conversation.OrgID, owner conversation.UserID) *conversation.ContactBook {
	return &conversation.ContactBook{ID: newID[conversation.ContactBookID](), Org: org, Owner: owner, Name: "Leads",
		Sharing: conversation.BookSharing{Kind: conversation.BookTeams, Teams: []conversation.TeamID{newID[conversation.TeamID]()},
			Users: []conversation.UserID{newID[conversation.UserID]()}}}
}

func newContact(b *conversation.ContactBook, email, phone string) *conversation.Contact {
	return &conversation.Contact{ID: newID[conversation.ContactID](), Org: b.Org, Book: b.ID, FirstName: "Ann", LastName: "Lee",
		Emails: []conversation.ContactEmail{{Address: email, Label: "work"}}, Phones: []conversation.ContactPhone{{Number: phone, Label: "mobile"}}}
}

func contactIDs(cs []*conversation.Contact) []conversation.ContactID {
	return ids(cs, func(c *conversation.Contact) conversation.ContactID { return c.ID })
}

// testContactRoundTrip covers books, groups, companies and contacts: exact
// round trips, copies, the owned-book counter, and references that must
// exist.
func testContactRoundTrip(t *testing.T, s storage.Store) {
	ctx := context.Background()
	org, owner := newOrg(), newID[conversation.UserID]()
	b := newBook(org.ID, owner)
	g := &conversation.ContactGroup{ID: newID[conversation.ContactGroupID](), Org: org.ID, Name: "VIPs"}
	co := &conversation.Company{ID: newID[conversation.CompanyID](), Org: org.ID, Name: "Acme", Domains: []string{"acme.com"}}
	c := newContact(b, "ann@acme.com", "+15550100")
	c.Company, c.Groups, c.Notes, c.Starred = co.ID, []conversation.ContactGroupID{g.ID}, "**n**", true
	contactUpdate(t, s, func(w storage.ContactWriter, _ storage.ContactReader) error {
		require.NoError(t, w.PutContactBook(ctx, b))
		require.NoError(t, w.PutContactGroup(ctx, g))
		require.NoError(t, w.PutCompany(ctx, co))
		require.NoError(t, w.PutContact(ctx, c))
		return nil
	})
	gotB, err := contactRead(t, s, func(r storage.ContactReader) (*conversation.ContactBook, error) { return r.ContactBook(ctx, b.ID) })
	require.NoError(t, err)
	assert.Equal(t, b, gotB)
	gotC, err := contactRead(t, s, func(r storage.ContactReader) (*conversation.Contact, error) { return r.Contact(ctx, c.ID) })
	require.NoError(t, err)
	assert.Equal(t, c, gotC)
	gotC.Emails[0].Address = "x@y"
	again, _ := contactRead(t, s, func(r storage.ContactReader) (*conversation.Contact, error) { return r.Contact(ctx, c.ID) })
	assert.Equal(t, c, again, "reads are copies")
	gotCo, err := contactRead(t, s, func(r storage.ContactReader) (*conversation.Company, error) { return r.Company(ctx, co.ID) })
	require.NoError(t, err)
	assert.Equal(t, co, gotCo)
	n, _ := contactRead(t, s, func(r storage.ContactReader) (int, error) { return r.CountOwnedContactBooks(ctx, owner) })
	assert.Equal(t, 1, n)
	books, _ := contactRead(t, s, func(r storage.ContactReader) ([]*conversation.ContactBook, error) { return r.ContactBooks(ctx, org.ID) })
	assert.Equal(t, []*conversation.ContactBook{b}, books)

	_, err = contactRead(t, s, func(r storage.ContactReader) (*conversation.Contact, error) {
		return r.Contact(ctx, newID[conversation.ContactID]())
	})
	assert.ErrorIs(t, err, conversation.ErrNotFound)
	for name, bad := range map[string]func(c *conversation.Contact){
		"book":    func(c *conversation.Contact) { c.Book = newID[conversation.ContactBookID]() },
		"company": func(c *conversation.Contact) { c.Company = newID[conversation.CompanyID]() },
		"group": func(c *conversation.Contact) {
			c.Groups = []conversation.ContactGroupID{newID[conversation.ContactGroupID]()}
		},
	} {
		x := newContact(b, "z@acme.com", "")
		bad(x)
		err := s.Update(ctx, func(tx storage.Tx) error { return tx.(storage.ContactWriter).PutContact(ctx, x) })
		assert.ErrorIs(t, err, conversation.ErrNotFound, name)
	}
	moved := b.Clone()
	moved.Owner = newID[conversation.UserID]()
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.(storage.ContactWriter).PutContactBook(ctx, moved) })
	assert.ErrorIs(t, err, conversation.ErrInvalidArgument)
}

// testContactKeyIndex covers lookups by email and phone key, within one
// organization, kept current when a contact changes or is deleted.
func testContactKeyIndex(t *testing.T, s storage.Store) {
	ctx := context.Background()
	org, other := newOrg(), newOrg()
	b, ob := newBook(org.ID, newID[conversation.UserID]()), newBook(other.ID, newID[conversation.UserID]())
	c1 := newContact(b, "Ann@Example.com", "+1 (555) 010-0100")
	c2 := newContact(b, "bob@example.com", "+15550100200")
	c3 := newContact(ob, "ann@example.com", "")
	contactUpdate(t, s, func(w storage.ContactWriter, _ storage.ContactReader) error {
		for _, bk := range []*conversation.ContactBook{b, ob} {
			require.NoError(t, w.PutContactBook(ctx, bk))
		}
		for _, c := range []*conversation.Contact{c1, c2, c3} {
			require.NoError(t, w.PutContact(ctx, c))
		}
		return nil
	})
	find := func(keys ...string) []conversation.ContactID {
		cs, err := contactRead(t, s, func(r storage.ContactReader) ([]*conversation.Contact, error) {
			return r.ContactsByKeys(ctx, org.ID, keys)
		})
		require.NoError(t, err)
		return contactIDs(cs)
	}
	assert.Equal(t, []conversation.ContactID{c1.ID}, find("ann@example.com"), "other organizations are not searched")
	assert.Equal(t, []conversation.ContactID{c1.ID}, find(conversation.ContactKey("+1 555 010 0100")))
	assert.Equal(t, []conversation.ContactID{c1.ID, c2.ID}, find("+15550100200", "ann@example.com", "+15550100100"), "each once, by ID")
	assert.Empty(t, find("nobody@example.com"))

	c1.Emails = []conversation.ContactEmail{{Address: "ann@new.example"}}
	contactUpdate(t, s, func(w storage.ContactWriter, _ storage.ContactReader) error {
		require.NoError(t, w.PutContact(ctx, c1))
		require.NoError(t, w.DeleteContact(ctx, c2.ID))
		return nil
	})
	assert.Empty(t, find("ann@example.com", "bob@example.com", "+15550100200"), "old keys and deleted contacts leave the index")
	assert.Equal(t, []conversation.ContactID{c1.ID}, find("ann@new.example"))
}

// testContactDeleteBook covers deleting a book's contacts with or without
// the book, paging through a book, and the owned-book counter.
func testContactDeleteBook(t *testing.T, s storage.Store) {
	ctx := context.Background()
	org, owner := newOrg(), newID[conversation.UserID]()
	b, keep := newBook(org.ID, owner), newBook(org.ID, owner)
	var cs []*conversation.Contact
	for _, a := range []string{"a@x.test", "b@x.test", "c@x.test"} {
		cs = append(cs, newContact(b, a, ""))
	}
	kept := newContact(keep, "a@x.test", "")
	contactUpdate(t, s, func(w storage.ContactWriter, _ storage.ContactReader) error {
		require.NoError(t, w.PutContactBook(ctx, b))
		require.NoError(t, w.PutContactBook(ctx, keep))
		for _, c := range append(cs, kept) {
			require.NoError(t, w.PutContact(ctx, c))
		}
		return nil
	})
	page, _ := contactRead(t, s, func(r storage.ContactReader) ([]*conversation.Contact, error) {
		return r.BookContacts(ctx, b.ID, cs[0].ID, 1)
	})
	assert.Equal(t, []conversation.ContactID{cs[1].ID}, contactIDs(page))

	contactUpdate(t, s, func(w storage.ContactWriter, _ storage.ContactReader) error { return w.DeleteContactBook(ctx, b.ID) })
	for _, c := range cs {
		_, err := contactRead(t, s, func(r storage.ContactReader) (*conversation.Contact, error) { return r.Contact(ctx, c.ID) })
		assert.ErrorIs(t, err, conversation.ErrNotFound)
	}
	left, _ := contactRead(t, s, func(r storage.ContactReader) ([]*conversation.Contact, error) {
		return r.ContactsByKeys(ctx, org.ID, []string{"a@x.test", "b@x.test"})
	})
	assert.Equal(t, []conversation.ContactID{kept.ID}, contactIDs(left), "contacts are deleted, not moved")
	n, _ := contactRead(t, s, func(r storage.ContactReader) (int, error) { return r.CountOwnedContactBooks(ctx, owner) })
	assert.Equal(t, 1, n)

	var removed int
	contactUpdate(t, s, func(w storage.ContactWriter, _ storage.ContactReader) (err error) {
		removed, err = w.DeleteBookContacts(ctx, keep.ID)
		return err
	})
	assert.Equal(t, 1, removed)
	_, err := contactRead(t, s, func(r storage.ContactReader) (*conversation.ContactBook, error) { return r.ContactBook(ctx, keep.ID) })
	assert.NoError(t, err, "the book stays")
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.(storage.ContactWriter).DeleteContactBook(ctx, b.ID) })
	assert.ErrorIs(t, err, conversation.ErrNotFound)
}

// testContactNames covers group and company name and domain uniqueness
// and lookups.
func testContactNames(t *testing.T, s storage.Store) {
	ctx := context.Background()
	org := newOrg()
	g := &conversation.ContactGroup{ID: newID[conversation.ContactGroupID](), Org: org.ID, Name: "VIPs"}
	co := &conversation.Company{ID: newID[conversation.CompanyID](), Org: org.ID, Name: "Acme", Domains: []string{"Acme.com"}}
	contactUpdate(t, s, func(w storage.ContactWriter, _ storage.ContactReader) error {
		require.NoError(t, w.PutContactGroup(ctx, g))
		return w.PutCompany(ctx, co)
	})
	for name, put := range map[string]func(w storage.ContactWriter) error{
		"group name": func(w storage.ContactWriter) error {
			return w.PutContactGroup(ctx, &conversation.ContactGroup{ID: newID[conversation.ContactGroupID](), Org: org.ID, Name: "vips"})
		},
		"company name": func(w storage.ContactWriter) error {
			return w.PutCompany(ctx, &conversation.Company{ID: newID[conversation.CompanyID](), Org: org.ID, Name: "ACME"})
		},
		"company domain": func(w storage.ContactWriter) error {
			return w.PutCompany(ctx, &conversation.Company{ID: newID[conversation.CompanyID](), Org: org.ID, Name: "Other", Domains: []string{"acme.com"}})
		},
	} {
		err := s.Update(ctx, func(tx storage.Tx) error { return put(tx.(storage.ContactWriter)) })
		assert.ErrorIs(t, err, conversation.ErrConflict, name)
	}
	gotG, err := contactRead(t, s, func(r storage.ContactReader) (*conversation.ContactGroup, error) {
		return r.ContactGroupByName(ctx, org.ID, "vIPs")
	})
	require.NoError(t, err)
	assert.Equal(t, g.ID, gotG.ID)
	gotCo, err := contactRead(t, s, func(r storage.ContactReader) (*conversation.Company, error) {
		return r.CompanyByDomain(ctx, org.ID, "ACME.com")
	})
	require.NoError(t, err)
	assert.Equal(t, co.ID, gotCo.ID)
	gotCo, err = contactRead(t, s, func(r storage.ContactReader) (*conversation.Company, error) {
		return r.CompanyByName(ctx, org.ID, "acme")
	})
	require.NoError(t, err)
	assert.Equal(t, co.ID, gotCo.ID)

	g.Name = "Clients" // a rename frees the old name
	contactUpdate(t, s, func(w storage.ContactWriter, _ storage.ContactReader) error { return w.PutContactGroup(ctx, g) })
	_, err = contactRead(t, s, func(r storage.ContactReader) (*conversation.ContactGroup, error) {
		return r.ContactGroupByName(ctx, org.ID, "VIPs")
	})
	assert.ErrorIs(t, err, conversation.ErrNotFound)
}

// testPastRecipients covers recording and reading who sent mail to an
// address.
func testPastRecipients(t *testing.T, s storage.Store) {
	ctx := context.Background()
	org := newOrg()
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	if u2.Compare(u1) < 0 {
		u1, u2 = u2, u1
	}
	contactUpdate(t, s, func(w storage.ContactWriter, _ storage.ContactReader) error {
		require.NoError(t, w.AddPastRecipients(ctx, org.ID, u2, false, []string{"a@x.test"}))
		require.NoError(t, w.AddPastRecipients(ctx, org.ID, u1, true, []string{"a@x.test", "b@x.test"}))
		return w.AddPastRecipients(ctx, org.ID, u1, false, []string{"a@x.test"})
	})
	got, err := contactRead(t, s, func(r storage.ContactReader) ([]storage.PastRecipient, error) {
		return r.PastRecipients(ctx, org.ID, []string{"c@x.test", "b@x.test", "a@x.test"})
	})
	require.NoError(t, err)
	assert.Equal(t, []storage.PastRecipient{
		{Key: "a@x.test", OrgWide: true, Users: []conversation.UserID{u1, u2}},
		{Key: "b@x.test", OrgWide: true, Users: []conversation.UserID{u1}},
	}, got)
	other, _ := contactRead(t, s, func(r storage.ContactReader) ([]storage.PastRecipient, error) {
		return r.PastRecipients(ctx, newOrg().ID, []string{"a@x.test"})
	})
	assert.Empty(t, other)
}

// testContactRollback checks that an abandoned transaction leaves no
// contact, index entry, counter or name behind.
func testContactRollback(t *testing.T, s storage.Store) {
	ctx := context.Background()
	org, owner := newOrg(), newID[conversation.UserID]()
	b := newBook(org.ID, owner)
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx storage.Tx) error {
		w := tx.(storage.ContactWriter)
		require.NoError(t, w.PutContactBook(ctx, b))
		require.NoError(t, w.PutContact(ctx, newContact(b, "a@x.test", "+1555")))
		require.NoError(t, w.PutContactGroup(ctx, &conversation.ContactGroup{ID: newID[conversation.ContactGroupID](), Org: org.ID, Name: "VIPs"}))
		require.NoError(t, w.AddPastRecipients(ctx, org.ID, owner, true, []string{"a@x.test"}))
		return boom
	})
	require.ErrorIs(t, err, boom)
	view(t, s, func(tx storage.ReadTx) error {
		r := tx.(storage.ContactReader)
		_, err := r.ContactBook(ctx, b.ID)
		assert.ErrorIs(t, err, conversation.ErrNotFound)
		n, _ := r.CountOwnedContactBooks(ctx, owner)
		assert.Zero(t, n)
		cs, _ := r.ContactsByKeys(ctx, org.ID, []string{"a@x.test", "+1555"})
		assert.Empty(t, cs)
		_, err = r.ContactGroupByName(ctx, org.ID, "VIPs")
		assert.ErrorIs(t, err, conversation.ErrNotFound)
		past, _ := r.PastRecipients(ctx, org.ID, []string{"a@x.test"})
		assert.Empty(t, past)
		return nil
	})
}
