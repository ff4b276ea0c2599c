package conversation

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTaskStatusCycle(t *testing.T) {
	// TLTG-105: a click advances To-do → In progress → Closed → To-do.
	assert.Equal(t, InProgress, ToDo.Next())
	assert.Equal(t, TaskClosed, InProgress.Next())
	assert.Equal(t, ToDo, TaskClosed.Next())
	assert.False(t, TaskStatus(0).Valid())
	assert.False(t, TaskStatus(4).Valid())
}

func TestParseTaskLines(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []TaskLine
	}{
		{"TLTG-99 open subtask with mention", "[ ] Call client @jane",
			[]TaskLine{{Title: "Call client", Mentions: []string{"jane"}}}},
		{"TLTG-100 three lines", "[] Task 1\n[x] Task 2\n[] Task 3 @jane", []TaskLine{
			{Line: 0, Title: "Task 1"},
			{Line: 1, Title: "Task 2", Closed: true},
			{Line: 2, Title: "Task 3", Mentions: []string{"jane"}},
		}},
		{"dash and star boxes, upper X", "- [ ] one\n* [X] two\r\n  - [x] three", []TaskLine{
			{Line: 0, Title: "one"}, {Line: 1, Title: "two", Closed: true}, {Line: 2, Title: "three", Closed: true},
		}},
		{"date words stay (F3:10899)", "[ ] Ship tomorrow @bob.", []TaskLine{{Title: "Ship tomorrow", Mentions: []string{"bob"}}}},
		{"plain lines ignored", "Hello\nnot [ ] a task\n[y] no\n[ ]\n[ ] @only", nil},
		{"email address is not a mention", "[ ] mail bob@example.com", []TaskLine{{Title: "mail bob@example.com"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, ParseTaskLines(tc.in))
		})
	}
}

func TestParseTaskTitle(t *testing.T) {
	wed := Date{2026, time.December, 2} // a Wednesday
	require.Equal(t, time.Wednesday, wed.Weekday())
	cases := []struct {
		in       string
		title    string
		mentions []string
		due      Date
	}{
		{"Review contract @jane tomorrow", "Review contract", []string{"jane"}, Date{2026, 12, 3}}, // TLTG-101
		{"Ship release @Support friday", "Ship release", []string{"Support"}, Date{2026, 12, 4}},   // TLTG-102
		{"Standup wednesday", "Standup", nil, Date{2026, 12, 9}},                                   // today excluded
		{"Plan next week", "Plan", nil, Date{2026, 12, 7}},                                         // Monday of next week
		{"Call next monday", "Call", nil, Date{2026, 12, 7}},
		{"Pay today", "Pay", nil, wed},
		{"Renew domain 2027-01-15", "Renew domain", nil, Date{2027, 1, 15}},
		{"Party Dec 24", "Party", nil, Date{2026, 12, 24}},
		{"Taxes 15 April", "Taxes", nil, Date{2027, 4, 15}}, // passed this year: next year
		{"Audit March 3rd 2028", "Audit", nil, Date{2028, 3, 3}},
		{"Meet today or tomorrow", "Meet today or", nil, Date{2026, 12, 3}}, // the last phrase counts
		{"Nothing special", "Nothing special", nil, Date{}},
		{"tomorrow", "tomorrow", nil, Date{}}, // would leave an empty title
		{"Feb 30 plan", "Feb 30 plan", nil, Date{}},
		{"Next steps", "Next steps", nil, Date{}},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got := ParseTaskTitle(tc.in, wed)
			assert.Equal(t, tc.title, got.Title)
			assert.Equal(t, tc.mentions, got.Mentions)
			assert.Equal(t, tc.due, got.Due)
		})
	}
}

func FuzzParseTaskEntry(f *testing.F) {
	for _, s := range []string{"[ ] Call client @jane", "[] a\n[x] b\n- [ ] c @x", "Review @jane tomorrow", "Dec 31 2099", "next", "@", "[x]", "29 feb", "\xff[ ]"} {
		f.Add(s)
	}
	today := Date{2026, time.December, 2}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tl := range ParseTaskLines(s) {
			if tl.Title == "" || strings.Contains(tl.Title, "\n") {
				t.Fatalf("bad line title %q", tl.Title)
			}
			for _, m := range tl.Mentions {
				if m == "" || !utf8.ValidString(m) {
					t.Fatalf("bad mention %q", m)
				}
			}
		}
		tt := ParseTaskTitle(s, today)
		if !tt.Due.Valid() {
			t.Fatalf("invalid due date %+v from %q", tt.Due, s)
		}
		if !tt.Due.IsZero() && tt.Due.Compare(today) < 0 {
			t.Fatalf("due date %v before today from %q", tt.Due, s)
		}
		if strings.TrimSpace(s) != "" && tt.Title == "" && len(tt.Mentions) == 0 {
			t.Fatalf("empty title from %q", s)
		}
	})
}

