package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// The label part of TestModelVisibility: auto-shared labels grant access
// while they are on a conversation and revoke it when they go (spec A27),
// label mailboxes list what All lists per label, and a label the viewer
// may not find (labels.CanSee) never appears in anything returned to them.

// mLabel is one label of the model.
type mLabel struct {
	key   string
	id    conversation.LabelID
	email bool // an email label of the support account
	// everyone is VisibleToEveryone (else admins and auto-shared only).
	everyone bool
	auto     map[string]bool
}

// setupLabels creates the model's labels in Acme: an open one, an open
// one auto-shared with C (who is not in Support), a restricted one
// auto-shared with M, and an email label of support@ (whose full access
// is its owner Adm and Support's members).
func (m *visModel) setupLabels() {
	m.labels = map[string]*mLabel{}
	for _, l := range []*mLabel{
		{key: "Plain", everyone: true, auto: map[string]bool{}},
		{key: "VIP", everyone: true, auto: map[string]bool{"C": true}},
		{key: "Legal", auto: map[string]bool{"M": true}},
		{key: "Mail", email: true, everyone: true, auto: map[string]bool{}},
	} {
		err := createModelLabel(m.ctx, m.e, inbox.AsUser(m.users["Adm"].id), l, l.key, m.accts["support"].id,
			func(u string) conversation.UserID { return m.users[u].id })
		if err != nil {
			m.t.Fatalf("setup label %s: %v", l.key, err)
		}
		m.labels[l.key] = l
		m.labelKeys = append(m.labelKeys, l.key)
	}
}

// createModelLabel creates model label l through the engine as actor,
// named name (an email label of account if l.email), and sets l.id;
// userID maps the model's user names to IDs.
func createModelLabel(ctx context.Context, e *inbox.Engine, actor inbox.Actor, l *mLabel, name string,
	account conversation.AccountID, userID func(string) conversation.UserID) error {
	spec := inbox.LabelSpec{Name: name}
	if l.email {
		spec.Kind, spec.Account = conversation.EmailLabel, account
	}
	if !l.everyone {
		spec.VisibleTo = conversation.VisibleToAdminsAndAutoShared
	}
	for _, u := range slices.Sorted(maps.Keys(l.auto)) {
		spec.AutoShared = append(spec.AutoShared, userID(u))
	}
	created, err := e.CreateLabel(ctx, actor, spec)
	if err != nil {
		return err
	}
	l.id = created.ID
	return nil
}

// canSeeLabel is who may find a label: members of Acme (no guest
// exists); an open label everyone, a restricted one admins and its
// auto-shared users; the email label whoever has full access to
// support@ (its owner and Support's members, active or observer).
func (m *visModel) canSeeLabel(u string, l *mLabel) bool {
	if m.users[u].org != 1 {
		return false
	}
	if l.email {
		return u == m.accts["support"].owner || m.teams["Support"].members[u] != 0
	}
	return l.everyone || m.users[u].admin || l.auto[u]
}

// labelGrants reports whether one of c's organization labels shares c
// with u.
func (m *visModel) labelGrants(u string, c *mConv) bool {
	for k := range c.labels {
		if l := m.labels[k]; !l.email && l.auto[u] && m.users[u].org == c.org {
			return true
		}
	}
	return false
}

// clearSharedLabels is a trash for everyone: organization labels go
// (F3:8443, F3:8538), the email label stays.
func (m *visModel) clearSharedLabels(c *mConv) {
	for k := range c.labels {
		if !m.labels[k].email {
			delete(c.labels, k)
		}
	}
}

func (m *visModel) drawLabel(t *rapid.T) *mLabel {
	return m.labels[rapid.SampledFrom(m.labelKeys).Draw(t, "label")]
}

// labelErr predicts ApplyLabel and RemoveLabel: the conversation first,
// then the label (ErrNotFound for one the actor may not find), then, for
// an application, the email label's need for an email of its account.
func (m *visModel) labelErr(actor string, c *mConv, l *mLabel, apply bool) error {
	if err := m.accessErr(actor, c); err != nil {
		return err
	}
	if !m.canSeeLabel(actor, l) {
		return inbox.ErrNotFound
	}
	if apply && l.email && !c.labels[l.key] && !c.accounts["support"] {
		return inbox.ErrInvalidArgument
	}
	return nil
}

func (m *visModel) applyLabel(t *rapid.T) {
	actor, c := m.drawOp(t)
	l := m.drawLabel(t)
	err := m.e.ApplyLabel(m.ctx, inbox.AsUser(m.users[actor].id), c.id, l.id)
	if m.expect(t, fmt.Sprintf("%s: ApplyLabel(%s, %s)", actor, c, l.key), m.labelErr(actor, c, l, true), err) {
		c.labels[l.key] = true
	}
}

func (m *visModel) removeLabel(t *rapid.T) {
	actor, c := m.drawOpOn(t, func(c *mConv) bool { return len(c.labels) > 0 })
	l := m.drawLabel(t)
	err := m.e.RemoveLabel(m.ctx, inbox.AsUser(m.users[actor].id), c.id, l.id)
	if m.expect(t, fmt.Sprintf("%s: RemoveLabel(%s, %s)", actor, c, l.key), m.labelErr(actor, c, l, false), err) {
		delete(c.labels, l.key)
	}
}

