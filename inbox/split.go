package inbox

import (
	"context"
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
	"github.com/inboxkit/inboxkit/threading"
	"github.com/inboxkit/inboxkit/triage"
)

// SplitOptions tune [Engine.Split]. The zero value moves the message to a
// new private conversation.
type SplitOptions struct {
	// Shared makes the new conversation "New shared conversation": it gets
	// the original's team, teams, users and accounts (out of the team
	// inbox). Otherwise only the actor sees it.
	Shared bool
}

// Split moves one email out of a conversation into a new one of its own and
// returns the new conversation. Later replies to the email follow it. Both
// conversations get a fork event. Comments cannot move
// ([ErrCommentsNotMovable]); only email can be split (WhatsApp and the other
// channels keep one conversation per contact: [channels.ErrNotSupported]),
// and never a conversation's only message.
func (e *Engine) Split(ctx context.Context, actor Actor, id conversation.ConversationID, msg conversation.MessageID, opts SplitOptions) (conversation.ConversationID, error) {
	var out conversation.ConversationID
	err := e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAsUser(id)
		if err != nil {
			return err
		}
		if err := needID("message", msg); err != nil {
			return err
		}
		orig := o.conv
		msgs, err := o.tx.Messages(o.ctx, id)
		if err != nil {
			return err
		}
		var m *conversation.Message
		var rest []*conversation.Message
		for _, x := range msgs {
			if x.ID == msg {
				m = x
			} else {
				rest = append(rest, x)
			}
		}
		if m == nil {
			comments, err := o.tx.Comments(o.ctx, id)
			if err != nil {
				return err
			}
			for _, k := range comments {
				if k.ID == conversation.CommentID(msg) {
					return conversation.Errorf(ErrCommentsNotMovable, "comment %s", msg)
				}
			}
			return conversation.Errorf(ErrNotFound, "message %s in conversation %s", msg, id)
		}
		if err := channels.CheckSplit(m.Channel); err != nil {
			return err
		}
		if len(rest) == 0 {
			return conversation.Errorf(ErrInvalidArgument, "message %s is the only message of conversation %s", msg, id)
		}

		// The original loses the message.
		recount(orig, rest)
		nc := &conversation.Conversation{
			ID: conversation.ConversationID(o.e.newID()), Org: orig.Org, Kind: conversation.Thread,
			CreatedAt: o.now, Scope: m.Scope, Subject: m.Subject, Messages: 1, Seq: 1, MessageSeq: 1,
			HasSent: m.Direction == conversation.Outbound,
			// The message arrived with the original's audience, if it
			// had a single one.
			ThreadAudience: orig.ThreadAudience,
		}
		conversation.AddSorted(&nc.Users, u.ID)
		if !m.Account.IsZero() {
			conversation.AddSorted(&nc.Accounts, m.Account)
		}
		if opts.Shared {
			nc.Team = orig.Team
			for _, t := range orig.Teams {
				conversation.AddSorted(&nc.Teams, t)
			}
			nc.MentionTeams = slices.Clone(orig.MentionTeams)
			for _, x := range orig.Users {
				conversation.AddSorted(&nc.Users, x)
			}
			for _, a := range orig.Accounts {
				conversation.AddSorted(&nc.Accounts, a)
			}
		}
		o.emit(conversation.Event{Type: conversation.EventForked, Message: m.ID, Related: []conversation.ConversationID{nc.ID}})
		o.touch(false)
		if err := o.switchTo(nc, true); err != nil {
			return err
		}
		if err := o.tx.MoveMessage(o.ctx, m.ID, nc.ID); err != nil {
			return err
		}
		m.Conversation, m.Seq = nc.ID, 1
		if err := o.tx.UpdateMessage(o.ctx, m); err != nil {
			return err
		}
		if m.HeaderID != "" && m.Scope != "" {
			th, err := o.threader()
			if err != nil {
				return err
			}
			if err := th.Moved(o.ctx, threading.Scope(m.Scope), m.HeaderID, nc.ID); err != nil {
				return err
			}
		}
		o.emit(conversation.Event{Type: conversation.EventForked, Message: m.ID, Related: []conversation.ConversationID{id}})
		o.apply(ptr(triage.Join(u.ID)))
		o.state(u.ID).ReadSeq = nc.Seq
		o.touch(true)
		out = nc.ID
		return nil
	})
	return out, err
}
