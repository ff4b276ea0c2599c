package mail

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// DefaultMaxSize is the size limit of a [Parser] whose Options.MaxSize is
// zero: 25 MiB, the attachment limit of the common mail providers. It limits
// the raw message, in which base64 makes attachments about a third larger
// than they are.
const DefaultMaxSize = 25 << 20

// DefaultMaxParts is the number of MIME parts a [Parser] whose
// Options.MaxParts is zero reads; later parts are skipped with a defect.
const DefaultMaxParts = 1000

var (
	// ErrTooLarge is returned when a message is larger than the parser's
	// MaxSize. It is detected while reading: no more than MaxSize+1 bytes
	// are read. It matches conversation.ErrLimitReached too.
	ErrTooLarge = conversation.Errorf(conversation.ErrLimitReached, "mail: message too large")
	// ErrNotMessage is returned when the input does not start with a
	// header field at all (empty input, a body without header, binary
	// data). Any input that starts with one parses, with defects. It
	// matches conversation.ErrInvalidArgument too.
	ErrNotMessage = conversation.Errorf(conversation.ErrInvalidArgument, "mail: not a message: no header field")
	// ErrNoReader is returned by [Parser.Parse] and [Parser.ParseHeader]
	// for a nil reader. It matches conversation.ErrInvalidArgument too.
	ErrNoReader = conversation.Errorf(conversation.ErrInvalidArgument, "mail: no message to read: the reader is nil")
)

// Options configure a [Parser]. The zero value is ready to use.
type Options struct {
	// MaxSize is the largest message, in bytes, the parser accepts;
	// larger messages fail with [ErrTooLarge]. Zero means
	// [DefaultMaxSize]; a negative value means no limit.
	MaxSize int64
	// MaxParts bounds the MIME parts read from one message; zero (or
	// less) means [DefaultMaxParts].
	MaxParts int
}

// Parser turns RFC 5322/MIME messages into [conversation.Message] values.
// Its zero value uses the default [Options]. A Parser is safe for
// concurrent use.
type Parser struct {
	opts Options
}

// NewParser returns a parser with the given options.
func NewParser(opts Options) *Parser { return &Parser{opts: opts} }

func (p *Parser) maxSize() int64 {
	switch {
	case p.opts.MaxSize == 0:
		return DefaultMaxSize
	case p.opts.MaxSize < 0:
		return math.MaxInt64 - 1
	}
	return p.opts.MaxSize
}

func (p *Parser) maxParts() int {
	if p.opts.MaxParts <= 0 {
		return DefaultMaxParts
	}
	return p.opts.MaxParts
}

// Parse reads a whole message from r and parses it like [Parser.ParseBytes].
// It reads at most MaxSize+1 bytes: a longer message fails with an error
// matching [ErrTooLarge]; a nil r fails with [ErrNoReader]. Errors from r
// are returned wrapped.
func (p *Parser) Parse(r io.Reader) (*conversation.Message, error) {
	if r == nil {
		return nil, ErrNoReader
	}
	limit := p.maxSize()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, fmt.Errorf("mail: reading message: %w", err)
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("mail: message larger than %d bytes: %w", limit, ErrTooLarge)
	}
	return p.ParseBytes(buf.Bytes())
}

