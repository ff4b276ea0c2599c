package inbox_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/mail"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

const rawOrder = "From: =?UTF-8?Q?Kim_M=C3=BCller?= <kim@example.com>\r\n" +
	"To: support@acme.test\r\n" +
	"Subject: =?UTF-8?B?T3JkZXIgNyDigJMgbGF0ZQ==?=\r\n" +
	"Message-ID: <order7@example.com>\r\n" +
	"Date: Tue, 1 Dec 2026 09:00:00 +0000\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=b\r\n" +
	"\r\n" +
	"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nWhere is my order?\r\n" +
	"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Where is my order?</p>\r\n--b--\r\n"

func deliverRaw(t *testing.T, a *inboxtest.Acme, key, raw string) inbox.Delivery {
	t.Helper()
	d, err := a.Engine.DeliverRaw(context.Background(), inbox.System, inbox.RawIncoming{Account: a.Accounts[key].ID, Message: strings.NewReader(raw)})
	require.NoError(t, err)
	return d
}

func TestDeliverRawParsesAndThreads(t *testing.T) {
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	d := deliverRaw(t, a, "support", rawOrder)
	require.Len(t, d.Conversations, 1)
	v := a.Conv("A", d.Conversations[0])
	require.Len(t, v.Messages, 1)
	m := v.Messages[0]
	assert.Equal(t, "Kim Müller", m.From.Name)
	assert.Equal(t, "Order 7 – late", m.Subject)
	assert.Equal(t, "order7@example.com", m.HeaderID)
	assert.Equal(t, "Where is my order?", m.Text)
	assert.Contains(t, m.HTML, "<p>Where is my order?</p>")
	assert.True(t, a.In("A", a.Box(conversation.TeamInbox, "Support"), d.Conversations[0]))

	reply := "From: kim@example.com\r\nTo: support@acme.test\r\nSubject: Re: Order 7\r\n" +
		"Message-ID: <r1@example.com>\r\nIn-Reply-To: Your message of Tue <order7@example.com>\r\n\r\n" +
		"Any news?\r\n\r\nOn Tue, Support wrote:\r\n> We are on it.\r\n"
	d2 := deliverRaw(t, a, "support", reply)
	assert.Equal(t, d.Conversations, d2.Conversations, "a reply with garbage around the id joins")
	v = a.Conv("A", d.Conversations[0])
	require.Len(t, v.Messages, 2)
	assert.Equal(t, "Any news?", v.Messages[1].Unquoted)

	d3 := deliverRaw(t, a, "support", rawOrder)
	assert.True(t, d3.Duplicate, "the same Message-ID again is a copy, not a message")
	assert.Len(t, a.Conv("A", d.Conversations[0]).Messages, 2)
}

func TestDeliverRawRefusesWhatItCannotStore(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{MaxMessageSize: 200}})
	acct := a.Accounts["support"].ID
	big := rawOrder + strings.Repeat("x", 300)
	_, err := a.Engine.DeliverRaw(ctx, inbox.System, inbox.RawIncoming{Account: acct, Message: strings.NewReader(big)})
	assert.ErrorIs(t, err, mail.ErrTooLarge)
	assert.ErrorIs(t, err, inbox.ErrLimitReached)
	_, err = a.Engine.DeliverRaw(ctx, inbox.System, inbox.RawIncoming{Account: acct, Message: strings.NewReader("\x00\x01binary")})
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
	_, err = a.Engine.DeliverRaw(ctx, a.As("A"), inbox.RawIncoming{Account: acct, Message: strings.NewReader(rawOrder)})
	assert.ErrorIs(t, err, inbox.ErrForbidden, "only the system delivers")
	assert.Empty(t, a.List("A", a.Box(conversation.TeamInbox, "Support")), "nothing was stored")

	// Malformed mail is kept, with its defects.
	d, err := a.Engine.DeliverRaw(ctx, inbox.System, inbox.RawIncoming{Account: acct, Message: strings.NewReader(
		"From: kim@example.com\nSubject: broken\nContent-Type: text/plain; charset=x-unknown\n\nhello\n")})
	require.NoError(t, err)
	m := a.Conv("A", d.Conversations[0]).Messages[0]
	assert.Equal(t, "hello", strings.TrimSpace(m.Text))
	assert.NotEmpty(t, m.Defects)
}

