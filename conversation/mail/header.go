package mail

import (
	"bytes"
	"mime"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"github.com/inboxkit/inboxkit/conversation"
)

// field is one header field as it appears in the raw message: the name as
// written and the value with its folding, both slices of the input.
type field struct {
	name, value []byte
}

// headerBlock is the result of reading a header block.
type headerBlock struct {
	fields []field
	// body is what follows the header (after the blank line).
	body []byte
	// noSeparator is set when the header ended on a line that is not a
	// header field rather than on a blank line.
	noSeparator bool
	// leadingContinuation is set when the first field line was indented
	// (it is skipped).
	leadingContinuation bool
}

// readHeader splits raw into header fields and body. It accepts LF and
// CRLF line ends, an mbox "From " line before the first field, and a
// header that ends without a blank line (the first line that is neither a
// field nor a continuation starts the body). It returns ok == false only
// when no header field could be read at all. The mbox line is only
// skipped when mbox is set (at the top of a message, not in a part).
func readHeader(raw []byte, mbox bool) (hb headerBlock, ok bool) {
	if mbox {
		hb.fields = make([]field, 0, 48) // a received message's header
	} else {
		hb.fields = make([]field, 0, 6) // a MIME part's
	}
	rest := raw
	if mbox && bytes.HasPrefix(rest, []byte("From ")) {
		_, rest = cutLine(rest)
	}
	cur := -1 // index of the field being continued
	start := 0
	for len(rest) > 0 {
		line, next := cutLine(rest)
		content := trimEOL(line)
		switch {
		case len(content) == 0:
			hb.body = next
			return hb, len(hb.fields) > 0
		case content[0] == ' ' || content[0] == '\t':
			if cur < 0 {
				hb.leadingContinuation = true
			} else {
				f := &hb.fields[cur]
				f.value = raw[start : len(raw)-len(rest)+len(content)]
			}
		default:
			colon := bytes.IndexByte(content, ':')
			name := bytes.TrimRight(content[:max(colon, 0)], " \t")
			if colon <= 0 || len(name) == 0 || !validFieldName(name) {
				if len(hb.fields) == 0 {
					return hb, false
				}
				hb.noSeparator = true
				hb.body = rest
				return hb, true
			}
			off := len(raw) - len(rest)
			start = off + colon + 1
			hb.fields = append(hb.fields, field{name: name, value: raw[start : off+len(content)]})
			cur = len(hb.fields) - 1
		}
		rest = next
	}
	return hb, len(hb.fields) > 0
}

// cutLine returns the first line of b including its line end, and the rest.
func cutLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i+1], b[i+1:]
	}
	return b, nil
}

// trimEOL removes a trailing LF or CRLF.
func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

