package memory

import (
	"context"

	"github.com/google/btree"

	"github.com/inboxkit/inboxkit/conversation"
)

// labelState holds labels, their organization and parent indexes, the per-org
// counters of organization labels, and users' label preferences.
type labelState struct {
	labels    map[conversation.LabelID]*conversation.Label
	orgLabels map[conversation.OrgID]*btree.BTreeG[conversation.LabelID]
	// children maps a parent label to its children.
	children map[conversation.LabelID]*btree.BTreeG[conversation.LabelID]
	// orgLabelCount counts organization labels per organization.
	orgLabelCount map[conversation.OrgID]int

	prefs map[prefKey]*conversation.LabelPrefs
	// userPrefs and labelPrefUsers index prefs by user and by label.
	userPrefs      map[conversation.UserID]*btree.BTreeG[conversation.LabelID]
	labelPrefUsers map[conversation.LabelID]*btree.BTreeG[conversation.UserID]
}

type prefKey struct {
	user  conversation.UserID
	label conversation.LabelID
}

func (s *labelState) init() {
	s.labels = make(map[conversation.LabelID]*conversation.Label)
	s.orgLabels = make(map[conversation.OrgID]*btree.BTreeG[conversation.LabelID])
	s.children = make(map[conversation.LabelID]*btree.BTreeG[conversation.LabelID])
	s.orgLabelCount = make(map[conversation.OrgID]int)
	s.prefs = make(map[prefKey]*conversation.LabelPrefs)
	s.userPrefs = make(map[conversation.UserID]*btree.BTreeG[conversation.LabelID])
	s.labelPrefUsers = make(map[conversation.LabelID]*btree.BTreeG[conversation.UserID])
}

// idSet returns the ID set of key in sets, creating it if needed. An
// empty set left behind by a rollback is harmless.
func idSet[P comparable, K any](sets map[P]*btree.BTreeG[conversation.ID[K]], key P) *btree.BTreeG[conversation.ID[K]] {
	return treeOf(sets, key, idLess[K])
}

// collect returns the values of the IDs of tr (nil-safe), in ID order.
func collect[K any, V any](tr *btree.BTreeG[conversation.ID[K]], get func(conversation.ID[K]) V) []V {
	var out []V
	if tr == nil {
		return out
	}
	tr.Ascend(func(id conversation.ID[K]) bool {
		out = append(out, get(id))
		return true
	})
	return out
}

func notFoundLabel(id conversation.LabelID) error {
	return conversation.Errorf(conversation.ErrNotFound, "label %s does not exist", id)
}

// Label implements [storage.ReadTx].
func (s *state) Label(_ context.Context, id conversation.LabelID) (*conversation.Label, error) {
	l := s.labels[id]
	if l == nil {
		return nil, notFoundLabel(id)
	}
	return l.Clone(), nil
}

// Labels implements [storage.ReadTx].
func (s *state) Labels(_ context.Context, org conversation.OrgID) ([]*conversation.Label, error) {
	return collect(s.orgLabels[org], func(id conversation.LabelID) *conversation.Label { return s.labels[id].Clone() }), nil
}

// LabelChildren implements [storage.ReadTx].
func (s *state) LabelChildren(_ context.Context, id conversation.LabelID) ([]*conversation.Label, error) {
	return collect(s.children[id], func(id conversation.LabelID) *conversation.Label { return s.labels[id].Clone() }), nil
}

// CountOrgLabels implements [storage.ReadTx].
func (s *state) CountOrgLabels(_ context.Context, org conversation.OrgID) (int, error) {
	return s.orgLabelCount[org], nil
}

// LabelPrefs implements [storage.ReadTx].
func (s *state) LabelPrefs(_ context.Context, u conversation.UserID, l conversation.LabelID) (*conversation.LabelPrefs, error) {
	p := s.prefs[prefKey{u, l}]
	if p == nil {
		return nil, conversation.Errorf(conversation.ErrNotFound, "no preferences of user %s for label %s", u, l)
	}
	c := *p
	return &c, nil
}

