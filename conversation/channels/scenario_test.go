package channels_test

// One test per scenario 70-92 of shared/spec/accounts-threading.md §6.7,
// the channel-rules half; the threading half of 70, 71, 74, 81, 83 and 84
// is proved by the TestTHR_* tests of package threading. F3:N is a line
// of shared/seeds/003_14a10531bc51b387.txt.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
	"github.com/inboxkit/inboxkit/threading"
)

var (
	account = mustAccount("0190f5a2-6b7e-7c3d-8e1f-123456789abc")
	t0      = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

func mustAccount(s string) conversation.AccountID {
	var a conversation.AccountID
	if err := a.UnmarshalText([]byte(s)); err != nil {
		panic(err)
	}
	return a
}

func numbers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("+1555%07d", i)
	}
	return out
}

func addrs(ns ...string) []conversation.Address {
	out := make([]conversation.Address, len(ns))
	for i, n := range ns {
		out[i] = conversation.Address{Address: n}
	}
	return out
}

// 70. F3:3895: the SMS conversation key is both numbers sorted and
// concatenated; an outbound SMS between the same pair has the same key.
func TestTHR_70_SMSPairKeyJoinsInboundAndOutbound(t *testing.T) {
	in, err := channels.InboundSMS(account, "+1222333444", "+1555666777", "hello", "SM1")
	require.NoError(t, err)
	assert.Equal(t, "+1222333444+1555666777", threading.SMSReference(in.From.Address, in.To[0].Address))
	require.Len(t, in.References, 1)
	assert.Equal(t, conversation.Inbound, in.Direction)
	assert.Equal(t, conversation.SMS, in.Channel)

	out, err := channels.ExpandSMS(account, "+1 222 333 444", conversation.Message{To: addrs("+1 (555) 666-777"), Text: "hi back"})
	require.NoError(t, err)
	require.Len(t, out, 1)
	assert.Equal(t, in.References, out[0].References, "the reply threads into the inbound conversation")
	assert.Equal(t, conversation.Outbound, out[0].Direction)
	assert.Equal(t, "+1222333444", out[0].From.Address)
}

// 71. F3:3905, F3:4024, F3:4033, F3:4035: a draft to three numbers is
// three messages, one per pair conversation; 101 recipients are refused.
func TestTHR_71_SMSFanOutAndRecipientCap(t *testing.T) {
	draft := conversation.Message{To: addrs("+15550001", "+15550002", "+15550003"), Text: "Closed Monday"}
	out, err := channels.ExpandSMS(account, "+1222333444", draft)
	require.NoError(t, err)
	require.Len(t, out, 3)
	keys := map[string]bool{}
	for i, m := range out {
		require.Len(t, m.To, 1)
		assert.Equal(t, draft.To[i].Address, m.To[0].Address)
		assert.Equal(t, "Closed Monday", m.Text)
		assert.Equal(t, threading.SMSKey(account.String(), "+1222333444", m.To[0].Address), m.References[0])
		keys[m.References[0]] = true
	}
	assert.Len(t, keys, 3, "three independent pair conversations")

	draft.To = addrs(numbers(101)...)
	_, err = channels.ExpandSMS(account, "+1222333444", draft)
	var tm *channels.TooManyRecipientsError
	require.ErrorAs(t, err, &tm)
	assert.Equal(t, 100, tm.Max)
	assert.Equal(t, 101, tm.Got)
	assert.ErrorIs(t, err, channels.ErrTooManyRecipients)
	assert.ErrorIs(t, err, conversation.ErrLimitReached)

	err = channels.CheckSend(channels.SendContext{Channel: conversation.SMS, New: true, Recipients: numbers(101), Now: t0})
	require.ErrorAs(t, err, &tm)
	assert.Equal(t, 100, tm.Max)
	require.NoError(t, channels.CheckSend(channels.SendContext{Channel: conversation.SMS, New: true, Recipients: numbers(100), Now: t0}))
}

