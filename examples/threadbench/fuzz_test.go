package main

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range append(commonDates, "Thu, 26 Sep 2002 09:05 EDT", "2002-09-26T09:05:08-04:00", "Not supplied") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseRFC5322Date(s)
		if !ok {
			_, _ = parseDate(s)
			return
		}
		// What the fast path accepts reads back the same, and net/mail
		// agrees whenever the zone is numeric.
		again, ok := parseRFC5322Date(got.Format(time.RFC1123Z))
		if !ok || !again.Equal(got) {
			t.Fatalf("%q -> %v does not round-trip (%v, %v)", s, got, again, ok)
		}
		if !strings.ContainsAny(s, "+-") || strings.IndexFunc(s, func(r rune) bool { return r > 0x7f }) >= 0 {
			return
		}
		if want, err := mail.ParseDate(s); err == nil && !want.Equal(got) {
			t.Fatalf("%q: %v, net/mail %v", s, got, want)
		}
	})
}

func FuzzScanFields(f *testing.F) {
	for _, s := range []string{
		"Message-ID: <a@x>\nReferences: <r1@x>\n\t<r2@x>\nSubject: one\n two\n\nbody",
		"From a@x Mon Sep  2 10:00:00 2002\r\nin-reply-to: <p@x>\r\n\r\n",
		": x\n\n\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		end := headerEnd(b)
		if end >= 0 && (end > len(b) || b[end-1] != '\n') {
			t.Fatalf("header end %d of %q", end, b)
		}
		h := b
		if end >= 0 {
			h = b[:end]
		}
		fs := scanFields(h)
		for _, v := range []string{fs.messageID, fs.inReplyTo, fs.references, fs.subject, fs.date} {
			if !bytes.Contains(h, []byte(v)) {
				t.Fatalf("value %q is not in the header %q", v, h)
			}
		}
		_ = fs.message("s", "path")
	})
}
