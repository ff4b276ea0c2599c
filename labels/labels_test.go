package labels_test

import (
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/labels"
)

type fixture struct {
	org                             conversation.OrgID
	own, adm, member, auto, guest   *conversation.User
	other                           *conversation.User // another organization
	acct                            *conversation.Account
	byID                            map[conversation.LabelID]*conversation.Label
	general, legal, features, child *conversation.Label
	gmail                           *conversation.Label
}

func newFixture() *fixture {
	f := &fixture{org: newID[conversation.OrgID]()}
	user := func(role conversation.Role) *conversation.User {
		return &conversation.User{ID: newID[conversation.UserID](), Org: f.org, Role: role}
	}
	f.own, f.adm, f.member, f.auto, f.guest = user(conversation.RoleOwner), user(conversation.RoleAdmin), user(conversation.RoleMember), user(conversation.RoleMember), user(conversation.RoleGuest)
	f.other = &conversation.User{ID: newID[conversation.UserID](), Org: newID[conversation.OrgID](), Role: conversation.RoleAdmin}
	f.acct = &conversation.Account{ID: newID[conversation.AccountID](), Org: f.org, Channel: conversation.Email, Owner: f.auto.ID}
	f.byID = map[conversation.LabelID]*conversation.Label{}
	mk := func(name string, parent *conversation.Label) *conversation.Label {
		l := &conversation.Label{ID: newID[conversation.LabelID](), Org: f.org, Kind: conversation.OrgLabel, Name: name}
		if parent != nil {
			l.Parent = parent.ID
		}
		f.byID[l.ID] = l
		return l
	}
	f.general = mk("General", nil)
	f.legal = mk("Legal", nil)
	f.legal.VisibleTo = conversation.VisibleToAdminsAndAutoShared
	f.legal.AutoShared = []conversation.UserID{f.auto.ID}
	f.features = mk("Features", nil)
	f.child = mk("Requested", f.features)
	f.gmail = mk("Receipts", nil)
	f.gmail.Kind, f.gmail.Account = conversation.EmailLabel, f.acct.ID
	return f
}

// newID returns a new version 7 ID of any kind.
func newID[T ~[16]byte]() T { return T(uuid.Must(uuid.NewV7())) }

func (f *fixture) lookup(id conversation.LabelID) *conversation.Label { return f.byID[id] }

func TestValidate(t *testing.T) {
	f := newFixture()
	for _, l := range f.byID {
		require.NoError(t, labels.Validate(l), l.Name)
	}
	bad := []struct {
		name string
		edit func(l *conversation.Label)
	}{
		{"empty name", func(l *conversation.Label) { l.Name = "" }},
		{"padded name", func(l *conversation.Label) { l.Name = " x" }},
		{"slash", func(l *conversation.Label) { l.Name = "a/b" }},
		{"invalid utf8", func(l *conversation.Label) { l.Name = "\xff" }},
		{"too long", func(l *conversation.Label) { l.Name = string(make([]rune, 256)) }},
		{"no kind", func(l *conversation.Label) { l.Kind = 0 }},
		{"org label with account", func(l *conversation.Label) { l.Account = f.acct.ID }},
		{"bad visibility", func(l *conversation.Label) { l.VisibleTo = 9 }},
		{"unsorted auto-shared", func(l *conversation.Label) {
			a, b := f.auto.ID, f.member.ID
			if a.Compare(b) < 0 {
				a, b = b, a
			}
			l.AutoShared = []conversation.UserID{a, b}
		}},
		{"own parent", func(l *conversation.Label) { l.Parent = l.ID }},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			l := f.general.Clone()
			tc.edit(l)
			assert.ErrorIs(t, labels.Validate(l), conversation.ErrInvalidArgument)
		})
	}
	for name, edit := range map[string]func(l *conversation.Label){
		"email without account":  func(l *conversation.Label) { l.Account = conversation.AccountID{} },
		"email with visibility":  func(l *conversation.Label) { l.VisibleTo = conversation.VisibleToAdminsAndAutoShared },
		"email with auto-shared": func(l *conversation.Label) { l.AutoShared = []conversation.UserID{f.auto.ID} },
		"email with image":       func(l *conversation.Label) { l.Image = "icon.png" },
	} {
		l := f.gmail.Clone()
		edit(l)
		assert.ErrorIs(t, labels.Validate(l), conversation.ErrInvalidArgument, name)
	}
}