// 72. F3:3886: a newly connected Twilio (SMS) account fetches no history.
func TestTHR_72_SMSAccountImportsNoHistory(t *testing.T) {
	c, ok := channels.For(conversation.SMS)
	require.True(t, ok)
	assert.Equal(t, channels.HistoryNone, c.History)
	assert.False(t, channels.ImportsHistory(conversation.SMS))
	for _, ch := range []conversation.Channel{conversation.WhatsApp, conversation.Messenger, conversation.Instagram,
		conversation.Voice, conversation.LiveChat, conversation.Custom} {
		assert.False(t, channels.ImportsHistory(ch), ch.String())
	}
	assert.True(t, channels.ImportsHistory(conversation.Email), "email history is configurable, so the flag can fail")
}

// 73. F3:3921: after an inbound "stop" a send fails with
// ErrRecipientOptedOut; after an inbound "START" it succeeds.
func TestTHR_73_SMSStopThenStart(t *testing.T) {
	var opt channels.OptOuts
	send := func() error {
		return channels.CheckSend(channels.SendContext{Channel: conversation.SMS, Recipients: []string{"+15550001111"},
			OptedOut: opt.OptedOut, Now: t0})
	}
	require.NoError(t, send())

	k, err := opt.Observe("+1 555 000 1111", " stop\n")
	require.NoError(t, err)
	assert.Equal(t, channels.OptOutKeyword, k)
	err = send()
	require.ErrorIs(t, err, channels.ErrRecipientOptedOut)
	require.ErrorIs(t, err, conversation.ErrForbidden)
	var oe *channels.OptedOutError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, []string{"+15550001111"}, oe.Recipients)

	k, err = opt.Observe("+15550001111", "START")
	require.NoError(t, err)
	assert.Equal(t, channels.OptInKeyword, k)
	require.NoError(t, send())
}

// 74. F3:4434: two WhatsApp messages from one wa_id a day apart share a
// conversation key; splitting a WhatsApp message is not supported.
func TestTHR_74_WhatsAppOneConversationNoSplit(t *testing.T) {
	a, err := channels.InboundWhatsApp(account, "+1222333444", "15551234567", "first", "wamid.1")
	require.NoError(t, err)
	b, err := channels.InboundWhatsApp(account, "+1222333444", "+1 555 123 4567", "a day later", "wamid.2")
	require.NoError(t, err)
	assert.Equal(t, a.References, b.References)
	assert.Equal(t, threading.WhatsAppKey(account.String(), "15551234567"), a.References[0])
	assert.NotEqual(t, a.HeaderID, b.HeaderID)

	err = channels.CheckSplit(conversation.WhatsApp)
	var ns *channels.NotSupportedError
	require.ErrorAs(t, err, &ns)
	assert.ErrorIs(t, err, channels.ErrNotSupported)
	assert.Contains(t, ns.Feature, "whatsapp")
	assert.NoError(t, channels.CheckSplit(conversation.Email))
}

func whatsappReply(last, now time.Time, tmpl *channels.TemplateSend) error {
	return channels.CheckSend(channels.SendContext{Channel: conversation.WhatsApp, LastCustomerInbound: last,
		Recipients: []string{"+15551234567"}, Template: tmpl, Now: now})
}

func helloTemplate() *channels.TemplateSend {
	return &channels.TemplateSend{
		Template:   channels.Template{Name: "hello", Language: "en", Body: "Hi {{1}}, we are back."},
		BodyParams: []channels.Param{{Value: "Ana"}},
	}
}

// 75. F3:4258, F3:4534: the 24-hour window.
func TestTHR_75_WhatsApp24HourWindow(t *testing.T) {
	assert.True(t, channels.WindowOpen(t0, t0.Add(23*time.Hour+59*time.Minute)))
	assert.NoError(t, whatsappReply(t0, t0.Add(23*time.Hour+59*time.Minute), nil))

	late := t0.Add(24*time.Hour + time.Minute)
	assert.False(t, channels.WindowOpen(t0, late))
	err := whatsappReply(t0, late, nil)
	var ow *channels.OutsideWindowError
	require.ErrorAs(t, err, &ow)
	assert.Equal(t, 24*time.Hour, ow.Window)
	assert.Equal(t, t0.Add(24*time.Hour), ow.ClosedAt)
	assert.ErrorIs(t, err, channels.ErrOutsideWindow)
	assert.ErrorIs(t, err, conversation.ErrInvalidArgument)

	assert.NoError(t, whatsappReply(t0, late, helloTemplate()), "a template is allowed outside the window")
}

