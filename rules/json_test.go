package rules

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
)

// everyAction holds one action of each kind, with parameters.
func everyAction() []Action {
	us := []conversation.UserID{bob, carol}
	return []Action{
		AssignUsers{Users: us, Strategy: LeastBusy, Filters: []AssignFilter{{Kind: OutOfOfficeUsers, Negate: true}, {Kind: TeamActiveMembers, Team: tid("Support")}}},
		AssignSender{}, UnassignUsers{All: true}, MoveToTeam{Team: tid("Support")}, UnassignTeam{}, AddToInbox{Users: us},
		AddTask{Title: "Call back", Assignees: us, Due: 24 * time.Hour, Team: tid("Support")},
		AddLabels{Names: []string{"A/B"}}, RemoveLabels{Labels: []conversation.LabelID{lid("x")}},
		AddLabelsAI{Prompt: "pick", Choices: []string{"Billing", "Sales"}}, SetColor{Color: "#ff0000"},
		MergeInto{Target: cid("T")}, AddNote{Markdown: "**Heads up**"}, CreateDraft{Canned: "R"},
		CreateDraftAI{Instructions: "friendly"}, SendResponse{Canned: "R", Every: 24 * time.Hour},
		Forward{To: "ext@x.com"}, Notify{Users: us, Text: "hi"}, Webhook{URL: "https://h"},
		Close{}, Archive{Users: us}, ArchiveFromTeam{Team: tid("Support")}, Trash{},
		Snooze{Users: us, When: SnoozeFor, For: 2 * time.Hour}, DiscardSnooze{Users: us}, MarkRead{Users: us},
		MarkUnread{Users: us}, Star{Users: us}, Unstar{Users: us}, Watch{Users: us}, Unwatch{Users: us},
		Silence{Users: us}, CreateContacts{Book: "Leads", Which: SenderAndRecipientContacts}, Share{Users: us},
		RemoveUsers{AllGuests: true}, MoveToNewConversation{}, MarkSpam{}, MarkNotSpam{}, Unsubscribe{},
		AddAINote{Prompt: "summarize"}, AddTasksAI{Prompt: "tasks"}, StopProcessing{},
	}
}

