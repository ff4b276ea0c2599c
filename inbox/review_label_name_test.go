package inbox_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// Review of issue 10 point 7: a member who cannot find a restricted label
// learns it exists (and its exact name) by creating or renaming a label
// to the same name: ErrConflict for a hidden name, success for a random
// one. An existence oracle is a leak.
func TestReview_7_HiddenLabelNameIsNoOracle(t *testing.T) {
	a := tltgAcme()
	// One hidden name per probe: the label A creates in one probe is hers,
	// and a later clash with it is a correct refusal.
	for _, name := range []string{"Board-Layoffs", "Board-Pay", "Board-Merger"} {
		slLabel(t, a, "Adm", inbox.LabelSpec{Name: name, VisibleTo: conversation.VisibleToAdminsAndAutoShared})
	}
	as := a.As("A")
	_, err := a.Engine.Label(tltgCtx, as, conversation.LabelID{0x42})
	assert.ErrorIs(t, err, inbox.ErrNotFound)
	_, errRandom := a.Engine.CreateLabel(tltgCtx, as, inbox.LabelSpec{Name: "Nothing-Here"})
	_, errHidden := a.Engine.CreateLabel(tltgCtx, as, inbox.LabelSpec{Name: "Board-Layoffs"})
	assert.NoError(t, errRandom)
	assert.Equal(t, errRandom, errHidden, "creating a label named like a hidden one answers differently than a free name")
	mine := slLabel(t, a, "A", inbox.LabelSpec{Name: "Mine"})
	errRename := a.Engine.UpdateLabel(tltgCtx, as, mine.ID, inbox.LabelPatch{Name: ptr("board-pay")})
	assert.NoError(t, errRename, "renaming to a hidden label's name")
	// EnsureLabel (a user's "find or create by path") answers not-found
	// for the hidden name and creates a free one.
	_, errEnsureFree := a.Engine.EnsureLabel(tltgCtx, as, conversation.OrgID{}, "Free-Name")
	ensured, errEnsureHidden := a.Engine.EnsureLabel(tltgCtx, as, conversation.OrgID{}, "board-merger")
	assert.NoError(t, errEnsureFree)
	assert.Equal(t, errEnsureFree, errEnsureHidden, "EnsureLabel tells a hidden name from a free one")
	if assert.NotNil(t, ensured) {
		_, err = a.Engine.Label(tltgCtx, as, ensured.ID)
		assert.NoError(t, err, "EnsureLabel made a label A can find")
	}
}
