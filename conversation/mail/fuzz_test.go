package mail

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/inboxkit/inboxkit/conversation"
)

// fuzzSeeds are hand-made malformed messages.
var fuzzSeeds = []string{
	"",
	"From: a@x\n\nbody",
	"Subject: =?utf-8?q?broken\r\n\r\n",
	"Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\nContent-Type: multipart/alternative; boundary=b\n\n--b--",
	"Content-Type: multipart/mixed; boundary=\"\"\n\n--\n",
	"Content-Type: text/plain; charset=x-unknown\nContent-Transfer-Encoding: base64\n\n!!!!",
	"Content-Type: text/html\n\n<blockquote><pre>a\n b</pre><li><!-- x",
	"Date: 99 Foo 99999 99:99:99 +9999\nMessage-ID: <<<>>>\nReferences: <a@b> (c <d@e>\n\n",
	"To: \"unterminated <a@b>, (comment\nFrom: =?x?y?z?=\n\n",
	"Content-Type: multipart/related; boundary=x\n\n--x\r\nContent-Type: message/rfc822\r\n\r\nFrom: inner\r\n--x--",
	"From x\n \tcontinuation\nA:\n\n",
	"Content-Type: text/plain; name*0*=utf-8''%ff%fe; name*1=\"x\"\nContent-Disposition: attachment; filename==?utf-8?b?AAAA?=\n\nz",
	"Content-Transfer-Encoding: quoted-printable\n\n=\n=4\n=G0\n=C3=\n",
}

// FuzzParse: no input makes the parser panic, fail with another error
// than ErrTooLarge or ErrNotMessage, or return text that is not UTF-8.
// Seeds: the hand-made ones above and a sample of the corpora (read at
// fuzz time; none when they are absent).
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	if files := sampleCorpus(); len(files) > 0 {
		for _, raw := range files {
			f.Add(raw)
		}
	}
	p := NewParser(Options{MaxSize: 1 << 20, MaxParts: 100})
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := p.ParseBytes(raw)
		if err != nil {
			if !errors.Is(err, ErrNotMessage) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		checkUTF8(t, m)
		h, err := p.ParseHeader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("ParseHeader failed where ParseBytes did not: %v", err)
		}
		if h.Subject != m.Subject || h.HeaderID != m.HeaderID || h.From != m.From {
			t.Fatalf("ParseHeader disagrees: %+v vs %+v", h, m)
		}
		if len(m.Defects) > maxDefects+1 {
			t.Fatalf("%d defects", len(m.Defects))
		}
	})
}

func checkUTF8(t *testing.T, m *conversation.Message) {
	t.Helper()
	for name, s := range map[string]string{"Subject": m.Subject, "Text": m.Text, "HTML": m.HTML, "Unquoted": m.Unquoted, "From": m.From.Name + m.From.Address} {
		if !utf8.ValidString(s) {
			t.Fatalf("%s is not UTF-8: %q", name, s)
		}
	}
	for _, a := range m.Attachments {
		if !utf8.ValidString(a.Name) || a.Size < 0 {
			t.Fatalf("bad attachment %+v", a)
		}
	}
}

// sampleCorpus returns every 40th corpus file, or nil when the corpora are
// absent.
func sampleCorpus() [][]byte {
	var out [][]byte
	for _, sub := range []string{"notmuch", "spamassassin-easy-ham"} {
		files, err := readCorpus(sub)
		if err != nil {
			return nil
		}
		for i := 0; i < len(files); i += 40 {
			out = append(out, files[i].raw)
		}
	}
	return out
}

// FuzzComposeRoundTrip: a reply composed from fuzzed text, subject and
// names renders to bytes that parse back to the same fields.
func FuzzComposeRoundTrip(f *testing.F) {
	f.Add("Re: hello", "Ann", "text\n-- \nsig", "<p>hi</p>", "a.pdf", []byte("%PDF"))
	f.Add("", "", "", "", "", []byte(nil))
	f.Add("=?utf-8?q?x?=", "\"q\"", "=\r\n.\r\n", "<b", "é;\".txt", []byte{0, 1, 2})
	f.Fuzz(func(t *testing.T, subject, name, text, html, file string, content []byte) {
		for _, s := range []string{subject, name, text, html, file} {
			if !utf8.ValidString(s) {
				return
			}
		}
		c := newTestComposer(t, 0)
		parent := &conversation.Message{HeaderID: "p@x.org", Subject: subject, From: conversation.Address{Name: name, Address: "a@x.org"}}
		var atts []Attachment
		if file != "" {
			atts = []Attachment{{Name: file, ContentType: "application/octet-stream", Size: int64(len(content)), Content: bytes.NewReader(content)}}
		}
		m, err := c.Reply(parent, Draft{From: conversation.Address{Name: name, Address: "s@acme.test"}, Text: text, HTML: html, Attachments: atts})
		if err != nil {
			if strings.ContainsAny(name, "\r\n") {
				return
			}
			t.Fatal(err)
		}
		if strings.ContainsFunc(subject+name+text+html+file, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }) {
			// Control characters are not promised to survive; the
			// output must still render and parse.
			var buf bytes.Buffer
			if err := c.Render(&buf, m, atts); err != nil {
				t.Fatal(err)
			}
			if _, err := (&Parser{}).ParseBytes(buf.Bytes()); err != nil {
				t.Fatal(err)
			}
			return
		}
		got, raw := roundTrip(t, c, m, atts)
		assertSameFields(t, m, got, raw)
	})
}