// 76. F3:4393: a new WhatsApp conversation needs a template.
func TestTHR_76_WhatsAppNewConversationNeedsTemplate(t *testing.T) {
	ctx := channels.SendContext{Channel: conversation.WhatsApp, New: true, Recipients: []string{"+15551234567"}, Now: t0}
	assert.ErrorIs(t, channels.CheckSend(ctx), channels.ErrTemplateRequired)
	ctx.Template = helloTemplate()
	assert.NoError(t, channels.CheckSend(ctx))
}

// 77. F3:4303, F3:4567-4575: named variables give "Number of parameters
// does not match"; positional ones are filled.
func TestTHR_77_WhatsAppPositionalVariablesOnly(t *testing.T) {
	named := channels.TemplateSend{Template: channels.Template{Body: "Hi {{Name}}"}, BodyParams: []channels.Param{{Value: "Ana"}}}
	_, err := channels.RenderTemplate(named)
	require.ErrorIs(t, err, channels.ErrParameterMismatch)
	assert.Contains(t, err.Error(), "Number of parameters does not match")
	var pm *channels.ParameterMismatchError
	require.ErrorAs(t, err, &pm)
	assert.Equal(t, []string{"Name"}, pm.Named)
	assert.ErrorIs(t, whatsappReply(t0, t0, &named), channels.ErrParameterMismatch)

	positional := channels.TemplateSend{Template: channels.Template{Body: "Hi {{1}}"}, BodyParams: []channels.Param{{Value: "Ana"}}}
	text, err := channels.RenderTemplate(positional)
	require.NoError(t, err)
	assert.Equal(t, "Hi Ana", text)
	assert.NoError(t, whatsappReply(t0, t0, &positional))

	positional.BodyParams = nil
	_, err = channels.RenderTemplate(positional)
	require.ErrorAs(t, err, &pm)
	assert.Equal(t, 1, pm.Want)
	assert.Equal(t, 0, pm.Got)
}

// 78. F3:4544: a template with a media header cannot be sent.
func TestTHR_78_WhatsAppTemplateMediaHeaderNotSupported(t *testing.T) {
	for _, h := range []channels.HeaderFormat{channels.ImageHeader, channels.VideoHeader, channels.DocumentHeader} {
		ts := helloTemplate()
		ts.Template.Header = h
		err := whatsappReply(t0, t0, ts)
		var ns *channels.NotSupportedError
		require.ErrorAs(t, err, &ns)
		assert.Equal(t, channels.NotSupportedError{Feature: "template media header"}, *ns)
		assert.ErrorIs(t, err, channels.ErrNotSupported)
	}
	ts := helloTemplate()
	ts.Template.Header, ts.Template.HeaderText = channels.TextHeader, "Update"
	assert.NoError(t, whatsappReply(t0, t0, ts), "a text header is fine")
}

// 79. F3:4731, F3:4873, F3:4979: the 7-day window of Messenger and
// Instagram.
func TestTHR_79_Social7DayWindow(t *testing.T) {
	day := 24 * time.Hour
	for _, ch := range []conversation.Channel{conversation.Messenger, conversation.Instagram} {
		t.Run(ch.String(), func(t *testing.T) {
			ctx := channels.SendContext{Channel: ch, LastCustomerInbound: t0, Recipients: []string{"psid-1"}, Now: t0.Add(8 * day)}
			err := channels.CheckSend(ctx)
			var ow *channels.OutsideWindowError
			require.ErrorAs(t, err, &ow)
			assert.Equal(t, 7*day, ow.Window)
			assert.Contains(t, err.Error(), "7d")
			ctx.Now = t0.Add(6 * day)
			assert.NoError(t, channels.CheckSend(ctx))
		})
	}
}

