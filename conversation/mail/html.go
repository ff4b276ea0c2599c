package mail

import (
	"html"
	"strings"
)

// MaxHTMLText is the most text, in bytes, the HTML-to-text rendering of an
// HTML-only message produces; the rest of a longer rendering is cut (the
// HTML itself is kept whole).
const MaxHTMLText = 1 << 20

// htmlText renders HTML as plain text: tags dropped, script, style, title
// and template content skipped, entities decoded, whitespace collapsed
// outside <pre>, block elements on their own lines, list items with "- ", and
// <blockquote> content quoted with "> " so that [Parser] can strip it
// from Unquoted. It is a single pass without a DOM and never fails; it
// stops at MaxHTMLText bytes of output (truncated is then true).
func htmlText(s string) (text string, truncated bool) {
	r := htmlRenderer{}
	r.b.Grow(min(len(s)/2, MaxHTMLText))
	for i := 0; i < len(s); {
		if r.b.Len() >= MaxHTMLText {
			truncated = true
			break
		}
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			r.text(s[i:])
			break
		}
		r.text(s[i : i+j])
		i += j
		i = r.tag(s, i)
	}
	out := r.b.String()
	if len(out) > MaxHTMLText {
		out = out[:MaxHTMLText]
		truncated = true
	}
	return strings.ToValidUTF8(out, ""), truncated
}

// maxQuoteDepth bounds the "> " prefixes of nested blockquotes.
const maxQuoteDepth = 8

type htmlRenderer struct {
	b         strings.Builder
	newlines  int  // line breaks owed before the next text
	space     bool // a space owed before the next text
	quote     int  // <blockquote> depth
	pre       int  // <pre> depth
	lineStart bool
}

// text writes a run of character data.
func (r *htmlRenderer) text(s string) {
	if s == "" {
		return
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if r.pre > 0 {
			switch c {
			case '\n':
				r.newlines++
				continue
			case '\r':
				continue
			case ' ', '\t':
				r.flush()
				r.b.WriteByte(c)
				continue
			}
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			r.space = true
			continue
		}
		if c == 0xc2 && i+1 < len(s) && s[i+1] == 0xa0 { // no-break space
			r.space = true
			i++
			continue
		}
		r.flush()
		r.b.WriteByte(c)
		r.lineStart = false
	}
}

// flush writes the line breaks and space owed before text.
func (r *htmlRenderer) flush() {
	if r.b.Len() == 0 {
		r.newlines, r.space = 0, false
		r.lineStart = true
	}
	if r.newlines > 0 {
		n := r.newlines
		if r.pre == 0 {
			n = min(n, 2)
		}
		for range n {
			r.b.WriteByte('\n')
		}
		r.newlines, r.space = 0, false
		r.lineStart = true
	}
	if r.lineStart {
		for range min(r.quote, maxQuoteDepth) {
			r.b.WriteString("> ")
		}
		r.lineStart = false
		r.space = false
		return
	}
	if r.space {
		r.b.WriteByte(' ')
		r.space = false
	}
}

func (r *htmlRenderer) breakLine(n int) { r.newlines = max(r.newlines, n) }

// tag handles the markup starting at s[i] == '<' and returns the index
// after it.
func (r *htmlRenderer) tag(s string, i int) int {
	rest := s[i:]
	if strings.HasPrefix(rest, "<!--") {
		if k := strings.Index(rest[4:], "-->"); k >= 0 {
			return i + 4 + k + 3
		}
		return len(s)
	}
	j := 1
	closing := false
	if j < len(rest) && rest[j] == '/' {
		closing = true
		j++
	}
	k := j
	for k < len(rest) && isTagNameByte(rest[k]) {
		k++
	}
	if k == j && !(j < len(rest) && (rest[j] == '!' || rest[j] == '?')) {
		r.text("<") // a lone '<' in text
		return i + 1
	}
	name := strings.ToLower(rest[j:k])
	end := tagEnd(rest, k)
	next := i + end
	if closing {
		switch name {
		case "blockquote":
			r.quote = max(r.quote-1, 0)
			r.breakLine(1)
		case "pre":
			r.pre = max(r.pre-1, 0)
			r.breakLine(1)
		case "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol":
			r.breakLine(2)
		case "div", "tr", "li", "dd", "dt", "dl", "address", "section", "article", "header", "footer", "form":
			r.breakLine(1)
		case "td", "th":
			r.space = true
		}
		return next
	}
	switch name {
	case "script", "style", "title", "template":
		return skipElement(s, next, name)
	case "br":
		r.newlines++
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr":
		r.breakLine(2)
	case "div", "tr", "dd", "dt", "dl", "address", "section", "article", "header", "footer", "form":
		r.breakLine(1)
	case "li":
		r.breakLine(1)
		r.flush()
		r.b.WriteString("- ")
	case "blockquote":
		r.breakLine(1)
		r.quote++
	case "pre":
		r.breakLine(1)
		r.pre++
	case "td", "th", "img":
		r.space = true
	}
	return next
}

func isTagNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// tagEnd returns the index after the '>' that closes the tag in rest,
// skipping quoted attribute values.
func tagEnd(rest string, k int) int {
	var quote byte
	for ; k < len(rest); k++ {
		c := rest[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k + 1
		}
	}
	return len(rest)
}

// skipElement returns the index after the closing tag of name, searching
// from i case-insensitively; the end of s when there is none.
func skipElement(s string, i int, name string) int {
	for i < len(s) {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			return len(s)
		}
		i += j + 2
		if len(s)-i >= len(name) && strings.EqualFold(s[i:i+len(name)], name) {
			return i + tagEnd(s[i:], len(name))
		}
	}
	return len(s)
}
