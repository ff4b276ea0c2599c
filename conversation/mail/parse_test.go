package mail

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	gomail "github.com/emersion/go-message/mail"

	"github.com/inboxkit/inboxkit/conversation"
)

// crlf turns a test message written with "\n" into CRLF form.
func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func parse(t *testing.T, raw string) *conversation.Message {
	t.Helper()
	m, err := (&Parser{}).ParseBytes(crlf(raw))
	require.NoError(t, err)
	return m
}

func hasDefect(m *conversation.Message, sub string) bool {
	for _, d := range m.Defects {
		if strings.Contains(d, sub) {
			return true
		}
	}
	return false
}

const stdHeader = "From: Ann <ann@example.com>\nTo: bob@example.com\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <1@example.com>\n"

func TestParseHeadersRFC2047(t *testing.T) {
	tests := []struct {
		name, header     string
		subject, display string
		defect           string
	}{
		{"plain", "Subject: Hello\nFrom: Ann <a@x.org>\n", "Hello", "Ann", ""},
		{"q utf-8", "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\nFrom: =?utf-8?q?J=C3=B6rg?= <j@x.org>\n", "Grüße", "Jörg", ""},
		{"b iso-8859-1", "Subject: =?ISO-8859-1?B?SG9s4Q==?=\nFrom: \"=?iso-8859-1?q?Ren=E9?=\" <r@x.org>\n", "Holá", "René", ""},
		{"adjacent words joined", "Subject: =?utf-8?q?a?= =?utf-8?q?b?=\nFrom: a@x.org\n", "ab", "", ""},
		{"folded", "Subject: a long\n\tsubject\nFrom: a@x.org\n", "a long subject", "", ""},
		{"windows-1252 word", "Subject: =?windows-1252?q?caf=E9_=80?=\nFrom: a@x.org\n", "café €", "", ""},
		{"koi8-r", "Subject: =?koi8-r?b?8NLJ18XU?=\nFrom: a@x.org\n", "Привет", "", ""},
		{"unknown charset kept", "Subject: =?x-nonsense?q?abc?=\nFrom: a@x.org\n", "=?x-nonsense?q?abc?=", "", "Subject: cannot decode"},
		{"raw 8-bit latin1", "Subject: caf\xe9\nFrom: a@x.org\n", "café", "", "Subject: 8-bit"},
		{"raw utf-8", "Subject: café\nFrom: a@x.org\n", "café", "", ""},
		{"malformed word left alone", "Subject: =?utf-8?q?broken\nFrom: a@x.org\n", "=?utf-8?q?broken", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parse(t, tc.header+"Date: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <1@x>\n\nbody\n")
			assert.Equal(t, tc.subject, m.Subject)
			assert.Equal(t, tc.display, m.From.Name)
			if tc.defect == "" {
				assert.Empty(t, m.Defects)
			} else {
				assert.True(t, hasDefect(m, tc.defect), "defects %q", m.Defects)
			}
		})
	}
}

func TestParseAddresses(t *testing.T) {
	tests := []struct {
		name, header string
		from         conversation.Address
		to, cc       []conversation.Address
		defect       bool
	}{
		{"lists", "From: Ann <a@x.org>\nTo: b@x.org, \"Carl, Jr\" <c@x.org>\nCc: (comment) d@x.org\n",
			conversation.Address{Name: "Ann", Address: "a@x.org"},
			[]conversation.Address{{Address: "b@x.org"}, {Name: "Carl, Jr", Address: "c@x.org"}},
			[]conversation.Address{{Address: "d@x.org"}}, false},
		{"mbox From line first", "From: a@x.org  Thu Aug 22 12:46:39 2002\nFrom: Ann <a@x.org>\nTo: b@x.org\n",
			conversation.Address{Name: "Ann", Address: "a@x.org"}, []conversation.Address{{Address: "b@x.org"}}, nil, false},
		{"broken list read leniently", "From: a@x.org\nTo: Bob <b@x.org>, garbage <<, c@x.org\n",
			conversation.Address{Address: "a@x.org"}, []conversation.Address{{Name: "Bob", Address: "b@x.org"}, {Address: "c@x.org"}}, nil, true},
		{"unclosed angle", "From: Ann <a@x.org\n",
			conversation.Address{Name: "Ann", Address: "a@x.org"}, nil, nil, true},
		{"group", "From: a@x.org\nTo: undisclosed-recipients:;\n",
			conversation.Address{Address: "a@x.org"}, nil, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parse(t, tc.header+"Date: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <1@x>\n\nbody\n")
			assert.Equal(t, tc.from, m.From)
			assert.Equal(t, tc.to, m.To)
			assert.Equal(t, tc.cc, m.Cc)
			assert.Equal(t, tc.defect, len(m.Defects) > 0, "defects %q", m.Defects)
		})
	}
}

