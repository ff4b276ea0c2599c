package channels

import (
	"fmt"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// ProviderMessageID is the id a channel message is recorded and
// de-duplicated under (conversation.Message.HeaderID and
// threading.Message.ID): the channel, the account and the provider's own
// message id, so ids of different channels or accounts never collide with
// each other or with an email Message-ID (which has no such prefix). An
// empty provider id gives "" (the message can then not be de-duplicated).
func ProviderMessageID(ch conversation.Channel, account conversation.AccountID, id string) string {
	if id = strings.TrimSpace(id); id == "" {
		return ""
	}
	return ch.String() + "-msg:" + account.String() + ":" + id
}

// CallOutcome is how a call went.
type CallOutcome uint8

const (
	// Answered: someone took the call.
	Answered CallOutcome = iota + 1
	// Missed: nobody answered and no voicemail was left.
	Missed
	// Voicemail: nobody answered and the caller left a voicemail.
	Voicemail
)

// Call is a call as the voice provider (Aircall, Dialpad) reports it.
type Call struct {
	// ID is the provider's call id.
	ID string
	// Direction is Inbound for a call received, Outbound for one placed.
	Direction conversation.Direction
	// Business is the account's number that took or placed the call; the
	// provider syncs all numbers of the account. Party is the other side's
	// number.
	Business, Party string
	// Agent names the user who answered or placed the call, if any.
	Agent string
	// Ended is false while the call is ringing or in progress.
	Ended            bool
	Outcome          CallOutcome
	StartedAt, EndAt time.Time
	// Voicemail and Recording are the audio files' metadata, when there are
	// any.
	Voicemail, Recording *conversation.Attachment
}

// CallLog returns the call-log message of a call, the only thing a voice
// account records: ok is false while the call has not ended, because "Call
// data syncs after the call ends, not in real-time". The message has Channel
// Voice, the call's direction, the party and business numbers as From and To
// (by direction), a text such as "Missed call from +15550001111" or
// "Outgoing call to +1555..., 3m05s", the voicemail and recording as
// attachments, and References the (account, party) key [threading.VoiceKey]
// (one conversation per counterpart).
//
// An ended call without an id, with a malformed number, without an outcome,
// or ending before it started gives an error wrapping
// [conversation.ErrInvalidArgument].
func CallLog(account conversation.AccountID, c Call) (m conversation.Message, ok bool, err error) {
	if !c.Ended {
		return conversation.Message{}, false, nil
	}
	if strings.TrimSpace(c.ID) == "" {
		return conversation.Message{}, false, invalid("call without an id")
	}
	business, err := Phone(c.Business)
	if err != nil {
		return conversation.Message{}, false, err
	}
	party, err := Phone(c.Party)
	if err != nil {
		return conversation.Message{}, false, err
	}
	if c.StartedAt.IsZero() || c.EndAt.Before(c.StartedAt) {
		return conversation.Message{}, false, invalid("call %s: end %v before start %v", c.ID, c.EndAt, c.StartedAt)
	}
	if c.Direction == conversation.Outbound && c.Outcome != Answered && c.Outcome != Missed {
		return conversation.Message{}, false, invalid("call %s: an outgoing call is answered or missed", c.ID)
	}
	var text string
	switch c.Outcome {
	case Answered:
		verb, by := "Incoming call from", ", answered by "
		if c.Direction == conversation.Outbound {
			verb, by = "Outgoing call to", ", placed by "
		}
		text = verb + " " + party + ", " + formatDuration(c.EndAt.Sub(c.StartedAt))
		if c.Agent != "" {
			text += by + c.Agent
		}
	case Missed:
		if c.Direction == conversation.Outbound {
			text = "Unanswered call to " + party
		} else {
			text = "Missed call from " + party
		}
	case Voicemail:
		text = "Voicemail from " + party
	default:
		return conversation.Message{}, false, invalid("call %s: unknown outcome %d", c.ID, c.Outcome)
	}
	m = conversation.Message{
		Account:    account,
		Direction:  c.Direction,
		Channel:    conversation.Voice,
		From:       conversation.Address{Address: party},
		To:         []conversation.Address{{Address: business}},
		Text:       text,
		HeaderID:   ProviderMessageID(conversation.Voice, account, c.ID),
		References: []string{threading.VoiceKey(account.String(), party)},
		At:         c.StartedAt,
	}
	if c.Direction == conversation.Outbound {
		m.From, m.To = m.To[0], []conversation.Address{m.From}
	}
	for _, a := range []*conversation.Attachment{c.Voicemail, c.Recording} {
		if a != nil {
			m.Attachments = append(m.Attachments, *a)
		}
	}
	return m, true, nil
}

// formatDuration renders a call duration as "45s", "3m05s" or "1h02m03s".
func formatDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	h, m := s/3600, s/60%60
	s %= 60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}