// T6 and F3:6845-6847: a composed reply carries the ids of its parent and
// the parent's external subject, never the custom one; the customer's
// answer to it comes back into the conversation.
func TestComposeReplyRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c := deliverRaw(t, a, "support", rawOrder).Conversations[0]
	require.NoError(t, a.Engine.SetSubject(ctx, a.As("A"), c, "VIP – ACME"))

	out, err := a.Engine.ComposeReply(ctx, a.As("A"), c, inbox.ReplyDraft{Text: "It ships today."})
	require.NoError(t, err)
	m := out.Message
	assert.Equal(t, "Re: Order 7 – late", m.Subject)
	assert.Equal(t, []string{"order7@example.com"}, m.InReplyTo)
	assert.Equal(t, []string{"order7@example.com"}, m.References)
	assert.Equal(t, "support@acme.test", m.From.Address)
	assert.Equal(t, []conversation.Address{{Name: "Kim Müller", Address: "kim@example.com"}}, m.To)
	assert.True(t, strings.HasSuffix(m.HeaderID, "@acme.test"), m.HeaderID)
	parsed, err := a.Engine.ParseMessage(bytes.NewReader(out.Raw))
	require.NoError(t, err)
	assert.Equal(t, m.HeaderID, parsed.HeaderID)
	assert.Equal(t, m.Subject, parsed.Subject)
	assert.NotContains(t, string(out.Raw), "VIP")

	_, err = a.Engine.RecordReply(ctx, a.As("A"), c, inbox.Reply{Account: out.Account, Message: m})
	require.NoError(t, err)
	answer := "From: kim@example.com\r\nTo: support@acme.test\r\nSubject: " + m.Subject + "\r\n" +
		"Message-ID: <r2@example.com>\r\nIn-Reply-To: <" + m.HeaderID + ">\r\n\r\nThanks!\r\n"
	assert.Equal(t, []conversation.ConversationID{c}, deliverRaw(t, a, "support", answer).Conversations)

	_, err = a.Engine.ComposeReply(ctx, a.As("A"), c, inbox.ReplyDraft{From: "sales@acme.test"})
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument, "an address of another account")
	_, err = a.Engine.ComposeReply(ctx, a.As("C"), c, inbox.ReplyDraft{})
	assert.ErrorIs(t, err, inbox.ErrNotFound, "C cannot see it")
}

// "To send emails, a user must be granted access to at least one email
// address or alias" (F3:6827): seeing a conversation is not enough to send
// as another account's address.
func TestSendingNeedsAccessToTheAddress(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c := deliverRaw(t, a, "support", rawOrder).Conversations[0]
	for _, key := range []string{"c", "sales"} {
		_, err := a.Engine.ComposeReply(ctx, a.As("A"), c, inbox.ReplyDraft{Account: a.Accounts[key].ID, Text: "x"})
		assert.ErrorIs(t, err, inbox.ErrForbidden, "A composes from %s", key)
		_, err = a.Engine.RecordReply(ctx, a.As("A"), c, inbox.Reply{Account: a.Accounts[key].ID,
			Message: conversation.Message{To: []conversation.Address{{Address: "kim@example.com"}}, Text: "x"}})
		assert.ErrorIs(t, err, inbox.ErrForbidden, "A records a reply from %s", key)
	}
	// M, mentioned in, sees the conversation but has no address to send from.
	_, err := a.Engine.Comment(ctx, a.As("A"), c, inbox.NewComment{Body: "@m have a look"})
	require.NoError(t, err)
	_, err = a.Engine.ComposeReply(ctx, a.As("M"), c, inbox.ReplyDraft{Text: "x"})
	assert.ErrorIs(t, err, inbox.ErrForbidden)
	// The team's members may; C may from their own personal account.
	_, err = a.Engine.ComposeReply(ctx, a.As("B"), c, inbox.ReplyDraft{Text: "x"})
	assert.NoError(t, err)
	require.NoError(t, a.Engine.AddPeople(ctx, a.As("A"), c, inbox.People{Users: a.IDs("C")}))
	out, err := a.Engine.ComposeReply(ctx, a.As("C"), c, inbox.ReplyDraft{Account: a.Accounts["c"].ID, Text: "x"})
	require.NoError(t, err)
	assert.Equal(t, "c@acme.test", out.Message.From.Address)
}