func TestParseDate(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	tests := []struct {
		value string
		want  time.Time // zero: unreadable
	}{
		{"Mon, 1 Jan 2024 10:00:00 +0000", utc(2024, 1, 1, 10, 0, 0)},
		{"1 Jan 2024 12:00:00 +0200", utc(2024, 1, 1, 10, 0, 0)},
		{"Mon, 01 Jan 2024 10:00 GMT", utc(2024, 1, 1, 10, 0, 0)},
		{"Thu, 22 Aug 2002 12:46:18 +0100 (IST)", utc(2002, 8, 22, 11, 46, 18)},
		{"Thu, 22 Aug 02 12:46:18 +0100", utc(2002, 8, 22, 11, 46, 18)},
		{"Mon, 1 Jan 2024 05:00:00 EST", utc(2024, 1, 1, 10, 0, 0)},
		{"Thu Aug 22 12:46:39 2002", utc(2002, 8, 22, 12, 46, 39)},
		{"Mon,  1 Jan 2024 10:00:00 +0000 (UTC)", utc(2024, 1, 1, 10, 0, 0)},
		{"2024-01-01 10:00:00 +0000", utc(2024, 1, 1, 10, 0, 0)},
		{"yesterday", time.Time{}},
		{"31 Feb 2024 10:00:00 +0000", time.Time{}},
		{"", time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			m := parse(t, "From: a@x.org\nMessage-ID: <1@x>\nDate: "+tc.value+"\n\nbody\n")
			if tc.want.IsZero() {
				assert.True(t, m.At.IsZero(), "got %v", m.At)
				assert.True(t, hasDefect(m, "Date"), "defects %q", m.Defects)
				return
			}
			assert.True(t, tc.want.Equal(m.At), "got %v want %v", m.At, tc.want)
			assert.Empty(t, m.Defects)
		})
	}
	m := parse(t, "From: a@x.org\nMessage-ID: <1@x>\n\nbody\n")
	assert.True(t, m.At.IsZero())
	assert.Equal(t, []string{"header: no Date"}, m.Defects)
}

func TestParseIDs(t *testing.T) {
	tests := []struct {
		name, header   string
		id             string
		inReplyTo, ref []string
	}{
		{"standard", "Message-ID: <a@x>\nIn-Reply-To: <b@x>\nReferences: <c@x> <b@x>\n", "a@x", []string{"b@x"}, []string{"c@x", "b@x"}},
		{"no brackets", "Message-ID: a@x\n", "a@x", nil, nil},
		{"comma separated refs", "Message-ID: <a@x>\nReferences: <c@x>,<b@x>\n", "a@x", nil, []string{"c@x", "b@x"}},
		{"folded refs", "Message-ID: <a@x>\nReferences: <c@x>\n <b@x>\n", "a@x", nil, []string{"c@x", "b@x"}},
		{"garbage around in-reply-to", "Message-ID: <a@x>\nIn-Reply-To: Your message of Mon, 1 Jan 2024 <b@x>\n", "a@x", []string{"b@x"}, nil},
		{"strict parser rejects", "Message-ID: <a b@[x>\nIn-Reply-To: <with space@x.org>\n", "ab@[x", []string{"withspace@x.org"}, nil},
		{"ids without @", "Message-ID: <local-only>\nReferences: <one> <two>\n", "local-only", nil, []string{"one", "two"}},
		{"two references fields", "Message-ID: <a@x>\nReferences: <c@x>\nReferences: <d@x>\n", "a@x", nil, []string{"c@x", "d@x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parse(t, "From: a@x.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n"+tc.header+"\nbody\n")
			assert.Equal(t, tc.id, m.HeaderID)
			assert.Equal(t, tc.inReplyTo, m.InReplyTo)
			assert.Equal(t, tc.ref, m.References)
		})
	}
	// go-message's strict msg-id parser rejects these; they still count.
	var h gomail.Header
	h.Set("Message-Id", "<a b@[x>")
	h.Set("In-Reply-To", "<with space@x.org>")
	_, err := h.MessageID()
	assert.Error(t, err)
	_, err = h.MsgIDList("In-Reply-To")
	assert.Error(t, err)

	m := parse(t, "From: a@x.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <>\n\nbody\n")
	assert.Empty(t, m.HeaderID)
	assert.True(t, hasDefect(m, "unusable Message-ID"))
}

