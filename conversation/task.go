package conversation

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// TaskKind tells the three kinds of tasks apart.
type TaskKind uint8

const (
	// ConversationTask is an assigned conversation seen as a task. It is not
	// stored as a [Task]: [ConversationTaskOf] derives it from the
	// conversation, so its assignees, team and status can never disagree
	// with the conversation's (Closed is the conversation's Closed).
	ConversationTask TaskKind = iota + 1
	// Subtask is a task created inside a conversation.
	Subtask
	// Standalone is a task linked to no conversation.
	Standalone
)

// String returns the kind's name.
func (k TaskKind) String() string {
	switch k {
	case ConversationTask:
		return "conversation task"
	case Subtask:
		return "subtask"
	case Standalone:
		return "standalone task"
	}
	return "unknown"
}

// TaskStatus is a task's status.
type TaskStatus uint8

const (
	// ToDo: not started.
	ToDo TaskStatus = iota + 1
	// InProgress: being worked on.
	InProgress
	// TaskClosed: completed.
	TaskClosed
)

// String returns "to-do", "in progress" or "closed".
func (s TaskStatus) String() string {
	switch s {
	case ToDo:
		return "to-do"
	case InProgress:
		return "in progress"
	case TaskClosed:
		return "closed"
	}
	return "unknown"
}

// Valid reports whether s is one of the three statuses.
func (s TaskStatus) Valid() bool { return s >= ToDo && s <= TaskClosed }

// Next is the status a click on the status checkbox moves to: To-do, In
// progress, Closed, then To-do again.
func (s TaskStatus) Next() TaskStatus {
	switch s {
	case ToDo:
		return InProgress
	case InProgress:
		return TaskClosed
	}
	return ToDo
}

