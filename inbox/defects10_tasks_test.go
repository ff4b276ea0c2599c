package inbox_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/storage/memory"
)

// taskReadStore counts how often operations read all the tasks of a
// conversation: the work a comment's task lines cause, in reads.
type taskReadStore struct {
	storage.Store
	reads atomic.Int64
}

type taskReadTx struct {
	storage.Tx
	s *taskReadStore
}

func (s *taskReadStore) Update(ctx context.Context, fn func(storage.Tx) error) error {
	return s.Store.Update(ctx, func(tx storage.Tx) error { return fn(taskReadTx{tx, s}) })
}

func (tx taskReadTx) ConversationTasks(ctx context.Context, c conversation.ConversationID) ([]*conversation.Task, error) {
	tx.s.reads.Add(1)
	return tx.Tx.ConversationTasks(ctx, c)
}

func taskLines(n int, prefix string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[ ] %s task %d @b\n", prefix, i)
	}
	return b.String()
}

// Issue 10 point 8: a comment's task lines cost linear work. Each "[ ]"
// line used to re-read and re-tally every subtask of the conversation
// (n lines: n reads of up to n tasks); the subtasks of one comment are now
// tallied once, whatever their number.
func TestDefect10_8_TaskLinesAreTalliedOnce(t *testing.T) {
	ctx := context.Background()
	s := &taskReadStore{Store: memory.New()}
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Store: s}})
	c, _ := scvSupport(a, "Tasks")
	for _, n := range []int{10, 200} {
		s.reads.Store(0)
		_, err := a.Engine.Comment(ctx, a.As("A"), c, inbox.NewComment{Body: taskLines(n, fmt.Sprint(n))})
		require.NoError(t, err)
		assert.LessOrEqual(t, s.reads.Load(), int64(2), "%d task lines: reads of the conversation's tasks", n)
	}
	tasks, err := a.Engine.ConversationTasks(ctx, a.As("A"), c)
	require.NoError(t, err)
	assert.Len(t, tasks, 210)
	v := a.Conv("A", c)
	assert.Equal(t, a.IDs("B"), v.Conversation.TaskAssignees, "tallied")
	assert.True(t, scvCanSee(t, a, "B", c))
}

// Issue 10 point 8: each input a member sends is bounded by a documented
// limit answered with ErrLimitReached, and a refused comment stores
// nothing: body size, task lines per comment, tasks per conversation,
// mentions per comment.
func TestDefect10_8_CommentLimits(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Limits: inbox.Limits{
		MaxCommentSize: 2000, MaxTaskLines: 5, MaxConversationTasks: 8, MaxMentions: 3}}})
	c, _ := scvSupport(a, "Limits")
	comment := func(body string) error {
		_, err := a.Engine.Comment(ctx, a.As("A"), c, inbox.NewComment{Body: body})
		return err
	}
	refused := map[string]string{
		"body size":  strings.Repeat("x", 2001),
		"task lines": taskLines(6, "six"),
		"mentions":   "@a @b @c @m",
	}
	for name, body := range refused {
		err := comment(body)
		assert.ErrorIs(t, err, inbox.ErrLimitReached, name)
	}
	assert.Empty(t, a.Conv("A", c).Comments, "refused comments store nothing")

	require.NoError(t, comment(strings.Repeat("x", 2000)), "at the size limit")
	require.NoError(t, comment(taskLines(5, "five")), "at the task line limit")
	require.NoError(t, comment("@a @b @c hello"), "at the mention limit")
	require.NoError(t, comment("@b @b @b @b @b"), "one distinct mention")
	err := comment(taskLines(4, "four"))
	assert.ErrorIs(t, err, inbox.ErrLimitReached, "5 + 4 tasks exceed the conversation's 8")
	_, err = a.Engine.CreateTask(ctx, a.As("A"), inbox.TaskSpec{Conversation: c, Title: "sixth"})
	require.NoError(t, err)
	_, err = a.Engine.CreateTask(ctx, a.As("A"), inbox.TaskSpec{Conversation: c, Title: "7"})
	require.NoError(t, err)
	_, err = a.Engine.CreateTask(ctx, a.As("A"), inbox.TaskSpec{Conversation: c, Title: "8"})
	require.NoError(t, err)
	_, err = a.Engine.CreateTask(ctx, a.As("A"), inbox.TaskSpec{Conversation: c, Title: "9"})
	assert.ErrorIs(t, err, inbox.ErrLimitReached)
	own, err := a.Engine.Comment(ctx, a.As("A"), c, inbox.NewComment{Body: "make me a task"})
	require.NoError(t, err)
	_, err = a.Engine.CommentToTask(ctx, a.As("A"), c, own)
	assert.ErrorIs(t, err, inbox.ErrLimitReached)
	tasks, err := a.Engine.ConversationTasks(ctx, a.As("A"), c)
	require.NoError(t, err)
	assert.Len(t, tasks, 8)
	// Standalone tasks are not a conversation's.
	_, err = a.Engine.CreateTask(ctx, a.As("A"), inbox.TaskSpec{Title: "standalone"})
	assert.NoError(t, err)
}
