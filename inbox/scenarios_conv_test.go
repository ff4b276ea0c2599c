package inbox_test

// One test per scenario CONV-01 … CONV-58 of shared/spec/conversations.md
// §8 (details: conversations-detail.md §3-§4; seed F3 =
// shared/seeds/003_14a10531bc51b387.txt). Scenarios that need a feature
// this engine does not have yet assert the part that exists, then skip at
// the point where the missing feature is required, naming it.
//
// Helpers are prefixed scv so they do not collide with the other scenario
// files of package inbox_test.

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/storage"
)

var (
	scvCtx  = context.Background()
	scvSent atomic.Int64
)

func scvAcme() *inboxtest.Acme { return inboxtest.NewAcme(inboxtest.AcmeOptions{}) }

// scvSupport delivers a new customer email to support@ (team inbox of
// Support).
func scvSupport(a *inboxtest.Acme, subject string) (conversation.ConversationID, conversation.Message) {
	m := a.Email(subject, "support@acme.test")
	return a.Deliver("support", m), m
}

// scvPersonal delivers a new customer email to a personal account of
// owner (no delegated users), connecting "<owner>.personal@acme.test" on
// first use. The conversation is private to owner.
func scvPersonal(t *testing.T, a *inboxtest.Acme, owner, subject string) (conversation.ConversationID, conversation.Message) {
	t.Helper()
	key := "personal-" + owner
	if _, ok := a.Accounts[key]; !ok {
		acct, err := a.Engine.ConnectAccount(scvCtx, a.As(owner), inbox.AccountSpec{Address: a.Users[owner].Handle + ".personal@acme.test"})
		require.NoError(t, err)
		a.Accounts[key] = acct
	}
	m := a.Email(subject, a.Accounts[key].Address)
	return a.Deliver(key, m), m
}

func scvComment(t *testing.T, a *inboxtest.Acme, who string, c conversation.ConversationID, body string) conversation.CommentID {
	t.Helper()
	id, err := a.Engine.Comment(scvCtx, a.As(who), c, inbox.NewComment{Body: body})
	require.NoError(t, err)
	return id
}

func scvCanSee(t *testing.T, a *inboxtest.Acme, who string, c conversation.ConversationID) bool {
	t.Helper()
	ok, err := a.Engine.CanSee(scvCtx, a.As(who), c)
	require.NoError(t, err)
	return ok
}

// scvSend records an outgoing reply by who to the customer of parent and
// returns the message as sent (with its Message-ID).
func scvSend(t *testing.T, a *inboxtest.Acme, who string, c conversation.ConversationID, parent conversation.Message, then inbox.Then, snooze inbox.SnoozeOptions) conversation.Message {
	t.Helper()
	m := conversation.Message{
		To:         []conversation.Address{parent.From},
		Subject:    "Re: " + parent.Subject,
		Text:       "Answer",
		HeaderID:   fmt.Sprintf("sent%d@acme.test", scvSent.Add(1)),
		InReplyTo:  []string{parent.HeaderID},
		References: []string{parent.HeaderID},
	}
	r := inbox.Reply{Message: m, Then: then, Snooze: snooze}
	if acct := a.Accounts[who]; acct != nil {
		r.Account = acct.ID // see scvOwnAddress
	}
	_, err := a.Engine.RecordReply(scvCtx, a.As(who), c, r)
	require.NoError(t, err)
	return m
}

// scvOwnAddress connects a personal address for who, which scvSend then
// sends from: a user who is not a member of the conversation's team has
// no access to its address, and "to send emails, a user must be granted
// access to at least one email address or alias" (F3:6827).
func scvOwnAddress(t *testing.T, a *inboxtest.Acme, who string) {
	t.Helper()
	acct, err := a.Engine.ConnectAccount(scvCtx, a.As(who), inbox.AccountSpec{Address: strings.ToLower(who) + ".own@acme.test"})
	require.NoError(t, err)
	a.Accounts[who] = acct
}

// scvCustomerReply builds the customer's reply, sent to address to, to
// message parent (which may be one of ours).
func scvCustomerReply(a *inboxtest.Acme, parent conversation.Message, to string) conversation.Message {
	m := a.Email("Re: "+parent.Subject, to)
	m.InReplyTo = []string{parent.HeaderID}
	m.References = []string{parent.HeaderID}
	return m
}

// scvNotes returns who was notified since the last Take, with the reasons.
func scvNotes(a *inboxtest.Acme) map[conversation.UserID][]inbox.Reason {
	out := map[conversation.UserID][]inbox.Reason{}
	for _, n := range a.Notes.Take() {
		out[n.User] = append(out[n.User], n.Reason)
	}
	return out
}

func scvEvents(v *inbox.View, typ conversation.EventType) []*conversation.Event {
	var out []*conversation.Event
	for _, ev := range v.Events {
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

func scvBool(b bool) *bool { return &b }

// scvInsert stores a conversation of a kind no public operation creates
// yet (rooms, chats) through the engine's store, shared with users and
// in each one's Inbox, with its placements computed by the domain.
func scvInsert(t *testing.T, a *inboxtest.Acme, kind conversation.Kind, subject string, users ...string) conversation.ConversationID {
	t.Helper()
	id := conversation.ConversationID(uuid.Must(uuid.NewV7()))
	now := a.Clock.Now().UTC().Truncate(time.Microsecond)
	c := &conversation.Conversation{ID: id, Org: a.Org.ID, Kind: kind, Subject: subject, Users: a.IDs(users...), CreatedAt: now, LastActivity: now}
	states := map[conversation.UserID]*conversation.UserState{}
	for _, u := range c.Users {
		states[u] = &conversation.UserState{Conversation: id, User: u, InInbox: true}
	}
	err := a.Engine.Store().Update(scvCtx, func(tx storage.Tx) error {
		if err := tx.CreateConversation(scvCtx, c); err != nil {
			return err
		}
		for _, st := range states {
			if err := tx.PutUserState(scvCtx, st); err != nil {
				return err
			}
		}
		return tx.SetPlacements(scvCtx, id, now, conversation.Placements(nil, c, states, conversation.Teams{}))
	})
	require.NoError(t, err)
	return id
}

func scvRunDue(t *testing.T, a *inboxtest.Acme) int {
	t.Helper()
	n, err := a.Engine.RunDue(scvCtx)
	require.NoError(t, err)
	return n
}

// ---------------------------------------------------------------------
// Sharing, mentions, add people

// CONV-01 "Given an email arrives on a shared account / When it is ingested / Then the conversation is shared and sits in that team's inbox" (F3:7290, F3:137).
func TestCONV_01_SharedAccountEmailIsSharedInTeamInbox(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "Printer jammed")
	v := a.Conv("A", c)
	assert.True(t, v.Conversation.Shared(), "shared with the team automatically (F3:7290)")
	assert.Equal(t, a.Teams["Support"].ID, v.Conversation.Team)
	for _, u := range []string{"A", "B", "O"} {
		assert.True(t, a.In(u, a.Box(conversation.TeamInbox, "Support"), c), "%s sees it in the Support team inbox", u)
		assert.False(t, a.In(u, a.Box(conversation.Inbox), c), "%s: the team inbox, not the personal Inbox", u)
	}
	for _, u := range []string{"C", "M", "D"} {
		assert.False(t, scvCanSee(t, a, u, c), "%s is not in Support", u)
	}
}

// CONV-02 "Given an email on u's personal account / When ingested / Then it is private to u and in u's Inbox, with no avatars" (F3:7290, F3:7303, F3:352).
func TestCONV_02_PersonalAccountEmailIsPrivate(t *testing.T) {
	a := scvAcme()
	a.Notes.Take()
	c, _ := scvPersonal(t, a, "M", "Dentist appointment")
	assert.True(t, a.In("M", a.Box(conversation.Inbox), c), "an email in your account enters your Inbox (F3:352)")
	assert.Equal(t, a.IDs("M"), a.Notes.Users(), "only the owner is told")
	v := a.Conv("M", c)
	assert.False(t, v.Conversation.Shared(), "private: no avatars (F3:7303)")
	assert.Equal(t, a.IDs("M"), v.Conversation.Users)
	assert.True(t, v.Conversation.Team.IsZero())
	for _, u := range []string{"Own", "Adm", "A", "B", "C", "O", "D"} {
		assert.False(t, scvCanSee(t, a, u, c), "only M can see it (F3:7303), not %s", u)
	}
}

// CONV-03 "Given a private conversation of A / When A comments "@B" / Then B gains access and it appears in B's Inbox" (F3:7323, F3:7333).
func TestCONV_03_MentionSharesPrivateConversation(t *testing.T) {
	a := scvAcme()
	c, _ := scvPersonal(t, a, "A", "Contract question")
	require.False(t, scvCanSee(t, a, "B", c))
	a.Notes.Take()
	scvComment(t, a, "A", c, "@b can you look at this?")
	assert.True(t, scvCanSee(t, a, "B", c), "the mention gives access (F3:7323)")
	assert.True(t, a.In("B", a.Box(conversation.Inbox), c))
	assert.True(t, a.Conv("A", c).Conversation.Shared(), "the private conversation is now shared (F3:7333)")
	assert.Equal(t, map[conversation.UserID][]inbox.Reason{a.ID("B"): {inbox.Mentioned}}, scvNotes(a))
	assert.False(t, scvCanSee(t, a, "M", c), "nobody else")
}

// CONV-04 "Given a private conversation / When A comments "@Support" / Then all Support members gain access and get it in their Inbox" (F3:7326, F3:7333).
func TestCONV_04_TeamMentionSharesWithTeamMembers(t *testing.T) {
	a := scvAcme()
	c, _ := scvPersonal(t, a, "A", "Escalation")
	scvComment(t, a, "A", c, "@support please weigh in")
	assert.True(t, scvCanSee(t, a, "B", c))
	assert.True(t, a.In("B", a.Box(conversation.Inbox), c))
	// "All members" is qualified by the team's mention option, whose
	// default adds only active members (F3:9458-9461; spec A-12).
	assert.False(t, scvCanSee(t, a, "O", c), "observer O is not added by default")
	assert.False(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), c), "a mention does not file it in the team inbox")

	// A team whose option adds observers too: every member is mentioned.
	ops, err := a.Engine.CreateTeam(scvCtx, a.As("Adm"), inbox.TeamSpec{Name: "Ops", Handle: "ops", Mention: conversation.MentionActiveAndObservers,
		Members: []conversation.Membership{{User: a.ID("M"), Kind: conversation.Active}, {User: a.ID("O"), Kind: conversation.Observer}}})
	require.NoError(t, err)
	require.NotNil(t, ops)
	a.Notes.Take()
	scvComment(t, a, "A", c, "@ops too")
	for _, u := range []string{"M", "O"} {
		assert.True(t, scvCanSee(t, a, u, c), u)
		assert.True(t, a.In(u, a.Box(conversation.Inbox), c), u)
	}
	n := scvNotes(a)
	assert.Equal(t, []inbox.Reason{inbox.Mentioned}, n[a.ID("M")])
	assert.Equal(t, []inbox.Reason{inbox.Mentioned}, n[a.ID("O")])
}

