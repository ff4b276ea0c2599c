package conversation

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// TaskLine is one task written as a line of a comment: "[ ] Call client
// @jane" is an open subtask titled "Call client" for the user or team with
// handle "jane".
type TaskLine struct {
	// Line is the 0-based line of the comment it came from.
	Line  int
	Title string
	// Closed is set by "[x]" (a completed task).
	Closed bool
	// Mentions are the handles written after "@", in order, without the
	// "@", as written; the caller resolves them to users or teams.
	Mentions []string
}

// ParseTaskLines returns the task lines of a comment: lines that start
// (after optional spaces) with "[ ]", "[]", "- [ ]", "* [ ]", or the same
// with "x" or "X" inside the brackets for a completed task. The rest of the
// line is the title, with @mentions taken out and spaces collapsed. No due
// date can be set this way: date words stay in the title. Lines whose title
// ends up empty are skipped.
func ParseTaskLines(text string) []TaskLine {
	var out []TaskLine
	for i, line := range strings.Split(text, "\n") {
		rest, closed, ok := taskBox(strings.TrimSpace(strings.TrimSuffix(line, "\r")))
		if !ok {
			continue
		}
		words, mentions := splitMentions(rest)
		title := strings.Join(words, " ")
		if title == "" {
			continue
		}
		out = append(out, TaskLine{Line: i, Title: title, Closed: closed, Mentions: mentions})
	}
	return out
}

// taskBox strips a leading checkbox and reports whether it was ticked.
func taskBox(s string) (rest string, closed, ok bool) {
	if strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "* ") {
		s = strings.TrimLeft(s[2:], " \t")
	}
	for _, box := range [...]string{"[ ]", "[]"} {
		if strings.HasPrefix(s, box) {
			return s[len(box):], false, true
		}
	}
	if strings.HasPrefix(s, "[x]") || strings.HasPrefix(s, "[X]") {
		return s[3:], true, true
	}
	return "", false, false
}

// isHandleRune reports whether r may appear in a handle after "@".
func isHandleRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.'
}

// splitMentions splits s into words, taking "@handle" words out. A word
// that is "@" followed by handle characters (trailing dots and
// punctuation dropped) is a mention; anything else stays a word.
func splitMentions(s string) (words, mentions []string) {
	for _, w := range strings.Fields(s) {
		if h, ok := mention(w); ok {
			mentions = append(mentions, h)
			continue
		}
		words = append(words, w)
	}
	return words, mentions
}

// mention returns the handle of word w if it is a mention.
func mention(w string) (string, bool) {
	if !strings.HasPrefix(w, "@") {
		return "", false
	}
	h := strings.TrimRight(w[1:], ".,;:!?)")
	if h == "" || !utf8.ValidString(h) {
		return "", false
	}
	for _, r := range h {
		if !isHandleRune(r) {
			return "", false
		}
	}
	return h, true
}

// TaskTitle is a new-task title after quick entry.
type TaskTitle struct {
	Title string
	// Mentions are the @handles of the title (users or teams; a team sets
	// the task's team), in order.
	Mentions []string
	// Due is the date a natural-language phrase set; zero if none.
	Due Date
}

// ParseTaskTitle reads a new task's title typed on day today: @mentions and
// one date phrase are taken out of the title ("Review contract @jane
// tomorrow": title "Review contract", mention "jane", due tomorrow). The
// date phrases are "today", "tomorrow", "next week" (its Monday), a weekday
// name (its next occurrence, today excluded; "next" before it is allowed),
// an ISO date (2026-12-24), or a month name and day in either order with an
// optional year ("Dec 24", "24 December 2027"; a date without a year that
// has passed this year means next year). When several phrases appear the
// last one counts and the others stay in the title. If taking them out
// leaves nothing, the title is kept as typed.
func ParseTaskTitle(s string, today Date) TaskTitle {
	words, mentions := splitMentions(s)
	out := TaskTitle{Mentions: mentions}
	for i := len(words) - 1; i >= 0; i-- {
		if due, n, ok := dateAt(words, i, today); ok {
			if i > 0 && dateWord(words[i-1]) == "next" {
				if d, m, ok := dateAt(words, i-1, today); ok && m == n+1 {
					due, n, i = d, m, i-1 // "next monday"
				}
			}
			out.Due = due
			words = append(words[:i:i], words[i+n:]...)
			break
		}
	}
	out.Title = strings.Join(words, " ")
	if out.Title == "" {
		out.Title = strings.Join(strings.Fields(s), " ")
		out.Due, out.Mentions = Date{}, mentions
	}
	return out
}

