package inbox_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// Issue 10 point 9: structured messages are held to the limits raw mail
// is: a 50 MiB body or subject is refused with ErrLimitReached and nothing
// is stored, and a raw message with a 20 MiB one-line Subject (within the
// raw size limit) is refused the same way instead of stored whole.
func TestDefect10_9_StructuredMessagesHaveTheRawLimits(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	acct := a.Accounts["support"].ID
	huge := strings.Repeat("x", 50<<20)
	cases := map[string]func(m *conversation.Message){
		"body":    func(m *conversation.Message) { m.Text = huge },
		"html":    func(m *conversation.Message) { m.HTML = huge },
		"subject": func(m *conversation.Message) { m.Subject = huge },
		"references": func(m *conversation.Message) {
			for i := range 100000 {
				m.References = append(m.References, strings.Repeat("r", 20)+string(rune('a'+i%26))+"@example.com")
			}
		},
		"recipients": func(m *conversation.Message) {
			for range 5000 {
				m.Cc = append(m.Cc, conversation.Address{Address: "someone@example.com"})
			}
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			m := a.Email("Big", "support@acme.test")
			mutate(&m)
			_, err := a.Engine.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct, Message: m})
			assert.ErrorIs(t, err, inbox.ErrLimitReached)
			_, err = a.Engine.RecordSent(ctx, inbox.System, inbox.Incoming{Account: acct, Message: m})
			assert.ErrorIs(t, err, inbox.ErrLimitReached)
		})
	}
	c, first := scvSupport(a, "Real")
	for name, mutate := range cases {
		t.Run("reply/"+name, func(t *testing.T) {
			m := conversation.Message{To: []conversation.Address{first.From}, Subject: "Re: Real", Text: "ok", HeaderID: "d10-9-" + name + "@acme.test"}
			mutate(&m)
			_, err := a.Engine.RecordReply(ctx, a.As("A"), c, inbox.Reply{Message: m})
			assert.ErrorIs(t, err, inbox.ErrLimitReached)
		})
	}
	assert.Equal(t, 1, a.Conv("A", c).Conversation.Messages, "nothing stored")

	var raw bytes.Buffer
	raw.WriteString("From: customer@example.com\r\nTo: support@acme.test\r\nMessage-ID: <long@example.com>\r\nSubject: ")
	raw.WriteString(strings.Repeat("s", 20<<20))
	raw.WriteString("\r\n\r\nbody\r\n")
	_, err := a.Engine.DeliverRaw(ctx, inbox.System, inbox.RawIncoming{Account: acct, Message: &raw})
	assert.ErrorIs(t, err, inbox.ErrLimitReached)
	assert.Len(t, a.List("A", a.Box(conversation.All)), 1, "nothing stored")
}

// The limits refuse only what exceeds them: a message at every limit is
// delivered, and raw mail without Message-ID or Date is still accepted.
func TestDefect10_9_MessageAtTheLimitsIsAccepted(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{MaxMessageSize: 1 << 20,
		Limits: inbox.Limits{MaxSubjectSize: 100, MaxRecipients: 3, MaxHeaderSize: 1000}}})
	acct := a.Accounts["support"].ID
	m := a.Email(strings.Repeat("s", 100), "support@acme.test", "a@example.com", "b@example.com")
	m.Text = strings.Repeat("t", 1<<20)
	_, err := a.Engine.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct, Message: m})
	assert.NoError(t, err)
	m = a.Email(strings.Repeat("s", 101), "support@acme.test")
	_, err = a.Engine.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct, Message: m})
	assert.ErrorIs(t, err, inbox.ErrLimitReached)
	assert.Contains(t, err.Error(), "subject")
	m = a.Email("Four", "support@acme.test", "a@example.com", "b@example.com", "c@example.com")
	_, err = a.Engine.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct, Message: m})
	assert.ErrorIs(t, err, inbox.ErrLimitReached)

	raw := "From: customer@example.com\r\nTo: support@acme.test\r\nSubject: no id, no date\r\n\r\nbody\r\n"
	d, err := a.Engine.DeliverRaw(ctx, inbox.System, inbox.RawIncoming{Account: acct, Message: strings.NewReader(raw)})
	assert.NoError(t, err)
	assert.Len(t, d.Conversations, 1)
}

// A conversation's custom subject is a subject too.
func TestDefect10_9_CustomSubjectHasTheSubjectLimit(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c, _ := scvSupport(a, "Rename me")
	err := a.Engine.SetSubject(ctx, a.As("A"), c, strings.Repeat("s", inbox.DefaultMaxSubjectSize+1))
	assert.ErrorIs(t, err, inbox.ErrLimitReached)
	assert.NoError(t, a.Engine.SetSubject(ctx, a.As("A"), c, strings.Repeat("s", inbox.DefaultMaxSubjectSize)))
}

// A reply composed in inboxkit is held to the same limits before it is
// rendered.
func TestDefect10_9_ComposedReplyHasTheLimits(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Limits: inbox.Limits{MaxRecipients: 2}}})
	c, _ := scvSupport(a, "Compose")
	_, err := a.Engine.ComposeReply(ctx, a.As("A"), c, inbox.ReplyDraft{Text: "ok",
		Cc: []conversation.Address{{Address: "x@example.com"}, {Address: "y@example.com"}}})
	assert.ErrorIs(t, err, inbox.ErrLimitReached)
	_, err = a.Engine.ComposeReply(ctx, a.As("A"), c, inbox.ReplyDraft{Text: "ok", Cc: []conversation.Address{{Address: "x@example.com"}}})
	assert.NoError(t, err)
}
