package inbox

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/guests"
	"github.com/inboxkit/inboxkit/storage"
)

// Task notification reasons (sent only to users who did not turn task
// notifications off, Prefs.NoTaskNotifications).
const (
	// TaskAssigned: a task was assigned to the user.
	TaskAssigned Reason = iota + 100
	// TaskCompleted: a task of the user's was closed by someone else.
	TaskCompleted
	// TaskInProgress: a task of the user's was marked in progress.
	TaskInProgress
	// TaskAssigneesChanged: the assignees of a task of the user's changed.
	TaskAssigneesChanged
)

// TaskSpec describes a new task for [Engine.CreateTask].
type TaskSpec struct {
	// Conversation makes the task a subtask of that conversation; zero
	// makes it a standalone task.
	Conversation conversation.ConversationID
	// Title is the task's title. With Quick set it is read as quick entry:
	// "@handle" assigns a user or sets the team, and a date phrase
	// ("tomorrow", "friday", "Dec 24") sets the due date; both are taken out
	// of the title (conversation.ParseTaskTitle).
	Title string
	Quick bool
	// Location is the time zone "today" is read in for quick-entry dates;
	// nil means UTC.
	Location    *time.Location
	Description string
	// Status defaults to To-do.
	Status    conversation.TaskStatus
	Team      conversation.TeamID
	Assignees []conversation.UserID
	Due       conversation.Date
}

// TaskPatch changes a task; nil fields are left alone.
type TaskPatch struct {
	Title       *string
	Description *string
	Team        *conversation.TeamID
	Assignees   *[]conversation.UserID
	Due         *conversation.Date
}

// CreateTask creates a subtask (in a conversation the actor can see) or a
// standalone task. Assignees must be organization members, never guests; a
// subtask's assignees gain access to its conversation but get no Inbox
// placement. Members only; a subtask's conversation is loaded first, so a
// guest without a grant on it gets ErrNotFound.
func (e *Engine) CreateTask(ctx context.Context, actor Actor, spec TaskSpec) (*conversation.Task, error) {
	var out *conversation.Task
	err := e.update(ctx, actor, func(o *op) error {
		if !spec.Conversation.IsZero() {
			if _, err := o.loadAs(spec.Conversation); err != nil {
				return err
			}
		}
		u, err := o.member()
		if err != nil {
			return err
		}
		t := &conversation.Task{ID: conversation.TaskID(o.e.newID()), Org: u.Org, Kind: conversation.Standalone,
			Title: strings.TrimSpace(spec.Title), Description: spec.Description, Status: spec.Status, Team: spec.Team,
			Due: spec.Due, CreatedBy: u.ID, CreatedAt: o.now, UpdatedAt: o.now}
		if t.Status == 0 {
			t.Status = conversation.ToDo
		}
		assignees := slices.Clone(spec.Assignees)
		if spec.Quick {
			loc := spec.Location
			if loc == nil {
				loc = time.UTC
			}
			q := conversation.ParseTaskTitle(spec.Title, conversation.DateOf(o.now.In(loc)))
			t.Title = q.Title
			if !q.Due.IsZero() {
				t.Due = q.Due
			}
			users, team, err := o.resolveTaskMentions(u.Org, q.Mentions)
			if err != nil {
				return err
			}
			assignees = append(assignees, users...)
			if !team.IsZero() && t.Team.IsZero() {
				t.Team = team
			}
		}
		if !spec.Conversation.IsZero() {
			t.Kind, t.Conversation = conversation.Subtask, spec.Conversation
		}
		if err := o.createTask(t, assignees); err != nil {
			return err
		}
		out = t.Clone()
		return nil
	})
	return out, err
}

// createTask validates and stores t with assignees, gives a subtask's
// assignees access, and records the change.
func (o *op) createTask(t *conversation.Task, assignees []conversation.UserID) error {
	if t.Kind == conversation.Subtask {
		if err := o.taskRoom(1); err != nil {
			return err
		}
	}
	if err := o.storeTask(t, assignees); err != nil {
		return err
	}
	return o.taskChanged(t, conversation.TaskCreated, t.Assignees)
}

