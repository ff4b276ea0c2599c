package inbox_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// Regressions of issue 10, points 5, 6 and 11.

// d4InboxShared connects hello@acme.test, owned by Adm, shared to the
// Inboxes of B and C (Inbox mode, F3:986-990), and delivers one email to
// it.
func d4InboxShared(t *testing.T) (*inboxtest.Acme, conversation.ConversationID) {
	t.Helper()
	a := tltgAcme()
	acct, err := a.Engine.ConnectAccount(tltgCtx, a.As("Adm"), inbox.AccountSpec{Address: "hello@acme.test",
		Sharing: conversation.Sharing{Kind: conversation.SharedToInboxes, Users: map[conversation.UserID]conversation.InboxDelivery{
			a.ID("B"): conversation.ToInbox, a.ID("C"): conversation.ToInbox}}})
	require.NoError(t, err)
	a.Accounts["hello"] = acct
	c := a.Deliver("hello", a.Email("Hello there", "hello@acme.test"))
	for _, u := range []string{"B", "C"} {
		require.True(t, a.In(u, a.Box(conversation.Inbox), c), "%s receives it in their Inbox", u)
	}
	return a, c
}

// Issue 10 point 5: an Inbox-mode recipient's trash is their own. Users
// receiving the account in their Inbox keep it "until they read /
// archive / trash it themselves" (F3:990); outside a team inbox only the
// account owner trashes for everyone (conversations-detail OP-11, A-16,
// F3:8439-8448).
func TestDefect10_5_InboxModeRecipientTrashIsPersonal(t *testing.T) {
	a, c := d4InboxShared(t)
	require.NoError(t, a.Engine.Trash(tltgCtx, a.As("B"), c, inbox.TrashOptions{}))
	assert.True(t, a.In("B", a.Box(conversation.Trash), c), "in B's Trash")
	assert.False(t, a.In("B", a.Box(conversation.Inbox), c))
	assert.True(t, a.In("C", a.Box(conversation.Inbox), c), "C keeps it in their Inbox")
	assert.False(t, a.In("C", a.Box(conversation.Trash), c), "not in C's Trash")
	assert.False(t, a.Conv("C", c).Conversation.Trashed, "not trashed for everyone")
	assert.False(t, a.In("Adm", a.Box(conversation.Trash), c), "nor for the owner")

	// The account owner's trash is for everyone.
	require.NoError(t, a.Engine.Trash(tltgCtx, a.As("Adm"), c, inbox.TrashOptions{}))
	for _, u := range []string{"Adm", "B", "C"} {
		assert.True(t, a.In(u, a.Box(conversation.Trash), c), "%s: in Trash after the owner's trash", u)
	}
	assert.False(t, a.In("C", a.Box(conversation.Inbox), c))
}

// d4RefsVisible checks that every conversation a view names (timeline
// events, continuation links) is one the reader can get, and returns the
// IDs it names.
func d4RefsVisible(t *testing.T, a *inboxtest.Acme, user string, v *inbox.View) []conversation.ConversationID {
	t.Helper()
	var refs []conversation.ConversationID
	for _, ev := range v.Events {
		refs = append(refs, ev.Related...)
	}
	for _, id := range []conversation.ConversationID{v.Conversation.ContinuationOf, v.Conversation.ContinuedIn, v.Conversation.MergedInto} {
		if !id.IsZero() {
			refs = append(refs, id)
		}
	}
	for _, id := range refs {
		_, err := a.Engine.Get(tltgCtx, a.As(user), id)
		var merged *inbox.MergedError
		if err != nil && !errors.As(err, &merged) {
			t.Errorf("%s receives conversation %s in %s's view but gets %v on it", user, id, v.Conversation.ID, err)
		}
	}
	return refs
}

// Issue 10 point 6: the "linked" note of a message copied to two teams
// names the other copy only to readers who can see it; the note itself
// ("it has been duplicated", F3:9756) stays.
func TestDefect10_6_LinkedEventHidesInvisibleCopy(t *testing.T) {
	a, _, salesCopy, prodCopy := tltgDuplicate(t)
	for _, tc := range []struct{ user, peerOf string }{{"C", "sales"}, {"M", "prod"}} {
		own := salesCopy
		if tc.peerOf == "prod" {
			own = prodCopy
		}
		v := a.Conv(tc.user, own)
		assert.Len(t, tltgEvents(v, conversation.EventLinked), 1, "%s keeps the note", tc.user)
		assert.Empty(t, d4RefsVisible(t, a, tc.user, v), "%s is shown no other conversation", tc.user)
	}
	// Adm owns both accounts and sees both copies: the link stays.
	links := tltgEvents(a.Conv("Adm", salesCopy), conversation.EventLinked)
	require.Len(t, links, 1)
	assert.Equal(t, []conversation.ConversationID{prodCopy}, links[0].Related)
}

