package mail

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// DefaultMaxReferences is the References length of a [Composer] whose
// ComposerOptions.MaxReferences is zero.
const DefaultMaxReferences = 20

var (
	// ErrInvalidDraft is returned for a draft or message that cannot be
	// composed: no From address, an unusable address, an attachment with
	// an invalid content type or no content. It matches
	// conversation.ErrInvalidArgument too.
	ErrInvalidDraft = conversation.Errorf(conversation.ErrInvalidArgument, "mail: invalid draft")
	// ErrInvalidIDHost is returned by [NewComposer] when IDHost is not a
	// usable domain for Message-IDs. It matches
	// conversation.ErrInvalidArgument too.
	ErrInvalidIDHost = conversation.Errorf(conversation.ErrInvalidArgument, "mail: invalid Message-ID host")
)

// ComposerOptions configure a [Composer].
type ComposerOptions struct {
	// IDHost is the domain right of the '@' of generated Message-IDs,
	// normally the sending account's domain. Required.
	IDHost string
	// Rand is the randomness of Message-IDs and MIME boundaries; nil
	// means crypto/rand. A fixed reader makes the output reproducible.
	Rand io.Reader
	// MaxReferences bounds the References of a reply: when the parent's
	// chain is longer, the oldest ids are dropped but the first (the
	// thread's root, RFC 5322 section 3.6.4) is kept. Zero means
	// [DefaultMaxReferences]; negative means no bound; 1 keeps only the
	// parent.
	MaxReferences int
	// Now is the clock of the Date header; nil means time.Now.
	Now func() time.Time
}

// Composer builds outgoing messages: the header fields of a reply as a
// [conversation.Message] the engine records, and the RFC 5322 bytes to
// send ([Composer.Render]). It holds no state besides its options and is
// safe for concurrent use when Rand is.
type Composer struct {
	opts ComposerOptions
}

// NewComposer returns a composer, or [ErrInvalidIDHost] when IDHost is not
// a domain (letters, digits, '-', '.', no empty label).
func NewComposer(opts ComposerOptions) (*Composer, error) {
	if !validHost(opts.IDHost) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidIDHost, opts.IDHost)
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxReferences == 0 {
		opts.MaxReferences = DefaultMaxReferences
	}
	return &Composer{opts: opts}, nil
}

func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isLetter(c) && !('0' <= c && c <= '9') && c != '-' {
				return false
			}
		}
	}
	return true
}

// Attachment is a file to send: its metadata and its content.
type Attachment struct {
	Name        string
	ContentType string // e.g. "application/pdf"; "" means application/octet-stream
	// ContentID makes the attachment an inline part an HTML body can
	// reference as "cid:ContentID" (without angle brackets).
	ContentID string
	// Size is the content's length when the caller knows it; it is copied
	// into the recorded metadata.
	Size    int64
	Content io.Reader
}

// Draft is what a user writes: the sender, the recipients, the body.
type Draft struct {
	// From is the account address or alias the message is sent as.
	From conversation.Address
	// To, Cc and Bcc are the recipients (display names get their
	// whitespace collapsed, as in every address of an outgoing message).
	// For a reply, a nil To means the
	// parent's Reply-To, or its From when it has none (for a reply to an
	// outbound message: the parent's To and Cc).
	To, Cc, Bcc []conversation.Address
	ReplyTo     []conversation.Address
	// Text is the plain-text body; HTML the optional HTML body (sent as
	// multipart/alternative with Text; an HTML-only draft gets a text
	// rendering as its Text). Line ends become "\n".
	Text, HTML  string
	Attachments []Attachment
}

