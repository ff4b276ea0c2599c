// Package imapsync keeps inboxkit in step with connected IMAP accounts,
// on github.com/emersion/go-imap/v2: the account's incoming mail (its
// INBOX) is delivered with [inbox.Engine.DeliverRaw] and the mail it sent
// (its Sent folder) recorded with [inbox.Engine.RecordSentRaw].
//
// Folders are found by their special-use attribute (Inbox, Sent, Archive,
// Trash, Junk, All, Drafts), else by common names, else as configured
// ([DetectFolders]). For each synced folder a cursor is kept in the store
// (the optional [storage.SyncCursors] role): the folder's UIDVALIDITY,
// the highest UID handled, and, during the initial import, where the
// import stops. A message is delivered first and the cursor advanced
// after; since delivering the same copy again changes nothing in the
// engine, a crash between the two never loses or doubles a message.
//
// The initial import is bounded by a history window ([Server.History]);
// mail arriving later is always synced. When a folder's UIDVALIDITY
// changes, its messages are delivered again under their new references,
// naming the stale ones they supersede: known messages only have their
// reference re-mapped, and nothing is delivered twice.
//
// [Syncer.Run] catches up, then waits with IDLE where the server supports
// it (polling otherwise), and reconnects with backoff after any network or
// protocol error. A message that cannot be delivered (over the size limit,
// not a message at all, or failing repeatedly) is logged and skipped with
// its reason recorded in the store ([Syncer.Skips]); the cursor moves past
// it, never losing its place.
//
// [Syncer.AppendSent] keeps a copy of mail sent by SMTP in the Sent folder
// for providers that do not. Options.Status reports each account's
// connection state, Disconnected after 30 minutes without a connection,
// for the host to show.
//
// Write-back of the library's actions to the server (read state, archive,
// trash, labels, expunge) is not part of this package yet: it will consume
// the engine's durable event feed and turn each message's stored reference
// back into a folder and UID with [ParseRef], moving copies between the
// folders [DetectFolders] maps.
package imapsync

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/mail"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/mailauth"
	"github.com/inboxkit/inboxkit/storage"
)

// DefaultHistory is the history window of an initial import when
// Server.History is zero: the last 15 days.
const DefaultHistory = 15 * 24 * time.Hour

// ErrNoSyncCursors is returned when the store does not implement the
// optional storage.SyncCursors role.
var ErrNoSyncCursors = errors.New("imapsync: the store does not keep sync cursors (storage.SyncCursors)")

// Server is the IMAP server of an account and how to sync it.
type Server struct {
	// Addr is host:port, for example "imap.example.com:993".
	Addr string
	// Security is how the connection is protected; the zero value is
	// STARTTLS, required.
	Security mailauth.Security
	// AllowSelfSigned accepts a self-signed certificate that names the
	// host. Off by default: certificates are verified.
	AllowSelfSigned bool
	// RootCAs replaces the system's trusted roots when not nil.
	RootCAs *x509.CertPool
	// Credentials authenticate the account: a password (AUTHENTICATE
	// PLAIN where offered, else LOGIN) or an OAuth2 token source
	// (OAUTHBEARER or XOAUTH2).
	Credentials mailauth.Credentials
	// Folders names folders explicitly, overriding detection.
	Folders Folders
	// History is how far back the initial import goes: mail whose
	// arrival date is within History of the first sync. Zero means
	// DefaultHistory; negative imports no history. AllHistory imports
	// everything.
	History    time.Duration
	AllHistory bool
}

// Servers resolves the IMAP server of an account. The host implements it
// from its account settings.
type Servers interface {
	Server(ctx context.Context, account conversation.AccountID) (Server, error)
}

// ServersFunc adapts a function to [Servers].
type ServersFunc func(ctx context.Context, account conversation.AccountID) (Server, error)

// Server calls f.
func (f ServersFunc) Server(ctx context.Context, account conversation.AccountID) (Server, error) {
	return f(ctx, account)
}

// Progress counts what the sync of one account did since its Syncer
// started: messages fetched from the server, delivered to the engine
// (re-deliveries of known copies included), skipped with a recorded
// reason, and delivery attempts that failed and will be retried.
type Progress struct {
	Account conversation.AccountID
	// Folder is the folder the last change concerns.
	Folder                              string
	Fetched, Delivered, Skipped, Failed int
}

