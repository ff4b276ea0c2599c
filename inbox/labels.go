package inbox

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/labels"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/triage"
)

// LabelMailbox returns the mailbox of label l: the conversations carrying it
// that the viewer may see ("every label is its own mailbox"). Only a viewer
// who may find the label may open it; for anyone else it does not exist
// (ErrNotFound).
func LabelMailbox(l conversation.LabelID) Mailbox {
	return Mailbox{Kind: conversation.LabelMailbox, Label: l}
}

// LabelSpec describes a new label for [Engine.CreateLabel]. The zero Kind
// is an organization label.
type LabelSpec struct {
	// Org is the organization of a label the system actor creates (rules); a
	// user's labels go in their own organization.
	Org  conversation.OrgID
	Kind conversation.LabelKind
	// Account owns an email label.
	Account conversation.AccountID
	Name    string
	// Parent nests the label ("Features" for "Features/Requested").
	Parent      conversation.LabelID
	Color       string
	Description string
	Emoji       string
	Image       string
	// VisibleTo and AutoShared may be set by any member when creating an
	// organization label.
	VisibleTo  conversation.LabelVisibility
	AutoShared []conversation.UserID
}

// LabelPatch changes a label; nil fields are left alone. VisibleTo and
// AutoShared need an owner or admin; the rest any member. There is no way to
// change a label's kind.
type LabelPatch struct {
	Name        *string
	Parent      *conversation.LabelID
	Color       *string
	Description *string
	Emoji       *string
	Image       *string
	VisibleTo   *conversation.LabelVisibility
	AutoShared  *[]conversation.UserID
	// Kind and Account exist only to be refused: set, and different from
	// the label's, they are ErrInvalidArgument.
	Kind    *conversation.LabelKind
	Account *conversation.AccountID
}

// LabelInfo is a label as one user finds it: the label, its path and
// their own preferences for it.
type LabelInfo struct {
	Label *conversation.Label
	// Path is the display path, "Features/Requested".
	Path  string
	Prefs conversation.LabelPrefs
}

// labelSet resolves labels within one transaction, caching what it read.
type labelSet struct {
	ctx   context.Context
	tx    storage.ReadTx
	cache map[conversation.LabelID]*conversation.Label
	err   error
}

func newLabelSet(ctx context.Context, tx storage.ReadTx) *labelSet {
	return &labelSet{ctx: ctx, tx: tx, cache: map[conversation.LabelID]*conversation.Label{}}
}

// get returns a label, nil if it does not exist; a storage failure is
// kept in s.err.
func (s *labelSet) get(id conversation.LabelID) *conversation.Label {
	if l, ok := s.cache[id]; ok {
		return l
	}
	l, err := s.tx.Label(s.ctx, id)
	switch {
	case isNotFound(err):
		l = nil
	case err != nil:
		if s.err == nil {
			s.err = err
		}
		l = nil
	}
	s.cache[id] = l
	return l
}

// change returns the timeline record of applying or removing l.
func (s *labelSet) change(l *conversation.Label, added bool) conversation.LabelChange {
	return conversation.LabelChange{Label: l.ID, Kind: l.Kind, Added: added, Name: l.Name, Path: labels.Path(l, s.get), Parent: l.Parent}
}

// fullAccess reports whether u has full access to account id (what gives
// them its email labels, labels.FullAccess).
func fullAccess(ctx context.Context, tx storage.ReadTx, u conversation.UserID, id conversation.AccountID) (bool, error) {
	a, err := tx.Account(ctx, id)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var team *conversation.Team
	if a.Sharing.Kind == conversation.SharedToTeamInbox {
		if team, err = tx.Team(ctx, a.Sharing.Team); err != nil && !isNotFound(err) {
			return false, err
		}
	}
	return labels.FullAccess(a, team, u), nil
}

// canSeeLabel reports whether u may find l (labels.CanSee) and every
// label it is nested under: the one place every read and write asks. A
// child of a label u may not find is hidden too, since its path names
// the parent ("Layoffs/Q3").
func canSeeLabel(ctx context.Context, tx storage.ReadTx, u *conversation.User, l *conversation.Label) (bool, error) {
	set := newLabelSet(ctx, tx)
	ok, err := chainVisible(l, set.get, func(x *conversation.Label) (bool, error) {
		full := false
		if x.Kind == conversation.EmailLabel && u.Role != conversation.RoleGuest {
			var err error
			if full, err = fullAccess(ctx, tx, u.ID, x.Account); err != nil {
				return false, err
			}
		}
		return labels.CanSee(x, u, full), nil
	})
	if err == nil {
		err = set.err
	}
	return ok, err
}

