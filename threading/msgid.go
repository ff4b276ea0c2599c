package threading

import (
	"strings"
	"unicode/utf8"
)

// MaxIDLength is the longest message id, in bytes, that [ExtractIDs] and
// [ExtractID] return; longer ids are dropped. It is the RFC 5322 line
// limit, so no legitimate id is lost.
const MaxIDLength = 998

// ExtractIDs returns the message ids of a References or In-Reply-To header
// value, in order, without angle brackets, each once (the first occurrence
// wins). Ids compare exactly: no case folding.
//
// It is lenient with what real mail carries:
//   - ids separated by spaces, commas or semicolons, or not separated;
//   - garbage around ids ("Your message of Mon, 1 Jan ... <id@host>"),
//     quoted strings and comments in parentheses, which are skipped;
//   - folding whitespace inside an id, which is removed;
//   - ids without brackets, accepted only when the header holds no
//     bracketed id at all and the token looks like local@domain;
//   - the MH/exmh form "Message from NAME <addr> of DATE <id>": a
//     bracketed address right after "from" and a display name is the
//     author, not an id, and is skipped.
//
// Ids longer than [MaxIDLength], ids that are not valid UTF-8 or contain
// control characters, and ids that look synthesized ([IsSynthetic]) are
// dropped. ExtractIDs never panics; it returns nil when nothing is found.
func ExtractIDs(header string) []string {
	return extractIDs(header, -1)
}