// CONV-05 "Given a group `@design-leads` with users X and Y / When A mentions it / Then both X and Y are mentioned" (F3:7328, F3:7358).
func TestCONV_05_MentionGroupMentionsAllMembers(t *testing.T) {
	a := scvAcme()
	c, _ := scvPersonal(t, a, "A", "Design review")
	a.Notes.Take()
	scvComment(t, a, "A", c, "@design-leads please review")
	// Today an unknown handle is plain text: nobody is mentioned.
	assert.Empty(t, a.Notes.Users())
	assert.False(t, scvCanSee(t, a, "B", c))
	t.Skip("needs mention groups (set per user profile, F3:7348-7358): not built in package inbox")
}

// CONV-06 "Given an org conversation / When A posts "@all" / Then everyone in the org with access is mentioned" (F3:7327).
func TestCONV_06_AllMentionsEveryoneWithAccess(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "Outage")
	a.Notes.Take()
	scvComment(t, a, "A", c, "@all heads up, outage in progress")
	n := scvNotes(a)
	// With access: Support members B and O, and Adm who connected
	// support@ (the account owner sees its content, F3:9766).
	for _, u := range []string{"B", "O", "Adm"} {
		assert.Equal(t, []inbox.Reason{inbox.Mentioned}, n[a.ID(u)], u)
		assert.True(t, a.In(u, a.Box(conversation.Inbox), c), u)
	}
	// Without access: not mentioned, and no access granted (spec A-13).
	for _, u := range []string{"Own", "C", "M", "D"} {
		assert.NotContains(t, n, a.ID(u), u)
		assert.False(t, scvCanSee(t, a, u, c), u)
	}
	assert.NotContains(t, n, a.ID("A"), "the author is not notified of their own comment")
}

// CONV-07 "Given A adds B via Add people with "Show in their inbox" off / When done / Then B has access but the conversation is archived for B, not in B's Inbox" (F3:7364, F3:8118).
func TestCONV_07_AddPeopleWithoutInboxGivesArchivedAccess(t *testing.T) {
	a := scvAcme()
	c, _ := scvPersonal(t, a, "A", "For reference")
	a.Notes.Take()
	require.NoError(t, a.Engine.AddPeople(scvCtx, a.As("A"), c, inbox.People{Users: a.IDs("B"), ShowInInbox: false}))
	assert.True(t, scvCanSee(t, a, "B", c))
	assert.False(t, a.In("B", a.Box(conversation.Inbox), c))
	assert.True(t, a.In("B", a.Box(conversation.All), c), "archived access: found in All")
	assert.Empty(t, a.Notes.Users(), "nobody is pulled in")

	// Control: with the box checked, the person gets it in their Inbox.
	require.NoError(t, a.Engine.AddPeople(scvCtx, a.As("A"), c, inbox.People{Users: a.IDs("M"), ShowInInbox: true}))
	assert.True(t, a.In("M", a.Box(conversation.Inbox), c))
}

// CONV-08 "Given A unchecked "Show in their inbox" last time / When A opens Add people again / Then the box starts unchecked" (F3:8118).
func TestCONV_08_AddPeopleRemembersShowInInbox(t *testing.T) {
	a := scvAcme()
	c, _ := scvPersonal(t, a, "A", "FYI")
	require.NoError(t, a.Engine.AddPeople(scvCtx, a.As("A"), c, inbox.People{Users: a.IDs("B"), ShowInInbox: false}))
	require.False(t, a.In("B", a.Box(conversation.Inbox), c))
	// The engine takes the checkbox on every call; the remembered default
	// (spec OP-05: Prefs.AddPeopleShowInInboxDefault) does not exist.
	t.Skip("needs a remembered Add-people default (Prefs.AddPeopleShowInInboxDefault, spec OP-05): not built in package inbox")
}

// CONV-09 "Given team T gains access with show-in-inbox off / When done / Then no T member gets it in their Inbox" (F3:8269-8272).
func TestCONV_09_TeamAccessWithoutInbox(t *testing.T) {
	a := scvAcme()
	c, _ := scvPersonal(t, a, "M", "Roadmap")
	a.Notes.Take()
	require.NoError(t, a.Engine.AddPeople(scvCtx, a.As("M"), c, inbox.People{Teams: []conversation.TeamID{a.Teams["Support"].ID}}))
	for _, u := range []string{"A", "B", "O"} {
		assert.True(t, scvCanSee(t, a, u, c), "%s has access", u)
		assert.False(t, a.In(u, a.Box(conversation.Inbox), c), "%s: not in the Inbox", u)
		assert.False(t, a.In(u, a.Box(conversation.TeamInbox, "Support"), c), "%s: not in the team inbox either", u)
		assert.True(t, a.In(u, a.Box(conversation.All), c), u)
	}
	assert.Empty(t, a.Notes.Users())

	// Control: the same with the option on reaches the team's Inboxes.
	require.NoError(t, a.Engine.AddPeople(scvCtx, a.As("M"), c, inbox.People{Teams: []conversation.TeamID{a.Teams["Sales"].ID}, ShowInInbox: true}))
	assert.True(t, a.In("C", a.Box(conversation.Inbox), c))
}

// ---------------------------------------------------------------------
// Assignment and watching

// CONV-10 "Given a conversation / When A assigns B / Then it is in B's Inbox and Tasks, and B watches it" (F3:7365, F3:7439, F3:8193).
func TestCONV_10_AssignmentInboxTasksAndWatch(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "Refund")
	require.False(t, a.Conv("B", c).State.Watching)
	a.Notes.Take()
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("B"), inbox.Replace))
	assert.True(t, a.In("B", a.Box(conversation.Inbox), c))
	assert.True(t, a.In("B", a.Box(conversation.AssignedToMe), c), "Tasks / Assigned to me")
	assert.True(t, a.Conv("B", c).State.Watching)
	assert.Equal(t, map[conversation.UserID][]inbox.Reason{a.ID("B"): {inbox.Assigned}}, scvNotes(a))
	assert.False(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), c), "assigned: it leaves the team inbox (F3:137)")
}

// CONV-11 "Given B is assigned / When B tries to unwatch / Then it is refused until B is unassigned" (F3:7446).
func TestCONV_11_AssigneeCannotUnwatch(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "Refund")
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("B"), inbox.Replace))
	err := a.Engine.Unwatch(scvCtx, a.As("B"), c)
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
	assert.True(t, a.Conv("B", c).State.Watching, "refused: still watching")
	require.NoError(t, a.Engine.Unassign(scvCtx, a.As("B"), c, a.IDs("B")))
	require.NoError(t, a.Engine.Unwatch(scvCtx, a.As("B"), c))
	assert.False(t, a.Conv("B", c).State.Watching)
}

// scvMentionedAndArchived gets M into c via a mention by A, sets M's
// watching, and has M archive it.
func scvMentionedAndArchived(t *testing.T, a *inboxtest.Acme, c conversation.ConversationID, watch bool) {
	t.Helper()
	scvComment(t, a, "A", c, "@m have a look")
	if watch {
		require.NoError(t, a.Engine.Watch(scvCtx, a.As("M"), c))
	} else {
		require.NoError(t, a.Engine.Unwatch(scvCtx, a.As("M"), c))
	}
	require.NoError(t, a.Engine.Archive(scvCtx, a.As("M"), c, inbox.ArchiveOptions{}))
	require.False(t, a.In("M", a.Box(conversation.Inbox), c))
	require.Equal(t, watch, a.Conv("M", c).State.Watching)
	a.Notes.Take()
}