// chainVisible reports whether l and every label it is nested under pass
// own; get looks parents up (nil for none: an orphan shows as a top-level
// label). A chain deeper than labels can nest is corrupt and hidden.
func chainVisible(l *conversation.Label, get func(conversation.LabelID) *conversation.Label, own func(*conversation.Label) (bool, error)) (bool, error) {
	for range labels.MaxDepth + 1 {
		if ok, err := own(l); !ok || err != nil {
			return false, err
		}
		if l.Parent.IsZero() {
			return true, nil
		}
		if l = get(l.Parent); l == nil {
			return true, nil
		}
	}
	return false, nil
}

// visibleLabel loads label id for u: the one "find the label or not
// found" path every label read and write takes (through op.findLabel for
// writes). A label that does not exist, belongs to another organization
// or u may not find (canSeeLabel) is the same labelNotFound, so no
// operation can tell a hidden label from a random ID.
func visibleLabel(ctx context.Context, tx storage.ReadTx, u *conversation.User, id conversation.LabelID) (*conversation.Label, error) {
	if err := needID("label", id); err != nil {
		return nil, err
	}
	l, err := tx.Label(ctx, id)
	if isNotFound(err) || (err == nil && l.Org != u.Org) {
		return nil, labelNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	ok, err := canSeeLabel(ctx, tx, u, l)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, labelNotFound(id)
	}
	return l, nil
}

// labelNotFound is the answer about a label the actor may not find,
// whether or not it exists.
func labelNotFound(id conversation.LabelID) error {
	return conversation.Errorf(ErrNotFound, "label %s", id)
}

// labelBox checks that u may open the mailbox of label id and returns its
// index key.
func labelBox(ctx context.Context, tx storage.ReadTx, u *conversation.User, id conversation.LabelID) (conversation.Box, error) {
	if _, err := visibleLabel(ctx, tx, u, id); err != nil {
		return conversation.Box{}, err
	}
	return conversation.Box{Kind: conversation.LabelMailbox, User: u.ID, Label: id}, nil
}

// stripLabels removes from v everything about labels u may not see: the
// conversation's labels, and label changes of its timeline (an event left
// with none is dropped). It is the single place label visibility is
// applied to what a read returns; guests are stripped of every label
// (labels.CanSee) and of the label-granted users.
func stripLabels(ctx context.Context, tx storage.ReadTx, u *conversation.User, v *View) error {
	seen := map[conversation.LabelID]bool{}
	visible := func(id conversation.LabelID) (bool, error) {
		if ok, done := seen[id]; done {
			return ok, nil
		}
		l, err := tx.Label(ctx, id)
		if isNotFound(err) {
			seen[id] = false
			return false, nil
		}
		if err != nil {
			return false, err
		}
		ok, err := canSeeLabel(ctx, tx, u, l)
		seen[id] = ok
		return ok, err
	}
	c := v.Conversation
	var keep []conversation.LabelID
	for _, id := range c.Labels {
		ok, err := visible(id)
		if err != nil {
			return err
		}
		if ok {
			keep = append(keep, id)
		}
	}
	c.Labels = keep
	if u.Role == conversation.RoleGuest {
		c.LabelUsers = nil
	}
	events := v.Events[:0]
	for _, ev := range v.Events {
		if len(ev.Labels) > 0 {
			var changes []conversation.LabelChange
			for _, ch := range ev.Labels {
				ok, err := visible(ch.Label)
				if err != nil {
					return err
				}
				if ok {
					changes = append(changes, ch)
				}
			}
			if len(changes) == 0 {
				continue
			}
			ev.Labels = changes
		}
		events = append(events, ev)
	}
	v.Events = events
	return nil
}