// storeTask validates and stores a new task t with assignees and notifies
// them; the caller brings the conversation in step (tasksChanged).
func (o *op) storeTask(t *conversation.Task, assignees []conversation.UserID) error {
	if err := o.checkTaskTeam(t); err != nil {
		return err
	}
	var err error
	if t.Assignees, err = o.taskAssignees(t.Org, assignees); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if err := o.tx.CreateTask(o.ctx, t); err != nil {
		return err
	}
	o.taskNotify(t, t.Assignees, TaskAssigned)
	return nil
}

// taskRoom refuses with ErrLimitReached when n more subtasks would take
// the operation's conversation over Limits.MaxConversationTasks.
func (o *op) taskRoom(n int) error {
	tasks, err := o.tx.ConversationTasks(o.ctx, o.conv.ID)
	if err != nil {
		return err
	}
	if have, max := len(tasks), o.e.limits.MaxConversationTasks; have+n > max {
		return conversation.Errorf(ErrLimitReached, "too many tasks: the conversation holds %d, %d more would exceed the limit of %d", have, n, max)
	}
	return nil
}

// taskAssignees validates assignees (the single "members only, never
// guests" check, conversation.CanBeAssignedTask) and returns them sorted
// and unique.
func (o *op) taskAssignees(org conversation.OrgID, users []conversation.UserID) ([]conversation.UserID, error) {
	out := slices.SortedFunc(slices.Values(users), conversation.UserID.Compare)
	out = slices.Compact(out)
	for _, id := range out {
		if err := needID("assignee", id); err != nil {
			return nil, err
		}
		u, err := o.tx.User(o.ctx, id)
		if isNotFound(err) {
			return nil, conversation.Errorf(ErrNotFound, "user %s", id)
		}
		if err != nil {
			return nil, err
		}
		if err := conversation.CanBeAssignedTask(u, org); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// checkTaskTeam checks that the task's team is a team of its organization.
func (o *op) checkTaskTeam(t *conversation.Task) error {
	if t.Team.IsZero() {
		return nil
	}
	team, err := o.tx.Team(o.ctx, t.Team)
	if isNotFound(err) || (err == nil && team.Org != t.Org) {
		return conversation.Errorf(ErrNotFound, "team %s", t.Team)
	}
	return err
}

// resolveTaskMentions maps quick-entry handles to users and the first
// team named; unknown handles are ignored (they were just text).
func (o *op) resolveTaskMentions(org conversation.OrgID, handles []string) ([]conversation.UserID, conversation.TeamID, error) {
	var users []conversation.UserID
	var team conversation.TeamID
	for _, h := range handles {
		u, err := o.tx.UserByHandle(o.ctx, org, h)
		switch {
		case err == nil:
			users = append(users, u.ID)
			continue
		case !isNotFound(err):
			return nil, team, err
		}
		t, err := o.tx.TeamByHandle(o.ctx, org, h)
		switch {
		case err == nil:
			if team.IsZero() {
				team = t.ID
			}
		case !isNotFound(err):
			return nil, team, err
		}
	}
	return users, team, nil
}

// taskChanged brings the operation's conversation (a subtask's) in step
// with its tasks after task t changed: assignees gain access, the "Assigned
// to" filter's TaskAssignees are recomputed, and the change is on the
// timeline. Standalone tasks have no conversation and no timeline.
func (o *op) taskChanged(t *conversation.Task, change conversation.TaskChange, added []conversation.UserID) error {
	return o.tasksChanged(change, added, t)
}

// tasksChanged is taskChanged for several tasks that changed the same way
// in one operation (the task lines of a comment): the conversation is
// re-tallied once, so the work is linear in the number of tasks.
func (o *op) tasksChanged(change conversation.TaskChange, added []conversation.UserID, tasks ...*conversation.Task) error {
	if o.conv == nil {
		return nil
	}
	tasks = slices.DeleteFunc(slices.Clone(tasks), func(t *conversation.Task) bool { return t.Conversation != o.conv.ID })
	if len(tasks) == 0 {
		return nil
	}
	c := o.conv
	// Only the assignees this change adds gain access: an assignee who
	// lost access since (removed from the conversation, a sharing that
	// ended) does not get it back from an edit of the task.
	for _, a := range added {
		if !conversation.CanAccess(c, &conversation.User{ID: a, Org: c.Org}, o.peek(a), o.teams) {
			conversation.AddSorted(&c.Users, a)
			o.restore(a)
		}
	}
	if err := o.retally(); err != nil {
		return err
	}
	// A task change brings the conversation back to its watchers' Inbox, as
	// a comment does.
	o.wakeWatchers(o.actor.user, 0, false)
	for _, t := range tasks {
		o.emit(conversation.Event{Type: conversation.EventTaskChanged, Task: t.ID, TaskChange: change})
	}
	o.touch(true)
	return nil
}

// retally recomputes the operation's conversation's TaskAssignees from
// its open subtasks.
func (o *op) retally() error {
	c := o.conv
	tasks, err := o.tx.ConversationTasks(o.ctx, c.ID)
	if err != nil {
		return err
	}
	var users []conversation.UserID
	for _, t := range tasks {
		if t.Open() {
			users = append(users, t.Assignees...)
		}
	}
	slices.SortFunc(users, conversation.UserID.Compare)
	users = slices.Compact(users)
	if len(users) == 0 {
		users = nil
	}
	if !slices.Equal(users, c.TaskAssignees) {
		c.TaskAssignees = users
		o.touch(false)
	}
	return nil
}

// taskNotify notifies users of a task change, except the actor and users
// who turned task notifications off.
func (o *op) taskNotify(t *conversation.Task, users []conversation.UserID, r Reason) {
	for _, id := range users {
		if id == o.actor.user {
			continue
		}
		u, err := o.tx.User(o.ctx, id)
		if err != nil || u.Prefs.NoTaskNotifications {
			continue
		}
		o.out.notes = append(o.out.notes, Notification{User: id, Conversation: t.Conversation, Task: t.ID, Reason: r, Actor: o.actor.user, At: o.now})
	}
}

// loadTask loads a task the actor may change: a standalone task of their
// organization, or a subtask of a conversation they can see (loaded as
// the operation's conversation). Anything else is ErrNotFound, for guests
// too (they see no standalone task); a task a guest sees is then
// ErrGuestForbidden.
func (o *op) loadTask(id conversation.TaskID) (*conversation.Task, error) {
	if err := needID("task", id); err != nil {
		return nil, err
	}
	if o.user == nil {
		return nil, conversation.Errorf(ErrForbidden, "this operation needs a user actor")
	}
	u := o.user
	t, err := o.tx.Task(o.ctx, id)
	if isNotFound(err) || (err == nil && (t.Org != u.Org || (t.Conversation.IsZero() && u.Role == conversation.RoleGuest))) {
		return nil, conversation.Errorf(ErrNotFound, "task %s", id)
	}
	if err != nil {
		return nil, err
	}
	if !t.Conversation.IsZero() {
		if err := o.load(t.Conversation); err != nil {
			if isNotFound(err) {
				return nil, conversation.Errorf(ErrNotFound, "task %s", id)
			}
			return nil, err
		}
	}
	if _, err := o.member(); err != nil {
		return nil, err
	}
	return t, nil
}

// UpdateTask edits a task's title, description, team, assignees or due date.
// New assignees are notified.
func (e *Engine) UpdateTask(ctx context.Context, actor Actor, id conversation.TaskID, p TaskPatch) error {
	return e.update(ctx, actor, func(o *op) error {
		t, err := o.loadTask(id)
		if err != nil {
			return err
		}
		change := conversation.TaskEdited
		if p.Title != nil {
			t.Title = strings.TrimSpace(*p.Title)
		}
		if p.Description != nil {
			t.Description = *p.Description
		}
		if p.Due != nil {
			t.Due = *p.Due
		}
		if p.Team != nil {
			t.Team = *p.Team
			if err := o.checkTaskTeam(t); err != nil {
				return err
			}
		}
		var added []conversation.UserID
		if p.Assignees != nil {
			want, err := o.taskAssignees(t.Org, *p.Assignees)
			if err != nil {
				return err
			}
			if !slices.Equal(want, t.Assignees) {
				for _, a := range want {
					if !t.IsAssigned(a) {
						added = append(added, a)
					}
				}
				everyone := slices.Concat(t.Assignees, want)
				slices.SortFunc(everyone, conversation.UserID.Compare)
				o.taskNotify(t, slices.DeleteFunc(slices.Compact(everyone), func(u conversation.UserID) bool { return slices.Contains(added, u) }), TaskAssigneesChanged)
				o.taskNotify(t, added, TaskAssigned)
				t.Assignees = want
				change = conversation.TaskAssigneesChanged
			}
		}
		t.UpdatedAt = o.now
		if err := t.Validate(); err != nil {
			return err
		}
		if err := o.tx.UpdateTask(o.ctx, t); err != nil {
			return err
		}
		return o.taskChanged(t, change, added)
	})
}

// SetTaskStatus sets a task's status directly (Shift-click). Completing it
// or marking it in progress notifies its assignees.
func (e *Engine) SetTaskStatus(ctx context.Context, actor Actor, id conversation.TaskID, s conversation.TaskStatus) error {
	if !s.Valid() {
		return conversation.Errorf(ErrInvalidArgument, "unknown task status %d", s)
	}
	return e.update(ctx, actor, func(o *op) error {
		t, err := o.loadTask(id)
		if err != nil {
			return err
		}
		return o.setTaskStatus(t, s)
	})
}

// CycleTaskStatus advances a task's status as a click does: To-do, In
// progress, Closed, To-do, and returns the new one.
func (e *Engine) CycleTaskStatus(ctx context.Context, actor Actor, id conversation.TaskID) (conversation.TaskStatus, error) {
	var s conversation.TaskStatus
	err := e.update(ctx, actor, func(o *op) error {
		t, err := o.loadTask(id)
		if err != nil {
			return err
		}
		s = t.Status.Next()
		return o.setTaskStatus(t, s)
	})
	return s, err
}

func (o *op) setTaskStatus(t *conversation.Task, s conversation.TaskStatus) error {
	if t.Status == s {
		return nil
	}
	t.Status, t.UpdatedAt = s, o.now
	if err := o.tx.UpdateTask(o.ctx, t); err != nil {
		return err
	}
	switch s {
	case conversation.TaskClosed:
		o.taskNotify(t, t.Assignees, TaskCompleted)
	case conversation.InProgress:
		o.taskNotify(t, t.Assignees, TaskInProgress)
	}
	return o.taskChanged(t, conversation.TaskStatusChanged, nil)
}

// DeleteTask deletes a task. A task made from a comment goes back to being a
// plain comment: the comment itself is kept ("Remove task").
func (e *Engine) DeleteTask(ctx context.Context, actor Actor, id conversation.TaskID) error {
	return e.update(ctx, actor, func(o *op) error {
		t, err := o.loadTask(id)
		if err != nil {
			return err
		}
		if err := o.tx.DeleteTask(o.ctx, id); err != nil {
			return err
		}
		return o.taskChanged(t, conversation.TaskDeleted, nil)
	})
}

// CommentToTask turns one of the actor's own comments into a subtask ("Add
// task"): its text is the title and the users it mentions are the assignees.
// Another user's comment is ErrForbidden; a comment already turned into a
// task is ErrConflict.
func (e *Engine) CommentToTask(ctx context.Context, actor Actor, id conversation.ConversationID, comment conversation.CommentID) (*conversation.Task, error) {
	var out *conversation.Task
	err := e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAsUser(id)
		if err != nil {
			return err
		}
		if err := needID("comment", comment); err != nil {
			return err
		}
		comments, err := o.tx.Comments(o.ctx, id)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(comments, func(c *conversation.Comment) bool { return c.ID == comment })
		if i < 0 {
			return conversation.Errorf(ErrNotFound, "comment %s", comment)
		}
		cm := comments[i]
		if cm.Author != u.ID {
			return conversation.Errorf(ErrForbidden, "only your own comments become tasks")
		}
		var users []conversation.UserID
		for _, m := range cm.Mentions {
			if !m.User.IsZero() {
				users = append(users, m.User)
			}
		}
		title := strings.Join(strings.Fields(cm.Body), " ")
		if len(title) > conversation.MaxTaskTitle {
			title = truncateUTF8(title, conversation.MaxTaskTitle)
		}
		t := &conversation.Task{ID: conversation.TaskID(o.e.newID()), Org: u.Org, Kind: conversation.Subtask, Title: title,
			Status: conversation.ToDo, Conversation: id, SourceComment: comment, CreatedBy: u.ID, CreatedAt: o.now, UpdatedAt: o.now}
		if err := o.createTask(t, users); err != nil {
			return err
		}
		out = t.Clone()
		return nil
	})
	return out, err
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// tasksFromComment creates the subtasks written as "[ ]" lines of a new
// comment: "[x]" ones closed, "@handle" on a line assigning the user (or
// setting the team). Date words stay in the title. Called by Comment inside
// its operation.
func (o *op) tasksFromComment(cm *conversation.Comment) error {
	if o.user != nil && guests.CheckRole(o.user.Role, guests.CreateTask) != nil {
		return nil // a guest's "[ ]" line is text: guests create no tasks
	}
	lines := conversation.ParseTaskLines(cm.Body)
	if len(lines) == 0 {
		return nil
	}
	if n, max := len(lines), o.e.limits.MaxTaskLines; n > max {
		return conversation.Errorf(ErrLimitReached, "too many task lines: the comment holds %d, more than the limit of %d", n, max)
	}
	if err := o.taskRoom(len(lines)); err != nil {
		return err
	}
	// Each handle is resolved once per comment, however many lines name
	// it (resolveMentions bounded how many there are).
	type resolved struct {
		user conversation.UserID // a member who can be assigned, or zero
		team conversation.TeamID
	}
	handles := map[string]resolved{}
	created := make([]*conversation.Task, 0, len(lines))
	var added []conversation.UserID
	for _, ln := range lines {
		t := &conversation.Task{ID: conversation.TaskID(o.e.newID()), Org: o.conv.Org, Kind: conversation.Subtask,
			Title: truncateUTF8(ln.Title, conversation.MaxTaskTitle), Status: conversation.ToDo,
			Conversation: o.conv.ID, CreatedBy: cm.Author, CreatedAt: o.now, UpdatedAt: o.now}
		if len(lines) == 1 {
			t.SourceComment = cm.ID
		}
		if ln.Closed {
			t.Status = conversation.TaskClosed
		}
		var members []conversation.UserID
		for _, h := range ln.Mentions {
			r, ok := handles[h]
			if !ok {
				users, team, err := o.resolveTaskMentions(o.conv.Org, []string{h})
				if err != nil {
					return err
				}
				r.team = team
				if len(users) > 0 {
					if u, err := o.tx.User(o.ctx, users[0]); err == nil && conversation.CanBeAssignedTask(u, o.conv.Org) == nil {
						r.user = u.ID
					}
				}
				handles[h] = r
			}
			if !r.user.IsZero() {
				members = append(members, r.user)
			}
			if t.Team.IsZero() {
				t.Team = r.team
			}
		}
		if err := o.storeTask(t, members); err != nil {
			return err
		}
		created = append(created, t)
		added = append(added, t.Assignees...)
	}
	slices.SortFunc(added, conversation.UserID.Compare)
	return o.tasksChanged(conversation.TaskCreated, slices.Compact(added), created...)
}

// Task returns a task the actor may see (ErrNotFound otherwise).
func (e *Engine) Task(ctx context.Context, actor Actor, id conversation.TaskID) (*conversation.Task, error) {
	if err := needID("task", id); err != nil {
		return nil, err
	}
	var out *conversation.Task
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		t, err := tx.Task(ctx, id)
		if isNotFound(err) || (err == nil && !taskVisible(ctx, tx, u, t)) {
			return conversation.Errorf(ErrNotFound, "task %s", id)
		}
		out = t
		return err
	})
	return out, err
}