// labelSharing changes an organization label's auto-shared users: owners
// and admins only (F3:10259); retroactive for the conversations carrying
// it.
func (m *visModel) labelSharing(t *rapid.T) {
	actor := m.drawActor(t)
	if rapid.Float64Range(0, 1).Draw(t, "p") < 0.7 {
		actor = rapid.SampledFrom([]string{"Own", "Adm"}).Draw(t, "admin")
	}
	l := m.labels[rapid.SampledFrom([]string{"Plain", "VIP", "Legal"}).Draw(t, "label")]
	users := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"A", "B", "O", "C", "M", "D"}), 0, 2, rapid.ID[string]).Draw(t, "auto")
	ids := []conversation.UserID{}
	for _, u := range users {
		ids = append(ids, m.users[u].id)
	}
	var wantErr error
	switch {
	case !m.canSeeLabel(actor, l):
		// A label the actor may not find is not found for every
		// operation (issue 10, point 7), before any permission.
		wantErr = inbox.ErrNotFound
	case !m.users[actor].admin:
		wantErr = inbox.ErrForbidden
	}
	err := m.e.UpdateLabel(m.ctx, inbox.AsUser(m.users[actor].id), l.id, inbox.LabelPatch{AutoShared: &ids})
	if m.expect(t, fmt.Sprintf("%s: UpdateLabel(%s, autoShared=%v)", actor, l.key, users), wantErr, err) {
		l.auto = map[string]bool{}
		for _, u := range users {
			l.auto[u] = true
		}
	}
}

// expectedLabel is label l's mailbox for u: what All lists, carrying l.
func (m *visModel) expectedLabel(u string, l *mLabel) want {
	out := want{}
	for id, unread := range m.expected(u, conversation.All, "") {
		if c := m.convByID(id); c.labels[l.key] {
			out[id] = unread
		}
	}
	return out
}

// checkLabels checks every user's label list and label mailboxes.
func (m *visModel) checkLabels(t *rapid.T) {
	for _, un := range m.userNames {
		actor := inbox.AsUser(m.users[un].id)
		infos, err := m.e.Labels(m.ctx, actor)
		if err != nil {
			t.Fatalf("Labels(%s): %v", un, err)
		}
		var got, exp []conversation.LabelID
		for _, info := range infos {
			got = append(got, info.Label.ID)
		}
		for _, k := range m.labelKeys {
			l := m.labels[k]
			if m.canSeeLabel(un, l) {
				exp = append(exp, l.id)
			}
			mb := inbox.LabelMailbox(l.id)
			if m.canSeeLabel(un, l) {
				m.checkBox(t, un, mb, m.expectedLabel(un, l))
				continue
			}
			if _, err := m.e.List(m.ctx, actor, mb, inbox.ListOptions{}); !errors.Is(err, inbox.ErrNotFound) {
				t.Fatalf("List(%s, label %s) error = %v, want ErrNotFound (may not find it)", un, k, err)
			}
			if _, err := m.e.Count(m.ctx, actor, mb); !errors.Is(err, inbox.ErrNotFound) {
				t.Fatalf("Count(%s, label %s) error = %v, want ErrNotFound (may not find it)", un, k, err)
			}
		}
		slices.SortFunc(got, conversation.LabelID.Compare)
		slices.SortFunc(exp, conversation.LabelID.Compare)
		if !slices.Equal(got, exp) {
			t.Fatalf("Labels(%s) = %v, model says %v", un, got, exp)
		}
	}
}

// checkViewLabels checks that Get shows u exactly the labels of c that u
// may find, and no timeline trace of the others.
func (m *visModel) checkViewLabels(t *rapid.T, u string, c *mConv, v *inbox.View) {
	var exp []conversation.LabelID
	for _, k := range slices.Sorted(maps.Keys(c.labels)) {
		if l := m.labels[k]; m.canSeeLabel(u, l) {
			exp = append(exp, l.id)
		}
	}
	hidden := map[conversation.LabelID]string{}
	for _, k := range m.labelKeys {
		if l := m.labels[k]; !m.canSeeLabel(u, l) {
			hidden[l.id] = k
		}
	}
	if err := shownLabelsErr(v, exp, hidden); err != nil {
		t.Fatalf("Get(%s, %s): %v\n%s", u, c, err, m.describe(c))
	}
}

// shownLabelsErr checks that view v shows exactly the labels exp and that
// its timeline names none of the hidden labels (keyed by ID, valued by a
// name for the message).
func shownLabelsErr(v *inbox.View, exp []conversation.LabelID, hidden map[conversation.LabelID]string) error {
	exp = slices.SortedFunc(slices.Values(exp), conversation.LabelID.Compare)
	if !slices.Equal(v.Conversation.Labels, exp) {
		return fmt.Errorf("shows labels %v, model says %v", v.Conversation.Labels, exp)
	}
	for _, ev := range v.Events {
		for _, ch := range ev.Labels {
			if k, ok := hidden[ch.Label]; ok {
				return fmt.Errorf("the timeline names label %s, which the viewer may not find", k)
			}
		}
	}
	return nil
}