// Labels returns the labels the actor may find (labels.CanSee), both kinds,
// sorted by path, each with the actor's own preferences. Guests get none.
func (e *Engine) Labels(ctx context.Context, actor Actor) ([]LabelInfo, error) {
	var out []LabelInfo
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		if u.Role == conversation.RoleGuest {
			return nil
		}
		all, err := tx.Labels(ctx, u.Org)
		if err != nil {
			return err
		}
		set := newLabelSet(ctx, tx)
		for _, l := range all {
			set.cache[l.ID] = l
		}
		prefs, err := tx.UserLabelPrefs(ctx, u.ID)
		if err != nil {
			return err
		}
		byLabel := map[conversation.LabelID]*conversation.LabelPrefs{}
		for _, p := range prefs {
			byLabel[p.Label] = p
		}
		full := map[conversation.AccountID]bool{}
		own := map[conversation.LabelID]bool{} // labels.CanSee of each label alone
		for _, l := range all {
			if l.Kind == conversation.EmailLabel {
				if _, done := full[l.Account]; !done {
					if full[l.Account], err = fullAccess(ctx, tx, u.ID, l.Account); err != nil {
						return err
					}
				}
			}
			own[l.ID] = labels.CanSee(l, u, full[l.Account])
		}
		// As canSeeLabel: a label is found when it and every label it is
		// nested under are.
		visible := func(l *conversation.Label) bool {
			ok, _ := chainVisible(l, set.get, func(x *conversation.Label) (bool, error) { return own[x.ID], nil })
			return ok
		}
		for _, l := range all {
			if !visible(l) {
				continue
			}
			info := LabelInfo{Label: l, Path: labels.Path(l, set.get), Prefs: conversation.LabelPrefs{User: u.ID, Label: l.ID}}
			if p := byLabel[l.ID]; p != nil {
				info.Prefs = *p
			}
			out = append(out, info)
		}
		slices.SortFunc(out, func(a, b LabelInfo) int { return strings.Compare(a.Path, b.Path) })
		return nil
	})
	return out, err
}

// Label returns one label the actor may find, with its path and the
// actor's preferences; ErrNotFound otherwise.
func (e *Engine) Label(ctx context.Context, actor Actor, id conversation.LabelID) (LabelInfo, error) {
	var info LabelInfo
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		l, err := visibleLabel(ctx, tx, u, id)
		if err != nil {
			return err
		}
		set := newLabelSet(ctx, tx)
		info = LabelInfo{Label: l, Path: labels.Path(l, set.get), Prefs: conversation.LabelPrefs{User: u.ID, Label: id}}
		p, err := tx.LabelPrefs(ctx, u.ID, id)
		switch {
		case err == nil:
			info.Prefs = *p
		case !isNotFound(err):
			return err
		}
		return set.err
	})
	return info, err
}

// CreateLabel creates a label. Any member may create an organization label,
// with its visibility and auto-shared users, up to 10,000 per organization;
// an email label of an account needs full access to that account. The new
// label is pinned in the creator's sidebar only. The system actor (rules)
// may create labels too.
func (e *Engine) CreateLabel(ctx context.Context, actor Actor, spec LabelSpec) (*conversation.Label, error) {
	var out *conversation.Label
	err := e.update(ctx, actor, func(o *op) error {
		org, err := o.labelOrg(spec.Org, spec.Account)
		if err != nil {
			return err
		}
		kind := spec.Kind
		if kind == 0 {
			kind = conversation.OrgLabel
		}
		l := &conversation.Label{ID: conversation.LabelID(o.e.newID()), Org: org, Kind: kind, Account: spec.Account,
			Name: spec.Name, Parent: spec.Parent, Color: spec.Color, Description: spec.Description, Emoji: spec.Emoji,
			Image: spec.Image, VisibleTo: spec.VisibleTo, CreatedBy: o.actor.user, CreatedAt: o.now}
		if err := o.setAutoShared(l, spec.AutoShared); err != nil {
			return err
		}
		if err := o.checkLabel(l); err != nil {
			return err
		}
		n, err := o.tx.CountOrgLabels(o.ctx, org)
		if err != nil {
			return err
		}
		if err := labels.CheckCreate(kind, n); err != nil {
			return err
		}
		if err := o.tx.CreateLabel(o.ctx, l); err != nil {
			return err
		}
		if o.user != nil {
			if err := o.tx.PutLabelPrefs(o.ctx, &conversation.LabelPrefs{User: o.user.ID, Label: l.ID, Pinned: true}); err != nil {
				return err
			}
		}
		out = l.Clone()
		return nil
	})
	return out, err
}

