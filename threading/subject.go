package threading

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// replyKeywords are the reply and forward markers [NormalizeSubject]
// strips when they are followed by an optional counter and a colon:
// English, German (AW, WG), Scandinavian (SV, VS), Dutch (Antw), Polish
// (Odp), Spanish (RV), Portuguese (ENC, RES), French (TR) and Chinese.
// Longer keywords come before their prefixes ("fwd" before "fw").
var replyKeywords = []string{
	"antw", "fwd", "odp", "enc", "res",
	"re", "fw", "aw", "wg", "sv", "vs", "rv", "tr",
	"回复", "回覆", "答复", "转发", "轉寄", "轉發",
}

// letterKeywords are the Italian single-letter markers (R = risposta,
// I = inoltro); they count only when a colon follows immediately.
var letterKeywords = []string{"r", "i"}

// maxTagLen bounds a leading "[list]" tag.
const maxTagLen = 64

// NormalizeSubject strips what mail clients and lists add to a subject, so
// replies and the original compare equal:
//   - repeated reply and forward prefixes in many languages, matched
//     case-insensitively: Re, Fwd, Fw, AW, WG, SV, VS, Antw, Odp, RV, ENC,
//     RES, Tr, 回复, 转发 (and traditional forms), with a counter ("Re[2]:",
//     "Re(2):", "Re^2:"), spaces before the colon ("Re :") and a fullwidth
//     colon ("Re："); the Italian "R:" and "I:" only with the colon right
//     after the letter;
//   - list tags such as "[listname]" at the start, also between prefixes
//     ("Re: [list] Re: x"); a tag has no whitespace inside;
//   - a "[Fwd: ...]" wrapper and a trailing "(fwd)";
//   - surrounding whitespace; inner runs of whitespace become one space.
//
// Case is kept (compare with [SubjectKey]). The result is a fixed point:
// NormalizeSubject(NormalizeSubject(s)) == NormalizeSubject(s). It never
// panics, whatever the bytes.
func NormalizeSubject(s string) string {
	for {
		t := strings.TrimFunc(s, unicode.IsSpace)
		if rest, ok := stripMarker(t); ok {
			s = rest
			continue
		}
		if rest, ok := stripTag(t); ok {
			s = rest
			continue
		}
		if rest, ok := stripFwdWrapper(t); ok {
			s = rest
			continue
		}
		if len(t) >= 5 && strings.EqualFold(t[len(t)-5:], "(fwd)") {
			s = t[:len(t)-5]
			continue
		}
		return strings.Join(strings.Fields(t), " ")
	}
}

// SubjectKey is the grouping key of a subject: [NormalizeSubject],
// lower-cased. The optional subject fallback compares these.
func SubjectKey(s string) string { return strings.ToLower(NormalizeSubject(s)) }

// ReplySubject returns the Subject header of a reply to a message with
// subject parent: parent with "Re: " in front, unless it already starts with
// a "Re:" marker (an outgoing reply's subject comes from the parent email,
// never from a custom conversation subject).
func ReplySubject(parent string) string {
	p := strings.Join(strings.Fields(parent), " ")
	if _, ok := stripKeyword(p, "re"); ok {
		return p
	}
	if p == "" {
		return "Re:"
	}
	return "Re: " + p
}

// stripMarker removes one reply/forward marker from the start of s.
func stripMarker(s string) (string, bool) {
	for _, kw := range replyKeywords {
		if rest, ok := stripKeyword(s, kw); ok {
			return rest, true
		}
	}
	for _, kw := range letterKeywords {
		if len(s) >= 2 && strings.EqualFold(s[:1], kw) {
			if rest, ok := cutColon(s[1:]); ok {
				return rest, true
			}
		}
	}
	return s, false
}

// stripKeyword removes kw (case-insensitively), an optional counter,
// optional whitespace and a colon from the start of s.
func stripKeyword(s, kw string) (string, bool) {
	if len(s) < len(kw) || !strings.EqualFold(s[:len(kw)], kw) {
		return s, false
	}
	rest := skipCounter(s[len(kw):])
	rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
	return cutColon(rest)
}

// skipCounter skips a reply counter: "[2]", "(2)" or "^2".
func skipCounter(s string) string {
	if s == "" {
		return s
	}
	var closer byte
	switch s[0] {
	case '[':
		closer = ']'
	case '(':
		closer = ')'
	case '^':
	default:
		return s
	}
	i := 1
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 1 {
		return s
	}
	if closer == 0 {
		return s[i:]
	}
	if i < len(s) && s[i] == closer {
		return s[i+1:]
	}
	return s
}

// cutColon removes a leading ':' or fullwidth '：'.
func cutColon(s string) (string, bool) {
	if strings.HasPrefix(s, ":") {
		return s[1:], true
	}
	if strings.HasPrefix(s, "：") {
		return s[len("："):], true
	}
	return s, false
}

// stripTag removes a leading "[tag]" without whitespace inside.
func stripTag(s string) (string, bool) {
	if !strings.HasPrefix(s, "[") {
		return s, false
	}
	end := strings.IndexByte(s, ']')
	if end < 2 || end > maxTagLen+1 {
		return s, false
	}
	tag := s[1:end]
	if strings.ContainsRune(tag, '[') || strings.IndexFunc(tag, unicode.IsSpace) >= 0 || !utf8.ValidString(tag) {
		return s, false
	}
	return s[end+1:], true
}

// stripFwdWrapper turns "[Fwd: x]" into "Fwd: x" (which the next round
// strips): the old forwarding style that wraps the whole subject.
func stripFwdWrapper(s string) (string, bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return s, false
	}
	inner := strings.TrimFunc(s[1:len(s)-1], unicode.IsSpace)
	if _, ok := stripMarker(inner); !ok {
		return s, false
	}
	return inner, true
}