func validFieldName(b []byte) bool {
	for _, c := range b {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// lowerName writes the lower-case field name into buf and returns it; names
// longer than buf are returned as "" (no header this package reads is that
// long).
func lowerName(buf *[40]byte, name []byte) []byte {
	if len(name) > len(buf) {
		return nil
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(name)]
}

// unfold returns a header value without its line breaks: each folded line
// is trimmed and the lines are joined with one space.
func unfold(v []byte) string {
	if bytes.IndexByte(v, '\n') < 0 {
		return string(bytes.Trim(v, " \t\r"))
	}
	var b strings.Builder
	b.Grow(len(v))
	for len(v) > 0 {
		var line []byte
		line, v = cutLine(v)
		line = bytes.Trim(line, " \t\r\n")
		if len(line) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.Write(line)
	}
	return b.String()
}

// charsetReader is the RFC 2047 word decoder's charset hook: go-message's
// charset tables.
var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeText decodes a free-text header value (Subject, display names):
// RFC 2047 encoded words, and raw 8-bit bytes that are not UTF-8, which
// are read as ISO-8859-1. What cannot be decoded is kept as written and
// reported through defect.
func decodeText(s, name string, d *defects) string {
	if strings.Contains(s, "=?") {
		dec, err := wordDecoder.DecodeHeader(s)
		if err != nil {
			d.addf("%s: cannot decode encoded words (%v); kept as written", name, err)
		} else {
			s = dec
		}
	}
	return validText(s, name, d)
}

// validText returns s when it is valid UTF-8 and otherwise its bytes read as
// ISO-8859-1 (lossless: every byte becomes one rune), with a defect.
func validText(s, name string, d *defects) string {
	if utf8.ValidString(s) {
		return s
	}
	d.addf("%s: 8-bit bytes that are not UTF-8, read as ISO-8859-1", name)
	return latin1(s)
}

// latin1 reads s as ISO-8859-1.
func latin1[T string | []byte](s T) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

var addressParser = &mail.AddressParser{WordDecoder: wordDecoder}

// parseAddresses reads an address list. A list net/mail rejects is read
// leniently, element by element, and reported as a defect.
func parseAddresses(v, name string, d *defects) []conversation.Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if a, ok := simpleAddress(v); ok {
		return []conversation.Address{a}
	}
	list, err := addressParser.ParseList(v)
	if err != nil && strings.IndexByte(v, '(') >= 0 {
		// net/mail rejects some comment placements RFC 5322 allows.
		list, err = addressParser.ParseList(stripComments(v))
	}
	if err == nil {
		out := make([]conversation.Address, 0, len(list))
		for _, a := range list {
			out = append(out, address(a, v, name, d))
		}
		return out
	}
	out := lenientAddresses(v, name, d)
	d.addf("%s: malformed address list, read leniently", name)
	return out
}

// simpleAddress reads the common single-address shapes without net/mail:
// "addr", "<addr>", "Name Words <addr>" and "\"Quoted Name\" <addr>",
// where addr is a dot-atom local part and a hostname and the name is
// plain printable ASCII. It gives what net/mail gives for them and
// reports false for anything else (net/mail then decides).
func simpleAddress(v string) (conversation.Address, bool) {
	v = strings.TrimSpace(v)
	lt := strings.IndexByte(v, '<')
	if lt < 0 {
		return conversation.Address{Address: v}, simpleAddrSpec(v)
	}
	if !strings.HasSuffix(v, ">") {
		return conversation.Address{}, false
	}
	addr := v[lt+1 : len(v)-1]
	if !simpleAddrSpec(addr) {
		return conversation.Address{}, false
	}
	name := strings.TrimSpace(v[:lt])
	if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
		name = name[1 : len(name)-1]
		for i := 0; i < len(name); i++ {
			if c := name[i]; c < ' ' || c > '~' || c == '"' || c == '\\' || c == '=' && i+1 < len(name) && name[i+1] == '?' {
				return conversation.Address{}, false
			}
		}
		return conversation.Address{Name: name, Address: addr}, true
	}
	spaces := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case isLetter(c) || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '\'':
		case c == ' ':
			spaces = spaces || i+1 < len(name) && name[i+1] == ' '
		default:
			return conversation.Address{}, false
		}
	}
	if spaces {
		name = strings.Join(strings.Fields(name), " ")
	}
	return conversation.Address{Name: name, Address: addr}, true
}