// taskVisible reports whether u may see task t: a standalone task of their
// organization, or a subtask of a conversation they can see. A guest sees
// the subtasks of the conversations they hold a grant for (read-only), never
// a standalone task.
func taskVisible(ctx context.Context, tx storage.ReadTx, u *conversation.User, t *conversation.Task) bool {
	if t.Org != u.Org {
		return false
	}
	if t.Conversation.IsZero() {
		return u.Role != conversation.RoleGuest
	}
	_, _, err := readable(ctx, tx, u, t.Conversation)
	return err == nil
}

// ConversationTasks returns the subtasks of a conversation the actor can
// see, oldest first (the Tasks sidebar).
func (e *Engine) ConversationTasks(ctx context.Context, actor Actor, id conversation.ConversationID) ([]*conversation.Task, error) {
	var out []*conversation.Task
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		if _, _, err := readable(ctx, tx, u, id); err != nil {
			return err
		}
		var err error
		out, err = tx.ConversationTasks(ctx, id)
		return err
	})
	return out, err
}

// TaskViewKind names a Tasks view.
type TaskViewKind uint8

// The Tasks views.
const (
	// MyTasks: tasks assigned to the actor, and conversations assigned to
	// them (conversation tasks).
	MyTasks TaskViewKind = iota
	// TeamTasks: tasks of one team (TaskQuery.Team), and the team's
	// assigned conversations; for the team's members.
	TeamTasks
	// OrgTasks: every task of the organization the actor may see.
	OrgTasks
)

