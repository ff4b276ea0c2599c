package inbox_test

// Regression tests for issue 10, point 4: users, guests and teams share
// one mention-handle namespace per organization, with the reserved
// mention "all" (F3:7326-7328) refused.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// A guest cannot take a team's (or a member's) handle; the refusal names
// no internal ID and leaves the token usable; "@sales" from a member
// still mentions the Sales team (F3:7326).
func TestDefect10_4_GuestCannotTakeTeamHandle(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "Handles")
	inv := gstInvite(t, a, "C", x, "g@ext.com")
	for _, h := range []string{"sales", "SALES", "a", "Own"} {
		_, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Name: "Gail", Handle: h})
		require.ErrorIs(t, err, inbox.ErrConflict, h)
		for _, id := range []string{a.Org.ID.String(), a.Users["Own"].ID.String(), a.Users["A"].ID.String(), a.Teams["Sales"].ID.String()} {
			assert.NotContains(t, err.Error(), id, "%s: the refusal names no internal ID", h)
		}
	}
	acc, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Name: "Gail", Handle: "gail"})
	require.NoError(t, err, "the token survives the refusals")
	assert.Equal(t, "gail", acc.Guest.Handle)

	_, err = a.Engine.Comment(tltgCtx, a.As("A"), x, inbox.NewComment{Body: "@sales please look"})
	require.NoError(t, err)
	v := a.Conv("A", x)
	require.NotEmpty(t, v.Comments)
	assert.Equal(t, []conversation.Mention{{Team: a.Teams["Sales"].ID}}, v.Comments[len(v.Comments)-1].Mentions)
}

// A member cannot be created with a team's handle, nor a team with a
// member's or a guest's, whatever the case.
func TestDefect10_4_MembersAndTeamsShareHandles(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "Handles")
	inv := gstInvite(t, a, "C", x, "g@ext.com")
	_, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Name: "Gail", Handle: "gail"})
	require.NoError(t, err)

	_, err = a.Engine.AddUser(tltgCtx, a.As("Own"), inbox.UserSpec{Name: "Sal", Email: "sal@acme.test", Handle: "Support"})
	assert.ErrorIs(t, err, inbox.ErrConflict, "member with a team's handle")
	for _, h := range []string{"A", "gail", "own"} {
		_, err = a.Engine.CreateTeam(tltgCtx, a.As("Own"), inbox.TeamSpec{Name: "Team " + h, Handle: h})
		assert.ErrorIs(t, err, inbox.ErrConflict, "team with the handle of user %s", h)
		if err != nil {
			for _, u := range a.Users {
				assert.NotContains(t, err.Error(), u.ID.String())
			}
		}
	}
	_, err = a.Engine.AddUser(tltgCtx, a.As("Own"), inbox.UserSpec{Name: "Gil", Email: "gil@acme.test", Handle: "GAIL"})
	assert.ErrorIs(t, err, inbox.ErrConflict, "member with a guest's handle")
}

// "all" is a mention of its own (F3:7327): no user, guest or team may
// take it as a handle.
func TestDefect10_4_ReservedHandlesRefused(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "Handles")
	inv := gstInvite(t, a, "C", x, "g@ext.com")
	for _, h := range []string{"all", "ALL", "All"} {
		_, err := a.Engine.AddUser(tltgCtx, a.As("Own"), inbox.UserSpec{Name: "X", Email: "x@acme.test", Handle: h})
		assert.ErrorIs(t, err, inbox.ErrInvalidArgument, "user %s", h)
		_, err = a.Engine.CreateTeam(tltgCtx, a.As("Own"), inbox.TeamSpec{Name: "Everyone", Handle: h})
		assert.ErrorIs(t, err, inbox.ErrInvalidArgument, "team %s", h)
		_, err = a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Handle: h})
		assert.ErrorIs(t, err, inbox.ErrInvalidArgument, "guest %s", h)
		_, _, err = a.Engine.CreateOrg(tltgCtx, inbox.OrgSpec{Name: "Other", Owner: inbox.UserSpec{Name: "O", Handle: h}})
		assert.ErrorIs(t, err, inbox.ErrInvalidArgument, "owner %s", h)
	}
	_, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Handle: "gail"})
	require.NoError(t, err, "the token survives the refusals")
}
