package channels_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
	"github.com/inboxkit/inboxkit/threading"
)

func textChannel() channels.CustomSettings {
	return channels.CustomSettings{Type: channels.CustomText, Username: "Bridge", AllowNew: true, AllowReply: true,
		AllowRecipientID: true, AllowRecipientName: true, WebhookURL: "https://hooks.example/in",
		Aliases: []channels.CustomField{{ID: "bot", Name: "Bot", Username: "bot@bridge"}}, Secret: []byte("k")}
}

func TestCustomSettingsValidate(t *testing.T) {
	ok := textChannel()
	require.NoError(t, ok.Validate())
	bad := map[string]func(*channels.CustomSettings){
		"unknown type":       func(s *channels.CustomSettings) { s.Type = "sms" },
		"alias without id":   func(s *channels.CustomSettings) { s.Aliases = append(s.Aliases, channels.CustomField{Name: "x"}) },
		"duplicate alias id": func(s *channels.CustomSettings) { s.Aliases = append(s.Aliases, channels.CustomField{ID: "bot"}) },
		"sends, no webhook":  func(s *channels.CustomSettings) { s.WebhookURL = "" },
	}
	for name, f := range bad {
		s := textChannel()
		f(&s)
		assert.ErrorIs(t, s.Validate(), conversation.ErrInvalidArgument, name)
		kept, err := ok.Update(s)
		if name == "unknown type" {
			assert.ErrorIs(t, err, channels.ErrImmutable)
		} else {
			assert.ErrorIs(t, err, conversation.ErrInvalidArgument, name)
		}
		assert.Equal(t, ok, kept, "unchanged on error")
	}
	next := textChannel()
	next.AllowReply = false
	got, err := ok.Update(next)
	require.NoError(t, err)
	assert.False(t, got.AllowReply)
	next.Aliases[0].ID = "changed"
	assert.Equal(t, "bot", got.Aliases[0].ID, "Update keeps its own copy")

	email := channels.CustomSettings{Type: channels.CustomEmail}
	assert.NoError(t, email.Validate(), "a receive-only channel needs no webhook")
}

func TestCustomCheckSend(t *testing.T) {
	kim := []channels.CustomField{{ID: "u1", Name: "Kim"}}
	tests := []struct {
		name   string
		modify func(*channels.CustomSettings)
		send   channels.CustomSend
		err    error
	}{
		{"reply", nil, channels.CustomSend{Recipients: kim}, nil},
		{"new", nil, channels.CustomSend{New: true, Recipients: kim}, nil},
		{"new not allowed", func(s *channels.CustomSettings) { s.AllowNew = false }, channels.CustomSend{New: true, Recipients: kim}, channels.ErrNotAllowed},
		{"reply not allowed", func(s *channels.CustomSettings) { s.AllowReply = false }, channels.CustomSend{Recipients: kim}, channels.ErrNotAllowed},
		{"edited recipients not allowed", nil, channels.CustomSend{Recipients: kim, RecipientsEdited: true}, channels.ErrNotAllowed},
		{"edited recipients allowed", func(s *channels.CustomSettings) { s.AllowEditRecipients = true },
			channels.CustomSend{Recipients: kim, RecipientsEdited: true}, nil},
		{"username field not enabled", nil, channels.CustomSend{New: true, Recipients: []channels.CustomField{{Username: "kim"}}}, channels.ErrNotAllowed},
		{"id field not enabled", func(s *channels.CustomSettings) { s.AllowRecipientID = false }, channels.CustomSend{New: true, Recipients: kim}, channels.ErrNotAllowed},
		{"name field not enabled", func(s *channels.CustomSettings) { s.AllowRecipientName = false }, channels.CustomSend{New: true, Recipients: kim}, channels.ErrNotAllowed},
		{"an unedited reply keeps the sender's fields", func(s *channels.CustomSettings) { s.AllowRecipientID = false },
			channels.CustomSend{Recipients: kim}, nil},
		{"new without recipient", nil, channels.CustomSend{New: true}, conversation.ErrInvalidArgument},
		{"empty recipient", nil, channels.CustomSend{New: true, Recipients: []channels.CustomField{{}}}, conversation.ErrInvalidArgument},
		{"known alias", nil, channels.CustomSend{Recipients: kim, Alias: "bot"}, nil},
		{"unknown alias", nil, channels.CustomSend{Recipients: kim, Alias: "ghost"}, conversation.ErrInvalidArgument},
		{"bad type", func(s *channels.CustomSettings) { s.Type = "" }, channels.CustomSend{Recipients: kim}, conversation.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := textChannel()
			if tt.modify != nil {
				tt.modify(&s)
			}
			err := s.CheckSend(tt.send)
			if tt.err == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.err)
			}
		})
	}
}

func inboundJSON(fields string) []byte {
	return []byte(`{"messages":{"account":"` + account.String() + `"` + fields + `}}`)
}

