package inbox

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
)

// RefuseMergeWithGuestsForTest runs the merge operation's guest check on
// one conversation as actor would, for tests of package inbox_test (the
// merge operation itself is not on this branch).
func (e *Engine) RefuseMergeWithGuestsForTest(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.update(ctx, actor, func(o *op) error {
		if err := o.load(id); err != nil {
			return err
		}
		return o.refuseMergeWithGuests(o.conv)
	})
}