// Date is a calendar date without a time of day or zone: a task's due
// date. The zero Date means "no due date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is zero or a real calendar date.
func (d Date) Valid() bool {
	if d.IsZero() {
		return true
	}
	return d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && DateOf(d.Time(time.UTC)) == d
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days after d.
func (d Date) AddDays(n int) Date { return DateOf(d.Time(time.UTC).AddDate(0, 0, n)) }

// Weekday returns d's day of the week.
func (d Date) Weekday() time.Weekday { return d.Time(time.UTC).Weekday() }

// Compare orders dates; the zero date sorts after every real one ("no due
// date" comes last).
func (d Date) Compare(e Date) int {
	switch {
	case d.IsZero() && e.IsZero():
		return 0
	case d.IsZero():
		return 1
	case e.IsZero():
		return -1
	}
	return cmp.Or(cmp.Compare(d.Year, e.Year), cmp.Compare(d.Month, e.Month), cmp.Compare(d.Day, e.Day))
}

// String returns d as YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Task is a subtask or a standalone task. Conversation tasks are derived,
// see [ConversationTaskOf].
type Task struct {
	ID          TaskID
	Org         OrgID
	Kind        TaskKind
	Title       string
	Description string
	Status      TaskStatus
	// Team is "the team the task is assigned to"; zero if none.
	Team TeamID
	// Assignees, sorted, without duplicates: organization members only,
	// never guests.
	Assignees []UserID
	// Due is the due date; zero for none.
	Due Date
	// Conversation holds a subtask; zero for a standalone task.
	Conversation ConversationID
	// SourceComment is the comment the task was created from ("[ ] ..."
	// lines or "Add task" on one's own comment); zero if none.
	SourceComment CommentID
	CreatedBy     UserID
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Version is maintained by the store for optimistic concurrency.
	Version uint64
}

// Clone returns a deep copy.
func (t *Task) Clone() *Task {
	d := *t
	d.Assignees = slices.Clone(t.Assignees)
	return &d
}

// IsAssigned reports whether u is an assignee.
func (t *Task) IsAssigned(u UserID) bool {
	_, ok := slices.BinarySearchFunc(t.Assignees, u, UserID.Compare)
	return ok
}

// Open reports whether the task is not closed.
func (t *Task) Open() bool { return t.Status != TaskClosed }

// MaxTaskTitle caps a task title, in bytes.
const MaxTaskTitle = 1000

// Validate checks a stored task's invariants: kind Subtask with a
// conversation or Standalone without one, a non-empty title, a valid
// status and due date, sorted unique assignees.
func (t *Task) Validate() error {
	switch {
	case t.Kind == Subtask && t.Conversation.IsZero():
		return errorf(ErrInvalidArgument, "a subtask needs its conversation")
	case t.Kind == Standalone && !t.Conversation.IsZero():
		return errorf(ErrInvalidArgument, "a standalone task has no conversation")
	case t.Kind != Subtask && t.Kind != Standalone:
		return errorf(ErrInvalidArgument, "task kind %s is not stored", t.Kind)
	case t.Title == "":
		return errorf(ErrInvalidArgument, "a task needs a title")
	case len(t.Title) > MaxTaskTitle:
		return errorf(ErrInvalidArgument, "task title longer than %d bytes", MaxTaskTitle)
	case !t.Status.Valid():
		return errorf(ErrInvalidArgument, "unknown task status %d", t.Status)
	case !t.Due.Valid():
		return errorf(ErrInvalidArgument, "due date %+v is not a calendar date", t.Due)
	case !slices.IsSortedFunc(t.Assignees, UserID.Compare) || len(slices.Compact(slices.Clone(t.Assignees))) != len(t.Assignees):
		return errorf(ErrInvalidArgument, "task assignees must be sorted and unique")
	}
	return nil
}

// CanBeAssignedTask returns nil if u may be a task's assignee: organization
// members only, never guests. It is the one place the "members only" rule
// lives; guest rules hook in here.
func CanBeAssignedTask(u *User, org OrgID) error {
	switch {
	case u == nil || u.Org != org:
		return errorf(ErrNotFound, "user")
	case u.Role == RoleGuest:
		return errorf(ErrForbidden, "guests cannot be assigned tasks")
	}
	return nil
}

// ConversationTaskOf returns conversation c as a task: an assigned
// conversation is a conversation task whose title is its subject, whose team
// and assignees are the conversation's, whose description and due date are
// its task attributes, and whose status is Closed when the conversation is
// closed, In progress when marked so, To-do otherwise. The second result is
// false when c is not assigned (not a task).
func ConversationTaskOf(c *Conversation) (Task, bool) {
	if len(c.Assignees) == 0 || !c.MergedInto.IsZero() {
		return Task{}, false
	}
	st := ToDo
	switch {
	case c.Closed:
		st = TaskClosed
	case c.TaskInProgress:
		st = InProgress
	}
	return Task{Org: c.Org, Kind: ConversationTask, Title: c.DisplaySubject(), Description: c.TaskDescription, Status: st,
		Team: c.Team, Assignees: slices.Clone(c.Assignees), Due: c.TaskDue, Conversation: c.ID,
		CreatedAt: c.CreatedAt, UpdatedAt: c.LastActivity}, true
}

// TaskFilter selects tasks in a Tasks view. Several assignees or teams match
// any of them; the zero value matches every open task.
type TaskFilter struct {
	// Assignees: tasks assigned to any of them.
	Assignees []UserID
	// Teams: tasks of any of them.
	Teams []TeamID
	// Statuses: tasks in any of them; empty means To-do and In progress
	// (views hide closed tasks by default).
	Statuses []TaskStatus
	// StandaloneOnly is the "Show: standalone tasks" filter.
	StandaloneOnly bool
	// DueFrom and DueTo bound the due date (inclusive, zero: unbounded); a
	// bound excludes tasks without a due date.
	DueFrom, DueTo Date
}

// Match reports whether t passes the filter.
func (f *TaskFilter) Match(t *Task) bool {
	if f.StandaloneOnly && t.Kind != Standalone {
		return false
	}
	if len(f.Statuses) == 0 {
		if t.Status == TaskClosed {
			return false
		}
	} else if !slices.Contains(f.Statuses, t.Status) {
		return false
	}
	if len(f.Assignees) > 0 && !slices.ContainsFunc(f.Assignees, t.IsAssigned) {
		return false
	}
	if len(f.Teams) > 0 && !slices.Contains(f.Teams, t.Team) {
		return false
	}
	if !f.DueFrom.IsZero() && (t.Due.IsZero() || t.Due.Compare(f.DueFrom) < 0) {
		return false
	}
	if !f.DueTo.IsZero() && (t.Due.IsZero() || t.Due.Compare(f.DueTo) > 0) {
		return false
	}
	return true
}

// DueGroup is a "group by due date" section.
type DueGroup uint8

// The due-date groups, in display order.
const (
	// DueOverdue ("Due"): before today.
	DueOverdue DueGroup = iota + 1
	DueToday
	// DueThisWeek: after today, up to Sunday of this week (weeks start on
	// Monday).
	DueThisWeek
	DueNextWeek
	DueLater
	// DueAnytime: no due date.
	DueAnytime
)

// String returns the group's label.
func (g DueGroup) String() string {
	return [...]string{"", "Due", "Today", "This week", "Next week", "Later", "Anytime"}[min(int(g), 6)]
}

// GroupByDue returns the group of a due date seen on day today.
func GroupByDue(due, today Date) DueGroup {
	if due.IsZero() {
		return DueAnytime
	}
	switch c := due.Compare(today); {
	case c < 0:
		return DueOverdue
	case c == 0:
		return DueToday
	}
	daysToMonday := (8 - int(today.Weekday())) % 7
	if daysToMonday == 0 {
		daysToMonday = 7
	}
	nextMonday := today.AddDays(daysToMonday)
	switch {
	case due.Compare(nextMonday) < 0:
		return DueThisWeek
	case due.Compare(nextMonday.AddDays(7)) < 0:
		return DueNextWeek
	}
	return DueLater
}

// TaskOrder is a Tasks view's sort.
type TaskOrder uint8

// The sorts.
const (
	// ByCreation: newest first (the default).
	ByCreation TaskOrder = iota
	// ByDue: earliest due date first, tasks without one last.
	ByDue
	// ByStatus: To-do, In progress, Closed.
	ByStatus
)

// SortTasks sorts tasks in place by order; ties go newest first, then by
// ID, so the order is total.
func SortTasks(tasks []Task, order TaskOrder) {
	slices.SortStableFunc(tasks, func(a, b Task) int {
		var c int
		switch order {
		case ByDue:
			c = a.Due.Compare(b.Due)
		case ByStatus:
			c = cmp.Compare(a.Status, b.Status)
		}
		return cmp.Or(c, b.CreatedAt.Compare(a.CreatedAt), b.ID.Compare(a.ID), b.Conversation.Compare(a.Conversation))
	})
}