// CONV-12 "Given u watches c and archived it / When a new comment is posted by someone else / Then c returns to u's Inbox" (F3:7414, F3:7418).
func TestCONV_12_WatcherGetsCommentBackInInbox(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "Watched")
	scvMentionedAndArchived(t, a, c, true)
	scvComment(t, a, "B", c, "status update")
	assert.True(t, a.In("M", a.Box(conversation.Inbox), c))
	assert.Contains(t, scvNotes(a)[a.ID("M")], inbox.CommentPosted)
}

// CONV-13 "Given u unwatched c and archived it / When a new comment without a mention is posted / Then c stays out of u's Inbox" (F3:7419).
func TestCONV_13_UnwatchedStaysArchivedOnComment(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "Not watched")
	scvMentionedAndArchived(t, a, c, false)
	scvComment(t, a, "B", c, "status update")
	assert.False(t, a.In("M", a.Box(conversation.Inbox), c))
	assert.NotContains(t, scvNotes(a), a.ID("M"))
	assert.True(t, a.In("M", a.Box(conversation.All), c), "still accessible")
}

// CONV-14 "Given u unwatched c / When u is @mentioned, assigned, or gets a direct reply / Then c returns to u's Inbox" (F3:7419).
func TestCONV_14_UnwatchedReturnsOnMentionAssignDirectReply(t *testing.T) {
	t.Run("mention", func(t *testing.T) {
		a := scvAcme()
		c, _ := scvSupport(a, "x")
		scvMentionedAndArchived(t, a, c, false)
		scvComment(t, a, "B", c, "@m again")
		assert.True(t, a.In("M", a.Box(conversation.Inbox), c))
	})
	t.Run("assignment", func(t *testing.T) {
		a := scvAcme()
		c, _ := scvSupport(a, "x")
		scvMentionedAndArchived(t, a, c, false)
		require.NoError(t, a.Engine.Assign(scvCtx, a.As("B"), c, a.IDs("M"), inbox.Add))
		assert.True(t, a.In("M", a.Box(conversation.Inbox), c))
	})
	t.Run("direct reply", func(t *testing.T) {
		a := scvAcme()
		c, first := scvSupport(a, "x")
		scvComment(t, a, "A", c, "@m you know this customer")
		scvOwnAddress(t, a, "M")
		sent := scvSend(t, a, "M", c, first, inbox.ThenNothing, inbox.SnoozeOptions{})
		require.NoError(t, a.Engine.Unwatch(scvCtx, a.As("M"), c))
		require.NoError(t, a.Engine.Archive(scvCtx, a.As("M"), c, inbox.ArchiveOptions{}))
		require.False(t, a.In("M", a.Box(conversation.Inbox), c))
		// Control: a customer message that does not answer M stays out.
		a.Deliver("support", scvCustomerReply(a, first, "support@acme.test"))
		require.False(t, a.In("M", a.Box(conversation.Inbox), c), "not a direct reply to M")
		// The customer answers M's message, at the address M sent from.
		require.Equal(t, c, a.Deliver("M", scvCustomerReply(a, sent, "m.own@acme.test")))
		assert.True(t, a.In("M", a.Box(conversation.Inbox), c))
	})
}

// CONV-15 "Given auto-watch-on-comment is the default / When u posts a comment / Then u watches c" (F3:7440).
func TestCONV_15_CommentAutoWatches(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	require.False(t, a.Conv("O", c).State.Watching)
	scvComment(t, a, "O", c, "noted")
	assert.True(t, a.Conv("O", c).State.Watching)
	assert.False(t, a.In("O", a.Box(conversation.Inbox), c), "the author is not re-inboxed by their own comment")
}

// CONV-16 "Given the "watch on draft" preference is disabled / When u creates a draft / Then u's watch state is unchanged" (F3:7441, F3:7453).
func TestCONV_16_DraftWatchPreference(t *testing.T) {
	a := scvAcme()
	c, first := scvSupport(a, "x")
	require.NoError(t, a.Engine.AddPeople(scvCtx, a.As("A"), c, inbox.People{Users: a.IDs("M", "C")}))
	// The nearest existing behaviour: the engine's NoWatchOnReply
	// preference governs auto-watching when replying (prefs doc, F3:7441).
	require.NoError(t, a.Engine.SetPrefs(scvCtx, a.As("M"), conversation.Prefs{NoWatchOnReply: true}))
	scvOwnAddress(t, a, "M")
	scvOwnAddress(t, a, "C")
	scvSend(t, a, "M", c, first, inbox.ThenNothing, inbox.SnoozeOptions{})
	assert.False(t, a.Conv("M", c).State.Watching, "preference off: watch state unchanged")
	scvSend(t, a, "C", c, first, inbox.ThenNothing, inbox.SnoozeOptions{})
	assert.True(t, a.Conv("C", c).State.Watching, "default: replying watches")
	t.Skip("needs drafts and a watch-on-draft preference (F3:7441, F3:7567-7660): not built in package inbox")
}

// CONV-17 "Given a rule "label added X → Watch B" / When X is applied / Then B watches" (F3:8211-8217).
func TestCONV_17_RuleMakesTeammateWatch(t *testing.T) {
	t.Skip("rules engine: not built (a rule with a Watch action on a label trigger); the trigger's data is EventLabelsChanged")
}

// CONV-18 "Given a comment / When B reacts with an emoji / Then no notification is sent" (F3:8701).
func TestCONV_18_ReactionsSendNoNotification(t *testing.T) {
	t.Skip("needs emoji reactions on comments: not built in package inbox")
}

// CONV-19 "Given read receipts are enabled (the default) / When B reads a comment / Then B is listed in that comment's read receipts" (F3:7399, F3:7407).
func TestCONV_19_ReadReceipts(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	k := scvComment(t, a, "A", c, "please read")
	var seq uint64
	for _, cm := range a.Conv("A", c).Comments {
		if cm.ID == k {
			seq = cm.Seq
		}
	}
	require.NotZero(t, seq)
	require.Less(t, a.Conv("B", c).State.ReadSeq, seq, "B has not read it yet")
	require.NoError(t, a.Engine.MarkRead(scvCtx, a.As("B"), c))
	assert.GreaterOrEqual(t, a.Conv("B", c).State.ReadSeq, seq, "B's read position covers the comment")
	assert.Less(t, a.Conv("O", c).State.ReadSeq, seq, "O has not read it")
	t.Skip("needs per-message/comment read receipts (who read it) and the setting to turn them off: not built in package inbox")
}

