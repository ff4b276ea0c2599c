package channels_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
	"github.com/inboxkit/inboxkit/threading"
)

func TestDecideSocial(t *testing.T) {
	ig := func(e channels.SocialEvent) channels.SocialEvent {
		e.Channel = conversation.Instagram
		if e.Sender == "" {
			e.Sender = "igsid"
		}
		return e
	}
	bad := []struct {
		name string
		e    channels.SocialEvent
	}{
		{"no sender", channels.SocialEvent{Channel: conversation.Messenger, ID: "m"}},
		{"not a social channel", channels.SocialEvent{Channel: conversation.SMS, Sender: "x", ID: "m"}},
		{"story reply on Messenger", channels.SocialEvent{Channel: conversation.Messenger, Kind: channels.StoryReply, Sender: "x", ID: "m"}},
		{"no message id", ig(channels.SocialEvent{Kind: channels.DirectMessage})},
		{"reaction without emoji", ig(channels.SocialEvent{Kind: channels.Reaction, ID: "m", Emoji: " "})},
		{"deletion without target", ig(channels.SocialEvent{Kind: channels.Deletion})},
		{"unknown kind", ig(channels.SocialEvent{Kind: 99, ID: "m"})},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := channels.DecideSocial(account, tt.e)
			assert.ErrorIs(t, err, conversation.ErrInvalidArgument)
		})
	}

	out, err := channels.DecideSocial(account, ig(channels.SocialEvent{Kind: channels.Unreaction, Target: "m1"}))
	require.NoError(t, err)
	assert.Equal(t, channels.IgnoreEvent, out.Action)

	out, err = channels.DecideSocial(account, ig(channels.SocialEvent{Kind: channels.Unsupported, ID: "m2"}))
	require.NoError(t, err)
	assert.Equal(t, "Unsupported message - View on Instagram", out.Message.Text)

	out, err = channels.DecideSocial(account, ig(channels.SocialEvent{Kind: channels.ReelShare, ID: "m3"}))
	require.NoError(t, err)
	assert.Equal(t, "Shared a reel", out.Label)
	assert.Equal(t, "<p>Shared a reel</p>", out.Message.HTML)

	out, err = channels.DecideSocial(account, ig(channels.SocialEvent{Kind: channels.StoryReply, ID: "m4",
		Text: "<b>me</b>\nagain", Link: `https://x/"y"`}))
	require.NoError(t, err)
	assert.Equal(t, `<p><a href="https://x/&#34;y&#34;">Replied to your story</a></p><p>&lt;b&gt;me&lt;/b&gt;<br>again</p>`, out.Message.HTML)

	m, err := channels.DecideSocial(account, channels.SocialEvent{Channel: conversation.Messenger, Sender: " psid ", Page: "page", ID: "m5", Text: "hi"})
	require.NoError(t, err)
	assert.Equal(t, threading.MessengerKey(account.String(), "psid"), m.Key)
	assert.Empty(t, m.Message.HTML, "plain messages have no HTML")
	assert.Equal(t, "hi", m.Message.Text)
	assert.Equal(t, "message", channels.DirectMessage.String())
}

