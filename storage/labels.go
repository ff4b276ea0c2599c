package storage

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
)

// LabelReader reads labels and label preferences; part of [ReadTx].
// The conversations carrying a label are the index box
// {Kind: conversation.LabelConversations, Label: id}, read with List and
// Count like any other box.
type LabelReader interface {
	// Label returns a label, ErrNotFound if none.
	Label(ctx context.Context, id conversation.LabelID) (*conversation.Label, error)
	// Labels returns every label of org, both kinds, sorted by ID.
	Labels(ctx context.Context, org conversation.OrgID) ([]*conversation.Label, error)
	// LabelChildren returns the labels whose Parent is id, sorted by ID.
	LabelChildren(ctx context.Context, id conversation.LabelID) ([]*conversation.Label, error)
	// CountOrgLabels returns how many organization labels (kind
	// conversation.OrgLabel) org holds, from a counter.
	CountOrgLabels(ctx context.Context, org conversation.OrgID) (int, error)
	// LabelPrefs returns u's preferences for label l, ErrNotFound if none
	// are stored.
	LabelPrefs(ctx context.Context, u conversation.UserID, l conversation.LabelID) (*conversation.LabelPrefs, error)
	// UserLabelPrefs returns every stored preference of u, sorted by label.
	UserLabelPrefs(ctx context.Context, u conversation.UserID) ([]*conversation.LabelPrefs, error)
}

// LabelWriter writes labels and label preferences; part of [Tx].
//
// The store does not keep label names unique: siblings (same
// organization, kind, account and parent) may share a name, in any case,
// and the store must accept and list them all. Which names clash depends
// on who is asking (a name held only by a label the actor may not find
// must not clash, or the refusal would reveal that label), so the engine
// enforces unique names among the siblings each actor can find. A backend
// must not add a unique constraint on names.
type LabelWriter interface {
	// CreateLabel stores a new label with Version 1 (the store sets
	// l.Version). ErrConflict if the ID exists.
	CreateLabel(ctx context.Context, l *conversation.Label) error
	// UpdateLabel replaces a label. l.Version must equal the stored
	// Version (ErrConflict otherwise; ErrNotFound if none); the store
	// increments it and sets l.Version. Org, Kind and Account cannot
	// change: ErrInvalidArgument.
	UpdateLabel(ctx context.Context, l *conversation.Label) error
	// DeleteLabel removes a label and every user's preferences for it.
	// It does not touch conversations: the caller removes the label from
	// them first. ErrNotFound if none.
	DeleteLabel(ctx context.Context, id conversation.LabelID) error
	// PutLabelPrefs creates or replaces u's preferences for a label.
	// ErrNotFound if the label does not exist.
	PutLabelPrefs(ctx context.Context, p *conversation.LabelPrefs) error
}
