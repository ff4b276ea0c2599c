package channels

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// CustomType is a custom channel's message type, chosen at creation and
// immutable.
type CustomType string

// The message types of a custom channel.
const (
	// CustomText: basic text with emojis, attachments, bubble colors.
	CustomText CustomType = "text"
	// CustomHTML: rich-text HTML content with attachments.
	CustomHTML CustomType = "html"
	// CustomEmail: subject, From/To/Cc/Bcc and an HTML body; "receive
	// only".
	CustomEmail CustomType = "email"
)

// Valid reports whether t is one of the three types.
func (t CustomType) Valid() bool { return t == CustomText || t == CustomHTML || t == CustomEmail }

// CustomField is a recipient or a sender alias of a custom channel.
type CustomField struct {
	// ID is the channel's identifier for routing.
	ID string `json:"id,omitempty"`
	// Name is the display name.
	Name string `json:"name,omitempty"`
	// Username is the handle or email-like address.
	Username string `json:"username,omitempty"`
}

func (f CustomField) empty() bool {
	return strings.TrimSpace(f.ID) == "" && strings.TrimSpace(f.Name) == "" && strings.TrimSpace(f.Username) == ""
}

// address maps a field to a conversation address: the id (or, without
// one, the username) as the address.
func (f CustomField) address() conversation.Address {
	a := conversation.Address{Name: f.Name, Address: f.ID}
	if a.Address == "" {
		a.Address = f.Username
	}
	return a
}

// CustomSettings are a custom channel's settings.
type CustomSettings struct {
	// Type cannot change after creation ([CustomSettings.Update]).
	Type CustomType
	// Username is the channel's display name.
	Username string
	// AllowNew allows composing new messages, AllowReply replying, and
	// AllowEditRecipients changing the recipients of a reply. They do not
	// apply to the email type, which never sends.
	AllowNew, AllowReply, AllowEditRecipients bool
	// AllowRecipientID, AllowRecipientName and AllowRecipientUsername
	// enable the recipient fields a user may fill in.
	AllowRecipientID, AllowRecipientName, AllowRecipientUsername bool
	// Aliases are the sender identities the team can send as.
	Aliases []CustomField
	// WebhookURL receives the outgoing messages; Secret is the HMAC SHA-256
	// key their signature is made with.
	WebhookURL string
	Secret     []byte
}

// Validate checks the settings: a known type and aliases with distinct,
// non-empty ids. A channel that can send needs a webhook URL.
func (s CustomSettings) Validate() error {
	if !s.Type.Valid() {
		return invalid("custom channel type %q: want text, html or email", s.Type)
	}
	for i, a := range s.Aliases {
		if strings.TrimSpace(a.ID) == "" {
			return invalid("custom channel alias %d has no id", i)
		}
		if slices.ContainsFunc(s.Aliases[:i], func(b CustomField) bool { return b.ID == a.ID }) {
			return invalid("custom channel alias id %q is used twice", a.ID)
		}
	}
	if s.Type != CustomEmail && (s.AllowNew || s.AllowReply) && strings.TrimSpace(s.WebhookURL) == "" {
		return invalid("a custom channel that sends needs an outgoing webhook URL")
	}
	return nil
}

// Update returns next as the channel's new settings. Changing the type gives
// [ErrImmutable]; invalid settings give an error wrapping
// [conversation.ErrInvalidArgument]. The current settings are unchanged on
// error.
func (s CustomSettings) Update(next CustomSettings) (CustomSettings, error) {
	if next.Type != s.Type {
		return s, wrap(ErrImmutable, "the message type of a custom channel is %q and cannot become %q", s.Type, next.Type)
	}
	if err := next.Validate(); err != nil {
		return s, err
	}
	next.Aliases = slices.Clone(next.Aliases)
	next.Secret = slices.Clone(next.Secret)
	return next, nil
}

// CustomSend is an outgoing custom-channel message as [CustomSettings.CheckSend]
// needs it.
type CustomSend struct {
	// New is true when the message starts a conversation.
	New bool
	// Recipients are the message's recipients; RecipientsEdited is true
	// when a reply's recipients differ from the ones the reply got by
	// default.
	Recipients       []CustomField
	RecipientsEdited bool
	// Alias is the id of the sender alias used; empty for the channel
	// itself.
	Alias string
}

