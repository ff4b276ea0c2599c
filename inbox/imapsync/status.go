package imapsync

import (
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// DefaultDisconnectAfter is how long an account may fail to connect
// before [Status.Disconnected] is set, when Options.DisconnectAfter is
// zero: 30 minutes.
const DefaultDisconnectAfter = 30 * time.Minute

// Status is the connection state of an account under [Syncer.Run],
// reported to Options.Status whenever it changes and after every failed
// attempt. The host turns it into its account state: an account that is
// Disconnected needs the user's attention (a changed password, a server
// gone), while Run keeps retrying.
type Status struct {
	Account conversation.AccountID
	// Connected is set while a connection is up and synced.
	Connected bool
	// Since is when the current state began: the connection, or the
	// first failure since the last good connection.
	Since time.Time
	// Err is the last error while not connected.
	Err error
	// Disconnected is set once the account has failed to connect for
	// Options.DisconnectAfter.
	Disconnected bool
}

// connected reports that account's connection is up.
func (s *Syncer) connected(account conversation.AccountID) {
	st := s.state(account)
	now := s.o.Now()
	s.mu.Lock()
	changed := !st.status.Connected
	if changed {
		st.status = Status{Account: account, Connected: true, Since: now}
	}
	out := st.status
	s.mu.Unlock()
	if changed && s.o.Status != nil {
		s.o.Status(out)
	}
}

// failed reports a failed attempt or a lost connection of account.
func (s *Syncer) failed(account conversation.AccountID, err error) {
	st := s.state(account)
	now := s.o.Now()
	s.mu.Lock()
	if st.status.Connected || st.status.Since.IsZero() {
		st.status = Status{Account: account, Since: now}
	}
	st.status.Err = err
	st.status.Disconnected = now.Sub(st.status.Since) >= s.o.DisconnectAfter
	out := st.status
	s.mu.Unlock()
	if out.Disconnected {
		s.log.Error("imap account disconnected", "account", account.String(), "since", out.Since, "error", err)
	}
	if s.o.Status != nil {
		s.o.Status(out)
	}
}
