package channels

import (
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// OnlineMode is the live-chat "Online schedule" setting: when the widget
// shows as online.
type OnlineMode uint8

const (
	// WhenAnyoneOnline: at least one relevant person has an active
	// session.
	WhenAnyoneOnline OnlineMode = iota + 1
	// WhenAnyoneOnlineWithinSchedule: someone is online and the time is
	// within the schedule; "both conditions must be true".
	WhenAnyoneOnlineWithinSchedule
	// WithinSchedule: only the schedule is checked.
	WithinSchedule
)

// Interval is an opening period of one day, as offsets from local
// midnight: Start inclusive, End exclusive, 0 <= Start < End <= 24h. An
// overnight period is two intervals, one on each day.
type Interval struct {
	Start, End time.Duration
}

// Schedule is a weekly opening schedule in a time zone.
type Schedule struct {
	// Location is the schedule's time zone; nil means UTC.
	Location *time.Location
	// Week holds each day's intervals, indexed by time.Weekday (Sunday
	// first). A day without intervals is closed all day.
	Week [7][]Interval
}

// Validate reports a malformed interval with an error wrapping
// [conversation.ErrInvalidArgument].
func (s Schedule) Validate() error {
	for d, day := range s.Week {
		for _, iv := range day {
			if iv.Start < 0 || iv.End > 24*time.Hour || iv.Start >= iv.End {
				return invalid("schedule %s: interval %v-%v is not within one day", time.Weekday(d), iv.Start, iv.End)
			}
		}
	}
	return nil
}

// Open reports whether t falls within the schedule, read on the wall
// clock of the schedule's time zone (so opening hours follow daylight
// saving time).
func (s Schedule) Open(t time.Time) bool {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	h, m, sec := t.Clock()
	off := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second +
		time.Duration(t.Nanosecond())
	for _, iv := range s.Week[t.Weekday()] {
		if off >= iv.Start && off < iv.End {
			return true
		}
	}
	return false
}

// Presence is one member of a live-chat account's audience ("whoever the
// live chat account is shared with") as the host's presence tracking sees
// them.
type Presence struct {
	User conversation.UserID
	// Online is true while the user has an active session (desktop,
	// browser or mobile app).
	Online bool
	// OutOfOffice is true while the user's Out of Office status is on; such
	// users "do not count as being online, even if they have an active
	// Missive session".
	OutOfOffice bool
}

// OnlineSchedule is the live-chat online-status setting.
type OnlineSchedule struct {
	Mode     OnlineMode
	Schedule Schedule
}

// Online reports whether the widget shows as online at now, given the
// presence of the account's audience. An unknown mode or a malformed
// schedule gives an error wrapping [conversation.ErrInvalidArgument].
func (o OnlineSchedule) Online(audience []Presence, now time.Time) (bool, error) {
	if err := o.Schedule.Validate(); err != nil {
		return false, err
	}
	switch o.Mode {
	case WhenAnyoneOnline:
		return anyoneOnline(audience), nil
	case WhenAnyoneOnlineWithinSchedule:
		return o.Schedule.Open(now) && anyoneOnline(audience), nil
	case WithinSchedule:
		return o.Schedule.Open(now), nil
	}
	return false, invalid("unknown online mode %d", o.Mode)
}

func anyoneOnline(audience []Presence) bool {
	for _, p := range audience {
		if p.Online && !p.OutOfOffice {
			return true
		}
	}
	return false
}