// 80. F3:4991: a Messenger account cannot start a conversation.
func TestTHR_80_MessengerCannotInitiate(t *testing.T) {
	for _, ch := range []conversation.Channel{conversation.Messenger, conversation.Instagram} {
		err := channels.CheckSend(channels.SendContext{Channel: ch, New: true, Recipients: []string{"psid-9"}, Now: t0})
		assert.ErrorIs(t, err, channels.ErrCannotInitiate, ch.String())
	}
}

// 81. F3:4721, F3:4863: a reaction is a new inbound message holding the
// emoji, in the same conversation.
func TestTHR_81_ReactionIsNewMessageWithEmoji(t *testing.T) {
	dm, err := channels.DecideSocial(account, channels.SocialEvent{Kind: channels.DirectMessage, Channel: conversation.Instagram,
		Sender: "igsid-42", Page: "ig-biz", ID: "mid.1", Text: "Is it in stock?"})
	require.NoError(t, err)
	r, err := channels.DecideSocial(account, channels.SocialEvent{Kind: channels.Reaction, Channel: conversation.Instagram,
		Sender: "igsid-42", Page: "ig-biz", ID: "mid.2", Target: "mid.1", Emoji: "❤️"})
	require.NoError(t, err)
	assert.Equal(t, channels.AppendMessage, r.Action)
	assert.Equal(t, "❤️", r.Message.Text)
	assert.Equal(t, conversation.Inbound, r.Message.Direction)
	assert.Equal(t, dm.Key, r.Key)
	assert.Equal(t, dm.Message.References, r.Message.References)
	assert.Equal(t, []string{dm.Message.HeaderID}, r.Message.InReplyTo)
	assert.True(t, dm.RestartsWindow)
	assert.False(t, r.RestartsWindow, "§7 A17: reactions do not reopen the window")
}

// 82. F3:4725, F3:4867: a message the sender deletes is removed.
func TestTHR_82_SenderDeletionRemovesMessage(t *testing.T) {
	for _, ch := range []conversation.Channel{conversation.Messenger, conversation.Instagram} {
		dm, err := channels.DecideSocial(account, channels.SocialEvent{Kind: channels.DirectMessage, Channel: ch,
			Sender: "u1", ID: "mid.7", Text: "oops", Attachments: []conversation.Attachment{{Name: "a.png"}}})
		require.NoError(t, err)
		del, err := channels.DecideSocial(account, channels.SocialEvent{Kind: channels.Deletion, Channel: ch, Sender: "u1", Target: "mid.7"})
		require.NoError(t, err)
		assert.Equal(t, channels.RemoveMessage, del.Action)
		assert.Equal(t, dm.Message.HeaderID, del.Remove, "the removal names the recorded message")
		gone := channels.Tombstone(dm.Message)
		assert.Empty(t, gone.Text)
		assert.Empty(t, gone.Attachments)
		assert.Equal(t, dm.Message.HeaderID, gone.HeaderID)
		assert.Equal(t, "oops", dm.Message.Text, "Tombstone does not modify its argument")
	}
}

