package inbox_test

// One test per guest scenario of shared/spec/teams-labels-tasks-guests.md
// §5.13 (scenarios 121-146), with the seed FAQ answers they carry (F0:99-121,
// F2), plus the guest rules the issue adds (policy changes, tokens, quotas
// under concurrency). Helpers carry the prefix gst.

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/guests"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// gstInvite invites email to c as user by and returns the invitation the
// notifier received.
func gstInvite(t *testing.T, a *inboxtest.Acme, by string, c conversation.ConversationID, email string) *inbox.Invitation {
	t.Helper()
	a.Notes.Take()
	_, err := a.Engine.InviteGuest(tltgCtx, a.As(by), c, email)
	require.NoError(t, err)
	var inv *inbox.Invitation
	for _, n := range a.Notes.Take() {
		if n.Reason == inbox.GuestInvited {
			require.Nil(t, inv, "one invitation notification")
			inv = n.Invitation
			assert.Equal(t, c, n.Conversation)
		}
	}
	require.NotNil(t, inv, "the notifier received the invitation")
	return inv
}

// gstJoin invites email to c and accepts; it returns the guest identity.
func gstJoin(t *testing.T, a *inboxtest.Acme, by string, c conversation.ConversationID, email string) *conversation.User {
	t.Helper()
	inv := gstInvite(t, a, by, c, email)
	acc, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Name: email})
	require.NoError(t, err)
	require.Equal(t, c, acc.Conversation)
	a.Notes.Take()
	return acc.Guest
}

// gstConv delivers a Support conversation and shares it, without Inbox,
// with Own, Adm and C, so every scenario actor can see it.
func gstConv(t *testing.T, a *inboxtest.Acme, subject string) conversation.ConversationID {
	t.Helper()
	x, _ := tltgSupport(a, subject)
	require.NoError(t, a.Engine.AddPeople(tltgCtx, a.As("A"), x, inbox.People{Users: a.IDs("Own", "Adm", "C")}))
	a.Notes.Take()
	return x
}

// gstSees reports whether guest g can read c.
func gstSees(t *testing.T, a *inboxtest.Acme, g *conversation.User, c conversation.ConversationID) bool {
	t.Helper()
	ok, err := a.Engine.CanSee(tltgCtx, inbox.AsUser(g.ID), c)
	require.NoError(t, err)
	return ok
}

// gstList returns the conversations in g's mailbox.
func gstList(t *testing.T, a *inboxtest.Acme, g *conversation.User, k conversation.MailboxKind) []conversation.ConversationID {
	t.Helper()
	p, err := a.Engine.List(tltgCtx, inbox.AsUser(g.ID), inbox.MailboxOf(k), inbox.ListOptions{Limit: inbox.MaxPageSize})
	require.NoError(t, err)
	var out []conversation.ConversationID
	for _, s := range p.Items {
		out = append(out, s.ID)
	}
	return out
}

func TestTLTG_05_121_InviteLandsGuestInConversation(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "Invoice question")
	inv := gstInvite(t, a, "C", x, "G@Ext.com")
	assert.Equal(t, "g@ext.com", inv.Email)
	assert.Equal(t, a.ID("C"), inv.InvitedBy)
	assert.True(t, inv.ExpiresAt.After(a.Clock.Now()))
	acc, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Name: "Gail", Handle: "gail"})
	require.NoError(t, err)
	g := acc.Guest
	assert.Equal(t, conversation.RoleGuest, g.Role)
	assert.Equal(t, "g@ext.com", g.Email)
	assert.Equal(t, a.Org.ID, g.Org)
	// "they'll land directly in the conversation you invited them to" (F0:33).
	assert.Equal(t, []conversation.ConversationID{x}, gstList(t, a, g, conversation.Inbox))
	assert.Equal(t, []conversation.ConversationID{x}, gstList(t, a, g, conversation.All))
	n, err := a.Engine.Count(tltgCtx, inbox.AsUser(g.ID), inbox.MailboxOf(conversation.Inbox))
	require.NoError(t, err)
	assert.Equal(t, 1, n.Total)
	// The token was single-use.
	_, err = a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{})
	assert.ErrorIs(t, err, inbox.ErrInvalidToken)
}

func TestTLTG_05_122_AdminsOnlyPolicy(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "X")
	require.NoError(t, a.Engine.SetGuestSettings(tltgCtx, a.As("Adm"), conversation.GuestsAdminsOnly, conversation.QuotaPooled))
	_, err := a.Engine.InviteGuest(tltgCtx, a.As("C"), x, "g@ext.com")
	require.ErrorIs(t, err, inbox.ErrForbidden)
	assert.Empty(t, a.Notes.Take(), "no invitation left")
	gstInvite(t, a, "Adm", x, "g@ext.com")
	gstInvite(t, a, "Own", x, "h@ext.com")
	// Only admins change the setting.
	err = a.Engine.SetGuestSettings(tltgCtx, a.As("C"), conversation.GuestsAnyMember, conversation.QuotaPooled)
	assert.ErrorIs(t, err, inbox.ErrForbidden)
}

func TestTLTG_05_123_DisabledPolicy(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "X")
	require.NoError(t, a.Engine.SetGuestSettings(tltgCtx, a.As("Own"), conversation.GuestsDisabled, conversation.QuotaPooled))
	for _, who := range []string{"Own", "Adm", "A"} {
		_, err := a.Engine.InviteGuest(tltgCtx, a.As(who), x, "g@ext.com")
		assert.ErrorIs(t, err, inbox.ErrInvitationsDisabled, who)
	}
}

// Disabling invitations does not drop existing guests (spec A6): they
// keep their access, and pending invitations can still be accepted,
// until an admin revokes them.
func TestGuestsDisablingKeepsExistingGuests(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	pending := gstInvite(t, a, "A", x, "p@ext.com")
	require.NoError(t, a.Engine.SetGuestSettings(tltgCtx, a.As("Adm"), conversation.GuestsDisabled, conversation.QuotaPooled))
	assert.True(t, gstSees(t, a, g, x), "an existing guest keeps access")
	_, err := a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "still here"})
	require.NoError(t, err)
	_, err = a.Engine.AcceptInvitation(tltgCtx, pending.Token, inbox.Acceptance{})
	require.NoError(t, err, "a pending invitation sent before stays valid")
	list, err := a.Engine.Guests(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	assert.Len(t, list, 2, "the admin view still lists them, to revoke")
	require.NoError(t, a.Engine.RevokeGuest(tltgCtx, a.As("Adm"), "g@ext.com"))
	assert.False(t, gstSees(t, a, g, x))
}

