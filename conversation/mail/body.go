package mail

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
)

// maxDepth bounds multipart nesting; deeper parts are skipped with a
// defect.
const maxDepth = 16

// partHeader holds the MIME fields of one entity, unfolded.
type partHeader struct {
	contentType, encoding, disposition, contentID string
}

// mimeFields picks the MIME fields out of a header block (first
// occurrence of each).
func mimeFields(fields []field) partHeader {
	var h partHeader
	var buf [40]byte
	for _, f := range fields {
		var dst *string
		switch string(lowerName(&buf, f.name)) {
		case "content-type":
			dst = &h.contentType
		case "content-transfer-encoding":
			dst = &h.encoding
		case "content-disposition":
			dst = &h.disposition
		case "content-id":
			dst = &h.contentID
		default:
			continue
		}
		if *dst == "" {
			*dst = unfold(f.value)
		}
	}
	return h
}

// body is what the MIME walk collects.
type body struct {
	texts, htmls []string
	atts         []conversation.Attachment
}

// walker walks a MIME tree held in memory.
type walker struct {
	d        *defects
	parts    int
	maxParts int
	skipped  bool
}

// entity reads one MIME entity: a multipart is split and walked, a text
// part becomes body text, anything else an attachment.
func (w *walker) entity(h partHeader, raw []byte, where string, depth int, out *body) {
	w.parts++
	if w.parts > w.maxParts {
		if !w.skipped {
			w.d.addf("more than %d MIME parts; the rest is skipped", w.maxParts)
			w.skipped = true
		}
		return
	}
	ctype, params, ok := parseMediaType(h.contentType)
	if !ok {
		w.d.addf("%s: malformed Content-Type %q, read leniently", where, h.contentType)
	}
	if ctype == "" || strings.IndexByte(ctype, '/') <= 0 {
		if ctype != "" {
			w.d.addf("%s: Content-Type %q is not a media type, read as text/plain", where, ctype)
		}
		ctype = "text/plain"
	}
	enc := strings.ToLower(strings.TrimSpace(h.encoding))
	if strings.HasPrefix(ctype, "multipart/") {
		if depth >= maxDepth {
			w.d.addf("%s: multipart nested deeper than %d, skipped", where, maxDepth)
			return
		}
		if w.multipart(ctype, params, raw, where, depth, out) {
			return
		}
		ctype, params = "text/plain", nil
	}
	disp, dparams, ok := parseMediaType(h.disposition)
	if !ok {
		w.d.addf("%s: malformed Content-Disposition %q, read leniently", where, h.disposition)
	}
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	if name != "" {
		name = decodeText(name, where+" filename", w.d)
	}
	isBody := (ctype == "text/plain" || ctype == "text/html") &&
		disp != "attachment" && (name == "" || disp == "inline")
	if !isBody {
		a := conversation.Attachment{Name: name, ContentType: ctype, ContentID: msgID(h.contentID)}
		if enc == "base64" {
			a.Size = base64Size(raw)
		} else {
			a.Size = int64(len(decodeTransfer(raw, enc, where, w.d)))
		}
		out.atts = append(out.atts, a)
		return
	}
	text := decodeCharset(decodeTransfer(raw, enc, where, w.d), params["charset"], where, w.d)
	text = normalizeEOL(text)
	if ctype == "text/html" {
		out.htmls = append(out.htmls, text)
	} else {
		out.texts = append(out.texts, text)
	}
}

// multipart walks the parts of a multipart entity. It returns false when
// the body holds no part at all (no boundary, or the boundary never
// appears): the caller then reads it as text.
func (w *walker) multipart(ctype string, params map[string]string, raw []byte, where string, depth int, out *body) bool {
	boundary := params["boundary"]
	if boundary == "" {
		w.d.addf("%s: %s without a boundary, read as text", where, ctype)
		return false
	}
	parts, closed := splitMultipart(raw, boundary)
	if len(parts) == 0 {
		w.d.addf("%s: %s boundary never appears, read as text", where, ctype)
		return false
	}
	if !closed {
		w.d.addf("%s: %s without its closing boundary", where, ctype)
	}
	alternative := ctype == "multipart/alternative"
	var alt body
	for i, p := range parts {
		sub := where + "." + strconv.Itoa(i+1)
		if where == "body" {
			sub = "part " + strconv.Itoa(i+1)
		}
		hb, ok := readHeader(p, false)
		pb := hb.body
		if !ok {
			if hb.body == nil && len(bytes.TrimSpace(p)) > 0 {
				w.d.addf("%s: part without a header", sub)
				pb = p
			}
		} else if hb.noSeparator {
			w.d.addf("%s: no blank line after the part header", sub)
		}
		if !alternative {
			w.entity(mimeFields(hb.fields), pb, sub, depth+1, out)
			continue
		}
		// Alternatives: the last plain text and the last HTML win;
		// attachments of every alternative are kept.
		var b body
		w.entity(mimeFields(hb.fields), pb, sub, depth+1, &b)
		if len(b.texts) > 0 {
			alt.texts = b.texts
		}
		if len(b.htmls) > 0 {
			alt.htmls = b.htmls
		}
		alt.atts = append(alt.atts, b.atts...)
	}
	if alternative {
		out.texts = append(out.texts, alt.texts...)
		out.htmls = append(out.htmls, alt.htmls...)
		out.atts = append(out.atts, alt.atts...)
	}
	return true
}

// splitMultipart returns the parts of a multipart body: the bytes between
// consecutive "--boundary" lines (the line break before a delimiter
// belongs to the delimiter). closed reports whether the closing
// "--boundary--" was seen; without it the last part runs to the end.
func splitMultipart(raw []byte, boundary string) (parts [][]byte, closed bool) {
	delim := []byte("--" + boundary)
	start := -1 // start of the current part's content
	for pos := 0; pos < len(raw); {
		i := bytes.Index(raw[pos:], delim)
		if i < 0 {
			break
		}
		i += pos
		pos = i + len(delim)
		if i > 0 && raw[i-1] != '\n' {
			continue
		}
		after := raw[pos:]
		isClose := bytes.HasPrefix(after, []byte("--"))
		if isClose {
			after = after[2:]
		}
		line, next := cutLine(after)
		if len(bytes.Trim(line, " \t\r\n")) != 0 {
			continue // "--boundaryX": a longer boundary, or text
		}
		if start >= 0 {
			end := i
			if end > start && raw[end-1] == '\n' {
				end--
				if end > start && raw[end-1] == '\r' {
					end--
				}
			}
			parts = append(parts, raw[start:end])
		}
		if isClose {
			return parts, true
		}
		start = len(raw) - len(next)
		pos = start
	}
	if start >= 0 {
		parts = append(parts, raw[start:])
	}
	return parts, false
}

// normalizeEOL turns CRLF line ends into LF.
func normalizeEOL(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// msgID returns a Content-ID without its angle brackets.
func msgID(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '<' && v[len(v)-1] == '>' {
		v = v[1 : len(v)-1]
	}
	return strings.TrimSpace(v)
}