// labelOrg returns the organization a label of the actor goes in, and
// checks that an email label's account is one the actor has full access
// to (the system acts for any account).
func (o *op) labelOrg(org conversation.OrgID, account conversation.AccountID) (conversation.OrgID, error) {
	if o.user != nil {
		if _, err := o.member(); err != nil {
			return conversation.OrgID{}, err
		}
	}
	if account.IsZero() {
		if o.user != nil {
			return o.user.Org, nil
		}
		if _, err := o.tx.Org(o.ctx, org); err != nil {
			return conversation.OrgID{}, conversation.Errorf(ErrNotFound, "organization %s", org)
		}
		return org, nil
	}
	a, err := o.tx.Account(o.ctx, account)
	if err != nil || (o.user != nil && a.Org != o.user.Org) {
		return conversation.OrgID{}, conversation.Errorf(ErrNotFound, "account %s", account)
	}
	if o.user != nil {
		full, err := fullAccess(o.ctx, o.tx, o.user.ID, account)
		if err != nil {
			return conversation.OrgID{}, err
		}
		if !full {
			return conversation.OrgID{}, conversation.Errorf(ErrNotFound, "account %s", account)
		}
	}
	return a.Org, nil
}

// setAutoShared validates and sets l's auto-shared users: members of its
// organization, never guests.
func (o *op) setAutoShared(l *conversation.Label, users []conversation.UserID) error {
	out := slices.SortedFunc(slices.Values(users), conversation.UserID.Compare)
	out = slices.Compact(out)
	for _, id := range out {
		u, err := o.tx.User(o.ctx, id)
		if isNotFound(err) || (err == nil && u.Org != l.Org) {
			return conversation.Errorf(ErrNotFound, "user %s", id)
		}
		if err != nil {
			return err
		}
		if u.Role == conversation.RoleGuest {
			return conversation.Errorf(ErrForbidden, "guests cannot be auto-shared users of a label")
		}
	}
	if len(out) == 0 {
		out = nil
	}
	l.AutoShared = out
	return nil
}

// checkLabel validates l on its own and under its parent, which a user
// actor must be able to find (a label they may not see cannot be probed
// by nesting under it).
func (o *op) checkLabel(l *conversation.Label) error {
	if err := labels.Validate(l); err != nil {
		return err
	}
	if o.user != nil && !l.Parent.IsZero() {
		if _, err := o.findLabel(l.Parent); err != nil {
			return err
		}
	}
	set := newLabelSet(o.ctx, o.tx)
	if err := labels.CheckParent(l, set.get); err != nil {
		return err
	}
	if set.err != nil {
		return set.err
	}
	return o.checkSiblingName(l)
}

// checkSiblingName refuses l's name when a sibling the actor can find (same
// organization, kind, account and parent) has it, compared
// case-insensitively: the one place sibling names are kept apart. The store
// does not enforce it, and a sibling the actor cannot find never clashes, so
// a create or rename answers exactly as for a free name and no label name is
// an existence oracle. The refusal names no label.
func (o *op) checkSiblingName(l *conversation.Label) error {
	sibs, err := o.siblings(l.Org, l.Parent)
	if err != nil {
		return err
	}
	for _, s := range sibs {
		if s.ID == l.ID || s.Kind != l.Kind || s.Account != l.Account || !strings.EqualFold(s.Name, l.Name) {
			continue
		}
		ok, err := o.canFind(s)
		if err != nil {
			return err
		}
		if ok {
			return conversation.Errorf(ErrConflict, "label %q: a sibling label has that name", l.Name)
		}
	}
	return nil
}

// siblings returns the labels of org directly under parent (top-level ones
// for a zero parent), every kind.
func (o *op) siblings(org conversation.OrgID, parent conversation.LabelID) ([]*conversation.Label, error) {
	if !parent.IsZero() {
		return o.tx.LabelChildren(o.ctx, parent)
	}
	all, err := o.tx.Labels(o.ctx, org)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(l *conversation.Label) bool { return !l.Parent.IsZero() }), nil
}

// canFind reports whether the actor may find l (canSeeLabel); the system
// finds every label.
func (o *op) canFind(l *conversation.Label) (bool, error) {
	if o.user == nil {
		return true, nil
	}
	return canSeeLabel(o.ctx, o.tx, o.user, l)
}