// TaskQuery asks for one page of a Tasks view. The zero value is the
// first page of the actor's open tasks.
type TaskQuery struct {
	View TaskViewKind
	Team conversation.TeamID
	// Closed lists closed tasks instead of open ones (views hide closed
	// tasks unless asked).
	Closed bool
	// Filter narrows the tasks further (assignees or teams OR-ed,
	// standalone only, due range); its Statuses, if set, must agree with
	// Closed.
	Filter conversation.TaskFilter
	// Cursor continues after a previous page (TaskPage.Next).
	Cursor string
	// Limit is the page size: zero means DefaultPageSize, above
	// MaxPageSize it is capped.
	Limit int
}

// TaskPage is one page of a Tasks view: stored tasks newest first, and, on
// the first page of My tasks and Team tasks unless the filter asks for
// standalone tasks only, the first page of conversation tasks (the assigned,
// open conversations, most recent activity first; the rest is listed by List
// on the Assigned to me mailbox). Closing a conversation removes it from
// there.
type TaskPage struct {
	Tasks []*conversation.Task
	// Next continues the view (TaskQuery.Cursor); empty at its end. A
	// page with a selective filter may hold fewer tasks than asked, even
	// none, and still have a Next: each page reads a bounded part of the
	// index.
	Next string
	// Conversations are the conversation tasks.
	Conversations []conversation.Task
}

