package conversation

import (
	"slices"
	"time"
)

// LabelKind tells the two kinds of labels apart. A label never changes kind.
type LabelKind uint8

const (
	// OrgLabel is an organization ("shared") label: Missive-only,
	// applicable to any conversation, with visibility and auto-shared
	// users.
	OrgLabel LabelKind = iota + 1
	// EmailLabel is a label of one connected email account (a Gmail label,
	// an IMAP folder): applicable only to conversations holding an email of
	// that account, seen by the users with full access to the account.
	EmailLabel
)

// String returns "organization" or "email".
func (k LabelKind) String() string {
	switch k {
	case OrgLabel:
		return "organization"
	case EmailLabel:
		return "email"
	}
	return "unknown"
}

// LabelVisibility is an organization label's "Label is visible to" setting:
// who may find, apply and remove it.
type LabelVisibility uint8

const (
	// VisibleToEveryone (the default): every member of the organization.
	VisibleToEveryone LabelVisibility = iota
	// VisibleToAdminsAndAutoShared: the owner, admins and the label's
	// auto-shared users only.
	VisibleToAdminsAndAutoShared
)

// Label is an organization label or an email (account) label. Labels nest by
// Parent (a label of the same kind, and for email labels of the same
// account); Name is the label's own name, its path is computed by package
// labels ("Features/Requested"). The rules about labels live in package
// labels.
type Label struct {
	ID   LabelID
	Org  OrgID
	Kind LabelKind
	// Account owns an email label; zero for an organization label.
	Account AccountID
	// Name is the label's own name, without its parents'.
	Name string
	// Parent nests the label; zero for a top-level label.
	Parent      LabelID
	Color       string
	Description string
	// Emoji is the label's icon; Image an uploaded icon's reference, for
	// organization labels only.
	Emoji string
	Image string
	// VisibleTo and AutoShared apply to organization labels only.
	VisibleTo LabelVisibility
	// AutoShared users gain access to every conversation carrying the label
	// while it carries it, sorted.
	AutoShared []UserID
	CreatedBy  UserID
	CreatedAt  time.Time
	// Version is maintained by the store for optimistic concurrency.
	Version uint64
}

// Clone returns a deep copy.
func (l *Label) Clone() *Label {
	d := *l
	d.AutoShared = slices.Clone(l.AutoShared)
	return &d
}

// IsAutoShared reports whether u is one of the label's auto-shared users.
func (l *Label) IsAutoShared(u UserID) bool {
	_, ok := slices.BinarySearchFunc(l.AutoShared, u, UserID.Compare)
	return ok
}

// LabelCount says how a label's mailbox count is shown.
type LabelCount uint8

const (
	// CountTotal shows the total number of conversations (the default).
	CountTotal LabelCount = iota
	// CountUnread shows the number of unread conversations.
	CountUnread
)

// LabelPrefs are one user's preferences for one label, kept apart from the
// label so that nobody's sidebar changes anyone else's. The zero value is a
// label the user never touched: not pinned, not favourite, not watched,
// total count.
type LabelPrefs struct {
	User  UserID
	Label LabelID
	// Pinned keeps the label open in the sidebar (new labels are pinned for
	// their creator only).
	Pinned   bool
	Favorite bool
	// Watch shows the label whenever it holds unread conversations.
	Watch bool
	Count LabelCount
	// LastUsed is when the user last applied the label ("recently used").
	LastUsed time.Time
}
