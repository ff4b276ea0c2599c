package channels

import (
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// The reply windows of the channels that have one.
const (
	// WhatsAppWindow: free-form messages only within 24 hours of the
	// customer's last message.
	WhatsAppWindow = 24 * time.Hour
	// SocialWindow: Messenger and Instagram replies only within 7 days of
	// the customer's last message.
	SocialWindow = 7 * 24 * time.Hour
	// MaxSMSRecipients caps a bulk SMS.
	MaxSMSRecipients = 100
)

// Initiation says whether a business may start a conversation on a
// channel.
type Initiation uint8

const (
	// InitiateNever: the customer writes first (Messenger, Instagram; live
	// chat, where the visitor starts; voice, which only logs calls).
	InitiateNever Initiation = iota
	// InitiateFreely: any message may start a conversation (email, SMS).
	InitiateFreely
	// InitiateWithTemplate: only an approved template may (WhatsApp).
	InitiateWithTemplate
	// InitiateIfAllowed: the channel's own setting decides (custom channels'
	// allow_new).
	InitiateIfAllowed
)

// History says whether connecting an account fetches past messages.
type History uint8

const (
	// HistoryNone: only messages received or sent after connecting appear
	// (SMS, Messenger, Instagram; WhatsApp, voice, live chat and custom
	// channels by default). Past SMS can be imported only as posts through
	// the API.
	HistoryNone History = iota
	// HistoryConfigurable: the account chooses how far back to import
	// (email).
	HistoryConfigurable
)

// Capabilities is one row of the channel capability matrix: what a channel
// lets a business send, when, to whom, and what connecting it imports. The
// values are data, read by [CheckSend] and [CheckSplit]; [For] returns them.
type Capabilities struct {
	Channel conversation.Channel
	// CanSend is false for channels that only record what happened elsewhere
	// (voice call logs, and they come after the call ends).
	CanSend bool
	// Initiate says who may start a conversation.
	Initiate Initiation
	// ReplyWindow is how long after the customer's last message a
	// free-form message may be sent; zero means no window.
	ReplyWindow time.Duration
	// TemplatesOutsideWindow is true when an approved template may be sent
	// whatever the window (WhatsApp).
	TemplatesOutsideWindow bool
	// History says whether connecting imports past messages.
	History History
	// Groups is true when one conversation may hold several external
	// participants. SMS has no group messages, WhatsApp none.
	Groups bool
	// MaxRecipients caps the recipients of one send; zero means the
	// channel itself sets no cap (email: the provider's limits apply).
	MaxRecipients int
	// FanOut is true when a send to several recipients becomes one message
	// per recipient, each in its own conversation (SMS).
	FanOut bool
	// ReactionsAsMessages is true when a customer's reaction arrives as a
	// new message holding the emoji.
	ReactionsAsMessages bool
	// SenderDeletes is true when a message the sender deletes is removed.
	SenderDeletes bool
	// Splittable is true when a message may be moved out of its
	// conversation; only emails can be, and WhatsApp messages explicitly
	// cannot.
	Splittable bool
	// Attachments is true when files can be sent and received.
	Attachments bool
	// MMS is true when media over SMS needs an MMS-enabled number (Twilio,
	// US and Canada).
	MMS bool
	// VoiceNotesUnsupported is true where voice notes can be neither sent
	// nor received (WhatsApp).
	VoiceNotesUnsupported bool
	// Templates is true when the channel has pre-approved templates.
	Templates bool
}

// WindowOpen reports whether a free-form message may be sent at now given
// the customer's last content message at last: true when the channel has
// no window; otherwise now must be strictly less than the window after
// last. A zero last (the customer never wrote) keeps the window closed.
func (c Capabilities) WindowOpen(last, now time.Time) bool {
	if c.ReplyWindow == 0 {
		return true
	}
	return windowOpen(c.ReplyWindow, last, now)
}

func windowOpen(window time.Duration, last, now time.Time) bool {
	return !last.IsZero() && now.Sub(last) < window
}

// WindowOpen is the WhatsApp 24-hour rule: now - last < 24h, where last is
// the customer's last content message (reactions and status updates do not
// count). A zero last gives false.
func WindowOpen(lastCustomerInbound, now time.Time) bool {
	return windowOpen(WhatsAppWindow, lastCustomerInbound, now)
}

// matrix holds the rows of the capability matrix, indexed by channel.
var matrix = [...]Capabilities{
	conversation.Email: {
		Channel: conversation.Email, CanSend: true, Initiate: InitiateFreely,
		History: HistoryConfigurable, Groups: true, Splittable: true, Attachments: true,
	},
	conversation.SMS: {
		Channel: conversation.SMS, CanSend: true, Initiate: InitiateFreely,
		History: HistoryNone, MaxRecipients: MaxSMSRecipients, FanOut: true,
		Attachments: true, MMS: true,
	},
	conversation.WhatsApp: {
		Channel: conversation.WhatsApp, CanSend: true, Initiate: InitiateWithTemplate,
		ReplyWindow: WhatsAppWindow, TemplatesOutsideWindow: true, History: HistoryNone,
		MaxRecipients: 1, Attachments: true, Templates: true, VoiceNotesUnsupported: true,
	},
	conversation.Messenger: {
		Channel: conversation.Messenger, CanSend: true, Initiate: InitiateNever,
		ReplyWindow: SocialWindow, History: HistoryNone, MaxRecipients: 1,
		ReactionsAsMessages: true, SenderDeletes: true, Attachments: true,
	},
	conversation.Instagram: {
		Channel: conversation.Instagram, CanSend: true, Initiate: InitiateNever,
		ReplyWindow: SocialWindow, History: HistoryNone, MaxRecipients: 1,
		ReactionsAsMessages: true, SenderDeletes: true, Attachments: true,
	},
	conversation.LiveChat: {
		Channel: conversation.LiveChat, CanSend: true, Initiate: InitiateNever,
		History: HistoryNone, MaxRecipients: 1, Attachments: true,
	},
	conversation.Voice: {
		Channel: conversation.Voice, Initiate: InitiateNever, History: HistoryNone,
		Attachments: true,
	},
	conversation.Custom: {
		Channel: conversation.Custom, CanSend: true, Initiate: InitiateIfAllowed,
		History: HistoryNone, Attachments: true,
	},
}

// For returns the capabilities of a channel kind. The second result is false
// for a value that is not one of the conversation.Channel constants.
func For(ch conversation.Channel) (Capabilities, bool) {
	if int(ch) >= len(matrix) {
		return Capabilities{}, false
	}
	return matrix[ch], true
}

// ImportsHistory reports whether connecting an account of kind ch may fetch
// past messages; false for every non-email channel.
func ImportsHistory(ch conversation.Channel) bool {
	c, ok := For(ch)
	return ok && c.History != HistoryNone
}

// CheckSplit returns nil when a message of channel ch may be moved out of
// its conversation, and a [*NotSupportedError] otherwise: only emails can be
// separated, and WhatsApp messages explicitly cannot.
func CheckSplit(ch conversation.Channel) error {
	c, ok := For(ch)
	if !ok {
		return invalid("unknown channel %d", ch)
	}
	if !c.Splittable {
		return &NotSupportedError{Feature: "splitting " + ch.String() + " messages"}
	}
	return nil
}
