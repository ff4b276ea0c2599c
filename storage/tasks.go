package storage

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
)

// TaskIndex names one task index: the tasks of Org (Assignee and Team
// zero), those assigned to Assignee, or those of Team (set one of the two
// at most), either open ones (To-do and In progress) or, with Closed set,
// closed ones.
type TaskIndex struct {
	Org      conversation.OrgID
	Assignee conversation.UserID
	Team     conversation.TeamID
	Closed   bool
}

// TaskReader reads tasks (subtasks and standalone tasks); part of
// [ReadTx].
type TaskReader interface {
	// Task returns a task, ErrNotFound if none.
	Task(ctx context.Context, id conversation.TaskID) (*conversation.Task, error)
	// ConversationTasks returns the subtasks of conversation c, oldest
	// first (by ID).
	ConversationTasks(ctx context.Context, c conversation.ConversationID) ([]*conversation.Task, error)
	// TaskByComment returns the task made from comment id, ErrNotFound if
	// none.
	TaskByComment(ctx context.Context, id conversation.CommentID) (*conversation.Task, error)
	// ListTasks reads a task index newest first (descending ID), up to
	// limit tasks strictly after the task ID after (zero: the start). Its
	// cost must not depend on the size of other indexes nor on how many
	// entries precede after. ErrInvalidArgument if idx sets both Assignee
	// and Team.
	ListTasks(ctx context.Context, idx TaskIndex, after conversation.TaskID, limit int) ([]*conversation.Task, error)
}

// TaskWriter writes tasks; part of [Tx]. DeleteConversation deletes the
// conversation's subtasks too.
type TaskWriter interface {
	// CreateTask stores a new task with Version 1 (the store sets
	// t.Version). ErrConflict if the ID exists, or if t.SourceComment is
	// set and another task was made from that comment; ErrNotFound if
	// t.Conversation is set and does not exist; ErrInvalidArgument if the
	// task breaks conversation.Task.Validate.
	CreateTask(ctx context.Context, t *conversation.Task) error
	// UpdateTask replaces a task (moving it to another conversation
	// included). t.Version must equal the stored Version (ErrConflict
	// otherwise; ErrNotFound if none); the store increments it and sets
	// t.Version. The same checks as CreateTask apply.
	UpdateTask(ctx context.Context, t *conversation.Task) error
	// DeleteTask removes a task, ErrNotFound if none.
	DeleteTask(ctx context.Context, id conversation.TaskID) error
}