// gstFill invites n distinct guests to c (pending invitations take slots,
// spec A3).
func gstFill(t *testing.T, a *inboxtest.Acme, c conversation.ConversationID, n int) {
	t.Helper()
	for i := range n {
		_, err := a.Engine.InviteGuest(tltgCtx, a.As("A"), c, fmt.Sprintf("guest%d@ext.com", i))
		require.NoError(t, err, "guest %d", i)
	}
}

func TestTLTG_05_124_PooledCapacity(t *testing.T) {
	a := tltgAcme() // 8 users with a seat: Own, Adm, A, B, C, M, O, D
	x, _ := tltgSupport(a, "X")
	usage, err := a.Engine.GuestUsage(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	require.Equal(t, 8, usage.Seats)
	require.Equal(t, 40, usage.Capacity, "5 guests per user (F1:28)")
	gstFill(t, a, x, 40)
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("A"), x, "forty-one@ext.com")
	require.ErrorIs(t, err, inbox.ErrGuestQuota)
	require.ErrorIs(t, err, inbox.ErrLimitReached)
	usage, err = a.Engine.GuestUsage(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	assert.Equal(t, 40, usage.Guests)
	assert.Zero(t, usage.Free())
	// A guest already counted is not a new slot: guest0 can join Y.
	y, _ := tltgSupport(a, "Y")
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("A"), y, "guest0@ext.com")
	assert.NoError(t, err, "a guest counts once however many conversations")
}

func TestGuestsPerInviterQuota(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	require.NoError(t, a.Engine.SetGuestSettings(tltgCtx, a.As("Adm"), conversation.GuestsAnyMember, conversation.QuotaPerInviter))
	gstFill(t, a, x, 5) // all by A
	_, err := a.Engine.InviteGuest(tltgCtx, a.As("A"), x, "sixth@ext.com")
	require.ErrorIs(t, err, inbox.ErrGuestQuota, "each team member can invite up to 5 guests (F0:41)")
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("B"), x, "sixth@ext.com")
	assert.NoError(t, err, "B has their own five")
}

func TestTLTG_05_125_FiveConversationsPerGuest(t *testing.T) {
	a := tltgAcme()
	var convs []conversation.ConversationID
	for i := range 6 {
		c, _ := tltgSupport(a, fmt.Sprintf("conv %d", i))
		convs = append(convs, c)
	}
	g := gstJoin(t, a, "A", convs[0], "g@ext.com")
	for _, c := range convs[1:5] {
		inv := gstInvite(t, a, "A", c, "g@ext.com")
		_, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{})
		require.NoError(t, err)
	}
	assert.Len(t, gstList(t, a, g, conversation.All), 5)
	_, err := a.Engine.InviteGuest(tltgCtx, a.As("A"), convs[5], "g@ext.com")
	require.ErrorIs(t, err, inbox.ErrGuestConversationQuota)
	assert.False(t, gstSees(t, a, g, convs[5]))
}

func TestTLTG_05_126_RevokeFreesSlot(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	gstFill(t, a, x, 39)
	g := gstJoin(t, a, "A", x, "inactive@ext.com")
	_, err := a.Engine.InviteGuest(tltgCtx, a.As("A"), x, "forty-one@ext.com")
	require.ErrorIs(t, err, inbox.ErrGuestQuota)
	require.NoError(t, a.Engine.RevokeGuest(tltgCtx, a.As("Adm"), "inactive@ext.com"))
	assert.False(t, gstSees(t, a, g, x))
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("A"), x, "forty-one@ext.com")
	assert.NoError(t, err, "the slot freed at once (F0:89)")
	// Removing a guest from their last conversation frees the slot too.
	require.NoError(t, a.Engine.RemoveGuest(tltgCtx, a.As("A"), x, "guest0@ext.com"))
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("A"), x, "forty-two@ext.com")
	assert.NoError(t, err)
}

func TestTLTG_05_127_RemovalIsImmediate(t *testing.T) {
	a := tltgAcme()
	x, m := tltgSupport(a, "X")
	require.NoError(t, a.Engine.AddPeople(tltgCtx, a.As("A"), x, inbox.People{Users: a.IDs("C")}))
	g := gstJoin(t, a, "C", x, "g@ext.com")
	_, err := a.Engine.Comment(tltgCtx, a.As("A"), x, inbox.NewComment{Body: "internal", Attachments: []conversation.Attachment{{Name: "plan.pdf"}}})
	require.NoError(t, err)
	require.NoError(t, a.Engine.Star(tltgCtx, inbox.AsUser(g.ID), x, true))
	v, err := a.Engine.Get(tltgCtx, inbox.AsUser(g.ID), x)
	require.NoError(t, err)
	require.Len(t, v.Comments, 1)

	require.NoError(t, a.Engine.RemoveGuest(tltgCtx, a.As("C"), x, "g@ext.com"))
	_, err = a.Engine.Get(tltgCtx, inbox.AsUser(g.ID), x)
	assert.ErrorIs(t, err, inbox.ErrNotFound, "no message, comment or attachment is readable")
	for _, k := range []conversation.MailboxKind{conversation.Inbox, conversation.All, conversation.Starred} {
		assert.Empty(t, gstList(t, a, g, k), k.String())
		n, err := a.Engine.Count(tltgCtx, inbox.AsUser(g.ID), inbox.MailboxOf(k))
		require.NoError(t, err)
		assert.Zero(t, n.Total, k.String())
	}
	_, err = a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "hello?"})
	assert.ErrorIs(t, err, inbox.ErrNotFound)
	// Nothing later reaches them: a customer reply, a comment.
	a.Notes.Take()
	a.Deliver("support", a.ReplyTo(m))
	_, err = a.Engine.Comment(tltgCtx, a.As("A"), x, inbox.NewComment{Body: "after"})
	require.NoError(t, err)
	for _, n := range a.Notes.Take() {
		assert.NotEqual(t, g.ID, n.User, "a removed guest is not notified")
	}
	// Only admins and the inviter remove a guest (spec A4).
	h := gstJoin(t, a, "C", x, "h@ext.com")
	err = a.Engine.RemoveGuest(tltgCtx, a.As("A"), x, "h@ext.com")
	assert.ErrorIs(t, err, inbox.ErrForbidden)
	err = a.Engine.RemoveGuest(tltgCtx, inbox.AsUser(h.ID), x, "h@ext.com")
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
}

