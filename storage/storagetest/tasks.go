package storagetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

func newTask(org conversation.OrgID, c conversation.ConversationID, assignees ...conversation.UserID) *conversation.Task {
	t := &conversation.Task{ID: newID[conversation.TaskID](), Org: org, Kind: conversation.Standalone, Title: "Renew domain",
		Description: "before May", Status: conversation.ToDo, Due: conversation.Date{Year: 2025, Month: 5, Day: 1},
		CreatedBy: newID[conversation.UserID](), CreatedAt: at(1), UpdatedAt: at(2)}
	if !c.IsZero() {
		t.Kind, t.Conversation = conversation.Subtask, c
	}
	t.Assignees = slices.SortedFunc(slices.Values(assignees), conversation.UserID.Compare)
	return t
}

func taskIDs(ts []*conversation.Task) []conversation.TaskID {
	return ids(ts, func(t *conversation.Task) conversation.TaskID { return t.ID })
}

// testTasks covers task reads and writes: round trips, the task indexes
// (organization, assignee, team; open and closed) with pagination, the
// conversation and comment lookups, validation, versions and the
// DeleteConversation cascade.
func testTasks(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := context.Background()
	org := newOrg()
	c := newConversation(org.ID)
	a, b := newID[conversation.UserID](), newID[conversation.UserID]()
	team := newID[conversation.TeamID]()
	standalone := newTask(org.ID, conversation.ConversationID{}, a)
	standalone.Team = team
	sub1 := newTask(org.ID, c.ID, a, b)
	sub1.SourceComment = newID[conversation.CommentID]()
	sub2 := newTask(org.ID, c.ID, b)
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.PutOrg(ctx, org))
		require.NoError(t, tx.CreateConversation(ctx, c))
		for _, task := range []*conversation.Task{standalone, sub1, sub2} {
			require.NoError(t, tx.CreateTask(ctx, task))
			assert.Equal(t, uint64(1), task.Version)
		}
		return nil
	})
	assert.Equal(t, sub1, mustRead(t, s, func(tx storage.ReadTx) (*conversation.Task, error) { return tx.Task(ctx, sub1.ID) }))
	assert.Equal(t, sub1, mustRead(t, s, func(tx storage.ReadTx) (*conversation.Task, error) { return tx.TaskByComment(ctx, sub1.SourceComment) }))
	assert.Equal(t, []conversation.TaskID{sub1.ID, sub2.ID}, taskIDs(mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Task, error) {
		return tx.ConversationTasks(ctx, c.ID)
	})))
	list := func(idx storage.TaskIndex, after conversation.TaskID, limit int) []conversation.TaskID {
		return taskIDs(mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Task, error) { return tx.ListTasks(ctx, idx, after, limit) }))
	}
	assert.Equal(t, []conversation.TaskID{sub2.ID, sub1.ID, standalone.ID}, list(storage.TaskIndex{Org: org.ID}, conversation.TaskID{}, 10), "newest first")
	assert.Equal(t, []conversation.TaskID{sub1.ID}, list(storage.TaskIndex{Org: org.ID}, sub2.ID, 1), "after a cursor")
	assert.Equal(t, []conversation.TaskID{sub1.ID, standalone.ID}, list(storage.TaskIndex{Org: org.ID, Assignee: a}, conversation.TaskID{}, 10))
	assert.Equal(t, []conversation.TaskID{standalone.ID}, list(storage.TaskIndex{Org: org.ID, Team: team}, conversation.TaskID{}, 10))
	assert.Empty(t, list(storage.TaskIndex{Org: org.ID, Closed: true}, conversation.TaskID{}, 10))
	_, err := read(t, s, func(tx storage.ReadTx) ([]*conversation.Task, error) {
		return tx.ListTasks(ctx, storage.TaskIndex{Org: org.ID, Assignee: a, Team: team}, conversation.TaskID{}, 10)
	})
	assert.ErrorIs(t, err, conversation.ErrInvalidArgument)

	// Closing moves the task to the closed indexes; reassigning re-indexes.
	stale := sub1.Clone()
	sub1.Status, sub1.Assignees = conversation.TaskClosed, []conversation.UserID{b}
	update(t, s, func(tx storage.Tx) error { return tx.UpdateTask(ctx, sub1) })
	assert.Equal(t, uint64(2), sub1.Version)
	assert.Equal(t, []conversation.TaskID{sub1.ID}, list(storage.TaskIndex{Org: org.ID, Assignee: b, Closed: true}, conversation.TaskID{}, 10))
	assert.Equal(t, []conversation.TaskID{standalone.ID}, list(storage.TaskIndex{Org: org.ID, Assignee: a}, conversation.TaskID{}, 10))
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.UpdateTask(ctx, stale) })
	assert.ErrorIs(t, err, conversation.ErrConflict)

	// Validation and references.
	for name, tc := range map[string]struct {
		task *conversation.Task
		want error
	}{
		"missing conversation": {newTask(org.ID, newID[conversation.ConversationID]()), conversation.ErrNotFound},
		"invalid":              {&conversation.Task{ID: newID[conversation.TaskID](), Org: org.ID, Kind: conversation.Standalone}, conversation.ErrInvalidArgument},
		"other organization":   {newTask(newID[conversation.OrgID](), c.ID), conversation.ErrInvalidArgument},
		"comment already used": {func() *conversation.Task { x := newTask(org.ID, c.ID); x.SourceComment = sub1.SourceComment; return x }(), conversation.ErrConflict},
		"existing ID":          {standalone, conversation.ErrConflict},
	} {
		err := s.Update(ctx, func(tx storage.Tx) error { return tx.CreateTask(ctx, tc.task) })
		assert.ErrorIs(t, err, tc.want, name)
	}

	// Rollback and delete.
	boom := errors.New("boom")
	err = s.Update(ctx, func(tx storage.Tx) error {
		require.NoError(t, tx.DeleteTask(ctx, standalone.ID))
		require.NoError(t, tx.CreateTask(ctx, newTask(org.ID, conversation.ConversationID{}, a)))
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, []conversation.TaskID{standalone.ID}, list(storage.TaskIndex{Org: org.ID, Assignee: a}, conversation.TaskID{}, 10), "rolled back")
	update(t, s, func(tx storage.Tx) error { return tx.DeleteTask(ctx, standalone.ID) })
	assert.Empty(t, list(storage.TaskIndex{Org: org.ID, Team: team}, conversation.TaskID{}, 10))
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.DeleteTask(ctx, standalone.ID) })
	assert.ErrorIs(t, err, conversation.ErrNotFound)
	update(t, s, func(tx storage.Tx) error { return tx.DeleteConversation(ctx, c.ID) })
	assert.Empty(t, list(storage.TaskIndex{Org: org.ID}, conversation.TaskID{}, 10), "deleting a conversation deletes its subtasks")
	_, err = read(t, s, func(tx storage.ReadTx) (*conversation.Task, error) { return tx.TaskByComment(ctx, sub1.SourceComment) })
	assert.ErrorIs(t, err, conversation.ErrNotFound)
}
