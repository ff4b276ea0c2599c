package channels

import (
	"fmt"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// Sentinel errors of the channel rules. Each wraps one of the
// conversation sentinels, so a caller that only knows those still
// classifies the error: policy refusals that depend on the channel or on
// the conversation's state wrap [conversation.ErrInvalidArgument]; refusals
// the recipient or the channel's owner asked for (an opt-out, a disabled
// custom-channel setting) wrap [conversation.ErrForbidden]; the SMS
// recipient cap wraps [conversation.ErrLimitReached].
//
// Where callers need details (ErrOutsideWindow{Window}, ErrNotSupported
// {Feature}, ErrTooManyRecipients{Max}), the error returned is a typed error
// ([*OutsideWindowError], [*NotSupportedError], [*TooManyRecipientsError],
// [*OptedOutError], [*ParameterMismatchError]) that unwraps to the sentinel:
// test with errors.Is, read the fields with errors.As.
var (
	// ErrTooManyRecipients: more recipients than the channel takes in one
	// send (100 phone numbers for SMS).
	ErrTooManyRecipients = conversation.Errorf(conversation.ErrLimitReached, "too many recipients")
	// ErrRecipientOptedOut: the recipient replied STOP (or another opt-out
	// keyword) and has not replied START since.
	ErrRecipientOptedOut = conversation.Errorf(conversation.ErrForbidden, "recipient opted out")
	// ErrOutsideWindow: a free-form reply after the channel's reply window
	// closed (WhatsApp 24 hours; Messenger and Instagram 7 days).
	ErrOutsideWindow = conversation.Errorf(conversation.ErrInvalidArgument, "outside the reply window")
	// ErrTemplateRequired: a new WhatsApp conversation must start with an
	// approved template.
	ErrTemplateRequired = conversation.Errorf(conversation.ErrInvalidArgument, "an approved template is required")
	// ErrParameterMismatch: a WhatsApp template uses named variables, or the
	// parameters given do not match its positional ones. Its text is the
	// error WhatsApp reports.
	ErrParameterMismatch = conversation.Errorf(conversation.ErrInvalidArgument, "Number of parameters does not match")
	// ErrCannotInitiate: the channel lets businesses only answer customers
	// who wrote first (Messenger, Instagram; live chat, where the visitor
	// starts the chat).
	ErrCannotInitiate = conversation.Errorf(conversation.ErrInvalidArgument, "the channel cannot start conversations")
	// ErrNotSupported: the channel or the library does not support the
	// feature (a template media header, splitting a non-email message,
	// sending on a call-log account).
	ErrNotSupported = conversation.Errorf(conversation.ErrInvalidArgument, "not supported")
	// ErrImmutable: the setting cannot be changed after creation (a custom
	// channel's message type).
	ErrImmutable = conversation.Errorf(conversation.ErrInvalidArgument, "cannot be changed after creation")
	// ErrReceiveOnly: the channel only receives (the email type of custom
	// channels).
	ErrReceiveOnly = conversation.Errorf(conversation.ErrInvalidArgument, "the channel is receive-only")
	// ErrNotAllowed: the custom channel's settings do not allow this
	// (allow_new, allow_reply, allow_edit_recipients and the recipient
	// fields).
	ErrNotAllowed = conversation.Errorf(conversation.ErrForbidden, "not allowed by the channel settings")
)

// TooManyRecipientsError is [ErrTooManyRecipients] with the cap and the
// number of distinct recipients asked for.
type TooManyRecipientsError struct {
	Max, Got int
}

func (e *TooManyRecipientsError) Error() string {
	return fmt.Sprintf("%v: %d recipients, at most %d per send", ErrTooManyRecipients, e.Got, e.Max)
}

// Unwrap returns [ErrTooManyRecipients].
func (e *TooManyRecipientsError) Unwrap() error { return ErrTooManyRecipients }

// OptedOutError is [ErrRecipientOptedOut] naming the opted-out numbers.
type OptedOutError struct {
	Recipients []string
}

func (e *OptedOutError) Error() string {
	return fmt.Sprintf("%v: %s", ErrRecipientOptedOut, strings.Join(e.Recipients, ", "))
}

// Unwrap returns [ErrRecipientOptedOut].
func (e *OptedOutError) Unwrap() error { return ErrRecipientOptedOut }

// OutsideWindowError is [ErrOutsideWindow] with the window that closed
// and when it closed (the zero time when the customer never wrote).
type OutsideWindowError struct {
	Window   time.Duration
	ClosedAt time.Time
}

func (e *OutsideWindowError) Error() string {
	if e.ClosedAt.IsZero() {
		return fmt.Sprintf("%v: no customer message opened the %s window", ErrOutsideWindow, windowText(e.Window))
	}
	return fmt.Sprintf("%v: the %s window closed at %s", ErrOutsideWindow, windowText(e.Window), e.ClosedAt.UTC().Format(time.RFC3339))
}

// Unwrap returns [ErrOutsideWindow].
func (e *OutsideWindowError) Unwrap() error { return ErrOutsideWindow }

// NotSupportedError is [ErrNotSupported] naming the feature.
type NotSupportedError struct {
	Feature string
}

func (e *NotSupportedError) Error() string {
	return fmt.Sprintf("%v: %s", ErrNotSupported, e.Feature)
}

// Unwrap returns [ErrNotSupported].
func (e *NotSupportedError) Unwrap() error { return ErrNotSupported }

// ParameterMismatchError is [ErrParameterMismatch] with what the template
// expects and what was given. Named lists the named variables found
// ({{Name}} gives "Name"); when it is not empty, Want counts only the
// positional ones.
type ParameterMismatchError struct {
	Part      string // "body" or "header"
	Want, Got int
	Named     []string
}

func (e *ParameterMismatchError) Error() string {
	if len(e.Named) > 0 {
		return fmt.Sprintf("%v: template %s uses named variables {{%s}}; WhatsApp needs positional ones ({{1}}, {{2}}, ...)",
			ErrParameterMismatch, e.Part, strings.Join(e.Named, "}}, {{"))
	}
	return fmt.Sprintf("%v: template %s has %d variables, %d parameters given", ErrParameterMismatch, e.Part, e.Want, e.Got)
}

// Unwrap returns [ErrParameterMismatch].
func (e *ParameterMismatchError) Unwrap() error { return ErrParameterMismatch }

// windowText renders 24h as "24h" and whole days as "7d".
func windowText(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d >= 2*day && d%day == 0:
		return fmt.Sprintf("%dd", d/day)
	case d > 0 && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return d.String()
}

// invalid returns an error wrapping conversation.ErrInvalidArgument.
func invalid(format string, args ...any) error {
	return conversation.Errorf(conversation.ErrInvalidArgument, format, args...)
}

// wrap returns an error wrapping sentinel with a formatted explanation.
func wrap(sentinel error, format string, args ...any) error {
	return conversation.Errorf(sentinel, format, args...)
}
