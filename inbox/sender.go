package inbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/inboxkit/inboxkit/conversation"
)

// Sender hands outgoing mail to a mail transport. The host implements it,
// or uses a ready-made implementation such as the SMTP one in package
// inbox/smtpsend. The engine calls it from its send jobs, never while a
// store transaction is open.
//
// Send must either deliver the message to the transport and return nil, or
// return an error. A *SendError tells the engine whether to retry: a
// temporary failure (an SMTP 4xx reply, a dropped connection) is retried
// with backoff, a permanent one (an SMTP 5xx reply, a message the server
// refuses for its size) fails the job and reports a failed delivery. Any
// other error is treated as temporary.
type Sender interface {
	Send(ctx context.Context, m *Outgoing) error
}

// SenderFunc adapts a function to a [Sender].
type SenderFunc func(ctx context.Context, m *Outgoing) error

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, m *Outgoing) error { return f(ctx, m) }

// Envelope is the SMTP envelope of an outgoing message: the reverse path
// and every recipient, Bcc recipients included (they never appear in the
// message's header).
type Envelope struct {
	// From is the envelope sender (MAIL FROM), the sending account's
	// address.
	From string
	// To lists every recipient (RCPT TO): the To, Cc and Bcc addresses,
	// each once.
	To []string
}

// Outgoing is one message to send.
type Outgoing struct {
	// Org and Account identify the sending account; a Sender serving
	// several accounts picks the server and credentials by Account.
	Org     conversation.OrgID
	Account conversation.AccountID
	// Conversation is the conversation the message belongs to, zero for
	// none.
	Conversation conversation.ConversationID
	// HeaderID is the message's Message-ID header value, without angle
	// brackets; the same on every attempt to send the same message.
	HeaderID string
	// Envelope is where the message goes.
	Envelope Envelope
	// Raw is the RFC 5322 message exactly as it is to be sent, without a
	// Bcc header.
	Raw []byte
}

// SendError is a failed send, classified for retrying.
type SendError struct {
	// Permanent is set when sending again cannot succeed (an SMTP 5xx
	// reply, a message over the server's size limit, a refused
	// recipient); the job then fails for good.
	Permanent bool
	// Code is the SMTP reply code when the server gave one, else zero.
	Code int
	// Err is the underlying error.
	Err error
}

// Error describes the failure.
func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	if e.Code != 0 {
		return fmt.Sprintf("send failed (%s, code %d): %v", kind, e.Code, e.Err)
	}
	return fmt.Sprintf("send failed (%s): %v", kind, e.Err)
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// IsPermanentSendError reports whether err is, or wraps, a [SendError]
// marked permanent.
func IsPermanentSendError(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}
