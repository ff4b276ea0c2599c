package channels

import (
	"slices"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// SendContext is everything [CheckSend] needs to know about an outbound
// channel message before the engine records it. The zero value of each
// field is documented; fields that do not apply to the channel are
// ignored.
type SendContext struct {
	// Channel is the sending account's channel.
	Channel conversation.Channel
	// New is true when the message starts a conversation (a new
	// conversation composed to the recipient, not a reply in one).
	New bool
	// LastCustomerInbound is when the customer last sent a content message
	// in the conversation (reactions and status updates do not count); zero
	// when never.
	LastCustomerInbound time.Time
	// Template is the WhatsApp template being sent; nil for a free-form
	// message.
	Template *TemplateSend
	// Recipients are the recipients' addresses (phone numbers for SMS and
	// WhatsApp, page-scoped ids for Messenger and Instagram). A live chat
	// answer may leave it empty: the chat session is the recipient.
	Recipients []string
	// OptedOut reports whether an SMS number opted out (see [OptOuts]);
	// nil means nobody has.
	OptedOut func(number string) bool
	// Custom holds the custom channel's settings; required for a custom
	// channel.
	Custom *CustomSettings
	// CustomSend describes the custom-channel message (its recipient
	// fields, whether they were edited, the alias); New is taken from
	// SendContext.New.
	CustomSend CustomSend
	// Now is the time of the send.
	Now time.Time
}

// CheckSend is the check the engine runs before recording any outbound
// channel message; nil means the send may go ahead. It applies the
// per-channel send rules:
//
//   - email: nothing here (the email rules are elsewhere);
//   - SMS: at least one recipient, at most [MaxSMSRecipients] distinct
//     valid numbers ([*TooManyRecipientsError]), none opted out
//     ([*OptedOutError]), no template;
//   - WhatsApp: one recipient; a template send is checked by
//     [RenderTemplate] and allowed whatever the window; a free-form message
//     in a new conversation gives [ErrTemplateRequired], and outside the
//     24-hour window ErrOutsideWindow{Window: 24h};
//   - Messenger and Instagram: a new conversation gives
//     [ErrCannotInitiate]; outside the 7-day window
//     ErrOutsideWindow{Window: 7d};
//   - live chat: the visitor starts the chat, so a new conversation gives
//     [ErrCannotInitiate];
//   - voice: call-log accounts do not send (ErrNotSupported);
//   - custom: [CustomSettings.CheckSend].
//
// Templates on channels without them give ErrNotSupported. The typed
// errors unwrap to the sentinels of this package, which wrap the
// conversation sentinels.
func CheckSend(s SendContext) error {
	caps, ok := For(s.Channel)
	if !ok {
		return invalid("unknown channel %d", s.Channel)
	}
	if !caps.CanSend {
		return &NotSupportedError{Feature: "sending on a " + s.Channel.String() + " account"}
	}
	if s.Template != nil && !caps.Templates {
		return &NotSupportedError{Feature: "templates on " + s.Channel.String()}
	}
	switch s.Channel {
	case conversation.Email:
		return nil
	case conversation.SMS:
		return checkSMS(s)
	case conversation.Custom:
		if s.Custom == nil {
			return invalid("a custom channel send needs the channel's settings")
		}
		cs := s.CustomSend
		cs.New = s.New
		return s.Custom.CheckSend(cs)
	}
	if err := checkRecipientCount(caps, s.Recipients); err != nil {
		return err
	}
	if s.New && caps.Initiate == InitiateNever {
		return wrap(ErrCannotInitiate, "on %s, businesses can only answer customers who write first", s.Channel)
	}
	if s.Template != nil {
		_, err := RenderTemplate(*s.Template)
		return err
	}
	if s.New && caps.Initiate == InitiateWithTemplate {
		return wrap(ErrTemplateRequired, "a new %s conversation must start with an approved template", s.Channel)
	}
	if !caps.WindowOpen(s.LastCustomerInbound, s.Now) {
		e := &OutsideWindowError{Window: caps.ReplyWindow}
		if !s.LastCustomerInbound.IsZero() {
			e.ClosedAt = s.LastCustomerInbound.Add(caps.ReplyWindow)
		}
		return e
	}
	return nil
}

func checkRecipientCount(caps Capabilities, to []string) error {
	if len(to) == 0 && caps.Channel != conversation.LiveChat {
		return invalid("a %s message needs a recipient", caps.Channel)
	}
	if caps.MaxRecipients > 0 && len(to) > caps.MaxRecipients {
		return &TooManyRecipientsError{Max: caps.MaxRecipients, Got: len(to)}
	}
	return nil
}

func checkSMS(s SendContext) error {
	to := make([]conversation.Address, len(s.Recipients))
	for i, r := range s.Recipients {
		to[i] = conversation.Address{Address: r}
	}
	numbers, err := smsRecipients("", to)
	if err != nil {
		return err
	}
	if s.OptedOut == nil {
		return nil
	}
	var out []string
	for _, n := range numbers {
		if s.OptedOut(n.Address) {
			out = append(out, n.Address)
		}
	}
	if len(out) > 0 {
		return &OptedOutError{Recipients: slices.Clip(out)}
	}
	return nil
}
