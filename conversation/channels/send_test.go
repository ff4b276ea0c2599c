package channels_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
)

func TestCheckSend(t *testing.T) {
	recent := t0.Add(-time.Hour)
	custom := textChannel()
	tests := []struct {
		name string
		ctx  channels.SendContext
		err  error
	}{
		{"email", channels.SendContext{Channel: conversation.Email, New: true}, nil},
		{"unknown channel", channels.SendContext{Channel: 42}, conversation.ErrInvalidArgument},
		{"voice sends nothing", channels.SendContext{Channel: conversation.Voice, Recipients: []string{"+15550001"}}, channels.ErrNotSupported},
		{"sms", channels.SendContext{Channel: conversation.SMS, New: true, Recipients: []string{"+15550001"}}, nil},
		{"sms without recipient", channels.SendContext{Channel: conversation.SMS}, conversation.ErrInvalidArgument},
		{"sms bad number", channels.SendContext{Channel: conversation.SMS, Recipients: []string{"5550001"}}, conversation.ErrInvalidArgument},
		{"sms template", channels.SendContext{Channel: conversation.SMS, Recipients: []string{"+15550001"}, Template: helloTemplate()}, channels.ErrNotSupported},
		{"sms one of two opted out", channels.SendContext{Channel: conversation.SMS, Recipients: []string{"+15550001", "+15550002"},
			OptedOut: func(n string) bool { return n == "+15550002" }}, channels.ErrRecipientOptedOut},
		{"whatsapp reply in window", channels.SendContext{Channel: conversation.WhatsApp, LastCustomerInbound: recent, Recipients: []string{"+15550001"}}, nil},
		{"whatsapp to two", channels.SendContext{Channel: conversation.WhatsApp, LastCustomerInbound: recent, Recipients: []string{"+15550001", "+15550002"}}, channels.ErrTooManyRecipients},
		{"whatsapp without recipient", channels.SendContext{Channel: conversation.WhatsApp, LastCustomerInbound: recent}, conversation.ErrInvalidArgument},
		{"whatsapp never wrote", channels.SendContext{Channel: conversation.WhatsApp, Recipients: []string{"+15550001"}}, channels.ErrOutsideWindow},
		{"whatsapp template new", channels.SendContext{Channel: conversation.WhatsApp, New: true, Recipients: []string{"+15550001"}, Template: helloTemplate()}, nil},
		{"messenger template", channels.SendContext{Channel: conversation.Messenger, LastCustomerInbound: recent, Recipients: []string{"p"}, Template: helloTemplate()}, channels.ErrNotSupported},
		{"messenger never wrote", channels.SendContext{Channel: conversation.Messenger, Recipients: []string{"p"}}, channels.ErrOutsideWindow},
		{"instagram in window", channels.SendContext{Channel: conversation.Instagram, LastCustomerInbound: recent, Recipients: []string{"p"}}, nil},
		{"live chat reply", channels.SendContext{Channel: conversation.LiveChat, Recipients: []string{"visitor"}}, nil},
		{"live chat reply to the session", channels.SendContext{Channel: conversation.LiveChat}, nil},
		{"live chat to two", channels.SendContext{Channel: conversation.LiveChat, Recipients: []string{"a", "b"}}, channels.ErrTooManyRecipients},
		{"messenger without recipient", channels.SendContext{Channel: conversation.Messenger, LastCustomerInbound: recent}, conversation.ErrInvalidArgument},
		{"live chat new", channels.SendContext{Channel: conversation.LiveChat, New: true, Recipients: []string{"visitor"}}, channels.ErrCannotInitiate},
		{"custom without settings", channels.SendContext{Channel: conversation.Custom}, conversation.ErrInvalidArgument},
		{"custom reply", channels.SendContext{Channel: conversation.Custom, Custom: &custom,
			CustomSend: channels.CustomSend{Recipients: []channels.CustomField{{ID: "u1"}}}}, nil},
		{"custom New comes from the context", channels.SendContext{Channel: conversation.Custom, New: true, Custom: &custom,
			CustomSend: channels.CustomSend{}}, conversation.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ctx.Now.IsZero() {
				tt.ctx.Now = t0
			}
			err := channels.CheckSend(tt.ctx)
			if tt.err == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.err)
			}
		})
	}
}

func TestOutsideWindowErrorText(t *testing.T) {
	err := channels.CheckSend(channels.SendContext{Channel: conversation.WhatsApp, Recipients: []string{"+15550001"}, Now: t0})
	var ow *channels.OutsideWindowError
	require.ErrorAs(t, err, &ow)
	assert.True(t, ow.ClosedAt.IsZero())
	assert.Contains(t, err.Error(), "no customer message opened the 24h window")
	err = channels.CheckSend(channels.SendContext{Channel: conversation.WhatsApp, Recipients: []string{"+15550001"},
		LastCustomerInbound: t0, Now: t0.Add(48 * time.Hour)})
	assert.Contains(t, err.Error(), "the 24h window closed at 2026-03-03T09:00:00Z")
	assert.Contains(t, (&channels.OutsideWindowError{Window: 90 * time.Minute}).Error(), "1h30m0s")
}

func TestCapabilitiesMatrix(t *testing.T) {
	all := []conversation.Channel{conversation.Email, conversation.SMS, conversation.WhatsApp, conversation.Messenger,
		conversation.Instagram, conversation.LiveChat, conversation.Voice, conversation.Custom}
	for _, ch := range all {
		c, ok := channels.For(ch)
		require.True(t, ok, ch.String())
		assert.Equal(t, ch, c.Channel, "row %s is filed under its channel", ch)
		assert.Equal(t, ch == conversation.Email, c.Splittable, ch.String())
		assert.Equal(t, ch != conversation.Voice, c.CanSend, ch.String())
	}
	_, ok := channels.For(conversation.Custom + 1)
	assert.False(t, ok)
	assert.ErrorIs(t, channels.CheckSplit(conversation.Custom+1), conversation.ErrInvalidArgument)

	wa, _ := channels.For(conversation.WhatsApp)
	assert.Equal(t, channels.InitiateWithTemplate, wa.Initiate)
	assert.True(t, wa.TemplatesOutsideWindow)
	assert.True(t, wa.VoiceNotesUnsupported)
	assert.False(t, wa.Groups, "F3:4442")
	sms, _ := channels.For(conversation.SMS)
	assert.Equal(t, 100, sms.MaxRecipients)
	assert.True(t, sms.FanOut)
	assert.False(t, sms.Groups, "F3:4035")
	for _, ch := range []conversation.Channel{conversation.Messenger, conversation.Instagram} {
		c, _ := channels.For(ch)
		assert.Equal(t, 7*24*time.Hour, c.ReplyWindow)
		assert.Equal(t, channels.InitiateNever, c.Initiate)
		assert.True(t, c.ReactionsAsMessages)
		assert.True(t, c.SenderDeletes)
	}

	email, _ := channels.For(conversation.Email)
	assert.True(t, email.WindowOpen(time.Time{}, t0), "no window, always open")
	assert.False(t, wa.WindowOpen(t0, t0.Add(24*time.Hour)), "exactly 24h is outside")
	assert.True(t, wa.WindowOpen(t0, t0.Add(24*time.Hour-time.Nanosecond)))
	assert.False(t, channels.WindowOpen(time.Time{}, t0))
}