func TestPathAndNesting(t *testing.T) {
	f := newFixture()
	assert.Equal(t, "Features/Requested", labels.Path(f.child, f.lookup))
	assert.Equal(t, "General", labels.Path(f.general, f.lookup))
	require.NoError(t, labels.CheckParent(f.child, f.lookup))
	// A cycle is refused: Features under its own child.
	loop := f.features.Clone()
	loop.Parent = f.child.ID
	assert.ErrorIs(t, labels.CheckParent(loop, f.lookup), conversation.ErrInvalidArgument)
	// Kinds do not mix.
	mixed := f.child.Clone()
	mixed.Parent = f.gmail.ID
	assert.ErrorIs(t, labels.CheckParent(mixed, f.lookup), conversation.ErrInvalidArgument)
	missing := f.child.Clone()
	missing.Parent = newID[conversation.LabelID]()
	assert.ErrorIs(t, labels.CheckParent(missing, f.lookup), conversation.ErrNotFound)
	// A path through a stored cycle still ends.
	f.features.Parent = f.child.ID
	assert.Equal(t, "Features/Requested", labels.Path(f.child, f.lookup))
}

func TestWithinMatchesLabelOrAnyChild(t *testing.T) {
	f := newFixture()
	assert.True(t, labels.Within(f.child.ID, f.features.ID, f.lookup), "a child matches its parent")
	assert.True(t, labels.Within(f.features.ID, f.features.ID, f.lookup))
	assert.False(t, labels.Within(f.features.ID, f.child.ID, f.lookup), "a parent does not match its child")
	assert.False(t, labels.Within(f.general.ID, f.features.ID, f.lookup))
	assert.True(t, labels.Matches([]conversation.LabelID{f.general.ID, f.child.ID}, f.features.ID, f.lookup))
	assert.False(t, labels.Matches([]conversation.LabelID{f.general.ID}, f.features.ID, f.lookup))
}

func TestCanSeeAndApply(t *testing.T) {
	f := newFixture()
	cases := []struct {
		label *conversation.Label
		user  *conversation.User
		full  bool
		want  bool
	}{
		{f.general, f.member, false, true},
		{f.general, f.guest, false, false},
		{f.general, f.other, false, false},
		{f.legal, f.member, false, false},
		{f.legal, f.auto, false, true},
		{f.legal, f.adm, false, true},
		{f.legal, f.own, false, true},
		{f.gmail, f.member, false, false},
		{f.gmail, f.member, true, true},
		{f.gmail, f.guest, true, false},
		{f.gmail, f.adm, false, false},
	}
	for _, tc := range cases {
		name := fmt.Sprintf("%s/%s/full=%v", tc.label.Name, tc.user.Role, tc.full)
		assert.Equal(t, tc.want, labels.CanSee(tc.label, tc.user, tc.full), name)
		err := labels.CanApply(tc.label, tc.user, tc.full)
		if tc.want {
			assert.NoError(t, err, name)
		} else {
			assert.ErrorIs(t, err, conversation.ErrNotFound, name)
		}
	}
}

func TestEditSharingDelete(t *testing.T) {
	f := newFixture()
	// Any member edits an org label they may find; a restricted one they
	// may not find is not found (overriding spec A29: issue 10, point 7).
	assert.NoError(t, labels.CanEdit(f.general, f.member, false))
	assert.ErrorIs(t, labels.CanEdit(f.legal, f.member, false), conversation.ErrNotFound)
	assert.NoError(t, labels.CanEdit(f.legal, f.auto, false))
	assert.NoError(t, labels.CanEdit(f.gmail, f.member, true))
	assert.ErrorIs(t, labels.CanEdit(f.gmail, f.member, false), conversation.ErrNotFound)
	assert.ErrorIs(t, labels.CanEdit(f.general, f.guest, false), conversation.ErrNotFound)
	// Sharing settings: owner and admins only.
	assert.ErrorIs(t, labels.CanChangeSharing(f.general, f.member), conversation.ErrForbidden)
	assert.NoError(t, labels.CanChangeSharing(f.general, f.adm))
	assert.NoError(t, labels.CanChangeSharing(f.general, f.own))
	assert.ErrorIs(t, labels.CanChangeSharing(f.gmail, f.adm), conversation.ErrInvalidArgument)
	// Delete.
	assert.ErrorIs(t, labels.CanDelete(f.general, f.member, nil, false), conversation.ErrForbidden)
	assert.NoError(t, labels.CanDelete(f.general, f.adm, nil, false))
	assert.NoError(t, labels.CanDelete(f.gmail, f.auto, f.acct, true), "the account owner")
	assert.NoError(t, labels.CanDelete(f.gmail, f.own, f.acct, true))
	assert.ErrorIs(t, labels.CanDelete(f.gmail, f.own, f.acct, false), conversation.ErrNotFound,
		"the owner without access to the account does not find its label")
	assert.ErrorIs(t, labels.CanDelete(f.gmail, f.member, f.acct, true), conversation.ErrForbidden)
	assert.ErrorIs(t, labels.CanDelete(f.gmail, f.member, f.acct, false), conversation.ErrNotFound)
	assert.ErrorIs(t, labels.CanDelete(f.general, f.guest, nil, false), conversation.ErrNotFound)
}

