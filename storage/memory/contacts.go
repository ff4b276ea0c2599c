package memory

import (
	"context"
	"slices"

	"github.com/google/btree"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// The store offers the optional contact role.
var (
	_ storage.ContactReader = (*state)(nil)
	_ storage.ContactWriter = (*writeTx)(nil)
)

// contactState holds contact books, contacts, groups, companies and past
// recipients with the indexes lookups read.
type contactState struct {
	books      map[conversation.ContactBookID]*conversation.ContactBook
	orgBooks   map[conversation.OrgID]*btree.BTreeG[conversation.ContactBookID]
	ownedBooks map[conversation.UserID]int

	contacts     map[conversation.ContactID]*conversation.Contact
	bookContacts map[conversation.ContactBookID]*btree.BTreeG[conversation.ContactID]
	// contactKeys maps an organization and a conversation.ContactKey to
	// the contacts having it.
	contactKeys map[orgKey]*btree.BTreeG[conversation.ContactID]

	groups     map[conversation.ContactGroupID]*conversation.ContactGroup
	groupNames map[orgKey]conversation.ContactGroupID

	companies      map[conversation.CompanyID]*conversation.Company
	companyNames   map[orgKey]conversation.CompanyID
	companyDomains map[orgKey]conversation.CompanyID

	// past maps an organization and a key to who sent mail to it; the
	// records are replaced, never changed in place.
	past map[orgKey]*storage.PastRecipient
}

func (s *contactState) init() {
	s.books = make(map[conversation.ContactBookID]*conversation.ContactBook)
	s.orgBooks = make(map[conversation.OrgID]*btree.BTreeG[conversation.ContactBookID])
	s.ownedBooks = make(map[conversation.UserID]int)
	s.contacts = make(map[conversation.ContactID]*conversation.Contact)
	s.bookContacts = make(map[conversation.ContactBookID]*btree.BTreeG[conversation.ContactID])
	s.contactKeys = make(map[orgKey]*btree.BTreeG[conversation.ContactID])
	s.groups = make(map[conversation.ContactGroupID]*conversation.ContactGroup)
	s.groupNames = make(map[orgKey]conversation.ContactGroupID)
	s.companies = make(map[conversation.CompanyID]*conversation.Company)
	s.companyNames = make(map[orgKey]conversation.CompanyID)
	s.companyDomains = make(map[orgKey]conversation.CompanyID)
	s.past = make(map[orgKey]*storage.PastRecipient)
}

func contactNotFound(what string, id interface{ String() string }) error {
	return conversation.Errorf(conversation.ErrNotFound, "%s %s does not exist", what, id)
}

// ContactBook implements [storage.ContactReader].
func (s *state) ContactBook(_ context.Context, id conversation.ContactBookID) (*conversation.ContactBook, error) {
	b := s.books[id]
	if b == nil {
		return nil, contactNotFound("contact book", id)
	}
	return b.Clone(), nil
}

// ContactBooks implements [storage.ContactReader].
func (s *state) ContactBooks(_ context.Context, org conversation.OrgID) ([]*conversation.ContactBook, error) {
	return collect(s.orgBooks[org], func(id conversation.ContactBookID) *conversation.ContactBook { return s.books[id].Clone() }), nil
}

// CountOwnedContactBooks implements [storage.ContactReader].
func (s *state) CountOwnedContactBooks(_ context.Context, u conversation.UserID) (int, error) {
	return s.ownedBooks[u], nil
}

// Contact implements [storage.ContactReader].
func (s *state) Contact(_ context.Context, id conversation.ContactID) (*conversation.Contact, error) {
	c := s.contacts[id]
	if c == nil {
		return nil, contactNotFound("contact", id)
	}
	return c.Clone(), nil
}

// BookContacts implements [storage.ContactReader].
func (s *state) BookContacts(_ context.Context, book conversation.ContactBookID, after conversation.ContactID, limit int) ([]*conversation.Contact, error) {
	var out []*conversation.Contact
	tr := s.bookContacts[book]
	if tr == nil || limit <= 0 {
		return out, nil
	}
	tr.AscendGreaterOrEqual(after, func(id conversation.ContactID) bool {
		if id == after {
			return true
		}
		out = append(out, s.contacts[id].Clone())
		return len(out) < limit
	})
	return out, nil
}

// ContactsByKeys implements [storage.ContactReader].
func (s *state) ContactsByKeys(_ context.Context, org conversation.OrgID, keys []string) ([]*conversation.Contact, error) {
	var ids []conversation.ContactID
	for _, k := range keys {
		if tr := s.contactKeys[orgKey{org, k}]; tr != nil {
			tr.Ascend(func(id conversation.ContactID) bool { ids = append(ids, id); return true })
		}
	}
	slices.SortFunc(ids, conversation.ContactID.Compare)
	ids = slices.Compact(ids)
	out := make([]*conversation.Contact, len(ids))
	for i, id := range ids {
		out[i] = s.contacts[id].Clone()
	}
	return out, nil
}

// ContactGroup implements [storage.ContactReader].
func (s *state) ContactGroup(_ context.Context, id conversation.ContactGroupID) (*conversation.ContactGroup, error) {
	g := s.groups[id]
	if g == nil {
		return nil, contactNotFound("contact group", id)
	}
	c := *g
	return &c, nil
}

// ContactGroupByName implements [storage.ContactReader].
func (s *state) ContactGroupByName(ctx context.Context, org conversation.OrgID, name string) (*conversation.ContactGroup, error) {
	id, ok := s.groupNames[orgKey{org, foldHandle(name)}]
	if !ok {
		return nil, conversation.Errorf(conversation.ErrNotFound, "no contact group is named %q", name)
	}
	return s.ContactGroup(ctx, id)
}

// Company implements [storage.ContactReader].
func (s *state) Company(_ context.Context, id conversation.CompanyID) (*conversation.Company, error) {
	c := s.companies[id]
	if c == nil {
		return nil, contactNotFound("company", id)
	}
	return c.Clone(), nil
}

// CompanyByName implements [storage.ContactReader].
func (s *state) CompanyByName(ctx context.Context, org conversation.OrgID, name string) (*conversation.Company, error) {
	id, ok := s.companyNames[orgKey{org, foldHandle(name)}]
	if !ok {
		return nil, conversation.Errorf(conversation.ErrNotFound, "no company is named %q", name)
	}
	return s.Company(ctx, id)
}

// CompanyByDomain implements [storage.ContactReader].
func (s *state) CompanyByDomain(ctx context.Context, org conversation.OrgID, domain string) (*conversation.Company, error) {
	id, ok := s.companyDomains[orgKey{org, conversation.CanonicalAddress(domain)}]
	if !ok {
		return nil, conversation.Errorf(conversation.ErrNotFound, "no company uses the domain %q", domain)
	}
	return s.Company(ctx, id)
}

// PastRecipients implements [storage.ContactReader].
func (s *state) PastRecipients(_ context.Context, org conversation.OrgID, keys []string) ([]storage.PastRecipient, error) {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var out []storage.PastRecipient
	for _, k := range keys {
		if p := s.past[orgKey{org, k}]; p != nil {
			c := *p
			c.Users = slices.Clone(p.Users)
			out = append(out, c)
		}
	}
	return out, nil
}

// PutContactBook implements [storage.ContactWriter].
func (t *writeTx) PutContactBook(_ context.Context, b *conversation.ContactBook) error {
	if b == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutContactBook: nil book")
	}
	old := t.books[b.ID]
	if old != nil && (old.Org != b.Org || old.Owner != b.Owner) {
		return conversation.Errorf(conversation.ErrInvalidArgument, "contact book %s: organization and owner cannot change", b.ID)
	}
	if old == nil {
		treeInsert(t, idSet(t.orgBooks, b.Org), b.ID)
		setMap(t, t.ownedBooks, b.Owner, t.ownedBooks[b.Owner]+1)
	}
	setMap(t, t.books, b.ID, b.Clone())
	return nil
}