// Options configure a [Syncer]. Engine and Servers are required; the
// other zero values work.
type Options struct {
	Engine *inbox.Engine
	// Store keeps the cursors; nil means Engine.Store(). It must
	// implement storage.SyncCursors (storage/memory does).
	Store   storage.Store
	Servers Servers
	// Logger receives connection, folder and skip records; nil discards.
	Logger *slog.Logger
	// Progress, when set, is called after every change of an account's
	// counts, from the goroutine syncing it; it must not block long.
	Progress func(Progress)
	// PollInterval is how often a server without IDLE is checked, and how
	// often IDLE is interrupted to sync the other folders. Zero means one
	// minute.
	PollInterval time.Duration
	// MinBackoff and MaxBackoff bound the wait before reconnecting after
	// an error, doubling from one to the other (with jitter). Zero means
	// one second and five minutes.
	MinBackoff, MaxBackoff time.Duration
	// MaxMessageSize is the largest message fetched; larger ones are
	// skipped. Zero means mail.DefaultMaxSize; keep it at most the
	// engine's Config.MaxMessageSize.
	MaxMessageSize int64
	// BatchSize is how many messages one FETCH asks for (fewer when they
	// are large). Zero means 100.
	BatchSize int
	// MaxAttempts is how many times a message whose FETCH answer cannot
	// be read is tried before it is skipped. Zero means 3. A broken
	// connection or a failing store is retried without limit, never
	// skipped.
	MaxAttempts int
	// Status, when set, is called with the connection state of an account
	// under Run whenever it changes and after every failed attempt.
	Status func(Status)
	// DisconnectAfter is how long an account may fail to connect before
	// its Status is Disconnected. Zero means DefaultDisconnectAfter.
	DisconnectAfter time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Syncer syncs IMAP accounts into an engine. One Syncer serves many
// accounts; run one [Syncer.Run] per account.
type Syncer struct {
	o        Options
	engine   *inbox.Engine
	store    storage.Store
	log      *slog.Logger
	mu       sync.Mutex
	accounts map[conversation.AccountID]*accountState
}

// accountState is what a Syncer remembers of an account between
// connections: its counts and the failures per message.
type accountState struct {
	progress Progress
	status   Status
	attempts map[Ref]int
}

// New returns a Syncer.
func New(o Options) (*Syncer, error) {
	if o.Engine == nil || o.Servers == nil {
		return nil, errors.New("imapsync: Options.Engine and Options.Servers are required")
	}
	s := &Syncer{o: o, engine: o.Engine, store: o.Store, log: o.Logger, accounts: map[conversation.AccountID]*accountState{}}
	if s.store == nil {
		s.store = o.Engine.Store()
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.o.PollInterval <= 0 {
		s.o.PollInterval = time.Minute
	}
	if s.o.MinBackoff <= 0 {
		s.o.MinBackoff = time.Second
	}
	if s.o.MaxBackoff < s.o.MinBackoff {
		s.o.MaxBackoff = max(5*time.Minute, s.o.MinBackoff)
	}
	if s.o.MaxMessageSize <= 0 {
		s.o.MaxMessageSize = mail.DefaultMaxSize
	}
	if s.o.BatchSize <= 0 {
		s.o.BatchSize = 100
	}
	if s.o.MaxAttempts <= 0 {
		s.o.MaxAttempts = 3
	}
	if s.o.Now == nil {
		s.o.Now = time.Now
	}
	if s.o.DisconnectAfter <= 0 {
		s.o.DisconnectAfter = DefaultDisconnectAfter
	}
	return s, nil
}

// Sync connects to the account's server once, brings every synced folder
// up to date, and returns.
func (s *Syncer) Sync(ctx context.Context, account conversation.AccountID) error {
	ss, err := s.connect(ctx, account)
	if err != nil {
		return err
	}
	defer ss.close()
	return ss.syncAll(ctx)
}

// Run syncs the account until ctx ends, and then returns ctx's error:
// it catches up, waits for new mail with IDLE (or polls), and reconnects
// with backoff after any error.
func (s *Syncer) Run(ctx context.Context, account conversation.AccountID) error {
	backoff := s.o.MinBackoff
	for {
		healthy, err := s.runSession(ctx, account)
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if healthy {
			backoff = s.o.MinBackoff
		}
		s.failed(account, err)
		wait := backoff/2 + rand.N(backoff/2+1)
		s.log.WarnContext(ctx, "imap sync interrupted; reconnecting", "account", account.String(), "error", err, "wait", wait)
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(wait):
		}
		backoff = min(2*backoff, s.o.MaxBackoff)
	}
}

// runSession is one connection of Run; healthy reports whether it got as
// far as a complete catch-up (which resets the backoff).
func (s *Syncer) runSession(ctx context.Context, account conversation.AccountID) (healthy bool, err error) {
	ss, err := s.connect(ctx, account)
	if err != nil {
		return false, err
	}
	defer ss.close()
	for {
		if err := ss.syncAll(ctx); err != nil {
			return healthy, err
		}
		if !healthy {
			s.connected(account)
		}
		healthy = true
		if err := ss.wait(ctx); err != nil {
			return healthy, err
		}
	}
}

// Skips returns the messages of account skipped so far, with their
// reasons, oldest first (at most limit; all when limit <= 0).
func (s *Syncer) Skips(ctx context.Context, account conversation.AccountID, limit int) ([]storage.SyncSkip, error) {
	var out []storage.SyncSkip
	err := s.store.View(ctx, func(tx storage.ReadTx) error {
		r, ok := tx.(storage.SyncCursorReader)
		if !ok {
			return ErrNoSyncCursors
		}
		var err error
		out, err = r.SyncSkips(ctx, account, limit)
		return err
	})
	return out, err
}

// Cursor returns the stored cursor of a folder of account; ErrNotFound
// (conversation) before its first sync.
func (s *Syncer) Cursor(ctx context.Context, account conversation.AccountID, folder string) (storage.SyncCursor, error) {
	var c storage.SyncCursor
	err := s.store.View(ctx, func(tx storage.ReadTx) error {
		r, ok := tx.(storage.SyncCursorReader)
		if !ok {
			return ErrNoSyncCursors
		}
		var err error
		c, err = r.SyncCursor(ctx, account, folder)
		return err
	})
	return c, err
}

// state returns the remembered state of account.
func (s *Syncer) state(account conversation.AccountID) *accountState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.accounts[account]
	if st == nil {
		st = &accountState{progress: Progress{Account: account}, attempts: map[Ref]int{}}
		s.accounts[account] = st
	}
	return st
}

