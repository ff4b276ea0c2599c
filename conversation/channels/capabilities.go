package channels

import (
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// The reply windows of the channels that have one.
const (
	// WhatsAppWindow: free-form messages only within 24 hours of the
	// customer's last message (F3:4258, F3:4534).
	WhatsAppWindow = 24 * time.Hour
	// SocialWindow: Messenger and Instagram replies only within 7 days of
	// the customer's last message (F3:4731, F3:4873, F3:4979).
	SocialWindow = 7 * 24 * time.Hour
	// MaxSMSRecipients caps a bulk SMS (F3:4033).
	MaxSMSRecipients = 100
)

// Initiation says whether a business may start a conversation on a
// channel.
type Initiation uint8

const (
	// InitiateNever: the customer writes first (Messenger, Instagram
	// F3:4991; live chat, where the visitor starts; voice, which only
	// logs calls).
	InitiateNever Initiation = iota
	// InitiateFreely: any message may start a conversation (email, SMS).
	InitiateFreely
	// InitiateWithTemplate: only an approved template may (WhatsApp,
	// F3:4393).
	InitiateWithTemplate
	// InitiateIfAllowed: the channel's own setting decides (custom
	// channels' allow_new, F3:6049).
	InitiateIfAllowed
)

// History says whether connecting an account fetches past messages.
type History uint8

const (
	// HistoryNone: only messages received or sent after connecting appear
	// (SMS F3:3886, Messenger F3:4729, Instagram F3:4869; WhatsApp, voice,
	// live chat and custom channels by default, §7 A16). Past SMS can be
	// imported only as posts through the API (F3:3888-3895).
	HistoryNone History = iota
	// HistoryConfigurable: the account chooses how far back to import
	// (email, §2.9).
	HistoryConfigurable
)

// Capabilities is one row of the channel capability matrix of
// accounts-threading.md §3.2: what a channel lets a business send, when,
// to whom, and what connecting it imports. The values are data, read by
// [CheckSend] and [CheckSplit]; [For] returns them.
type Capabilities struct {
	Channel conversation.Channel
	// CanSend is false for channels that only record what happened
	// elsewhere (voice call logs, F3:5247-5257, and they come after the
	// call ends, F3:5267).
	CanSend bool
	// Initiate says who may start a conversation.
	Initiate Initiation
	// ReplyWindow is how long after the customer's last message a
	// free-form message may be sent; zero means no window.
	ReplyWindow time.Duration
	// TemplatesOutsideWindow is true when an approved template may be
	// sent whatever the window (WhatsApp, F3:4258).
	TemplatesOutsideWindow bool
	// History says whether connecting imports past messages (scenario 72).
	History History
	// Groups is true when one conversation may hold several external
	// participants. SMS has no group messages (F3:4035), WhatsApp none
	// (F3:4442).
	Groups bool
	// MaxRecipients caps the recipients of one send; zero means the
	// channel itself sets no cap (email: the provider's limits apply).
	MaxRecipients int
	// FanOut is true when a send to several recipients becomes one
	// message per recipient, each in its own conversation (SMS, F3:3905,
	// F3:4024).
	FanOut bool
	// ReactionsAsMessages is true when a customer's reaction arrives as a
	// new message holding the emoji (F3:4721, F3:4863).
	ReactionsAsMessages bool
	// SenderDeletes is true when a message the sender deletes is removed
	// (F3:4725, F3:4867).
	SenderDeletes bool
	// Splittable is true when a message may be moved out of its
	// conversation; only emails can be (F3:7954), and WhatsApp messages
	// explicitly cannot (F3:4434).
	Splittable bool
	// Attachments is true when files can be sent and received.
	Attachments bool
	// MMS is true when media over SMS needs an MMS-enabled number
	// (Twilio, US and Canada, F3:4045).
	MMS bool
	// VoiceNotesUnsupported is true where voice notes can be neither sent
	// nor received (WhatsApp, F3:4418).
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

// WindowOpen is the WhatsApp 24-hour rule of §3.4: now - last < 24h,
// where last is the customer's last content message (reactions and
// status updates do not count, §7 A15). A zero last gives false.
func WindowOpen(lastCustomerInbound, now time.Time) bool {
	return windowOpen(WhatsAppWindow, lastCustomerInbound, now)
}

// matrix holds the rows of §3.2, indexed by channel.
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

// For returns the capabilities of a channel kind (§3.2). The second
// result is false for a value that is not one of the conversation.Channel
// constants.
func For(ch conversation.Channel) (Capabilities, bool) {
	if int(ch) >= len(matrix) {
		return Capabilities{}, false
	}
	return matrix[ch], true
}

// ImportsHistory reports whether connecting an account of kind ch may
// fetch past messages; false for every non-email channel (F3:3886,
// F3:4729, F3:4869, §7 A16).
func ImportsHistory(ch conversation.Channel) bool {
	c, ok := For(ch)
	return ok && c.History != HistoryNone
}

// CheckSplit returns nil when a message of channel ch may be moved out of
// its conversation, and a [*NotSupportedError] otherwise: only emails can
// be separated (F3:7954, and for WhatsApp F3:4434).
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
