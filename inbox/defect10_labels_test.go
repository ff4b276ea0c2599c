package inbox_test

// Regression tests for issue 10, point 7: a label the actor cannot find
// answers every label operation exactly as an ID that names no label,
// and nothing changes.

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// Every operation taking a label ID answers a member who cannot find the
// label (a restricted organization label, an email label of an account
// they have no access to, a label nested under one they cannot find)
// with the error it gives for a random ID, worded the same modulo the ID,
// never naming the label; and the label and the conversations carrying
// it are unchanged.
func TestDefect10_7_HiddenLabelAnswersAsRandomID(t *testing.T) {
	a := tltgAcme()
	c := slShared(t, a, "Labelled") // A, B, C and Adm see it
	open := slLabel(t, a, "Adm", inbox.LabelSpec{Name: "Open"})
	board := slLabel(t, a, "Adm", inbox.LabelSpec{Name: "Board-Layoffs", VisibleTo: conversation.VisibleToAdminsAndAutoShared})
	child := slLabel(t, a, "Adm", inbox.LabelSpec{Name: "Q3-Cuts", Parent: board.ID})
	mail := slLabel(t, a, "C", inbox.LabelSpec{Kind: conversation.EmailLabel, Account: a.Accounts["c"].ID, Name: "Lawyer-Letters"})
	require.NoError(t, a.Engine.ApplyLabel(tltgCtx, a.As("Adm"), c, board.ID))
	require.NoError(t, a.Engine.ApplyLabel(tltgCtx, a.As("Adm"), c, child.ID))
	require.NoError(t, a.Engine.ApplyLabel(tltgCtx, a.As("A"), c, open.ID))
	secret := []string{"Board-Layoffs", "Q3-Cuts", "Lawyer-Letters"}
	random := conversation.LabelID{0x42, 0x42}

	as := a.As("A")
	ops := map[string]func(id conversation.LabelID) error{
		"Label": func(id conversation.LabelID) error { _, err := a.Engine.Label(tltgCtx, as, id); return err },
		"UpdateLabel rename": func(id conversation.LabelID) error {
			return a.Engine.UpdateLabel(tltgCtx, as, id, inbox.LabelPatch{Name: ptr("Renamed")})
		},
		"UpdateLabel empty patch": func(id conversation.LabelID) error {
			return a.Engine.UpdateLabel(tltgCtx, as, id, inbox.LabelPatch{})
		},
		"UpdateLabel sharing": func(id conversation.LabelID) error {
			v := conversation.VisibleToEveryone
			return a.Engine.UpdateLabel(tltgCtx, as, id, inbox.LabelPatch{VisibleTo: &v})
		},
		"UpdateLabel kind": func(id conversation.LabelID) error {
			k := conversation.EmailLabel
			return a.Engine.UpdateLabel(tltgCtx, as, id, inbox.LabelPatch{Kind: &k})
		},
		"UpdateLabel as parent": func(id conversation.LabelID) error {
			return a.Engine.UpdateLabel(tltgCtx, as, open.ID, inbox.LabelPatch{Parent: &id})
		},
		"DeleteLabel": func(id conversation.LabelID) error { return a.Engine.DeleteLabel(tltgCtx, as, id) },
		"SetLabelPrefs": func(id conversation.LabelID) error {
			return a.Engine.SetLabelPrefs(tltgCtx, as, id, conversation.LabelPrefs{Pinned: true, Watch: true})
		},
		"ApplyLabel":  func(id conversation.LabelID) error { return a.Engine.ApplyLabel(tltgCtx, as, c, id) },
		"RemoveLabel": func(id conversation.LabelID) error { return a.Engine.RemoveLabel(tltgCtx, as, c, id) },
		"MoveToLabel": func(id conversation.LabelID) error {
			return a.Engine.MoveToLabel(tltgCtx, as, c, id, a.Box(conversation.Inbox))
		},
		"MoveToLabel from": func(id conversation.LabelID) error {
			return a.Engine.MoveToLabel(tltgCtx, as, c, open.ID, inbox.LabelMailbox(id))
		},
		"DragToLabel to": func(id conversation.LabelID) error {
			return a.Engine.DragToLabel(tltgCtx, as, c, open.ID, id)
		},
		"DragToLabel from": func(id conversation.LabelID) error {
			return a.Engine.DragToLabel(tltgCtx, as, c, id, open.ID)
		},
		"AddSharedLabels": func(id conversation.LabelID) error {
			return a.Engine.AddSharedLabels(tltgCtx, as, c, []conversation.LabelID{open.ID, id})
		},
		"CreateLabel with parent": func(id conversation.LabelID) error {
			_, err := a.Engine.CreateLabel(tltgCtx, as, inbox.LabelSpec{Name: "Sub", Parent: id})
			return err
		},
		"List": func(id conversation.LabelID) error {
			_, err := a.Engine.List(tltgCtx, as, inbox.LabelMailbox(id), inbox.ListOptions{})
			return err
		},
		"Count": func(id conversation.LabelID) error {
			_, err := a.Engine.Count(tltgCtx, as, inbox.LabelMailbox(id))
			return err
		},
	}
	before := func() (map[conversation.LabelID]inbox.LabelInfo, []conversation.LabelID) {
		infos := map[conversation.LabelID]inbox.LabelInfo{}
		for _, l := range []*conversation.Label{open, board, child, mail} {
			who := "Adm"
			if l == mail {
				who = "C"
			}
			info, err := a.Engine.Label(tltgCtx, a.As(who), l.ID)
			require.NoError(t, err)
			infos[l.ID] = info
		}
		return infos, a.Conv("Adm", c).Conversation.Labels
	}
	wantInfos, wantLabels := before()
	for name, op := range ops {
		for _, hidden := range []*conversation.Label{board, child, mail} {
			t.Run(name+" "+hidden.Name, func(t *testing.T) {
				errRandom, errHidden := op(random), op(hidden.ID)
				require.Error(t, errRandom, "a random ID")
				require.Error(t, errHidden, "a label A cannot find")
				assert.Equal(t, errRandom.Error(), strings.ReplaceAll(errHidden.Error(), hidden.ID.String(), random.String()))
				for _, s := range secret {
					assert.NotContains(t, errHidden.Error(), s)
				}
			})
		}
	}
	gotInfos, gotLabels := before()
	assert.Equal(t, wantInfos, gotInfos, "no label changed")
	assert.Equal(t, wantLabels, gotLabels, "the conversation's labels are unchanged")
}