// Reply composes a reply to parent, the message being answered (as
// received or sent: its HeaderID, InReplyTo, References, Subject and
// From). It returns the reply as a [conversation.Message] with Direction
// Outbound, a new HeaderID, At, From, recipients, Subject, Text, HTML,
// Unquoted and attachment metadata set; Account, Conversation and ID are
// the caller's. Render turns it into bytes.
//
//   - HeaderID is new: random hex from Rand, '@', IDHost.
//   - InReplyTo is the parent's HeaderID; References are the parent's
//     References (or, when it has none, its single In-Reply-To id, RFC
//     5322 section 3.6.4) followed by the parent's HeaderID, bounded by
//     MaxReferences keeping the root. Synthetic ids
//     ([threading.IsSynthetic]) are never emitted.
//   - Subject is the parent's subject with exactly one "Re: " in front.
//     It must be the parent's external subject, as the message carried
//     it: a conversation's custom (internal) subject is never sent to
//     recipients, so do not pass a parent whose Subject
//     was replaced by it.
func (c *Composer) Reply(parent *conversation.Message, d Draft) (*conversation.Message, error) {
	if parent == nil {
		return nil, fmt.Errorf("%w: no parent message", ErrInvalidDraft)
	}
	m, err := c.compose(d)
	if err != nil {
		return nil, err
	}
	if d.To == nil {
		switch {
		case parent.Direction == conversation.Outbound:
			m.To = cloneAddrs(parent.To)
			if d.Cc == nil {
				m.Cc = cloneAddrs(parent.Cc)
			}
		case len(parent.ReplyTo) > 0:
			m.To = cloneAddrs(parent.ReplyTo)
		case parent.From.Address != "":
			m.To = []conversation.Address{parent.From}
		}
	}
	m.To = normalizeNames(m.To)
	m.Cc = normalizeNames(m.Cc)
	if err := checkAddrs(Draft{From: m.From, To: m.To, Cc: m.Cc}); err != nil {
		return nil, fmt.Errorf("replying to the parent's addresses: %w", err)
	}
	m.Channel = parent.Channel
	m.Subject = ReplySubject(parent.Subject)
	parentID := ""
	if usableID(parent.HeaderID) {
		parentID = parent.HeaderID
		m.InReplyTo = []string{parentID}
	}
	refs := parent.References
	if len(refs) == 0 && len(parent.InReplyTo) == 1 {
		refs = parent.InReplyTo
	}
	m.References = boundRefs(refs, parentID, c.opts.MaxReferences)
	return m, nil
}

// Compose builds a new outgoing message (not a reply) with the given
// subject, the same way [Composer.Reply] builds a reply.
func (c *Composer) Compose(subject string, d Draft) (*conversation.Message, error) {
	m, err := c.compose(d)
	if err != nil {
		return nil, err
	}
	m.Subject = strings.Join(strings.Fields(subject), " ")
	return m, nil
}

// compose fills what every outgoing message has.
func (c *Composer) compose(d Draft) (*conversation.Message, error) {
	if err := checkAddrs(d); err != nil {
		return nil, err
	}
	id, err := c.random(16)
	if err != nil {
		return nil, err
	}
	m := &conversation.Message{
		Direction: conversation.Outbound,
		From:      normalizeNames([]conversation.Address{d.From})[0],
		To:        normalizeNames(cloneAddrs(d.To)),
		Cc:        normalizeNames(cloneAddrs(d.Cc)),
		Bcc:       normalizeNames(cloneAddrs(d.Bcc)),
		ReplyTo:   normalizeNames(cloneAddrs(d.ReplyTo)),
		HeaderID:  id + "@" + c.opts.IDHost,
		At:        c.opts.Now().Truncate(time.Second),
		Text:      outgoingEOL(d.Text),
		HTML:      outgoingEOL(d.HTML),
	}
	if m.Text == "" && m.HTML != "" {
		m.Text, _ = htmlText(m.HTML)
	}
	m.Unquoted, _ = Unquote(m.Text)
	for i, a := range d.Attachments {
		ct, err := attachmentType(a.ContentType)
		if err != nil {
			return nil, fmt.Errorf("%w: attachment %d: %v", ErrInvalidDraft, i+1, err)
		}
		if a.Content == nil {
			return nil, fmt.Errorf("%w: attachment %d (%q) has no content", ErrInvalidDraft, i+1, a.Name)
		}
		if !validContentID(a.ContentID) {
			return nil, fmt.Errorf("%w: attachment %d: invalid Content-ID %q", ErrInvalidDraft, i+1, a.ContentID)
		}
		m.Attachments = append(m.Attachments, conversation.Attachment{Name: a.Name, ContentType: ct, Size: a.Size, ContentID: a.ContentID})
	}
	return m, nil
}

// outgoingEOL turns CRLF and lone CR line ends into LF: the writer sends
// every line end as CRLF, and the parser reads them back as LF.
func outgoingEOL(s string) string {
	return strings.ReplaceAll(normalizeEOL(s), "\r", "\n")
}

