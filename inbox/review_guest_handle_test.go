package inbox_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/inbox"
)

// Review of issue 10 point 4: an outsider holding a guest invitation can
// learn which teams and people exist in the organization by handle,
// without limit, because a taken handle is refused and the token stays
// usable: "sales" (a team) is ErrConflict, "nosuchteam" would be
// accepted. Guests must not learn which teams exist (boxFor) nor about
// people they cannot see. This test fails while the oracle exists.
func TestReview_4_GuestHandleIsNoDirectoryOracle(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "Handles")
	probes := 0
	for _, h := range []string{"sales", "support", "own", "ceo", "board", "hr"} {
		inv := gstInvite(t, a, "C", x, "probe"+h+"@ext.com")
		_, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Name: "P", Handle: h})
		if err != nil {
			probes++
			t.Logf("handle %q: %v (the outsider now knows it is a team or person of the org)", h, err)
			// The same token still works: the probing is unbounded.
			_, err = a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Name: "P", Handle: h + "-probe"})
			require.NoError(t, err)
		}
	}
	assert.Zero(t, probes, "acceptance answers tell an outsider which handles the organization's teams and people hold")
}