// ParseBytes parses a message held in memory. The result does not retain
// raw.
//
// What it fills: From (the first From field that parses, else the first
// address found leniently), To, Cc, Bcc, ReplyTo, DeliveredTo, Subject
// (RFC 2047 decoded), At (the Date header, read leniently), HeaderID,
// InReplyTo and References (read with [threading.ExtractID] and
// [threading.ExtractIDs], so ids a strict parser rejects still count),
// Automated and AutomatedBy (see [AutomationHeaders]), ListID, MailingList, Text,
// HTML, Unquoted (see [Unquote]), Attachments and Size. Direction,
// Account, Conversation, ID and Channel are left for the caller.
//
// Text is the message's text/plain content (the parts of a
// multipart/mixed joined in order; of a multipart/alternative the plain
// alternative), decoded to UTF-8 with "\n" line ends; for HTML-only mail
// it is a rendering of the HTML. HTML is the text/html content. Parts
// that are not body text (non-text types, parts with Content-Disposition
// attachment or a file name) are listed in Attachments with their decoded
// size.
//
// Malformed input never makes ParseBytes fail: what cannot be read is
// described in Defects and the rest is kept (an unknown charset keeps the
// bytes as text, a missing or unreadable Date gives the zero time, a
// multipart without its closing boundary keeps its parts). The only errors
// are [ErrTooLarge] and [ErrNotMessage].
func (p *Parser) ParseBytes(raw []byte) (*conversation.Message, error) {
	if int64(len(raw)) > p.maxSize() {
		return nil, fmt.Errorf("mail: message of %d bytes larger than %d: %w", len(raw), p.maxSize(), ErrTooLarge)
	}
	hb, ok := readHeader(raw, true)
	if !ok {
		return nil, ErrNotMessage
	}
	var d defects
	m := &conversation.Message{Size: int64(len(raw))}
	headerFields(m, hb, &d)

	var out body
	w := walker{d: &d, maxParts: p.maxParts()}
	w.entity(mimeFields(hb.fields), hb.body, "body", 0, &out)
	m.Text = joinParts(out.texts)
	m.HTML = joinParts(out.htmls)
	if m.Text == "" && m.HTML != "" {
		var truncated bool
		m.Text, truncated = htmlText(m.HTML)
		if truncated {
			d.addf("body: text rendering of the HTML cut at %d bytes", MaxHTMLText)
		}
	}
	m.Unquoted, _ = Unquote(m.Text)
	m.Attachments = out.atts
	m.Defects = d.result()
	return m, nil
}

// ParseHeader reads only the header of the message in r (up to the first
// blank line, never more than MaxSize bytes) and fills what
// [Parser.ParseBytes] fills from the header: addresses, Subject, At, ids,
// the automated and list headers. Text, HTML, Attachments and Size stay
// empty. It is the fast path for threading.
func (p *Parser) ParseHeader(r io.Reader) (*conversation.Message, error) {
	if r == nil {
		return nil, ErrNoReader
	}
	limit := p.maxSize()
	br := bufio.NewReader(io.LimitReader(r, limit+1))
	var buf []byte
	for {
		start := len(buf)
		line, err := br.ReadSlice('\n')
		for errors.Is(err, bufio.ErrBufferFull) {
			buf = append(buf, line...)
			line, err = br.ReadSlice('\n')
		}
		buf = append(buf, line...)
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("mail: header larger than %d bytes: %w", limit, ErrTooLarge)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("mail: reading header: %w", err)
			}
			break
		}
		if len(trimEOL(buf[start:])) == 0 {
			break // the blank line that ends the header
		}
	}
	hb, ok := readHeader(buf, true)
	if !ok {
		return nil, ErrNotMessage
	}
	var d defects
	m := &conversation.Message{}
	headerFields(m, hb, &d)
	m.Defects = d.result()
	return m, nil
}

// joinParts joins body parts, each starting on a new line.
func joinParts(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	var b strings.Builder
	for _, s := range parts {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		b.WriteString(s)
	}
	return b.String()
}