// CONV-20 "Given A read c / When B opens c / Then B's read state is independent of A's" (F3:8253).
func TestCONV_20_ReadStateIsPerUser(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	box := a.Box(conversation.TeamInbox, "Support")
	require.NoError(t, a.Engine.MarkRead(scvCtx, a.As("A"), c))
	unread := func(u string) bool {
		p, err := a.Engine.List(scvCtx, a.As(u), box, inbox.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		return p.Items[0].Unread
	}
	assert.False(t, unread("A"))
	assert.True(t, unread("B"), "A's read does not read it for B")
	nb, err := a.Engine.Count(scvCtx, a.As("B"), box)
	require.NoError(t, err)
	assert.Equal(t, inbox.Counts{Total: 1, Unread: 1}, nb)

	require.NoError(t, a.Engine.MarkRead(scvCtx, a.As("B"), c))
	require.NoError(t, a.Engine.MarkUnread(scvCtx, a.As("A"), c))
	assert.True(t, unread("A"))
	assert.False(t, unread("B"), "A's unread does not touch B")
	assert.True(t, a.In("B", box, c), "reading does not triage (F3:8261)")
}

// CONV-21 "Given member M / When M deletes Owner O's comment / Then it is refused. An Admin may; deletion is for everyone and final" (F3:8799-8801).
func TestCONV_21_CommentDeletionRights(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	scvComment(t, a, "A", c, "@own @m see this")
	k := scvComment(t, a, "Own", c, "owner's note")
	v := a.Conv("M", c)
	require.Len(t, v.Comments, 2)
	assert.Equal(t, k, v.Comments[1].ID)
	assert.Equal(t, a.ID("Own"), v.Comments[1].Author, "comments record their author, which deletion rights need")
	t.Skip("needs comment deletion (author, or Owner/Admin for anyone's): not built in package inbox")
}

// CONV-22 "Given a free plan / When a 150 MB comment attachment is posted / Then it is rejected (limit 100 MB). On a paid plan 1 GB" (F3:8811).
func TestCONV_22_CommentAttachmentLimit(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	_, err := a.Engine.Comment(scvCtx, a.As("A"), c, inbox.NewComment{Attachments: []conversation.Attachment{{Name: "small.pdf", Size: 1 << 20}}})
	require.NoError(t, err)
	v := a.Conv("A", c)
	require.Len(t, v.Comments, 1)
	assert.Equal(t, int64(1<<20), v.Comments[0].Attachments[0].Size, "attachment sizes are recorded")
	t.Skip("needs organization plans and per-comment attachment limits (100 MB free, 1 GB paid): not built in package inbox")
}

// ---------------------------------------------------------------------
// Internal chat and rooms

// CONV-23 "Given team T with Chat room enabled / When configured / Then a team room exists. When disabled, the room is not offered" (F3:7501, F3:7986).
func TestCONV_23_TeamChatRoom(t *testing.T) {
	a := scvAcme()
	team, err := a.Engine.CreateTeam(scvCtx, a.As("Adm"), inbox.TeamSpec{Name: "Ops", Handle: "ops", ChatRoom: true,
		Members: []conversation.Membership{{User: a.ID("M"), Kind: conversation.Active}}})
	require.NoError(t, err)
	assert.True(t, team.ChatRoom, "the team option is stored")
	// A Room kind exists, but no public operation creates rooms.
	t.Skip("needs room creation (team room on the Chat room option, org room, 1-1 rooms): not built in package inbox")
}

// CONV-24 "Given a team room or 1-1 room / When someone tries to assign, close or merge it / Then it is refused; archive is allowed" (F3:8372, F3:7926).
func TestCONV_24_RoomsCannotBeAssignedClosedOrMerged(t *testing.T) {
	a := scvAcme()
	// No public operation creates rooms: the fixture stores one.
	room := scvInsert(t, a, conversation.Room, "A & B", "A", "B")
	assert.ErrorIs(t, a.Engine.Assign(scvCtx, a.As("A"), room, a.IDs("B"), inbox.Replace), inbox.ErrInvalidArgument)
	assert.ErrorIs(t, a.Engine.Close(scvCtx, a.As("A"), room), inbox.ErrInvalidArgument)
	v := a.Conv("A", room)
	assert.Empty(t, v.Conversation.Assignees)
	assert.False(t, v.Conversation.Closed)
	assert.False(t, a.In("B", a.Box(conversation.Closed), room))

	require.True(t, a.In("A", a.Box(conversation.Inbox), room))
	require.NoError(t, a.Engine.Archive(scvCtx, a.As("A"), room, inbox.ArchiveOptions{}), "rooms can be archived")
	assert.False(t, a.In("A", a.Box(conversation.Inbox), room))
	assert.True(t, a.In("A", a.Box(conversation.All), room))
	assert.True(t, a.In("B", a.Box(conversation.Inbox), room), "archive is personal")

	// Merging it, as target or as source, is refused (F3:7926).
	c, _ := scvSupport(a, "Thread")
	for _, pair := range [][2]conversation.ConversationID{{c, room}, {room, c}} {
		err := a.Engine.Merge(scvCtx, a.As("A"), pair[0], []conversation.ConversationID{pair[1]}, inbox.MergeOptions{})
		assert.ErrorIs(t, err, inbox.ErrMergeNotAllowed)
		assert.Equal(t, inbox.MergeRefusedRoom, atMergeRefusal(err))
	}
	assert.Equal(t, 1, a.Conv("A", c).Conversation.Messages, "nothing merged")
	assert.Equal(t, conversation.Room, a.Conv("A", room).Conversation.Kind, "the room is still there")
	t.Skip("room creation: no public operation creates a team room or a 1-1 room (CONV-23), so the room above is stored by the fixture; the refusals and archive are asserted")
}

// CONV-25 "Given a selection mixing a room and assigned conversations / When bulk close is requested / Then it is unavailable" (F3:8380-8382).
func TestCONV_25_BulkCloseUnavailableWithRoom(t *testing.T) {
	a := scvAcme()
	room := scvInsert(t, a, conversation.Room, "A & B", "A", "B")
	assert.ErrorIs(t, a.Engine.Close(scvCtx, a.As("A"), room), inbox.ErrInvalidArgument, "a room alone is not closable")
	t.Skip("needs an all-or-nothing bulk close: not built in package inbox")
}

// CONV-26 "Given u creates "New conversation" (chat) / When created / Then it can be labelled, snoozed, assigned and archived like an email conversation" (F3:7537).
func TestCONV_26_ChatBehavesLikeEmailConversation(t *testing.T) {
	a := scvAcme()
	// No public operation creates chats: the fixture stores one.
	chat := scvInsert(t, a, conversation.Chat, "Offsite planning", "A", "B")
	label, err := a.Engine.CreateLabel(scvCtx, a.As("A"), inbox.LabelSpec{Kind: conversation.OrgLabel, Name: "Events"})
	require.NoError(t, err)
	require.NoError(t, a.Engine.ApplyLabel(scvCtx, a.As("A"), chat, label.ID))
	assert.Equal(t, []conversation.LabelID{label.ID}, a.Conv("B", chat).Conversation.Labels)
	assert.True(t, a.In("B", inbox.LabelMailbox(label.ID), chat), "labelled like an email conversation")
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), chat, a.IDs("B"), inbox.Replace))
	assert.True(t, a.In("B", a.Box(conversation.AssignedToMe), chat))
	require.NoError(t, a.Engine.Snooze(scvCtx, a.As("A"), chat, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour)}))
	assert.True(t, a.In("A", a.Box(conversation.Snoozed), chat))
	assert.False(t, a.In("A", a.Box(conversation.Inbox), chat))
	require.NoError(t, a.Engine.Archive(scvCtx, a.As("B"), chat, inbox.ArchiveOptions{Close: scvBool(false)}))
	assert.False(t, a.In("B", a.Box(conversation.Inbox), chat))
	assert.True(t, a.In("B", a.Box(conversation.All), chat))
	t.Skip("chat creation: no public operation creates a \"New conversation\" chat (F3:7537), so the chat above is stored by the fixture; labelling, snoozing, assigning and archiving it are asserted")
}

// ---------------------------------------------------------------------
// Drafts and sending

// CONV-27 "Given A starts a reply draft in a shared conversation / When saved / Then everyone with access sees it in Drafts" (F3:7602, F3:9042).
func TestCONV_27_ReplyDraftVisibleToAll(t *testing.T) {
	t.Skip("needs drafts and the Drafts mailbox: not built in package inbox")
}

// CONV-28 "Given A's "New email" draft / When not shared / Then only A sees it. After A @mentions B, B sees it" (F3:7604-7607, F3:9044).
func TestCONV_28_NewEmailDraftPrivateUntilShared(t *testing.T) {
	t.Skip("needs drafts (new-email drafts): not built in package inbox")
}

// CONV-29 "Given A is editing a draft / When B opens and edits it / Then collaborative mode is on and both edits apply" (F3:7577).
func TestCONV_29_CollaborativeDraft(t *testing.T) {
	t.Skip("needs drafts (collaborative editing): not built in package inbox")
}

// CONV-30 "Given a shared reply draft / When A discards it / Then it leaves everyone's Drafts and other messages remain. It can be restored from All" (F3:9046, F3:8934).
func TestCONV_30_DiscardDraft(t *testing.T) {
	t.Skip("needs drafts (discard and restore): not built in package inbox")
}

// CONV-31 "Given an unsent draft remains after another draft was sent / When listing Drafts / Then the conversation is still listed" (F3:9056).
func TestCONV_31_LeftoverDraftStaysListed(t *testing.T) {
	t.Skip("needs drafts and the Drafts mailbox: not built in package inbox")
}

// CONV-32 "Given c in u's Inbox / When u clicks Send & Close / Then the message is sent and c leaves u's Inbox. Plain Send keeps it" (F3:8227).
func TestCONV_32_SendAndClose(t *testing.T) {
	for _, tc := range []struct {
		name    string
		then    inbox.Then
		inInbox bool
	}{{"send", inbox.ThenNothing, true}, {"send and close", inbox.ThenClose, false}} {
		t.Run(tc.name, func(t *testing.T) {
			a := scvAcme()
			c, first := scvPersonal(t, a, "M", "Quote request")
			require.True(t, a.In("M", a.Box(conversation.Inbox), c))
			scvSend(t, a, "M", c, first, tc.then, inbox.SnoozeOptions{})
			v := a.Conv("M", c)
			require.Len(t, v.Messages, 2)
			assert.Equal(t, conversation.Outbound, v.Messages[1].Direction, "the message is sent")
			assert.Equal(t, a.ID("M"), v.Messages[1].SentBy)
			assert.True(t, a.In("M", a.Box(conversation.Sent), c))
			assert.Equal(t, tc.inInbox, a.In("M", a.Box(conversation.Inbox), c))
			assert.Equal(t, !tc.inInbox, v.Conversation.Closed)
			assert.Equal(t, !tc.inInbox, a.In("M", a.Box(conversation.Closed), c))
		})
	}
}

// CONV-33 "Given a draft scheduled for Fri 09:00 with discard-if-reply / When the recipient replies Thu / Then the draft is discarded and not sent" (F3:7641).
func TestCONV_33_SendLaterDiscardIfReply(t *testing.T) {
	t.Skip("needs drafts with Send Later: not built in package inbox")
}

// CONV-34 "Given a scheduled draft / When the user clicks Unschedule / Then it leaves Send Later and stays a draft" (F3:7660).
func TestCONV_34_Unschedule(t *testing.T) {
	t.Skip("needs drafts with Send Later: not built in package inbox")
}

// CONV-35 "Given the undo delay is 10 s / When u sends and clicks Undo within 10 s / Then nothing is sent" (F3:8088-8093).
func TestCONV_35_UndoSend(t *testing.T) {
	t.Skip("needs drafts and undo send: not built in package inbox")
}

