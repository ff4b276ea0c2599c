package channels

import (
	"html"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// SocialKind is the kind of an inbound Messenger or Instagram event.
type SocialKind uint8

const (
	// DirectMessage: text and attachments.
	DirectMessage SocialKind = iota
	// Reaction: the customer reacted to a message with an emoji; it "appears
	// as a new message in the thread containing the emoji".
	Reaction
	// Unreaction: the customer took a reaction back. The docs are silent;
	// the reaction message stays and nothing is recorded.
	Unreaction
	// Deletion: the sender deleted a message; "it's also removed in
	// Missive".
	Deletion
	// StoryReply: an Instagram reply to the account's story.
	StoryReply
	// StoryMention: the customer mentioned the account in their Instagram
	// story.
	StoryMention
	// ReelShare: the customer shared an Instagram reel.
	ReelShare
	// Unsupported: Instagram sent its placeholder instead of the content.
	Unsupported
)

// The Instagram display labels.
const (
	StoryReplyLabel       = "Replied to your story"
	StoryMentionLabel     = "Mentioned you in their story"
	UnsupportedLabel      = "Unsupported message - View on Instagram"
	reelShareLabelPrefix  = "Shared "
	untitledReelShareText = "Shared a reel"
)

// ReelShareLabel is the label of a shared reel, "Shared [reel title]";
// "Shared a reel" when the title is unknown.
func ReelShareLabel(title string) string {
	if title = strings.TrimSpace(title); title == "" {
		return untitledReelShareText
	}
	return reelShareLabelPrefix + title
}

// SocialEvent is an inbound Messenger or Instagram webhook event, already
// decoded from the platform's JSON by the transport.
type SocialEvent struct {
	Kind SocialKind
	// Channel is conversation.Messenger or conversation.Instagram.
	Channel conversation.Channel
	// Sender is the customer's page-scoped id (PSID or IGSID); Page is
	// the Page's or Instagram account's id.
	Sender, Page string
	// SenderName is the customer's display name, when known.
	SenderName string
	// ID is the platform message id (mid) of this event's message; for a
	// Deletion, Unreaction or Reaction, Target is the mid it applies to.
	ID, Target string
	// Text is the message text (the reply text of a StoryReply).
	Text string
	// Emoji is the reaction of a Reaction.
	Emoji string
	// Link is the story or reel URL of a StoryReply, StoryMention or
	// ReelShare.
	Link string
	// ReelTitle is the title of a shared reel.
	ReelTitle   string
	Attachments []conversation.Attachment
	At          time.Time
}

// SocialAction is what the engine does with a [SocialEvent].
type SocialAction uint8

const (
	// AppendMessage: record SocialOutcome.Message in the conversation of
	// its thread key.
	AppendMessage SocialAction = iota + 1
	// RemoveMessage: remove the message whose HeaderID is
	// SocialOutcome.Remove, keeping a tombstone (see [Tombstone]).
	RemoveMessage
	// IgnoreEvent: nothing to record.
	IgnoreEvent
)

// SocialOutcome is the decision for one inbound social event.
type SocialOutcome struct {
	Action SocialAction
	// Message is the message to append (AppendMessage).
	Message conversation.Message
	// Label is the Instagram display label ("Replied to your story", ...),
	// also the first line of Message.Text; empty for plain messages.
	Label string
	// Remove is the HeaderID of the message to remove (RemoveMessage).
	Remove string
	// Key is the thread key of the customer's conversation on the account
	// (every kind shares it).
	Key string
	// RestartsWindow is true when the event is a customer content message
	// that restarts the 7-day window; reactions do not.
	RestartsWindow bool
}

// DecideSocial turns an inbound Messenger or Instagram event of account into
// its outcome. Reactions become new inbound messages whose body is the
// emoji; deletions remove the target; story replies, story mentions and reel
// shares are messages of the same DM thread carrying their label and link.
// Every message gets the customer's thread key ([threading.MessengerKey] or
// [threading.InstagramKey]) as References and its platform id as HeaderID; a
// reaction's InReplyTo names the message reacted to.
//
// An event of another channel, without a sender, without an id, or a
// reaction without an emoji, gives an error wrapping
// [conversation.ErrInvalidArgument]; the Instagram-only kinds on
// Messenger too.
func DecideSocial(account conversation.AccountID, e SocialEvent) (SocialOutcome, error) {
	sender := strings.TrimSpace(e.Sender)
	if sender == "" {
		return SocialOutcome{}, invalid("%s event without a sender id", e.Channel)
	}
	var key string
	switch e.Channel {
	case conversation.Messenger:
		key = threading.MessengerKey(account.String(), sender)
		if e.Kind >= StoryReply {
			return SocialOutcome{}, invalid("%s events are Instagram-only", e.Kind)
		}
	case conversation.Instagram:
		key = threading.InstagramKey(account.String(), sender)
	default:
		return SocialOutcome{}, invalid("channel %s has no social events", e.Channel)
	}
	out := SocialOutcome{Key: key}
	switch e.Kind {
	case Deletion, Unreaction:
		if strings.TrimSpace(e.Target) == "" {
			return SocialOutcome{}, invalid("%s event without the message it applies to", e.Kind)
		}
		if e.Kind == Unreaction {
			out.Action = IgnoreEvent
			return out, nil
		}
		out.Action = RemoveMessage
		out.Remove = ProviderMessageID(e.Channel, account, e.Target)
		return out, nil
	}
	if strings.TrimSpace(e.ID) == "" {
		return SocialOutcome{}, invalid("%s event without a message id", e.Kind)
	}
	m := conversation.Message{
		Account:     account,
		Direction:   conversation.Inbound,
		Channel:     e.Channel,
		From:        conversation.Address{Name: e.SenderName, Address: sender},
		To:          []conversation.Address{{Address: strings.TrimSpace(e.Page)}},
		HeaderID:    ProviderMessageID(e.Channel, account, e.ID),
		References:  []string{key},
		Attachments: append([]conversation.Attachment(nil), e.Attachments...),
		At:          e.At,
	}
	text := e.Text
	switch e.Kind {
	case DirectMessage:
		out.RestartsWindow = true
	case Reaction:
		text = strings.TrimSpace(e.Emoji)
		if text == "" {
			return SocialOutcome{}, invalid("reaction without an emoji")
		}
		if t := strings.TrimSpace(e.Target); t != "" {
			m.InReplyTo = []string{ProviderMessageID(e.Channel, account, t)}
		}
	case StoryReply:
		out.Label, out.RestartsWindow = StoryReplyLabel, true
	case StoryMention:
		out.Label, out.RestartsWindow = StoryMentionLabel, true
	case ReelShare:
		out.Label, out.RestartsWindow = ReelShareLabel(e.ReelTitle), true
	case Unsupported:
		out.Label, out.RestartsWindow = UnsupportedLabel, true
	default:
		return SocialOutcome{}, invalid("unknown social event kind %d", e.Kind)
	}
	m.Text, m.HTML = labelled(out.Label, e.Link, text)
	out.Action = AppendMessage
	out.Message = m
	return out, nil
}

// labelled renders a labelled message: the label on the first line, then
// the text; the HTML form links the label to the story or reel.
func labelled(label, link, text string) (plain, htm string) {
	if label == "" {
		return text, ""
	}
	plain = label
	if text != "" {
		plain += "\n" + text
	}
	var b strings.Builder
	b.WriteString("<p>")
	if link != "" {
		b.WriteString(`<a href="` + html.EscapeString(link) + `">` + html.EscapeString(label) + "</a>")
	} else {
		b.WriteString(html.EscapeString(label))
	}
	b.WriteString("</p>")
	if text != "" {
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(text), "\n", "<br>") + "</p>")
	}
	return plain, b.String()
}

// String returns the kind's name.
func (k SocialKind) String() string {
	switch k {
	case DirectMessage:
		return "message"
	case Reaction:
		return "reaction"
	case Unreaction:
		return "unreaction"
	case Deletion:
		return "deletion"
	case StoryReply:
		return "story reply"
	case StoryMention:
		return "story mention"
	case ReelShare:
		return "reel share"
	case Unsupported:
		return "unsupported"
	}
	return "unknown"
}

// Tombstone returns m with its content removed, as a deletion by the sender
// leaves it: text, HTML, unquoted text, subject and attachments are cleared;
// identity, placement, participants and time stay so the conversation's
// history keeps its order.
func Tombstone(m conversation.Message) conversation.Message {
	c := m.Clone()
	c.Text, c.HTML, c.Unquoted, c.Subject = "", "", "", ""
	c.Attachments = nil
	return *c
}