func TestParseCharsets(t *testing.T) {
	tests := []struct {
		name, ctype, cte, body string
		text                   string
		defect                 string
	}{
		{"utf-8 8bit", "text/plain; charset=utf-8", "8bit", "Grüße\n", "Grüße\n", ""},
		{"latin1 qp", "text/plain; charset=ISO-8859-1", "quoted-printable", "Gr=FC=DFe=\n und mehr\n", "Grüße und mehr\n", ""},
		{"windows-1252 8bit", "text/plain; charset=\"windows-1252\"", "8bit", "\x93quoted\x94 \x80\n", "\u201cquoted\u201d €\n", ""},
		{"base64 utf-8", "text/plain; charset=utf-8", "base64", "R3LDvMOfZQo=\n", "Grüße\n", ""},
		{"iso-2022-jp", "text/plain; charset=iso-2022-jp", "7bit", "\x1b$B$3$s$K$A$O\x1b(B\n", "こんにちは\n", ""},
		{"no charset 8-bit", "text/plain", "8bit", "caf\xe9\n", "café\n", "read as windows-1252"},
		{"unknown charset keeps bytes", "text/plain; charset=x-klingon", "8bit", "plain ascii\n", "plain ascii\n", "unknown charset \"x-klingon\""},
		{"unknown charset 8-bit", "text/plain; charset=x-klingon", "8bit", "caf\xe9\n", "café\n", "unknown charset"},
		{"invalid utf-8", "text/plain; charset=utf-8", "8bit", "ok \xff\n", "ok \uFFFD\n", "invalid UTF-8"},
		{"unknown encoding", "text/plain", "x-uuencode", "begin 644\n", "begin 644\n", "unknown Content-Transfer-Encoding"},
		{"broken qp", "text/plain", "quoted-printable", "a=ZZb=\n", "a=ZZb", "malformed quoted-printable"},
		{"broken base64", "text/plain", "base64", "aGVsbG8*\n!", "hello", "outside the base64 alphabet"},
		{"malformed content-type", "text/plain; charset=\"utf-8", "8bit", "x\n", "x\n", "malformed Content-Type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := stdHeader + "Content-Type: " + tc.ctype + "\nContent-Transfer-Encoding: " + tc.cte + "\n\n"
			m, err := (&Parser{}).ParseBytes(append(crlf(raw), []byte(strings.ReplaceAll(tc.body, "\n", "\r\n"))...))
			require.NoError(t, err)
			assert.Equal(t, tc.text, m.Text)
			if tc.defect == "" {
				assert.Empty(t, m.Defects)
			} else {
				assert.True(t, hasDefect(m, tc.defect), "defects %q", m.Defects)
			}
		})
	}
}

const nested = stdHeader + `Subject: nested
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

This is a MIME preamble.
--outer
Content-Type: multipart/alternative; boundary="outer-alt"

--outer-alt
Content-Type: text/plain; charset=utf-8

Hello in text.
--outer-alt
Content-Type: multipart/related; boundary=rel

--rel
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>Hello in <b>HTML</b> <img src=3D"cid:logo@x"></p>
--rel
Content-Type: image/png
Content-ID: <logo@x>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--rel--
--outer-alt--
--outer
Content-Type: application/pdf; name="report.pdf"
Content-Disposition: attachment; filename="report.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
JVBERg==
--outer
Content-Type: text/plain; name*=utf-8''na%C3%AFve.txt
Content-Disposition: attachment; filename*0*=utf-8''na%C3%AF; filename*1=ve.txt

not body text
--outer
Content-Type: application/octet-stream; name="=?utf-8?q?r=C3=A9sum=C3=A9.doc?="

abc
--outer
Content-Type: message/rfc822

From: x@y
Subject: inner

inner body
--outer--
epilogue
`