// CONV-36 "Given u uses Send & Snooze "Tomorrow" / When sent / Then the email goes now, c is in Snoozed, and returns to Inbox at 08:00 next day" (F3:7678, F3:7691).
func TestCONV_36_SendAndSnoozeTomorrow(t *testing.T) {
	a := scvAcme()
	c, first := scvPersonal(t, a, "M", "Invoice")
	now := a.Clock.Now() // Monday 09:00 UTC
	tomorrow8 := time.Date(now.Year(), now.Month(), now.Day()+1, 8, 0, 0, 0, time.UTC)
	scvSend(t, a, "M", c, first, inbox.ThenSnooze, inbox.SnoozeOptions{Until: tomorrow8})
	v := a.Conv("M", c)
	require.Len(t, v.Messages, 2, "sent immediately")
	assert.Equal(t, now, v.Messages[1].At)
	assert.True(t, a.In("M", a.Box(conversation.Snoozed), c))
	assert.False(t, a.In("M", a.Box(conversation.Inbox), c))
	a.Notes.Take()

	a.Clock.Advance(tomorrow8.Sub(now) - time.Minute)
	assert.Zero(t, scvRunDue(t, a), "not before 08:00")
	assert.False(t, a.In("M", a.Box(conversation.Inbox), c))
	a.Clock.Advance(time.Minute)
	assert.Equal(t, 1, scvRunDue(t, a))
	assert.True(t, a.In("M", a.Box(conversation.Inbox), c))
	assert.False(t, a.In("M", a.Box(conversation.Snoozed), c))
	assert.True(t, a.Conv("M", c).State.SnoozeDue)
	assert.Equal(t, map[conversation.UserID][]inbox.Reason{a.ID("M"): {inbox.SnoozeDue}}, scvNotes(a))
}

// ---------------------------------------------------------------------
// Snoozing

// CONV-37 "Given c in team inbox T and assigned to u / When u snoozes it / Then c leaves Inbox and T but remains in Assigned to me, All, labels and search" (F3:7755-7761).
func TestCONV_37_SnoozeScope(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	label, err := a.Engine.CreateLabel(scvCtx, a.As("A"), inbox.LabelSpec{Name: "Later"})
	require.NoError(t, err)
	require.NoError(t, a.Engine.ApplyLabel(scvCtx, a.As("A"), c, label.ID))
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("A"), inbox.Replace))
	// Listed in T again while assigned.
	require.NoError(t, a.Engine.MoveToTeam(scvCtx, a.As("A"), c, a.Teams["Support"].ID))
	require.True(t, a.In("A", a.Box(conversation.Inbox), c))
	require.True(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), c))
	require.NoError(t, a.Engine.Snooze(scvCtx, a.As("A"), c, inbox.SnoozeOptions{Until: a.Clock.Now().Add(3 * time.Hour)}))
	assert.False(t, a.In("A", a.Box(conversation.Inbox), c))
	assert.False(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), c))
	assert.False(t, a.In("A", a.Box(conversation.TeamInboxes), c))
	assert.True(t, a.In("A", a.Box(conversation.AssignedToMe), c))
	assert.True(t, a.In("A", a.Box(conversation.All), c))
	assert.True(t, a.In("A", a.Box(conversation.Snoozed), c))
	assert.True(t, a.In("B", a.Box(conversation.AssignedToOthers, "Support"), c), "Assigned to others keeps it (F3:7758)")
	assert.True(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), c), "a snooze for me hides it in my view only (spec A-42)")
	assert.True(t, a.In("A", inbox.LabelMailbox(label.ID), c), "label mailboxes keep it")
	t.Skip("search: not built (no search operation in package inbox); the mailbox and label parts of the Then are asserted above")
}

// CONV-38 "Given the "Not snoozed" filter on Assigned to me / When listing / Then snoozed c is hidden" (F3:7764).
func TestCONV_38_NotSnoozedFilter(t *testing.T) {
	a := scvAcme()
	snoozed, _ := scvSupport(a, "snoozed")
	open, _ := scvSupport(a, "open")
	for _, c := range []conversation.ConversationID{snoozed, open} {
		require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("A"), inbox.Replace))
	}
	require.NoError(t, a.Engine.Snooze(scvCtx, a.As("A"), snoozed, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour)}))
	assert.ElementsMatch(t, []conversation.ConversationID{snoozed, open}, a.List("A", a.Box(conversation.AssignedToMe)), "unfiltered: snoozed ones included")
	p, err := a.Engine.List(scvCtx, a.As("A"), a.Box(conversation.AssignedToMe), inbox.ListOptions{NotSnoozed: true})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	assert.Equal(t, open, p.Items[0].ID)
}

// CONV-39 "Given u snoozes with Leave in Inbox / When snoozed / Then c stays in Inbox and u is reminded at the due time" (F3:7799).
func TestCONV_39_SnoozeLeaveInInbox(t *testing.T) {
	a := scvAcme()
	c, _ := scvPersonal(t, a, "M", "Follow up")
	require.NoError(t, a.Engine.Snooze(scvCtx, a.As("M"), c, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour), LeaveInInbox: true}))
	assert.True(t, a.In("M", a.Box(conversation.Inbox), c), "stays visible")
	assert.True(t, a.In("M", a.Box(conversation.Snoozed), c))
	a.Notes.Take()
	a.Clock.Advance(59 * time.Minute)
	assert.Zero(t, scvRunDue(t, a))
	assert.Empty(t, a.Notes.Users())
	a.Clock.Advance(time.Minute)
	assert.Equal(t, 1, scvRunDue(t, a))
	assert.Equal(t, map[conversation.UserID][]inbox.Reason{a.ID("M"): {inbox.SnoozeDue}}, scvNotes(a), "reminded at the due time")
	assert.True(t, a.In("M", a.Box(conversation.Inbox), c))
	assert.False(t, a.In("M", a.Box(conversation.Snoozed), c))
}

// CONV-40 "Given a snooze with discard-if-reply / When a reply arrives before the due time / Then the snooze is cancelled" (F3:7795, F3:8667).
func TestCONV_40_SnoozeDiscardIfReply(t *testing.T) {
	setup := func(t *testing.T, discard bool) (*inboxtest.Acme, conversation.ConversationID, conversation.Message) {
		a := scvAcme()
		c, first := scvSupport(a, "Waiting for the customer")
		require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("A"), inbox.Replace))
		require.NoError(t, a.Engine.Snooze(scvCtx, a.As("A"), c, inbox.SnoozeOptions{Until: a.Clock.Now().Add(24 * time.Hour), DiscardOnReply: discard}))
		a.Clock.Advance(time.Hour)
		// A comment is not a reply (spec A-20).
		scvComment(t, a, "B", c, "still waiting")
		require.True(t, a.In("A", a.Box(conversation.Snoozed), c), "a comment does not discard the snooze")
		a.Deliver("support", a.ReplyTo(first))
		return a, c, first
	}
	t.Run("discard if reply", func(t *testing.T) {
		a, c, _ := setup(t, true)
		v := a.Conv("A", c)
		assert.Nil(t, v.State.Snooze, "cancelled")
		assert.NotEmpty(t, scvEvents(v, conversation.EventSnoozeDiscarded))
		assert.False(t, a.In("A", a.Box(conversation.Snoozed), c))
		assert.True(t, a.In("A", a.Box(conversation.Inbox), c), "the reply reaches the assignee")
		a.Notes.Take()
		a.Clock.Advance(24 * time.Hour)
		assert.Zero(t, scvRunDue(t, a), "nothing fires at the old due time")
		assert.Empty(t, a.Notes.Users())
	})
	t.Run("control: without the option the snooze holds", func(t *testing.T) {
		a, c, _ := setup(t, false)
		assert.NotNil(t, a.Conv("A", c).State.Snooze)
		assert.True(t, a.In("A", a.Box(conversation.Snoozed), c))
		assert.False(t, a.In("A", a.Box(conversation.Inbox), c), "hidden until due (spec A-19)")
	})
}

// CONV-41 "Given shared c is snoozed "for me" by A / When due / Then only A is reminded and c returns to A's Inbox" (F3:7805).
func TestCONV_41_SnoozeForMeDue(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	scvComment(t, a, "B", c, "on it") // B watches
	require.NoError(t, a.Engine.Snooze(scvCtx, a.As("A"), c, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour)}))
	assert.False(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), c), "hidden in A's view")
	assert.True(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), c), "not for B")
	a.Notes.Take()
	a.Clock.Advance(time.Hour)
	assert.Equal(t, 1, scvRunDue(t, a))
	assert.Equal(t, map[conversation.UserID][]inbox.Reason{a.ID("A"): {inbox.SnoozeDue}}, scvNotes(a), "only A is reminded")
	assert.True(t, a.In("A", a.Box(conversation.Inbox), c), "back in A's Inbox")
	assert.False(t, a.In("B", a.Box(conversation.Inbox), c))
	assert.True(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), c))
}

