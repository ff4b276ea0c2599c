package inbox

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"iter"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/threading"
)

// Mailbox names a mailbox to list; Team is needed by the per-team ones
// (TeamInbox, AssignedToOthers) and ignored by the rest.
type Mailbox struct {
	Kind conversation.MailboxKind
	Team conversation.TeamID
	// Label names the label of a label mailbox (see LabelMailbox).
	Label conversation.LabelID
}

// MailboxOf returns the mailbox of kind k (not per team).
func MailboxOf(k conversation.MailboxKind) Mailbox { return Mailbox{Kind: k} }

// TeamMailbox returns a per-team mailbox of kind k for team t.
func TeamMailbox(k conversation.MailboxKind, t conversation.TeamID) Mailbox {
	return Mailbox{Kind: k, Team: t}
}

// String returns the mailbox's name.
func (m Mailbox) String() string {
	if m.Kind.PerTeam() {
		return m.Kind.String() + " " + m.Team.String()
	}
	return m.Kind.String()
}

// DefaultPageSize and MaxPageSize bound a listing page.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// ListOptions qualify [Engine.List]. The zero value lists the first page
// of DefaultPageSize conversations.
type ListOptions struct {
	// Cursor continues after a previous page (Page.Next); empty starts at
	// the newest conversation.
	Cursor string
	// Limit is the page size: zero means DefaultPageSize; above
	// MaxPageSize it is capped.
	Limit int
	// NotSnoozed drops conversations snoozed for the viewer or for everyone
	// (the "Not snoozed" filter).
	NotSnoozed bool
	// AssignedTo keeps conversations assigned to that user or holding an
	// open task assigned to them (the "Assigned to" filter).
	AssignedTo conversation.UserID
}

// Summary is one conversation as a mailbox lists it for one viewer.
type Summary struct {
	ID           conversation.ConversationID
	Subject      string
	LastActivity time.Time
	Unread       bool
	Team         conversation.TeamID
	InTeamInbox  bool
	Assignees    []conversation.UserID
	Closed       bool
	Messages     int
}

// Page is one page of a mailbox listing.
type Page struct {
	Items []Summary
	// Next continues the listing; empty when this is the last page. A
	// filtered listing (ListOptions.AssignedTo, NotSnoozed) may return a
	// page shorter than asked, even empty, with a Next: each page reads a
	// bounded part of the index.
	Next string
}

// List returns a page of a mailbox as the actor sees it, newest activity
// first. Listings come from the store's mailbox indexes, so a page costs the
// same however many conversations the store holds. Team mailboxes are for
// the team's members only.
func (e *Engine) List(ctx context.Context, actor Actor, mb Mailbox, opts ListOptions) (Page, error) {
	limit, err := pageLimit(opts.Limit)
	if err != nil {
		return Page{}, err
	}
	after, err := decodeCursor(opts.Cursor)
	if err != nil {
		return Page{}, err
	}
	var page Page
	err = e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		box, err := boxFor(ctx, tx, u, mb)
		if err != nil {
			return err
		}
		page = Page{Items: make([]Summary, 0, limit)}
		filter := storage.Filter{AssignedTo: opts.AssignedTo}
		if opts.NotSnoozed {
			filter.NotSnoozedFor = u.ID
		}
		if fl, ok := tx.(storage.FilteredLister); ok && filter != (storage.Filter{}) {
			return listFiltered(ctx, fl, tx, u, box, filter, after, limit, &page)
		}
		// Without the store's filtered index, with a filter (AssignedTo, NotSnoozed) a page reads at most
		// maxFilterScan index entries per item asked and may come back
		// short, with Next set to go on.
		for scanned := 0; len(page.Items) < limit && scanned < maxFilterScan*limit; {
			entries, err := tx.List(ctx, box, after, limit-len(page.Items))
			if err != nil {
				return err
			}
			scanned += len(entries)
			for _, en := range entries {
				after = en.Cursor()
				c, err := tx.Conversation(ctx, en.Conversation)
				if err != nil {
					return err
				}
				if !opts.AssignedTo.IsZero() && !assignedTo(c, opts.AssignedTo) {
					continue
				}
				if opts.NotSnoozed {
					snoozed, err := snoozedFor(ctx, tx, c, u.ID)
					if err != nil {
						return err
					}
					if snoozed {
						continue
					}
				}
				page.Items = append(page.Items, summarize(redactFor(u, &View{Conversation: c}).Conversation, en.Unread))
			}
			if len(entries) < limit-len(page.Items) || len(entries) == 0 {
				return nil
			}
		}
		// A full page: there is a next page if the index goes on.
		more, err := tx.List(ctx, box, after, 1)
		if err != nil {
			return err
		}
		if len(more) > 0 {
			page.Next = encodeCursor(after)
		}
		return nil
	})
	return page, err
}

