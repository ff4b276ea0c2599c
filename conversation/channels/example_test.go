package channels_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
)

// The engine asks CheckSend before recording a WhatsApp reply: inside the
// 24-hour window a free-form reply goes out; after it only a template
// does.
func ExampleCheckSend() {
	lastCustomer := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	reply := channels.SendContext{
		Channel:             conversation.WhatsApp,
		LastCustomerInbound: lastCustomer,
		Recipients:          []string{"+15551234567"},
		Now:                 lastCustomer.Add(25 * time.Hour),
	}
	err := channels.CheckSend(reply)
	var ow *channels.OutsideWindowError
	fmt.Println(errors.As(err, &ow), ow.Window, errors.Is(err, conversation.ErrInvalidArgument))

	reply.Template = &channels.TemplateSend{
		Template:   channels.Template{Name: "follow_up", Body: "Hi {{1}}, are you still there?"},
		BodyParams: []channels.Param{{Auto: channels.RecipientName}},
		AutoFill:   channels.AutoFillData{RecipientName: "Ana"},
	}
	fmt.Println(channels.CheckSend(reply))
	text, _ := channels.RenderTemplate(*reply.Template)
	fmt.Println(text)
	// Output:
	// true 24h0m0s true
	// <nil>
	// Hi Ana, are you still there?
}

// A bulk SMS becomes one message per number, each threaded into its own
// (business number, recipient) conversation.
func ExampleExpandSMS() {
	var acct conversation.AccountID // the SMS account
	msgs, err := channels.ExpandSMS(acct, "+1222333444", conversation.Message{
		To:   []conversation.Address{{Address: "+1 555 000 0001"}, {Address: "+1 555 000 0002"}},
		Text: "We are closed on Monday.",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range msgs {
		fmt.Println(m.To[0].Address, m.References[0])
	}
	// Output:
	// +15550000001 sms:00000000-0000-0000-0000-000000000000:+1222333444+15550000001
	// +15550000002 sms:00000000-0000-0000-0000-000000000000:+1222333444+15550000002
}

// A custom channel's webhook receiver checks the X-Missive-Signature
// header against the raw body.
func ExampleVerify() {
	secret := []byte("signature-secret")
	body := []byte(`{"message":{"id":"1","type":"text","body":"hi"},"conversation":{"id":"2"}}`)
	header := channels.Sign(secret, body) // what the sender puts in X-Missive-Signature
	fmt.Println(channels.Verify(secret, body, header))
	body[len(body)-3] = '3'
	fmt.Println(channels.Verify(secret, body, header))
	// Output:
	// true
	// false
}