// CONV-42 "Given shared c is snoozed "for everyone" / When due / Then all are reminded and c returns to the Team inbox" (F3:7806).
func TestCONV_42_SnoozeForEveryoneDue(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	scvComment(t, a, "A", c, "@m can you check stock?") // A watches, M in Inbox
	scvComment(t, a, "B", c, "me too")                  // B watches
	require.NoError(t, a.Engine.Snooze(scvCtx, a.As("A"), c, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour), ForEveryone: true}))
	for _, u := range []string{"A", "B", "O"} {
		assert.False(t, a.In(u, a.Box(conversation.TeamInbox, "Support"), c), "hidden from the team inbox for %s", u)
		assert.True(t, a.In(u, a.Box(conversation.Snoozed), c), u)
	}
	assert.False(t, a.In("M", a.Box(conversation.Inbox), c), "hidden from Inboxes too")
	a.Notes.Take()
	a.Clock.Advance(time.Hour)
	assert.Equal(t, 1, scvRunDue(t, a))
	n := scvNotes(a)
	for _, u := range []string{"A", "B", "M"} {
		assert.Equal(t, []inbox.Reason{inbox.SnoozeDue}, n[a.ID(u)], "participant %s is reminded", u)
	}
	for _, u := range []string{"A", "B", "O"} {
		assert.True(t, a.In(u, a.Box(conversation.TeamInbox, "Support"), c), "back in the team inbox for %s", u)
		assert.False(t, a.In(u, a.Box(conversation.Snoozed), c), u)
	}
	assert.True(t, a.In("M", a.Box(conversation.Inbox), c))
}

// CONV-43 "Given a snoozed c / When u chooses Discard snooze / Then c returns immediately" (F3:7819-7823).
func TestCONV_43_DiscardSnooze(t *testing.T) {
	t.Run("for me", func(t *testing.T) {
		a := scvAcme()
		c, _ := scvPersonal(t, a, "M", "x")
		require.NoError(t, a.Engine.Snooze(scvCtx, a.As("M"), c, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour)}))
		require.False(t, a.In("M", a.Box(conversation.Inbox), c))
		require.NoError(t, a.Engine.DiscardSnooze(scvCtx, a.As("M"), c))
		assert.True(t, a.In("M", a.Box(conversation.Inbox), c))
		assert.False(t, a.In("M", a.Box(conversation.Snoozed), c))
		a.Clock.Advance(time.Hour)
		assert.Zero(t, scvRunDue(t, a), "nothing left to wake")
	})
	t.Run("for everyone", func(t *testing.T) {
		a := scvAcme()
		c, _ := scvSupport(a, "x")
		require.NoError(t, a.Engine.Snooze(scvCtx, a.As("A"), c, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour), ForEveryone: true}))
		require.False(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), c))
		require.NoError(t, a.Engine.DiscardSnooze(scvCtx, a.As("A"), c))
		for _, u := range []string{"A", "B", "O"} {
			assert.True(t, a.In(u, a.Box(conversation.TeamInbox, "Support"), c), u)
			assert.False(t, a.In(u, a.Box(conversation.Snoozed), c), u)
		}
	})
}

// ---------------------------------------------------------------------
// Merging, splitting, the message cap

// CONV-44 "Given c1 (labels L1, assignee A) and c2 (labels L2, assignee B) / When c1 is dragged onto c2 / Then c2 has L1∪L2 and A,B, c1 is gone, and a merge event is logged" (F3:7854, F3:7892, F3:7937).
func TestCONV_44_MergeCombines(t *testing.T) {
	a := scvAcme()
	// c1: label x, assignee A; c2: label y, assignee B.
	c1, c2, order := atMergePair(t, a)
	// Dragging c1 onto c2 merges c1 into c2 (F3:7854).
	require.NoError(t, a.Engine.Merge(scvCtx, a.As("A"), c2, []conversation.ConversationID{c1}, inbox.MergeOptions{}))
	atCheckMerged(t, a, c2, c1, order)
	v := a.Conv("B", c2)
	merged := scvEvents(v, conversation.EventMerged)
	if assert.Len(t, merged, 1, "a merge event is logged") {
		assert.Equal(t, []conversation.ConversationID{c1}, merged[0].Related, "naming the merged conversation")
		assert.Equal(t, a.ID("A"), merged[0].Actor)
	}
	for _, u := range []string{"A", "B", "O"} {
		assert.False(t, a.In(u, a.Box(conversation.All), c1), "c1 is gone for %s", u)
		assert.True(t, a.In(u, a.Box(conversation.All), c2), u)
	}
	assert.True(t, a.In("A", a.Box(conversation.AssignedToMe), c2), "A is assigned to c2 now")
	assert.False(t, a.In("A", a.Box(conversation.AssignedToMe), c1))
}

// CONV-45 "Given a private c1 and shared c2, both with custom subjects / When merged without a manual subject / Then c2's subject is kept" (F3:7902).
func TestCONV_45_MergeSubjectSharedWins(t *testing.T) {
	a := scvAcme()
	c1, _ := scvPersonal(t, a, "A", "private one")
	c2, _ := scvSupport(a, "shared one")
	require.NoError(t, a.Engine.SetSubject(scvCtx, a.As("A"), c1, "Private name"))
	require.NoError(t, a.Engine.SetSubject(scvCtx, a.As("A"), c2, "Shared name"))
	v1, v2 := a.Conv("A", c1), a.Conv("A", c2)
	assert.Equal(t, "Private name", v1.Conversation.DisplaySubject())
	assert.False(t, v1.Conversation.CustomSubjectShared, "set while private")
	assert.Equal(t, "Shared name", v2.Conversation.DisplaySubject())
	assert.True(t, v2.Conversation.CustomSubjectShared, "set while shared")

	require.NoError(t, a.Engine.Merge(scvCtx, a.As("A"), c2, []conversation.ConversationID{c1}, inbox.MergeOptions{}))
	v := a.Conv("A", c2)
	assert.Equal(t, "Shared name", v.Conversation.DisplaySubject(), "c2's subject is kept")
	assert.True(t, v.Conversation.CustomSubjectShared)
	assert.Equal(t, "Shared name", a.Conv("B", c2).Conversation.DisplaySubject(), "for the team too")
}

// CONV-46 "Given two private conversations, neither subject custom / When merged / Then the most recent email subject is used" (F3:7910).
func TestCONV_46_MergeSubjectMostRecentEmail(t *testing.T) {
	a := scvAcme()
	c, first := scvPersonal(t, a, "A", "Original")
	a.Clock.Advance(time.Minute)
	reply := scvCustomerReply(a, first, a.Accounts["personal-A"].Address)
	reply.Subject = "Changed subject"
	require.Equal(t, c, a.Deliver("personal-A", reply))
	assert.Equal(t, "Changed subject", a.Conv("A", c).Conversation.DisplaySubject(), "without a custom subject, the latest email's subject shows")

	// A second private conversation, whose only email is older than the
	// reply above but newer than c's first email.
	a.Clock.Advance(-30 * time.Second)
	other, _ := scvPersonal(t, a, "A", "Other thread")
	a.Clock.Advance(time.Minute)
	for _, id := range []conversation.ConversationID{c, other} {
		v := a.Conv("A", id)
		require.False(t, v.Conversation.Shared(), "private")
		require.Empty(t, v.Conversation.CustomSubject, "no custom subject")
	}
	require.NoError(t, a.Engine.Merge(scvCtx, a.As("A"), other, []conversation.ConversationID{c}, inbox.MergeOptions{}))
	v := a.Conv("A", other)
	assert.Equal(t, "Changed subject", v.Conversation.DisplaySubject(), "the most recent email's subject, from the source")
	assert.Empty(t, v.Conversation.CustomSubject, "no custom subject is invented")
	assert.Equal(t, 3, v.Conversation.Messages)
}

// CONV-47 "Given a guest user or conversations from different organizations / When merge is requested / Then it is refused" (F3:7927-7928).
func TestCONV_47_MergeRefusedForGuestsAndCrossOrg(t *testing.T) {
	t.Run("guest", func(t *testing.T) {
		a := scvAcme()
		c1, _ := scvSupport(a, "One")
		c2, _ := scvSupport(a, "Two")
		// The guest is in both conversations, so sees both.
		g := gstJoin(t, a, "A", c1, "partner@example.net")
		require.Equal(t, g.ID, gstJoin(t, a, "A", c2, g.Email).ID, "one guest identity")
		require.True(t, gstSees(t, a, g, c2))
		for _, pair := range [][2]conversation.ConversationID{{c1, c2}, {c2, c1}} {
			err := a.Engine.Merge(scvCtx, inbox.AsUser(g.ID), pair[0], []conversation.ConversationID{pair[1]}, inbox.MergeOptions{})
			assert.ErrorIs(t, err, inbox.ErrMergeNotAllowed)
			assert.Equal(t, inbox.MergeRefusedGuest, atMergeRefusal(err))
		}
		for _, c := range []conversation.ConversationID{c1, c2} {
			assert.Equal(t, 1, a.Conv("A", c).Conversation.Messages, "nothing merged")
			assert.True(t, gstSees(t, a, g, c))
		}
	})
	t.Run("different organizations", func(t *testing.T) {
		a := scvAcme()
		c, _ := scvSupport(a, "Acme thread")
		foreign := atForeignConversation(t, a)
		for _, pair := range [][2]conversation.ConversationID{{c, foreign}, {foreign, c}} {
			// Only the system sees both; it is refused for the reason.
			err := a.Engine.Merge(scvCtx, inbox.System, pair[0], []conversation.ConversationID{pair[1]}, inbox.MergeOptions{})
			assert.ErrorIs(t, err, inbox.ErrMergeNotAllowed)
			assert.Equal(t, inbox.MergeRefusedOrganization, atMergeRefusal(err))
			// A user of either organization does not see the other's.
			err = a.Engine.Merge(scvCtx, a.As("Own"), pair[0], []conversation.ConversationID{pair[1]}, inbox.MergeOptions{})
			assert.ErrorIs(t, err, inbox.ErrNotFound)
			assert.NotErrorIs(t, err, inbox.ErrMergeNotAllowed, "no hint the other exists")
		}
		assert.Equal(t, 1, a.Conv("A", c).Conversation.Messages, "nothing merged")
	})
}