func TestCheckKind(t *testing.T) {
	f := newFixture()
	conv := f.gmail.Clone()
	conv.Kind, conv.Account = conversation.OrgLabel, conversation.AccountID{}
	assert.ErrorIs(t, labels.CheckKind(f.gmail, conv), conversation.ErrInvalidArgument)
	renamed := f.gmail.Clone()
	renamed.Name = "Bills"
	assert.NoError(t, labels.CheckKind(f.gmail, renamed))
}

func TestLimits(t *testing.T) {
	f := newFixture()
	assert.NoError(t, labels.CheckCreate(conversation.OrgLabel, labels.MaxOrgLabels-1))
	assert.ErrorIs(t, labels.CheckCreate(conversation.OrgLabel, labels.MaxOrgLabels), conversation.ErrLimitReached)
	assert.NoError(t, labels.CheckCreate(conversation.EmailLabel, labels.MaxOrgLabels), "email labels are not counted")

	c := &conversation.Conversation{Org: f.org}
	for range labels.MaxSharedPerConversation {
		l := &conversation.Label{ID: newID[conversation.LabelID](), Org: f.org, Kind: conversation.OrgLabel, Name: "x"}
		f.byID[l.ID] = l
		require.NoError(t, labels.CheckTarget(l, c, nil, f.lookup))
		c.Labels = append(c.Labels, l.ID)
	}
	assert.ErrorIs(t, labels.CheckTarget(f.general, c, nil, f.lookup), conversation.ErrLimitReached)
	assert.NoError(t, labels.CheckTarget(f.byID[c.Labels[0]], c, nil, f.lookup), "re-applying is fine")
	// Email labels do not count toward the 100 (spec A31).
	c.Accounts, c.Messages = []conversation.AccountID{f.acct.ID}, 1
	assert.NoError(t, labels.CheckTarget(f.gmail, c, f.acct, f.lookup))
}

func TestEmailLabelNeedsAnEmail(t *testing.T) {
	f := newFixture()
	sms := &conversation.Account{ID: newID[conversation.AccountID](), Org: f.org, Channel: conversation.SMS}
	c := &conversation.Conversation{Org: f.org, Accounts: []conversation.AccountID{sms.ID}, Messages: 2}
	assert.ErrorIs(t, labels.CheckTarget(f.gmail, c, f.acct, f.lookup), conversation.ErrInvalidArgument, "no email of the account")
	assert.NoError(t, labels.CheckTarget(f.general, c, nil, f.lookup))
	c.Accounts = append(c.Accounts, f.acct.ID)
	assert.NoError(t, labels.CheckTarget(f.gmail, c, f.acct, f.lookup))
	chat := &conversation.Conversation{Org: f.org, Kind: conversation.Chat, Accounts: []conversation.AccountID{f.acct.ID}}
	assert.ErrorIs(t, labels.CheckTarget(f.gmail, chat, f.acct, f.lookup), conversation.ErrInvalidArgument, "no message at all")
}

func TestFullAccess(t *testing.T) {
	f := newFixture()
	team := &conversation.Team{ID: newID[conversation.TeamID](), Org: f.org}
	team.SetMember(f.member.ID, conversation.Observer)
	a := f.acct.Clone()
	assert.True(t, labels.FullAccess(a, nil, f.auto.ID), "owner")
	assert.False(t, labels.FullAccess(a, team, f.member.ID))
	a.Sharing = conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: team.ID}
	assert.True(t, labels.FullAccess(a, team, f.member.ID), "team of a shared account")
	a.Delegates = []conversation.UserID{f.adm.ID}
	assert.True(t, labels.FullAccess(a, nil, f.adm.ID), "delegate")
	a.Sharing = conversation.Sharing{Kind: conversation.NotShared}
	a.SharedAddresses = []conversation.SharedAddress{{Address: "alias@x", Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: team.ID}}}
	assert.False(t, labels.FullAccess(a, team, f.member.ID), "a shared address is not the account (F3:10243)")
	a.Sharing = conversation.Sharing{Kind: conversation.SharedToInboxes, Users: map[conversation.UserID]conversation.InboxDelivery{f.member.ID: conversation.AutoArchive}}
	assert.True(t, labels.FullAccess(a, nil, f.member.ID))
}

