package threading

import (
	"slices"
	"strings"
)

// NormalizePhone strips the formatting people type into phone numbers
// (spaces, dashes, dots, parentheses, slashes) and keeps a leading '+'. It
// does not guess country codes: numbers are expected to start with '+'
// already.
func NormalizePhone(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case strings.ContainsRune(" \t-.()/\u00a0", r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SMSReference returns the SMS thread reference: both numbers, normalized,
// sorted byte-wise and concatenated, so "+1555666777" and "+1222333444" give
// "+1222333444+1555666777" whatever the direction. It is also the references
// value for importing SMS history as posts.
func SMSReference(a, b string) string {
	n := []string{NormalizePhone(a), NormalizePhone(b)}
	slices.Sort(n)
	return n[0] + n[1]
}

// SMSKey is the thread key of an SMS conversation on account: the
// [SMSReference] of the account's number and the contact's, within the
// account. Group SMS does not exist: a message to several recipients is one
// message per pair, each with its own key.
func SMSKey(account, a, b string) string {
	return channelKey("sms", account, SMSReference(a, b))
}

// WhatsAppKey is the thread key of a WhatsApp conversation: all messages
// from one contact (wa_id) on one business account are one conversation. The
// contact is keyed in wa_id form, its digits without '+', so "+1 555 123
// 4567" typed by a user and the wa_id "15551234567" sent by Meta give the
// same key.
func WhatsAppKey(account, waID string) string {
	return channelKey("whatsapp", account, strings.TrimPrefix(NormalizePhone(waID), "+"))
}

// MessengerKey is the thread key of a Messenger conversation: one per Page
// (each Page is its own account) and page-scoped sender id (PSID). Reactions
// are messages of the same thread.
func MessengerKey(account, psid string) string {
	return channelKey("messenger", account, strings.TrimSpace(psid))
}

// InstagramKey is the thread key of an Instagram conversation: one per
// account and sender (IGSID). DMs, story replies, story mentions, reel
// shares and reactions all share it.
func InstagramKey(account, igsid string) string {
	return channelKey("instagram", account, strings.TrimSpace(igsid))
}

// VoiceKey is the thread key of call logs: one conversation per account and
// counterpart number, each call a message.
func VoiceKey(account, party string) string {
	return channelKey("voice", account, NormalizePhone(party))
}

// LiveChatKey is the thread key of a live chat: one per account and chat
// session (the Twilio Conversation SID).
func LiveChatKey(account, session string) string {
	return channelKey("livechat", account, strings.TrimSpace(session))
}

// CustomKeys returns one thread key per reference of a custom-channel
// message. Put them in [Message].References: any reference shared with an
// earlier message joins its conversation, as for email. Empty references are
// dropped, duplicates kept once.
func CustomKeys(account string, refs []string) []string {
	keys := make([]string, 0, len(refs))
	for _, r := range refs {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if k := channelKey("custom", account, r); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// channelKey joins kind, account and the contact part with ':', each field
// escaped, so different channels, accounts and contacts never share a key.
func channelKey(kind, account, contact string) string {
	return kind + ":" + escapeKey(account) + ":" + escapeKey(contact)
}

// CustomReferences is the inverse of [CustomKeys]: the references of the
// keys of account, in order, skipping keys of other accounts or channels.
// Outbound custom-channel webhooks send them back to the channel.
func CustomReferences(account string, keys []string) []string {
	prefix := channelKey("custom", account, "")
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if r, ok := strings.CutPrefix(k, prefix); ok && !strings.Contains(r, ":") {
			out = append(out, unescapeKey(r))
		}
	}
	return out
}
