package mail

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
)

var fixedNow = time.Date(2024, 3, 1, 12, 30, 45, 0, time.UTC)

func newTestComposer(t require.TestingT, maxRefs int) *Composer {
	c, err := NewComposer(ComposerOptions{
		IDHost:        "mail.example.com",
		Rand:          bytes.NewReader(bytes.Repeat([]byte("0123456789abcdef"), 1000)),
		MaxReferences: maxRefs,
		Now:           func() time.Time { return fixedNow },
	})
	require.NoError(t, err)
	return c
}

func TestNewComposerIDHost(t *testing.T) {
	for _, h := range []string{"", "a..b", "-ok.com x", "a@b", strings.Repeat("a", 64) + ".com"} {
		_, err := NewComposer(ComposerOptions{IDHost: h})
		assert.ErrorIs(t, err, ErrInvalidIDHost, "%q", h)
	}
	_, err := NewComposer(ComposerOptions{IDHost: "example.com"})
	assert.NoError(t, err)
}

func TestReplySubject(t *testing.T) {
	tests := []struct{ parent, want string }{
		{"Hello", "Re: Hello"},
		{"Re: Hello", "Re: Hello"},
		{"RE: re: Re[2]: Hello", "Re: Hello"},
		{"Re(3): Re^2: Hello", "Re: Hello"},
		{"Re : Hello", "Re: Hello"},
		{"Fwd: Hello", "Re: Fwd: Hello"},
		{"[list] Re: Hello", "Re: [list] Re: Hello"},
		{"  spaced   out  ", "Re: spaced out"},
		{"", "Re:"},
		{"Re:", "Re:"},
		{"Regarding", "Re: Regarding"},
		{"Re[x]: odd", "Re: Re[x]: odd"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, ReplySubject(tc.parent), "%q", tc.parent)
	}
}

func TestReplyHeaders(t *testing.T) {
	parent := &conversation.Message{
		From:       conversation.Address{Name: "Ann", Address: "ann@x.org"},
		To:         []conversation.Address{{Address: "support@acme.test"}},
		Subject:    "Re: Broken widget",
		HeaderID:   "p@x.org",
		References: []string{"root@x.org", "m1@x.org"},
	}
	c := newTestComposer(t, 0)
	m, err := c.Reply(parent, Draft{From: conversation.Address{Name: "Acme", Address: "support@acme.test"}, Text: "On it."})
	require.NoError(t, err)
	assert.Equal(t, conversation.Outbound, m.Direction)
	assert.Equal(t, "30313233343536373839616263646566@mail.example.com", m.HeaderID, "16 bytes of Rand, hex, @IDHost")
	assert.Equal(t, []string{"p@x.org"}, m.InReplyTo)
	assert.Equal(t, []string{"root@x.org", "m1@x.org", "p@x.org"}, m.References)
	assert.Equal(t, "Re: Broken widget", m.Subject)
	assert.Equal(t, []conversation.Address{parent.From}, m.To, "defaults to the parent's sender")
	assert.Equal(t, "support@acme.test", m.From.Address)
	assert.Equal(t, fixedNow, m.At)

	t.Run("Reply-To wins", func(t *testing.T) {
		p := *parent
		p.ReplyTo = []conversation.Address{{Address: "list@x.org"}}
		m, err := c.Reply(&p, Draft{From: conversation.Address{Address: "support@acme.test"}})
		require.NoError(t, err)
		assert.Equal(t, p.ReplyTo, m.To)
	})
	t.Run("reply to own outbound message", func(t *testing.T) {
		p := *parent
		p.Direction = conversation.Outbound
		p.Cc = []conversation.Address{{Address: "boss@acme.test"}}
		m, err := c.Reply(&p, Draft{From: conversation.Address{Address: "support@acme.test"}})
		require.NoError(t, err)
		assert.Equal(t, p.To, m.To)
		assert.Equal(t, p.Cc, m.Cc)
	})
	t.Run("parent with In-Reply-To only", func(t *testing.T) {
		p := *parent
		p.References, p.InReplyTo = nil, []string{"gp@x.org"}
		m, err := c.Reply(&p, Draft{From: conversation.Address{Address: "s@acme.test"}})
		require.NoError(t, err)
		assert.Equal(t, []string{"gp@x.org", "p@x.org"}, m.References)
	})
	t.Run("parent without Message-ID", func(t *testing.T) {
		p := *parent
		p.HeaderID = "synthetic:abc"
		m, err := c.Reply(&p, Draft{From: conversation.Address{Address: "s@acme.test"}})
		require.NoError(t, err)
		assert.Nil(t, m.InReplyTo)
		assert.Equal(t, []string{"root@x.org", "m1@x.org"}, m.References)
	})
	t.Run("invalid drafts", func(t *testing.T) {
		for _, d := range []Draft{
			{},
			{From: conversation.Address{Address: "not an address"}},
			{From: conversation.Address{Address: "a@x.org"}, To: []conversation.Address{{Address: "@"}}},
			{From: conversation.Address{Address: "a@x.org", Name: "evil\r\nBcc: x@y"}},
			{From: conversation.Address{Address: "a@x.org"}, Attachments: []Attachment{{Name: "x", ContentType: "nonsense", Content: strings.NewReader("")}}},
			{From: conversation.Address{Address: "a@x.org"}, Attachments: []Attachment{{Name: "x"}}},
		} {
			_, err := c.Reply(parent, d)
			assert.ErrorIs(t, err, ErrInvalidDraft, "%+v", d)
		}
		_, err := c.Reply(nil, Draft{From: conversation.Address{Address: "a@x.org"}})
		assert.ErrorIs(t, err, ErrInvalidDraft)
		bad := *parent
		bad.From = conversation.Address{Address: "garbage <<"}
		_, err = c.Reply(&bad, Draft{From: conversation.Address{Address: "a@x.org"}})
		assert.ErrorIs(t, err, ErrInvalidDraft, "the parent's sender is no address to reply to")
	})
}