func TestParseNestedMultipart(t *testing.T) {
	m := parse(t, nested)
	assert.Equal(t, "Hello in text.", m.Text)
	assert.Equal(t, `<p>Hello in <b>HTML</b> <img src="cid:logo@x"></p>`, m.HTML)
	assert.Equal(t, []conversation.Attachment{
		{Name: "", ContentType: "image/png", Size: 8, ContentID: "logo@x"},
		{Name: "report.pdf", ContentType: "application/pdf", Size: 13},
		{Name: "naïve.txt", ContentType: "text/plain", Size: 13},
		{Name: "résumé.doc", ContentType: "application/octet-stream", Size: 3},
		{Name: "", ContentType: "message/rfc822", Size: 39},
	}, m.Attachments)
	assert.Empty(t, m.Defects)
	assert.Equal(t, "nested", m.Subject)
}

func TestParseMultipartDefects(t *testing.T) {
	t.Run("no closing boundary", func(t *testing.T) {
		m := parse(t, stdHeader+"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\none\n--b\n\ntwo\n")
		assert.Equal(t, "one\ntwo\n", m.Text)
		assert.True(t, hasDefect(m, "without its closing boundary"), "%q", m.Defects)
	})
	t.Run("no boundary parameter", func(t *testing.T) {
		m := parse(t, stdHeader+"Content-Type: multipart/mixed\n\njust text\n")
		assert.Equal(t, "just text\n", m.Text)
		assert.True(t, hasDefect(m, "without a boundary"))
	})
	t.Run("boundary never appears", func(t *testing.T) {
		m := parse(t, stdHeader+"Content-Type: multipart/mixed; boundary=zz\n\njust text\n")
		assert.Equal(t, "just text\n", m.Text)
		assert.True(t, hasDefect(m, "never appears"))
	})
	t.Run("longer boundary is not a delimiter", func(t *testing.T) {
		m := parse(t, stdHeader+"Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--bb\nstill one\n--b--\n")
		assert.Equal(t, "one\n--bb\nstill one", m.Text)
		assert.Empty(t, m.Defects)
	})
	t.Run("part without header", func(t *testing.T) {
		m := parse(t, stdHeader+"Content-Type: multipart/mixed; boundary=b\n\n--b\nno header here\n--b--\n")
		assert.Equal(t, "no header here", m.Text)
		assert.True(t, hasDefect(m, "part 1: part without a header"), "%q", m.Defects)
	})
	t.Run("too deep", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(stdHeader)
		for i := range maxDepth + 2 {
			b.WriteString("Content-Type: multipart/mixed; boundary=b" + string(rune('a'+i)) + "\n\n--b" + string(rune('a'+i)) + "\n")
		}
		b.WriteString("\ndeep\n")
		m := parse(t, b.String())
		assert.True(t, hasDefect(m, "nested deeper"), "%q", m.Defects)
	})
	t.Run("too many parts", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(stdHeader + "Content-Type: multipart/mixed; boundary=b\n\n")
		for range 20 {
			b.WriteString("--b\n\nx\n")
		}
		m, err := NewParser(Options{MaxParts: 5}).ParseBytes(crlf(b.String()))
		require.NoError(t, err)
		assert.Equal(t, "x\nx\nx\nx", m.Text)
		assert.True(t, hasDefect(m, "more than 5 MIME parts"))
	})
}

func TestParseHTMLOnly(t *testing.T) {
	m := parse(t, stdHeader+"Content-Type: text/html; charset=utf-8\n\n"+
		"<html><head><title>t</title><style>p{}</style></head><body><p>Hi&nbsp;there &amp; welcome</p>"+
		"<ul><li>one</li><li>two</li></ul><div>line<br>break</div><script>alert(1)</script>"+
		"<p>On Mon, Ann wrote:</p><blockquote>old text<br>more</blockquote></body></html>\n")
	assert.Equal(t, "Hi there & welcome\n\n- one\n- two\n\nline\nbreak\n\nOn Mon, Ann wrote:\n\n> old text\n> more", m.Text)
	assert.Equal(t, "Hi there & welcome\n\n- one\n- two\n\nline\nbreak", m.Unquoted)
	assert.NotEmpty(t, m.HTML)
}