// DeleteContactBook implements [storage.ContactWriter].
func (t *writeTx) DeleteContactBook(ctx context.Context, id conversation.ContactBookID) error {
	b := t.books[id]
	if b == nil {
		return contactNotFound("contact book", id)
	}
	if _, err := t.DeleteBookContacts(ctx, id); err != nil {
		return err
	}
	treeDelete(t, t.orgBooks[b.Org], id)
	setMap(t, t.ownedBooks, b.Owner, t.ownedBooks[b.Owner]-1)
	deleteMap(t, t.books, id)
	return nil
}

// DeleteBookContacts implements [storage.ContactWriter].
func (t *writeTx) DeleteBookContacts(_ context.Context, id conversation.ContactBookID) (int, error) {
	if t.books[id] == nil {
		return 0, contactNotFound("contact book", id)
	}
	var ids []conversation.ContactID
	if tr := t.bookContacts[id]; tr != nil {
		tr.Ascend(func(c conversation.ContactID) bool { ids = append(ids, c); return true })
	}
	for _, c := range ids {
		t.unindexContact(t.contacts[c])
	}
	return len(ids), nil
}

// PutContact implements [storage.ContactWriter].
func (t *writeTx) PutContact(_ context.Context, c *conversation.Contact) error {
	if c == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutContact: nil contact")
	}
	if old := t.contacts[c.ID]; old != nil && old.Org != c.Org {
		return conversation.Errorf(conversation.ErrInvalidArgument, "contact %s: organization cannot change", c.ID)
	}
	if b := t.books[c.Book]; b == nil || b.Org != c.Org {
		return contactNotFound("contact book", c.Book)
	}
	if !c.Company.IsZero() {
		if co := t.companies[c.Company]; co == nil || co.Org != c.Org {
			return contactNotFound("company", c.Company)
		}
	}
	for _, g := range c.Groups {
		if gr := t.groups[g]; gr == nil || gr.Org != c.Org {
			return contactNotFound("contact group", g)
		}
	}
	if old := t.contacts[c.ID]; old != nil {
		t.unindexContact(old)
	}
	nc := c.Clone()
	setMap(t, t.contacts, nc.ID, nc)
	treeInsert(t, idSet(t.bookContacts, nc.Book), nc.ID)
	for _, k := range nc.Keys() {
		treeInsert(t, idSet(t.contactKeys, orgKey{nc.Org, k}), nc.ID)
	}
	return nil
}

