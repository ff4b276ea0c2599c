// Package inboxtest provides what tests of code built on inboxkit need: a
// settable clock, a notifier that records, an event recorder, and the "Acme"
// fixture the scenario tests are written against.
package inboxtest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// Clock is a manually advanced clock, safe for concurrent use. Its zero
// value starts at 2026-01-05 09:00 UTC (a Monday).
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Start is the zero Clock's time.
var Start = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		c.now = Start
	}
	return c.now
}

// Advance moves the clock forward by d and returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		c.now = Start
	}
	c.now = c.now.Add(d)
	return c.now
}

// Notifier records every notification, safe for concurrent use.
type Notifier struct {
	mu    sync.Mutex
	notes []inbox.Notification
}

// Notify records n.
func (r *Notifier) Notify(_ context.Context, n inbox.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, n)
	return nil
}

// Take returns the recorded notifications and forgets them.
func (r *Notifier) Take() []inbox.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.notes
	r.notes = nil
	return out
}

// Users returns the users notified since the last Take, sorted, each
// once, and forgets the notifications.
func (r *Notifier) Users() []conversation.UserID {
	var out []conversation.UserID
	for _, n := range r.Take() {
		out = append(out, n.User)
	}
	slices.SortFunc(out, conversation.UserID.Compare)
	return slices.Compact(out)
}

// Events records timeline events handed to subscribers.
type Events struct {
	mu     sync.Mutex
	events []*conversation.Event
}

// HandleEvent records ev.
func (r *Events) HandleEvent(_ context.Context, ev *conversation.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

// Take returns the recorded events and forgets them.
func (r *Events) Take() []*conversation.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}