func TestParseAttachmentRules(t *testing.T) {
	tests := []struct {
		name, part string
		text       string
		att        *conversation.Attachment
	}{
		{"inline text with filename is body", "Content-Type: text/plain\nContent-Disposition: inline; filename=a.txt\n\nhi", "hi", nil},
		{"text with filename is attachment", "Content-Type: text/plain; name=a.txt\n\nhi", "", &conversation.Attachment{Name: "a.txt", ContentType: "text/plain", Size: 2}},
		{"disposition attachment", "Content-Type: text/html\nContent-Disposition: attachment\n\n<p>", "", &conversation.Attachment{ContentType: "text/html", Size: 3}},
		{"qp attachment size is decoded size", "Content-Type: application/x-foo\nContent-Transfer-Encoding: quoted-printable\n\na=3Db", "", &conversation.Attachment{ContentType: "application/x-foo", Size: 3}},
		{"calendar", "Content-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR", "", &conversation.Attachment{ContentType: "text/calendar", Size: 15}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parse(t, stdHeader+"Content-Type: multipart/mixed; boundary=b\n\n--b\n"+tc.part+"\n--b--\n")
			assert.Equal(t, tc.text, m.Text)
			if tc.att == nil {
				assert.Empty(t, m.Attachments)
			} else {
				assert.Equal(t, []conversation.Attachment{*tc.att}, m.Attachments)
			}
		})
	}
}

func TestParseAutomated(t *testing.T) {
	tests := []struct {
		header string
		by     string
	}{
		{"Auto-Submitted: auto-replied\n", "Auto-Submitted"},
		{"Auto-Submitted: auto-generated; type=x\n", "Auto-Submitted"},
		{"Auto-Submitted: no\n", ""},
		{"Auto-Submitted: No (human)\n", ""},
		{"Precedence: bulk\n", "Precedence"},
		{"Precedence: LIST\n", "Precedence"},
		{"Precedence: junk\n", "Precedence"},
		{"Precedence: first-class\n", ""},
		{"X-Precedence: bulk\n", "X-Precedence"},
		{"List-Unsubscribe: <mailto:u@x>\n", "List-Unsubscribe"},
		{"X-Autoreply: yes\n", "X-Autoreply"},
		{"X-Autorespond: 1\n", "X-Autorespond"},
		{"X-Auto-Response-Suppress: All\n", "X-Auto-Response-Suppress"},
		{"X-Auto-Response-Suppress: None\n", ""},
		{"X-AutoGenerated: Reply\n", "X-Autogenerated"},
		{"Return-Path: <>\n", "Return-Path"},
		{"Return-Path: <a@x>\n", ""},
		{"Precedence: bulk\nAuto-Submitted: auto-generated\n", "Auto-Submitted"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			m := parse(t, stdHeader+tc.header+"\nbody\n")
			assert.Equal(t, tc.by, m.AutomatedBy)
			assert.Equal(t, tc.by != "", m.Automated)
		})
	}
	m := parse(t, stdHeader+"List-Id: Dev <dev.lists.x.org>\nMailing-List: list dev@x.org\n\nbody\n")
	assert.Equal(t, "Dev <dev.lists.x.org>", m.ListID)
	assert.Equal(t, "list dev@x.org", m.MailingList)
	assert.Contains(t, AutomationHeaders(), "Precedence")
}

