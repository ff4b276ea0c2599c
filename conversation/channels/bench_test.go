package channels_test

import (
	"testing"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
)

func BenchmarkCheckSendWhatsAppTemplate(b *testing.B) {
	ctx := channels.SendContext{Channel: conversation.WhatsApp, New: true, Recipients: []string{"+15551234567"},
		Template: &channels.TemplateSend{
			Template:   channels.Template{Body: "Hi {{1}}, your order {{2}} ships on {{3}}."},
			BodyParams: []channels.Param{{Auto: channels.RecipientName}, {Value: "#42"}, {Value: "Monday"}},
			AutoFill:   channels.AutoFillData{RecipientName: "Ana"},
		}, Now: t0}
	b.ReportAllocs()
	for b.Loop() {
		if err := channels.CheckSend(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckSendSMS100(b *testing.B) {
	opt, _ := channels.NewOptOuts("+15559999999")
	ctx := channels.SendContext{Channel: conversation.SMS, Recipients: numbers(100), OptedOut: opt.OptedOut, Now: t0}
	b.ReportAllocs()
	for b.Loop() {
		if err := channels.CheckSend(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExpandSMS100(b *testing.B) {
	m := conversation.Message{To: addrs(numbers(100)...), Text: "We are closed on Monday."}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := channels.ExpandSMS(account, "+1222333444", m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCustomInbound(b *testing.B) {
	body := inboundJSON(`,"from_field":{"id":"u1","name":"Kim"},"to_fields":[{"id":"bot"}],"body":"hello there",
		"references":["order-42","thread-7"],"external_id":"ext-1","created_at":1767225600`)
	s := textChannel()
	b.ReportAllocs()
	for b.Loop() {
		in, err := channels.DecodeCustomInbound(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := in.Message(account, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify1KiB(b *testing.B) {
	secret, body := []byte("signature-secret"), make([]byte, 1024)
	sig := channels.Sign(secret, body)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if !channels.Verify(secret, body, sig) {
			b.Fatal("does not verify")
		}
	}
}

func BenchmarkOnlineWithinSchedule(b *testing.B) {
	var s channels.Schedule
	for d := time.Monday; d <= time.Friday; d++ {
		s.Week[d] = []channels.Interval{{Start: 9 * time.Hour, End: 18 * time.Hour}}
	}
	o := channels.OnlineSchedule{Mode: channels.WhenAnyoneOnlineWithinSchedule, Schedule: s}
	audience := make([]channels.Presence, 50)
	audience[49].Online = true
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := o.Online(audience, t0); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