func TestTLTG_05_128_ReinviteRemovedGuest(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "X")
	g := gstJoin(t, a, "C", x, "g@ext.com")
	require.NoError(t, a.Engine.RemoveGuest(tltgCtx, a.As("C"), x, "g@ext.com"))
	inv := gstInvite(t, a, "C", x, "g@ext.com")
	acc, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{})
	require.NoError(t, err)
	assert.Equal(t, g.ID, acc.Guest.ID, "the same guest identity comes back")
	assert.True(t, gstSees(t, a, g, x))
	assert.Equal(t, []conversation.ConversationID{x}, gstList(t, a, g, conversation.Inbox))
}

func TestTLTG_05_129_GuestReadsWholeHistory(t *testing.T) {
	a := tltgAcme()
	x, m := tltgSupport(a, "Long thread")
	for i := range 15 {
		tltgTick(a)
		r := a.ReplyTo(m)
		r.Attachments = []conversation.Attachment{{Name: fmt.Sprintf("scan%d.pdf", i), Size: 10}}
		a.Deliver("support", r)
		_, err := a.Engine.Comment(tltgCtx, a.As("A"), x, inbox.NewComment{Body: fmt.Sprintf("note %d", i)})
		require.NoError(t, err)
	}
	member := a.Conv("A", x)
	g := gstJoin(t, a, "A", x, "g@ext.com")
	v, err := a.Engine.Get(tltgCtx, inbox.AsUser(g.ID), x)
	require.NoError(t, err)
	require.Len(t, v.Messages, len(member.Messages), "every earlier email (F0:100)")
	assert.Len(t, v.Messages, 16)
	assert.Len(t, v.Comments, 15, "every earlier comment")
	assert.Equal(t, "scan14.pdf", v.Messages[15].Attachments[0].Name, "attachments are there to download (F1:14)")
}

func TestTLTG_05_130_GuestCommentsWithFile(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	id, err := a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "here is the receipt",
		Attachments: []conversation.Attachment{{Name: "receipt.pdf", ContentType: "application/pdf", Size: 42}}})
	require.NoError(t, err)
	v := a.Conv("B", x)
	require.Len(t, v.Comments, 1)
	assert.Equal(t, id, v.Comments[0].ID)
	assert.Equal(t, g.ID, v.Comments[0].Author)
	assert.Equal(t, "receipt.pdf", v.Comments[0].Attachments[0].Name)
}

func TestTLTG_05_131_GuestCannotReplyExternally(t *testing.T) {
	a := tltgAcme()
	x, m := tltgSupport(a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	for _, ch := range []conversation.Channel{conversation.Email, conversation.SMS, conversation.WhatsApp} {
		_, err := a.Engine.RecordReply(tltgCtx, inbox.AsUser(g.ID), x, inbox.Reply{Message: conversation.Message{Channel: ch,
			To: []conversation.Address{m.From}, Subject: "Re: X", Text: "hi", HeaderID: fmt.Sprintf("g%d@ext.com", ch)}})
		assert.ErrorIs(t, err, inbox.ErrGuestForbidden, "channel %v", ch)
	}
	assert.Equal(t, 1, len(a.Conv("A", x).Messages), "nothing was recorded")
}

func TestTLTG_05_132_GuestMentionsOnlyPresentUsers(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X") // Support: A, B active, O observer
	g := gstJoin(t, a, "A", x, "g@ext.com")
	a.Notes.Take()
	_, err := a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "@a can you check?"})
	require.NoError(t, err)
	notes := a.Notes.Take()
	assert.Contains(t, notes, inbox.Notification{User: a.ID("A"), Conversation: x, Reason: inbox.Mentioned, Actor: g.ID, At: a.Clock.Now()})
	v := a.Conv("A", x)
	assert.Equal(t, []conversation.Mention{{User: a.ID("A")}}, v.Comments[0].Mentions)

	// @c is not present: it stays text, and C gains no access (F0:109).
	_, err = a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "@c and @sales and @all, look"})
	require.NoError(t, err)
	v = a.Conv("A", x)
	assert.Empty(t, v.Comments[1].Mentions)
	ok, err := a.Engine.CanSee(tltgCtx, a.As("C"), x)
	require.NoError(t, err)
	assert.False(t, ok)
	// Explicit mentions of absent people or groups are refused.
	_, err = a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "hi", Mentions: []conversation.Mention{{User: a.ID("C")}}})
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	_, err = a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "hi", Mentions: []conversation.Mention{{All: true}}})
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	_, err = a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "hi", Mentions: []conversation.Mention{{Team: a.Teams["Sales"].ID}}})
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	ok, err = a.Engine.CanSee(tltgCtx, a.As("C"), x)
	require.NoError(t, err)
	assert.False(t, ok)
	// A present guest can be mentioned by another guest.
	h := gstJoin(t, a, "A", x, "h@ext.com")
	_, err = a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "hi", Mentions: []conversation.Mention{{User: h.ID}}})
	assert.NoError(t, err)
}

func TestTLTG_05_133_GuestTasksReadOnly(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	as := inbox.AsUser(g.ID)
	task, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Conversation: x, Title: "Call back", Description: "before noon", Assignees: a.IDs("A")})
	require.NoError(t, err)
	standalone, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Title: "Order stock"})
	require.NoError(t, err)

	// Guests read the conversation's tasks: description and status (F2:31-36).
	got, err := a.Engine.ConversationTasks(tltgCtx, as, x)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "before noon", got[0].Description)
	_, err = a.Engine.Task(tltgCtx, as, task.ID)
	assert.NoError(t, err)
	_, err = a.Engine.Task(tltgCtx, as, standalone.ID)
	assert.ErrorIs(t, err, inbox.ErrNotFound, "no standalone task")

	// ... and change none of them.
	title := "Mine"
	_, err = a.Engine.CreateTask(tltgCtx, as, inbox.TaskSpec{Conversation: x, Title: "Mine"})
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	assert.ErrorIs(t, a.Engine.UpdateTask(tltgCtx, as, task.ID, inbox.TaskPatch{Title: &title}), inbox.ErrGuestForbidden)
	assert.ErrorIs(t, a.Engine.SetTaskStatus(tltgCtx, as, task.ID, conversation.TaskClosed), inbox.ErrGuestForbidden)
	assert.ErrorIs(t, a.Engine.DeleteTask(tltgCtx, as, task.ID), inbox.ErrGuestForbidden)
	// Nobody assigns a task to a guest.
	assignees := []conversation.UserID{g.ID}
	assert.ErrorIs(t, a.Engine.UpdateTask(tltgCtx, a.As("A"), task.ID, inbox.TaskPatch{Assignees: &assignees}), inbox.ErrForbidden)
	after, err := a.Engine.Task(tltgCtx, a.As("A"), task.ID)
	require.NoError(t, err)
	assert.Equal(t, "Call back", after.Title)
	assert.Equal(t, a.IDs("A"), after.Assignees)

	assert.True(t, guests.Can(guests.ReadTasks), "guests see task description and status")
	for _, act := range []guests.Action{guests.CreateTask, guests.EditTask, guests.CloseTask, guests.ReopenTask, guests.BeAssignedTask} {
		assert.ErrorIs(t, guests.Check(act), inbox.ErrGuestForbidden, act.String())
	}
}

