package inbox_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// Issue 10 point 9: a nil reader is bad input, answered with
// ErrInvalidArgument, never a panic, and nothing is stored.
func TestDefect10_9_NilReaderIsInvalidArgument(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	acct := a.Accounts["support"].ID
	calls := map[string]func() error{
		"DeliverRaw": func() error {
			_, err := a.Engine.DeliverRaw(ctx, inbox.System, inbox.RawIncoming{Account: acct})
			return err
		},
		"RecordSentRaw": func() error {
			_, err := a.Engine.RecordSentRaw(ctx, inbox.System, inbox.RawIncoming{Account: acct})
			return err
		},
		"ParseMessage": func() error {
			_, err := a.Engine.ParseMessage(nil)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = call() })
			assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
		})
	}
	assert.Empty(t, a.List("A", a.Box(conversation.All)), "nothing stored")
}

// Issue 10 point 9: every entry point answers a zero ID with
// ErrInvalidArgument (no entity has it: it is the caller's mistake, not a
// missing entity), before touching anything.
func TestDefect10_9_ZeroIDsAreInvalidArgument(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c, _ := scvSupport(a, "Real")
	label, err := a.Engine.CreateLabel(ctx, a.As("A"), inbox.LabelSpec{Name: "Real label"})
	require.NoError(t, err)
	task, err := a.Engine.CreateTask(ctx, a.As("A"), inbox.TaskSpec{Conversation: c, Title: "Real task"})
	require.NoError(t, err)
	var (
		zc  conversation.ConversationID
		zu  conversation.UserID
		zt  conversation.TeamID
		za  conversation.AccountID
		zl  conversation.LabelID
		zk  conversation.TaskID
		zm  conversation.MessageID
		zcm conversation.CommentID
		zo  conversation.OrgID
	)
	as := a.As("A")
	adm := a.As("Own")
	e := a.Engine
	later := a.Clock.Now().Add(time.Hour)
	raw := func() io.Reader { return strings.NewReader("From: x@example.com\r\nSubject: s\r\n\r\nbody\r\n") }
	calls := map[string]func() error{
		"Assign":          func() error { return e.Assign(ctx, as, zc, a.IDs("A"), inbox.Add) },
		"Assign/user":     func() error { return e.Assign(ctx, as, c, []conversation.UserID{zu}, inbox.Add) },
		"Unassign":        func() error { return e.Unassign(ctx, as, zc, a.IDs("A")) },
		"MoveToTeam":      func() error { return e.MoveToTeam(ctx, as, zc, a.Teams["Sales"].ID) },
		"MoveToTeam/team": func() error { return e.MoveToTeam(ctx, as, c, zt) },
		"UnassignTeam":    func() error { return e.UnassignTeam(ctx, as, zc) },
		"Deliver": func() error {
			_, err := e.Deliver(ctx, inbox.System, inbox.Incoming{Message: a.Email("x", "support@acme.test")})
			return err
		},
		"RecordSent": func() error {
			_, err := e.RecordSent(ctx, inbox.System, inbox.Incoming{Message: a.Email("x", "support@acme.test")})
			return err
		},
		"DeliverRaw": func() error { _, err := e.DeliverRaw(ctx, inbox.System, inbox.RawIncoming{Message: raw()}); return err },
		"RecordSentRaw": func() error {
			_, err := e.RecordSentRaw(ctx, inbox.System, inbox.RawIncoming{Message: raw()})
			return err
		},
		"InviteGuest":           func() error { _, err := e.InviteGuest(ctx, as, zc, "g@example.com"); return err },
		"RemoveGuest":           func() error { return e.RemoveGuest(ctx, as, zc, "g@example.com") },
		"RemoveAllGuests":       func() error { return e.RemoveAllGuests(ctx, as, zc) },
		"UpgradeGuest":          func() error { _, err := e.UpgradeGuest(ctx, adm, zu, conversation.RoleMember); return err },
		"Label":                 func() error { _, err := e.Label(ctx, as, zl); return err },
		"UpdateLabel":           func() error { return e.UpdateLabel(ctx, as, zl, inbox.LabelPatch{}) },
		"DeleteLabel":           func() error { return e.DeleteLabel(ctx, as, zl) },
		"ApplyLabel":            func() error { return e.ApplyLabel(ctx, as, zc, label.ID) },
		"ApplyLabel/label":      func() error { return e.ApplyLabel(ctx, as, c, zl) },
		"RemoveLabel":           func() error { return e.RemoveLabel(ctx, as, zc, label.ID) },
		"RemoveLabel/label":     func() error { return e.RemoveLabel(ctx, as, c, zl) },
		"MoveToLabel":           func() error { return e.MoveToLabel(ctx, as, zc, label.ID, a.Box(conversation.All)) },
		"MoveToLabel/label":     func() error { return e.MoveToLabel(ctx, as, c, zl, a.Box(conversation.All)) },
		"DragToLabel":           func() error { return e.DragToLabel(ctx, as, zc, label.ID, label.ID) },
		"SetLabelPrefs":         func() error { return e.SetLabelPrefs(ctx, as, zl, conversation.LabelPrefs{}) },
		"AddSharedLabels":       func() error { return e.AddSharedLabels(ctx, as, zc, []conversation.LabelID{label.ID}) },
		"AddSharedLabels/label": func() error { return e.AddSharedLabels(ctx, as, c, []conversation.LabelID{zl}) },
		"EnsureLabel":           func() error { _, err := e.EnsureLabel(ctx, inbox.System, zo, "x"); return err },
		"Close":                 func() error { return e.Close(ctx, as, zc) },
		"Reopen":                func() error { return e.Reopen(ctx, as, zc) },
		"Archive":               func() error { return e.Archive(ctx, as, zc, inbox.ArchiveOptions{}) },
		"Trash":                 func() error { return e.Trash(ctx, as, zc, inbox.TrashOptions{}) },
		"DeleteForever":         func() error { return e.DeleteForever(ctx, as, zc) },
		"Recover":               func() error { return e.Recover(ctx, as, zc) },
		"MarkSpam":              func() error { return e.MarkSpam(ctx, as, zc, true) },
		"Merge":                 func() error { return e.Merge(ctx, as, zc, []conversation.ConversationID{c}, inbox.MergeOptions{}) },
		"Merge/source":          func() error { return e.Merge(ctx, as, c, []conversation.ConversationID{zc}, inbox.MergeOptions{}) },
		"MakeAccountPrivate":    func() error { return e.MakeAccountPrivate(ctx, adm, za) },
		"Get":                   func() error { _, err := e.Get(ctx, as, zc); return err },
		"CanSee":                func() error { _, err := e.CanSee(ctx, as, zc); return err },
		"ComposeReply":          func() error { _, err := e.ComposeReply(ctx, as, zc, inbox.ReplyDraft{Text: "x"}); return err },
		"RemoveUser":            func() error { return e.RemoveUser(ctx, as, zc, a.ID("B")) },
		"RemoveUser/user":       func() error { return e.RemoveUser(ctx, as, c, zu) },
		"RecordReply":           func() error { _, err := e.RecordReply(ctx, as, zc, inbox.Reply{}); return err },
		"AddPeople":             func() error { return e.AddPeople(ctx, as, zc, inbox.People{Users: a.IDs("B")}) },
		"AddPeople/user":        func() error { return e.AddPeople(ctx, as, c, inbox.People{Users: []conversation.UserID{zu}}) },
		"AddPeople/team":        func() error { return e.AddPeople(ctx, as, c, inbox.People{Teams: []conversation.TeamID{zt}}) },
		"Comment":               func() error { _, err := e.Comment(ctx, as, zc, inbox.NewComment{Body: "x"}); return err },
		"SetSubject":            func() error { return e.SetSubject(ctx, as, zc, "x") },
		"Snooze":                func() error { return e.Snooze(ctx, as, zc, inbox.SnoozeOptions{Until: later}) },
		"DiscardSnooze":         func() error { return e.DiscardSnooze(ctx, as, zc) },
		"Split":                 func() error { _, err := e.Split(ctx, as, zc, zm, inbox.SplitOptions{}); return err },
		"Split/message":         func() error { _, err := e.Split(ctx, as, c, zm, inbox.SplitOptions{}); return err },
		"MarkRead":              func() error { return e.MarkRead(ctx, as, zc) },
		"MarkUnread":            func() error { return e.MarkUnread(ctx, as, zc) },
		"Star":                  func() error { return e.Star(ctx, as, zc, true) },
		"Pin":                   func() error { return e.Pin(ctx, as, zc, true) },
		"Silence":               func() error { return e.Silence(ctx, as, zc, true) },
		"Watch":                 func() error { return e.Watch(ctx, as, zc) },
		"Unwatch":               func() error { return e.Unwatch(ctx, as, zc) },
		"CreateTask/assignee": func() error {
			_, err := e.CreateTask(ctx, as, inbox.TaskSpec{Title: "x", Assignees: []conversation.UserID{zu}})
			return err
		},
		"UpdateTask":             func() error { return e.UpdateTask(ctx, as, zk, inbox.TaskPatch{}) },
		"SetTaskStatus":          func() error { return e.SetTaskStatus(ctx, as, zk, conversation.TaskClosed) },
		"CycleTaskStatus":        func() error { _, err := e.CycleTaskStatus(ctx, as, zk); return err },
		"DeleteTask":             func() error { return e.DeleteTask(ctx, as, zk) },
		"CommentToTask":          func() error { _, err := e.CommentToTask(ctx, as, zc, zcm); return err },
		"CommentToTask/comment":  func() error { _, err := e.CommentToTask(ctx, as, c, zcm); return err },
		"Task":                   func() error { _, err := e.Task(ctx, as, zk); return err },
		"ConversationTasks":      func() error { _, err := e.ConversationTasks(ctx, as, zc); return err },
		"Tasks/team":             func() error { _, err := e.Tasks(ctx, as, inbox.TaskQuery{View: inbox.TeamTasks}); return err },
		"UpdateConversationTask": func() error { return e.UpdateConversationTask(ctx, as, zc, inbox.ConversationTaskPatch{}) },
		"SetConversationTaskStatus": func() error {
			return e.SetConversationTaskStatus(ctx, as, zc, conversation.TaskClosed)
		},
		"SetMembership":      func() error { return e.SetMembership(ctx, adm, zt, a.ID("C"), conversation.Active) },
		"SetMembership/user": func() error { return e.SetMembership(ctx, adm, a.Teams["Sales"].ID, zu, conversation.Active) },
		"ShareAddress":       func() error { return e.ShareAddress(ctx, adm, za, "x@acme.test", conversation.Sharing{}) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = call() })
			assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
		})
	}
	// Nothing changed.
	got, err := a.Engine.Task(ctx, as, task.ID)
	require.NoError(t, err)
	assert.Equal(t, task.Status, got.Status)
	assert.Len(t, a.List("A", a.Box(conversation.All)), 1)
}