func TestDecodeCustomInbound(t *testing.T) {
	body := inboundJSON(`,"from_field":{"id":"u1","name":"Kim","username":"kim@x"},"to_fields":[{"id":"bot"}],
		"body":"hello","references":["order-42"," "],"external_id":"ext-1","conversation_subject":"Order 42",
		"created_at":1767225600,"delivered_at":1767225601,"attachments":[{"filename":"a.txt","base64_data":"aGk="}],
		"unknown_field":true`)
	in, err := channels.DecodeCustomInbound(body)
	require.NoError(t, err)
	cm, err := in.Message(account, textChannel())
	require.NoError(t, err)
	m := cm.Message
	assert.Equal(t, conversation.Custom, m.Channel)
	assert.Equal(t, conversation.Inbound, m.Direction)
	assert.Equal(t, conversation.Address{Name: "Kim", Address: "u1"}, m.From)
	assert.Equal(t, []conversation.Address{{Address: "bot"}}, m.To)
	assert.Equal(t, "hello", m.Text)
	assert.Empty(t, m.HTML)
	assert.Equal(t, threading.CustomKeys(account.String(), []string{"order-42"}), m.References)
	assert.Equal(t, channels.IdempotencyKey(account, "ext-1"), m.HeaderID)
	assert.Equal(t, m.HeaderID, cm.IdempotencyKey)
	assert.Equal(t, "Order 42", cm.ConversationSubject)
	assert.Equal(t, time.Unix(1767225600, 0).UTC(), m.At)
	assert.Equal(t, time.Unix(1767225601, 0).UTC(), cm.DeliveredAt)
	require.Len(t, cm.Files, 1)
	assert.Equal(t, []byte("hi"), cm.Files[0].Data)
	assert.Equal(t, conversation.Attachment{Name: "a.txt", ContentType: "text/plain; charset=utf-8", Size: 2}, m.Attachments[0])
	assert.True(t, cm.Conversation.IsZero())

	seen := map[string]bool{}
	assert.False(t, cm.Duplicate(func(k string) bool { return seen[k] }))
	seen[cm.IdempotencyKey] = true
	assert.True(t, cm.Duplicate(func(k string) bool { return seen[k] }), "the same (channel, external id) again is a no-op")
	assert.False(t, channels.CustomMessage{}.Duplicate(func(string) bool { return true }), "no external id, never a duplicate")
}

func TestDecodeCustomInboundErrors(t *testing.T) {
	bad := map[string][]byte{
		"not JSON":       []byte("nope"),
		"no messages":    []byte(`{"message":{}}`),
		"messages null":  []byte(`{"messages":null}`),
		"messages array": []byte(`{"messages":[{"account":"x"}]}`),
		"wrong type":     []byte(`{"messages":{"references":"order-42"}}`),
		"bad time":       []byte(`{"messages":{"created_at":"yesterday"}}`),
		"trailing data":  []byte(`{"messages":{}} {}`),
		"empty":          nil,
		"too large":      []byte(`{"messages":{"body":"` + strings.Repeat("x", channels.MaxCustomInboundSize) + `"}}`),
	}
	for name, b := range bad {
		_, err := channels.DecodeCustomInbound(b)
		assert.ErrorIs(t, err, conversation.ErrInvalidArgument, name)
	}
}

func TestCustomInboundMessageErrors(t *testing.T) {
	from := `,"from_field":{"id":"u1"}`
	bad := map[string][]byte{
		"other channel":       []byte(`{"messages":{"account":"0190f5a2-6b7e-7c3d-8e1f-000000000000","from_field":{"id":"u1"}}}`),
		"account not an id":   []byte(`{"messages":{"account":"chan-1","from_field":{"id":"u1"}}}`),
		"no sender":           inboundJSON(``),
		"subject on text":     inboundJSON(from + `,"subject":"x"`),
		"cc on text":          inboundJSON(from + `,"cc_fields":[{"id":"u2"}]`),
		"bad base64":          inboundJSON(from + `,"attachments":[{"filename":"a","base64_data":"!!"}]`),
		"no filename":         inboundJSON(from + `,"attachments":[{"base64_data":"aGk="}]`),
		"conversation not id": inboundJSON(from + `,"conversation":"42"`),
	}
	for name, b := range bad {
		in, err := channels.DecodeCustomInbound(b)
		require.NoError(t, err, name)
		_, err = in.Message(account, textChannel())
		assert.ErrorIs(t, err, conversation.ErrInvalidArgument, name)
	}
	in, _ := channels.DecodeCustomInbound(inboundJSON(from))
	_, err := in.Message(account, channels.CustomSettings{})
	assert.ErrorIs(t, err, conversation.ErrInvalidArgument, "settings without a type")
}