func TestReplyReferencesBounded(t *testing.T) {
	refs := make([]string, 30)
	for i := range refs {
		refs[i] = fmt.Sprintf("m%d@x", i)
	}
	parent := &conversation.Message{HeaderID: "p@x", References: refs, From: conversation.Address{Address: "a@x.org"}}
	tests := []struct {
		max  int
		want []string
	}{
		{0, append([]string{"m0@x"}, append(refs[12:], "p@x")...)}, // default 20
		{3, []string{"m0@x", "m29@x", "p@x"}},
		{2, []string{"m0@x", "p@x"}},
		{1, []string{"p@x"}},
		{-1, append(append([]string{}, refs...), "p@x")},
	}
	for _, tc := range tests {
		m, err := newTestComposer(t, tc.max).Reply(parent, Draft{From: conversation.Address{Address: "s@acme.test"}})
		require.NoError(t, err)
		assert.Equal(t, tc.want, m.References, "max %d", tc.max)
		if tc.max == 0 {
			assert.Len(t, m.References, DefaultMaxReferences)
		}
	}
}

// roundTrip renders m and parses it back.
func roundTrip(t require.TestingT, c *Composer, m *conversation.Message, atts []Attachment) (*conversation.Message, []byte) {
	var buf bytes.Buffer
	require.NoError(t, c.Render(&buf, m, atts))
	got, err := (&Parser{}).ParseBytes(buf.Bytes())
	require.NoError(t, err, "%s", buf.Bytes())
	return got, buf.Bytes()
}

// assertSameFields checks that a parsed-back message has the fields of
// the composed one.
func assertSameFields(t require.TestingT, want, got *conversation.Message, raw []byte) {
	require.Equal(t, want.From, got.From, "%s", raw)
	require.Equal(t, want.To, got.To)
	require.Equal(t, want.Cc, got.Cc)
	require.Equal(t, want.ReplyTo, got.ReplyTo)
	require.Empty(t, got.Bcc, "Bcc is never written")
	require.Equal(t, want.Subject, got.Subject)
	require.Equal(t, want.HeaderID, got.HeaderID)
	require.Equal(t, want.InReplyTo, got.InReplyTo)
	require.Equal(t, want.References, got.References)
	require.True(t, want.At.Equal(got.At), "At %v, got %v", want.At, got.At)
	require.Equal(t, want.Text, got.Text, "%s", raw)
	require.Equal(t, want.HTML, got.HTML)
	require.Equal(t, want.Unquoted, got.Unquoted)
	require.Equal(t, want.Attachments, got.Attachments)
	require.Empty(t, got.Defects, "%s", raw)
	require.False(t, got.Automated)
}

