package inbox

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/guests"
)

// MarkRead marks everything in the conversation read for the actor only
// (read state is per user). It never changes Inbox or team inbox membership.
func (e *Engine) MarkRead(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.personal(ctx, actor, id, func(o *op, st *conversation.UserState) error {
		st.ReadSeq = o.conv.Seq
		st.SnoozeDue = false
		return nil
	})
}

// MarkUnread marks the latest message or comment unread for the actor.
func (e *Engine) MarkUnread(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.personal(ctx, actor, id, func(o *op, st *conversation.UserState) error {
		if o.conv.Seq > 0 {
			st.ReadSeq = min(st.ReadSeq, o.conv.Seq-1)
		}
		return nil
	})
}

// Star stars (or with on false, unstars) the conversation for the actor.
func (e *Engine) Star(ctx context.Context, actor Actor, id conversation.ConversationID, on bool) error {
	return e.personal(ctx, actor, id, func(_ *op, st *conversation.UserState) error {
		st.Starred = on
		return nil
	})
}

// Pin pins (or unpins) the conversation in the actor's sidebar.
func (e *Engine) Pin(ctx context.Context, actor Actor, id conversation.ConversationID, on bool) error {
	return e.personal(ctx, actor, id, func(_ *op, st *conversation.UserState) error {
		st.Pinned = on
		return nil
	})
}

// Silence mutes (or unmutes) the actor's notifications for the
// conversation; mentions and assignments still notify.
func (e *Engine) Silence(ctx context.Context, actor Actor, id conversation.ConversationID, on bool) error {
	return e.personal(ctx, actor, id, func(_ *op, st *conversation.UserState) error {
		st.Silenced = on
		return nil
	})
}

// Watch makes the actor watch the conversation: any new message, comment or
// task change brings it back to their Inbox. One cannot make someone else
// watch.
func (e *Engine) Watch(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.personal(ctx, actor, id, func(_ *op, st *conversation.UserState) error {
		st.Watching = true
		return nil
	})
}

// Unwatch stops the actor watching: only mentions, assignment and direct
// replies bring it back. Assignees always watch: unassign first.
func (e *Engine) Unwatch(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.personal(ctx, actor, id, func(o *op, st *conversation.UserState) error {
		if o.conv.IsAssigned(st.User) {
			return conversation.Errorf(ErrInvalidArgument, "assignees always watch; unassign yourself first")
		}
		st.Watching = false
		return nil
	})
}

// personal runs a change of the actor's own state of a conversation.
func (e *Engine) personal(ctx context.Context, actor Actor, id conversation.ConversationID, fn func(o *op, st *conversation.UserState) error) error {
	return e.update(ctx, actor, func(o *op) error {
		// Only the actor's state is read and changed: the others are not
		// loaded, and only the actor's placements are rewritten.
		var only []conversation.UserID
		if o.user != nil {
			only = []conversation.UserID{o.user.ID}
		}
		if err := o.loadOnly(id, only); err != nil {
			return err
		}
		u, err := o.reader(guests.PersonalState)
		if err != nil {
			return err
		}
		return fn(o, o.state(u.ID))
	})
}
