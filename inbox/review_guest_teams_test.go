package inbox_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/inbox"
)

// Review of issue 10 point 11 (MentionTeams) against the guest rule
// "guests do not learn which teams exist" (boxFor): a guest of a private
// conversation that a member @team-mentioned receives the team's ID in
// View.Conversation.MentionTeams (as it already does in Team and Teams).
func TestReview_11_GuestViewNamesNoMentionTeam(t *testing.T) {
	a := tltgAcme()
	c := d4Private(t, a)
	inv := gstInvite(t, a, "M", c, "g@ext.com")
	acc, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Name: "Gail", Handle: "gail"})
	require.NoError(t, err)
	_, err = a.Engine.Comment(tltgCtx, a.As("M"), c, inbox.NewComment{Body: "have a look @sales"})
	require.NoError(t, err)
	v, err := a.Engine.Get(tltgCtx, inbox.AsUser(acc.Guest.ID), c)
	require.NoError(t, err)
	assert.Empty(t, v.Conversation.MentionTeams, "the guest learns the Sales team's ID")
	assert.Empty(t, v.Conversation.Teams)
	for _, cm := range v.Comments {
		for _, m := range cm.Mentions {
			assert.True(t, m.Team.IsZero(), "a comment's mention names team %s to the guest", m.Team)
		}
	}
}
