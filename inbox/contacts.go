package inbox

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// ErrContactsUnsupported is returned by every contact operation when the
// store does not keep contacts (it lacks the optional storage contact
// role). It wraps ErrInvalidArgument.
var ErrContactsUnsupported = conversation.Errorf(ErrInvalidArgument, "the store does not keep contacts")

// Bounds on one contact, so one request cannot make unbounded work.
const (
	// MaxContactValues is the most email addresses, phone numbers or
	// groups one contact holds.
	MaxContactValues = 50
	// MaxContactText is the longest name, title or label, in bytes.
	MaxContactText = 1000
	// MaxContactNotes is the longest notes text, in bytes.
	MaxContactNotes = 64 << 10
)

// contactReader returns the contact role of tx.
func contactReader(tx storage.ReadTx) (storage.ContactReader, error) {
	r, ok := tx.(storage.ContactReader)
	if !ok {
		return nil, ErrContactsUnsupported
	}
	return r, nil
}

// contactWriter returns both halves of the contact role of tx.
func contactWriter(tx storage.Tx) (storage.ContactWriter, storage.ContactReader, error) {
	w, ok := tx.(storage.ContactWriter)
	r, ok2 := tx.(storage.ContactReader)
	if !ok || !ok2 {
		return nil, nil, ErrContactsUnsupported
	}
	return w, r, nil
}

// contactUser refuses guests and the system: contacts are for
// organization members only.
func contactUser(u *conversation.User) error {
	if u == nil {
		return conversation.Errorf(ErrForbidden, "contacts need a user actor")
	}
	if u.Role == conversation.RoleGuest {
		return conversation.Errorf(ErrGuestForbidden, "guests cannot view or manage contacts")
	}
	return nil
}

// bookTeams loads the teams a book is shared with; a team that no longer
// exists gives no access.
func bookTeams(ctx context.Context, tx storage.ReadTx, b *conversation.ContactBook, into conversation.Teams) (conversation.Teams, error) {
	if into == nil {
		into = conversation.Teams{}
	}
	if b.Sharing.Kind != conversation.BookTeams {
		return into, nil
	}
	for _, id := range b.Sharing.Teams {
		if _, ok := into[id]; ok {
			continue
		}
		t, err := tx.Team(ctx, id)
		if isNotFound(err) {
			into[id] = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		into[id] = t
	}
	return into, nil
}

// visibleBook returns book id if u may see it. A book u may not see is
// reported in the same words as one that does not exist.
func visibleBook(ctx context.Context, tx storage.ReadTx, r storage.ContactReader, u *conversation.User, id conversation.ContactBookID) (*conversation.ContactBook, error) {
	if err := needID("contact book", id); err != nil {
		return nil, err
	}
	b, err := r.ContactBook(ctx, id)
	if isNotFound(err) {
		return nil, conversation.Errorf(ErrNotFound, "contact book %s", id)
	}
	if err != nil {
		return nil, err
	}
	teams, err := bookTeams(ctx, tx, b, nil)
	if err != nil {
		return nil, err
	}
	if !b.VisibleTo(u, teams) {
		return nil, conversation.Errorf(ErrNotFound, "contact book %s", id)
	}
	return b, nil
}

// visibleContact returns contact id if u may see its book, in the same
// words as a contact that does not exist otherwise.
func visibleContact(ctx context.Context, tx storage.ReadTx, r storage.ContactReader, u *conversation.User, id conversation.ContactID) (*conversation.Contact, error) {
	if err := needID("contact", id); err != nil {
		return nil, err
	}
	c, err := r.Contact(ctx, id)
	if err == nil && c.Org == u.Org {
		if _, err = visibleBook(ctx, tx, r, u, c.Book); err == nil {
			return c, nil
		}
	}
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	return nil, conversation.Errorf(ErrNotFound, "contact %s", id)
}

// BookOptions are the settings of a contact book.
type BookOptions struct {
	Name string
	// Sharing says who besides the owner may use the book; the zero value
	// keeps it personal.
	Sharing conversation.BookSharing
	// ExcludeFromSearch hides its contacts from compose auto-complete.
	ExcludeFromSearch bool
}

// checkBookOptions validates o against the directory of org and
// normalizes its sharing lists (sorted, each once).
func checkBookOptions(ctx context.Context, tx storage.ReadTx, org conversation.OrgID, o *BookOptions) error {
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" || len(o.Name) > MaxContactText || !utf8.ValidString(o.Name) {
		return conversation.Errorf(ErrInvalidArgument, "a contact book needs a name of 1 to %d bytes of UTF-8", MaxContactText)
	}
	s := &o.Sharing
	switch s.Kind {
	case conversation.BookPersonal, conversation.BookOrg:
		s.Teams, s.Users = nil, nil
	case conversation.BookTeams:
		s.Users = nil
		slices.SortFunc(s.Teams, conversation.TeamID.Compare)
		s.Teams = slices.Compact(s.Teams)
		for _, id := range s.Teams {
			if t, err := tx.Team(ctx, id); err != nil || t.Org != org {
				return conversation.Errorf(ErrInvalidArgument, "share the contact book: no team %s", id)
			}
		}
	case conversation.BookUsers:
		s.Teams = nil
		slices.SortFunc(s.Users, conversation.UserID.Compare)
		s.Users = slices.Compact(s.Users)
		for _, id := range s.Users {
			if u, err := tx.User(ctx, id); err != nil || u.Org != org || u.Role == conversation.RoleGuest {
				return conversation.Errorf(ErrInvalidArgument, "share the contact book: no member %s", id)
			}
		}
	default:
		return conversation.Errorf(ErrInvalidArgument, "unknown contact book sharing %d", s.Kind)
	}
	if len(s.Teams)+len(s.Users) > conversation.DefaultMaxTeams {
		return conversation.Errorf(ErrInvalidArgument, "a contact book is shared with at most %d teams or users", conversation.DefaultMaxTeams)
	}
	return nil
}