// ExtractID returns the message id of a Message-ID header value: the first
// id as [ExtractIDs] finds it (so "<id@host>", " <id@host> (comment)" and
// the unbracketed "id@host" all give "id@host"). It returns "" when the
// value holds no usable id.
func ExtractID(header string) string {
	ids := extractIDs(header, 1)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// tokKind is the kind of a header token.
type tokKind uint8

const (
	tokWord    tokKind = iota // a run of other characters
	tokAngle                  // <...>, closed
	tokOpen                   // <... never closed
	tokQuoted                 // "..."
	tokComment                // (...)
	tokSep                    // , or ;
)

type token struct {
	kind tokKind
	text string // the content, without delimiters
}

// tokenize splits a structured header value into tokens. It never fails:
// unterminated quotes and comments run to the end of the value.
func tokenize(h string) []token {
	var toks []token
	i := 0
	for i < len(h) {
		c := h[i]
		switch {
		case isFWS(c):
			i++
		case c == ',' || c == ';':
			toks = append(toks, token{kind: tokSep})
			i++
		case c == '(':
			j, depth := i+1, 1
			for j < len(h) && depth > 0 {
				switch h[j] {
				case '\\':
					j++
				case '(':
					depth++
				case ')':
					depth--
				}
				j++
			}
			end := min(j, len(h))
			toks = append(toks, token{kind: tokComment, text: h[i+1 : max(i+1, end-1)]})
			i = end
		case c == '"':
			j := i + 1
			for j < len(h) && h[j] != '"' {
				if h[j] == '\\' {
					j++
				}
				j++
			}
			end := min(j, len(h))
			toks = append(toks, token{kind: tokQuoted, text: h[i+1 : end]})
			i = min(j+1, len(h))
		case c == '<':
			j := i + 1
			for j < len(h) && h[j] != '>' && h[j] != '<' {
				j++
			}
			switch {
			case j < len(h) && h[j] == '>':
				toks = append(toks, token{kind: tokAngle, text: h[i+1 : j]})
				i = j + 1
			case j < len(h): // another '<' first: this one was garbage
				if w := strings.TrimSpace(h[i+1 : j]); w != "" {
					toks = append(toks, token{kind: tokWord, text: w})
				}
				i = j
			default: // never closed: keep up to the next separator
				k := i + 1
				for k < len(h) && !isFWS(h[k]) && h[k] != ',' && h[k] != ';' {
					k++
				}
				toks = append(toks, token{kind: tokOpen, text: h[i+1 : k]})
				i = k
			}
		default:
			j := i
			for j < len(h) && !isFWS(h[j]) && !strings.ContainsRune(`,;("<`, rune(h[j])) {
				j++
			}
			toks = append(toks, token{kind: tokWord, text: h[i:j]})
			i = j
		}
	}
	return toks
}

// extractIDs implements ExtractIDs; limit < 0 means no limit.
func extractIDs(h string, limit int) []string {
	toks := tokenize(h)
	bracketed := false
	for _, t := range toks {
		if t.kind == tokAngle && cleanID(t.text) != "" {
			bracketed = true
			break
		}
	}
	var ids []string
	var seen map[string]struct{} // once ids grows past a few entries
	var phrase []string          // words and quoted strings since the last candidate
	for _, t := range toks {
		if limit >= 0 && len(ids) >= limit {
			break
		}
		var id string
		switch t.kind {
		case tokComment:
			continue
		case tokSep:
			phrase = phrase[:0]
			continue
		case tokQuoted:
			phrase = append(phrase, `"`)
			continue
		case tokWord:
			if bracketed {
				phrase = append(phrase, t.text)
				continue
			}
			w := strings.TrimRight(t.text, ".")
			if !looksLikeAddrSpec(w) {
				phrase = append(phrase, t.text)
				continue
			}
			id = cleanID(w)
		case tokAngle:
			id = cleanID(t.text)
		case tokOpen:
			if w := cleanID(t.text); looksLikeAddrSpec(w) {
				id = w
			}
		}
		isAuthor := afterFromName(phrase)
		phrase = phrase[:0]
		if id == "" || isAuthor {
			continue
		}
		if seen != nil {
			if _, dup := seen[id]; dup {
				continue
			}
			seen[id] = struct{}{}
		} else if contains(ids, id) {
			continue
		} else if len(ids) == 16 {
			seen = make(map[string]struct{}, 32)
			for _, x := range ids {
				seen[x] = struct{}{}
			}
			seen[id] = struct{}{}
		}
		ids = append(ids, id)
	}
	return ids
}

// afterFromName reports whether a phrase ends with "from" followed by at
// most four display-name words, none of them "of": the MH/exmh In-Reply-To
// form "Message from Tom Reingold <tom@example.com> of DATE <id>", where
// the first bracketed token is the author's address.
func afterFromName(phrase []string) bool {
	for i := len(phrase) - 1; i >= 0 && len(phrase)-1-i <= 4; i-- {
		w := phrase[i]
		if strings.EqualFold(w, "of") {
			return false
		}
		if strings.EqualFold(w, "from") {
			return true
		}
	}
	return false
}

// cleanID removes whitespace from an id candidate and returns it, or ""
// when it is not usable.
func cleanID(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x80 && isFWS(byte(r)) }) >= 0 {
		s = strings.Map(func(r rune) rune {
			if r < 0x80 && isFWS(byte(r)) {
				return -1
			}
			return r
		}, s)
	}
	if s == "" || len(s) > MaxIDLength || !utf8.ValidString(s) || IsSynthetic(s) {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return ""
		}
	}
	return s
}

// looksLikeAddrSpec reports whether s has the local@domain shape of a
// message id: a non-empty local part of atext and dots, and a domain of
// letters, digits, '-', '_' and dots, or a bracketed literal without
// angle brackets (an id holding '>' could not be written back as <id>).
// Non-ASCII bytes are allowed in both halves.
func looksLikeAddrSpec(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	for i := 0; i < len(local); i++ {
		c := local[i]
		if c < 0x80 && !isAtext(c) && c != '.' {
			return false
		}
	}
	if domain[0] == '[' {
		return domain[len(domain)-1] == ']' && len(domain) > 2 &&
			!strings.ContainsAny(domain[1:len(domain)-1], "[]\\<>")
	}
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if c < 0x80 && !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return domain[0] != '.' && domain[len(domain)-1] != '.'
}

func isFWS(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isAtext reports whether c is an RFC 5322 atext character.
func isAtext(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
