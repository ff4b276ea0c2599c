package labels

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/inboxkit/inboxkit/conversation"
)

// The documented limits.
const (
	// MaxOrgLabels caps organization labels per organization. Email labels
	// do not count: they come from the provider.
	MaxOrgLabels = 10000
	// MaxSharedPerConversation caps the organization ("shared") labels one
	// conversation carries; email labels do not count.
	MaxSharedPerConversation = 100
	// MaxNameLength caps a label's own name, in characters.
	MaxNameLength = 255
	// MaxDepth caps nesting, as a guard against runaway chains; the
	// documents set no limit.
	MaxDepth = 32
)

// Separator joins a label's path ("Features/Requested").
const Separator = "/"

// Lookup returns the label with an ID, nil if it is unknown. Decisions
// about nesting read parents through it.
type Lookup func(conversation.LabelID) *conversation.Label

// Validate checks that l is well formed on its own: a known kind, a
// trimmed non-empty name without the path separator, an account for an
// email label and none for an organization label, and the settings only
// organization labels have (visibility, auto-shared users, an uploaded
// icon) left zero on email labels.
func Validate(l *conversation.Label) error {
	name := l.Name
	switch {
	case l.Kind != conversation.OrgLabel && l.Kind != conversation.EmailLabel:
		return conversation.Errorf(conversation.ErrInvalidArgument, "label %q: unknown kind %d", name, l.Kind)
	case strings.TrimSpace(name) != name || name == "":
		return conversation.Errorf(conversation.ErrInvalidArgument, "label name %q: must be non-empty without surrounding space", name)
	case strings.Contains(name, Separator):
		return conversation.Errorf(conversation.ErrInvalidArgument, "label name %q: %q separates nested labels; set Parent instead", name, Separator)
	case !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameLength:
		return conversation.Errorf(conversation.ErrInvalidArgument, "label name %q: must be valid UTF-8 of at most %d characters", name, MaxNameLength)
	case l.Parent == l.ID && !l.ID.IsZero():
		return conversation.Errorf(conversation.ErrInvalidArgument, "label %q cannot be its own parent", name)
	}
	if l.Kind == conversation.EmailLabel {
		switch {
		case l.Account.IsZero():
			return conversation.Errorf(conversation.ErrInvalidArgument, "email label %q needs its account", name)
		case l.VisibleTo != conversation.VisibleToEveryone || len(l.AutoShared) > 0:
			return conversation.Errorf(conversation.ErrInvalidArgument, "email label %q: visibility and auto-shared users are for organization labels; an email label follows its account's sharing", name)
		case l.Image != "":
			return conversation.Errorf(conversation.ErrInvalidArgument, "email label %q: uploaded icons are for organization labels", name)
		}
		return nil
	}
	if !l.Account.IsZero() {
		return conversation.Errorf(conversation.ErrInvalidArgument, "organization label %q has no account", name)
	}
	if l.VisibleTo > conversation.VisibleToAdminsAndAutoShared {
		return conversation.Errorf(conversation.ErrInvalidArgument, "label %q: unknown visibility %d", name, l.VisibleTo)
	}
	if !slices.IsSortedFunc(l.AutoShared, conversation.UserID.Compare) || len(slices.Compact(slices.Clone(l.AutoShared))) != len(l.AutoShared) {
		return conversation.Errorf(conversation.ErrInvalidArgument, "label %q: auto-shared users must be sorted and unique", name)
	}
	return nil
}

// CheckParent checks that l may nest under its Parent: the parent exists
// (through lookup), belongs to the same organization, is of the same kind
// (and for email labels of the same account), and l is not one of its
// ancestors. A zero Parent is always fine.
func CheckParent(l *conversation.Label, lookup Lookup) error {
	if l.Parent.IsZero() {
		return nil
	}
	p := lookup(l.Parent)
	switch {
	case p == nil || p.Org != l.Org:
		return conversation.Errorf(conversation.ErrNotFound, "parent label %s", l.Parent)
	case p.Kind != l.Kind || p.Account != l.Account:
		return conversation.Errorf(conversation.ErrInvalidArgument, "label %q: a %s label nests only under a label of the same kind and account", l.Name, l.Kind)
	}
	depth := 1
	for a := p; a != nil; a = lookup(a.Parent) {
		if a.ID == l.ID {
			return conversation.Errorf(conversation.ErrInvalidArgument, "label %q cannot nest under its own descendant %q", l.Name, p.Name)
		}
		if depth++; depth > MaxDepth {
			return conversation.Errorf(conversation.ErrInvalidArgument, "label %q: nested deeper than %d levels", l.Name, MaxDepth)
		}
		if a.Parent.IsZero() {
			break
		}
	}
	return nil
}

// CheckKind refuses to turn a label of one kind into the other, or to move
// an email label to another account: the two kinds are managed separately.
func CheckKind(old, changed *conversation.Label) error {
	if old.Kind != changed.Kind || old.Account != changed.Account {
		return conversation.Errorf(conversation.ErrInvalidArgument,
			"label %q: an %s label cannot be converted; create a new label instead", old.Name, old.Kind)
	}
	return nil
}