// findLabel loads a label the actor may find, as visibleLabel does
// (ErrNotFound otherwise); the system finds every label. Every label
// operation looks its labels up through it before deciding anything else
// about them, so a label the actor may not find answers exactly as a
// random ID and is left unchanged.
func (o *op) findLabel(id conversation.LabelID) (*conversation.Label, error) {
	if err := needID("label", id); err != nil {
		return nil, err
	}
	if o.user != nil {
		return visibleLabel(o.ctx, o.tx, o.user, id)
	}
	l, err := o.tx.Label(o.ctx, id)
	if isNotFound(err) {
		return nil, labelNotFound(id)
	}
	return l, err
}

// accountAccess reports whether the acting user has full access to the
// account of email label l (false for an organization label).
func (o *op) accountAccess(l *conversation.Label) (bool, error) {
	if l.Kind != conversation.EmailLabel {
		return false, nil
	}
	return fullAccess(o.ctx, o.tx, o.user.ID, l.Account)
}

// UpdateLabel edits a label: name, parent, colour, description and icon by
// any member (of an email label, those with full access to its account),
// visibility and auto-shared users by the owner and admins only. Changing
// the auto-shared users re-shares every conversation carrying the label at
// once, in the same transaction: the new users gain access, removed ones
// lose the access the label gave them.
func (e *Engine) UpdateLabel(ctx context.Context, actor Actor, id conversation.LabelID, p LabelPatch) error {
	if err := needID("label", id); err != nil {
		return err
	}
	return e.update(ctx, actor, func(o *op) error {
		l, err := o.editableLabel(id)
		if err != nil {
			return err
		}
		old := l.Clone()
		if (p.Kind != nil && *p.Kind != l.Kind) || (p.Account != nil && *p.Account != l.Account) {
			changed := l.Clone()
			if p.Kind != nil {
				changed.Kind = *p.Kind
			}
			if p.Account != nil {
				changed.Account = *p.Account
			}
			return labels.CheckKind(l, changed)
		}
		for _, f := range []struct {
			dst *string
			src *string
		}{{&l.Name, p.Name}, {&l.Color, p.Color}, {&l.Description, p.Description}, {&l.Emoji, p.Emoji}, {&l.Image, p.Image}} {
			if f.src != nil {
				*f.dst = *f.src
			}
		}
		if p.Parent != nil {
			l.Parent = *p.Parent
		}
		if p.VisibleTo != nil || p.AutoShared != nil {
			if o.user != nil {
				if err := labels.CanChangeSharing(l, o.user); err != nil {
					return err
				}
			}
			if p.VisibleTo != nil {
				l.VisibleTo = *p.VisibleTo
			}
			if p.AutoShared != nil {
				if err := o.setAutoShared(l, *p.AutoShared); err != nil {
					return err
				}
			}
		}
		if err := o.checkLabel(l); err != nil {
			return err
		}
		if err := o.tx.UpdateLabel(o.ctx, l); err != nil {
			return err
		}
		if slices.Equal(old.AutoShared, l.AutoShared) {
			return nil
		}
		return o.eachLabelled(l.ID, func() error { return o.reshare() })
	})
}

// editableLabel loads a label the actor may find and edit
// (labels.CanEdit).
func (o *op) editableLabel(id conversation.LabelID) (*conversation.Label, error) {
	if o.user != nil {
		if _, err := o.member(); err != nil {
			return nil, err
		}
	}
	l, err := o.findLabel(id)
	if err != nil || o.user == nil {
		return l, err
	}
	full, err := o.accountAccess(l)
	if err != nil {
		return nil, err
	}
	return l, labels.CanEdit(l, o.user, full)
}

// DeleteLabel deletes a label and removes it from every conversation
// carrying it, in one transaction: an organization label by the owner or an
// admin, an email label also by its account's owner. A label with children
// is refused: delete or move them first.
func (e *Engine) DeleteLabel(ctx context.Context, actor Actor, id conversation.LabelID) error {
	if err := needID("label", id); err != nil {
		return err
	}
	return e.update(ctx, actor, func(o *op) error {
		l, err := o.findLabel(id)
		if err != nil {
			return err
		}
		if o.user != nil {
			var acct *conversation.Account
			if l.Kind == conversation.EmailLabel {
				if acct, err = o.tx.Account(o.ctx, l.Account); err != nil && !isNotFound(err) {
					return err
				}
			}
			full, err := o.accountAccess(l)
			if err != nil {
				return err
			}
			if err := labels.CanDelete(l, o.user, acct, full); err != nil {
				return err
			}
		}
		kids, err := o.tx.LabelChildren(o.ctx, id)
		if err != nil {
			return err
		}
		if len(kids) > 0 {
			return conversation.Errorf(ErrInvalidArgument, "label %q has %d nested labels: delete or move them first", l.Name, len(kids))
		}
		set := newLabelSet(o.ctx, o.tx)
		change := set.change(l, false)
		err = o.eachLabelled(id, func() error {
			if conversation.RemoveSorted(&o.conv.Labels, id) {
				o.emit(conversation.Event{Type: conversation.EventLabelsChanged, Labels: []conversation.LabelChange{change}})
			}
			return o.reshare()
		})
		if err != nil {
			return err
		}
		return o.tx.DeleteLabel(o.ctx, id)
	})
}