// UserLabelPrefs implements [storage.ReadTx].
func (s *state) UserLabelPrefs(_ context.Context, u conversation.UserID) ([]*conversation.LabelPrefs, error) {
	return collect(s.userPrefs[u], func(l conversation.LabelID) *conversation.LabelPrefs {
		c := *s.prefs[prefKey{u, l}]
		return &c
	}), nil
}

// CreateLabel implements [storage.Tx].
func (t *writeTx) CreateLabel(_ context.Context, l *conversation.Label) error {
	if l == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "CreateLabel: nil label")
	}
	if t.labels[l.ID] != nil {
		return conversation.Errorf(conversation.ErrConflict, "label %s exists", l.ID)
	}
	nl := l.Clone()
	nl.Version = 1
	t.indexLabel(nl)
	setField(t, &l.Version, nl.Version)
	return nil
}

// UpdateLabel implements [storage.Tx].
func (t *writeTx) UpdateLabel(_ context.Context, l *conversation.Label) error {
	if l == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "UpdateLabel: nil label")
	}
	old := t.labels[l.ID]
	switch {
	case old == nil:
		return notFoundLabel(l.ID)
	case old.Version != l.Version:
		return conversation.Errorf(conversation.ErrConflict, "label %s is at version %d, the update is based on version %d", l.ID, old.Version, l.Version)
	case old.Org != l.Org || old.Kind != l.Kind || old.Account != l.Account:
		return conversation.Errorf(conversation.ErrInvalidArgument, "label %s: organization, kind and account cannot change", l.ID)
	}
	nl := l.Clone()
	nl.Version++
	t.unindexLabel(old)
	t.indexLabel(nl)
	setField(t, &l.Version, nl.Version)
	return nil
}

// DeleteLabel implements [storage.Tx].
func (t *writeTx) DeleteLabel(_ context.Context, id conversation.LabelID) error {
	old := t.labels[id]
	if old == nil {
		return notFoundLabel(id)
	}
	for _, u := range collect(t.labelPrefUsers[id], func(u conversation.UserID) conversation.UserID { return u }) {
		t.deletePrefs(u, id)
	}
	t.unindexLabel(old)
	return nil
}

// PutLabelPrefs implements [storage.Tx].
func (t *writeTx) PutLabelPrefs(_ context.Context, p *conversation.LabelPrefs) error {
	if p == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutLabelPrefs: nil preferences")
	}
	if t.labels[p.Label] == nil {
		return notFoundLabel(p.Label)
	}
	c := *p
	setMap(t, t.prefs, prefKey{p.User, p.Label}, &c)
	treeInsert(t, idSet(t.userPrefs, p.User), p.Label)
	treeInsert(t, idSet(t.labelPrefUsers, p.Label), p.User)
	return nil
}

func (t *writeTx) deletePrefs(u conversation.UserID, l conversation.LabelID) {
	deleteMap(t, t.prefs, prefKey{u, l})
	treeDelete(t, idSet(t.userPrefs, u), l)
	treeDelete(t, idSet(t.labelPrefUsers, l), u)
}

func (t *writeTx) indexLabel(l *conversation.Label) {
	setMap(t, t.labels, l.ID, l)
	treeInsert(t, idSet(t.orgLabels, l.Org), l.ID)
	if !l.Parent.IsZero() {
		treeInsert(t, idSet(t.children, l.Parent), l.ID)
	}
	if l.Kind == conversation.OrgLabel {
		setMap(t, t.orgLabelCount, l.Org, t.orgLabelCount[l.Org]+1)
	}
}

func (t *writeTx) unindexLabel(l *conversation.Label) {
	deleteMap(t, t.labels, l.ID)
	treeDelete(t, idSet(t.orgLabels, l.Org), l.ID)
	if !l.Parent.IsZero() {
		treeDelete(t, idSet(t.children, l.Parent), l.ID)
	}
	if l.Kind == conversation.OrgLabel {
		setMap(t, t.orgLabelCount, l.Org, t.orgLabelCount[l.Org]-1)
	}
}
