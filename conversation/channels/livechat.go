package channels

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// Identity is what the library knows of a live-chat visitor's identity.
type Identity uint8

const (
	// Anonymous: the visitor gave no email ("use the chat anonymously").
	Anonymous Identity = iota
	// Unverified: an email without a digest, entered by the visitor or
	// supplied by the site's config; "anyone could provide fake info".
	Unverified
	// Verified: the digest matches the email ("Authenticated users will
	// appear as verified").
	Verified
	// CannotVerify: a digest was given and does not match.
	CannotVerify
)

// String returns the label the identity is shown with: "", "[Unverified]",
// "verified" or "[Cannot verify]".
func (i Identity) String() string {
	switch i {
	case Unverified:
		return "[Unverified]"
	case Verified:
		return "verified"
	case CannotVerify:
		return "[Cannot verify]"
	}
	return ""
}

// ChatUser is the user object of the chat widget config or of
// MissiveChat.setUser.
type ChatUser struct {
	Name   string `json:"name,omitempty"`
	Email  string `json:"email,omitempty"`
	Digest string `json:"digest,omitempty"`
}

// ChatDigest returns the digest that verifies email: the hex HMAC-SHA256 of
// the email keyed with the chat account's secret key. The email is used
// exactly as given.
func ChatDigest(secret []byte, email string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(email))
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifyUser decides the identity of a chat user: Anonymous without an
// email, Unverified with an email and no digest, Verified when the digest
// is the email's [ChatDigest] under secret, CannotVerify otherwise
// (including a digest with no secret configured). Hex digits of either
// case are accepted; the comparison is constant-time ([hmac.Equal]).
func VerifyUser(secret []byte, u ChatUser) Identity {
	if strings.TrimSpace(u.Email) == "" {
		return Anonymous
	}
	d := strings.TrimSpace(u.Digest)
	if d == "" {
		return Unverified
	}
	got, err := hex.DecodeString(d)
	if err != nil || len(secret) == 0 {
		return CannotVerify
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(u.Email))
	if hmac.Equal(got, mac.Sum(nil)) {
		return Verified
	}
	return CannotVerify
}

// Meta is the key/value data a chat message carries.
type Meta map[string]string

// The keys every chat message includes and setMeta cannot remove.
const (
	MetaLanguage = "language"
	MetaPlatform = "platform"
	MetaBrowser  = "browser"
)

func builtin(k string) bool { return k == MetaLanguage || k == MetaPlatform || k == MetaBrowser }

// SetMeta is MissiveChat.setMeta: the result is m plus the built-in keys
// (language, platform, browser) of cur, which "are always included and
// cannot be removed"; a value m gives for a built-in key does not replace
// the widget's. Neither argument is modified.
func SetMeta(cur, m Meta) Meta {
	out := make(Meta, len(m)+3)
	for k, v := range m {
		if !builtin(k) {
			out[k] = v
		}
	}
	for k, v := range cur {
		if builtin(k) {
			out[k] = v
		}
	}
	return out
}

// AddMeta is MissiveChat.addMeta: the keys of m that cur does not have are
// added; "already set values" are not overwritten. Neither argument is
// modified.
func AddMeta(cur, m Meta) Meta {
	out := maps.Clone(cur)
	if out == nil {
		out = make(Meta, len(m))
	}
	for k, v := range m {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out
}

// ChatLine is one message of a live chat, as the sidebar and follow-up
// decisions need it.
type ChatLine struct {
	// Direction is Inbound for the visitor's messages, Outbound for the
	// agents' answers.
	Direction conversation.Direction
	// Author is the display name of whoever wrote the line.
	Author string
	Text   string
	Meta   Meta
	At     time.Time
	// ReadAt is when the visitor read an agent's answer (read status); zero
	// while unread.
	ReadAt time.Time
}

// SidebarMeta is the data the contact sidebar shows: the meta of the last
// visitor message ("will use the last message data"). Lines are compared by
// At, later lines of equal At winning; nil when the visitor sent nothing.
// The result is a copy.
func SidebarMeta(lines []ChatLine) Meta {
	var last *ChatLine
	for i := range lines {
		l := &lines[i]
		if l.Direction == conversation.Inbound && (last == nil || !l.At.Before(last.At)) {
			last = l
		}
	}
	if last == nil {
		return nil
	}
	return maps.Clone(last.Meta)
}

// FollowUp is the email follow-up setting of a live-chat account.
type FollowUp struct {
	// Delay is how long an agent's answer may stay unread before a
	// summary is emailed; zero disables the follow-up.
	Delay time.Duration
}

// FollowUpDecision says whether to email the summary now, and when to
// look again.
type FollowUpDecision struct {
	// Send is true when the summary is due now.
	Send bool
	// Due is when the earliest pending answer becomes (or became) due;
	// zero when nothing is pending. A caller that is not sending yet
	// schedules its next check at Due.
	Due time.Time
}

// Decide applies the follow-up rule ("anytime an answer is unread after a
// configured amount of time, Missive will send a summary of the conversation
// to the visitor's email address") at now: an agent answer newer than the
// last summary sent (lastSent, zero if none), still unread, and at least
// Delay old, with the visitor's email known, makes the summary due. One
// summary covers every pending answer, so after it is sent (and lastSent
// updated) nothing is due until a new answer arrives and stays unread.
func (f FollowUp) Decide(lines []ChatLine, visitorEmail string, lastSent, now time.Time) FollowUpDecision {
	if f.Delay <= 0 || strings.TrimSpace(visitorEmail) == "" {
		return FollowUpDecision{}
	}
	var d FollowUpDecision
	for _, l := range lines {
		if l.Direction != conversation.Outbound || !l.ReadAt.IsZero() || !l.At.After(lastSent) {
			continue
		}
		if due := l.At.Add(f.Delay); d.Due.IsZero() || due.Before(d.Due) {
			d.Due = due
		}
	}
	d.Send = !d.Due.IsZero() && !now.Before(d.Due)
	return d
}

// FollowUpSummary is the plain-text summary of a chat emailed to the
// visitor: one paragraph per line, "Author:" then the text, in time
// order.
func FollowUpSummary(lines []ChatLine) string {
	sorted := slices.Clone(lines)
	slices.SortStableFunc(sorted, func(a, b ChatLine) int { return a.At.Compare(b.At) })
	var b strings.Builder
	for i, l := range sorted {
		if i > 0 {
			b.WriteString("\n\n")
		}
		author := l.Author
		switch {
		case author != "":
		case l.Direction == conversation.Inbound:
			author = "You"
		default:
			author = "Support"
		}
		b.WriteString(author + ":\n" + l.Text)
	}
	return b.String()
}
