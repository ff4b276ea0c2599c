package channels

import (
	"slices"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// Phone normalizes a phone number with [threading.NormalizePhone] and checks
// that the result is an E.164 number: a '+' followed by 3 to 15 digits, the
// first not 0 ("your number should start with a plus + sign"). Country codes
// are never guessed.
func Phone(s string) (string, error) {
	n := threading.NormalizePhone(s)
	digits := strings.TrimPrefix(n, "+")
	if len(digits) == len(n) {
		return "", invalid("phone number %q: must start with + and the country code", s)
	}
	if len(digits) < 3 || len(digits) > 15 || digits[0] == '0' {
		return "", invalid("phone number %q: want + and 3 to 15 digits", s)
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", invalid("phone number %q: unexpected character %q", s, digits[i])
		}
	}
	return n, nil
}

// smsRecipients normalizes, validates and de-duplicates the numbers of
// to, in order, keeping the first display name given for each, and
// refuses the business number itself and more than [MaxSMSRecipients]
// distinct numbers.
func smsRecipients(business string, to []conversation.Address) ([]conversation.Address, error) {
	if len(to) == 0 {
		return nil, invalid("an SMS needs at least one recipient")
	}
	out := make([]conversation.Address, 0, min(len(to), MaxSMSRecipients+1))
	index := make(map[string]int, min(len(to), MaxSMSRecipients+1))
	for _, a := range to {
		n, err := Phone(a.Address)
		if err != nil {
			return nil, err
		}
		if n == business {
			return nil, invalid("recipient %s is the sending number", n)
		}
		if i, ok := index[n]; ok {
			if out[i].Name == "" {
				out[i].Name = a.Name
			}
			continue
		}
		index[n] = len(out)
		out = append(out, conversation.Address{Name: a.Name, Address: n})
	}
	if len(out) > MaxSMSRecipients {
		return nil, &TooManyRecipientsError{Max: MaxSMSRecipients, Got: len(out)}
	}
	return out, nil
}

// ExpandSMS turns an outbound SMS draft into the messages to send: one per
// distinct recipient of m.To, because a message to several numbers is "a
// separate message ... to each recipient" and group SMS does not exist. Each
// message is a copy of m with Channel SMS, Direction Outbound, Account
// account, From the business number, To the one recipient (normalized E.164)
// and References the pair key [threading.SMSKey], so it threads into the
// (business number, recipient) conversation whichever side wrote first. Cc
// and Bcc must be empty: SMS has no copies.
//
// The result follows the order of m.To; the conversation the draft was
// written in receives the first message and the others go to their pair
// conversations. More than [MaxSMSRecipients] distinct numbers give a
// [*TooManyRecipientsError]; a malformed number, the business number itself,
// or no recipient give an error wrapping [conversation.ErrInvalidArgument].
// Nothing is returned on error.
func ExpandSMS(account conversation.AccountID, business string, m conversation.Message) ([]conversation.Message, error) {
	from, err := Phone(business)
	if err != nil {
		return nil, err
	}
	if len(m.Cc) > 0 || len(m.Bcc) > 0 {
		return nil, invalid("an SMS has no Cc or Bcc recipients")
	}
	to, err := smsRecipients(from, m.To)
	if err != nil {
		return nil, err
	}
	base := m
	base.To = nil // replaced per message; not worth cloning
	out := make([]conversation.Message, len(to))
	for i, r := range to {
		c := base.Clone()
		c.Channel = conversation.SMS
		c.Direction = conversation.Outbound
		c.Account = account
		c.From = conversation.Address{Name: m.From.Name, Address: from}
		c.To = []conversation.Address{r}
		c.References = []string{threading.SMSKey(account.String(), from, r.Address)}
		out[i] = *c
	}
	return out, nil
}

// InboundSMS builds the conversation message of an SMS received on the
// business number: Channel SMS, Direction Inbound, From the sender, To the
// business number, HeaderID the [ProviderMessageID] of providerID, and
// References the pair key, the same key [ExpandSMS] gives replies.
func InboundSMS(account conversation.AccountID, business, sender, body, providerID string) (conversation.Message, error) {
	to, err := Phone(business)
	if err != nil {
		return conversation.Message{}, err
	}
	from, err := Phone(sender)
	if err != nil {
		return conversation.Message{}, err
	}
	return inboundMessage(conversation.SMS, account, from, to, body, providerID,
		threading.SMSKey(account.String(), to, from)), nil
}