// unindexContact removes c and its index entries.
func (t *writeTx) unindexContact(c *conversation.Contact) {
	for _, k := range c.Keys() {
		treeDelete(t, t.contactKeys[orgKey{c.Org, k}], c.ID)
	}
	treeDelete(t, t.bookContacts[c.Book], c.ID)
	deleteMap(t, t.contacts, c.ID)
}

// DeleteContact implements [storage.ContactWriter].
func (t *writeTx) DeleteContact(_ context.Context, id conversation.ContactID) error {
	c := t.contacts[id]
	if c == nil {
		return contactNotFound("contact", id)
	}
	t.unindexContact(c)
	return nil
}

// PutContactGroup implements [storage.ContactWriter].
func (t *writeTx) PutContactGroup(_ context.Context, g *conversation.ContactGroup) error {
	if g == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutContactGroup: nil group")
	}
	old := t.groups[g.ID]
	if old != nil && old.Org != g.Org {
		return conversation.Errorf(conversation.ErrInvalidArgument, "contact group %s: organization cannot change", g.ID)
	}
	key := orgKey{g.Org, foldHandle(g.Name)}
	if id, ok := t.groupNames[key]; ok && id != g.ID {
		return conversation.Errorf(conversation.ErrConflict, "a contact group is already named %q", g.Name)
	}
	if old != nil {
		deleteMap(t, t.groupNames, orgKey{old.Org, foldHandle(old.Name)})
	}
	ng := *g
	setMap(t, t.groups, g.ID, &ng)
	setMap(t, t.groupNames, key, g.ID)
	return nil
}

// PutCompany implements [storage.ContactWriter].
func (t *writeTx) PutCompany(_ context.Context, c *conversation.Company) error {
	if c == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutCompany: nil company")
	}
	old := t.companies[c.ID]
	if old != nil && old.Org != c.Org {
		return conversation.Errorf(conversation.ErrInvalidArgument, "company %s: organization cannot change", c.ID)
	}
	name := orgKey{c.Org, foldHandle(c.Name)}
	if id, ok := t.companyNames[name]; ok && id != c.ID {
		return conversation.Errorf(conversation.ErrConflict, "a company is already named %q", c.Name)
	}
	nc := c.Clone()
	for i, d := range nc.Domains {
		nc.Domains[i] = conversation.CanonicalAddress(d)
		if id, ok := t.companyDomains[orgKey{c.Org, nc.Domains[i]}]; ok && id != c.ID {
			return conversation.Errorf(conversation.ErrConflict, "another company uses the domain %q", d)
		}
	}
	if old != nil {
		deleteMap(t, t.companyNames, orgKey{old.Org, foldHandle(old.Name)})
		for _, d := range old.Domains {
			deleteMap(t, t.companyDomains, orgKey{old.Org, d})
		}
	}
	setMap(t, t.companies, nc.ID, nc)
	setMap(t, t.companyNames, name, nc.ID)
	for _, d := range nc.Domains {
		setMap(t, t.companyDomains, orgKey{nc.Org, d}, nc.ID)
	}
	return nil
}

// AddPastRecipients implements [storage.ContactWriter].
func (t *writeTx) AddPastRecipients(_ context.Context, org conversation.OrgID, user conversation.UserID, orgWide bool, keys []string) error {
	for _, k := range keys {
		if k == "" {
			continue
		}
		key := orgKey{org, k}
		p := storage.PastRecipient{Key: k}
		if old := t.past[key]; old != nil {
			p.OrgWide = old.OrgWide
			p.Users = slices.Clone(old.Users)
		}
		p.OrgWide = p.OrgWide || orgWide
		if !user.IsZero() {
			conversation.AddSorted(&p.Users, user)
		}
		setMap(t, t.past, key, &p)
	}
	return nil
}
