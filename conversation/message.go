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
	Subject      string
	Text         string
	Attachments  []Attachment
	// HeaderID is the RFC 5322 Message-ID (without angle brackets).
	HeaderID string
	// InReplyTo and References are the parent ids the message names
	// (without angle brackets).
	InReplyTo  []string
	References []string
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
	d.Attachments = slices.Clone(m.Attachments)
	d.InReplyTo = slices.Clone(m.InReplyTo)
	d.References = slices.Clone(m.References)
	return &d
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