// validContentID reports whether id can be written as <id>: printable
// ASCII without brackets or spaces ("" means none).
func validContentID(id string) bool {
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// attachmentType returns the lower-case media type of ct, without
// parameters, or an error when it is not one.
func attachmentType(ct string) (string, error) {
	if ct == "" {
		return "application/octet-stream", nil
	}
	t, _, err := mime.ParseMediaType(ct)
	if err != nil || strings.Count(t, "/") != 1 || strings.HasPrefix(t, "multipart/") {
		return "", fmt.Errorf("invalid content type %q", ct)
	}
	return t, nil
}

func checkAddrs(d Draft) error {
	if d.From.Address == "" {
		return fmt.Errorf("%w: no From address", ErrInvalidDraft)
	}
	lists := [][]conversation.Address{{d.From}, d.To, d.Cc, d.Bcc, d.ReplyTo}
	for _, l := range lists {
		for _, a := range l {
			if _, err := mail.ParseAddress("<" + a.Address + ">"); err != nil {
				return fmt.Errorf("%w: address %q: %v", ErrInvalidDraft, a.Address, err)
			}
			if strings.ContainsAny(a.Name, "\r\n") {
				return fmt.Errorf("%w: display name %q has a line break", ErrInvalidDraft, a.Name)
			}
		}
	}
	return nil
}

// normalizeNames collapses the whitespace of display names (in place):
// a header writer may fold at any of it, so runs and tabs would not read
// back the same.
func normalizeNames(l []conversation.Address) []conversation.Address {
	for i := range l {
		if strings.ContainsAny(l[i].Name, " \t") {
			l[i].Name = strings.Join(strings.Fields(l[i].Name), " ")
		}
	}
	return l
}

func cloneAddrs(a []conversation.Address) []conversation.Address {
	if len(a) == 0 {
		return nil
	}
	return append([]conversation.Address(nil), a...)
}

// random returns n random bytes from Rand, hex-encoded.
func (c *Composer) random(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(c.opts.Rand, b); err != nil {
		return "", fmt.Errorf("mail: reading randomness: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// usableID reports whether id can be written in a msg-id list: not
// synthetic, and without brackets, whitespace or control characters.
func usableID(id string) bool {
	if id == "" || threading.IsSynthetic(id) {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c == 0x7f || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// boundRefs returns refs followed by parent (when not empty), without
// unusable ids and duplicates, at most max long (max < 0: no bound): the
// first id and the newest ones are kept.
func boundRefs(refs []string, parent string, max int) []string {
	out := make([]string, 0, len(refs)+1)
	seen := make(map[string]bool, len(refs)+1)
	for _, id := range refs {
		if usableID(id) && !seen[id] && id != parent {
			seen[id] = true
			out = append(out, id)
		}
	}
	if parent != "" {
		out = append(out, parent)
	}
	if max < 0 || len(out) <= max {
		if len(out) == 0 {
			return nil
		}
		return out
	}
	if max == 1 {
		return out[len(out)-1:]
	}
	return append(out[:1:1], out[len(out)-(max-1):]...)
}

// ReplySubject returns the subject of a reply to a message with subject
// parent: the parent's subject with its leading reply markers ("Re:",
// "RE:", "Re[2]:", "Re(3):", repeated) replaced by exactly one "Re: ",
// whitespace collapsed ([threading.ReplySubject]). Other markers ("Fwd:",
// "[list]" tags) are kept.
func ReplySubject(parent string) string {
	s := strings.TrimSpace(parent)
	for {
		rest, ok := cutRe(s)
		if !ok {
			break
		}
		s = rest
	}
	return threading.ReplySubject(s)
}

// cutRe removes one leading "Re:" marker (with an optional counter).
func cutRe(s string) (string, bool) {
	if len(s) < 3 || lower(s[0]) != 'r' || lower(s[1]) != 'e' {
		return s, false
	}
	i := 2
	if s[i] == '[' || s[i] == '(' || s[i] == '^' {
		j := i + 1
		for j < len(s) && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		if j == i+1 {
			return s, false
		}
		if s[i] != '^' {
			closer := byte(']')
			if s[i] == '(' {
				closer = ')'
			}
			if j >= len(s) || s[j] != closer {
				return s, false
			}
			j++
		}
		i = j
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= len(s) || s[i] != ':' {
		return s, false
	}
	return strings.TrimSpace(s[i+1:]), true
}

// Render writes m as an RFC 5322 message with go-message's writer: From,
// To, Cc, Reply-To, Subject (RFC 2047 when not ASCII), Date (from At),
// Message-ID, In-Reply-To, References and MIME-Version, then the body:
// Text alone as text/plain, Text and HTML as multipart/alternative, inside
// a multipart/mixed with the attachments when there are any (text in
// UTF-8 quoted-printable, attachments in base64, file names RFC 2231
// encoded). Bcc is not written: give m.Bcc to the transport as envelope
// recipients.
//
// atts are the attachments' contents, in the order of m.Attachments, whose
// metadata they must match (same Name and ContentType): normally the
// Draft's attachments. The output parses back with [Parser] to the same
// fields.
func (c *Composer) Render(w io.Writer, m *conversation.Message, atts []Attachment) error {
	if m.HeaderID == "" || !usableID(m.HeaderID) {
		return fmt.Errorf("%w: message has no usable HeaderID %q", ErrInvalidDraft, m.HeaderID)
	}
	if err := checkAddrs(Draft{From: m.From, To: m.To, Cc: m.Cc, ReplyTo: m.ReplyTo}); err != nil {
		return err
	}
	if len(atts) != len(m.Attachments) {
		return fmt.Errorf("%w: %d attachment contents for %d attachments", ErrInvalidDraft, len(atts), len(m.Attachments))
	}
	for i, a := range m.Attachments {
		ct, _ := attachmentType(atts[i].ContentType)
		if atts[i].Name != a.Name || ct != a.ContentType || atts[i].Content == nil {
			return fmt.Errorf("%w: attachment %d content does not match %q (%s)", ErrInvalidDraft, i+1, a.Name, a.ContentType)
		}
	}

	var h gomail.Header
	setAddressList(&h, "From", []conversation.Address{m.From})
	setAddressList(&h, "To", m.To)
	setAddressList(&h, "Cc", m.Cc)
	setAddressList(&h, "Reply-To", m.ReplyTo)
	if needsWords(m.Subject) {
		h.Set("Subject", encodeWords(m.Subject))
	} else {
		h.SetSubject(m.Subject)
	}
	h.SetDate(m.At)
	h.SetMessageID(m.HeaderID)
	h.SetMsgIDList("In-Reply-To", usableIDs(m.InReplyTo))
	h.SetMsgIDList("References", usableIDs(m.References))

	switch {
	case len(atts) > 0:
		if err := c.setMultipart(&h.Header, "multipart/mixed"); err != nil {
			return err
		}
	case m.HTML != "":
		if err := c.setMultipart(&h.Header, "multipart/alternative"); err != nil {
			return err
		}
	default:
		setTextHeader(&h.Header, "text/plain")
	}
	mw, err := message.CreateWriter(w, h.Header)
	if err != nil {
		return fmt.Errorf("mail: writing header: %w", err)
	}
	switch {
	case len(atts) > 0:
		if err := c.writeText(mw, m); err != nil {
			return err
		}
		for i, a := range m.Attachments {
			if err := writeAttachment(mw, a, atts[i].Content); err != nil {
				return err
			}
		}
	case m.HTML != "":
		if err := writeAlternatives(mw, m); err != nil {
			return err
		}
	default:
		if _, err := io.WriteString(mw, m.Text); err != nil {
			return fmt.Errorf("mail: writing body: %w", err)
		}
	}
	return mw.Close()
}

// setMultipart sets a multipart Content-Type with a boundary from Rand.
func (c *Composer) setMultipart(h *message.Header, ct string) error {
	b, err := c.random(12)
	if err != nil {
		return err
	}
	h.SetContentType(ct, map[string]string{"boundary": b})
	return nil
}

// writeText writes the text part of a multipart/mixed message: text/plain,
// or a multipart/alternative when there is HTML.
func (c *Composer) writeText(mw *message.Writer, m *conversation.Message) error {
	var ph message.Header
	if m.HTML == "" {
		setTextHeader(&ph, "text/plain")
		return writePart(mw, ph, strings.NewReader(m.Text))
	}
	if err := c.setMultipart(&ph, "multipart/alternative"); err != nil {
		return err
	}
	aw, err := mw.CreatePart(ph)
	if err != nil {
		return fmt.Errorf("mail: writing part: %w", err)
	}
	if err := writeAlternatives(aw, m); err != nil {
		return err
	}
	return aw.Close()
}

// writeAlternatives writes the text/plain and text/html parts.
func writeAlternatives(mw *message.Writer, m *conversation.Message) error {
	var th, hh message.Header
	setTextHeader(&th, "text/plain")
	setTextHeader(&hh, "text/html")
	if err := writePart(mw, th, strings.NewReader(m.Text)); err != nil {
		return err
	}
	return writePart(mw, hh, strings.NewReader(m.HTML))
}

func setTextHeader(h *message.Header, ct string) {
	h.Set("Content-Type", mime.FormatMediaType(ct, map[string]string{"charset": "utf-8"}))
	h.Set("Content-Transfer-Encoding", "quoted-printable")
}

func writeAttachment(mw *message.Writer, a conversation.Attachment, content io.Reader) error {
	var ph message.Header
	ph.Set("Content-Type", formatMediaType(a.ContentType, "name", a.Name))
	disp := "attachment"
	if a.ContentID != "" {
		disp = "inline"
		ph.Set("Content-Id", "<"+a.ContentID+">")
	}
	ph.Set("Content-Disposition", formatMediaType(disp, "filename", a.Name))
	ph.Set("Content-Transfer-Encoding", "base64")
	return writePart(mw, ph, content)
}

// formatMediaType formats t with the parameter key=value (none when value
// is empty): as mime.FormatMediaType does for short values, and as RFC
// 2231 continuations of percent-encoded UTF-8 for long ones, so that the
// header writer can fold it without changing it.
func formatMediaType(t, key, value string) string {
	if value == "" {
		return mime.FormatMediaType(t, nil)
	}
	if len(value) <= 60 {
		return mime.FormatMediaType(t, map[string]string{key: value})
	}
	const hexDigits = "0123456789ABCDEF"
	var enc []byte
	for i := 0; i < len(value); i++ {
		c := value[i]
		if isLetter(c) || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			enc = append(enc, c)
		} else {
			enc = append(enc, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	var b strings.Builder
	b.WriteString(mime.FormatMediaType(t, nil))
	for i := 0; len(enc) > 0; i++ {
		n := min(len(enc), 60)
		if n < len(enc) { // never cut a %XX
			if enc[n-1] == '%' {
				n--
			} else if enc[n-2] == '%' {
				n -= 2
			}
		}
		fmt.Fprintf(&b, "; %s*%d*=", key, i)
		if i == 0 {
			b.WriteString("utf-8''")
		}
		b.Write(enc[:n])
		enc = enc[n:]
	}
	return b.String()
}

func writePart(mw *message.Writer, h message.Header, body io.Reader) error {
	pw, err := mw.CreatePart(h)
	if err != nil {
		return fmt.Errorf("mail: writing part: %w", err)
	}
	if _, err := io.Copy(pw, body); err != nil {
		return fmt.Errorf("mail: writing part: %w", err)
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("mail: writing part: %w", err)
	}
	return nil
}

// setAddressList sets an address header with go-message, except that a
// display name that is not ASCII or [needsWords] is written as "B"
// encoded words (net/mail's own encoding of such names does not always
// parse back, e.g. with a backslash).
func setAddressList(h *gomail.Header, key string, l []conversation.Address) {
	if len(l) == 0 {
		return
	}
	plain := make([]*gomail.Address, 0, len(l))
	var parts []string
	for _, a := range l {
		if needsWords(a.Name) || !isASCII([]byte(a.Name)) {
			parts = append(parts, encodeWords(a.Name)+" <"+a.Address+">")
			continue
		}
		ga := &gomail.Address{Name: a.Name, Address: a.Address}
		plain = append(plain, ga)
		parts = append(parts, ga.String())
	}
	if len(plain) == len(l) {
		h.SetAddressList(key, plain)
		return
	}
	h.Set(key, strings.Join(parts, ", "))
}

// needsWords reports whether free text must be written as encoded words
// to read back the same: it holds "=?" (it would be read as an encoded
// word) or a run without whitespace too long for one header line (the
// writer would have to break it).
func needsWords(s string) bool {
	if strings.Contains(s, "=?") {
		return true
	}
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			run = 0
		} else if run++; run > 900 {
			return true
		}
	}
	return false
}

// encodeWords encodes s as RFC 2047 "B" encoded words of UTF-8, each
// within the 75-character limit and cut at rune boundaries.
func encodeWords(s string) string {
	const maxChunk = 45 // 60 base64 characters
	var words []string
	for s != "" {
		n := min(len(s), maxChunk)
		for n < len(s) && n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		if n == 0 {
			n = min(len(s), maxChunk)
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

func usableIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if usableID(id) {
			out = append(out, id)
		}
	}
	return out
}