// Every easy_ham file goes through the engine's raw path into exactly one
// conversation of one personal account, and the engine's threading gives
// the partition package threading gives (threading/corpus_test.go: 1,466).
func TestDeliverRawCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../shared/corpora/spamassassin-easy-ham/*.eml")
	if len(files) == 0 {
		t.Skip("../shared/corpora is absent: the corpus test needs spamassassin-easy-ham")
	}
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	acct := a.Accounts["c"].ID
	delivered := map[conversation.ConversationID]bool{}
	dups := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		d, err := a.Engine.DeliverRaw(ctx, inbox.System, inbox.RawIncoming{Account: acct, Ref: filepath.Base(f), Message: bytes.NewReader(raw)})
		require.NoError(t, err, f)
		require.Len(t, d.Conversations, 1, f)
		dups += map[bool]int{true: 1}[d.Duplicate]
		delivered[d.Conversations[0]] = true
	}
	assert.Equal(t, 2405, len(files))
	assert.Zero(t, dups, "easy_ham has no repeated Message-ID")
	// Conversations merged since (a parent arriving after its replies)
	// redirect to the one that holds them now.
	live := map[conversation.ConversationID]bool{}
	ids := map[string]bool{}
	for c := range delivered {
		v, err := a.Engine.Get(ctx, a.As("C"), c)
		var merged *inbox.MergedError
		for errors.As(err, &merged) {
			v, err = a.Engine.Get(ctx, a.As("C"), merged.Target)
		}
		require.NoError(t, err)
		if live[v.Conversation.ID] {
			continue
		}
		live[v.Conversation.ID] = true
		for _, m := range v.Messages {
			assert.False(t, ids[m.HeaderID], "message %s is in one conversation", m.HeaderID)
			ids[m.HeaderID] = true
		}
	}
	assert.Len(t, ids, 2405, "nothing is lost")
	assert.Len(t, live, 1466)
}

// Mail the account sent from the provider's web UI, synced from Sent as
// raw bytes, threads into the conversation it answers as an outgoing
// message (scenario 12); View.Tree shows it under its parent.
func TestRecordSentRawAndTree(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c := deliverRaw(t, a, "support", rawOrder).Conversations[0]
	sent := "From: support@acme.test\r\nTo: kim@example.com\r\nSubject: Re: Order 7\r\n" +
		"Message-ID: <web1@acme.test>\r\nIn-Reply-To: <order7@example.com>\r\nReferences: <order7@example.com>\r\n\r\nOn its way.\r\n"
	d, err := a.Engine.RecordSentRaw(ctx, inbox.System, inbox.RawIncoming{Account: a.Accounts["support"].ID, Ref: "Sent:1:7", Message: strings.NewReader(sent)})
	require.NoError(t, err)
	require.Equal(t, []conversation.ConversationID{c}, d.Conversations)
	_, err = a.Engine.RecordSentRaw(ctx, a.As("A"), inbox.RawIncoming{Account: a.Accounts["support"].ID, Message: strings.NewReader(sent)})
	assert.ErrorIs(t, err, inbox.ErrForbidden)

	v := a.Conv("A", c)
	require.Len(t, v.Messages, 2)
	assert.Equal(t, conversation.Outbound, v.Messages[1].Direction)
	tree := v.Tree()
	require.Len(t, tree, 1, "one root")
	assert.Equal(t, 0, tree[0].Index)
	require.Len(t, tree[0].Children, 1)
	assert.Equal(t, 1, tree[0].Children[0].Index, "the sent reply under the order")
}