// eachLabelled runs fn with every conversation carrying label id loaded
// as the operation's conversation (through the store's
// LabelConversations index), and flushes each. It acts for the label's
// sake, not the actor's: conversations the actor cannot see are changed
// too (a label's deletion or re-sharing reaches all of them), and nothing
// about them is returned.
func (o *op) eachLabelled(id conversation.LabelID, fn func() error) error {
	if err := o.flush(); err != nil {
		return err
	}
	box := conversation.Box{Kind: conversation.LabelConversations, Label: id}
	var ids []conversation.ConversationID
	var after storage.Cursor
	for {
		page, err := o.tx.List(o.ctx, box, after, MaxPageSize)
		if err != nil {
			return err
		}
		for _, en := range page {
			ids = append(ids, en.Conversation)
		}
		if len(page) < MaxPageSize {
			break
		}
		after = page[len(page)-1].Cursor()
	}
	user := o.user
	o.user = nil // adopt without the actor's access check, see above
	defer func() { o.user = user }()
	for _, cid := range ids {
		c, err := o.tx.Conversation(o.ctx, cid)
		if err != nil {
			return err
		}
		if err := o.switchTo(c, false); err != nil {
			return err
		}
		if err := fn(); err != nil {
			return err
		}
		if err := o.flush(); err != nil {
			return err
		}
	}
	return nil
}

// reshare recomputes the operation's conversation's label-granted users from
// its labels (labels.AutoSharedUsers): the one place label access is
// derived. Users who gain access this way get no Inbox placement.
func (o *op) reshare() error {
	c := o.conv
	set := newLabelSet(o.ctx, o.tx)
	users := labels.AutoSharedUsers(c.Labels, set.get)
	if set.err != nil {
		return set.err
	}
	if len(users) == 0 {
		users = nil
	}
	if !slices.Equal(users, c.LabelUsers) {
		c.LabelUsers = users
		o.touch(false)
	}
	return nil
}

// ApplyLabel applies a label to a conversation ("Label as"): it stays in the
// current mailbox. Whoever may find the label may apply it; an email label
// only goes on a conversation holding an email of its account, an
// organization label on any, up to 100 per conversation. The label's
// auto-shared users gain access, without an Inbox placement.
func (e *Engine) ApplyLabel(ctx context.Context, actor Actor, id conversation.ConversationID, label conversation.LabelID) error {
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		return o.applyLabel(label)
	})
}

// applyLabel applies label to the operation's conversation.
func (o *op) applyLabel(id conversation.LabelID) error {
	l, err := o.findLabel(id)
	if err != nil {
		return err
	}
	c := o.conv
	if slices.Contains(c.Labels, id) {
		return nil
	}
	var acct *conversation.Account
	if l.Kind == conversation.EmailLabel && slices.Contains(c.Accounts, l.Account) {
		if acct, err = o.tx.Account(o.ctx, l.Account); err != nil {
			return err
		}
	}
	set := newLabelSet(o.ctx, o.tx)
	if err := labels.CheckTarget(l, c, acct, set.get); err != nil {
		return err
	}
	if set.err != nil {
		return set.err
	}
	conversation.AddSorted(&c.Labels, id)
	o.emit(conversation.Event{Type: conversation.EventLabelsChanged, Labels: []conversation.LabelChange{set.change(l, true)}})
	if o.user != nil {
		if err := o.usedLabel(id); err != nil {
			return err
		}
	}
	return o.reshare()
}

