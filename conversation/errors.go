package conversation

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error inboxkit returns wraps exactly one of them, so
// callers test with [errors.Is] and read the message for the detail.
var (
	// ErrNotFound: the entity does not exist, or the actor may not know it
	// exists. An actor who cannot see a conversation gets ErrNotFound for
	// every operation on it, never ErrForbidden, so the two cases cannot be
	// told apart.
	ErrNotFound = errors.New("inboxkit: not found")
	// ErrForbidden: the actor can see the target but may not do this to it.
	ErrForbidden = errors.New("inboxkit: forbidden")
	// ErrConflict: the write raced another one, or would break a uniqueness
	// rule (an address routed twice, a handle taken).
	ErrConflict = errors.New("inboxkit: conflict")
	// ErrInvalidArgument: the request is malformed or does not apply to the
	// target in its current state (closing a room, unwatching while assigned).
	ErrInvalidArgument = errors.New("inboxkit: invalid argument")
	// ErrLimitReached: a documented quota would be exceeded (teams per
	// organization, messages per conversation, ...).
	ErrLimitReached = errors.New("inboxkit: limit reached")
)

// errorf wraps sentinel with a formatted message.
func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}

// Errorf returns an error that wraps sentinel (one of the Err* values) and
// carries a formatted explanation. Other inboxkit packages use it so that
// every error message starts with the sentinel's text.
func Errorf(sentinel error, format string, args ...any) error {
	return errorf(sentinel, format, args...)
}