// A guest's task change is refused like any other guest write: the
// conversation (or task) first, so a subtask of a conversation they hold
// no grant for, a standalone task or a missing task is ErrNotFound, the
// same answer as for anything hidden (docs/design.md, Guests); only a
// subtask of a granted conversation is ErrGuestForbidden.
func TestTLTG_05_133_GuestTaskChangesWithoutGrantNotFound(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "X")
	y := gstConv(t, a, "Y")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	as := inbox.AsUser(g.ID)
	inX, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Conversation: x, Title: "In X"})
	require.NoError(t, err)
	inY, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Conversation: y, Title: "In Y"})
	require.NoError(t, err)
	standalone, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Title: "Order stock"})
	require.NoError(t, err)

	_, err = a.Engine.CreateTask(tltgCtx, as, inbox.TaskSpec{Conversation: y, Title: "Mine"})
	assert.ErrorIs(t, err, inbox.ErrNotFound, "create in a conversation without a grant")
	_, err = a.Engine.CreateTask(tltgCtx, as, inbox.TaskSpec{Conversation: x, Title: "Mine"})
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden, "create in the granted conversation")
	title := "Mine"
	for _, tc := range []struct {
		name string
		id   conversation.TaskID
		want error
	}{
		{"subtask of the granted conversation", inX.ID, inbox.ErrGuestForbidden},
		{"subtask without a grant", inY.ID, inbox.ErrNotFound},
		{"standalone task", standalone.ID, inbox.ErrNotFound},
		{"missing task", conversation.TaskID{0xff, 1}, inbox.ErrNotFound},
	} {
		assert.ErrorIs(t, a.Engine.UpdateTask(tltgCtx, as, tc.id, inbox.TaskPatch{Title: &title}), tc.want, "edit "+tc.name)
		assert.ErrorIs(t, a.Engine.SetTaskStatus(tltgCtx, as, tc.id, conversation.TaskClosed), tc.want, "status "+tc.name)
		assert.ErrorIs(t, a.Engine.DeleteTask(tltgCtx, as, tc.id), tc.want, "delete "+tc.name)
		if errors.Is(tc.want, inbox.ErrNotFound) {
			assert.NotErrorIs(t, a.Engine.DeleteTask(tltgCtx, as, tc.id), inbox.ErrForbidden, "hidden "+tc.name)
		}
	}
	for _, id := range []conversation.TaskID{inX.ID, inY.ID, standalone.ID} {
		got, err := a.Engine.Task(tltgCtx, a.As("A"), id)
		require.NoError(t, err)
		assert.NotEqual(t, "Mine", got.Title)
	}
}

func TestTLTG_05_134_GuestCannotBeAssigned(t *testing.T) {
	a := tltgAcme()
	x := gstConv(t, a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	for _, by := range []string{"A", "Adm", "Own"} {
		err := a.Engine.Assign(tltgCtx, a.As(by), x, []conversation.UserID{g.ID}, inbox.Add)
		assert.ErrorIs(t, err, inbox.ErrGuestForbidden, by)
	}
	err := a.Engine.Assign(tltgCtx, inbox.AsUser(g.ID), x, []conversation.UserID{g.ID}, inbox.Add)
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	assert.Empty(t, a.Conv("A", x).Conversation.Assignees)
	assert.False(t, guests.Can(guests.BeAssignedTask))
}

func TestTLTG_05_135_GuestSeesNoLabels(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	var ids []conversation.LabelID
	for _, name := range []string{"VIP", "Billing"} {
		l, err := a.Engine.CreateLabel(tltgCtx, a.As("A"), inbox.LabelSpec{Name: name})
		require.NoError(t, err)
		require.NoError(t, a.Engine.ApplyLabel(tltgCtx, a.As("A"), x, l.ID))
		ids = append(ids, l.ID)
	}
	assert.Len(t, a.Conv("A", x).Conversation.Labels, 2, "members see labels")
	v, err := a.Engine.Get(tltgCtx, inbox.AsUser(g.ID), x)
	require.NoError(t, err)
	assert.Empty(t, v.Conversation.Labels, "no labels, even as a participant (F2:26)")
	for _, ev := range v.Events {
		assert.Empty(t, ev.Labels, "no label in the timeline either")
	}
	assert.ErrorIs(t, a.Engine.ApplyLabel(tltgCtx, inbox.AsUser(g.ID), x, ids[0]), inbox.ErrGuestForbidden)
	assert.ErrorIs(t, a.Engine.RemoveLabel(tltgCtx, inbox.AsUser(g.ID), x, ids[0]), inbox.ErrGuestForbidden)
	_, err = a.Engine.CreateLabel(tltgCtx, inbox.AsUser(g.ID), inbox.LabelSpec{Name: "Mine"})
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	ls, err := a.Engine.Labels(tltgCtx, inbox.AsUser(g.ID))
	require.NoError(t, err)
	assert.Empty(t, ls, "a guest finds no label")
	for _, act := range []guests.Action{guests.SeeLabels, guests.ChangeLabels, guests.ManageLabels} {
		assert.ErrorIs(t, guests.Check(act), inbox.ErrGuestForbidden, act.String())
	}
}

func TestTLTG_05_136_GuestSeesOnlyInvitedConversation(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	y, _ := tltgSupport(a, "Y")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	_, errY := a.Engine.Get(tltgCtx, inbox.AsUser(g.ID), y)
	_, errNone := a.Engine.Get(tltgCtx, inbox.AsUser(g.ID), conversation.ConversationID{9})
	require.ErrorIs(t, errY, inbox.ErrNotFound)
	assert.Equal(t, errors.Unwrap(errY) == nil, errors.Unwrap(errNone) == nil)
	assert.Equal(t, fmt.Sprintf("%v", errY)[:len("inboxkit: not found: conversation")], fmt.Sprintf("%v", errNone)[:len("inboxkit: not found: conversation")])
	for name, op := range map[string]func() error{
		"comment": func() error {
			_, err := a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), y, inbox.NewComment{Body: "hi"})
			return err
		},
		"star":  func() error { return a.Engine.Star(tltgCtx, inbox.AsUser(g.ID), y, true) },
		"close": func() error { return a.Engine.Close(tltgCtx, inbox.AsUser(g.ID), y) },
		"invite": func() error {
			_, err := a.Engine.InviteGuest(tltgCtx, inbox.AsUser(g.ID), y, "x@ext.com")
			return err
		},
	} {
		assert.ErrorIs(t, op(), inbox.ErrNotFound, name)
	}
	assert.Equal(t, []conversation.ConversationID{x}, gstList(t, a, g, conversation.All))
	_, err := a.Engine.List(tltgCtx, inbox.AsUser(g.ID), a.Box(conversation.TeamInbox, "Support"), inbox.ListOptions{})
	assert.ErrorIs(t, err, inbox.ErrNotFound, "no team inbox for guests, not even its existence")
}