func TestRenderRoundTrip(t *testing.T) {
	c := newTestComposer(t, 0)
	parent := &conversation.Message{
		From: conversation.Address{Name: "Jörg Müller", Address: "j@x.org"}, HeaderID: "p@x.org",
		Subject: "Grüße, und =?not encoded?=", References: []string{"r@x.org"},
	}
	atts := []Attachment{
		{Name: "résumé, final.pdf", ContentType: "application/pdf", Size: 5, Content: strings.NewReader("%PDF-")},
		{Name: "logo.png", ContentType: "image/png", ContentID: "logo@acme", Size: 3, Content: strings.NewReader("\x89PN")},
	}
	m, err := c.Reply(parent, Draft{
		From:        conversation.Address{Name: "Acme Support", Address: "support@acme.test"},
		Cc:          []conversation.Address{{Name: "Boss, The", Address: "boss@acme.test"}},
		Bcc:         []conversation.Address{{Address: "audit@acme.test"}},
		ReplyTo:     []conversation.Address{{Address: "tickets@acme.test"}},
		Text:        "Hallo Jörg,\r\n\r\nfixed.   \n\nOn Mon, Jörg wrote:\n> broken\n-- \nAcme",
		HTML:        "<p>Hallo J&ouml;rg,</p><p>fixed.</p><img src=\"cid:logo@acme\">",
		Attachments: atts,
	})
	require.NoError(t, err)
	assert.Equal(t, "Hallo Jörg,\n\nfixed.", m.Unquoted)
	got, raw := roundTrip(t, c, m, atts)
	assertSameFields(t, m, got, raw)
	assert.NotContains(t, string(raw), "audit@acme.test")
	assert.Contains(t, string(raw), "In-Reply-To: <p@x.org>")

	t.Run("text only", func(t *testing.T) {
		m, err := c.Compose("hello", Draft{From: conversation.Address{Address: "a@x.org"}, To: []conversation.Address{{Address: "b@x.org"}}, Text: "just text\n"})
		require.NoError(t, err)
		got, raw := roundTrip(t, c, m, nil)
		assertSameFields(t, m, got, raw)
		assert.Contains(t, string(raw), "Content-Type: text/plain; charset=utf-8")
	})
	t.Run("html only", func(t *testing.T) {
		m, err := c.Compose("hello", Draft{From: conversation.Address{Address: "a@x.org"}, HTML: "<p>only <i>html</i></p>"})
		require.NoError(t, err)
		assert.Equal(t, "only html", m.Text)
		got, raw := roundTrip(t, c, m, nil)
		assertSameFields(t, m, got, raw)
	})
	t.Run("attachments must match", func(t *testing.T) {
		err := c.Render(&bytes.Buffer{}, m, nil)
		assert.ErrorIs(t, err, ErrInvalidDraft)
		err = c.Render(&bytes.Buffer{}, m, []Attachment{atts[1], atts[0]})
		assert.ErrorIs(t, err, ErrInvalidDraft)
	})
}

// genAddress draws an address with an optional display name.
func genAddress(t *rapid.T, label string) conversation.Address {
	return conversation.Address{
		Name:    rapid.SampledFrom([]string{"", "Ann", "Jörg Müller", "Doe, John", "O'Brien", "\"Quoted\" Name", "张伟", "a.b", "=?utf-8?q?not_encoded?=", "x =? y"}).Draw(t, label+" name"),
		Address: rapid.StringMatching(`[a-z0-9]{1,8}(\.[a-z0-9+_-]{1,5})?@[a-z0-9]{1,8}\.(org|com|test)`).Draw(t, label+" address"),
	}
}

func genAddrs(t *rapid.T, label string) []conversation.Address {
	n := rapid.IntRange(0, 3).Draw(t, label+" count")
	var out []conversation.Address
	for i := range n {
		out = append(out, genAddress(t, fmt.Sprintf("%s %d", label, i)))
	}
	return out
}

// genText draws body text: lines of printable text, umlauts, CJK, quotes,
// signatures, trailing spaces, "=" and long lines that need soft breaks.
func genText(t *rapid.T, label string) string {
	pieces := rapid.SliceOfN(rapid.SampledFrom([]string{
		"hello", "Grüße", "日本語", " ", "  ", "\n", "\n\n", "> quoted", "-- ", "=", "=3D", "\t", ".", "From me",
		"On Mon, Ann wrote:", strings.Repeat("long", 30), "€", "<b>", "&amp;", "--boundary",
	}), 0, 30).Draw(t, label)
	return strings.Join(pieces, "")
}