// CreateContactBook creates a contact book owned by the actor, in the
// actor's organization. A user owns at most
// conversation.MaxPersonalContactBooks books (ErrLimitReached). Guests
// cannot (ErrGuestForbidden).
func (e *Engine) CreateContactBook(ctx context.Context, actor Actor, opts BookOptions) (*conversation.ContactBook, error) {
	return e.createBook(ctx, actor, opts, false)
}

// CreateSyncedContactBook creates the book a provider sync (Google,
// Office 365) fills: like [Engine.CreateContactBook], but CSV files
// cannot be imported into it and [Engine.StopSyncing] empties it.
func (e *Engine) CreateSyncedContactBook(ctx context.Context, actor Actor, opts BookOptions) (*conversation.ContactBook, error) {
	return e.createBook(ctx, actor, opts, true)
}

func (e *Engine) createBook(ctx context.Context, actor Actor, opts BookOptions, synced bool) (*conversation.ContactBook, error) {
	var out *conversation.ContactBook
	err := e.update(ctx, actor, func(o *op) error {
		if err := contactUser(o.user); err != nil {
			return err
		}
		w, r, err := contactWriter(o.tx)
		if err != nil {
			return err
		}
		if err := checkBookOptions(o.ctx, o.tx, o.user.Org, &opts); err != nil {
			return err
		}
		n, err := r.CountOwnedContactBooks(o.ctx, o.user.ID)
		if err != nil {
			return err
		}
		if n >= conversation.MaxPersonalContactBooks {
			return conversation.Errorf(ErrLimitReached, "a user may own at most %d contact books", conversation.MaxPersonalContactBooks)
		}
		b := &conversation.ContactBook{ID: conversation.ContactBookID(e.newID()), Org: o.user.Org, Owner: o.user.ID,
			Name: opts.Name, Sharing: opts.Sharing, ExcludeFromSearch: opts.ExcludeFromSearch, Synced: synced}
		if err := w.PutContactBook(o.ctx, b); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}

// UpdateContactBook changes a book's name, sharing and options. Only its
// owner and organization admins may (ErrForbidden for others who see the
// book; ErrNotFound for those who do not).
func (e *Engine) UpdateContactBook(ctx context.Context, actor Actor, id conversation.ContactBookID, opts BookOptions) (*conversation.ContactBook, error) {
	var out *conversation.ContactBook
	err := e.manageBook(ctx, actor, id, func(o *op, w storage.ContactWriter, b *conversation.ContactBook) error {
		if err := checkBookOptions(o.ctx, o.tx, b.Org, &opts); err != nil {
			return err
		}
		b.Name, b.Sharing, b.ExcludeFromSearch = opts.Name, opts.Sharing, opts.ExcludeFromSearch
		out = b
		return w.PutContactBook(o.ctx, b)
	})
	return out, err
}

// DeleteContactBook deletes a book and every contact in it; the contacts
// are not moved anywhere. Only its owner and organization admins may.
func (e *Engine) DeleteContactBook(ctx context.Context, actor Actor, id conversation.ContactBookID) error {
	return e.manageBook(ctx, actor, id, func(o *op, w storage.ContactWriter, b *conversation.ContactBook) error {
		return w.DeleteContactBook(o.ctx, b.ID)
	})
}

// StopSyncing ends the provider sync of a synced book: every contact in
// it is deleted, and the book stays as an ordinary, empty one. It returns
// how many contacts were deleted. Only the book's owner and organization
// admins may; a book that is not synced is ErrInvalidArgument.
func (e *Engine) StopSyncing(ctx context.Context, actor Actor, id conversation.ContactBookID) (int, error) {
	var n int
	err := e.manageBook(ctx, actor, id, func(o *op, w storage.ContactWriter, b *conversation.ContactBook) error {
		if !b.Synced {
			return conversation.Errorf(ErrInvalidArgument, "contact book %s is not synced", id)
		}
		var err error
		if n, err = w.DeleteBookContacts(o.ctx, b.ID); err != nil {
			return err
		}
		b.Synced = false
		return w.PutContactBook(o.ctx, b)
	})
	return n, err
}

// manageBook runs fn on a book the actor sees and may manage.
func (e *Engine) manageBook(ctx context.Context, actor Actor, id conversation.ContactBookID, fn func(o *op, w storage.ContactWriter, b *conversation.ContactBook) error) error {
	return e.update(ctx, actor, func(o *op) error {
		if err := contactUser(o.user); err != nil {
			return err
		}
		w, r, err := contactWriter(o.tx)
		if err != nil {
			return err
		}
		b, err := visibleBook(o.ctx, o.tx, r, o.user, id)
		if err != nil {
			return err
		}
		if !b.Manageable(o.user) {
			return conversation.Errorf(ErrForbidden, "only the owner and organization admins can change sharing settings or delete a contact book")
		}
		return fn(o, w, b)
	})
}

// ContactBook returns a book the actor may see.
func (e *Engine) ContactBook(ctx context.Context, actor Actor, id conversation.ContactBookID) (*conversation.ContactBook, error) {
	var out *conversation.ContactBook
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		if err := contactUser(u); err != nil {
			return err
		}
		r, err := contactReader(tx)
		if err != nil {
			return err
		}
		out, err = visibleBook(ctx, tx, r, u, id)
		return err
	})
	return out, err
}

// ContactBooks returns the books the actor may see (owned or shared with
// them), sorted by ID. Guests see none (ErrGuestForbidden).
func (e *Engine) ContactBooks(ctx context.Context, actor Actor) ([]*conversation.ContactBook, error) {
	var out []*conversation.ContactBook
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		if err := contactUser(u); err != nil {
			return err
		}
		r, err := contactReader(tx)
		if err != nil {
			return err
		}
		all, err := r.ContactBooks(ctx, u.Org)
		if err != nil {
			return err
		}
		teams := conversation.Teams{}
		for _, b := range all {
			if teams, err = bookTeams(ctx, tx, b, teams); err != nil {
				return err
			}
			if b.VisibleTo(u, teams) {
				out = append(out, b)
			}
		}
		return nil
	})
	return out, err
}