// Tasks returns a page of a Tasks view. Stored tasks come from the
// store's task indexes (by assignee, team or organization); subtasks of
// conversations the actor cannot see are left out.
func (e *Engine) Tasks(ctx context.Context, actor Actor, q TaskQuery) (TaskPage, error) {
	limit, err := pageLimit(q.Limit)
	if err != nil {
		return TaskPage{}, err
	}
	var after conversation.TaskID
	if q.Cursor != "" {
		id, err := uuid.Parse(q.Cursor)
		if err != nil || id.String() != q.Cursor {
			return TaskPage{}, conversation.Errorf(ErrInvalidArgument, "malformed task cursor %q", q.Cursor)
		}
		after = conversation.TaskID(id)
	}
	filter := q.Filter
	if len(filter.Statuses) == 0 && q.Closed {
		filter.Statuses = []conversation.TaskStatus{conversation.TaskClosed}
	}
	for _, st := range filter.Statuses {
		if (st == conversation.TaskClosed) != q.Closed {
			return TaskPage{}, conversation.Errorf(ErrInvalidArgument, "status filter %s needs TaskQuery.Closed=%v", st, st == conversation.TaskClosed)
		}
	}
	var page TaskPage
	err = e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		if u.Role == conversation.RoleGuest {
			return nil
		}
		idx := storage.TaskIndex{Org: u.Org, Closed: q.Closed}
		var convBox conversation.Box
		switch q.View {
		case MyTasks:
			idx.Assignee = u.ID
			convBox = conversation.Box{Kind: conversation.AssignedToMe, User: u.ID}
		case TeamTasks:
			if err := needID("team", q.Team); err != nil {
				return err
			}
			t, err := tx.Team(ctx, q.Team)
			if err != nil || t.Org != u.Org {
				return conversation.Errorf(ErrNotFound, "team %s", q.Team)
			}
			if t.MemberKind(u.ID) == 0 {
				return conversation.Errorf(ErrForbidden, "team tasks are for members of team %s", t.Name)
			}
			idx.Team = t.ID
			// The team-level box of the team's assigned open conversations
			// (every member of the team can see them).
			convBox = conversation.Box{Kind: conversation.AssignedToOthers, Team: t.ID}
		case OrgTasks:
		default:
			return conversation.Errorf(ErrInvalidArgument, "unknown task view %d", q.View)
		}
		// The index is walked in batches and filtered; a selective filter
		// (or many subtasks the viewer cannot see) would walk it all, so a
		// page stops after scanning maxFilterScan entries per task asked and
		// may come back short, with Next set to go on.
		ended, scanned := false, 0
		for len(page.Tasks) < limit && !ended && scanned < maxFilterScan*limit {
			batch, err := tx.ListTasks(ctx, idx, after, limit-len(page.Tasks))
			if err != nil {
				return err
			}
			scanned += len(batch)
			for _, t := range batch {
				after = t.ID
				if filter.Match(t) && taskVisible(ctx, tx, u, t) {
					page.Tasks = append(page.Tasks, t)
				}
			}
			ended = len(batch) == 0
		}
		if !ended {
			more, err := tx.ListTasks(ctx, idx, after, 1)
			if err != nil {
				return err
			}
			if len(more) > 0 {
				page.Next = after.String()
			}
		}
		if q.Cursor != "" || convBox.Kind == 0 || filter.StandaloneOnly || q.Closed {
			return nil
		}
		entries, err := tx.List(ctx, convBox, storage.Cursor{}, limit)
		if err != nil {
			return err
		}
		for _, en := range entries {
			// The team-level box holds no per-user corrections: a member
			// who deleted the conversation for themselves must not see it.
			c, _, err := readable(ctx, tx, u, en.Conversation)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if ct, ok := conversation.ConversationTaskOf(c); ok && filter.Match(&ct) {
				page.Conversations = append(page.Conversations, ct)
			}
		}
		return nil
	})
	return page, err
}