func TestTLTG_05_137_GuestJoinsNoTeam(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	err := a.Engine.SetMembership(tltgCtx, a.As("Adm"), a.Teams["Support"].ID, g.ID, conversation.Active)
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	_, err = a.Engine.CreateTeam(tltgCtx, a.As("Adm"), inbox.TeamSpec{Name: "Ext", Handle: "ext",
		Members: []conversation.Membership{{User: g.ID, Kind: conversation.Observer}}})
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	err = a.Engine.AddPeople(tltgCtx, a.As("A"), x, inbox.People{Users: []conversation.UserID{g.ID}})
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden, "guests come in by invitation only")
	assert.False(t, guests.Can(guests.JoinRoom), "nor organization chat rooms (F1:22)")
}

func TestTLTG_05_138_GuestManagesNothing(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	as := inbox.AsUser(g.ID)
	for name, op := range map[string]func() error{
		"subject":    func() error { return a.Engine.SetSubject(tltgCtx, as, x, "mine") },
		"add people": func() error { return a.Engine.AddPeople(tltgCtx, as, x, inbox.People{Users: a.IDs("C")}) },
		"move":       func() error { return a.Engine.MoveToTeam(tltgCtx, as, x, a.Teams["Sales"].ID) },
		"close":      func() error { return a.Engine.Close(tltgCtx, as, x) },
		"trash":      func() error { return a.Engine.Trash(tltgCtx, as, x, inbox.TrashOptions{}) },
		"snooze": func() error {
			return a.Engine.Snooze(tltgCtx, as, x, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour), ForEveryone: true})
		},
		"invite": func() error {
			_, err := a.Engine.InviteGuest(tltgCtx, as, x, "friend@ext.com")
			return err
		},
		"remove all guests": func() error { return a.Engine.RemoveAllGuests(tltgCtx, as, x) },
	} {
		assert.ErrorIs(t, op(), inbox.ErrGuestForbidden, name)
	}
	_, err := a.Engine.Deliver(tltgCtx, as, inbox.Incoming{Account: a.Accounts["support"].ID, Message: a.Email("new", "support@acme.test")})
	assert.ErrorIs(t, err, inbox.ErrForbidden, "no new conversations")
	assert.False(t, guests.Can(guests.CreateConversation))
	assert.Equal(t, "X", a.Conv("A", x).Conversation.DisplaySubject())
}

func TestTLTG_05_140_GuestSeesNoContacts(t *testing.T) {
	// No contacts API exists yet; when it does it refuses guests through
	// this rule (F3:11858).
	assert.ErrorIs(t, guests.Check(guests.SeeContacts), inbox.ErrGuestForbidden)
}

func TestTLTG_05_141_GuestFromAnotherOrg(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	_, bea, err := a.Engine.CreateOrg(tltgCtx, inbox.OrgSpec{Name: "Beta", Owner: inbox.UserSpec{Name: "Bea", Email: "bea@beta.test", Handle: "bea"}})
	require.NoError(t, err)
	inv := gstInvite(t, a, "A", x, "bea@beta.test")
	acc, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Link: bea.ID})
	require.NoError(t, err)
	g := acc.Guest
	assert.Equal(t, bea.ID, g.Linked, "the guest identity is linked to Bea's own user")
	assert.Equal(t, "Bea", g.Name)
	assert.Equal(t, a.Org.ID, g.Org)
	assert.Equal(t, []conversation.ConversationID{x}, gstList(t, a, g, conversation.Inbox), "X is in her interface like any other conversation")
	ids, err := a.Engine.GuestIdentities(tltgCtx, inbox.AsUser(bea.ID))
	require.NoError(t, err)
	require.Len(t, ids, 1, "her login finds her Acme guest identity")
	assert.Equal(t, g.ID, ids[0].ID)
	ids, err = a.Engine.GuestIdentities(tltgCtx, a.As("A"))
	require.NoError(t, err)
	assert.Empty(t, ids)
	// Bea keeps full access to Beta: still its owner, able to run it.
	_, err = a.Engine.AddUser(tltgCtx, inbox.AsUser(bea.ID), inbox.UserSpec{Name: "Ben", Email: "ben@beta.test", Handle: "ben"})
	require.NoError(t, err)
	_, err = a.Engine.CreateTeam(tltgCtx, inbox.AsUser(bea.ID), inbox.TeamSpec{Name: "Beta team", Handle: "bt"})
	require.NoError(t, err)
	// Her Beta user reaches nothing of Acme's: the grant is the identity's.
	ok, err := a.Engine.CanSee(tltgCtx, inbox.AsUser(bea.ID), x)
	require.NoError(t, err)
	assert.False(t, ok)
	// Guest restrictions apply whatever the home org (spec A12).
	assert.ErrorIs(t, a.Engine.Close(tltgCtx, inbox.AsUser(g.ID), x), inbox.ErrGuestForbidden)
	// Like any conversation, she can archive it from her Inbox.
	require.NoError(t, a.Engine.Archive(tltgCtx, inbox.AsUser(g.ID), x, inbox.ArchiveOptions{}))
	assert.Empty(t, gstList(t, a, g, conversation.Inbox))
	assert.Equal(t, []conversation.ConversationID{x}, gstList(t, a, g, conversation.All))
	err = a.Engine.Archive(tltgCtx, inbox.AsUser(g.ID), x, inbox.ArchiveOptions{From: inbox.FromTeamInbox})
	assert.ErrorIs(t, err, inbox.ErrForbidden, "no team inbox of hers")
	// A second invitation accepted with the same login reuses the identity.
	y, _ := tltgSupport(a, "Y")
	inv = gstInvite(t, a, "A", y, "bea@beta.test")
	acc, err = a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Link: bea.ID})
	require.NoError(t, err)
	assert.Equal(t, g.ID, acc.Guest.ID)
	// Someone else's login cannot take over the identity.
	z, _ := tltgSupport(a, "Z")
	inv = gstInvite(t, a, "A", z, "bea@beta.test")
	_, err = a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Link: a.ID("B")})
	assert.ErrorIs(t, err, inbox.ErrAlreadyMember, "a user of Acme is not a guest of Acme")
}