// headerFields fills m from the header fields.
func headerFields(m *conversation.Message, hb headerBlock, d *defects) {
	if hb.leadingContinuation {
		d.addf("header: starts with a continuation line, skipped")
	}
	if hb.noSeparator {
		d.addf("header: no blank line between header and body")
	}
	var (
		froms                            []string
		subject, date, msgid, irt, refs  string
		haveSubject, haveDate, haveMsgID bool
		auto                             automation
		buf                              [40]byte
	)
	for _, f := range hb.fields {
		name := lowerName(&buf, f.name)
		switch string(name) {
		case "from":
			froms = append(froms, unfold(f.value))
		case "to":
			m.To = append(m.To, parseAddresses(unfold(f.value), "To", d)...)
		case "cc":
			m.Cc = append(m.Cc, parseAddresses(unfold(f.value), "Cc", d)...)
		case "bcc":
			m.Bcc = append(m.Bcc, parseAddresses(unfold(f.value), "Bcc", d)...)
		case "reply-to":
			m.ReplyTo = append(m.ReplyTo, parseAddresses(unfold(f.value), "Reply-To", d)...)
		case "delivered-to":
			m.DeliveredTo = append(m.DeliveredTo, traceAddresses(unfold(f.value), d)...)
		case "subject":
			if !haveSubject {
				subject, haveSubject = unfold(f.value), true
			}
		case "date":
			if !haveDate {
				date, haveDate = unfold(f.value), true
			}
		case "message-id":
			if !haveMsgID {
				msgid, haveMsgID = unfold(f.value), true
			}
		case "in-reply-to":
			if irt == "" {
				irt = unfold(f.value)
			}
		case "references":
			if refs == "" {
				refs = unfold(f.value)
			} else {
				refs += " " + unfold(f.value)
			}
		case "list-id":
			if m.ListID == "" {
				m.ListID = validText(unfold(f.value), "List-Id", d)
			}
		case "mailing-list":
			if m.MailingList == "" {
				m.MailingList = validText(unfold(f.value), "Mailing-List", d)
			}
		default:
			auto.see(name, f.value)
		}
	}
	m.From = pickFrom(froms, d)
	if haveSubject {
		m.Subject = decodeText(subject, "Subject", d)
	}
	switch {
	case !haveDate:
		d.addf("header: no Date")
	default:
		t, ok := parseDate(date)
		if !ok {
			d.addf("header: unreadable Date %q", truncate(date, 80))
		} else {
			m.At = t
		}
	}
	switch {
	case !haveMsgID:
		d.addf("header: no Message-ID")
	default:
		m.HeaderID = threading.ExtractID(msgid)
		if m.HeaderID == "" {
			d.addf("header: unusable Message-ID %q", truncate(msgid, 80))
		}
	}
	m.InReplyTo = threading.ExtractIDs(irt)
	m.References = threading.ExtractIDs(refs)
	m.AutomatedBy = auto.by()
	m.Automated = m.AutomatedBy != ""
}

// pickFrom returns the sender: the first From field that parses strictly
// (mbox-derived files carry a first "From: addr date" line), else the
// first address any of them yields leniently.
func pickFrom(froms []string, d *defects) conversation.Address {
	if len(froms) == 0 {
		d.addf("header: no From")
		return conversation.Address{}
	}
	for _, v := range froms {
		if a, ok := simpleAddress(v); ok {
			return a
		}
		if list, err := addressParser.ParseList(v); err == nil && len(list) > 0 {
			return address(list[0], v, "From", d)
		}
	}
	for _, v := range froms {
		if list := lenientAddresses(v, "From", d); len(list) > 0 {
			d.addf("From: malformed address, read leniently")
			return list[0]
		}
	}
	d.addf("From: no address in %q", truncate(froms[0], 80))
	return conversation.Address{}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}

// SynthesizeID returns the de-duplication id [threading.SynthesizeID]
// makes for a parsed message without a Message-ID: from its Date, From,
// To (addresses, in header order), Subject and a SHA-256 digest of its
// Text and HTML.
func SynthesizeID(m *conversation.Message) string {
	to := make([]string, 0, len(m.To))
	for _, a := range m.To {
		to = append(to, a.Address)
	}
	h := sha256.New()
	io.WriteString(h, m.Text)
	h.Write([]byte{0})
	io.WriteString(h, m.HTML)
	return threading.SynthesizeID(threading.SynthInput{
		Date:       m.At,
		From:       m.From.Address,
		To:         strings.Join(to, ","),
		Subject:    m.Subject,
		BodyDigest: h.Sum(nil),
	})
}