// assignedTo reports whether c matches the "Assigned to (person)" filter:
// assigned to them, or holding an open task assigned to them.
func assignedTo(c *conversation.Conversation, u conversation.UserID) bool {
	if c.IsAssigned(u) {
		return true
	}
	_, ok := slices.BinarySearchFunc(c.TaskAssignees, u, conversation.UserID.Compare)
	return ok
}

// ConversationTaskPatch changes the task attributes of a conversation (the
// Tasks sidebar); nil fields are left alone. Its title is the conversation's
// subject, its team and assignees the conversation's own (MoveToTeam,
// Assign).
type ConversationTaskPatch struct {
	Description *string
	Due         *conversation.Date
}

// UpdateConversationTask edits a conversation's task attributes:
// description and due date.
func (e *Engine) UpdateConversationTask(ctx context.Context, actor Actor, id conversation.ConversationID, p ConversationTaskPatch) error {
	if p.Due != nil && !p.Due.Valid() {
		return conversation.Errorf(ErrInvalidArgument, "due date %+v is not a calendar date", *p.Due)
	}
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAsUser(id); err != nil {
			return err
		}
		c := o.conv
		if p.Description != nil && *p.Description != c.TaskDescription {
			c.TaskDescription = *p.Description
			o.touch(false)
		}
		if p.Due != nil && *p.Due != c.TaskDue {
			c.TaskDue = *p.Due
			o.touch(false)
		}
		return nil
	})
}

