package inbox

import (
	"context"
	"slices"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/rules"
	"github.com/inboxkit/inboxkit/storage"
)

// ContactView is what the contacts know about the addresses of one
// message, as the engine loads it in one lookup: the contacts having one
// of the addresses, with their books, the teams those books are shared
// with, their groups and companies, and who has sent mail to each
// address.
type ContactView struct {
	Contacts  []*conversation.Contact
	Books     map[conversation.ContactBookID]*conversation.ContactBook
	Teams     conversation.Teams
	Groups    map[conversation.ContactGroupID]*conversation.ContactGroup
	Companies map[conversation.CompanyID]*conversation.Company
	Past      []storage.PastRecipient
	// Owner is the owner of a personal rule set; nil for an organization
	// rule set.
	Owner *conversation.User
}

// MessageContactKeys returns the lookup keys (conversation.ContactKey) of
// every address of m the contact operators can test: From, To, Cc, Bcc
// and Reply-To, each once, sorted.
func MessageContactKeys(m *conversation.Message) []string {
	if m == nil {
		return nil
	}
	keys := []string{conversation.ContactKey(m.From.Address)}
	for _, as := range [][]conversation.Address{m.To, m.Cc, m.Bcc, m.ReplyTo} {
		for _, a := range as {
			keys = append(keys, conversation.ContactKey(a.Address))
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if len(keys) > 0 && keys[0] == "" {
		keys = keys[1:]
	}
	return keys
}

// NewContactFacts returns the answers to the contact operators of the
// rules of scope over view. It does no I/O. A rule set sees only the
// contact books its scope may use: an organization's rules the books
// shared with the organization, a team or some of its users (not
// personal books); a user's personal rules the books that user sees.
// Groups, companies and books are named in rules by ID or by name
// (compared without case). A past recipient is an address the rule's
// owner sent mail to, for personal rules, or one mail was sent to from an
// account shared with the organization, for organization rules.
func NewContactFacts(scope rules.Scope, view ContactView) rules.Contacts {
	f := &contactFacts{view: view, byKey: map[string][]*conversation.Contact{}, past: map[string]storage.PastRecipient{}}
	for _, c := range view.Contacts {
		b := view.Books[c.Book]
		if b == nil || !f.sees(scope, b) {
			continue
		}
		for _, k := range c.Keys() {
			f.byKey[k] = append(f.byKey[k], c)
		}
	}
	for _, p := range view.Past {
		f.past[p.Key] = p
	}
	return f
}

// contactFacts implements rules.Contacts over a ContactView.
type contactFacts struct {
	view  ContactView
	byKey map[string][]*conversation.Contact
	past  map[string]storage.PastRecipient
}

// sees reports whether the rules of scope may use book b.
func (f *contactFacts) sees(scope rules.Scope, b *conversation.ContactBook) bool {
	switch scope.Kind {
	case rules.Organization:
		return b.Org == scope.Org && b.Shared()
	case rules.Personal:
		o := f.view.Owner
		return o != nil && o.ID == scope.User && b.VisibleTo(o, f.view.Teams)
	}
	return false
}

// matches reports whether some visible contact with addr satisfies ok.
func (f *contactFacts) matches(addr string, ok func(c *conversation.Contact) bool) bool {
	return slices.ContainsFunc(f.byKey[conversation.ContactKey(addr)], ok)
}

// named reports whether set names an entity with id and name.
func named(set, id, name string) bool { return set == id || strings.EqualFold(set, name) }

func (f *contactFacts) InGroup(addr, group string) bool {
	return f.matches(addr, func(c *conversation.Contact) bool {
		return slices.ContainsFunc(c.Groups, func(id conversation.ContactGroupID) bool {
			g := f.view.Groups[id]
			return g != nil && named(group, id.String(), g.Name)
		})
	})
}

func (f *contactFacts) InCompany(addr, company string) bool {
	return f.matches(addr, func(c *conversation.Contact) bool {
		co := f.view.Companies[c.Company]
		return co != nil && named(company, c.Company.String(), co.Name)
	})
}

func (f *contactFacts) InBook(addr, book string) bool {
	return f.matches(addr, func(c *conversation.Contact) bool {
		b := f.view.Books[c.Book]
		return b != nil && named(book, c.Book.String(), b.Name)
	})
}

func (f *contactFacts) InContacts(addr string, _ rules.Scope) bool {
	return len(f.byKey[conversation.ContactKey(addr)]) > 0
}

func (f *contactFacts) PastRecipient(addr string, scope rules.Scope) bool {
	p, ok := f.past[conversation.ContactKey(addr)]
	if !ok {
		return false
	}
	switch scope.Kind {
	case rules.Organization:
		return p.OrgWide
	case rules.Personal:
		_, found := slices.BinarySearchFunc(p.Users, scope.User, conversation.UserID.Compare)
		return found
	}
	return false
}

// LoadContactView loads, inside a transaction, the contact view of keys
// (each a conversation.ContactKey, as [MessageContactKeys] returns them)
// for the rules of scope: one index lookup for the contacts of all keys,
// one for past recipients, then the books, groups and companies those
// contacts name. It fails with ErrContactsUnsupported when the store
// keeps no contacts.
func LoadContactView(ctx context.Context, tx storage.ReadTx, scope rules.Scope, keys []string) (ContactView, error) {
	var v ContactView
	r, err := contactReader(tx)
	if err != nil {
		return v, err
	}
	org := scope.Org
	if scope.Kind == rules.Personal {
		if v.Owner, err = tx.User(ctx, scope.User); err != nil {
			return v, err
		}
		org = v.Owner.Org
	}
	if v.Contacts, err = r.ContactsByKeys(ctx, org, keys); err != nil {
		return v, err
	}
	if v.Past, err = r.PastRecipients(ctx, org, keys); err != nil {
		return v, err
	}
	v.Books = map[conversation.ContactBookID]*conversation.ContactBook{}
	v.Groups = map[conversation.ContactGroupID]*conversation.ContactGroup{}
	v.Companies = map[conversation.CompanyID]*conversation.Company{}
	v.Teams = conversation.Teams{}
	for _, c := range v.Contacts {
		if err := loadOnce(v.Books, c.Book, func() (*conversation.ContactBook, error) { return r.ContactBook(ctx, c.Book) }); err != nil {
			return v, err
		}
		if v.Teams, err = bookTeams(ctx, tx, v.Books[c.Book], v.Teams); err != nil {
			return v, err
		}
		if !c.Company.IsZero() {
			if err := loadOnce(v.Companies, c.Company, func() (*conversation.Company, error) { return r.Company(ctx, c.Company) }); err != nil {
				return v, err
			}
		}
		for _, g := range c.Groups {
			if err := loadOnce(v.Groups, g, func() (*conversation.ContactGroup, error) { return r.ContactGroup(ctx, g) }); err != nil {
				return v, err
			}
		}
	}
	return v, nil
}

// loadOnce loads m[k] with get unless it is there already.
func loadOnce[K comparable, V any](m map[K]*V, k K, get func() (*V, error)) error {
	if _, ok := m[k]; ok {
		return nil
	}
	v, err := get()
	if err != nil {
		return err
	}
	m[k] = v
	return nil
}

// ContactFacts loads the answers to the contact operators of the rules of
// scope for the addresses of message m, in one read transaction (see
// [LoadContactView] and [NewContactFacts]). Only the system runs rules.
func (e *Engine) ContactFacts(ctx context.Context, actor Actor, scope rules.Scope, m *conversation.Message) (rules.Contacts, error) {
	if !actor.system {
		return nil, conversation.Errorf(ErrForbidden, "only the system actor evaluates rules")
	}
	var out rules.Contacts
	err := e.store.View(ctx, func(tx storage.ReadTx) error {
		v, err := LoadContactView(ctx, tx, scope, MessageContactKeys(m))
		if err != nil {
			return err
		}
		out = NewContactFacts(scope, v)
		return nil
	})
	return out, err
}

// recordRecipients is the hook sending mail calls: it records the
// recipients of m (To, Cc, Bcc) as past recipients of the user who sent
// it and, when the sending address is shared (sh is not personal), of the
// organization. Stores without contacts record nothing.
func (o *op) recordRecipients(org conversation.OrgID, sender conversation.UserID, sh conversation.Sharing, m *conversation.Message) error {
	w, ok := o.tx.(storage.ContactWriter)
	if !ok {
		return nil
	}
	var keys []string
	for _, as := range [][]conversation.Address{m.To, m.Cc, m.Bcc} {
		for _, a := range as {
			if k := conversation.ContactKey(a.Address); k != "" {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	return w.AddPastRecipients(o.ctx, org, sender, sh.Kind != conversation.NotShared, slices.Compact(keys))
}