func TestCallLog(t *testing.T) {
	base := channels.Call{ID: "c", Business: "+1222333444", Party: "+15550001111", Ended: true, StartedAt: t0, EndAt: t0.Add(45 * time.Second)}
	with := func(f func(*channels.Call)) channels.Call { c := base; f(&c); return c }
	vm := &conversation.Attachment{Name: "voicemail.mp3", ContentType: "audio/mpeg"}
	tests := []struct {
		name string
		call channels.Call
		text string
		from string
	}{
		{"missed", with(func(c *channels.Call) { c.Outcome = channels.Missed }), "Missed call from +15550001111", "+15550001111"},
		{"voicemail", with(func(c *channels.Call) { c.Outcome, c.Voicemail = channels.Voicemail, vm }), "Voicemail from +15550001111", "+15550001111"},
		{"outgoing answered", with(func(c *channels.Call) {
			c.Direction, c.Outcome, c.Agent, c.EndAt = conversation.Outbound, channels.Answered, "Ana", t0.Add(time.Hour+2*time.Minute+3*time.Second)
		}), "Outgoing call to +15550001111, 1h02m03s, placed by Ana", "+1222333444"},
		{"outgoing unanswered", with(func(c *channels.Call) { c.Direction, c.Outcome = conversation.Outbound, channels.Missed }),
			"Unanswered call to +15550001111", "+1222333444"},
		{"short answered", with(func(c *channels.Call) { c.Outcome = channels.Answered }), "Incoming call from +15550001111, 45s", "+15550001111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok, err := channels.CallLog(account, tt.call)
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, tt.text, m.Text)
			assert.Equal(t, tt.from, m.From.Address)
			assert.Equal(t, channels.ProviderMessageID(conversation.Voice, account, "c"), m.HeaderID)
		})
	}
	m, _, _ := channels.CallLog(account, with(func(c *channels.Call) { c.Outcome, c.Voicemail = channels.Voicemail, vm }))
	assert.Equal(t, []conversation.Attachment{*vm}, m.Attachments)

	bad := []channels.Call{
		with(func(c *channels.Call) { c.ID = "" }),
		with(func(c *channels.Call) { c.Party = "555" }),
		with(func(c *channels.Call) { c.Business = "" }),
		with(func(c *channels.Call) { c.Outcome = channels.Answered; c.EndAt = t0.Add(-time.Second) }),
		with(func(c *channels.Call) { c.Outcome = channels.Answered; c.StartedAt = time.Time{} }),
		with(func(c *channels.Call) {}), // no outcome
		with(func(c *channels.Call) { c.Direction, c.Outcome = conversation.Outbound, channels.Voicemail }),
	}
	for i, c := range bad {
		_, ok, err := channels.CallLog(account, c)
		assert.ErrorIs(t, err, conversation.ErrInvalidArgument, "case %d", i)
		assert.False(t, ok)
	}
}

func TestProviderMessageID(t *testing.T) {
	a := channels.ProviderMessageID(conversation.SMS, account, "SM1")
	assert.NotEqual(t, a, channels.ProviderMessageID(conversation.WhatsApp, account, "SM1"))
	assert.NotEqual(t, a, channels.ProviderMessageID(conversation.SMS, mustAccount("0190f5a2-6b7e-7c3d-8e1f-000000000000"), "SM1"))
	assert.Equal(t, a, channels.ProviderMessageID(conversation.SMS, account, " SM1 "))
	assert.Empty(t, channels.ProviderMessageID(conversation.SMS, account, " "))
}

func TestVerifyUserWithoutSecret(t *testing.T) {
	assert.Equal(t, channels.CannotVerify, channels.VerifyUser(nil, channels.ChatUser{Email: "a@b.c", Digest: channels.ChatDigest(nil, "a@b.c")}))
	assert.Equal(t, channels.Unverified, channels.VerifyUser(nil, channels.ChatUser{Email: "a@b.c"}))
	assert.Equal(t, "", channels.Anonymous.String())
	assert.Equal(t, "verified", channels.Verified.String())
}

func TestMetaFromNothing(t *testing.T) {
	assert.Equal(t, channels.Meta{"a": "1"}, channels.AddMeta(nil, channels.Meta{"a": "1"}))
	assert.Equal(t, channels.Meta{"a": "1"}, channels.SetMeta(nil, channels.Meta{"a": "1", "browser": "x"}))
	assert.Equal(t, channels.Meta{}, channels.SetMeta(nil, nil))
}