// simpleAddrSpec reports whether s is local@host with a dot-atom local
// part of letters, digits and ".-_+=" and a host of letters, digits, '-'
// and dots.
func simpleAddrSpec(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	local, host := s[:at], s[at+1:]
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") ||
		host[0] == '.' || host[len(host)-1] == '.' || strings.Contains(host, "..") || host[0] == '-' {
		return false
	}
	for i := 0; i < len(local); i++ {
		if c := local[i]; !isLetter(c) && !('0' <= c && c <= '9') && !strings.ContainsRune(".-_+=", rune(c)) {
			return false
		}
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !isLetter(c) && !('0' <= c && c <= '9') && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// address converts a net/mail address read from raw. A display name that
// was written as a quoted string of encoded words (which RFC 2047 forbids
// but mailers do) is decoded.
func address(a *mail.Address, raw, name string, d *defects) conversation.Address {
	n := a.Name
	if strings.Contains(n, "=?") && strings.Contains(raw, `"=?`) {
		n = decodeText(n, name, d)
	} else {
		n = validText(n, name, d)
	}
	return conversation.Address{Name: n, Address: validText(a.Address, name, d)}
}

// traceAddresses reads a Delivered-To value: an address, which qmail
// and ezmlm write as "mailing list addr" or "moderator for addr"; the
// address is kept, without a defect.
func traceAddresses(v string, d *defects) []conversation.Address {
	if a, ok := simpleAddress(v); ok {
		return []conversation.Address{a}
	}
	if a, err := addressParser.Parse(v); err == nil {
		return []conversation.Address{address(a, v, "Delivered-To", d)}
	}
	return lenientAddresses(v, "Delivered-To", d)
}

// lenientAddresses splits an address list on the commas that are outside
// quotes, comments and angle brackets and reads each element on its own:
// net/mail first, then "name <addr>" or a bare word with an '@'. Elements
// without an address (group names, garbage) are dropped.
func lenientAddresses(v, name string, d *defects) []conversation.Address {
	var out []conversation.Address
	for _, el := range splitList(v) {
		el = strings.TrimSpace(el)
		if el == "" {
			continue
		}
		if a, err := addressParser.Parse(el); err == nil {
			out = append(out, address(a, el, name, d))
			continue
		}
		if a, ok := looseAddress(el); ok {
			a.Name = decodeText(a.Name, name, d)
			a.Address = validText(a.Address, name, d)
			out = append(out, a)
		}
	}
	return out
}

// splitList splits an address list at top-level commas (and at the ':' and
// ';' of group syntax).
func splitList(v string) []string {
	var parts []string
	depth, quoted, angle := 0, false, false
	last := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && (quoted || depth > 0):
			i++
		case quoted:
			quoted = c != '"'
		case c == '"':
			quoted = true
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == '<':
			angle = true
		case c == '>':
			angle = false
		case !angle && (c == ',' || c == ';' || c == ':'):
			parts = append(parts, v[last:i])
			last = i + 1
		}
	}
	return append(parts, v[min(last, len(v)):])
}

// looseAddress reads "Name <addr>" or a bare addr (the first word holding
// an '@'); the rest of the element becomes the name.
func looseAddress(el string) (conversation.Address, bool) {
	if i := strings.IndexByte(el, '<'); i >= 0 {
		j := strings.IndexByte(el[i:], '>')
		if j < 0 {
			j = len(el) - i
		}
		addr := strings.TrimSpace(el[i+1 : i+j])
		if strings.IndexByte(addr, '@') > 0 && !strings.ContainsAny(addr, " \t<>,\"") {
			return conversation.Address{Name: cleanName(el[:i]), Address: addr}, true
		}
	}
	for w := range strings.FieldsSeq(el) {
		w = strings.Trim(w, "<>\"'(),;")
		if at := strings.IndexByte(w, '@'); at > 0 && at < len(w)-1 {
			return conversation.Address{Address: w}, true
		}
	}
	return conversation.Address{}, false
}

// cleanName trims a display name and its quotes.
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`)
	}
	return strings.TrimSpace(s)
}

// dateLayouts are the layouts tried, in order, when net/mail cannot read a
// Date header.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 MST",
	"2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04:05",
	"Mon Jan _2 15:04:05 2006",
	"Mon Jan _2 15:04:05 MST 2006",
	"Mon Jan _2 15:04:05 -0700 2006",
	"Mon, Jan _2 2006 15:04:05 -0700",
	"Mon, 2 January 2006 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05Z07:00",
}

// parseDate reads a Date header leniently: net/mail, then the same value
// without comments and with dots and extra spaces removed against
// dateLayouts. It returns the zero time when nothing fits.
func parseDate(v string) (time.Time, bool) {
	if t, ok := fastDate(v); ok {
		return t, true
	}
	if t, err := mail.ParseDate(v); err == nil {
		return t, true
	}
	s := stripComments(v)
	s = strings.NewReplacer(".", "", ",", ", ").Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, " ,", ",")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	// A trailing time-zone word the layouts do not know ("+0200 CEST").
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		for _, layout := range dateLayouts[:4] {
			if t, err := time.Parse(layout, s[:i]); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// stripComments removes parenthesized comments.
func stripComments(s string) string {
	if strings.IndexByte(s, '(') < 0 {
		return s
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}