func TestCustomInboundEmailType(t *testing.T) {
	conv := "0190f5a2-6b7e-7c3d-8e1f-00000000c0de"
	in, err := channels.DecodeCustomInbound(inboundJSON(`,"from_field":{"username":"kim@x.test","name":"Kim"},
		"to_fields":[{"username":"help@acme.test"}],"cc_fields":[{"username":"boss@x.test"}],"subject":"Invoice",
		"body":"<p>Attached</p>","conversation":"` + conv + `","attachments":[{"filename":"a.bin","base64_data":"aGk"}]`))
	require.NoError(t, err)
	cm, err := in.Message(account, channels.CustomSettings{Type: channels.CustomEmail})
	require.NoError(t, err)
	assert.Equal(t, "<p>Attached</p>", cm.Message.HTML)
	assert.Empty(t, cm.Message.Text)
	assert.Equal(t, "Invoice", cm.Message.Subject)
	assert.Equal(t, "kim@x.test", cm.Message.From.Address, "the username stands in for a missing id")
	assert.Equal(t, []conversation.Address{{Address: "boss@x.test"}}, cm.Message.Cc)
	assert.Equal(t, conv, cm.Conversation.String())
	assert.Empty(t, cm.Message.HeaderID, "no external id")
	assert.Equal(t, []byte("hi"), cm.Files[0].Data, "unpadded base64 is accepted")
}

func TestWebhook(t *testing.T) {
	s := textChannel()
	kimReply := channels.CustomSend{Recipients: []channels.CustomField{{ID: "u1"}}}
	in, err := channels.DecodeCustomInbound(inboundJSON(`,"from_field":{"id":"u1"},"references":["order:42","thread-7"]`))
	require.NoError(t, err)
	cm, err := in.Message(account, s)
	require.NoError(t, err)

	reply := conversation.Message{ID: conversation.MessageID{9}, Conversation: conversation.ConversationID{7}, Account: account,
		Text: "On its way", References: cm.Message.References}
	w, err := channels.NewWebhook(s, channels.WebhookInput{Message: reply,
		Send: channels.CustomSend{Recipients: []channels.CustomField{{ID: "u1"}}, Alias: "bot"}, Author: channels.WebhookAuthor{Name: "Ana", Email: "ana@acme.test"}, Subject: "Order 42",
		Attachments: []channels.WebhookAttachment{{Filename: "label.pdf", MediaType: "application", SubType: "pdf", Size: 10, URL: "https://files/1"}}})
	require.NoError(t, err)
	assert.Equal(t, []string{"order:42", "thread-7"}, w.Message.References, "the channel's own references go back")

	body, sig, err := w.Encode(s.Secret)
	require.NoError(t, err)
	assert.True(t, channels.Verify(s.Secret, body, sig))
	var got map[string]any
	require.NoError(t, json.Unmarshal(body, &got))
	want := map[string]any{
		"message": map[string]any{
			"id": reply.ID.String(), "type": "text", "body": "On its way",
			"references": []any{"order:42", "thread-7"},
			"from_field": map[string]any{"id": "bot", "name": "Bot", "username": "bot@bridge"},
			"to_fields":  []any{map[string]any{"id": "u1"}},
			"attachments": []any{map[string]any{"filename": "label.pdf", "media_type": "application", "sub_type": "pdf",
				"size": float64(10), "url": "https://files/1"}},
			"author": map[string]any{"name": "Ana", "email": "ana@acme.test"},
		},
		"conversation": map[string]any{"id": reply.Conversation.String(), "subject": "Order 42"},
	}
	assert.Equal(t, want, got)

	_, sig, err = w.Encode(nil)
	require.NoError(t, err)
	assert.Empty(t, sig)

	s.Type = channels.CustomHTML
	w, err = channels.NewWebhook(s, channels.WebhookInput{Message: conversation.Message{Text: "a < b\nc"}, Send: kimReply})
	require.NoError(t, err)
	assert.Equal(t, "a &lt; b<br>c", w.Message.Body)
	w, err = channels.NewWebhook(s, channels.WebhookInput{Message: conversation.Message{Text: "t", HTML: "<p>h</p>"}, Send: kimReply})
	require.NoError(t, err)
	assert.Equal(t, "<p>h</p>", w.Message.Body)
	assert.Nil(t, w.Message.From)
	assert.Nil(t, w.Message.Author)

	_, err = channels.NewWebhook(s, channels.WebhookInput{Send: channels.CustomSend{Alias: "ghost"}})
	assert.ErrorIs(t, err, conversation.ErrInvalidArgument)
	_, err = channels.NewWebhook(channels.CustomSettings{Type: channels.CustomEmail}, channels.WebhookInput{Send: kimReply})
	assert.ErrorIs(t, err, channels.ErrReceiveOnly)
	_, err = channels.NewWebhook(channels.CustomSettings{}, channels.WebhookInput{Send: kimReply})
	assert.ErrorIs(t, err, conversation.ErrInvalidArgument)
	s.AllowReply = false
	_, err = channels.NewWebhook(s, channels.WebhookInput{Send: kimReply})
	assert.ErrorIs(t, err, channels.ErrNotAllowed, "no webhook body for a refused send")
}

func TestVerifyForms(t *testing.T) {
	secret, body := []byte("k"), []byte("payload")
	sig := channels.Sign(secret, body)
	for _, s := range []string{sig, strings.ToUpper(sig), " " + sig + " ", "sha256=" + sig, "SHA256=" + sig} {
		assert.True(t, channels.Verify(secret, body, s), s)
	}
	for _, s := range []string{"sha256=", "sha1=" + sig, sig[:62], sig + "00", "zz" + sig[2:], base64.StdEncoding.EncodeToString([]byte(sig))} {
		assert.False(t, channels.Verify(secret, body, s), s)
	}
}