// CONV-48 "Given c with 400 messages / When a new email arrives / Then it starts a new thread. Comments never count" (F3:7932, F3:7978).
func TestCONV_48_MessageCapStartsNewThread(t *testing.T) {
	require.Equal(t, 400, inbox.DefaultMaxMessages, "the documented cap")
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{MaxMessages: 3}})
	c, first := scvSupport(a, "Long thread")                                       // message 1
	sent := scvSend(t, a, "A", c, first, inbox.ThenNothing, inbox.SnoozeOptions{}) // message 2: sent emails count
	for i := range 5 {
		scvComment(t, a, "B", c, fmt.Sprintf("internal note %d", i))
	}
	third := scvCustomerReply(a, sent, "support@acme.test")
	require.Equal(t, c, a.Deliver("support", third), "comments do not count: message 3 joins")
	require.Equal(t, 3, a.Conv("A", c).Conversation.Messages)

	next := a.Deliver("support", scvCustomerReply(a, third, "support@acme.test"))
	assert.NotEqual(t, c, next, "message 4 starts a new conversation")
	assert.Equal(t, 3, a.Conv("A", c).Conversation.Messages, "the full one keeps its messages")
	v := a.Conv("A", next)
	assert.Equal(t, 1, v.Conversation.Messages)
	linked := scvEvents(v, conversation.EventLinked)
	require.Len(t, linked, 1)
	assert.Equal(t, []conversation.ConversationID{c}, linked[0].Related, "the new thread links to the full one")
	assert.True(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), next), "routed like any new email")
}

// CONV-49 "Given a merged c / When u moves email E to a new shared conversation / Then E alone forms a new conversation. Comments can't be moved" (F3:7947-7954).
func TestCONV_49_MoveEmailToNewConversation(t *testing.T) {
	a := scvAcme()
	// A merged c: E's conversation was merged into c, and c has a comment.
	m1, c, e, gone := atMergeTwo(t, a, "A")
	k := scvComment(t, a, "B", c, "internal note")
	v := a.Conv("A", c)
	require.Len(t, v.Messages, 2)
	eid := atMessage(t, v, e.HeaderID).ID

	nc, err := a.Engine.Split(scvCtx, a.As("A"), c, eid, inbox.SplitOptions{Shared: true})
	require.NoError(t, err)
	assert.NotEqual(t, c, nc)
	assert.NotEqual(t, gone, nc, "a new conversation, not the merged-away one back")
	nv := a.Conv("A", nc)
	assert.Equal(t, []string{e.HeaderID}, atHeaderIDs(nv), "E alone forms the new conversation")
	assert.Equal(t, 1, nv.Conversation.Messages)
	assert.Empty(t, nv.Comments, "the comment stays behind")
	assert.True(t, nv.Conversation.Shared(), "a new shared conversation")
	assert.True(t, scvCanSee(t, a, "B", nc), "shared with the team")
	v = a.Conv("A", c)
	assert.Equal(t, []string{m1.HeaderID}, atHeaderIDs(v))
	assert.Equal(t, 1, v.Conversation.Messages)
	require.Len(t, v.Comments, 1)
	assert.Equal(t, k, v.Comments[0].ID)

	// Comments can't be moved.
	_, err = a.Engine.Split(scvCtx, a.As("A"), c, conversation.MessageID(k), inbox.SplitOptions{Shared: true})
	assert.ErrorIs(t, err, inbox.ErrCommentsNotMovable)
	assert.Len(t, a.Conv("A", c).Comments, 1, "the comment is still there")

	// A reply to E follows it.
	a.Clock.Advance(time.Minute)
	assert.Equal(t, nc, a.Deliver("support", scvCustomerReply(a, e, "support@acme.test")))
}

// ---------------------------------------------------------------------
// Archive, close, trash

// CONV-50 "Given u assigned to c in u's Inbox / When u presses the box icon / Then u is prompted archive-&-close vs archive" (F3:8404).
func TestCONV_50_ArchiveAssignedPrompts(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("A"), inbox.Replace))
	require.True(t, a.In("A", a.Box(conversation.Inbox), c))
	err := a.Engine.Archive(scvCtx, a.As("A"), c, inbox.ArchiveOptions{})
	assert.ErrorIs(t, err, inbox.ErrDecisionRequired, "the prompt")
	assert.True(t, a.In("A", a.Box(conversation.Inbox), c), "nothing happened")

	// Answer "archive": open, still assigned.
	require.NoError(t, a.Engine.Archive(scvCtx, a.As("A"), c, inbox.ArchiveOptions{Close: scvBool(false)}))
	assert.False(t, a.In("A", a.Box(conversation.Inbox), c))
	assert.False(t, a.Conv("A", c).Conversation.Closed)
	assert.True(t, a.In("A", a.Box(conversation.AssignedToMe), c))

	// Answer "archive & close" on another one.
	c2, _ := scvSupport(a, "y")
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c2, a.IDs("A"), inbox.Replace))
	require.NoError(t, a.Engine.Archive(scvCtx, a.As("A"), c2, inbox.ArchiveOptions{Close: scvBool(true)}))
	assert.False(t, a.In("A", a.Box(conversation.Inbox), c2))
	assert.True(t, a.Conv("A", c2).Conversation.Closed)
	assert.True(t, a.In("A", a.Box(conversation.Closed), c2))
}

// CONV-51 "Given B (mentioned, not assigned) / When B archives c / Then c leaves only B's Inbox and stays open for assignee A" (F3:8405-8407).
func TestCONV_51_NonAssigneeArchivesOnlyOwnInbox(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("A"), inbox.Replace))
	scvComment(t, a, "A", c, "@b do you know the answer?")
	require.True(t, a.In("B", a.Box(conversation.Inbox), c))
	require.NoError(t, a.Engine.Archive(scvCtx, a.As("B"), c, inbox.ArchiveOptions{}), "not assigned: no prompt")
	assert.False(t, a.In("B", a.Box(conversation.Inbox), c))
	assert.True(t, a.In("A", a.Box(conversation.Inbox), c))
	assert.True(t, a.In("A", a.Box(conversation.AssignedToMe), c))
	v := a.Conv("A", c)
	assert.False(t, v.Conversation.Closed)
	assert.Equal(t, a.IDs("A"), v.Conversation.Assignees)
}

// CONV-52 "Given c in team inbox T / When the box icon is used / Then c is closed" (F3:8400).
func TestCONV_52_TeamInboxBoxIconCloses(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	require.True(t, a.In("B", a.Box(conversation.TeamInbox, "Support"), c))
	// The engine maps the team inbox's box icon to Close (teams spec A15;
	// Archive's doc comment); Archive{From: FromTeamInbox} is the separate
	// remove-for-the-team action.
	require.NoError(t, a.Engine.Close(scvCtx, a.As("B"), c))
	assert.True(t, a.Conv("A", c).Conversation.Closed)
	for _, u := range []string{"A", "B", "O"} {
		assert.False(t, a.In(u, a.Box(conversation.TeamInbox, "Support"), c), u)
		assert.True(t, a.In(u, a.Box(conversation.Closed), c), u)
	}
}

// CONV-53 "Given unassigned c / When viewed / Then the button reads "Assign to me". Close is still possible via the menu or Shift+Backspace" (F3:8362-8368).
func TestCONV_53_CloseUnassigned(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	require.Empty(t, a.Conv("A", c).Conversation.Assignees, "unassigned (the button would read Assign to me)")
	require.NoError(t, a.Engine.Close(scvCtx, a.As("A"), c))
	v := a.Conv("A", c)
	assert.True(t, v.Conversation.Closed)
	assert.NotEmpty(t, scvEvents(v, conversation.EventClosed))
	assert.True(t, a.In("A", a.Box(conversation.Closed), c))
	assert.False(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), c))
}

// CONV-54 "Given B has "Remove from my Inbox" and was mentioned in c but not watching / When A closes c / Then c leaves B's Inbox. If B watches, it stays" (F3:8312, F3:8167).
func TestCONV_54_RemoveFromMyInboxOnCoworkerClose(t *testing.T) {
	for _, tc := range []struct {
		name          string
		remove, watch bool
		stays         bool
	}{
		{"remove, not watching", true, false, false},
		{"remove, watching", true, true, true},
		{"default keep, not watching", false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := scvAcme()
			c, _ := scvSupport(a, "x")
			require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("A"), inbox.Replace))
			require.NoError(t, a.Engine.SetPrefs(scvCtx, a.As("B"), conversation.Prefs{RemoveWhenCoworkerCloses: tc.remove}))
			scvComment(t, a, "A", c, "@b quick question")
			if tc.watch {
				require.NoError(t, a.Engine.Watch(scvCtx, a.As("B"), c))
			}
			require.True(t, a.In("B", a.Box(conversation.Inbox), c))
			require.Equal(t, tc.watch, a.Conv("B", c).State.Watching)
			require.NoError(t, a.Engine.Close(scvCtx, a.As("A"), c))
			assert.Equal(t, tc.stays, a.In("B", a.Box(conversation.Inbox), c))
			assert.False(t, a.In("A", a.Box(conversation.Inbox), c), "the closer's Inbox is cleared")
		})
	}
}