// Issue 10 point 6: a private split's fork event on the original names
// the private conversation only to the one who split it.
func TestDefect10_6_PrivateSplitForkHidesPrivateConversation(t *testing.T) {
	a := tltgAcme()
	c, m := tltgSupport(a, "Two questions")
	reply := a.ReplyTo(m)
	require.Equal(t, c, a.Deliver("support", reply))
	var moved conversation.MessageID
	for _, msg := range a.Conv("A", c).Messages {
		if msg.HeaderID == reply.HeaderID {
			moved = msg.ID
		}
	}
	priv, err := a.Engine.Split(tltgCtx, a.As("A"), c, moved, inbox.SplitOptions{})
	require.NoError(t, err)
	require.False(t, tltgCanSee(t, a, "B", priv))

	v := a.Conv("B", c)
	forks := tltgEvents(v, conversation.EventForked)
	require.Len(t, forks, 1, "B still sees that a message moved out")
	assert.Empty(t, d4RefsVisible(t, a, "B", v), "B is not shown the private conversation")

	forks = tltgEvents(a.Conv("A", c), conversation.EventForked)
	require.Len(t, forks, 1)
	assert.Equal(t, []conversation.ConversationID{priv}, forks[0].Related, "the splitter keeps the link")
}

// Issue 10 point 6: the continuation links of the message cap (F3:7932)
// name the other conversation only to readers who can see it.
func TestDefect10_6_ContinuationLinksHideInvisibleConversation(t *testing.T) {
	a := tltgAcme(inboxtest.AcmeOptions{Config: inbox.Config{MaxMessages: 2}})
	c, m := tltgSupport(a, "Long thread")
	r1 := a.ReplyTo(m)
	require.Equal(t, c, a.Deliver("support", r1))
	// M is added to the full conversation only.
	require.NoError(t, a.Engine.AddPeople(tltgCtx, a.As("A"), c, inbox.People{Users: a.IDs("M")}))
	next := a.Deliver("support", a.ReplyTo(r1))
	require.NotEqual(t, c, next, "the cap starts a continuation")
	require.False(t, tltgCanSee(t, a, "M", next))

	v := a.Conv("M", c)
	assert.True(t, v.Conversation.ContinuedIn.IsZero(), "M is not told where it continues")
	assert.Empty(t, d4RefsVisible(t, a, "M", v))

	// A sees both: the links stay.
	assert.Equal(t, next, a.Conv("A", c).Conversation.ContinuedIn)
	vn := a.Conv("A", next)
	assert.Equal(t, c, vn.Conversation.ContinuationOf)
	assert.Contains(t, d4RefsVisible(t, a, "A", vn), c)
}

// d4Private connects p@acme.test, a personal account of M's with no
// delegate, and delivers one email to it: a conversation private to M.
func d4Private(t *testing.T, a *inboxtest.Acme) conversation.ConversationID {
	t.Helper()
	acct, err := a.Engine.ConnectAccount(tltgCtx, a.As("M"), inbox.AccountSpec{Address: "p@acme.test"})
	require.NoError(t, err)
	a.Accounts["p"] = acct
	c := a.Deliver("p", a.Email("Private", "p@acme.test"))
	for _, u := range tltgEveryone {
		require.Equal(t, u == "M", tltgCanSee(t, a, u, c), "%s", u)
	}
	return c
}