func TestTLTG_05_142_GuestNotifications(t *testing.T) {
	a := tltgAcme()
	x, m := tltgSupport(a, "X")
	require.NoError(t, a.Engine.Assign(tltgCtx, a.As("A"), x, a.IDs("A"), inbox.Replace))
	inv := gstInvite(t, a, "A", x, "g@ext.com")
	acc, err := a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{Handle: "gee"})
	require.NoError(t, err)
	g := acc.Guest
	a.Notes.Take()
	reasons := func() []inbox.Reason {
		var out []inbox.Reason
		for _, n := range a.Notes.Take() {
			if n.User == g.ID {
				assert.Equal(t, x, n.Conversation)
				out = append(out, n.Reason)
			}
		}
		return out
	}
	_, err = a.Engine.Comment(tltgCtx, a.As("A"), x, inbox.NewComment{Body: "new chat message"})
	require.NoError(t, err)
	assert.Equal(t, []inbox.Reason{inbox.CommentPosted}, reasons())
	_, err = a.Engine.Comment(tltgCtx, a.As("B"), x, inbox.NewComment{Body: "@gee please confirm"})
	require.NoError(t, err)
	assert.Equal(t, []inbox.Reason{inbox.Mentioned}, reasons())
	assert.False(t, gstContains(a.Conv("A", x).Conversation.Users, g.ID), "a mention adds no member access")
	a.Deliver("support", a.ReplyTo(m))
	assert.Equal(t, []inbox.Reason{inbox.NewMessage}, reasons())
	// "depending on their personal notification settings" (F2:23).
	require.NoError(t, a.Engine.Silence(tltgCtx, inbox.AsUser(g.ID), x, true))
	_, err = a.Engine.Comment(tltgCtx, a.As("A"), x, inbox.NewComment{Body: "quiet"})
	require.NoError(t, err)
	assert.Empty(t, reasons())
	// @all excludes guests (spec A47).
	require.NoError(t, a.Engine.Silence(tltgCtx, inbox.AsUser(g.ID), x, false))
	_, err = a.Engine.Comment(tltgCtx, a.As("A"), x, inbox.NewComment{Body: "@all standup"})
	require.NoError(t, err)
	assert.NotContains(t, reasons(), inbox.Mentioned)
}

func gstContains(s []conversation.UserID, u conversation.UserID) bool {
	for _, x := range s {
		if x == u {
			return true
		}
	}
	return false
}

func TestTLTG_05_143_UpgradeGuestToMember(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	y, _ := tltgSupport(a, "Y")
	gstInvite(t, a, "A", y, "g@ext.com") // pending
	_, err := a.Engine.UpgradeGuest(tltgCtx, a.As("A"), g.ID, conversation.RoleMember)
	assert.ErrorIs(t, err, inbox.ErrForbidden, "admins assign seats")
	u, err := a.Engine.UpgradeGuest(tltgCtx, a.As("Adm"), g.ID, conversation.RoleMember)
	require.NoError(t, err)
	assert.Equal(t, conversation.RoleMember, u.Role)
	assert.Equal(t, g.ID, u.ID)
	v := a.Conv("A", x).Conversation
	assert.Empty(t, v.Guests)
	assert.Contains(t, v.Users, g.ID, "the conversation is now normal access (spec A11)")
	assert.True(t, gstSees(t, a, g, x))
	assert.False(t, gstSees(t, a, g, y), "pending invitations are dropped")
	// Full member capabilities.
	require.NoError(t, a.Engine.SetSubject(tltgCtx, inbox.AsUser(g.ID), x, "renamed"))
	require.NoError(t, a.Engine.Assign(tltgCtx, a.As("A"), x, []conversation.UserID{g.ID}, inbox.Add))
	require.NoError(t, a.Engine.SetMembership(tltgCtx, a.As("Adm"), a.Teams["Sales"].ID, g.ID, conversation.Active))
	usage, err := a.Engine.GuestUsage(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	assert.Equal(t, 9, usage.Seats)
	assert.Zero(t, usage.Guests, "the guest slot is freed")
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("A"), y, "g@ext.com")
	assert.ErrorIs(t, err, inbox.ErrAlreadyMember, "a member is not invited as a guest")
}

func TestTLTG_05_144_RemoveAllGuests(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	g1 := gstJoin(t, a, "A", x, "g1@ext.com")
	g2 := gstJoin(t, a, "B", x, "g2@ext.com")
	gstInvite(t, a, "A", x, "pending@ext.com")
	require.NoError(t, a.Engine.RemoveAllGuests(tltgCtx, inbox.System, x))
	assert.False(t, gstSees(t, a, g1, x))
	assert.False(t, gstSees(t, a, g2, x))
	list, err := a.Engine.Guests(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	assert.Empty(t, list)
	assert.ErrorIs(t, a.Engine.RemoveAllGuests(tltgCtx, a.As("A"), x), inbox.ErrForbidden, "members do not run it")
}

// Trash for everyone removes guests (F3:14569); a personal trash does not.
func TestGuestsTrashRemovesGuests(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	require.NoError(t, a.Engine.Trash(tltgCtx, a.As("A"), x, inbox.TrashOptions{From: inbox.FromTeamInbox, Confirmed: true}))
	assert.False(t, gstSees(t, a, g, x))
	assert.Empty(t, gstList(t, a, g, conversation.Trash))
	usage, err := a.Engine.GuestUsage(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	assert.Zero(t, usage.Guests)
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("A"), x, "g@ext.com")
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument, "no invitations into Trash")

	y, _ := tltgSupport(a, "Y")
	h := gstJoin(t, a, "A", y, "h@ext.com")
	require.NoError(t, a.Engine.Trash(tltgCtx, a.As("O"), y, inbox.TrashOptions{})) // an observer trashes for themselves
	assert.True(t, gstSees(t, a, h, y))
}