// SetConversationTaskStatus sets the status of a conversation task: Closed
// closes the conversation, To-do and In progress reopen a closed one. Its
// assignees are notified of completion and progress as for any task. Rooms
// are no tasks (they cannot be assigned).
func (e *Engine) SetConversationTaskStatus(ctx context.Context, actor Actor, id conversation.ConversationID, s conversation.TaskStatus) error {
	if !s.Valid() {
		return conversation.Errorf(ErrInvalidArgument, "unknown task status %d", s)
	}
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAsUser(id); err != nil {
			return err
		}
		c := o.conv
		if c.Kind == conversation.Room {
			return conversation.Errorf(ErrInvalidArgument, "rooms are not tasks")
		}
		before, _ := conversation.ConversationTaskOf(c)
		switch s {
		case conversation.TaskClosed:
			if err := o.close(); err != nil {
				return err
			}
		default:
			o.reopen()
			if c.TaskInProgress != (s == conversation.InProgress) {
				c.TaskInProgress = s == conversation.InProgress
				o.touch(false)
			}
		}
		after, ok := conversation.ConversationTaskOf(c)
		if ok && before.Status != after.Status {
			switch s {
			case conversation.TaskClosed:
				o.taskNotify(&after, after.Assignees, TaskCompleted)
			case conversation.InProgress:
				o.taskNotify(&after, after.Assignees, TaskInProgress)
			}
		}
		return nil
	})
}
