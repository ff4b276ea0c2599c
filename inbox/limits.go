package inbox

import (
	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/mail"
)

// Defaults of [Limits].
const (
	// DefaultMaxSubjectSize is the longest message subject, in bytes.
	DefaultMaxSubjectSize = 4 << 10
	// DefaultMaxHeaderSize bounds a message's header fields as stored, in
	// bytes (see Limits.MaxHeaderSize).
	DefaultMaxHeaderSize = 256 << 10
	// DefaultMaxRecipients is the most addresses one message names in To,
	// Cc, Bcc and Delivered-To together.
	DefaultMaxRecipients = 1000
	// DefaultMaxCommentSize is the longest comment body, in bytes.
	DefaultMaxCommentSize = 64 << 10
	// DefaultMaxTaskLines is the most task lines ("[ ] ...") one comment
	// may hold.
	DefaultMaxTaskLines = 500
	// DefaultMaxConversationTasks is the most subtasks one conversation
	// may hold.
	DefaultMaxConversationTasks = 2000
	// DefaultMaxMentions is the most distinct mentions one comment may
	// make.
	DefaultMaxMentions = 100
)

// Limits bound the work any one input can cause, counted in units of
// work (bytes, lines, lookups), never in time. Input over a limit is
// refused with an error matching [ErrLimitReached], and nothing of it is
// stored. The zero value of each field means its default; docs/design.md
// ("Limits") lists them all.
type Limits struct {
	// MaxSubjectSize is the longest subject a message may have, in bytes,
	// whether it is parsed from raw mail or given as a structured
	// message, and a conversation's custom subject (SetSubject). Zero
	// means DefaultMaxSubjectSize (4 KiB).
	MaxSubjectSize int
	// MaxHeaderSize bounds the header fields of a message as stored, in
	// bytes: its addresses (names included), subject, Message-ID,
	// In-Reply-To and References ids, list and automation headers,
	// attachment names and types, and parser notes. Zero means
	// DefaultMaxHeaderSize (256 KiB). The bodies (Text and HTML) are
	// bounded by Config.MaxMessageSize, each, for structured messages as
	// for raw ones.
	MaxHeaderSize int
	// MaxRecipients is the most addresses a message may name in To, Cc,
	// Bcc and Delivered-To together; each is looked up to route the
	// message. Zero means DefaultMaxRecipients (1,000).
	MaxRecipients int
	// MaxCommentSize is the longest comment body, in bytes. Zero means
	// DefaultMaxCommentSize (64 KiB).
	MaxCommentSize int
	// MaxTaskLines is the most task lines one comment may hold (each
	// becomes a subtask). Zero means DefaultMaxTaskLines (500).
	MaxTaskLines int
	// MaxConversationTasks is the most subtasks one conversation may
	// hold, however they are created (task lines, CreateTask,
	// CommentToTask). Zero means DefaultMaxConversationTasks (2,000).
	MaxConversationTasks int
	// MaxMentions is the most distinct mentions one comment may make:
	// "@handle" words (each looked up) and explicit mentions. Zero means
	// DefaultMaxMentions (100).
	MaxMentions int
}

// withDefaults returns l with each zero field set to its default.
func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxSubjectSize, DefaultMaxSubjectSize)
	def(&l.MaxHeaderSize, DefaultMaxHeaderSize)
	def(&l.MaxRecipients, DefaultMaxRecipients)
	def(&l.MaxCommentSize, DefaultMaxCommentSize)
	def(&l.MaxTaskLines, DefaultMaxTaskLines)
	def(&l.MaxConversationTasks, DefaultMaxConversationTasks)
	def(&l.MaxMentions, DefaultMaxMentions)
	return l
}

// limitError is the ErrLimitReached every limit answers with.
func limitError(what string, n, limit int64, unit string) error {
	return conversation.Errorf(ErrLimitReached, "%s: %d %s, more than the limit of %d", what, n, unit, limit)
}

// checkMessage holds a message to the limits, whichever path brings it
// (Deliver, RecordSent, RecordReply and their raw forms, ComposeReply):
// the subject, the header fields, each body, the recipients.
func (e *Engine) checkMessage(m *conversation.Message) error {
	l := e.limits
	if n := len(m.Subject); n > l.MaxSubjectSize {
		return limitError("message subject too long", int64(n), int64(l.MaxSubjectSize), "bytes")
	}
	if n := len(m.To) + len(m.Cc) + len(m.Bcc) + len(m.DeliveredTo); n > l.MaxRecipients {
		return limitError("too many recipients", int64(n), int64(l.MaxRecipients), "addresses")
	}
	if n := headerSize(m); n > l.MaxHeaderSize {
		return limitError("message header too large", int64(n), int64(l.MaxHeaderSize), "bytes")
	}
	if max := e.maxBody; max >= 0 {
		for _, b := range [...]struct{ name, s string }{{"text", m.Text}, {"HTML", m.HTML}, {"unquoted text", m.Unquoted}} {
			if n := int64(len(b.s)); n > max {
				return limitError("message "+b.name+" too large", n, max, "bytes")
			}
		}
	}
	return nil
}

// headerSize is the size of m's header fields as stored (see
// Limits.MaxHeaderSize).
func headerSize(m *conversation.Message) int {
	n := len(m.Subject) + len(m.HeaderID) + len(m.ListID) + len(m.MailingList) + len(m.AutomatedBy) + len(m.From.Name) + len(m.From.Address)
	for _, list := range [...][]conversation.Address{m.To, m.Cc, m.Bcc, m.ReplyTo, m.DeliveredTo} {
		for _, a := range list {
			n += len(a.Name) + len(a.Address)
		}
	}
	for _, list := range [...][]string{m.InReplyTo, m.References, m.Defects} {
		for _, s := range list {
			n += len(s)
		}
	}
	for _, a := range m.Attachments {
		n += len(a.Name) + len(a.ContentType) + len(a.ContentID)
	}
	return n
}

// maxBodySize is the body limit of structured messages: the raw size
// limit (Config.MaxMessageSize), negative for none.
func maxBodySize(cfg int64) int64 {
	if cfg == 0 {
		return mail.DefaultMaxSize
	}
	return cfg
}
