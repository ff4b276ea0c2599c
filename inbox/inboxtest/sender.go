package inboxtest

import (
	"context"
	"slices"
	"sync"

	"github.com/inboxkit/inboxkit/inbox"
)

// Sender is an [inbox.Sender] that records what it is asked to send,
// safe for concurrent use. With Fail set, each send first asks Fail,
// and a non-nil answer is returned instead of recording the message
// (build an *inbox.SendError to choose temporary or permanent).
type Sender struct {
	mu   sync.Mutex
	sent []*inbox.Outgoing
	// Fail, when set, decides the outcome of each send.
	Fail func(m *inbox.Outgoing) error
	// attempts counts every call, failed ones included.
	attempts int
}

// Send records m unless Fail refuses it.
func (s *Sender) Send(_ context.Context, m *inbox.Outgoing) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if s.Fail != nil {
		if err := s.Fail(m); err != nil {
			return err
		}
	}
	c := *m
	c.Envelope.To = slices.Clone(m.Envelope.To)
	c.Raw = slices.Clone(m.Raw)
	s.sent = append(s.sent, &c)
	return nil
}

// Take returns the messages sent so far and forgets them.
func (s *Sender) Take() []*inbox.Outgoing {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sent
	s.sent = nil
	return out
}

// Attempts returns how many sends were asked for, failed ones included.
func (s *Sender) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// SetFail replaces Fail while sends may be running.
func (s *Sender) SetFail(f func(m *inbox.Outgoing) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Fail = f
}
