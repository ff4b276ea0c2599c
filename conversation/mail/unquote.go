package mail

import (
	"strings"
)

// Unquote returns what the sender wrote in a plain-text body: text without
// the quoted reply. It removes
//   - quoted lines (starting with '>', after optional spaces);
//   - attribution lines ("On Mon, 1 Jan 2024, Ann wrote:", also wrapped
//     over two lines, "Ann <ann@example.com> writes:", and a few other
//     languages' forms) when a quoted block or the end follows them;
//   - everything from a forwarded or original-message separator
//     ("-----Original Message-----", "---------- Forwarded message
//     ---------", "Begin forwarded message:", an Outlook underscore line
//     followed by "From:") or from the "-- " signature delimiter (RFC
//     3676 section 4.3), or a mailing-list footer (an underscore line followed
//     by "... mailing list"), to the end;
//
// and then collapses runs of blank lines, trims blank lines at both ends
// and trailing spaces on every line. removed reports whether anything was
// taken out; when nothing was, out is text itself, unchanged and not
// copied (the text is all the sender wrote). A message that is all quote
// gives "" and true. Lines end with "\n".
func Unquote(text string) (out string, removed bool) {
	if !mayQuote(text) {
		return text, false
	}
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i, l := range lines {
		if isCutLine(l, lines[i+1:]) {
			cut = i
			break
		}
	}
	removed = cut < len(lines)
	kept := make([]string, 0, cut)
	for i := 0; i < cut; i++ {
		l := lines[i]
		if isQuoted(l) {
			removed = true
			continue
		}
		if n := attribution(lines[i:cut]); n > 0 && quoteFollows(lines[i+n:cut]) {
			removed = true
			i += n - 1
			continue
		}
		kept = append(kept, l)
	}
	if !removed {
		return text, false
	}
	var b strings.Builder
	b.Grow(len(text))
	blank := 0
	for _, l := range kept {
		if strings.TrimSpace(l) == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank > 0 {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(strings.TrimRight(l, " \t"))
	}
	return b.String(), true
}

// mayQuote reports whether text has a line Unquote could remove: one
// starting with '>' or a cut line's first character, or ending with ':'
// (an attribution). It allocates nothing.
func mayQuote(text string) bool {
	for rest := text; rest != ""; {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		t := strings.TrimLeft(l, " \t")
		if t == "" {
			continue
		}
		switch t[0] {
		case '>', '-', '_', '=', '*', 'B':
			return true
		}
		if strings.HasSuffix(strings.TrimRight(t, " \t\r"), ":") {
			return true
		}
	}
	return false
}

func isQuoted(l string) bool {
	return strings.HasPrefix(strings.TrimLeft(l, " "), ">")
}

// quoteFollows reports whether the next non-blank line is quoted, or there
// is none.
func quoteFollows(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return isQuoted(l)
		}
	}
	return true
}

// attributionEnds are the endings of attribution lines.
var attributionEnds = []string{"wrote:", "writes:", "wrote :", "said:", "a écrit :", "a écrit:", "schrieb:", "escribió:", "scrisse:", "skrev:", "napisał:", "schreef:", "kirjoitti:"}

// attribution returns how many lines at the start of lines form an
// attribution (0, 1 or 2).
func attribution(lines []string) int {
	l := strings.TrimSpace(lines[0])
	if l == "" || len(l) > 250 {
		return 0
	}
	if hasAttributionEnd(l) || strings.HasPrefix(l, "Quoting ") && strings.HasSuffix(l, ":") {
		return 1
	}
	if len(lines) > 1 && (strings.HasPrefix(l, "On ") || strings.HasPrefix(l, "Le ") || strings.HasPrefix(l, "Am ")) {
		if n := strings.TrimSpace(lines[1]); len(n) < 250 && hasAttributionEnd(n) {
			return 2
		}
	}
	return 0
}

func hasAttributionEnd(l string) bool {
	if l == "" || l[len(l)-1] != ':' {
		return false
	}
	for _, e := range attributionEnds {
		if strings.HasSuffix(l, e) {
			return true
		}
	}
	return false
}

// separators are the cores of forwarded/original-message separator lines,
// lower case, once the surrounding dashes are trimmed.
var separators = []string{"original message", "forwarded message", "ursprüngliche nachricht", "message d'origine", "mensaje original", "messaggio originale", "oorspronkelijk bericht", "mensagem original"}

// isCutLine reports whether l starts the part of a body that is not the
// sender's own text: a signature, a forwarded or original message, a
// mailing-list footer.
func isCutLine(l string, next []string) bool {
	if l == "-- " || l == "--" {
		return true
	}
	t := strings.TrimSpace(l)
	if len(t) < 10 {
		return false
	}
	switch t[0] {
	case '-', '=', '*':
		core := strings.ToLower(strings.Trim(t, "-=* "))
		for _, s := range separators {
			if core == s {
				return true
			}
		}
	case '_':
		if strings.Trim(t, "_") != "" || len(t) < 20 || len(next) == 0 {
			return false
		}
		n := strings.TrimSpace(next[0])
		return strings.HasPrefix(n, "From:") || strings.Contains(n, "mailing list")
	case 'B':
		return strings.HasPrefix(t, "Begin forwarded message")
	}
	return false
}