func TestAutoSharedAndVisible(t *testing.T) {
	f := newFixture()
	second := f.general.Clone()
	second.ID = newID[conversation.LabelID]()
	second.AutoShared = []conversation.UserID{f.auto.ID, f.member.ID}
	if second.AutoShared[0].Compare(second.AutoShared[1]) > 0 {
		second.AutoShared[0], second.AutoShared[1] = second.AutoShared[1], second.AutoShared[0]
	}
	f.byID[second.ID] = second
	got := labels.AutoSharedUsers([]conversation.LabelID{f.legal.ID, second.ID, f.general.ID}, f.lookup)
	assert.Equal(t, second.AutoShared, got)
	ids := []conversation.LabelID{f.general.ID, f.legal.ID, f.gmail.ID}
	none := func(conversation.AccountID) bool { return false }
	assert.Equal(t, []conversation.LabelID{f.general.ID}, labels.Visible(ids, f.member, f.lookup, none))
	assert.Equal(t, []conversation.LabelID{f.general.ID, f.legal.ID}, labels.Visible(ids, f.adm, f.lookup, none))
	assert.Empty(t, labels.Visible(ids, f.guest, f.lookup, func(conversation.AccountID) bool { return true }))
}

func TestUnionRespectsTheLimit(t *testing.T) {
	f := newFixture()
	mk := func(n int) []conversation.LabelID {
		var out []conversation.LabelID
		for range n {
			l := &conversation.Label{ID: newID[conversation.LabelID](), Org: f.org, Kind: conversation.OrgLabel, Name: "x"}
			f.byID[l.ID] = l
			out = append(out, l.ID)
		}
		return out
	}
	into, from := mk(90), mk(20)
	from = append(from, f.gmail.ID, into[0])
	merged, dropped := labels.Union(into, from, f.lookup)
	assert.Equal(t, labels.MaxSharedPerConversation, labels.SharedCount(merged, f.lookup))
	assert.Contains(t, merged, f.gmail.ID, "email labels are not capped")
	assert.Equal(t, from[10:20], dropped)
	assert.Len(t, merged, 101)
}

// Property: Union never exceeds the cap, keeps every label of into, and
// every label of from is either merged or dropped.
func TestUnionProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := newFixture()
		pool := make([]conversation.LabelID, rapid.IntRange(1, 150).Draw(t, "pool"))
		for i := range pool {
			l := &conversation.Label{ID: newID[conversation.LabelID](), Org: f.org, Kind: conversation.OrgLabel, Name: "x"}
			if rapid.Bool().Draw(t, "email") {
				l.Kind, l.Account = conversation.EmailLabel, f.acct.ID
			}
			f.byID[l.ID] = l
			pool[i] = l.ID
		}
		pick := func(name string) []conversation.LabelID {
			var out []conversation.LabelID
			for _, id := range pool {
				if rapid.Bool().Draw(t, name) {
					out = append(out, id)
				}
			}
			return out
		}
		into := pick("into")
		for labels.SharedCount(into, f.lookup) > labels.MaxSharedPerConversation {
			into = into[1:]
		}
		from := pick("from")
		merged, dropped := labels.Union(into, from, f.lookup)
		if labels.SharedCount(merged, f.lookup) > labels.MaxSharedPerConversation {
			t.Fatalf("over the cap: %d", labels.SharedCount(merged, f.lookup))
		}
		for _, id := range into {
			if !contains(merged, id) {
				t.Fatalf("lost a label of into")
			}
		}
		for _, id := range from {
			if contains(merged, id) == contains(dropped, id) {
				t.Fatalf("label of from neither merged nor dropped, or both")
			}
		}
	})
}

func contains(s []conversation.LabelID, id conversation.LabelID) bool {
	for _, x := range s {
		if x == id {
			return true
		}
	}
	return false
}