// 83. F3:4843-4859: story replies, story mentions and reel shares land in
// the DM conversation with their labels.
func TestTHR_83_InstagramLabelsInOneThread(t *testing.T) {
	base := channels.SocialEvent{Channel: conversation.Instagram, Sender: "igsid-x", Page: "ig-biz"}
	cases := []struct {
		kind      channels.SocialKind
		text      string
		reel      string
		wantLabel string
		wantText  string
	}{
		{channels.StoryReply, "love it", "", "Replied to your story", "Replied to your story\nlove it"},
		{channels.StoryMention, "", "", "Mentioned you in their story", "Mentioned you in their story"},
		{channels.ReelShare, "", "Spring drop", "Shared Spring drop", "Shared Spring drop"},
	}
	dm, err := channels.DecideSocial(account, channels.SocialEvent{Channel: conversation.Instagram, Sender: "igsid-x", ID: "mid.0", Text: "hi"})
	require.NoError(t, err)
	for i, c := range cases {
		e := base
		e.Kind, e.Text, e.ReelTitle, e.ID, e.Link = c.kind, c.text, c.reel, fmt.Sprint("mid.", i+1), "https://instagram.com/s/1"
		out, err := channels.DecideSocial(account, e)
		require.NoError(t, err)
		assert.Equal(t, c.wantLabel, out.Label)
		assert.Equal(t, c.wantText, out.Message.Text)
		assert.Contains(t, out.Message.HTML, `<a href="https://instagram.com/s/1">`+c.wantLabel+`</a>`)
		assert.Equal(t, dm.Message.References, out.Message.References, "same DM conversation")
	}
}

// 84. F3:5267: no call record while the call is in progress; a call log
// once it ended.
func TestTHR_84_CallLogOnlyAfterTheCallEnds(t *testing.T) {
	call := channels.Call{ID: "call-1", Direction: conversation.Inbound, Business: "+1222333444", Party: "+1 555 000 1111",
		StartedAt: t0, Outcome: channels.Answered, Agent: "Ana"}
	_, ok, err := channels.CallLog(account, call)
	require.NoError(t, err)
	assert.False(t, ok, "in progress: nothing to record")

	call.Ended, call.EndAt = true, t0.Add(3*time.Minute+5*time.Second)
	m, ok, err := channels.CallLog(account, call)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, conversation.Voice, m.Channel)
	assert.Equal(t, "Incoming call from +15550001111, 3m05s, answered by Ana", m.Text)
	assert.Equal(t, []string{threading.VoiceKey(account.String(), "+15550001111")}, m.References)
	assert.Equal(t, t0, m.At)
}

// 85. F3:5799, F3:5487, F3:5867, F3:5854: live-chat identity.
func TestTHR_85_LiveChatIdentityVerification(t *testing.T) {
	secret := []byte("e72bvc5171hf23982d05j610514gfe2m")
	const digest = "d78c55fe6579a12831b5e0cdc5765ff7d110fefb2e386a43067accb51ce242f2"
	assert.Equal(t, digest, channels.ChatDigest(secret, "jane@acme.com"))
	tests := []struct {
		user channels.ChatUser
		want channels.Identity
	}{
		{channels.ChatUser{Name: "Jane Doe", Email: "jane@acme.com"}, channels.Unverified},
		{channels.ChatUser{Email: "jane@acme.com", Digest: digest}, channels.Verified},
		{channels.ChatUser{Email: "jane@acme.com", Digest: "D78C55FE6579A12831B5E0CDC5765FF7D110FEFB2E386A43067ACCB51CE242F2"}, channels.Verified},
		{channels.ChatUser{Email: "jane@acme.com", Digest: digest[:63] + "3"}, channels.CannotVerify},
		{channels.ChatUser{Email: "john@acme.com", Digest: digest}, channels.CannotVerify},
		{channels.ChatUser{Email: "jane@acme.com", Digest: "not hex"}, channels.CannotVerify},
		{channels.ChatUser{}, channels.Anonymous},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, channels.VerifyUser(secret, tt.user), "%+v", tt.user)
	}
	assert.Equal(t, "[Unverified]", channels.Unverified.String())
	assert.Equal(t, "[Cannot verify]", channels.CannotVerify.String())
}

