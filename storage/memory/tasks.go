package memory

import (
	"context"

	"github.com/google/btree"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// taskState holds tasks and their indexes.
type taskState struct {
	tasks     map[conversation.TaskID]*conversation.Task
	convTasks map[conversation.ConversationID]*btree.BTreeG[conversation.TaskID]
	// commentTask maps a comment to the task made from it.
	commentTask map[conversation.CommentID]conversation.TaskID
	// taskIndex holds the storage.TaskIndex sets, each by ascending ID.
	taskIndex map[storage.TaskIndex]*btree.BTreeG[conversation.TaskID]
}

func (s *taskState) init() {
	s.tasks = make(map[conversation.TaskID]*conversation.Task)
	s.convTasks = make(map[conversation.ConversationID]*btree.BTreeG[conversation.TaskID])
	s.commentTask = make(map[conversation.CommentID]conversation.TaskID)
	s.taskIndex = make(map[storage.TaskIndex]*btree.BTreeG[conversation.TaskID])
}

// taskKeys returns the indexes listing t.
func taskKeys(t *conversation.Task) []storage.TaskIndex {
	closed := !t.Open()
	keys := []storage.TaskIndex{{Org: t.Org, Closed: closed}}
	for _, u := range t.Assignees {
		keys = append(keys, storage.TaskIndex{Org: t.Org, Assignee: u, Closed: closed})
	}
	if !t.Team.IsZero() {
		keys = append(keys, storage.TaskIndex{Org: t.Org, Team: t.Team, Closed: closed})
	}
	return keys
}

func notFoundTask(id conversation.TaskID) error {
	return conversation.Errorf(conversation.ErrNotFound, "task %s does not exist", id)
}

// Task implements [storage.ReadTx].
func (s *state) Task(_ context.Context, id conversation.TaskID) (*conversation.Task, error) {
	t := s.tasks[id]
	if t == nil {
		return nil, notFoundTask(id)
	}
	return t.Clone(), nil
}

// ConversationTasks implements [storage.ReadTx].
func (s *state) ConversationTasks(_ context.Context, c conversation.ConversationID) ([]*conversation.Task, error) {
	return collect(s.convTasks[c], func(id conversation.TaskID) *conversation.Task { return s.tasks[id].Clone() }), nil
}

// TaskByComment implements [storage.ReadTx].
func (s *state) TaskByComment(_ context.Context, id conversation.CommentID) (*conversation.Task, error) {
	tid, ok := s.commentTask[id]
	if !ok {
		return nil, conversation.Errorf(conversation.ErrNotFound, "no task was made from comment %s", id)
	}
	return s.tasks[tid].Clone(), nil
}

// ListTasks implements [storage.ReadTx] in O(log n + limit).
func (s *state) ListTasks(_ context.Context, idx storage.TaskIndex, after conversation.TaskID, limit int) ([]*conversation.Task, error) {
	if !idx.Assignee.IsZero() && !idx.Team.IsZero() {
		return nil, conversation.Errorf(conversation.ErrInvalidArgument, "a task index is by assignee or by team, not both")
	}
	tr := s.taskIndex[idx]
	if tr == nil || limit <= 0 {
		return nil, nil
	}
	out := make([]*conversation.Task, 0, min(limit, tr.Len()))
	visit := func(id conversation.TaskID) bool {
		if id == after {
			return true
		}
		out = append(out, s.tasks[id].Clone())
		return len(out) < limit
	}
	if after.IsZero() {
		tr.Descend(visit)
	} else {
		tr.DescendLessOrEqual(after, visit)
	}
	return out, nil
}

// CreateTask implements [storage.Tx].
func (t *writeTx) CreateTask(_ context.Context, task *conversation.Task) error {
	if task == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "CreateTask: nil task")
	}
	if t.tasks[task.ID] != nil {
		return conversation.Errorf(conversation.ErrConflict, "task %s exists", task.ID)
	}
	nt := task.Clone()
	nt.Version = 1
	if err := t.checkTask(nt); err != nil {
		return err
	}
	t.indexTask(nt)
	setField(t, &task.Version, nt.Version)
	return nil
}

// UpdateTask implements [storage.Tx].
func (t *writeTx) UpdateTask(_ context.Context, task *conversation.Task) error {
	if task == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "UpdateTask: nil task")
	}
	old := t.tasks[task.ID]
	switch {
	case old == nil:
		return notFoundTask(task.ID)
	case old.Version != task.Version:
		return conversation.Errorf(conversation.ErrConflict, "task %s is at version %d, the update is based on version %d", task.ID, old.Version, task.Version)
	}
	nt := task.Clone()
	nt.Version++
	if err := t.checkTask(nt); err != nil {
		return err
	}
	t.unindexTask(old)
	t.indexTask(nt)
	setField(t, &task.Version, nt.Version)
	return nil
}

// DeleteTask implements [storage.Tx].
func (t *writeTx) DeleteTask(_ context.Context, id conversation.TaskID) error {
	old := t.tasks[id]
	if old == nil {
		return notFoundTask(id)
	}
	t.unindexTask(old)
	return nil
}

// deleteConversationTasks deletes the subtasks of conversation c.
func (t *writeTx) deleteConversationTasks(c conversation.ConversationID) {
	for _, id := range collect(t.convTasks[c], func(id conversation.TaskID) conversation.TaskID { return id }) {
		t.unindexTask(t.tasks[id])
	}
}

func (t *writeTx) checkTask(task *conversation.Task) error {
	if err := task.Validate(); err != nil {
		return err
	}
	if !task.Conversation.IsZero() {
		rec := t.convs[task.Conversation]
		if rec == nil {
			return notFoundConversation(task.Conversation)
		}
		if rec.conv.Org != task.Org {
			return conversation.Errorf(conversation.ErrInvalidArgument, "task %s and conversation %s are in different organizations", task.ID, task.Conversation)
		}
	}
	if !task.SourceComment.IsZero() {
		if other, ok := t.commentTask[task.SourceComment]; ok && other != task.ID {
			return conversation.Errorf(conversation.ErrConflict, "comment %s already is task %s", task.SourceComment, other)
		}
	}
	return nil
}

func (t *writeTx) indexTask(task *conversation.Task) {
	setMap(t, t.tasks, task.ID, task)
	for _, k := range taskKeys(task) {
		treeInsert(t, idSet(t.taskIndex, k), task.ID)
	}
	if !task.Conversation.IsZero() {
		treeInsert(t, idSet(t.convTasks, task.Conversation), task.ID)
	}
	if !task.SourceComment.IsZero() {
		setMap(t, t.commentTask, task.SourceComment, task.ID)
	}
}

func (t *writeTx) unindexTask(task *conversation.Task) {
	deleteMap(t, t.tasks, task.ID)
	for _, k := range taskKeys(task) {
		treeDelete(t, idSet(t.taskIndex, k), task.ID)
	}
	if !task.Conversation.IsZero() {
		treeDelete(t, idSet(t.convTasks, task.Conversation), task.ID)
	}
	if !task.SourceComment.IsZero() {
		deleteMap(t, t.commentTask, task.SourceComment)
	}
}