// dateAt reads a date phrase starting at words[i] and returns the date
// and how many words it spans.
func dateAt(words []string, i int, today Date) (Date, int, bool) {
	w := dateWord(words[i])
	next := ""
	if i+1 < len(words) {
		next = dateWord(words[i+1])
	}
	switch w {
	case "today":
		return today, 1, true
	case "tomorrow":
		return today.AddDays(1), 1, true
	case "next":
		if next == "week" {
			days := (8 - int(today.Weekday())) % 7
			if days == 0 {
				days = 7
			}
			return today.AddDays(days), 2, true
		}
		if wd, ok := weekdays[next]; ok {
			return nextWeekday(today, wd), 2, true
		}
		return Date{}, 0, false
	}
	if wd, ok := weekdays[w]; ok {
		return nextWeekday(today, wd), 1, true
	}
	if d, ok := isoDate(w); ok {
		return d, 1, true
	}
	// Month and day, either order, optional year.
	var m time.Month
	var day, n int
	if mm, ok := months[w]; ok {
		if dd, ok := dayNumber(next); ok {
			m, day, n = mm, dd, 2
		}
	} else if dd, ok := dayNumber(w); ok {
		if mm, ok := months[next]; ok {
			m, day, n = mm, dd, 2
		}
	}
	if n == 0 {
		return Date{}, 0, false
	}
	if i+n < len(words) {
		if y, err := strconv.Atoi(dateWord(words[i+n])); err == nil && y >= 1000 && y <= 9999 {
			if d := (Date{y, m, day}); d.Valid() {
				return d, n + 1, true
			}
			return Date{}, 0, false
		}
	}
	d := Date{today.Year, m, day}
	if !d.Valid() || d.Compare(today) < 0 {
		d = Date{today.Year + 1, m, day}
	}
	if !d.Valid() { // February 29 without a leap year ahead
		return Date{}, 0, false
	}
	return d, n, true
}

// dateWord lower-cases w and drops trailing punctuation ("friday," or
// "24th").
func dateWord(w string) string {
	w = strings.ToLower(strings.TrimRight(w, ".,;:!?"))
	for _, suf := range [...]string{"st", "nd", "rd", "th"} {
		if len(w) > len(suf) && strings.HasSuffix(w, suf) && w[len(w)-len(suf)-1] >= '0' && w[len(w)-len(suf)-1] <= '9' {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func dayNumber(w string) (int, bool) {
	if len(w) == 0 || len(w) > 2 {
		return 0, false
	}
	d, err := strconv.Atoi(w)
	return d, err == nil && d >= 1 && d <= 31
}

func isoDate(w string) (Date, bool) {
	if len(w) != 10 {
		return Date{}, false
	}
	t, err := time.Parse("2006-01-02", w)
	if err != nil {
		return Date{}, false
	}
	return DateOf(t), true
}

// nextWeekday returns the next day after today falling on wd.
func nextWeekday(today Date, wd time.Weekday) Date {
	days := (int(wd) - int(today.Weekday()) + 7) % 7
	if days == 0 {
		days = 7
	}
	return today.AddDays(days)
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// months maps month names and their three-letter abbreviations (and
// "sept") to months. It is never written after initialization.
var months = func() map[string]time.Month {
	out := map[string]time.Month{"sept": time.September}
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		out[name] = m
		out[name[:3]] = m
	}
	return out
}()
