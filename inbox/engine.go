package inbox

import (
	"bufio"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/mail"
	"github.com/inboxkit/inboxkit/guests"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/storage/memory"
	"github.com/inboxkit/inboxkit/threading"
)

// Sentinel errors, the same values as package conversation's, so callers
// need import only this package. Test with [errors.Is].
var (
	ErrNotFound        = conversation.ErrNotFound
	ErrForbidden       = conversation.ErrForbidden
	ErrConflict        = conversation.ErrConflict
	ErrInvalidArgument = conversation.ErrInvalidArgument
	ErrLimitReached    = conversation.ErrLimitReached
)

// ErrDecisionRequired is returned when an operation needs a choice the
// caller did not make: archiving an assigned conversation with the "Ask"
// preference and no close decision, trashing from a team inbox without
// confirmation. It wraps [ErrInvalidArgument].
var ErrDecisionRequired = fmt.Errorf("%w: a decision is required", ErrInvalidArgument)

// Clock tells the engine the time. Hosts and tests substitute their own.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Actor is who performs an operation: a user, or the system (mail
// transport, timers, automation). The zero Actor is invalid, so a
// forgotten actor never acts with system rights.
type Actor struct {
	user   conversation.UserID
	system bool
}

// AsUser returns the actor for user u.
func AsUser(u conversation.UserID) Actor { return Actor{user: u} }

// System is the actor for mail delivery and automation. It bypasses
// access checks but not the domain's own rules (a room still cannot be
// assigned).
var System = Actor{system: true}

// User returns the acting user, zero for the system.
func (a Actor) User() conversation.UserID { return a.user }

// IsSystem reports whether a is [System].
func (a Actor) IsSystem() bool { return a.system }

// String returns "system" or "user:<id>".
func (a Actor) String() string {
	if a.system {
		return "system"
	}
	return "user:" + a.user.String()
}

// Config configures an [Engine]. The zero value of every field is valid.
type Config struct {
	// Store persists everything. Nil means a new in-memory store
	// (storage/memory), the embedded default.
	Store storage.Store
	// Clock tells the time. Nil means the system clock.
	Clock Clock
	// Notifier receives notifications after each committed operation,
	// from the outbox, at least once. Nil means notifications are not
	// handed out (they stay in the outbox for the feed).
	Notifier Notifier
	// Subscribers receive every timeline event after its operation
	// commits, from the outbox, in commit order, at least once.
	Subscribers []EventHandler
	// Sender sends the replies queued with [Engine.SendReply]. Nil means
	// SendReply refuses to queue (ErrInvalidArgument).
	Sender Sender
	// Consumer is the name under which the engine records how far it has
	// handed the outbox to Subscribers and Notifier. Zero means
	// [DefaultConsumer]. Engines sharing a store and a name share the
	// work: each record is handed out by at least one of them. Give each
	// engine its own name if each must see every record.
	Consumer string
	// NewID makes the UUIDs of new entities. Nil means version 7 UUIDs.
	NewID func() uuid.UUID
	// OnError receives errors that happen after an operation committed
	// (a failing Notifier). Nil means they are dropped; the operation has
	// succeeded either way.
	OnError func(error)
	// MaxMessages is the number of external messages a conversation holds
	// before new ones start a new conversation. Zero means the documented
	// 400.
	MaxMessages int
	// SubjectWindow turns on subject-only grouping when positive: a message
	// whose ids name no known message joins the conversation of its scope
	// that last received a message with the same normalized subject
	// (localized Re/Fwd prefixes and list tags removed) dated within
	// SubjectWindow. Zero, the default, never groups by subject alone;
	// threading.DefaultSubjectWindow is a sensible value. The fallback only
	// groups messages that arrived with the same audience (who can see them
	// through the account or address they arrived on): two strangers writing
	// "Question" to two differently shared addresses stay apart.
	SubjectWindow time.Duration
	// MaxRetries bounds how often an operation is retried after the store
	// reports a conflict. Zero means 8.
	MaxRetries int
	// InvitationTTL is how long a guest invitation can be accepted. Zero
	// means guests.DefaultInvitationTTL (7 days).
	InvitationTTL time.Duration
	// MaxMessageSize is the largest raw message [Engine.DeliverRaw] and
	// [Engine.RecordSentRaw] accept, in bytes; larger ones fail with
	// mail.ErrTooLarge (an ErrLimitReached). It bounds each body (Text,
	// HTML) of a structured message the same way. Zero means
	// mail.DefaultMaxSize (25 MiB); negative means no limit.
	MaxMessageSize int64
	// MaxReferences bounds the References header of composed replies
	// (oldest ids dropped, the thread's root kept). Zero means
	// mail.DefaultMaxReferences.
	MaxReferences int
	// Limits bound the work one input can cause (message subject,
	// header and recipients, comment size, task lines, tasks per
	// conversation, mentions); the zero value means the documented
	// defaults. MaxMessageSize also bounds each body of a structured
	// message.
	Limits Limits
}

