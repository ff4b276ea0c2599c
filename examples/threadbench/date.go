package main

import (
	"net/mail"
	"strings"
	"time"
)

// parseDate parses a Date header value. The common RFC 5322 shape
// ("[Mon, ]2 Jan 2006 15:04[:05] -0700 [(comment)]", with an obsolete zone
// name or none) and ISO 8601 are parsed by hand; anything else that holds
// a digit goes to net/mail.ParseDate. ok is false when nothing parses.
func parseDate(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if t, ok := parseRFC5322Date(s); ok {
		return t, true
	}
	if len(s) >= 20 && s[4] == '-' && s[10] == 'T' {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, true
		}
	}
	if !strings.ContainsAny(s, "0123456789") {
		return time.Time{}, false // "Not supplied" and other words
	}
	t, err := mail.ParseDate(s)
	return t, err == nil
}

var months = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// obsZones are the RFC 5322 section 4.3 zone names, in hours from UTC.
var obsZones = map[string]int{
	"ut": 0, "gmt": 0, "z": 0,
	"est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}

// parseRFC5322Date parses the common shape by hand, without allocating.
func parseRFC5322Date(s string) (time.Time, bool) {
	p := dateScanner{s: s}
	if w := p.word(); w != "" { // day of week
		if !p.skip(',') {
			return time.Time{}, false
		}
	}
	day, ok := p.number(1, 2)
	if !ok {
		return time.Time{}, false
	}
	mon := p.word()
	month := 0
	for i, m := range months {
		if len(mon) >= 3 && strings.EqualFold(mon[:3], m) {
			month = i + 1
		}
	}
	if month == 0 {
		return time.Time{}, false
	}
	p.space()
	start := p.i
	year, ok := p.number(2, 4)
	if !ok {
		return time.Time{}, false
	}
	// RFC 5322 section 4.3: a two-digit year below 50 is 20xx, other two-
	// and three-digit years add 1900; four digits are the year.
	switch digits := p.i - start; {
	case digits == 2 && year < 50:
		year += 2000
	case digits < 4:
		year += 1900
	}
	hour, ok1 := p.number(1, 2)
	ok2 := p.skip(':')
	minute, ok3 := p.number(2, 2)
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	sec := 0
	if p.skip(':') {
		if sec, ok = p.number(2, 2); !ok {
			return time.Time{}, false
		}
	}
	offset := 0
	p.space()
	switch {
	case p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-'):
		sign := 1
		if p.s[p.i] == '-' {
			sign = -1
		}
		p.i++
		z, ok := p.number(4, 4)
		if !ok {
			return time.Time{}, false
		}
		offset = sign * ((z/100)*3600 + (z%100)*60)
	default:
		w := p.word()
		h, known := obsZones[strings.ToLower(w)]
		if w != "" && !known {
			return time.Time{}, false
		}
		offset = h * 3600
	}
	p.space()
	if p.i < len(p.s) && p.s[p.i] != '(' {
		return time.Time{}, false
	}
	if day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.FixedZone("", offset)), true
}

// dateScanner reads the tokens of a date.
type dateScanner struct {
	s string
	i int
}

func (p *dateScanner) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\r' || p.s[p.i] == '\n') {
		p.i++
	}
}

// word reads a run of letters.
func (p *dateScanner) word() string {
	p.space()
	j := p.i
	for j < len(p.s) && (p.s[j]|0x20 >= 'a' && p.s[j]|0x20 <= 'z') {
		j++
	}
	w := p.s[p.i:j]
	p.i = j
	return w
}

// number reads min to max digits.
func (p *dateScanner) number(minDigits, maxDigits int) (int, bool) {
	p.space()
	n, j := 0, p.i
	for j < len(p.s) && j-p.i < maxDigits && p.s[j] >= '0' && p.s[j] <= '9' {
		n = n*10 + int(p.s[j]-'0')
		j++
	}
	if j-p.i < minDigits || (j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9') {
		return 0, false
	}
	p.i = j
	return n, true
}

// skip consumes c after optional space.
func (p *dateScanner) skip(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}