func TestTLTG_05_145_AdminGuestView(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	y := gstConv(t, a, "Y")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	inv := gstInvite(t, a, "B", y, "g@ext.com")
	gstInvite(t, a, "C", y, "h@ext.com")
	_ = inv
	list, err := a.Engine.Guests(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "g@ext.com", list[0].Email)
	require.NotNil(t, list[0].Guest)
	assert.Equal(t, g.ID, list[0].Guest.ID)
	byConv := map[conversation.ConversationID]inbox.GuestConversation{}
	for _, gc := range list[0].Conversations {
		byConv[gc.Conversation] = gc
	}
	assert.Equal(t, a.ID("A"), byConv[x].InvitedBy)
	assert.False(t, byConv[x].Pending)
	assert.Equal(t, "X", byConv[x].Subject)
	assert.Equal(t, a.ID("B"), byConv[y].InvitedBy)
	assert.True(t, byConv[y].Pending)
	assert.Equal(t, "h@ext.com", list[1].Email)
	assert.Nil(t, list[1].Guest, "h has not accepted yet")
	_, err = a.Engine.Guests(tltgCtx, a.As("C"))
	assert.ErrorIs(t, err, inbox.ErrForbidden, "members do not see the list [LIB-DEFAULT]")
	_, err = a.Engine.Guests(tltgCtx, inbox.AsUser(g.ID))
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	// Admins revoke from conversations they cannot see themselves.
	require.NoError(t, a.Engine.RemoveGuest(tltgCtx, a.As("Adm"), x, "g@ext.com"))
	assert.False(t, gstSees(t, a, g, x))
}

func TestTLTG_05_146_GuestListsNoLabelsOrResponses(t *testing.T) {
	for _, act := range []guests.Action{guests.ManageLabels, guests.SeeLabels, guests.UseCannedResponses} {
		assert.False(t, guests.Can(act), act.String())
	}
	a := tltgAcme()
	x := gstConv(t, a, "Guest here")
	hidden, _ := tltgSupport(a, "Not for the guest")
	label, err := a.Engine.CreateLabel(tltgCtx, a.As("A"), inbox.LabelSpec{Kind: conversation.OrgLabel, Name: "VIP"})
	require.NoError(t, err)
	for _, c := range []conversation.ConversationID{x, hidden} {
		require.NoError(t, a.Engine.ApplyLabel(tltgCtx, a.As("A"), c, label.ID))
	}
	task, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Conversation: x, Title: "Refund"})
	require.NoError(t, err)
	g := gstJoin(t, a, "A", x, "g@ext.com")
	as := inbox.AsUser(g.ID)

	// Listing labels returns nothing; a label is not found; a
	// conversation's labels are stripped (F2:26-28).
	list, err := a.Engine.Labels(tltgCtx, as)
	require.NoError(t, err)
	assert.Empty(t, list)
	_, err = a.Engine.Label(tltgCtx, as, label.ID)
	assert.ErrorIs(t, err, inbox.ErrNotFound)
	v, err := a.Engine.Get(tltgCtx, as, x)
	require.NoError(t, err)
	assert.Empty(t, v.Conversation.Labels)
	tasks, err := a.Engine.Tasks(tltgCtx, as, inbox.TaskQuery{View: inbox.MyTasks})
	require.NoError(t, err)
	assert.Empty(t, tasks.Tasks, "no task views")
	assert.Empty(t, tasks.Conversations)
	// Canned responses are not an engine feature: only guests.Can above.

	title := "Edited"
	reply := inbox.Reply{Message: conversation.Message{To: []conversation.Address{{Address: "customer@example.com"}}, Subject: "Re: Guest here", Text: "hi", HeaderID: "guest-reply@ext.com"}}
	// Each refused action, on x (which the guest sees) and on hidden
	// (which it does not). Where the engine checks the conversation first,
	// hidden gives ErrNotFound, as for anyone who cannot see it; where it
	// refuses guests before looking at anything (member-only operations,
	// Merge), the answer is the same refusal for both, which tells nothing
	// about hidden either. An action that names no conversation has
	// hidden == nil.
	for _, tc := range []struct {
		name            string
		do              func(c conversation.ConversationID) error
		refused, hidden error
	}{
		{"CreateLabel", func(conversation.ConversationID) error {
			_, err := a.Engine.CreateLabel(tltgCtx, as, inbox.LabelSpec{Name: "Guest label"})
			return err
		}, inbox.ErrGuestForbidden, nil},
		{"UpdateLabel", func(conversation.ConversationID) error {
			return a.Engine.UpdateLabel(tltgCtx, as, label.ID, inbox.LabelPatch{Name: &title})
		}, inbox.ErrGuestForbidden, nil},
		// A label a guest cannot find is not found (labels.CanDelete), as
		// Label says above.
		{"DeleteLabel", func(conversation.ConversationID) error { return a.Engine.DeleteLabel(tltgCtx, as, label.ID) }, inbox.ErrNotFound, nil},
		{"ApplyLabel", func(c conversation.ConversationID) error { return a.Engine.ApplyLabel(tltgCtx, as, c, label.ID) }, inbox.ErrGuestForbidden, inbox.ErrNotFound},
		{"RemoveLabel", func(c conversation.ConversationID) error { return a.Engine.RemoveLabel(tltgCtx, as, c, label.ID) }, inbox.ErrGuestForbidden, inbox.ErrNotFound},
		{"CreateTask", func(c conversation.ConversationID) error {
			_, err := a.Engine.CreateTask(tltgCtx, as, inbox.TaskSpec{Conversation: c, Title: "Guest task"})
			return err
		}, inbox.ErrGuestForbidden, inbox.ErrNotFound},
		{"UpdateTask", func(conversation.ConversationID) error {
			return a.Engine.UpdateTask(tltgCtx, as, task.ID, inbox.TaskPatch{Title: &title})
		}, inbox.ErrGuestForbidden, nil},
		{"SetTaskStatus", func(conversation.ConversationID) error {
			return a.Engine.SetTaskStatus(tltgCtx, as, task.ID, conversation.TaskClosed)
		}, inbox.ErrGuestForbidden, nil},
		{"DeleteTask", func(conversation.ConversationID) error { return a.Engine.DeleteTask(tltgCtx, as, task.ID) }, inbox.ErrGuestForbidden, nil},
		{"ComposeReply", func(c conversation.ConversationID) error {
			_, err := a.Engine.ComposeReply(tltgCtx, as, c, inbox.ReplyDraft{Text: "hi"})
			return err
		}, inbox.ErrGuestForbidden, inbox.ErrNotFound},
		{"RecordReply", func(c conversation.ConversationID) error {
			_, err := a.Engine.RecordReply(tltgCtx, as, c, reply)
			return err
		}, inbox.ErrGuestForbidden, inbox.ErrNotFound},
		{"AddPeople", func(c conversation.ConversationID) error {
			return a.Engine.AddPeople(tltgCtx, as, c, inbox.People{Users: a.IDs("M")})
		}, inbox.ErrGuestForbidden, inbox.ErrNotFound},
		{"Assign", func(c conversation.ConversationID) error {
			return a.Engine.Assign(tltgCtx, as, c, a.IDs("A"), inbox.Replace)
		}, inbox.ErrGuestForbidden, inbox.ErrNotFound},
		{"InviteGuest", func(c conversation.ConversationID) error {
			_, err := a.Engine.InviteGuest(tltgCtx, as, c, "friend@ext.com")
			return err
		}, inbox.ErrGuestForbidden, inbox.ErrNotFound},
		// Merge refuses a guest before looking at either conversation, so
		// the answer does not depend on what the guest can see.
		{"Merge", func(c conversation.ConversationID) error {
			other := x
			if c == x {
				other = hidden
			}
			return a.Engine.Merge(tltgCtx, as, c, []conversation.ConversationID{other}, inbox.MergeOptions{})
		}, inbox.ErrMergeNotAllowed, inbox.ErrMergeNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do(x)
			assert.ErrorIs(t, err, tc.refused)
			if tc.hidden != nil {
				err := tc.do(hidden)
				assert.ErrorIs(t, err, tc.hidden, "a conversation the guest cannot see")
				if tc.hidden == inbox.ErrNotFound {
					assert.NotErrorIs(t, err, tc.refused, "no hint it exists")
				}
			}
		})
	}

	// Nothing changed.
	v = a.Conv("A", x)
	assert.Equal(t, []conversation.LabelID{label.ID}, v.Conversation.Labels)
	assert.Empty(t, v.Conversation.Assignees)
	assert.Equal(t, 1, v.Conversation.Messages)
	assert.NotContains(t, v.Conversation.Users, a.ID("M"))
	info, err := a.Engine.Label(tltgCtx, a.As("A"), label.ID)
	require.NoError(t, err)
	assert.Equal(t, "VIP", info.Label.Name)
	ts, err := a.Engine.ConversationTasks(tltgCtx, a.As("A"), x)
	require.NoError(t, err)
	require.Len(t, ts, 1)
	assert.Equal(t, "Refund", ts[0].Title)
	assert.NotEqual(t, conversation.TaskClosed, ts[0].Status)
	gs, err := a.Engine.Guests(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	require.Len(t, gs, 1, "no second guest invited")
	assert.Equal(t, "g@ext.com", gs[0].Email)
	merged := scvEvents(a.Conv("A", hidden), conversation.EventMerged)
	assert.Empty(t, merged)
}

