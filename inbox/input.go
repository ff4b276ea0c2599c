package inbox

import (
	"github.com/inboxkit/inboxkit/conversation"
)

// needID refuses the zero ID with ErrInvalidArgument: no entity has it,
// so it is a caller's mistake (a forgotten field), not a missing entity,
// and it is answered before anything is read. what names the argument in
// the message.
func needID[K any](what string, id conversation.ID[K]) error {
	if id.IsZero() {
		return conversation.Errorf(ErrInvalidArgument, "no %s given: the ID is zero", what)
	}
	return nil
}
