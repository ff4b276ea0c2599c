package mail

import (
	"time"
)

var months = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// fastDate reads the common RFC 5322 date shape, "[Www, ]D Mon YYYY
// HH:MM[:SS] ±hhmm|GMT|UT|UTC [(comment)]", without allocating on
// failure; anything else is left to the slower lenient path.
func fastDate(s string) (time.Time, bool) {
	i := 0
	skipSpace := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	num := func(minDigits, maxDigits int) (int, bool) {
		n, j := 0, i
		for j < len(s) && j-i < maxDigits && '0' <= s[j] && s[j] <= '9' {
			n = n*10 + int(s[j]-'0')
			j++
		}
		if j-i < minDigits {
			return 0, false
		}
		i = j
		return n, true
	}
	skipSpace()
	if i+4 <= len(s) && isLetter(s[i]) && isLetter(s[i+1]) && isLetter(s[i+2]) && s[i+3] == ',' {
		i += 4
		skipSpace()
	}
	day, ok := num(1, 2)
	if !ok {
		return time.Time{}, false
	}
	skipSpace()
	if i+3 > len(s) {
		return time.Time{}, false
	}
	month := 0
	for k, m := range months {
		if lower(s[i]) == m[0] && lower(s[i+1]) == m[1] && lower(s[i+2]) == m[2] {
			month = k + 1
			break
		}
	}
	if month == 0 {
		return time.Time{}, false
	}
	i += 3
	skipSpace()
	start := i
	year, ok := num(2, 4)
	if !ok || i-start == 3 {
		return time.Time{}, false
	}
	if i-start == 2 { // RFC 5322 section 4.3 obsolete two-digit years
		if year < 50 {
			year += 2000
		} else {
			year += 1900
		}
	}
	skipSpace()
	hour, ok := num(1, 2)
	if !ok || i >= len(s) || s[i] != ':' {
		return time.Time{}, false
	}
	i++
	minute, ok := num(2, 2)
	if !ok {
		return time.Time{}, false
	}
	sec := 0
	if i < len(s) && s[i] == ':' {
		i++
		if sec, ok = num(2, 2); !ok {
			return time.Time{}, false
		}
	}
	skipSpace()
	var loc *time.Location
	switch {
	case i+5 <= len(s) && (s[i] == '+' || s[i] == '-'):
		sign := s[i]
		i++
		z, ok := num(4, 4)
		if !ok {
			return time.Time{}, false
		}
		off := (z/100*60 + z%100) * 60
		if z%100 >= 60 || z/100 > 23 {
			return time.Time{}, false
		}
		if sign == '-' {
			off = -off
		}
		if off == 0 {
			loc = time.UTC
		} else {
			loc = time.FixedZone("", off)
		}
	case hasWordAt(s, i, "GMT"), hasWordAt(s, i, "UTC"):
		i += 3
		loc = time.UTC
	case hasWordAt(s, i, "UT"):
		i += 2
		loc = time.UTC
	default:
		off, n := obsZone(s[i:])
		if n == 0 {
			return time.Time{}, false
		}
		i += n
		loc = time.FixedZone("", off)
	}
	skipSpace()
	if i < len(s) && s[i] == '(' {
		for i < len(s) && s[i] != ')' {
			i++
		}
		i++
		skipSpace()
	}
	if i < len(s) || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc)
	if t.Day() != day { // 31 Feb
		return time.Time{}, false
	}
	return t, true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasWordAt reports whether s has the letters w at i, not followed by a
// letter.
func hasWordAt(s string, i int, w string) bool {
	if i+len(w) > len(s) || s[i:i+len(w)] != w {
		return false
	}
	return i+len(w) == len(s) || !isLetter(s[i+len(w)])
}

// obsZone reads the North American zone names of RFC 5322 section 4.3 at the
// start of s, returning the offset in seconds and the length read.
func obsZone(s string) (offset, n int) {
	for _, z := range [...]struct {
		name  string
		hours int
	}{{"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}} {
		if hasWordAt(s, 0, z.name) {
			return z.hours * 3600, 3
		}
	}
	return 0, 0
}