// TestRULES_011_ExportImport: an organization rule exported and imported
// into personal rules keeps every supported condition and action.
func TestRULES_011_ExportImport(t *testing.T) {
	sched, err := ParseSchedule("Mon-Fri 09:00-17:00", "Europe/Paris")
	require.NoError(t, err)
	r := orgRule("01 everything", AllOf(
		text(From, EndsWith, "acme.com"),
		AnyOf(Condition{Field: Label, Op: Is, Label: lid("VIP")}, Condition{Field: State, Op: IsNot, State: StateClosed}),
		NoneOf(Condition{Field: ReceptionTime, Op: Within, Schedule: sched}, Condition{Field: From, Op: InGroup, Set: "VIP"}),
		Condition{Field: ReceptionTime, Op: After, At: t0},
		Delay{For: 5 * time.Minute},
		Condition{Field: Assignee, Op: IsBlank},
	), everyAction()...)
	r.AI = AIModel{Provider: "P1", Model: "M"}
	b, err := Export(r)
	require.NoError(t, err)
	back, dropped, err := Import(b, PersonalScope(alice))
	require.NoError(t, err)
	assert.Empty(t, dropped)
	assert.NotEqual(t, r.ID, back.ID)
	assert.Equal(t, PersonalScope(alice), back.Scope)
	back.ID, back.Scope = r.ID, r.Scope
	// Schedules compare by their text (the zone is loaded lazily).
	assert.Equal(t, string(b), string(must(Export(back))))
	assert.Equal(t, r.Actions, back.Actions)

	// Into an organization, Assign to me is dropped and reported.
	p := personalRule("mine", AllOf(), AssignToMe{}, Close{})
	_, dropped, err = Import(must(Export(p)), OrgScope(orgO))
	require.NoError(t, err)
	assert.Len(t, dropped, 1)
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestImportRejectsBadInput(t *testing.T) {
	for _, in := range []string{
		`{}`, `{"scope":{"kind":"x"}}`, `[]`, `{"type":"incoming","scope":{"kind":"personal"},"conditions":{"all":[{"field":"nope"}]}}`,
		`{"type":"incoming","scope":{"kind":"personal"},"actions":[{"close":{},"trash":{}}]}`,
		`{"type":"incoming","scope":{"kind":"personal"},"actions":[{"fly":{}}]}`,
		`{"type":"incoming","scope":{"kind":"personal"},"conditions":{"field":"subject"}}`,
	} {
		_, _, err := Import([]byte(in), PersonalScope(alice))
		assert.ErrorIs(t, err, ErrInvalidJSON, in)
	}
}

func FuzzImport(f *testing.F) {
	r := orgRule("x", AllOf(text(Subject, Contains, "a"), AnyOf(Delay{For: time.Minute})), Close{}, SendResponse{Canned: "R"})
	f.Add(must(Export(r)))
	f.Add([]byte(`{"type":"user_action:new_comment","scope":{"kind":"personal"},"conditions":{"none":[{"all":[]}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, _, err := Import(b, OrgScope(orgO))
		if err != nil {
			return
		}
		// Whatever imports validates or fails cleanly, compiles and
		// exports again.
		_ = Validate(&got, Env{})
		Compile([]Rule{got})
		out, err := json.Marshal(got)
		if err != nil {
			return
		}
		var again Rule
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("export of an imported rule does not import: %v\n%s", err, out)
		}
	})
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"Mon-Fri 09:00-17:00", "Sat 10:00-12:00 13:00-14:00; sun 00:00-24:00", "Fri-Mon 08:00-09:00", "Mon,Wed 01:00-02:00", ";;", "Mon 24:00-24:00"} {
		f.Add(s, "Europe/Paris")
	}
	f.Fuzz(func(t *testing.T, text, zone string) {
		s, err := ParseSchedule(text, zone)
		if err != nil {
			return
		}
		require.NoError(t, s.Check())
		// The canonical form parses back to the same schedule.
		again, err := ParseSchedule(s.String(), zone)
		require.NoError(t, err, s.String())
		assert.Equal(t, s.Spans, again.Spans)
		// Business hours built from it always end after they start.
		if at, ok := (BusinessHours{Schedule: s}).Add(t0, time.Hour); ok {
			assert.True(t, at.After(t0))
		}
	})
}

func TestParseSchedule(t *testing.T) {
	s, err := ParseSchedule("Fri-Mon 09:00-12:00 11:00-13:00", "")
	require.NoError(t, err)
	assert.Equal(t, "Sun 09:00-13:00; Mon 09:00-13:00; Fri 09:00-13:00; Sat 09:00-13:00", s.String())
	for _, bad := range []string{"", "Mon", "Xyz 09:00-10:00", "Mon 10:00-09:00", "Mon 9:00-10:00", "Mon 24:01-24:02", "Mon 22:00-02:00"} {
		_, err := ParseSchedule(bad, "")
		assert.ErrorIs(t, err, ErrInvalidSchedule, bad)
	}
	_, err = ParseSchedule("Mon 09:00-10:00", "Mars/Olympus")
	assert.ErrorIs(t, err, ErrInvalidSchedule)
}

func TestBusinessHoursHolidaysAndDST(t *testing.T) {
	s, _ := ParseSchedule("Mon-Fri 09:00-17:00", "Europe/Paris")
	paris, _ := time.LoadLocation("Europe/Paris")
	h := BusinessHours{Schedule: s, Holidays: []conversation.Date{{Year: 2026, Month: 3, Day: 9}}}
	fri := time.Date(2026, 3, 6, 16, 30, 0, 0, paris)
	at, ok := h.Add(fri, time.Hour)
	require.True(t, ok)
	assert.Equal(t, time.Date(2026, 3, 10, 9, 30, 0, 0, paris), at.In(paris), "Monday is a holiday")
	// Across the spring change (29 March 2026), wall-clock hours still count.
	at, _ = h.Add(time.Date(2026, 3, 27, 16, 0, 0, 0, paris), 2*time.Hour)
	assert.Equal(t, time.Date(2026, 3, 30, 10, 0, 0, 0, paris), at.In(paris))
	_, ok = BusinessHours{}.Add(fri, time.Hour)
	assert.False(t, ok)
}

func TestCacheCompilesOncePerVersion(t *testing.T) {
	var c Cache
	loads := 0
	load := func() ([]Rule, error) {
		loads++
		return []Rule{orgRule("x", AllOf(), Close{})}, nil
	}
	s1, err := c.Get("O", 1, load)
	require.NoError(t, err)
	s2, _ := c.Get("O", 1, load)
	assert.Same(t, s1, s2)
	assert.Equal(t, 1, loads)
	s3, _ := c.Get("O", 2, load)
	assert.NotSame(t, s1, s3)
	assert.Equal(t, 2, loads)
	_, err = c.Get("P", 1, func() ([]Rule, error) { return nil, errCredits })
	assert.ErrorIs(t, err, errCredits)
	_, _ = c.Get("P", 1, load)
	assert.Equal(t, 3, loads, "a failed load is not cached")
	c.Forget("O")
	_, _ = c.Get("O", 2, load)
	assert.Equal(t, 4, loads)
}
