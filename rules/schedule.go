package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// ErrInvalidSchedule is wrapped by every schedule parsing error.
var ErrInvalidSchedule = errors.New("rules: invalid schedule")

// maxScheduleText bounds the text ParseSchedule reads.
const maxScheduleText = 4096

// Span is an opening on one weekday, in minutes after midnight of the
// wall clock: [Start, End), End at most 24*60.
type Span struct {
	Day        time.Weekday
	Start, End int
}

// Schedule is a weekly schedule in a time zone: the "is within" value of
// time conditions, and the shape of business hours.
type Schedule struct {
	// Zone is an IANA time zone name ("Europe/Paris"); empty means UTC.
	Zone  string
	Spans []Span
	loc   *time.Location
}

// ParseSchedule parses a weekly schedule such as
// "Mon-Fri 09:00-12:00 13:00-17:00; Sat 10:00-12:00" in zone. Entries are
// separated by semicolons; each names days (a day, a range "Mon-Fri", or a
// comma list "Mon,Wed") and one or more spans "HH:MM-HH:MM", the end
// after the start ("24:00" closes the day). Day names are the first three
// letters of English weekdays, in any case.
func ParseSchedule(text, zone string) (*Schedule, error) {
	if len(text) > maxScheduleText {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrInvalidSchedule, maxScheduleText)
	}
	loc, err := loadZone(zone)
	if err != nil {
		return nil, err
	}
	s := &Schedule{Zone: zone, loc: loc}
	for entry := range strings.SplitSeq(text, ";") {
		fields := strings.Fields(entry)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 2 {
			return nil, fmt.Errorf("%w: %q needs days and at least one span", ErrInvalidSchedule, strings.TrimSpace(entry))
		}
		days, err := parseDays(fields[0])
		if err != nil {
			return nil, err
		}
		for _, f := range fields[1:] {
			start, end, err := parseSpan(f)
			if err != nil {
				return nil, err
			}
			for _, d := range days {
				s.Spans = append(s.Spans, Span{Day: d, Start: start, End: end})
			}
		}
	}
	if len(s.Spans) == 0 {
		return nil, fmt.Errorf("%w: no spans", ErrInvalidSchedule)
	}
	s.normalize()
	return s, nil
}

// loadZone loads an IANA zone; empty is UTC.
func loadZone(zone string) (*time.Location, error) {
	if zone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("%w: unknown time zone %q", ErrInvalidSchedule, zone)
	}
	return loc, nil
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func parseDay(s string) (time.Weekday, error) {
	d, ok := dayNames[strings.ToLower(s)]
	if !ok {
		return 0, fmt.Errorf("%w: unknown day %q (use Mon, Tue, ...)", ErrInvalidSchedule, s)
	}
	return d, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for item := range strings.SplitSeq(s, ",") {
		from, to, isRange := strings.Cut(item, "-")
		a, err := parseDay(from)
		if err != nil {
			return nil, err
		}
		if !isRange {
			out = append(out, a)
			continue
		}
		b, err := parseDay(to)
		if err != nil {
			return nil, err
		}
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	return out, nil
}

func parseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%w: time %q is not HH:MM", ErrInvalidSchedule, s)
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%w: time %q is not HH:MM", ErrInvalidSchedule, s)
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%w: time %q out of range", ErrInvalidSchedule, s)
	}
	return h*60 + m, nil
}

func parseSpan(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("%w: span %q is not HH:MM-HH:MM", ErrInvalidSchedule, s)
	}
	start, err := parseClock(a)
	if err != nil {
		return 0, 0, err
	}
	end, err := parseClock(b)
	if err != nil {
		return 0, 0, err
	}
	if end <= start {
		return 0, 0, fmt.Errorf("%w: span %q ends before it starts (split spans that cross midnight)", ErrInvalidSchedule, s)
	}
	return start, end, nil
}