// 86. F3:5748-5749, F3:5758: setMeta keeps language, platform and
// browser; addMeta does not overwrite.
func TestTHR_86_LiveChatSetMetaAddMeta(t *testing.T) {
	cur := channels.Meta{"language": "fr", "platform": "macOS", "browser": "Safari", "plan": "pro"}
	set := channels.SetMeta(cur, channels.Meta{"a": "1", "language": "xx"})
	assert.Equal(t, channels.Meta{"language": "fr", "platform": "macOS", "browser": "Safari", "a": "1"}, set)
	added := channels.AddMeta(set, channels.Meta{"a": "2", "b": "3"})
	assert.Equal(t, channels.Meta{"language": "fr", "platform": "macOS", "browser": "Safari", "a": "1", "b": "3"}, added)
	assert.Equal(t, "pro", cur["plan"], "the arguments are not modified")
	assert.Equal(t, "1", set["a"])
	assert.NotContains(t, set, "b")
}

// 87. F3:5754: the sidebar shows the last message's meta.
func TestTHR_87_LiveChatSidebarUsesLastMessage(t *testing.T) {
	lines := []channels.ChatLine{
		{Direction: conversation.Inbound, At: t0, Meta: channels.Meta{"plan": "free"}},
		{Direction: conversation.Outbound, At: t0.Add(time.Minute), Meta: channels.Meta{"plan": "agent"}},
		{Direction: conversation.Inbound, At: t0.Add(2 * time.Minute), Meta: channels.Meta{"plan": "pro"}},
	}
	assert.Equal(t, "pro", channels.SidebarMeta(lines)["plan"])
	// Order of the slice does not matter, time does.
	lines[0], lines[2] = lines[2], lines[0]
	assert.Equal(t, "pro", channels.SidebarMeta(lines)["plan"])
	assert.Nil(t, channels.SidebarMeta(nil))
}

// 88. F3:5952-5963: within the schedule, an Out-of-Office member does not
// count as online.
func TestTHR_88_LiveChatOnlineStatusIgnoresOutOfOffice(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	var s channels.Schedule
	s.Location = paris
	for d := time.Monday; d <= time.Friday; d++ {
		s.Week[d] = []channels.Interval{{Start: 9 * time.Hour, End: 18 * time.Hour}}
	}
	o := channels.OnlineSchedule{Mode: channels.WhenAnyoneOnlineWithinSchedule, Schedule: s}
	open := time.Date(2026, 3, 2, 10, 0, 0, 0, paris) // a Monday, 10:00 in Paris
	require.True(t, s.Open(open))

	ooo := channels.Presence{User: conversation.UserID{1}, Online: true, OutOfOffice: true}
	got, err := o.Online([]channels.Presence{ooo}, open)
	require.NoError(t, err)
	assert.False(t, got, "the only online member is Out of Office")

	ana := channels.Presence{User: conversation.UserID{2}, Online: true}
	got, err = o.Online([]channels.Presence{ooo, ana}, open)
	require.NoError(t, err)
	assert.True(t, got)

	got, err = o.Online([]channels.Presence{ooo, ana}, open.Add(9*time.Hour)) // 19:00
	require.NoError(t, err)
	assert.False(t, got, "both conditions must hold")
}

// 89. F3:5537: an answer unread for the follow-up delay sends one summary
// to the visitor's email.
func TestTHR_89_LiveChatEmailFollowUp(t *testing.T) {
	f := channels.FollowUp{Delay: 10 * time.Minute}
	lines := []channels.ChatLine{
		{Direction: conversation.Inbound, Author: "Kim", Text: "Where is my order?", At: t0},
		{Direction: conversation.Outbound, Author: "Ana", Text: "It ships today.", At: t0.Add(time.Minute)},
	}
	d := f.Decide(lines, "kim@example.com", time.Time{}, t0.Add(10*time.Minute))
	assert.False(t, d.Send, "unread for 9 minutes only")
	assert.Equal(t, t0.Add(11*time.Minute), d.Due)

	now := t0.Add(11 * time.Minute)
	d = f.Decide(lines, "kim@example.com", time.Time{}, now)
	require.True(t, d.Send)
	assert.Equal(t, "Kim:\nWhere is my order?\n\nAna:\nIt ships today.", channels.FollowUpSummary(lines))

	d = f.Decide(lines, "kim@example.com", now, now.Add(time.Hour))
	assert.False(t, d.Send, "one summary: nothing new since it was sent")
	assert.False(t, f.Decide(lines, "", time.Time{}, now).Send, "no email, no follow-up")
	lines[1].ReadAt = t0.Add(5 * time.Minute)
	assert.False(t, f.Decide(lines, "kim@example.com", time.Time{}, now).Send, "a read answer needs no follow-up")
}