// listFiltered reads a filtered page from the store's filtered index: a
// full page unless the box ends, whatever the filter drops.
func listFiltered(ctx context.Context, fl storage.FilteredLister, tx storage.ReadTx, u *conversation.User, box conversation.Box,
	f storage.Filter, after storage.Cursor, limit int, page *Page) error {
	entries, err := fl.ListFiltered(ctx, box, f, after, limit)
	if err != nil {
		return err
	}
	for _, en := range entries {
		c, err := tx.Conversation(ctx, en.Conversation)
		if err != nil {
			return err
		}
		page.Items = append(page.Items, summarize(redactFor(u, &View{Conversation: c}).Conversation, en.Unread))
	}
	if len(entries) < limit {
		return nil
	}
	more, err := fl.ListFiltered(ctx, box, f, entries[len(entries)-1].Cursor(), 1)
	if err != nil {
		return err
	}
	if len(more) > 0 {
		page.Next = encodeCursor(entries[len(entries)-1].Cursor())
	}
	return nil
}

// pageLimit is the page size asked for: zero means DefaultPageSize, above
// MaxPageSize it is capped, negative is ErrInvalidArgument.
func pageLimit(n int) (int, error) {
	switch {
	case n == 0:
		return DefaultPageSize, nil
	case n < 0:
		return 0, conversation.Errorf(ErrInvalidArgument, "negative page size %d", n)
	}
	return min(n, MaxPageSize), nil
}

// maxFilterScan bounds the index entries one filtered page (List with a
// filter, Tasks) reads per item it asks for, so a selective filter never
// walks a whole index in one call.
const maxFilterScan = 20

// All iterates over every conversation of a mailbox, page by page, each
// page in its own read transaction. Iteration stops at the first error,
// which is yielded.
func (e *Engine) All(ctx context.Context, actor Actor, mb Mailbox) iter.Seq2[Summary, error] {
	return func(yield func(Summary, error) bool) {
		opts := ListOptions{Limit: MaxPageSize}
		for {
			page, err := e.List(ctx, actor, mb, opts)
			if err != nil {
				yield(Summary{}, err)
				return
			}
			for _, s := range page.Items {
				if !yield(s, nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			opts.Cursor = page.Next
		}
	}
}

// Counts are a mailbox's sizes for one viewer.
type Counts = storage.Counts

// Count returns how many conversations a mailbox lists for the actor and
// how many of those are unread, from counters kept with the index.
func (e *Engine) Count(ctx context.Context, actor Actor, mb Mailbox) (Counts, error) {
	var n Counts
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		box, err := boxFor(ctx, tx, u, mb)
		if err != nil {
			return err
		}
		n, err = tx.Count(ctx, box)
		return err
	})
	return n, err
}

// boxFor checks that u may read mailbox mb and returns its index key.
func boxFor(ctx context.Context, tx storage.ReadTx, u *conversation.User, mb Mailbox) (conversation.Box, error) {
	if !mb.Kind.Valid() {
		return conversation.Box{}, conversation.Errorf(ErrInvalidArgument, "unknown mailbox %d", mb.Kind)
	}
	if mb.Kind == conversation.LabelMailbox {
		return labelBox(ctx, tx, u, mb.Label)
	}
	box := conversation.Box{Kind: mb.Kind, User: u.ID}
	if !mb.Kind.PerTeam() {
		return box, nil
	}
	t, err := tx.Team(ctx, mb.Team)
	if err != nil || t.Org != u.Org || u.Role == conversation.RoleGuest {
		// Guests do not learn which teams exist.
		return conversation.Box{}, conversation.Errorf(ErrNotFound, "team %s", mb.Team)
	}
	if t.MemberKind(u.ID) == 0 {
		return conversation.Box{}, conversation.Errorf(ErrForbidden, "%s is for members of team %s", mb.Kind, t.Name)
	}
	box.Team = t.ID
	return box, nil
}

// snoozedFor reports whether c is snoozed for u or for everyone.
func snoozedFor(ctx context.Context, tx storage.ReadTx, c *conversation.Conversation, u conversation.UserID) (bool, error) {
	if c.SnoozeForEveryone != nil {
		return true, nil
	}
	st, err := tx.UserState(ctx, c.ID, u)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return st.Snooze != nil, nil
}

