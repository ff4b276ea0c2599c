package inbox_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// Regressions found by the access review of 2026-12-01: each was a way to
// see a conversation after losing the right to.

// The guest's "[ ]" line stays text: it creates no task and gives
// nobody access (spec §3.5: guests create no tasks, mention only users
// present).
func TestRegression_GuestTaskLineGrantsNothing(t *testing.T) {
	a := tltgAcme()
	x, _ := tltgSupport(a, "Private support")
	require.False(t, tltgCanSee(t, a, "C", x))
	g := gstJoin(t, a, "A", x, "g@ext.com")
	_, err := a.Engine.Comment(tltgCtx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "[ ] look at this @c"})
	require.NoError(t, err, "the comment itself is allowed")
	ts, err := a.Engine.ConversationTasks(tltgCtx, a.As("A"), x)
	require.NoError(t, err)
	assert.Empty(t, ts, "a guest's line creates no task")
	require.False(t, tltgCanSee(t, a, "C", x), "a guest's task line gave C access")
}

// Editing a subtask, or adding one, gives no access back to an assignee
// who was removed from the conversation.
func TestRegression_TaskEditKeepsRemovedUserOut(t *testing.T) {
	a := tltgAcme()
	y, _ := tltgSupport(a, "tasks")
	tk, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Title: "do it", Conversation: y, Assignees: a.IDs("M")})
	require.NoError(t, err)
	require.True(t, tltgCanSee(t, a, "M", y))
	require.NoError(t, a.Engine.RemoveUser(tltgCtx, a.As("A"), y, a.ID("M")))
	require.False(t, tltgCanSee(t, a, "M", y))
	title := "do it now"
	require.NoError(t, a.Engine.UpdateTask(tltgCtx, a.As("A"), tk.ID, inbox.TaskPatch{Title: &title}))
	assert.False(t, tltgCanSee(t, a, "M", y), "editing a task title re-granted a removed user")
	_, err = a.Engine.Comment(tltgCtx, a.As("B"), y, inbox.NewComment{Body: "[ ] another"})
	require.NoError(t, err)
	assert.False(t, tltgCanSee(t, a, "M", y), "a new task line re-granted a removed user")
}

// A status change gives no access back after the account was made
// private.
func TestRegression_TaskEditKeepsPrivateAccountPrivate(t *testing.T) {
	a := tltgAcme()
	y, _ := tltgSupport(a, "tasks")
	tk, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Title: "do it", Conversation: y, Assignees: a.IDs("M")})
	require.NoError(t, err)
	require.NoError(t, a.Engine.MakeAccountPrivate(tltgCtx, a.As("Adm"), a.Accounts["support"].ID))
	_, err = a.Engine.CycleTaskStatus(tltgCtx, a.As("Adm"), tk.ID)
	require.NoError(t, err)
	assert.False(t, tltgCanSee(t, a, "M", y), "a status change re-granted access after MakeAccountPrivate")
}

// noteAudit: every notification about a conversation goes to someone who
// can see it.
func noteAudit(t *testing.T, a *inboxtest.Acme, tag string) {
	t.Helper()
	for _, n := range a.Notes.Take() {
		if n.Conversation.IsZero() || n.Reason == inbox.GuestInvited {
			continue
		}
		ok, err := a.Engine.CanSee(tltgCtx, inbox.AsUser(n.User), n.Conversation)
		require.NoError(t, err)
		assert.True(t, ok, "%s: %v notification to a user who cannot see the conversation", tag, n.Reason)
	}
}

// A watcher whose access ended is no longer notified.
func TestRegression_NoNotificationAfterAccessLoss(t *testing.T) {
	a := tltgAcme()
	ctx := tltgCtx
	// label-granted watcher
	l := slLabel(t, a, "Adm", inbox.LabelSpec{Name: "To M", AutoShared: a.IDs("M")})
	y, _ := tltgSupport(a, "labelled")
	require.NoError(t, a.Engine.ApplyLabel(ctx, a.As("A"), y, l.ID))
	_, err := a.Engine.Comment(ctx, a.As("M"), y, inbox.NewComment{Body: "I watch this"})
	require.NoError(t, err)
	require.NoError(t, a.Engine.RemoveLabel(ctx, a.As("A"), y, l.ID))
	require.False(t, tltgCanSee(t, a, "M", y))
	a.Notes.Take()
	_, err = a.Engine.Comment(ctx, a.As("A"), y, inbox.NewComment{Body: "internal: after label removal"})
	require.NoError(t, err)
	noteAudit(t, a, "label removed")

	// guest watcher removed
	x := gstConv(t, a, "guest conv")
	g := gstJoin(t, a, "A", x, "g@ext.com")
	_, err = a.Engine.Comment(ctx, inbox.AsUser(g.ID), x, inbox.NewComment{Body: "guest here"})
	require.NoError(t, err)
	require.NoError(t, a.Engine.RemoveGuest(ctx, a.As("A"), x, "g@ext.com"))
	a.Notes.Take()
	_, err = a.Engine.Comment(ctx, a.As("A"), x, inbox.NewComment{Body: "after guest removal"})
	require.NoError(t, err)
	noteAudit(t, a, "guest removed")

	// team member leaves team
	z, m := tltgSupport(a, "team")
	_, err = a.Engine.Comment(ctx, a.As("B"), z, inbox.NewComment{Body: "B watches"})
	require.NoError(t, err)
	require.NoError(t, a.Engine.SetMembership(ctx, a.As("Adm"), a.Teams["Support"].ID, a.ID("B"), 0))
	a.Notes.Take()
	_, err = a.Engine.Comment(ctx, a.As("A"), z, inbox.NewComment{Body: "after B left"})
	require.NoError(t, err)
	tltgTick(a)
	a.Deliver("support", a.ReplyTo(m))
	noteAudit(t, a, "left team")

	// account made private
	w, wm := tltgSupport(a, "private later")
	_, err = a.Engine.Comment(ctx, a.As("O"), w, inbox.NewComment{Body: "O watches"})
	require.NoError(t, err)
	require.NoError(t, a.Engine.MakeAccountPrivate(ctx, a.As("Adm"), a.Accounts["support"].ID))
	a.Notes.Take()
	tltgTick(a)
	a.Deliver("support", a.ReplyTo(wm))
	_, err = a.Engine.Comment(ctx, a.As("Adm"), w, inbox.NewComment{Body: "after private"})
	require.NoError(t, err, "the owner keeps the conversation")
	noteAudit(t, a, "made private")
}