// CONV-55 "Given c in team inbox assigned to A and u / When u trashes it from the team inbox after confirming / Then c is trashed for all, u is unassigned, A stays, and shared labels, team, snoozes and pins are cleared" (F3:8439-8446).
func TestCONV_55_TeamInboxTrash(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	shared, err := a.Engine.CreateLabel(scvCtx, a.As("A"), inbox.LabelSpec{Name: "Shared"})
	require.NoError(t, err)
	require.NoError(t, a.Engine.ApplyLabel(scvCtx, a.As("A"), c, shared.ID))
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("A", "B"), inbox.Replace))
	require.NoError(t, a.Engine.MoveToTeam(scvCtx, a.As("A"), c, a.Teams["Support"].ID)) // listed in T while assigned
	require.True(t, a.In("O", a.Box(conversation.TeamInbox, "Support"), c))
	scvComment(t, a, "A", c, "@m fyi")
	until := a.Clock.Now().Add(time.Hour)
	require.NoError(t, a.Engine.Snooze(scvCtx, a.As("A"), c, inbox.SnoozeOptions{Until: until}))
	require.NoError(t, a.Engine.Snooze(scvCtx, a.As("M"), c, inbox.SnoozeOptions{Until: until, ForEveryone: true}))
	require.NoError(t, a.Engine.Pin(scvCtx, a.As("A"), c, true))
	require.NoError(t, a.Engine.Pin(scvCtx, a.As("B"), c, true))

	err = a.Engine.Trash(scvCtx, a.As("B"), c, inbox.TrashOptions{From: inbox.FromTeamInbox})
	assert.ErrorIs(t, err, inbox.ErrDecisionRequired, "the confirmation modal (F3:8450, F3:8552)")
	require.False(t, a.Conv("A", c).Conversation.Trashed, "nothing changed")

	a.Notes.Take()
	require.NoError(t, a.Engine.Trash(scvCtx, a.As("B"), c, inbox.TrashOptions{From: inbox.FromTeamInbox, Confirmed: true}))
	v := a.Conv("A", c)
	assert.True(t, v.Conversation.Trashed, "trashed for everyone")
	assert.Equal(t, a.IDs("A"), v.Conversation.Assignees, "B unassigned, A stays")
	assert.True(t, v.Conversation.Team.IsZero(), "team inbox assignment removed")
	assert.False(t, v.Conversation.InTeamInbox)
	assert.Nil(t, v.Conversation.SnoozeForEveryone, "snoozes cleared")
	assert.Nil(t, v.State.Snooze)
	assert.False(t, v.State.Pinned, "pins cleared")
	assert.False(t, a.Conv("B", c).State.Pinned)
	for _, u := range []string{"A", "B", "O", "M", "Adm"} {
		assert.True(t, a.In(u, a.Box(conversation.Trash), c), "%s finds it in Trash (F3:8484)", u)
		for _, k := range []conversation.MailboxKind{conversation.Inbox, conversation.All, conversation.Snoozed, conversation.AssignedToMe} {
			assert.False(t, a.In(u, a.Box(k), c), "%s: not in %s", u, k)
		}
	}
	for _, u := range []string{"A", "B", "O"} {
		assert.False(t, a.In(u, a.Box(conversation.TeamInbox, "Support"), c), u)
		assert.False(t, a.In(u, a.Box(conversation.AssignedToOthers, "Support"), c), u)
	}
	a.Clock.Advance(2 * time.Hour)
	assert.Zero(t, scvRunDue(t, a), "no snooze left to wake")
	assert.Empty(t, a.Notes.Users())
	assert.Empty(t, a.Conv("A", c).Conversation.Labels, "shared labels cleared")
}

// CONV-56 "Given delegated user D / When D trashes c from a personal inbox / Then only D loses access and is unassigned" (F3:8448).
func TestCONV_56_DelegateTrashesForSelf(t *testing.T) {
	a := scvAcme()
	c := a.Deliver("c", a.Email("Personal matter", "c@acme.test"))
	require.True(t, a.In("D", a.Box(conversation.Inbox), c), "D has delegated access")
	require.NoError(t, a.Engine.AddPeople(scvCtx, a.As("C"), c, inbox.People{Users: a.IDs("B"), ShowInInbox: true}))
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("C"), c, a.IDs("C", "D"), inbox.Replace))

	require.NoError(t, a.Engine.Trash(scvCtx, a.As("D"), c, inbox.TrashOptions{}))
	assert.True(t, a.In("D", a.Box(conversation.Trash), c))
	for _, k := range []conversation.MailboxKind{conversation.Inbox, conversation.All, conversation.AssignedToMe} {
		assert.False(t, a.In("D", a.Box(k), c), "D: not in %s", k)
	}
	v := a.Conv("C", c)
	assert.False(t, v.Conversation.Trashed, "not trashed for the others")
	assert.Equal(t, a.IDs("C"), v.Conversation.Assignees, "D unassigned, C stays")
	for _, u := range []string{"C", "B"} {
		assert.True(t, a.In(u, a.Box(conversation.Inbox), c), "%s still sees it in their Inbox", u)
		assert.False(t, a.In(u, a.Box(conversation.Trash), c), u)
	}
}

// CONV-57 "Given c in Trash for everyone / When delegated D deletes forever / Then only D's access is removed. The account owner can delete for everyone" (F3:8494-8496).
func TestCONV_57_DeleteForever(t *testing.T) {
	a := scvAcme()
	c := a.Deliver("c", a.Email("Old thread", "c@acme.test"))
	require.NoError(t, a.Engine.AddPeople(scvCtx, a.As("C"), c, inbox.People{Users: a.IDs("B")}))
	assert.ErrorIs(t, a.Engine.DeleteForever(scvCtx, a.As("C"), c), inbox.ErrInvalidArgument, "trash first (F3:8462-8465)")
	require.NoError(t, a.Engine.Trash(scvCtx, a.As("C"), c, inbox.TrashOptions{}))
	for _, u := range []string{"C", "D", "B"} {
		require.True(t, a.In(u, a.Box(conversation.Trash), c), "trashed for everyone: %s", u)
	}

	require.NoError(t, a.Engine.DeleteForever(scvCtx, a.As("D"), c))
	assert.False(t, scvCanSee(t, a, "D", c), "D's access is removed")
	assert.False(t, a.In("D", a.Box(conversation.Trash), c))
	for _, u := range []string{"C", "B"} {
		assert.True(t, a.In(u, a.Box(conversation.Trash), c), "%s keeps it in Trash", u)
	}

	require.NoError(t, a.Engine.DeleteForever(scvCtx, a.As("C"), c))
	for _, u := range []string{"C", "B"} {
		_, err := a.Engine.Get(scvCtx, a.As(u), c)
		assert.ErrorIs(t, err, inbox.ErrNotFound, "deleted for everyone: %s", u)
		assert.False(t, a.In(u, a.Box(conversation.Trash), c), u)
	}
}

// CONV-58 "Given trashed c (Gmail, < 30 days) / When u archives it from Trash / Then c returns to its previous location without its assignments or labels" (F3:8536-8538).
func TestCONV_58_RecoverFromTrash(t *testing.T) {
	a := scvAcme()
	c, _ := scvSupport(a, "x")
	require.NoError(t, a.Engine.Assign(scvCtx, a.As("A"), c, a.IDs("A"), inbox.Replace))
	require.NoError(t, a.Engine.Trash(scvCtx, a.As("A"), c, inbox.TrashOptions{From: inbox.FromTeamInbox, Confirmed: true}))
	a.Clock.Advance(29 * 24 * time.Hour) // within Gmail's 30 days
	// Archiving from Trash is the engine's Recover.
	require.NoError(t, a.Engine.Recover(scvCtx, a.As("A"), c))
	v := a.Conv("A", c)
	assert.False(t, v.Conversation.Trashed)
	assert.Empty(t, v.Conversation.Assignees, "assignments are not restored")
	assert.Empty(t, v.Conversation.Labels, "labels are not restored")
	assert.True(t, v.Conversation.Team.IsZero(), "the team inbox assignment is not restored")
	for _, u := range []string{"A", "B", "O"} {
		assert.True(t, a.In(u, a.Box(conversation.All), c), "%s: back among accessible conversations", u)
		assert.False(t, a.In(u, a.Box(conversation.Trash), c), u)
		assert.False(t, a.In(u, a.Box(conversation.TeamInbox, "Support"), c), u)
	}
	assert.False(t, a.In("A", a.Box(conversation.Inbox), c), "archived (spec A-17)")
	assert.False(t, a.In("A", a.Box(conversation.AssignedToMe), c))
}