func summarize(c *conversation.Conversation, unread bool) Summary {
	return Summary{ID: c.ID, Subject: c.DisplaySubject(), LastActivity: c.LastActivity, Unread: unread,
		Team: c.Team, InTeamInbox: c.InTeamInbox, Assignees: c.Assignees, Closed: c.Closed, Messages: c.Messages}
}

// Cursor encoding: 8 bytes of Unix nanoseconds, 16 bytes of ID.
func encodeCursor(c storage.Cursor) string {
	var b [24]byte
	binary.BigEndian.PutUint64(b[:8], uint64(c.Activity.UnixNano()))
	copy(b[8:], c.Conversation[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func decodeCursor(s string) (storage.Cursor, error) {
	if s == "" {
		return storage.Cursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 24 {
		return storage.Cursor{}, conversation.Errorf(ErrInvalidArgument, "malformed cursor %q", s)
	}
	var c storage.Cursor
	c.Activity = time.Unix(0, int64(binary.BigEndian.Uint64(b[:8]))).UTC()
	copy(c.Conversation[:], b[8:])
	if encodeCursor(c) != s { // base64 skips line breaks: accept only what we make
		return storage.Cursor{}, conversation.Errorf(ErrInvalidArgument, "malformed cursor %q", s)
	}
	return c, nil
}

// View is a conversation as one user sees it.
type View struct {
	Conversation *conversation.Conversation
	// State is the viewer's own state.
	State    *conversation.UserState
	Messages []*conversation.Message
	Comments []*conversation.Comment
	Events   []*conversation.Event
}

// Tree returns the reply structure of the view's messages (package
// threading's display tree): each root and its replies, by index into
// v.Messages, in content order. Reference loops of any length are
// broken, never followed.
func (v *View) Tree() []*threading.Node {
	msgs := make([]threading.TreeMessage, len(v.Messages))
	for i, m := range v.Messages {
		msgs[i] = threading.TreeMessage{ID: m.HeaderID, InReplyTo: m.InReplyTo, References: m.References}
	}
	return threading.Forest(msgs)
}

// Get returns a conversation with its messages, comments and timeline,
// if the actor may see it (ErrNotFound otherwise, whether it exists or
// not).
func (e *Engine) Get(ctx context.Context, actor Actor, id conversation.ConversationID) (*View, error) {
	var v *View
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		c, st, err := readable(ctx, tx, u, id)
		if err != nil {
			return err
		}
		v = &View{Conversation: c, State: st}
		if v.Messages, err = tx.Messages(ctx, id); err != nil {
			return err
		}
		if v.Comments, err = tx.Comments(ctx, id); err != nil {
			return err
		}
		if v.Events, err = tx.Events(ctx, id); err != nil {
			return err
		}
		v = redactFor(u, v)
		if err := stripRefs(ctx, tx, u, v); err != nil {
			return err
		}
		return stripLabels(ctx, tx, u, v)
	})
	return v, err
}

// CanSee reports whether the actor may see a conversation.
func (e *Engine) CanSee(ctx context.Context, actor Actor, id conversation.ConversationID) (bool, error) {
	ok := false
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		_, _, err := readable(ctx, tx, u, id)
		if isNotFound(err) {
			return nil
		}
		ok = err == nil
		return err
	})
	return ok, err
}

// readable loads a conversation and u's state if u may see it.
func readable(ctx context.Context, tx storage.ReadTx, u *conversation.User, id conversation.ConversationID) (*conversation.Conversation, *conversation.UserState, error) {
	if err := needID("conversation", id); err != nil {
		return nil, nil, err
	}
	notFound := conversation.Errorf(ErrNotFound, "conversation %s", id)
	c, err := tx.Conversation(ctx, id)
	if isNotFound(err) {
		return nil, nil, notFound
	}
	if err != nil {
		return nil, nil, err
	}
	st, err := tx.UserState(ctx, id, u.ID)
	switch {
	case isNotFound(err):
		st = &conversation.UserState{Conversation: id, User: u.ID}
	case err != nil:
		return nil, nil, err
	}
	teams := conversation.Teams{}
	for _, t := range c.GrantTeams() {
		team, err := tx.Team(ctx, t)
		if err != nil {
			return nil, nil, err
		}
		teams[t] = team
	}
	if !conversation.CanAccess(c, u, st, teams) {
		return nil, nil, notFound
	}
	if !c.MergedInto.IsZero() {
		return nil, nil, mergedInto(ctx, tx, u, id, c.MergedInto)
	}
	return c, st, nil
}