func TestSchedule(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	var s channels.Schedule
	s.Location = ny
	s.Week[time.Monday] = []channels.Interval{{Start: 9 * time.Hour, End: 12 * time.Hour}, {Start: 13 * time.Hour, End: 17 * time.Hour}}
	s.Week[time.Saturday] = []channels.Interval{{Start: 22 * time.Hour, End: 24 * time.Hour}}
	s.Week[time.Sunday] = []channels.Interval{{Start: 0, End: 2 * time.Hour}}
	require.NoError(t, s.Validate())
	tests := []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 1, 5, 14, 0, 0, 0, time.UTC), true},   // Monday 09:00 EST
		{time.Date(2026, 1, 5, 13, 59, 0, 0, time.UTC), false}, // 08:59 EST
		{time.Date(2026, 7, 6, 13, 0, 0, 0, time.UTC), true},   // Monday 09:00 EDT: daylight saving followed
		{time.Date(2026, 7, 6, 16, 30, 0, 0, time.UTC), false}, // 12:30 lunch
		{time.Date(2026, 7, 6, 21, 0, 0, 0, time.UTC), false},  // 17:00, End exclusive
		{time.Date(2026, 1, 11, 4, 0, 0, 0, time.UTC), true},   // Saturday 23:00 EST
		{time.Date(2026, 1, 11, 6, 30, 0, 0, time.UTC), true},  // Sunday 01:30 EST, the overnight's second half
		{time.Date(2026, 1, 6, 15, 0, 0, 0, time.UTC), false},  // Tuesday
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.Open(tt.at), "%v", tt.at.In(ny))
	}

	var utc channels.Schedule
	utc.Week[time.Monday] = []channels.Interval{{Start: 0, End: time.Hour}}
	assert.True(t, utc.Open(time.Date(2026, 1, 5, 0, 30, 0, 0, time.UTC)), "nil Location is UTC")

	for _, iv := range []channels.Interval{{Start: 2 * time.Hour, End: time.Hour}, {Start: -1, End: time.Hour}, {Start: 0, End: 25 * time.Hour}, {}} {
		var b channels.Schedule
		b.Week[0] = []channels.Interval{iv}
		assert.ErrorIs(t, b.Validate(), conversation.ErrInvalidArgument, "%+v", iv)
		_, err := channels.OnlineSchedule{Mode: channels.WithinSchedule, Schedule: b}.Online(nil, t0)
		assert.ErrorIs(t, err, conversation.ErrInvalidArgument)
	}
}

func TestOnlineModes(t *testing.T) {
	var s channels.Schedule
	s.Week[t0.Weekday()] = []channels.Interval{{Start: 8 * time.Hour, End: 10 * time.Hour}} // t0 is 09:00 UTC
	online := []channels.Presence{{User: conversation.UserID{1}, Online: true}}
	offline := []channels.Presence{{User: conversation.UserID{1}}, {User: conversation.UserID{2}, Online: true, OutOfOffice: true}}
	closed := t0.Add(2 * time.Hour)
	tests := []struct {
		mode     channels.OnlineMode
		audience []channels.Presence
		at       time.Time
		want     bool
	}{
		{channels.WhenAnyoneOnline, online, closed, true},
		{channels.WhenAnyoneOnline, offline, t0, false},
		{channels.WhenAnyoneOnline, nil, t0, false},
		{channels.WhenAnyoneOnlineWithinSchedule, online, t0, true},
		{channels.WhenAnyoneOnlineWithinSchedule, online, closed, false},
		{channels.WhenAnyoneOnlineWithinSchedule, offline, t0, false},
		{channels.WithinSchedule, nil, t0, true},
		{channels.WithinSchedule, online, closed, false},
	}
	for _, tt := range tests {
		got, err := channels.OnlineSchedule{Mode: tt.mode, Schedule: s}.Online(tt.audience, tt.at)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "mode %d at %v", tt.mode, tt.at)
	}
	_, err := channels.OnlineSchedule{Schedule: s}.Online(online, t0)
	assert.ErrorIs(t, err, conversation.ErrInvalidArgument, "the zero mode is not a mode")
}

func TestFollowUpDue(t *testing.T) {
	f := channels.FollowUp{Delay: 10 * time.Minute}
	lines := []channels.ChatLine{
		{Direction: conversation.Outbound, At: t0},
		{Direction: conversation.Outbound, At: t0.Add(30 * time.Minute)},
	}
	d := f.Decide(lines, "kim@example.com", t0.Add(15*time.Minute), t0.Add(20*time.Minute))
	assert.False(t, d.Send)
	assert.Equal(t, t0.Add(40*time.Minute), d.Due, "only answers after the last summary are pending")
	assert.Equal(t, channels.FollowUpDecision{}, channels.FollowUp{}.Decide(lines, "kim@example.com", time.Time{}, t0.Add(time.Hour)), "zero delay disables")
	assert.Equal(t, "Support:\n\n\nSupport:\n", channels.FollowUpSummary(lines))
}