// Sibling names are unique among the labels the actor can find: a member
// naming a label like one they cannot find succeeds (a refusal would be an
// existence oracle), and a clash with a sibling they can find is refused,
// naming no label ID. Issue 10 point 7.
func TestDefect10_7_NameClashNamesNoHiddenLabel(t *testing.T) {
	a := tltgAcme()
	board := slLabel(t, a, "Adm", inbox.LabelSpec{Name: "Board", VisibleTo: conversation.VisibleToAdminsAndAutoShared})
	open := slLabel(t, a, "Adm", inbox.LabelSpec{Name: "Open"})
	as := a.As("A")
	mine, err := a.Engine.CreateLabel(tltgCtx, as, inbox.LabelSpec{Name: "board"})
	require.NoError(t, err, "a name only a hidden sibling holds is free")
	require.NoError(t, a.Engine.UpdateLabel(tltgCtx, as, mine.ID, inbox.LabelPatch{Name: ptr("BOARD")}), "renaming to it too")
	_, err = a.Engine.CreateLabel(tltgCtx, a.As("Adm"), inbox.LabelSpec{Name: "board"})
	require.ErrorIs(t, err, inbox.ErrConflict, "the admin can find both")
	assert.NotContains(t, err.Error(), board.ID.String())
	assert.NotContains(t, err.Error(), mine.ID.String())

	// A sibling the actor can find clashes, case-insensitively, on create,
	// rename and move.
	_, err = a.Engine.CreateLabel(tltgCtx, as, inbox.LabelSpec{Name: "OPEN"})
	require.ErrorIs(t, err, inbox.ErrConflict)
	assert.NotContains(t, err.Error(), open.ID.String())
	err = a.Engine.UpdateLabel(tltgCtx, as, mine.ID, inbox.LabelPatch{Name: ptr("open")})
	require.ErrorIs(t, err, inbox.ErrConflict)
	sub := slLabel(t, a, "A", inbox.LabelSpec{Name: "Open", Parent: mine.ID})
	err = a.Engine.UpdateLabel(tltgCtx, as, sub.ID, inbox.LabelPatch{Parent: ptr(conversation.LabelID{})})
	require.ErrorIs(t, err, inbox.ErrConflict, "moving next to a same-named sibling")

	// EnsureLabel resolves through what A can find: "board" is A's own.
	got, err := a.Engine.EnsureLabel(tltgCtx, as, conversation.OrgID{}, "Board")
	require.NoError(t, err)
	assert.Equal(t, mine.ID, got.ID)
	got, err = a.Engine.EnsureLabel(tltgCtx, a.As("B"), conversation.OrgID{}, "open")
	require.NoError(t, err)
	assert.Equal(t, open.ID, got.ID)
}
