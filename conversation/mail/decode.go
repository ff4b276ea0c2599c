package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
)

// parseMediaType reads a Content-Type or Content-Disposition value: the
// lower-case type and its parameters (RFC 2231 continuations and charsets
// included, through mime.ParseMediaType). A value mime rejects is read
// leniently: the type up to the first ';' and "name=value" pairs.
func parseMediaType(v string) (string, map[string]string, bool) {
	if v == "" {
		return "", nil, true
	}
	t, params, err := mime.ParseMediaType(v)
	if err == nil {
		return t, params, true
	}
	head, rest, _ := strings.Cut(v, ";")
	t = strings.ToLower(strings.TrimSpace(head))
	if i := strings.IndexAny(t, " \t("); i >= 0 {
		t = t[:i]
	}
	params = map[string]string{}
	for kv := range strings.SplitSeq(rest, ";") {
		k, val, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		k = strings.TrimSuffix(k, "*")
		val = strings.TrimSpace(val)
		if len(val) > 0 && val[0] == '"' {
			val = strings.TrimPrefix(val, `"`)
			if i := strings.IndexByte(val, '"'); i >= 0 {
				val = val[:i]
			}
		}
		if k != "" {
			if _, dup := params[k]; !dup {
				params[k] = val
			}
		}
	}
	return t, params, false
}

// decodeTransfer undoes a Content-Transfer-Encoding. Unknown encodings and
// broken input keep what can be read, with a defect.
func decodeTransfer(b []byte, cte, where string, d *defects) []byte {
	switch cte {
	case "", "7bit", "8bit", "binary":
		return b
	case "base64":
		return decodeBase64(b, where, d)
	case "quoted-printable":
		return decodeQP(b, where, d)
	default:
		d.addf("%s: unknown Content-Transfer-Encoding %q, kept as written", where, cte)
		return b
	}
}

// base64Value maps a byte to its base64 value, or 0xff (not in the
// alphabet), 0xfe (whitespace or padding: skipped silently).
var base64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = byte(i)
	}
	for _, c := range " \t\r\n=" {
		t[c] = 0xfe
	}
	return t
}()

// decodeBase64 decodes base64 leniently: whitespace and padding anywhere
// are skipped, other bytes outside the alphabet are skipped with a defect,
// and a dangling final character is dropped with a defect.
func decodeBase64(b []byte, where string, d *defects) []byte {
	clean := make([]byte, 0, len(b))
	bad := false
	for _, c := range b {
		switch v := base64Value[c]; v {
		case 0xfe:
		case 0xff:
			bad = true
		default:
			clean = append(clean, c)
		}
	}
	if bad {
		d.addf("%s: bytes outside the base64 alphabet, skipped", where)
	}
	if len(clean)%4 == 1 {
		d.addf("%s: truncated base64", where)
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean) // clean is valid by construction
	return out[:n]
}

// base64Size is the decoded size of base64 data, counted without decoding.
func base64Size(b []byte) int64 {
	var n int64
	for _, c := range b {
		if base64Value[c] < 64 {
			n++
		}
	}
	return n/4*3 + [4]int64{0, 0, 1, 2}[n%4]
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeQP decodes quoted-printable leniently: soft line breaks (also with
// whitespace after the '='), =XX in either case; an '=' that starts neither
// is kept literally, with a defect. Whitespace at the end of a line is
// transport padding and is removed (RFC 2045 section 6.7).
func decodeQP(b []byte, where string, d *defects) []byte {
	out := make([]byte, 0, len(b))
	bad := false
	for len(b) > 0 {
		line, rest := cutLine(b)
		content := trimEOL(line)
		eol := line[len(content):]
		content = bytes.TrimRight(content, " \t")
		soft := false
		for i := 0; i < len(content); i++ {
			c := content[i]
			if c != '=' {
				out = append(out, c)
				continue
			}
			if i == len(content)-1 {
				soft = true
				break
			}
			if i+2 < len(content) {
				h, ok1 := unhex(content[i+1])
				l, ok2 := unhex(content[i+2])
				if ok1 && ok2 {
					out = append(out, h<<4|l)
					i += 2
					continue
				}
			}
			bad = true
			out = append(out, c)
		}
		if !soft {
			out = append(out, eol...)
		}
		b = rest
	}
	if bad {
		d.addf("%s: malformed quoted-printable, kept literally", where)
	}
	return out
}

// asciiCompatible lists charsets (lower case, by prefix) whose pure-ASCII
// text needs no conversion.
var asciiCompatible = []string{"iso-8859-", "iso8859-", "windows-", "cp125", "koi8-", "latin", "us-ascii", "ascii", "utf-8", "utf8", "gb2312", "gbk", "gb18030", "big5", "euc-", "shift_jis", "tis-620"}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// decodeCharset converts text in the named charset to UTF-8 with
// go-message's charset tables. An unknown charset keeps the bytes as
// best-effort text (UTF-8 when they are valid UTF-8, ISO-8859-1
// otherwise), with a defect; so does text that is not valid in the charset
// it claims.
func decodeCharset(b []byte, cs, where string, d *defects) string {
	cs = strings.ToLower(strings.Trim(cs, " \t\"'"))
	switch cs {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unicode-1-1-utf-8", "x-unknown", "unknown-8bit", "default":
		if utf8.Valid(b) {
			return string(b)
		}
		if cs == "utf-8" || cs == "utf8" {
			d.addf("%s: invalid UTF-8, bad bytes replaced", where)
			return strings.ToValidUTF8(string(b), "\uFFFD")
		}
		d.addf("%s: 8-bit text labelled %q, read as windows-1252", where, cs)
		cs = "windows-1252"
	}
	switch cs {
	case "iso-8859-1", "iso8859-1", "latin1", "l1", "iso_8859-1", "iso-ir-100", "cp819":
		return latin1(b)
	}
	if isASCII(b) {
		for _, p := range asciiCompatible {
			if strings.HasPrefix(cs, p) {
				return string(b)
			}
		}
	}
	r, err := charset.Reader(cs, bytes.NewReader(b))
	if err != nil && strings.HasPrefix(cs, "3d") { // a QP-mangled charset="..."
		if r, err = charset.Reader(cs[2:], bytes.NewReader(b)); err == nil {
			d.addf("%s: mangled charset %q read as %q", where, cs, cs[2:])
		}
	}
	if err != nil {
		d.addf("%s: unknown charset %q, text kept as written", where, cs)
		if utf8.Valid(b) {
			return string(b)
		}
		return latin1(b)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		d.addf("%s: text not valid in charset %q: %v", where, cs, err)
	}
	if !utf8.Valid(out) {
		return strings.ToValidUTF8(string(out), "\uFFFD")
	}
	return string(out)
}