// A label nested under one the viewer may not find is hidden too: its
// path would name the parent. Nesting under a hidden label is refused as
// if it did not exist.
func TestRegression_RestrictedParentHidesChildren(t *testing.T) {
	a := tltgAcme()
	secret := slLabel(t, a, "Adm", inbox.LabelSpec{Name: "Layoffs", VisibleTo: conversation.VisibleToAdminsAndAutoShared})
	child := slLabel(t, a, "Adm", inbox.LabelSpec{Name: "Q3", Parent: secret.ID})
	for _, id := range []conversation.LabelID{secret.ID, child.ID} {
		_, err := a.Engine.Label(tltgCtx, a.As("C"), id)
		assert.ErrorIs(t, err, inbox.ErrNotFound)
	}
	ls, err := a.Engine.Labels(tltgCtx, a.As("C"))
	require.NoError(t, err)
	for _, l := range ls {
		assert.NotContains(t, l.Path, "Layoffs")
	}
	_, err = a.Engine.CreateLabel(tltgCtx, a.As("C"), inbox.LabelSpec{Name: "probe", Parent: secret.ID})
	assert.ErrorIs(t, err, inbox.ErrNotFound)

	x := slShared(t, a, "Q")
	require.NoError(t, a.Engine.ApplyLabel(tltgCtx, a.As("Adm"), x, child.ID))
	v := a.Conv("C", x)
	assert.Empty(t, v.Conversation.Labels)
	for _, ev := range v.Events {
		assert.Empty(t, ev.Labels, "no change of a hidden label in C's timeline")
	}
	info, err := a.Engine.Label(tltgCtx, a.As("Adm"), child.ID)
	require.NoError(t, err)
	assert.Equal(t, "Layoffs/Q3", info.Path, "admins still see it")
}

// A Tasks page reads a bounded part of the index: with a filter that
// matches only the oldest of many tasks, pages come back short (even
// empty) with a Next, and following Next reaches the match.
func TestTasksPageScanIsBounded(t *testing.T) {
	a := tltgAcme()
	first, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Title: "the one", Assignees: a.IDs("B")})
	require.NoError(t, err)
	for i := range 60 {
		_, err := a.Engine.CreateTask(tltgCtx, a.As("A"), inbox.TaskSpec{Title: fmt.Sprintf("other %d", i)})
		require.NoError(t, err)
	}
	q := inbox.TaskQuery{View: inbox.OrgTasks, Limit: 1, Filter: conversation.TaskFilter{Assignees: a.IDs("B")}}
	var found []conversation.TaskID
	pages := 0
	for {
		page, err := a.Engine.Tasks(tltgCtx, a.As("A"), q)
		require.NoError(t, err)
		pages++
		for _, tk := range page.Tasks {
			found = append(found, tk.ID)
		}
		if page.Next == "" {
			break
		}
		require.Less(t, pages, 10, "every page makes progress")
		q.Cursor = page.Next
	}
	assert.Equal(t, []conversation.TaskID{first.ID}, found)
	assert.Greater(t, pages, 1, "the first page stopped before scanning all 61 tasks")
}

// A filtered listing is answered from the store's per-assignee index: the
// one match comes in one page, with no empty page before it (issue 11,
// costs that grow: no empty page with more to come).
func TestListFilterScanIsBounded(t *testing.T) {
	a := tltgAcme()
	first, _ := tltgSupport(a, "the one")
	require.NoError(t, a.Engine.Assign(tltgCtx, a.As("A"), first, a.IDs("B"), inbox.Add))
	for i := range 40 {
		tltgTick(a)
		tltgSupport(a, fmt.Sprintf("other %d", i))
	}
	opts := inbox.ListOptions{Limit: 1, AssignedTo: a.ID("B")}
	var found []conversation.ConversationID
	pages := 0
	for {
		page, err := a.Engine.List(tltgCtx, a.As("A"), a.Box(conversation.All), opts)
		require.NoError(t, err)
		pages++
		for _, s := range page.Items {
			found = append(found, s.ID)
		}
		if page.Next == "" {
			break
		}
		require.Less(t, pages, 10, "every page makes progress")
		opts.Cursor = page.Next
	}
	assert.Equal(t, []conversation.ConversationID{first}, found)
	assert.Equal(t, 1, pages, "the filter is answered from an index, not a bounded scan")
}