// Path returns l's display path: its ancestors' names and its own joined by
// [Separator], e.g. "Features/Requested". An unknown or cyclic ancestor ends
// the walk.
func Path(l *conversation.Label, lookup Lookup) string {
	names := []string{l.Name}
	seen := map[conversation.LabelID]bool{l.ID: true}
	for id := l.Parent; !id.IsZero() && !seen[id] && len(names) <= MaxDepth; {
		p := lookup(id)
		if p == nil {
			break
		}
		seen[id] = true
		names = append(names, p.Name)
		id = p.Parent
	}
	slices.Reverse(names)
	return strings.Join(names, Separator)
}

// Within reports whether label id is target or one of its descendants: the
// "label or any child" matching of label filters and rule conditions (a
// filter on "Features" matches "Features/Requested"). Label mailboxes do not
// use it: a parent's mailbox lists directly labelled conversations only.
func Within(id, target conversation.LabelID, lookup Lookup) bool {
	for depth := 0; !id.IsZero() && depth <= MaxDepth; depth++ {
		if id == target {
			return true
		}
		l := lookup(id)
		if l == nil {
			return false
		}
		id = l.Parent
	}
	return false
}

// Matches reports whether a conversation carrying labels has target or
// any of its descendants.
func Matches(labels []conversation.LabelID, target conversation.LabelID, lookup Lookup) bool {
	return slices.ContainsFunc(labels, func(id conversation.LabelID) bool { return Within(id, target, lookup) })
}

// FullAccess reports whether u has full access to account a, which is what
// gives them its email labels: its owner and delegated users, the members
// (active or observer) of the team the account itself is shared to in
// team-inbox mode (team, which may be nil otherwise), and the users the
// account itself is shared with in Inbox mode. A shared address (an alias
// shared on its own) does not count.
func FullAccess(a *conversation.Account, team *conversation.Team, u conversation.UserID) bool {
	if a == nil || u.IsZero() {
		return false
	}
	if a.Owner == u || a.IsDelegate(u) {
		return true
	}
	switch a.Sharing.Kind {
	case conversation.SharedToTeamInbox:
		return team != nil && team.ID == a.Sharing.Team && team.MemberKind(u) != 0
	case conversation.SharedToInboxes:
		_, ok := a.Sharing.Users[u]
		return ok
	}
	return false
}

// CanSee reports whether u may find label l: see it listed, open its mailbox
// and see it on conversations. For an organization label, VisibleToEveryone
// means every member of the organization and VisibleToAdminsAndAutoShared
// the owner, admins and auto-shared users (owners count as admins). For an
// email label, the users with full access to its account (fullAccess, see
// [FullAccess]). Guests see no label.
//
// It is deliberately stricter than letting every member see a restricted
// label's token on a conversation they can access: a label the viewer may
// not find never appears in anything returned to them, so a restricted
// label's name does not leak through the conversations it is on.
func CanSee(l *conversation.Label, u *conversation.User, fullAccess bool) bool {
	if l == nil || u == nil || u.Org != l.Org || u.Role == conversation.RoleGuest {
		return false
	}
	if l.Kind == conversation.EmailLabel {
		return fullAccess
	}
	return l.VisibleTo == conversation.VisibleToEveryone || u.Role.IsAdmin() || l.IsAutoShared(u.ID)
}

// CanApply returns nil if u may apply or remove label l (the same rule):
// exactly those who may see it. A label u may not see is ErrNotFound, so its
// existence does not leak.
func CanApply(l *conversation.Label, u *conversation.User, fullAccess bool) error {
	if !CanSee(l, u, fullAccess) {
		return notFound(l)
	}
	return nil
}

// CanEdit returns nil if u may rename a label or change its colour,
// description or icon: any member who may find it ([CanSee]). A label u may
// not find is ErrNotFound, as for every operation, so a restricted label
// cannot be probed or changed by those it is hidden from (stricter than
// letting any member edit it).
func CanEdit(l *conversation.Label, u *conversation.User, fullAccess bool) error {
	return CanApply(l, u, fullAccess)
}

// CanChangeSharing returns nil if u may change an existing organization
// label's visibility or auto-shared users: the owner and admins only; any
// member may set them when creating the label.
func CanChangeSharing(l *conversation.Label, u *conversation.User) error {
	if u == nil || u.Org != l.Org || u.Role == conversation.RoleGuest {
		return notFound(l)
	}
	if l.Kind != conversation.OrgLabel {
		return conversation.Errorf(conversation.ErrInvalidArgument, "label %q: email labels follow their account's sharing", l.Name)
	}
	if !u.Role.IsAdmin() {
		return conversation.Errorf(conversation.ErrForbidden, "only the owner and admins may change who sees label %q", l.Name)
	}
	return nil
}