// normalize sorts the spans and merges overlapping ones of the same day.
func (s *Schedule) normalize() {
	slices.SortFunc(s.Spans, func(a, b Span) int {
		if a.Day != b.Day {
			return int(a.Day) - int(b.Day)
		}
		return a.Start - b.Start
	})
	out := s.Spans[:0]
	for _, sp := range s.Spans {
		if n := len(out); n > 0 && out[n-1].Day == sp.Day && sp.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	s.Spans = out
}

// String formats the schedule in the form ParseSchedule reads, one entry
// per day.
func (s *Schedule) String() string {
	var b strings.Builder
	for i, sp := range s.Spans {
		if i == 0 || s.Spans[i-1].Day != sp.Day {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(sp.Day.String()[:3])
		}
		fmt.Fprintf(&b, " %02d:%02d-%02d:%02d", sp.Start/60, sp.Start%60, sp.End/60, sp.End%60)
	}
	return b.String()
}

// location returns the schedule's zone: the one ParseSchedule (or
// Compile) loaded, else loaded now. It never writes to s, so a schedule
// may be shared between goroutines.
func (s *Schedule) location() *time.Location {
	if s.loc != nil {
		return s.loc
	}
	loc, err := loadZone(s.Zone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// loaded returns s with its zone loaded, copying it if needed so the
// caller's schedule is not written to.
func (s *Schedule) loaded() *Schedule {
	if s == nil || s.loc != nil {
		return s
	}
	cp := *s
	cp.loc = s.location()
	return &cp
}

// Check reports whether the schedule is well formed: a known zone and
// spans within a day, ending after they start.
func (s *Schedule) Check() error {
	if _, err := loadZone(s.Zone); err != nil {
		return err
	}
	for _, sp := range s.Spans {
		if sp.Day < time.Sunday || sp.Day > time.Saturday || sp.Start < 0 || sp.End > 24*60 || sp.End <= sp.Start {
			return fmt.Errorf("%w: span %v is out of range", ErrInvalidSchedule, sp)
		}
	}
	return nil
}

// Contains reports whether instant t falls within the schedule, on the
// wall clock of its zone.
func (s *Schedule) Contains(t time.Time) bool {
	lt := t.In(s.location())
	m := lt.Hour()*60 + lt.Minute()
	for _, sp := range s.Spans {
		if sp.Day == lt.Weekday() && m >= sp.Start && m < sp.End {
			return true
		}
	}
	return false
}

// BusinessHours are an organization's or a team's opening hours: a weekly
// schedule and the holidays (dates on the schedule's wall clock) when it
// is closed all day.
type BusinessHours struct {
	Schedule *Schedule
	Holidays []conversation.Date
}

// maxBusinessDays bounds the days Add walks through looking for open time.
const maxBusinessDays = 3 * 366

// Contains reports whether t is within business hours.
func (h BusinessHours) Contains(t time.Time) bool {
	if h.Schedule == nil {
		return false
	}
	lt := t.In(h.Schedule.location())
	return !slices.Contains(h.Holidays, conversation.DateOf(lt)) && h.Schedule.Contains(t)
}

// Add returns the instant when d of business time has passed since start:
// time only counts within the schedule's spans, outside holidays, on the
// zone's wall clock (so a daylight-saving change shortens or lengthens
// the day it falls on). It reports false when the hours never open within
// three years.
func (h BusinessHours) Add(start time.Time, d time.Duration) (time.Time, bool) {
	if h.Schedule == nil || len(h.Schedule.Spans) == 0 {
		return time.Time{}, false
	}
	loc := h.Schedule.location()
	lt := start.In(loc)
	y, mo, dd := lt.Date()
	for i := range maxBusinessDays {
		day := time.Date(y, mo, dd+i, 0, 0, 0, 0, loc)
		if slices.Contains(h.Holidays, conversation.DateOf(day)) {
			continue
		}
		for _, sp := range h.Schedule.Spans {
			if sp.Day != day.Weekday() {
				continue
			}
			open := time.Date(day.Year(), day.Month(), day.Day(), sp.Start/60, sp.Start%60, 0, 0, loc)
			shut := time.Date(day.Year(), day.Month(), day.Day(), sp.End/60, sp.End%60, 0, 0, loc)
			if !shut.After(start) {
				continue
			}
			if open.Before(start) {
				open = start
			}
			if avail := shut.Sub(open); d <= avail {
				return open.Add(d), true
			} else {
				d -= avail
			}
		}
	}
	return time.Time{}, false
}