// TestRenderRoundTripProperty: whatever is composed, Render's output parses
// back to the same fields.
func TestRenderRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := newTestComposer(t, rapid.IntRange(-1, 6).Draw(t, "max refs"))
		nrefs := rapid.IntRange(0, 10).Draw(t, "refs")
		parent := &conversation.Message{
			From:    genAddress(t, "parent from"),
			ReplyTo: genAddrs(t, "parent reply-to"),
			Subject: rapid.StringMatching(`((Re|RE|Fwd): ?){0,3}[ -~äöü€]{0,60}`).Draw(t, "subject"),
		}
		if rapid.Bool().Draw(t, "parent has id") {
			parent.HeaderID = rapid.StringMatching(`[a-zA-Z0-9.$%_-]{1,20}@[a-z0-9.]{1,10}`).Draw(t, "parent id")
		}
		for i := range nrefs {
			parent.References = append(parent.References, fmt.Sprintf("ref%d.%s@x", i, rapid.StringMatching(`[a-z0-9]{0,6}`).Draw(t, "ref")))
		}
		var atts []Attachment
		for i := range rapid.IntRange(0, 3).Draw(t, "attachments") {
			content := rapid.SliceOfN(rapid.Byte(), 0, 200).Draw(t, "content")
			atts = append(atts, Attachment{
				Name:        rapid.SampledFrom([]string{"", "a.pdf", "résumé.doc", "with space.txt", "semi;colon\"quote.bin", strings.Repeat("long", 30) + ".zip"}).Draw(t, "name"),
				ContentType: rapid.SampledFrom([]string{"application/pdf", "image/png", "application/octet-stream", "text/csv", ""}).Draw(t, "type"),
				ContentID:   rapid.SampledFrom([]string{"", fmt.Sprintf("part%d@acme", i)}).Draw(t, "cid"),
				Size:        int64(len(content)),
				Content:     bytes.NewReader(content),
			})
		}
		d := Draft{
			From:        genAddress(t, "from"),
			Cc:          genAddrs(t, "cc"),
			Bcc:         genAddrs(t, "bcc"),
			ReplyTo:     genAddrs(t, "reply-to"),
			Text:        genText(t, "text"),
			Attachments: atts,
		}
		if rapid.Bool().Draw(t, "explicit to") {
			d.To = genAddrs(t, "to")
		}
		if rapid.Bool().Draw(t, "html") {
			d.HTML = "<p>" + genText(t, "html") + "</p>"
		}
		m, err := c.Reply(parent, d)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(m.Subject, "Re:"), m.Subject)
		_, twice := cutRe(strings.TrimSpace(strings.TrimPrefix(m.Subject, "Re:")))
		require.False(t, twice, "exactly one Re: in %q", m.Subject)
		got, raw := roundTrip(t, c, m, atts)
		assertSameFields(t, m, got, raw)
	})
}

// accounts-threading.md §6.1 scenario 5 (F3:6845-6847): a conversation
// renamed internally still replies with the email's own subject; the
// rendered message never carries the custom subject. Reply takes the
// parent email, not the conversation, so the custom subject cannot reach
// it.
func TestTHR_05_ReplyHeaderCarriesEmailSubjectNotCustomSubject(t *testing.T) {
	parent, err := (&Parser{}).ParseBytes(crlf("From: a@x.org\nSubject: Order 7\nMessage-ID: <m1@x.org>\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nhi\n"))
	require.NoError(t, err)
	c := newTestComposer(t, 0)
	m, err := c.Reply(parent, Draft{From: conversation.Address{Address: "support@acme.test"}, Text: "ok"})
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, c.Render(&out, m, nil))
	assert.Contains(t, out.String(), "\r\nSubject: Re: Order 7\r\n")
}

// accounts-threading.md §1.2 T6: a reply's In-Reply-To is the parent's
// Message-ID and its References the parent's References plus that id, as
// written on the wire.
func TestTHR_T6_ReplyThreadingHeaders(t *testing.T) {
	parent, err := (&Parser{}).ParseBytes(crlf("From: a@x.org\nSubject: s\nMessage-ID: <m2@x.org>\nReferences: <m0@x.org> <m1@x.org>\nIn-Reply-To: <m1@x.org>\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nhi\n"))
	require.NoError(t, err)
	c := newTestComposer(t, 0)
	m, err := c.Reply(parent, Draft{From: conversation.Address{Address: "support@acme.test"}})
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, c.Render(&out, m, nil))
	assert.Contains(t, out.String(), "\r\nIn-Reply-To: <m2@x.org>\r\n")
	assert.Contains(t, out.String(), "\r\nReferences: <m0@x.org> <m1@x.org> <m2@x.org>\r\n")
}