// Engine is a shared inbox. It holds no state of its own besides its
// configuration: everything lives in the store, so several engines may
// share one store. An Engine is safe for concurrent use.
type Engine struct {
	// random is the engine's own crypto/rand source, for IDs and
	// invitation tokens; invitationTTL is Config.InvitationTTL.
	random        io.Reader
	invitationTTL time.Duration

	// consumer is Config.Consumer; registered is set once the engine
	// knows the store has it; drainMu lets one drain run at a time;
	// crashBeforeDrain (tests only) makes operations return before they
	// drain, as if the process died right after the commit.
	consumer         string
	registered       atomic.Bool
	drainMu          sync.Mutex
	drainAgain       atomic.Bool
	crashBeforeDrain bool
	// owner names the engine when it leases scheduled jobs.
	owner string
	// sender is Config.Sender.
	sender Sender

	store       storage.Store
	clock       Clock
	notifier    Notifier
	subscribers []EventHandler
	newID       func() uuid.UUID
	onError     func(error)
	maxMessages int
	maxRetries  int
	threadOpts  threading.Options
	parser      *mail.Parser
	maxRefs     int
	limits      Limits
	maxBody     int64
}

// DefaultMaxMessages is the documented message cap of a conversation.
const DefaultMaxMessages = 400

// New returns an engine configured by cfg.
func New(cfg Config) *Engine {
	e := &Engine{
		store:       cfg.Store,
		clock:       cfg.Clock,
		notifier:    cfg.Notifier,
		subscribers: cfg.Subscribers,
		newID:       cfg.NewID,
		onError:     cfg.OnError,
		maxMessages: cfg.MaxMessages,
		maxRetries:  cfg.MaxRetries,
		consumer:    cfg.Consumer,
		sender:      cfg.Sender,

		random:        &randomPool{r: bufio.NewReaderSize(rand.Reader, 4096)},
		invitationTTL: cfg.InvitationTTL,
	}
	if e.store == nil {
		e.store = memory.New()
	}
	e.owner = newOwner(e)
	if e.consumer == "" {
		e.consumer = DefaultConsumer
	}
	if e.clock == nil {
		e.clock = systemClock{}
	}
	if e.newID == nil {
		e.newID = func() uuid.UUID { return uuid.Must(uuid.NewV7FromReader(e.random)) }
	}
	if e.invitationTTL <= 0 {
		e.invitationTTL = guests.DefaultInvitationTTL
	}
	if e.maxMessages <= 0 {
		e.maxMessages = DefaultMaxMessages
	}
	if e.maxRetries <= 0 {
		e.maxRetries = 8
	}
	e.threadOpts = threading.Options{MaxMessages: e.maxMessages, SubjectWindow: cfg.SubjectWindow}
	e.parser = mail.NewParser(mail.Options{MaxSize: cfg.MaxMessageSize})
	e.maxRefs = cfg.MaxReferences
	e.limits = cfg.Limits.withDefaults()
	e.maxBody = maxBodySize(cfg.MaxMessageSize)
	return e
}

// Store returns the engine's store.
func (e *Engine) Store() storage.Store { return e.store }

// now returns the clock's time, truncated to microseconds so it survives
// storage backends with that resolution.
func (e *Engine) now() time.Time { return e.clock.Now().UTC().Truncate(time.Microsecond) }

// reportError hands a post-commit error to the host.
func (e *Engine) reportError(err error) {
	if err != nil && e.onError != nil {
		e.onError(err)
	}
}

// isConflict reports whether err asks for a retry.
func isConflict(err error) bool { return errors.Is(err, conversation.ErrConflict) }

// isNotFound reports whether err means a missing entity.
func isNotFound(err error) bool { return errors.Is(err, conversation.ErrNotFound) }

// randomPool reads crypto/rand in 4 KiB blocks, so making an ID does not
// cost a system call each time. It is safe for concurrent use.
type randomPool struct {
	mu sync.Mutex
	r  *bufio.Reader
}

func (p *randomPool) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return io.ReadFull(p.r, b)
}