// usedLabel records that the actor just used a label ("recently used").
func (o *op) usedLabel(id conversation.LabelID) error {
	p, err := o.tx.LabelPrefs(o.ctx, o.user.ID, id)
	switch {
	case isNotFound(err):
		p = &conversation.LabelPrefs{User: o.user.ID, Label: id}
	case err != nil:
		return err
	}
	p.LastUsed = o.now
	return o.tx.PutLabelPrefs(o.ctx, p)
}

// RemoveLabel removes a label from a conversation; the same people who may
// apply it may remove it. Users who had access only through the label lose
// it.
func (e *Engine) RemoveLabel(ctx context.Context, actor Actor, id conversation.ConversationID, label conversation.LabelID) error {
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		return o.removeLabel(label)
	})
}

func (o *op) removeLabel(id conversation.LabelID) error {
	l, err := o.findLabel(id)
	if err != nil {
		return err
	}
	if !conversation.RemoveSorted(&o.conv.Labels, id) {
		return nil
	}
	set := newLabelSet(o.ctx, o.tx)
	o.emit(conversation.Event{Type: conversation.EventLabelsChanged, Labels: []conversation.LabelChange{set.change(l, false)}})
	return o.reshare()
}

// MoveToLabel applies a label and takes the conversation out of the mailbox
// the actor is in ("Move to"), which means: from the Inbox, the actor's own
// archive; from a team inbox (TeamInbox or Team Inboxes), the archive from
// that team inbox for everyone; from a label mailbox, the removal of that
// label for everyone (dragging from one label to another with the "Move"
// preference). Other mailboxes cannot be left by labelling:
// ErrInvalidArgument.
func (e *Engine) MoveToLabel(ctx context.Context, actor Actor, id conversation.ConversationID, label conversation.LabelID, from Mailbox) error {
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAsUser(id)
		if err != nil {
			return err
		}
		if from.Kind == conversation.LabelMailbox && from.Label == label {
			return o.applyLabel(label)
		}
		if err := o.applyLabel(label); err != nil {
			return err
		}
		c := o.conv
		switch from.Kind {
		case conversation.Inbox:
			o.archiveForActor()
		case conversation.TeamInbox, conversation.TeamInboxes:
			if t := o.teams[c.Team]; t == nil || t.MemberKind(u.ID) == 0 || (from.Kind == conversation.TeamInbox && from.Team != c.Team) {
				return conversation.Errorf(ErrInvalidArgument, "conversation %s is not in that team inbox of yours", id)
			}
			o.decide(triage.ArchiveTeamInbox)
		case conversation.LabelMailbox:
			return o.removeLabel(from.Label)
		default:
			return conversation.Errorf(ErrInvalidArgument, "a conversation cannot be moved out of %s by labelling", from.Kind)
		}
		return nil
	})
}

// DragToLabel is dropping a conversation listed in label mailbox from onto
// label to: with the actor's preference DragLabelCopy it is copied (both
// labels kept), otherwise moved (from removed). Both must be labels the
// actor may find.
func (e *Engine) DragToLabel(ctx context.Context, actor Actor, id conversation.ConversationID, from, to conversation.LabelID) error {
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAsUser(id)
		if err != nil {
			return err
		}
		if err := o.applyLabel(to); err != nil {
			return err
		}
		if u.Prefs.DragLabelCopy || from == to {
			// Copying leaves from alone, but it must be a label the
			// actor may find, as when moving.
			_, err := o.findLabel(from)
			return err
		}
		return o.removeLabel(from)
	})
}

// SetLabelPrefs stores the actor's own preferences for a label they may
// find: pinned, favourite, watched, count mode. They change nobody else's
// sidebar. LastUsed is kept as the engine records it.
func (e *Engine) SetLabelPrefs(ctx context.Context, actor Actor, id conversation.LabelID, p conversation.LabelPrefs) error {
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.member()
		if err != nil {
			return err
		}
		if _, err := o.findLabel(id); err != nil {
			return err
		}
		if p.Count > conversation.CountUnread {
			return conversation.Errorf(ErrInvalidArgument, "unknown label count mode %d", p.Count)
		}
		old, err := o.tx.LabelPrefs(o.ctx, u.ID, id)
		switch {
		case err == nil:
			p.LastUsed = old.LastUsed
		case isNotFound(err):
			p.LastUsed = time.Time{}
		default:
			return err
		}
		p.User, p.Label = u.ID, id
		return o.tx.PutLabelPrefs(o.ctx, &p)
	})
}