func TestGuestsInviteRules(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	y, _ := tltgSupport(a, "Y")
	_, err := a.Engine.InviteGuest(tltgCtx, a.As("A"), x, "b@acme.test")
	assert.ErrorIs(t, err, inbox.ErrAlreadyMember, "B is a member: share, do not invite")
	assert.ErrorContains(t, err, "B")
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("A"), x, "not an address")
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("C"), x, "g@ext.com")
	assert.ErrorIs(t, err, inbox.ErrNotFound, "C cannot see X")
	_, err = a.Engine.InviteGuest(tltgCtx, inbox.System, x, "g@ext.com")
	assert.ErrorIs(t, err, inbox.ErrForbidden)

	// Renewing a pending invitation replaces its token.
	first := gstInvite(t, a, "A", x, "g@ext.com")
	res, err := a.Engine.InviteGuest(tltgCtx, a.As("B"), x, "g@ext.com")
	require.NoError(t, err)
	assert.True(t, res.Renewed)
	second := a.Notes.Take()[0].Invitation
	assert.Equal(t, a.ID("A"), second.InvitedBy, "the original inviter stays")
	_, err = a.Engine.AcceptInvitation(tltgCtx, first.Token, inbox.Acceptance{})
	assert.ErrorIs(t, err, inbox.ErrInvalidToken)
	acc, err := a.Engine.AcceptInvitation(tltgCtx, second.Token, inbox.Acceptance{})
	require.NoError(t, err)
	_, err = a.Engine.InviteGuest(tltgCtx, a.As("A"), x, "g@ext.com")
	assert.ErrorIs(t, err, inbox.ErrConflict, "already a guest")

	// Tokens expire (engine clock) and give their slot back.
	inv := gstInvite(t, a, "A", y, "late@ext.com")
	a.Clock.Advance(guests.DefaultInvitationTTL + time.Second)
	_, err = a.Engine.AcceptInvitation(tltgCtx, inv.Token, inbox.Acceptance{})
	assert.ErrorIs(t, err, inbox.ErrInvalidToken)
	list, err := a.Engine.Guests(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "late@ext.com", list[1].Email)
	assert.True(t, list[1].Conversations[0].Expired, "the admin view shows the expired invitation")
	assert.False(t, list[0].Conversations[0].Expired)
	n, err := a.Engine.PurgeExpiredInvitations(tltgCtx, inbox.System)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = a.Engine.PurgeExpiredInvitations(tltgCtx, a.As("Adm"))
	assert.ErrorIs(t, err, inbox.ErrForbidden)
	gstInvite(t, a, "A", y, "other@ext.com")
	list, err = a.Engine.Guests(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	var emails []string
	for _, gi := range list {
		emails = append(emails, gi.Email)
	}
	assert.Equal(t, []string{"g@ext.com", "other@ext.com"}, emails)
	assert.True(t, gstSees(t, a, acc.Guest, x), "an accepted grant never expires")

	for _, bad := range []string{"", "nope", "ikgi_" + "A"} {
		_, err := a.Engine.AcceptInvitation(tltgCtx, bad, inbox.Acceptance{})
		assert.ErrorIs(t, err, inbox.ErrInvalidToken, bad)
	}
}

// Invitations racing for the last slot through the engine: exactly one
// wins (the store decides; run under -race).
func TestGuestsQuotaRace(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "X")
	gstFill(t, a, x, 39)
	const racers = 12
	var wg sync.WaitGroup
	errs := make([]error, racers)
	start := make(chan struct{})
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = a.Engine.InviteGuest(tltgCtx, a.As("A"), x, fmt.Sprintf("racer%d@ext.com", i))
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		assert.ErrorIs(t, err, inbox.ErrGuestQuota)
	}
	assert.Equal(t, 1, won)
	usage, err := a.Engine.GuestUsage(tltgCtx, a.As("Adm"))
	require.NoError(t, err)
	assert.Equal(t, 40, usage.Guests)
}