// inboundMessage is the message of a one-to-one channel message received
// from the customer from on the business address to.
func inboundMessage(ch conversation.Channel, account conversation.AccountID, from, to, body, providerID, key string) conversation.Message {
	return conversation.Message{
		Account:    account,
		Direction:  conversation.Inbound,
		Channel:    ch,
		From:       conversation.Address{Address: from},
		To:         []conversation.Address{{Address: to}},
		Text:       body,
		HeaderID:   ProviderMessageID(ch, account, providerID),
		References: []string{key},
	}
}

// Keyword is the meaning of an inbound SMS body for opt-out handling.
type Keyword uint8

const (
	// NoKeyword: an ordinary message.
	NoKeyword Keyword = iota
	// OptOutKeyword: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END or QUIT.
	OptOutKeyword
	// OptInKeyword: START ("Reply START to resubscribe").
	OptInKeyword
)

// String returns "none", "opt-out" or "opt-in".
func (k Keyword) String() string {
	switch k {
	case OptOutKeyword:
		return "opt-out"
	case OptInKeyword:
		return "opt-in"
	}
	return "none"
}

var optOutWords = [...]string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}

// DetectKeyword classifies an inbound SMS body: the whole body, with
// surrounding white space trimmed, compared case-insensitively with the
// opt-out words and with START. "stop" and " Stop\n" opt out; "please stop"
// and "STOP!" do not.
func DetectKeyword(body string) Keyword {
	b := strings.TrimSpace(body)
	if len(b) > 4*len("UNSUBSCRIBE") { // a cheap bound: folding keeps runes, each at most 4 bytes
		return NoKeyword
	}
	for _, w := range optOutWords {
		if strings.EqualFold(b, w) {
			return OptOutKeyword
		}
	}
	if strings.EqualFold(b, "START") {
		return OptInKeyword
	}
	return NoKeyword
}

// OptedOutAfter is the opt-out state of a number after it sent body,
// given its state before: an opt-out keyword sets it, START clears it,
// anything else keeps it.
func OptedOutAfter(optedOut bool, body string) bool {
	switch DetectKeyword(body) {
	case OptOutKeyword:
		return true
	case OptInKeyword:
		return false
	}
	return optedOut
}

// OptOuts is the opt-out state of the numbers that wrote to one SMS
// account (one business number): the caller owns it, persists it (see
// [OptOuts.Numbers]) and feeds it every inbound SMS with
// [OptOuts.Observe]. The zero value is ready to use and has nobody opted
// out. It is not safe for concurrent use.
type OptOuts struct {
	numbers map[string]struct{}
}

// NewOptOuts returns the state with the given numbers opted out; numbers
// that are not valid phone numbers are reported as an error and nothing
// is kept.
func NewOptOuts(numbers ...string) (*OptOuts, error) {
	o := &OptOuts{}
	for _, s := range numbers {
		n, err := Phone(s)
		if err != nil {
			return nil, err
		}
		o.set(n, true)
	}
	return o, nil
}

// Observe applies an inbound SMS from number with the given body and returns
// the keyword it carried. An opt-out keyword records the number as opted
// out; START clears it.
func (o *OptOuts) Observe(from, body string) (Keyword, error) {
	k := DetectKeyword(body)
	if k == NoKeyword {
		return k, nil
	}
	n, err := Phone(from)
	if err != nil {
		return NoKeyword, err
	}
	o.set(n, k == OptOutKeyword)
	return k, nil
}

func (o *OptOuts) set(n string, out bool) {
	if !out {
		delete(o.numbers, n)
		return
	}
	if o.numbers == nil {
		o.numbers = make(map[string]struct{})
	}
	o.numbers[n] = struct{}{}
}

// OptedOut reports whether number is opted out. It is the lookup
// [SendContext].OptedOut expects. A nil *OptOuts has nobody opted out.
func (o *OptOuts) OptedOut(number string) bool {
	if o == nil {
		return false
	}
	_, ok := o.numbers[threading.NormalizePhone(number)]
	return ok
}

// Numbers returns the opted-out numbers, sorted.
func (o *OptOuts) Numbers() []string {
	if o == nil {
		return nil
	}
	out := make([]string, 0, len(o.numbers))
	for n := range o.numbers {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