func TestParseSizeLimit(t *testing.T) {
	raw := crlf(stdHeader + "\n" + strings.Repeat("x", 1000) + "\n")
	p := NewParser(Options{MaxSize: 500})
	_, err := p.ParseBytes(raw)
	require.ErrorIs(t, err, ErrTooLarge)
	// The limit applies while reading: no more than MaxSize+1 bytes.
	cr := &countingReader{r: bytes.NewReader(bytes.Repeat(raw, 1000))}
	_, err = p.Parse(cr)
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Equal(t, int64(501), cr.n)
	_, err = p.ParseHeader(bytes.NewReader(crlf(stdHeader + "X-Long: " + strings.Repeat("y", 600) + "\n\n")))
	require.ErrorIs(t, err, ErrTooLarge)

	m, err := NewParser(Options{MaxSize: int64(len(raw))}).Parse(bytes.NewReader(raw))
	require.NoError(t, err)
	assert.Equal(t, int64(len(raw)), m.Size)
	m, err = NewParser(Options{MaxSize: -1}).Parse(bytes.NewReader(raw))
	require.NoError(t, err)
	assert.Equal(t, int64(len(raw)), m.Size)

	_, err = p.Parse(errReader{})
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrTooLarge)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestParseMalformedHeader(t *testing.T) {
	for _, raw := range []string{"", "\r\n\r\nbody", "no header at all\nreally", "\x00\x01\x02", " indented: first\n"} {
		_, err := (&Parser{}).ParseBytes([]byte(raw))
		assert.ErrorIs(t, err, ErrNotMessage, "%q", raw)
	}
	t.Run("mbox From line", func(t *testing.T) {
		m := parse(t, "From ann@example.com Mon Jan  1 10:00:00 2024\n"+stdHeader+"Subject: s\n\nbody\n")
		assert.Equal(t, "s", m.Subject)
		assert.Empty(t, m.Defects)
	})
	t.Run("no blank line before body", func(t *testing.T) {
		m := parse(t, stdHeader+"Subject: s\nthis is the body\nmore\n")
		assert.Equal(t, "this is the body\nmore\n", m.Text)
		assert.True(t, hasDefect(m, "no blank line"))
	})
	t.Run("header only, LF line ends", func(t *testing.T) {
		m, err := (&Parser{}).ParseBytes([]byte("Subject: s\nFrom: a@x.org"))
		require.NoError(t, err)
		assert.Equal(t, "s", m.Subject)
		assert.Equal(t, "a@x.org", m.From.Address)
		assert.Empty(t, m.Text)
	})
	t.Run("missing headers are defects", func(t *testing.T) {
		m := parse(t, "Subject: s\n\nbody\n")
		assert.ElementsMatch(t, []string{"header: no Date", "header: no Message-ID", "header: no From"}, m.Defects)
	})
}

func TestParseHeaderOnly(t *testing.T) {
	raw := crlf(nested)
	full := parse(t, nested)
	h, err := (&Parser{}).ParseHeader(bytes.NewReader(raw))
	require.NoError(t, err)
	assert.Equal(t, full.Subject, h.Subject)
	assert.Equal(t, full.From, h.From)
	assert.Equal(t, full.HeaderID, h.HeaderID)
	assert.True(t, full.At.Equal(h.At))
	assert.Empty(t, h.Text)
	assert.Empty(t, h.Attachments)
	_, err = (&Parser{}).ParseHeader(strings.NewReader("not a header\n"))
	assert.ErrorIs(t, err, ErrNotMessage)
}

func TestSynthesizeID(t *testing.T) {
	a := parse(t, "From: a@x.org\nTo: b@x.org\nSubject: hi\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nbody\n")
	b := parse(t, "From: a@x.org\nTo: b@x.org\nSubject: Re: hi\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nbody\n")
	c := parse(t, "From: a@x.org\nTo: b@x.org\nSubject: hi\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nother body\n")
	assert.Equal(t, SynthesizeID(a), SynthesizeID(b), "subjects are normalized")
	assert.NotEqual(t, SynthesizeID(a), SynthesizeID(c))
}

// TestSimpleAddressAgreesWithNetMail: the fast path for plain addresses
// gives what net/mail gives, whenever it accepts a value.
func TestSimpleAddressAgreesWithNetMail(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pieces := rapid.SliceOfN(rapid.SampledFrom([]string{
			"a", "Bob", " ", "  ", "\"", "<", ">", "@", ".", "..", "-", "_", "+", "=", "?", "=?", "'", "\\", ",", "x.org", "é", "\t", "(c)",
		}), 1, 12).Draw(t, "pieces")
		v := strings.Join(pieces, "")
		a, ok := simpleAddress(v)
		if !ok {
			return
		}
		list, err := addressParser.ParseList(v)
		require.NoError(t, err, "%q", v)
		require.Len(t, list, 1, "%q", v)
		require.Equal(t, conversation.Address{Name: list[0].Name, Address: list[0].Address}, a, "%q", v)
	})
	for _, v := range []string{"a@x.org", "<a@x.org>", "Bob <a@x.org>", "Bob  Smith <a@x.org>", "\"Smith, Bob\" <a@x.org>", "O'Brien <o@x.org>"} {
		_, ok := simpleAddress(v)
		assert.True(t, ok, v)
	}
}
