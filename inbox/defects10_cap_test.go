package inbox_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// Issue 10 point 2: the message cap is hard, whatever path adds the
// message (F3:7932 "a hard limit of 400 messages per conversation";
// F3:7978 every email counts). A reply recorded in a full conversation
// starts the continuation, linked to the full one, exactly as the synced
// sent copy of the same reply does; the next reply, recorded or synced,
// joins that continuation while it has room.
func TestDefect10_2_RecordReplyAtCapStartsContinuation(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{MaxMessages: 3}})
	c, first := scvSupport(a, "Full thread")                                       // 1
	sent := scvSend(t, a, "A", c, first, inbox.ThenNothing, inbox.SnoozeOptions{}) // 2
	third := scvCustomerReply(a, sent, "support@acme.test")
	require.Equal(t, c, a.Deliver("support", third)) // 3: full
	require.Equal(t, 3, a.Conv("A", c).Conversation.Messages)

	// Message 4, recorded in inboxkit.
	reply := conversation.Message{To: []conversation.Address{third.From}, Subject: "Re: Full thread", Text: "Answer 2",
		HeaderID: "d10-2-reply@acme.test", InReplyTo: []string{third.HeaderID}, References: []string{first.HeaderID, third.HeaderID}}
	mid, err := a.Engine.RecordReply(ctx, a.As("A"), c, inbox.Reply{Message: reply})
	require.NoError(t, err)

	full := a.Conv("A", c).Conversation
	assert.Equal(t, 3, full.Messages, "the full conversation keeps its 3 messages")
	next := full.ContinuedIn
	require.False(t, next.IsZero(), "the reply started a continuation of the full conversation")
	v := a.Conv("A", next)
	assert.Equal(t, c, v.Conversation.ContinuationOf)
	require.Len(t, v.Messages, 1)
	assert.Equal(t, mid, v.Messages[0].ID, "the reply is the continuation's first message")
	assert.True(t, scvCanSee(t, a, "B", next), "the continuation has the sending account's audience")

	// The sync finds the same reply in the Sent folder: the same message.
	d, err := a.Engine.RecordSent(ctx, inbox.System, inbox.Incoming{Account: a.Accounts["support"].ID, Ref: "sent/4", Message: reply})
	require.NoError(t, err)
	assert.True(t, d.Duplicate)
	assert.Equal(t, []conversation.ConversationID{next}, d.Conversations)

	// Message 5, recorded in the full conversation again, joins the
	// continuation, which has room.
	reply2 := reply
	reply2.HeaderID, reply2.Text = "d10-2-reply2@acme.test", "Answer 3"
	_, err = a.Engine.RecordReply(ctx, a.As("B"), c, inbox.Reply{Message: reply2})
	require.NoError(t, err)
	assert.Equal(t, 3, a.Conv("A", c).Conversation.Messages)
	assert.Equal(t, 2, a.Conv("A", next).Conversation.Messages)
	assert.Equal(t, next, a.Conv("A", c).Conversation.ContinuedIn, "one continuation, not a second one")
}

// The recorded reply and the synced sent copy end in the same place: for
// a full conversation whose reply was sent outside inboxkit, the sync
// starts the continuation (the path that already held the cap), and a
// reply recorded after it joins that continuation.
func TestDefect10_2_SentCopyAndRecordedReplyShareTheCap(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{MaxMessages: 2}})
	c, first := scvSupport(a, "Short cap")
	scvSend(t, a, "A", c, first, inbox.ThenNothing, inbox.SnoozeOptions{})
	require.Equal(t, 2, a.Conv("A", c).Conversation.Messages)

	synced := conversation.Message{From: conversation.Address{Address: "support@acme.test"}, To: []conversation.Address{first.From},
		Subject: "Re: Short cap", Text: "From webmail", HeaderID: "d10-2-web@acme.test", InReplyTo: []string{first.HeaderID}}
	d, err := a.Engine.RecordSent(ctx, inbox.System, inbox.Incoming{Account: a.Accounts["support"].ID, Message: synced})
	require.NoError(t, err)
	require.Len(t, d.Conversations, 1)
	next := d.Conversations[0]
	require.NotEqual(t, c, next)

	reply := conversation.Message{To: []conversation.Address{first.From}, Subject: "Re: Short cap", Text: "From inboxkit",
		HeaderID: "d10-2-ik@acme.test", InReplyTo: []string{first.HeaderID}}
	_, err = a.Engine.RecordReply(ctx, a.As("A"), c, inbox.Reply{Message: reply})
	require.NoError(t, err)
	assert.Equal(t, 2, a.Conv("A", c).Conversation.Messages, "never above the cap")
	assert.Equal(t, 2, a.Conv("A", next).Conversation.Messages, "joined the continuation")
}