// 90. F3:6002, F3:6008: an email-type custom channel keeps its type and
// never sends.
func TestTHR_90_CustomEmailTypeImmutableAndReceiveOnly(t *testing.T) {
	s := channels.CustomSettings{Type: channels.CustomEmail, Username: "Tickets", AllowNew: true, AllowReply: true}
	require.NoError(t, s.Validate())
	next := s
	next.Type = channels.CustomText
	kept, err := s.Update(next)
	assert.ErrorIs(t, err, channels.ErrImmutable)
	assert.Equal(t, channels.CustomEmail, kept.Type)

	for _, isNew := range []bool{true, false} {
		err = channels.CheckSend(channels.SendContext{Channel: conversation.Custom, New: isNew, Custom: &s,
			CustomSend: channels.CustomSend{Recipients: []channels.CustomField{{ID: "u1"}}}, Now: t0})
		assert.ErrorIs(t, err, channels.ErrReceiveOnly)
	}
}

// 91. F3:6049-6051: allow_reply=false refuses a reply, and the webhook
// is never posted.
func TestTHR_91_CustomAllowReplyFalse(t *testing.T) {
	s := channels.CustomSettings{Type: channels.CustomText, AllowNew: true, WebhookURL: "https://hooks.example/missive"}
	var posted [][]byte // what a transport would POST to the webhook URL
	send := func(isNew bool) error {
		cs := channels.CustomSend{New: isNew, Recipients: []channels.CustomField{{Username: "kim"}}}
		if err := channels.CheckSend(channels.SendContext{Channel: conversation.Custom, New: isNew, Custom: &s, CustomSend: cs, Now: t0}); err != nil {
			return err
		}
		w, err := channels.NewWebhook(s, channels.WebhookInput{Message: conversation.Message{Text: "hi"}, Send: cs})
		if err != nil {
			return err
		}
		body, _, err := w.Encode(s.Secret)
		posted = append(posted, body)
		return err
	}
	err := send(false)
	assert.ErrorIs(t, err, channels.ErrNotAllowed)
	assert.ErrorIs(t, err, conversation.ErrForbidden)
	assert.Empty(t, posted, "no webhook POST")
	_, err = channels.NewWebhook(s, channels.WebhookInput{Send: channels.CustomSend{Recipients: []channels.CustomField{{Username: "kim"}}}})
	assert.ErrorIs(t, err, channels.ErrNotAllowed, "NewWebhook refuses on its own too")

	s.AllowRecipientUsername = true
	require.NoError(t, send(true), "allow_new still allows new messages")
	assert.Len(t, posted, 1)
}

// 92. F3:6111-6115: X-Missive-Signature is hex HMAC-SHA256 of the raw
// body; one changed byte fails.
func TestTHR_92_CustomWebhookSignature(t *testing.T) {
	secret := []byte("s3cret")
	body := []byte(`{"message":{"id":"1","type":"text","body":"hi"},"conversation":{"id":"c"}}`)
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	assert.Equal(t, want, channels.Sign(secret, body))
	assert.True(t, channels.Verify(secret, body, want))
	assert.True(t, channels.Verify(secret, body, "sha256="+want), "§7 A20: an optional sha256= prefix")

	for i := range body {
		b := append([]byte(nil), body...)
		b[i] ^= 0x01
		require.False(t, channels.Verify(secret, b, want), "byte %d changed", i)
	}
	assert.False(t, channels.Verify([]byte("other"), body, want))
	assert.False(t, channels.Verify(secret, body, ""))
	assert.False(t, channels.Verify(nil, body, channels.Sign(nil, body)), "no secret, nothing verifies")
}
