package conversation

import (
	"slices"
	"time"
)

// Direction says whether a message came in or went out.
type Direction uint8

const (
	// Inbound messages were received from outside.
	Inbound Direction = iota
	// Outbound messages were sent by a user.
	Outbound
)

// Address is a participant address: an email address, a phone number, a
// platform user id.
type Address struct {
	Name    string
	Address string
}

// Attachment is the metadata of an attached file; inboxkit never stores the
// bytes.
type Attachment struct {
	Name        string
	ContentType string
	Size        int64
	// ContentID is set for inline parts.
	ContentID string
}

// Message is an external message: an email, SMS, WhatsApp or social
// message, a live chat line.
type Message struct {
	ID           MessageID
	Conversation ConversationID
	Account      AccountID
	Direction    Direction
	Channel      Channel
	From         Address
	To, Cc, Bcc  []Address
	// ReplyTo is the Reply-To header: where replies go instead of From.
	ReplyTo []Address
	// DeliveredTo is the Delivered-To trace (the addresses the receiving
	// transport delivered to), used for routing.
	DeliveredTo []Address
	Subject     string
	// Text is the plain-text body (decoded to UTF-8); for HTML-only mail,
	// a text rendering of the HTML.
	Text string
	// HTML is the HTML body (decoded to UTF-8), when the message has one.
	HTML string
	// Unquoted is Text without the quoted reply and the signature: what
	// the sender wrote in this message. The parser (package
	// conversation/mail) always sets it: it equals Text when nothing was
	// quoted, and is empty when the message is all quote.
	Unquoted    string
	Attachments []Attachment
	// Automated says the message was sent by a machine, not a person
	// (Auto-Submitted, Precedence bulk/list/junk, List-Unsubscribe, the
	// common auto-reply headers); AutomatedBy names the header that said
	// so.
	Automated   bool
	AutomatedBy string
	// ListID and MailingList are the raw List-Id and Mailing-list header
	// values of mail that came through a group, used for routing; empty
	// otherwise.
	ListID, MailingList string
	// Size is the size of the raw message in bytes, when it was parsed
	// from one.
	Size int64
	// Defects lists what the parser could not decode (an unknown charset,
	// a malformed part); the message is kept with what could be read.
	Defects []string
	// HeaderID is the RFC 5322 Message-ID (without angle brackets).
	HeaderID string
	// InReplyTo and References are the parent ids the message names
	// (without angle brackets).
	InReplyTo  []string
	References []string
	// Scope is the threading scope the message was filed in; a moved message
	// keeps it, so replies still find it.
	Scope string
	// Ref is the transport's reference of the copy of Account the
	// message was first filed from (for IMAP: mailbox, UIDVALIDITY and
	// UID), opaque to inboxkit; empty when the message was recorded by
	// inboxkit itself and not yet seen on the server.
	Ref string
	// Copies are the other accounts' copies of the message: the same
	// Message-ID received again in the same scope attaches a copy instead of
	// a second message.
	Copies []Copy
	// SentBy is the user who sent an outbound message.
	SentBy UserID
	At     time.Time
	// Seq is the message's place in the conversation's content order.
	Seq uint64
}

// Clone returns a deep copy.
func (m *Message) Clone() *Message {
	d := *m
	d.To = slices.Clone(m.To)
	d.Cc = slices.Clone(m.Cc)
	d.Bcc = slices.Clone(m.Bcc)
	d.ReplyTo = slices.Clone(m.ReplyTo)
	d.DeliveredTo = slices.Clone(m.DeliveredTo)
	d.Defects = slices.Clone(m.Defects)
	d.Attachments = slices.Clone(m.Attachments)
	d.InReplyTo = slices.Clone(m.InReplyTo)
	d.References = slices.Clone(m.References)
	d.Copies = slices.Clone(m.Copies)
	return &d
}

// Copy is one more account's copy of a message.
type Copy struct {
	Account AccountID
	// Ref is the transport's reference of the copy (for IMAP, mailbox,
	// UIDVALIDITY and UID), opaque to inboxkit.
	Ref string
	At  time.Time
}

// Mention is one resolved @mention in a comment.
type Mention struct {
	// Exactly one of User, Team or All is set.
	User UserID
	Team TeamID
	All  bool
}

// Comment is an internal chat post; external recipients never see it.
type Comment struct {
	ID           CommentID
	Conversation ConversationID
	Author       UserID
	Body         string
	Mentions     []Mention
	Attachments  []Attachment
	At           time.Time
	Seq          uint64
}

// Clone returns a deep copy.
func (c *Comment) Clone() *Comment {
	d := *c
	d.Mentions = slices.Clone(c.Mentions)
	d.Attachments = slices.Clone(c.Attachments)
	return &d
}