// Issue 10 point 11: "@team" on a private conversation shares it with the
// team as such (F3:7333): who joins the team later sees it too, with the
// mention rule of the team (active members by default, observers only
// when the team's option adds them, F3:9459-9461, spec A-12).
func TestDefect10_11_TeamMentionSharesWithTheTeam(t *testing.T) {
	a := tltgAcme()
	c := d4Private(t, a)
	_, err := a.Engine.Comment(tltgCtx, a.As("M"), c, inbox.NewComment{Body: "have a look @sales"})
	require.NoError(t, err)
	require.True(t, tltgCanSee(t, a, "C", c), "today's active member")
	assert.True(t, a.In("C", a.Box(conversation.Inbox), c), "mentioned: in C's Inbox")

	sales := a.Teams["Sales"].ID
	require.NoError(t, a.Engine.SetMembership(tltgCtx, a.As("Own"), sales, a.ID("A"), conversation.Active))
	require.NoError(t, a.Engine.SetMembership(tltgCtx, a.As("Own"), sales, a.ID("O"), conversation.Observer))
	assert.True(t, tltgCanSee(t, a, "A", c), "a member who joined after the mention sees it")
	assert.True(t, a.In("A", a.Box(conversation.All), c), "listed in the new member's All")
	assert.False(t, a.In("A", a.Box(conversation.Inbox), c), "but was not mentioned")
	assert.False(t, tltgCanSee(t, a, "O", c), "an observer does not, by the default mention option")
	assert.False(t, a.In("O", a.Box(conversation.All), c))

	// A member who leaves the team loses what the team gave.
	require.NoError(t, a.Engine.SetMembership(tltgCtx, a.As("Own"), sales, a.ID("A"), 0))
	assert.False(t, tltgCanSee(t, a, "A", c))
	assert.False(t, a.In("A", a.Box(conversation.All), c))

	// An observer made active gains it.
	require.NoError(t, a.Engine.SetMembership(tltgCtx, a.As("Own"), sales, a.ID("O"), conversation.Active))
	assert.True(t, tltgCanSee(t, a, "O", c))
	noteAudit(t, a, "team mention")
}

// Issue 10 point 11 with the team's option "active members and
// observers": observers, also later ones, see it.
func TestDefect10_11_TeamMentionWithObserversOption(t *testing.T) {
	a := tltgAcme()
	team := tltgTeam(t, a, "Ops", "ops", "", func(s *inbox.TeamSpec) { s.Mention = conversation.MentionActiveAndObservers })
	c := d4Private(t, a)
	_, err := a.Engine.Comment(tltgCtx, a.As("M"), c, inbox.NewComment{Body: "@ops FYI"})
	require.NoError(t, err)
	assert.True(t, tltgCanSee(t, a, "O", c), "today's observer")
	require.NoError(t, a.Engine.SetMembership(tltgCtx, a.As("Own"), team.ID, a.ID("D"), conversation.Observer))
	assert.True(t, tltgCanSee(t, a, "D", c), "a later observer")
	assert.True(t, a.In("D", a.Box(conversation.All), c))
}

// Issue 10 point 6: the redirect of a merged-away conversation names its
// target only to a reader who can get the target; one who lost access to
// it since gets a plain not-found.
func TestDefect10_6_MergedRedirectOnlyToVisibleTarget(t *testing.T) {
	a := tltgAcme()
	src, _ := tltgSupport(a, "First")
	dst, _ := tltgSupport(a, "Second")
	require.NoError(t, a.Engine.AddPeople(tltgCtx, a.As("A"), src, inbox.People{Users: a.IDs("M")}))
	require.NoError(t, a.Engine.Merge(tltgCtx, a.As("A"), dst, []conversation.ConversationID{src}, inbox.MergeOptions{}))
	var merged *inbox.MergedError
	_, err := a.Engine.Get(tltgCtx, a.As("M"), src)
	require.ErrorAs(t, err, &merged, "M saw the source: the redirect")
	assert.Equal(t, dst, merged.Target)

	require.NoError(t, a.Engine.RemoveUser(tltgCtx, a.As("A"), dst, a.ID("M")))
	require.False(t, tltgCanSee(t, a, "M", dst))
	_, err = a.Engine.Get(tltgCtx, a.As("M"), src)
	require.ErrorIs(t, err, inbox.ErrNotFound)
	assert.False(t, errors.As(err, &merged), "no redirect to a conversation M cannot get: %v", err)
	err = a.Engine.Close(tltgCtx, a.As("M"), src)
	require.ErrorIs(t, err, inbox.ErrNotFound)
	assert.False(t, errors.As(err, &merged), "nor from an operation: %v", err)
	assert.NotContains(t, err.Error(), dst.String())
}
