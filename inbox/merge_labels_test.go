package inbox

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/labels"
	"github.com/inboxkit/inboxkit/storage"
)

// mergeFixture is a small organization for testing mergeLabelsAndTasks
// without merge (package inboxtest cannot be imported here).
type mergeFixture struct {
	e              *Engine
	owner, a, b, c *conversation.User
	acct           *conversation.Account
}

func newMergeFixture(t *testing.T) *mergeFixture {
	ctx := context.Background()
	e := New(Config{})
	_, owner, err := e.CreateOrg(ctx, OrgSpec{Name: "Acme", Owner: UserSpec{Name: "Own", Email: "own@acme.test", Handle: "own"}})
	require.NoError(t, err)
	f := &mergeFixture{e: e, owner: owner}
	for i, p := range []**conversation.User{&f.a, &f.b, &f.c} {
		h := fmt.Sprintf("user%d", i)
		u, err := e.AddUser(ctx, AsUser(owner.ID), UserSpec{Name: h, Email: h + "@acme.test", Handle: h})
		require.NoError(t, err)
		*p = u
	}
	team, err := e.CreateTeam(ctx, AsUser(owner.ID), TeamSpec{Name: "Support", Handle: "support",
		Members: []conversation.Membership{{User: f.a.ID, Kind: conversation.Active}, {User: f.b.ID, Kind: conversation.Active}}})
	require.NoError(t, err)
	f.acct, err = e.ConnectAccount(ctx, AsUser(owner.ID), AccountSpec{Address: "support@acme.test",
		Sharing: conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: team.ID}})
	require.NoError(t, err)
	return f
}

func (f *mergeFixture) deliver(t *testing.T, subject string) conversation.ConversationID {
	d, err := f.e.Deliver(context.Background(), System, Incoming{Account: f.acct.ID, Message: conversation.Message{
		From: conversation.Address{Address: "kim@example.com"}, To: []conversation.Address{{Address: "support@acme.test"}},
		Subject: subject, HeaderID: subject + "@example.com"}})
	require.NoError(t, err)
	return d.Conversations[0]
}

// merge runs mergeLabelsAndTasks in one operation the way merge will:
// both conversations changed in place, then both written.
func (f *mergeFixture) merge(t *testing.T, from, into conversation.ConversationID) {
	err := f.e.update(context.Background(), System, func(o *op) error {
		src, err := o.tx.Conversation(o.ctx, from)
		if err != nil {
			return err
		}
		if err := o.load(into); err != nil {
			return err
		}
		if err := o.mergeLabelsAndTasks(src, o.conv); err != nil {
			return err
		}
		o.touch(false)
		src.MergedInto = into
		if err := o.switchTo(src, false); err != nil {
			return err
		}
		o.touch(false)
		return nil
	})
	require.NoError(t, err)
}

// Given conversations X (labels L1, assignee A, task T) and Y (label L2, assignee B), when X is merged into Y, then Y has L1 and L2, assignees A and B, and task T. — F3:7892
// Assignees are merge's own part (the threading issue); this proves the
// labels and tasks.
func TestTLTG_05_81_MergeCombinesLabelsAndMovesTasks(t *testing.T) {
	ctx := context.Background()
	f := newMergeFixture(t)
	x, y := f.deliver(t, "X"), f.deliver(t, "Y")
	l1, err := f.e.CreateLabel(ctx, AsUser(f.a.ID), LabelSpec{Name: "L1", AutoShared: []conversation.UserID{f.c.ID}})
	require.NoError(t, err)
	l2, err := f.e.CreateLabel(ctx, AsUser(f.a.ID), LabelSpec{Name: "L2"})
	require.NoError(t, err)
	require.NoError(t, f.e.ApplyLabel(ctx, AsUser(f.a.ID), x, l1.ID))
	require.NoError(t, f.e.ApplyLabel(ctx, AsUser(f.a.ID), y, l2.ID))
	require.NoError(t, f.e.Assign(ctx, AsUser(f.a.ID), x, []conversation.UserID{f.a.ID}, Replace))
	require.NoError(t, f.e.Assign(ctx, AsUser(f.a.ID), y, []conversation.UserID{f.b.ID}, Replace))
	task, err := f.e.CreateTask(ctx, AsUser(f.a.ID), TaskSpec{Conversation: x, Title: "T", Assignees: []conversation.UserID{f.a.ID}})
	require.NoError(t, err)

	f.merge(t, x, y)
	v, err := f.e.Get(ctx, AsUser(f.a.ID), y)
	require.NoError(t, err)
	assert.ElementsMatch(t, []conversation.LabelID{l1.ID, l2.ID}, v.Conversation.Labels)
	tasks, err := f.e.ConversationTasks(ctx, AsUser(f.a.ID), y)
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	assert.Equal(t, task.ID, tasks[0].ID)
	assert.Equal(t, y, tasks[0].Conversation)
	var left []*conversation.Task
	require.NoError(t, f.e.Store().View(ctx, func(tx storage.ReadTx) error {
		left, err = tx.ConversationTasks(ctx, x) // x is a tombstone: read the store
		return err
	}))
	assert.Empty(t, left)
	// L1's auto-shared user follows the label to Y.
	ok, err := f.e.CanSee(ctx, AsUser(f.c.ID), y)
	require.NoError(t, err)
	assert.True(t, ok)
	// The "Assigned to (A)" filter finds Y through the moved task.
	p, err := f.e.List(ctx, AsUser(f.b.ID), MailboxOf(conversation.All), ListOptions{AssignedTo: f.a.ID})
	require.NoError(t, err)
	var ids []conversation.ConversationID
	for _, s := range p.Items {
		ids = append(ids, s.ID)
	}
	assert.Contains(t, ids, y)
	// The tombstone is in no label mailbox any more.
	n, err := f.e.Count(ctx, AsUser(f.a.ID), LabelMailbox(l1.ID))
	require.NoError(t, err)
	assert.Equal(t, 1, n.Total)
}

// Merging two conversations whose shared labels add up to more than 100
// keeps into's labels and the oldest of from's, up to 100; email labels
// are kept whatever the count.
func TestMergeLabelsOverflow(t *testing.T) {
	ctx := context.Background()
	f := newMergeFixture(t)
	x, y := f.deliver(t, "X"), f.deliver(t, "Y")
	var fromLabels []conversation.LabelID
	for i := range 120 {
		l, err := f.e.CreateLabel(ctx, AsUser(f.a.ID), LabelSpec{Name: fmt.Sprintf("L%03d", i)})
		require.NoError(t, err)
		target := y
		if i >= 60 {
			target = x
			fromLabels = append(fromLabels, l.ID)
		}
		require.NoError(t, f.e.ApplyLabel(ctx, AsUser(f.a.ID), target, l.ID))
	}
	gmail, err := f.e.CreateLabel(ctx, AsUser(f.a.ID), LabelSpec{Kind: conversation.EmailLabel, Account: f.acct.ID, Name: "Synced"})
	require.NoError(t, err)
	require.NoError(t, f.e.ApplyLabel(ctx, AsUser(f.a.ID), x, gmail.ID))
	f.merge(t, x, y)
	v, err := f.e.Get(ctx, AsUser(f.a.ID), y)
	require.NoError(t, err)
	assert.Len(t, v.Conversation.Labels, labels.MaxSharedPerConversation+1)
	assert.Contains(t, v.Conversation.Labels, gmail.ID)
	assert.Subset(t, v.Conversation.Labels, fromLabels[:40], "the oldest of from's fit")
	for _, id := range fromLabels[40:] {
		assert.NotContains(t, v.Conversation.Labels, id)
	}
}