// count changes account's progress with f and reports it.
func (s *Syncer) count(account conversation.AccountID, folder string, f func(p *Progress)) {
	st := s.state(account)
	s.mu.Lock()
	st.progress.Folder = folder
	f(&st.progress)
	p := st.progress
	s.mu.Unlock()
	if s.o.Progress != nil {
		s.o.Progress(p)
	}
}

// attempt records a failed attempt at r and reports whether it may be
// tried again.
func (s *Syncer) attempt(account conversation.AccountID, r Ref) bool {
	st := s.state(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	st.attempts[r]++
	return st.attempts[r] < s.o.MaxAttempts
}

// attempts returns how many attempts at r failed.
func (s *Syncer) attempts(account conversation.AccountID, r Ref) int {
	st := s.state(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	return st.attempts[r]
}

// forget drops the failures recorded for r once it is handled.
func (s *Syncer) forget(account conversation.AccountID, r Ref) {
	st := s.state(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(st.attempts, r)
}

// deliver hands one fetched message to the engine: incoming mail for the
// Inbox role, the account's own mail for Sent.
func (s *Syncer) deliver(ctx context.Context, account conversation.AccountID, role Role, r Ref, supersedes string, body []byte) error {
	in := inbox.RawIncoming{Account: account, Ref: r.String(), Supersedes: supersedes, Message: bytes.NewReader(body)}
	var err error
	if role == Sent {
		_, err = s.engine.RecordSentRaw(ctx, inbox.System, in)
	} else {
		_, err = s.engine.DeliverRaw(ctx, inbox.System, in)
	}
	return err
}

// undeliverable reports whether a delivery error is about the message
// itself (too large, not a message, refused as invalid): delivering it
// again cannot succeed, so it is skipped. Any other error (the store, the
// context) is retried, never skipped.
func undeliverable(err error) bool {
	return errors.Is(err, mail.ErrTooLarge) || errors.Is(err, mail.ErrNotMessage) ||
		errors.Is(err, inbox.ErrInvalidArgument) || errors.Is(err, inbox.ErrLimitReached)
}

// brokenConnection reports whether a fetch failed because the connection
// broke (retried after reconnecting, whatever the count) rather than
// because the server's answer could not be read (counted against the
// message, which is skipped after Options.MaxAttempts).
func brokenConnection(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// advance stores cur, with skip when not nil, in one transaction.
func (s *Syncer) advance(ctx context.Context, cur storage.SyncCursor, skip *storage.SyncSkip) error {
	return s.store.Update(ctx, func(tx storage.Tx) error {
		sc, ok := tx.(storage.SyncCursors)
		if !ok {
			return ErrNoSyncCursors
		}
		if skip != nil {
			if err := sc.AddSyncSkip(ctx, *skip); err != nil {
				return err
			}
		}
		return sc.PutSyncCursor(ctx, cur)
	})
}

// loadCursor returns the stored cursor of folder, found false when none.
func (s *Syncer) loadCursor(ctx context.Context, account conversation.AccountID, folder string) (storage.SyncCursor, bool, error) {
	c, err := s.Cursor(ctx, account, folder)
	if errors.Is(err, conversation.ErrNotFound) {
		return storage.SyncCursor{}, false, nil
	}
	return c, err == nil, err
}

// since is the start of the history window of a first import at now,
// zero for all history.
func since(srv Server, now time.Time) time.Time {
	switch {
	case srv.AllHistory:
		return time.Time{}
	case srv.History < 0:
		return now.Add(24 * time.Hour) // nothing before today's mail
	case srv.History == 0:
		return now.Add(-DefaultHistory)
	}
	return now.Add(-srv.History)
}

// errf wraps err with the account for logs and callers.
func errf(account conversation.AccountID, format string, args ...any) error {
	return fmt.Errorf("imap account %s: "+format, append([]any{account}, args...)...)
}
