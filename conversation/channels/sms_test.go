package channels_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
	"github.com/inboxkit/inboxkit/threading"
)

func TestPhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"+1 (555) 666-777", "+1555666777", true},
		{" +44 20 7946.0958 ", "+442079460958", true},
		{"+123", "+123", true},
		{"+123456789012345", "+123456789012345", true},
		{"+1234567890123456", "", false}, // 16 digits
		{"+12", "", false},
		{"15551234567", "", false}, // no '+': country codes are never guessed
		{"+0123456", "", false},
		{"+1555abc", "", false},
		{"+1+2345", "", false},
		{"", "", false},
		{"+", "", false},
	}
	for _, tt := range tests {
		got, err := channels.Phone(tt.in)
		if !tt.ok {
			assert.ErrorIs(t, err, conversation.ErrInvalidArgument, "%q", tt.in)
			continue
		}
		require.NoError(t, err, "%q", tt.in)
		assert.Equal(t, tt.want, got)
	}
}

func TestDetectKeyword(t *testing.T) {
	tests := []struct {
		body string
		want channels.Keyword
	}{
		{"STOP", channels.OptOutKeyword},
		{"stop", channels.OptOutKeyword},
		{"  Stop\r\n", channels.OptOutKeyword},
		{"stopall", channels.OptOutKeyword},
		{"Unsubscribe", channels.OptOutKeyword},
		{"cancel", channels.OptOutKeyword},
		{"END", channels.OptOutKeyword},
		{"quit", channels.OptOutKeyword},
		{"start", channels.OptInKeyword},
		{" START ", channels.OptInKeyword},
		{"STOP!", channels.NoKeyword},
		{"please stop", channels.NoKeyword},
		{"stop it", channels.NoKeyword},
		{"UNSUBSCRIBED", channels.NoKeyword},
		{"restart", channels.NoKeyword},
		{"", channels.NoKeyword},
		// Case-insensitive means Unicode simple folding, under which U+017F
		// (long s) folds to 's': accepting it errs on the safe side.
		{"ſtop", channels.OptOutKeyword},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, channels.DetectKeyword(tt.body), "%q", tt.body)
	}
	assert.Equal(t, "opt-out", channels.OptOutKeyword.String())
	assert.Equal(t, "opt-in", channels.OptInKeyword.String())
	assert.Equal(t, "none", channels.NoKeyword.String())
}

func TestOptedOutAfter(t *testing.T) {
	assert.True(t, channels.OptedOutAfter(false, "STOP"))
	assert.True(t, channels.OptedOutAfter(true, "thanks"))
	assert.False(t, channels.OptedOutAfter(true, "start"))
	assert.False(t, channels.OptedOutAfter(false, "hello"))
}

func TestOptOuts(t *testing.T) {
	_, err := channels.NewOptOuts("+15550001", "not a number")
	require.ErrorIs(t, err, conversation.ErrInvalidArgument)

	o, err := channels.NewOptOuts("+15550002", "+1 555 0001")
	require.NoError(t, err)
	assert.Equal(t, []string{"+15550001", "+15550002"}, o.Numbers())
	assert.True(t, o.OptedOut("+1-555-0001"))

	k, err := o.Observe("garbage", "hello")
	require.NoError(t, err, "an ordinary message from anywhere changes nothing")
	assert.Equal(t, channels.NoKeyword, k)
	_, err = o.Observe("garbage", "STOP")
	require.ErrorIs(t, err, conversation.ErrInvalidArgument)

	var none *channels.OptOuts
	assert.False(t, none.OptedOut("+15550001"))
	assert.Nil(t, none.Numbers())
}

// The opt-out state of a number is the meaning of the last keyword it
// sent, whatever else it sent in between.
func TestOptOutsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var o channels.OptOuts
		model := map[string]bool{}
		nums := []string{"+15550001", "+15550002", "+15550003"}
		bodies := []string{"STOP", "stop", "START", "hello", " quit ", "Start", "stop please"}
		for range rapid.IntRange(0, 40).Draw(t, "steps") {
			n := rapid.SampledFrom(nums).Draw(t, "n")
			b := rapid.SampledFrom(bodies).Draw(t, "body")
			if _, err := o.Observe(n, b); err != nil {
				t.Fatal(err)
			}
			model[n] = channels.OptedOutAfter(model[n], b)
			for _, m := range nums {
				if o.OptedOut(m) != model[m] {
					t.Fatalf("%s: OptedOut = %v, model %v", m, o.OptedOut(m), model[m])
				}
			}
		}
	})
}

func TestExpandSMSErrors(t *testing.T) {
	base := func(to ...string) conversation.Message { return conversation.Message{To: addrs(to...), Text: "x"} }
	tests := []struct {
		name     string
		business string
		m        conversation.Message
	}{
		{"no recipient", "+1222333444", base()},
		{"bad business number", "1222333444", base("+15550001")},
		{"bad recipient", "+1222333444", base("+15550001", "5550002")},
		{"to itself", "+1222333444", base("+1 222 333 444")},
		{"cc", "+1222333444", conversation.Message{To: addrs("+15550001"), Cc: addrs("+15550002")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := channels.ExpandSMS(account, tt.business, tt.m)
			assert.ErrorIs(t, err, conversation.ErrInvalidArgument)
			assert.Nil(t, out)
		})
	}

	// Duplicates collapse before the cap is counted.
	to := append(numbers(100), "+1555 0000000")
	out, err := channels.ExpandSMS(account, "+1222333444", conversation.Message{To: addrs(to...)})
	require.NoError(t, err)
	assert.Len(t, out, 100)

	// Names carry over; the draft is not modified.
	draft := conversation.Message{From: conversation.Address{Name: "Ana"},
		To: []conversation.Address{{Name: "Kim", Address: "+1 555 0001"}}, Attachments: []conversation.Attachment{{Name: "a.jpg"}}}
	out, err = channels.ExpandSMS(account, "+1222333444", draft)
	require.NoError(t, err)
	assert.Equal(t, conversation.Address{Name: "Kim", Address: "+15550001"}, out[0].To[0])
	assert.Equal(t, conversation.Address{Name: "Ana", Address: "+1222333444"}, out[0].From)
	out[0].Attachments[0].Name = "changed"
	assert.Equal(t, "a.jpg", draft.Attachments[0].Name)
	assert.Equal(t, "+1 555 0001", draft.To[0].Address)
}

// Every expansion is one message per distinct number, each keyed to its
// pair, and never more than the cap.
func TestExpandSMSProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 120).Draw(t, "n")
		to := make([]string, n)
		for i := range to {
			to[i] = fmt.Sprintf("+1555%04d", rapid.IntRange(0, 150).Draw(t, "num"))
		}
		distinct := map[string]bool{}
		for _, s := range to {
			distinct[s] = true
		}
		out, err := channels.ExpandSMS(account, "+1222333444", conversation.Message{To: addrs(to...)})
		if len(distinct) > channels.MaxSMSRecipients {
			var tm *channels.TooManyRecipientsError
			if !assert.ErrorAs(t, err, &tm) || tm.Got != len(distinct) {
				t.Fatalf("want TooManyRecipientsError{Got:%d}, got %v", len(distinct), err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != len(distinct) {
			t.Fatalf("%d messages for %d numbers", len(out), len(distinct))
		}
		for _, m := range out {
			if m.References[0] != threading.SMSKey(account.String(), m.To[0].Address, "+1222333444") {
				t.Fatalf("key %q", m.References[0])
			}
		}
	})
}