func TestGroupAndSortByDue(t *testing.T) {
	// TLTG-106: undated tasks are "Anytime" and sort last.
	today := Date{2026, time.December, 2} // Wednesday
	assert.Equal(t, DueAnytime, GroupByDue(Date{}, today))
	assert.Equal(t, DueOverdue, GroupByDue(Date{2026, 12, 1}, today))
	assert.Equal(t, DueToday, GroupByDue(today, today))
	assert.Equal(t, DueThisWeek, GroupByDue(Date{2026, 12, 6}, today))
	assert.Equal(t, DueNextWeek, GroupByDue(Date{2026, 12, 7}, today))
	assert.Equal(t, DueNextWeek, GroupByDue(Date{2026, 12, 13}, today))
	assert.Equal(t, DueLater, GroupByDue(Date{2026, 12, 14}, today))
	assert.Equal(t, "Anytime", DueAnytime.String())
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	tasks := []Task{
		{Title: "undated", CreatedAt: now},
		{Title: "late", Due: Date{2026, 12, 20}, CreatedAt: now.Add(-time.Hour)},
		{Title: "soon", Due: Date{2026, 12, 3}, CreatedAt: now.Add(-2 * time.Hour)},
	}
	SortTasks(tasks, ByDue)
	assert.Equal(t, []string{"soon", "late", "undated"}, titles(tasks))
	SortTasks(tasks, ByCreation)
	assert.Equal(t, []string{"undated", "late", "soon"}, titles(tasks))
}

func titles(ts []Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Title)
	}
	return out
}

func TestTaskFilter(t *testing.T) {
	a, b, c := uid(), uid(), uid()
	s := []UserID{a, b}
	sortIDs(s)
	ta := &Task{Kind: Subtask, Status: ToDo, Assignees: []UserID{a}}
	tb := &Task{Kind: Standalone, Status: InProgress, Assignees: []UserID{b}}
	tc := &Task{Kind: Standalone, Status: ToDo, Assignees: []UserID{c}}
	done := &Task{Kind: Standalone, Status: TaskClosed, Assignees: []UserID{a}}
	// TLTG-107: several assignees combine as OR.
	f := TaskFilter{Assignees: s}
	assert.True(t, f.Match(ta))
	assert.True(t, f.Match(tb))
	assert.False(t, f.Match(tc))
	assert.False(t, f.Match(done), "closed tasks hidden by default (spec A37)")
	f.Statuses = []TaskStatus{TaskClosed}
	assert.True(t, f.Match(done))
	only := TaskFilter{StandaloneOnly: true}
	assert.False(t, only.Match(ta))
	assert.True(t, only.Match(tc))
	due := TaskFilter{DueFrom: Date{2026, 1, 1}}
	assert.False(t, due.Match(tc), "a bound excludes undated tasks")
}

func sortIDs(s []UserID) {
	if s[0].Compare(s[1]) > 0 {
		s[0], s[1] = s[1], s[0]
	}
}

func TestTaskValidate(t *testing.T) {
	ok := &Task{Kind: Standalone, Title: "x", Status: ToDo}
	require.NoError(t, ok.Validate())
	for name, edit := range map[string]func(*Task){
		"subtask without conversation": func(t *Task) { t.Kind = Subtask },
		"standalone with conversation": func(t *Task) { t.Conversation = ConversationID(uid()) },
		"conversation task stored":     func(t *Task) { t.Kind = ConversationTask },
		"no title":                     func(t *Task) { t.Title = "" },
		"bad status":                   func(t *Task) { t.Status = 0 },
		"bad due":                      func(t *Task) { t.Due = Date{2026, 2, 30} },
		"duplicate assignee":           func(t *Task) { u := uid(); t.Assignees = []UserID{u, u} },
	} {
		bad := ok.Clone()
		edit(bad)
		assert.ErrorIs(t, bad.Validate(), ErrInvalidArgument, name)
	}
}

func TestConversationTaskOf(t *testing.T) {
	c := &Conversation{ID: ConversationID(uid()), Subject: "Help"}
	_, ok := ConversationTaskOf(c)
	assert.False(t, ok, "an unassigned conversation is no task")
	c.Assignees = []UserID{uid()}
	ct, ok := ConversationTaskOf(c)
	require.True(t, ok)
	assert.Equal(t, ConversationTask, ct.Kind)
	assert.Equal(t, ToDo, ct.Status)
	c.TaskInProgress, c.TaskDue, c.TaskDescription = true, Date{2026, 12, 24}, "before Christmas"
	ct, _ = ConversationTaskOf(c)
	assert.Equal(t, InProgress, ct.Status)
	assert.Equal(t, Date{2026, 12, 24}, ct.Due)
	assert.Equal(t, "before Christmas", ct.Description)
	c.Closed = true
	ct, _ = ConversationTaskOf(c)
	assert.Equal(t, TaskClosed, ct.Status, "spec A36: closed with the conversation")
}

func TestCanBeAssignedTask(t *testing.T) {
	org := OrgID(uid())
	assert.NoError(t, CanBeAssignedTask(&User{Org: org}, org))
	assert.ErrorIs(t, CanBeAssignedTask(&User{Org: org, Role: RoleGuest}, org), ErrForbidden)
	assert.ErrorIs(t, CanBeAssignedTask(&User{Org: OrgID(uid())}, org), ErrNotFound)
}