// CanDelete returns nil if u may delete label l: an organization label by
// the owner or an admin; an email label by the organization owner, an admin
// or the account's owner (acct), others delete it at their provider. Only
// those who may find the label ([CanSee]) may delete it: for anyone else it
// is ErrNotFound, so an owner or admin without full access to an email
// label's account does not see it to delete.
func CanDelete(l *conversation.Label, u *conversation.User, acct *conversation.Account, fullAccess bool) error {
	if !CanSee(l, u, fullAccess) {
		return notFound(l)
	}
	if u.Role.IsAdmin() {
		return nil
	}
	if l.Kind == conversation.OrgLabel {
		return conversation.Errorf(conversation.ErrForbidden, "only the owner and admins may delete label %q", l.Name)
	}
	if acct != nil && acct.ID == l.Account && acct.Owner == u.ID {
		return nil
	}
	return conversation.Errorf(conversation.ErrForbidden, "email label %q: only the organization owner, an admin or the account owner may delete it here; others delete it at the provider", l.Name)
}

// CheckCreate returns ErrLimitReached when an organization already holds
// orgLabels organization labels and may not create another. Email labels are
// not counted.
func CheckCreate(kind conversation.LabelKind, orgLabels int) error {
	if kind == conversation.OrgLabel && orgLabels >= MaxOrgLabels {
		return conversation.Errorf(conversation.ErrLimitReached, "an organization holds at most %d organization labels", MaxOrgLabels)
	}
	return nil
}

// CheckTarget checks that label l may go on conversation c, whose labels
// resolve through lookup: an email label only on a conversation holding an
// email of its account (acct, the label's account: an email account among
// c.Accounts); an organization label on any conversation, within
// [MaxSharedPerConversation]. Applying a label c already carries is fine.
func CheckTarget(l *conversation.Label, c *conversation.Conversation, acct *conversation.Account, lookup Lookup) error {
	if l.Org != c.Org {
		return notFound(l)
	}
	if slices.Contains(c.Labels, l.ID) {
		return nil
	}
	if l.Kind == conversation.EmailLabel {
		if acct == nil || acct.ID != l.Account || acct.Channel != conversation.Email || !slices.Contains(c.Accounts, l.Account) || c.Messages == 0 {
			return conversation.Errorf(conversation.ErrInvalidArgument,
				"email label %q applies only to a conversation holding an email of its account", l.Name)
		}
		return nil
	}
	if n := SharedCount(c.Labels, lookup); n >= MaxSharedPerConversation {
		return conversation.Errorf(conversation.ErrLimitReached,
			"a conversation holds at most %d shared labels; it has %d", MaxSharedPerConversation, n)
	}
	return nil
}

// SharedCount returns how many of labels are organization labels. An
// unknown label counts as shared, so the limit errs on the safe side.
func SharedCount(labels []conversation.LabelID, lookup Lookup) int {
	n := 0
	for _, id := range labels {
		if l := lookup(id); l == nil || l.Kind == conversation.OrgLabel {
			n++
		}
	}
	return n
}

// AutoSharedUsers returns, sorted and without duplicates, the auto-shared
// users of the organization labels among labels: who a conversation
// carrying them is shared with through its labels
// (conversation.Conversation.LabelUsers).
func AutoSharedUsers(labels []conversation.LabelID, lookup Lookup) []conversation.UserID {
	var out []conversation.UserID
	for _, id := range labels {
		if l := lookup(id); l != nil && l.Kind == conversation.OrgLabel {
			out = append(out, l.AutoShared...)
		}
	}
	slices.SortFunc(out, conversation.UserID.Compare)
	return slices.Compact(out)
}

// Union returns the labels of into followed by those of from it lacks,
// sorted, for a merge, and the labels of from that did not fit: organization
// labels beyond [MaxSharedPerConversation] are dropped, in from's order
// (lowest IDs, the oldest labels, kept first), so the merged conversation
// never holds more shared labels than one may.
func Union(into, from []conversation.LabelID, lookup Lookup) (merged, dropped []conversation.LabelID) {
	merged = slices.Clone(into)
	shared := SharedCount(into, lookup)
	for _, id := range from {
		if slices.Contains(merged, id) {
			continue
		}
		if l := lookup(id); l == nil || l.Kind == conversation.OrgLabel {
			if shared >= MaxSharedPerConversation {
				dropped = append(dropped, id)
				continue
			}
			shared++
		}
		merged = append(merged, id)
	}
	slices.SortFunc(merged, conversation.LabelID.Compare)
	return merged, dropped
}

// Visible returns the labels among ids that u may see (see [CanSee]),
// keeping their order; fullAccess tells, per account, whether u has full
// access to it. It is what the engine strips a conversation's labels to
// before returning anything to u.
func Visible(ids []conversation.LabelID, u *conversation.User, lookup Lookup, fullAccess func(conversation.AccountID) bool) []conversation.LabelID {
	var out []conversation.LabelID
	for _, id := range ids {
		l := lookup(id)
		if l == nil {
			continue
		}
		if CanSee(l, u, l.Kind == conversation.EmailLabel && fullAccess(l.Account)) {
			out = append(out, id)
		}
	}
	return out
}

func notFound(l *conversation.Label) error {
	return conversation.Errorf(conversation.ErrNotFound, "label %s", l.ID)
}