// clearSharedLabels takes the organization ("shared") labels off the
// operation's conversation, as a trash from a team inbox does (not restored
// on recovery); email labels stay with their provider. Label-granted access
// goes with them.
func (o *op) clearSharedLabels() error {
	c := o.conv
	set := newLabelSet(o.ctx, o.tx)
	var removed []conversation.LabelChange
	keep := c.Labels[:0:0]
	for _, id := range c.Labels {
		l := set.get(id)
		if l != nil && l.Kind == conversation.EmailLabel {
			keep = append(keep, id)
			continue
		}
		if l != nil {
			removed = append(removed, set.change(l, false))
		}
	}
	if set.err != nil {
		return set.err
	}
	if len(keep) == len(c.Labels) {
		return nil
	}
	if len(keep) == 0 {
		keep = nil
	}
	c.Labels = keep
	if len(removed) > 0 {
		o.emit(conversation.Event{Type: conversation.EventLabelsChanged, Labels: removed})
	}
	return o.reshare()
}

// AddSharedLabels applies organization labels to a conversation, the way the
// API's add_shared_labels does: an email label among ids is
// ErrInvalidArgument and nothing is applied.
func (e *Engine) AddSharedLabels(ctx context.Context, actor Actor, id conversation.ConversationID, ids []conversation.LabelID) error {
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		for _, l := range ids {
			lb, err := o.findLabel(l)
			if err != nil {
				return err
			}
			if lb.Kind != conversation.OrgLabel {
				return conversation.Errorf(ErrInvalidArgument, "add_shared_labels takes organization labels only; %q is an email label", lb.Name)
			}
		}
		for _, l := range ids {
			if err := o.applyLabel(l); err != nil {
				return err
			}
		}
		return nil
	})
}

// EnsureLabel returns the organization label at path ("Refunds",
// "Features/Requested") in the actor's organization (org, for the system
// actor), creating it and any missing parent, with default settings, if it
// does not exist: what a rule's "Add label(s)" action needs ("Labels are
// created if they don't exist"). Path segments are matched
// case-insensitively, and only against labels the actor can find: for a
// user, a part whose only same-named label is hidden is created, so the
// answer is the same as for a free name.
func (e *Engine) EnsureLabel(ctx context.Context, actor Actor, org conversation.OrgID, path string) (*conversation.Label, error) {
	if actor.system {
		if err := needID("organization", org); err != nil {
			return nil, err
		}
	}
	parts := strings.Split(path, labels.Separator)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
		if parts[i] == "" {
			return nil, conversation.Errorf(ErrInvalidArgument, "label path %q has an empty part", path)
		}
	}
	var out *conversation.Label
	err := e.update(ctx, actor, func(o *op) error {
		org, err := o.labelOrg(org, conversation.AccountID{})
		if err != nil {
			return err
		}
		all, err := o.tx.Labels(o.ctx, org)
		if err != nil {
			return err
		}
		var parent conversation.LabelID
		for _, name := range parts {
			found, err := o.findNamed(all, parent, name)
			if err != nil {
				return err
			}
			if found != nil {
				out, parent = found, found.ID
				continue
			}
			l := &conversation.Label{ID: conversation.LabelID(o.e.newID()), Org: org, Kind: conversation.OrgLabel,
				Name: name, Parent: parent, CreatedBy: o.actor.user, CreatedAt: o.now}
			if err := o.checkLabel(l); err != nil {
				return err
			}
			n, err := o.tx.CountOrgLabels(o.ctx, org)
			if err != nil {
				return err
			}
			if err := labels.CheckCreate(l.Kind, n); err != nil {
				return err
			}
			if err := o.tx.CreateLabel(o.ctx, l); err != nil {
				return err
			}
			all = append(all, l)
			out, parent = l, l.ID
		}
		out = out.Clone()
		return nil
	})
	return out, err
}

// findNamed returns the organization label among all under parent named
// name (case-insensitively) that the actor may find, nil if none: a
// same-named label the actor cannot find is passed over, as if absent.
func (o *op) findNamed(all []*conversation.Label, parent conversation.LabelID, name string) (*conversation.Label, error) {
	for _, l := range all {
		if l.Kind != conversation.OrgLabel || l.Parent != parent || !strings.EqualFold(l.Name, name) {
			continue
		}
		ok, err := o.canFind(l)
		if err != nil || ok {
			return l, err
		}
	}
	return nil, nil
}
