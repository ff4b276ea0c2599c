package inbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/threading"
)

// whatsApp connects a WhatsApp number owned by A and delivers one
// customer message on it, returning the account and the conversation.
func whatsApp(t *testing.T, a *inboxtest.Acme) (*conversation.Account, conversation.ConversationID) {
	t.Helper()
	ctx := context.Background()
	acct, err := a.Engine.ConnectAccount(ctx, a.As("A"), inbox.AccountSpec{Channel: conversation.WhatsApp, Address: "+15550001111"})
	require.NoError(t, err)
	key := threading.WhatsAppKey(acct.ID.String(), "15557654321")
	d, err := a.Engine.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: conversation.Message{
		From: conversation.Address{Address: "+15557654321"}, To: []conversation.Address{{Address: "+15550001111"}},
		Text: "Hi", HeaderID: "wamid.1", References: []string{key}}})
	require.NoError(t, err)
	return acct, d.Conversations[0]
}

// The engine applies the channel's send rules before recording a reply
// (accounts-threading §3.4-3.5, scenario 75): free-form inside the 24 h
// window, a template after it; a refused send records nothing.
func TestRecordReplyAppliesWhatsAppWindow(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	acct, c := whatsApp(t, a)
	reply := inbox.Reply{Account: acct.ID, Message: conversation.Message{To: []conversation.Address{{Address: "+15557654321"}}, Text: "Hello"}}

	a.Clock.Advance(23*time.Hour + 59*time.Minute)
	_, err := a.Engine.RecordReply(ctx, a.As("A"), c, reply)
	require.NoError(t, err, "inside the window")

	a.Clock.Advance(2 * time.Minute) // 24h01m after the customer's message
	_, err = a.Engine.RecordReply(ctx, a.As("A"), c, reply)
	var ow *channels.OutsideWindowError
	require.True(t, errors.As(err, &ow), "got %v", err)
	assert.Equal(t, 24*time.Hour, ow.Window)
	assert.ErrorIs(t, err, channels.ErrOutsideWindow)

	v, err := a.Engine.Get(ctx, a.As("A"), c)
	require.NoError(t, err)
	assert.Len(t, v.Messages, 2, "the refused reply is not recorded")

	reply.Template = &channels.TemplateSend{Template: channels.Template{Name: "follow_up", Body: "Hi {{1}}"}, BodyParams: []channels.Param{{Value: "Ana"}}}
	_, err = a.Engine.RecordReply(ctx, a.As("A"), c, reply)
	assert.NoError(t, err, "a template is allowed outside the window")
}

// Scenario 74's engine half: a WhatsApp message cannot be split out of its
// conversation.
func TestSplitRefusesNonEmail(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	acct, c := whatsApp(t, a)
	key := threading.WhatsAppKey(acct.ID.String(), "15557654321")
	a.Clock.Advance(24 * time.Hour)
	d, err := a.Engine.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: conversation.Message{
		From: conversation.Address{Address: "+15557654321"}, Text: "Again", HeaderID: "wamid.2", References: []string{key}}})
	require.NoError(t, err)
	require.Equal(t, c, d.Conversations[0], "one conversation per contact")
	v, err := a.Engine.Get(ctx, a.As("A"), c)
	require.NoError(t, err)
	_, err = a.Engine.Split(ctx, a.As("A"), c, v.Messages[1].ID, inbox.SplitOptions{})
	assert.ErrorIs(t, err, channels.ErrNotSupported)
}