// CheckSend applies the custom channel's send guards: [ErrReceiveOnly] for
// the email type; [ErrNotAllowed] for a new message without allow_new, a
// reply without allow_reply, edited recipients without
// allow_edit_recipients, or a recipient field that is not enabled. A new
// message needs a recipient, and the alias must be one of the channel's
// (errors wrapping [conversation.ErrInvalidArgument]).
func (s CustomSettings) CheckSend(cs CustomSend) error {
	if s.Type == CustomEmail {
		return wrap(ErrReceiveOnly, "email-type custom channels only receive")
	}
	if !s.Type.Valid() {
		return invalid("custom channel type %q: want text, html or email", s.Type)
	}
	switch {
	case cs.New && !s.AllowNew:
		return wrap(ErrNotAllowed, "the channel does not allow sending new messages")
	case !cs.New && !s.AllowReply:
		return wrap(ErrNotAllowed, "the channel does not allow replying")
	case !cs.New && cs.RecipientsEdited && !s.AllowEditRecipients:
		return wrap(ErrNotAllowed, "the channel does not allow editing recipients")
	}
	if cs.Alias != "" && !slices.ContainsFunc(s.Aliases, func(a CustomField) bool { return a.ID == cs.Alias }) {
		return invalid("unknown sender alias %q", cs.Alias)
	}
	if cs.New && len(cs.Recipients) == 0 {
		return invalid("a new message needs a recipient")
	}
	if cs.New || cs.RecipientsEdited {
		for _, r := range cs.Recipients {
			if err := s.checkRecipient(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s CustomSettings) checkRecipient(r CustomField) error {
	switch {
	case r.empty():
		return invalid("empty recipient")
	case r.ID != "" && !s.AllowRecipientID:
		return wrap(ErrNotAllowed, "the channel does not allow a recipient id")
	case r.Name != "" && !s.AllowRecipientName:
		return wrap(ErrNotAllowed, "the channel does not allow a recipient name")
	case r.Username != "" && !s.AllowRecipientUsername:
		return wrap(ErrNotAllowed, "the channel does not allow a recipient username")
	}
	return nil
}

// CustomAttachment is an attachment of an inbound custom-channel message.
type CustomAttachment struct {
	Base64Data string `json:"base64_data"`
	Filename   string `json:"filename"`
}

// CustomInbound is the body of POST /v1/messages for a custom channel (field
// names from a non-authoritative external source): one message, under the
// "messages" key ([DecodeCustomInbound]).
type CustomInbound struct {
	// Account is the custom channel's id (required).
	Account string             `json:"account"`
	From    CustomField        `json:"from_field"`
	To      []CustomField      `json:"to_fields,omitempty"`
	Cc      []CustomField      `json:"cc_fields,omitempty"`
	Bcc     []CustomField      `json:"bcc_fields,omitempty"`
	Subject string             `json:"subject,omitempty"`
	Body    string             `json:"body,omitempty"`
	Files   []CustomAttachment `json:"attachments,omitempty"`
	// References are the threading keys: any reference shared with an
	// earlier message of the channel joins its conversation.
	References []string `json:"references,omitempty"`
	// ExternalID makes the post idempotent per channel.
	ExternalID string `json:"external_id,omitempty"`
	// Conversation binds the message to a known conversation; it wins
	// over References.
	Conversation        string `json:"conversation,omitempty"`
	ConversationSubject string `json:"conversation_subject,omitempty"`
	// DeliveredAt and CreatedAt are Unix seconds; zero when absent.
	DeliveredAt int64 `json:"delivered_at,omitempty"`
	CreatedAt   int64 `json:"created_at,omitempty"`
}

// MaxCustomInboundSize bounds the JSON body [DecodeCustomInbound] reads
// (attachments are inline base64).
const MaxCustomInboundSize = 32 << 20

// DecodeCustomInbound decodes a POST /v1/messages body
// {"messages": {...}}. Unknown fields are ignored; a body that is not
// that object, has a field of the wrong type, trailing data, or exceeds
// [MaxCustomInboundSize] gives an error wrapping
// [conversation.ErrInvalidArgument]. It does not check the fields'
// values: [CustomInbound.Message] does.
func DecodeCustomInbound(body []byte) (CustomInbound, error) {
	if len(body) > MaxCustomInboundSize {
		return CustomInbound{}, invalid("custom message body of %d bytes exceeds %d", len(body), MaxCustomInboundSize)
	}
	var env struct {
		Messages *CustomInbound `json:"messages"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&env); err != nil {
		return CustomInbound{}, invalid("custom message body: %v", err)
	}
	if dec.More() {
		return CustomInbound{}, invalid("custom message body: data after the JSON object")
	}
	if env.Messages == nil {
		return CustomInbound{}, invalid(`custom message body: no "messages" object`)
	}
	return *env.Messages, nil
}

// CustomFile is a decoded inbound attachment: the metadata the message
// records and the bytes, which the host stores (inboxkit stores no
// bytes).
type CustomFile struct {
	Attachment conversation.Attachment
	Data       []byte
}

// CustomMessage is an inbound custom-channel message ready to deliver.
type CustomMessage struct {
	// Message has Channel Custom, Direction Inbound, the sender and
	// recipients, the body (Text for the text type, HTML for the others),
	// HeaderID the idempotency key, and References the channel keys of
	// the payload's references ([threading.CustomKeys]).
	Message conversation.Message
	// Conversation is the explicit binding; zero means "thread by
	// References".
	Conversation conversation.ConversationID
	// ConversationSubject names a conversation the message creates.
	ConversationSubject string
	Files               []CustomFile
	// IdempotencyKey is the (channel, external id) key; empty without an
	// external id.
	IdempotencyKey string
	DeliveredAt    time.Time
}

// Duplicate reports whether the message was already received: true when it
// has an idempotency key and seen reports it known. Posting the same
// (channel, external id) twice is a no-op.
func (m CustomMessage) Duplicate(seen func(key string) bool) bool {
	return m.IdempotencyKey != "" && seen(m.IdempotencyKey)
}

// IdempotencyKey is the key that makes an inbound custom message with
// externalID idempotent on the channel account; "" without an external id.
// It is also the message's HeaderID, so the threader's own de-duplication
// sees a repeat as a duplicate.
func IdempotencyKey(account conversation.AccountID, externalID string) string {
	return ProviderMessageID(conversation.Custom, account, externalID)
}

// Message checks an inbound payload against the channel account and its
// settings and returns the message to deliver. The payload's account must be
// the channel's id; subject, Cc and Bcc exist only on the email type;
// attachments must be valid base64 with a file name; the conversation
// binding must be an id. Errors wrap [conversation.ErrInvalidArgument] and
// name the field.
func (in CustomInbound) Message(account conversation.AccountID, s CustomSettings) (CustomMessage, error) {
	if !s.Type.Valid() {
		return CustomMessage{}, invalid("custom channel type %q: want text, html or email", s.Type)
	}
	var id conversation.AccountID
	if err := id.UnmarshalText([]byte(strings.TrimSpace(in.Account))); err != nil || id != account {
		return CustomMessage{}, invalid("custom message account %q is not channel %s", in.Account, account)
	}
	if in.From.empty() {
		return CustomMessage{}, invalid("custom message without from_field")
	}
	if s.Type != CustomEmail && (in.Subject != "" || len(in.Cc) > 0 || len(in.Bcc) > 0) {
		return CustomMessage{}, invalid("subject, cc_fields and bcc_fields need an email-type channel, not %s", s.Type)
	}
	out := CustomMessage{
		ConversationSubject: in.ConversationSubject,
		IdempotencyKey:      IdempotencyKey(account, in.ExternalID),
	}
	if c := strings.TrimSpace(in.Conversation); c != "" {
		if err := out.Conversation.UnmarshalText([]byte(c)); err != nil {
			return CustomMessage{}, invalid("custom message conversation %q is not a conversation id", in.Conversation)
		}
	}
	m := conversation.Message{
		Account:    account,
		Direction:  conversation.Inbound,
		Channel:    conversation.Custom,
		From:       in.From.address(),
		To:         addresses(in.To),
		Cc:         addresses(in.Cc),
		Bcc:        addresses(in.Bcc),
		Subject:    in.Subject,
		HeaderID:   out.IdempotencyKey,
		References: threading.CustomKeys(account.String(), in.References),
	}
	if s.Type == CustomText {
		m.Text = in.Body
	} else {
		m.HTML = in.Body
	}
	if in.CreatedAt != 0 {
		m.At = time.Unix(in.CreatedAt, 0).UTC()
	}
	if in.DeliveredAt != 0 {
		out.DeliveredAt = time.Unix(in.DeliveredAt, 0).UTC()
	}
	for i, f := range in.Files {
		if strings.TrimSpace(f.Filename) == "" {
			return CustomMessage{}, invalid("attachment %d has no filename", i)
		}
		data, err := decodeBase64(f.Base64Data)
		if err != nil {
			return CustomMessage{}, invalid("attachment %d (%s): base64_data: %v", i, f.Filename, err)
		}
		a := conversation.Attachment{Name: f.Filename, ContentType: http.DetectContentType(data), Size: int64(len(data))}
		m.Attachments = append(m.Attachments, a)
		out.Files = append(out.Files, CustomFile{Attachment: a, Data: data})
	}
	out.Message = m
	return out, nil
}

func addresses(fs []CustomField) []conversation.Address {
	if len(fs) == 0 {
		return nil
	}
	out := make([]conversation.Address, len(fs))
	for i, f := range fs {
		out[i] = f.address()
	}
	return out
}

// decodeBase64 accepts standard base64 with or without padding.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "=") || len(s)%4 == 0 {
		return base64.StdEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// WebhookAttachment is an attachment of an outbound webhook message.
type WebhookAttachment struct {
	ID         string `json:"id,omitempty"`
	Filename   string `json:"filename,omitempty"`
	MediaType  string `json:"media_type,omitempty"`
	SubType    string `json:"sub_type,omitempty"`
	URL        string `json:"url,omitempty"`
	Size       int64  `json:"size,omitempty"`
	Base64Data string `json:"base64_data,omitempty"`
}

// WebhookAuthor is the user who sent the message.
type WebhookAuthor struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// WebhookMessage is the "message" part of an outbound webhook: the content,
// the recipients and the sender alias.
type WebhookMessage struct {
	ID          string              `json:"id"`
	Type        CustomType          `json:"type"`
	Body        string              `json:"body,omitempty"`
	References  []string            `json:"references,omitempty"`
	From        *CustomField        `json:"from_field,omitempty"`
	To          []CustomField       `json:"to_fields,omitempty"`
	ExternalID  string              `json:"external_id,omitempty"`
	Attachments []WebhookAttachment `json:"attachments,omitempty"`
	Author      *WebhookAuthor      `json:"author,omitempty"`
}

// WebhookConversation is the conversation context.
type WebhookConversation struct {
	ID      string `json:"id"`
	Subject string `json:"subject,omitempty"`
}

// Webhook is the JSON body POSTed to a custom channel's outgoing webhook URL
// when a message is sent from the library.
type Webhook struct {
	Message      WebhookMessage      `json:"message"`
	Conversation WebhookConversation `json:"conversation"`
}

// WebhookInput is what [NewWebhook] builds a webhook from.
type WebhookInput struct {
	// Message is the outbound message as recorded; its References are the
	// channel keys, sent back as the channel's own references.
	Message conversation.Message
	// Send is the send as checked: whether it starts a conversation, the
	// custom recipient fields and the sender alias.
	Send   CustomSend
	Author WebhookAuthor
	// Subject is the conversation's display subject.
	Subject string
	// Attachments are the files, as the host exposes them.
	Attachments []WebhookAttachment
}

// NewWebhook builds the webhook of an outbound message on a custom channel.
// It runs [CustomSettings.CheckSend] on in.Send first, so no webhook body
// exists for a send the channel refuses ([ErrReceiveOnly], [ErrNotAllowed]).
// The body is the message's Text for the text type and its HTML (or its
// escaped Text) for the html type.
func NewWebhook(s CustomSettings, in WebhookInput) (Webhook, error) {
	if err := s.CheckSend(in.Send); err != nil {
		return Webhook{}, err
	}
	m := in.Message
	w := Webhook{
		Message: WebhookMessage{
			ID:          m.ID.String(),
			Type:        s.Type,
			References:  threading.CustomReferences(m.Account.String(), m.References),
			To:          slices.Clone(in.Send.Recipients),
			Attachments: slices.Clone(in.Attachments),
		},
		Conversation: WebhookConversation{ID: m.Conversation.String(), Subject: in.Subject},
	}
	if in.Author != (WebhookAuthor{}) {
		a := in.Author
		w.Message.Author = &a
	}
	if in.Send.Alias != "" {
		// CheckSend made sure the alias exists.
		a := s.Aliases[slices.IndexFunc(s.Aliases, func(a CustomField) bool { return a.ID == in.Send.Alias })]
		w.Message.From = &a
	}
	switch {
	case s.Type == CustomText:
		w.Message.Body = m.Text
	case m.HTML != "":
		w.Message.Body = m.HTML
	case m.Text != "":
		w.Message.Body = strings.ReplaceAll(html.EscapeString(m.Text), "\n", "<br>")
	}
	return w, nil
}

// SignatureHeader carries a webhook request's signature.
const SignatureHeader = "X-Missive-Signature"

// Encode returns the JSON body of w and its [Sign]ature under secret, the
// value of the [SignatureHeader]; the signature is empty without a
// secret.
func (w Webhook) Encode(secret []byte) (body []byte, signature string, err error) {
	body, err = json.Marshal(w)
	if err != nil {
		return nil, "", invalid("encode webhook: %v", err)
	}
	if len(secret) > 0 {
		signature = Sign(secret, body)
	}
	return body, signature, nil
}

// Sign returns hex(HMAC-SHA256(secret, body)), the signature of a raw
// webhook body (hex encoding is the library's default).
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether signature, the [SignatureHeader] value of a
// request, signs the raw body under secret: hex digits of either case,
// optionally prefixed "sha256=", compared in constant time with
// [hmac.Equal]. An empty secret or signature never verifies.
func Verify(secret, body []byte, signature string) bool {
	sig := strings.TrimSpace(signature)
	if len(secret) == 0 || sig == "" {
		return false
	}
	const prefix = "sha256="
	if len(sig) >= len(prefix) && strings.EqualFold(sig[:len(prefix)], prefix) {
		sig = sig[len(prefix):]
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}
