package inbox

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
	"github.com/inboxkit/inboxkit/triage"
)

// RemoveUser takes user u out of a conversation ("remove from
// conversation"): u loses access to it, whatever grants it (explicit
// access, a team, an assignment), until someone shares it with u again
// ([Engine.AddPeople], a mention, an assignment). Anyone who may see the
// conversation may remove anyone but the last user who can see it,
// themselves included.
//
// Emails that came from u's personal accounts (messages u's own private
// accounts received or sent, filed in their private threading scope) are
// pulled out to preserve the privacy of u's mailbox: they move together into
// a new private conversation only u can see, in u's Inbox if the
// conversation was there, archived otherwise, and replies to them follow.
// Where each was, the conversation keeps a
// [conversation.EventMessageWithdrawn] notice naming u ("Message was deleted
// because [User] was removed from the conversation"); an
// [conversation.EventUnshared] records the removal. Re-adding u and merging
// the private conversation back restores the messages.
//
// The messages that moved are only those received on (or sent through)
// u's personal account; another account's message of which u's account
// holds a copy stays, as it is not u's alone.
func (e *Engine) RemoveUser(ctx context.Context, actor Actor, id conversation.ConversationID, u conversation.UserID) error {
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		if o.user == nil {
			return conversation.Errorf(ErrForbidden, "removing a user from a conversation needs a user actor")
		}
		c := o.conv
		target, err := o.tx.User(o.ctx, u)
		if err != nil || target.Org != c.Org || !o.canAccess(target) {
			return conversation.Errorf(ErrInvalidArgument, "user %s is not in conversation %s", u, id)
		}
		if target.Role == conversation.RoleGuest {
			return conversation.Errorf(ErrInvalidArgument, "%s is a guest: guests leave a conversation through RemoveGuest", target.Name)
		}
		if audience := conversation.Audience(c, o.states, o.teams); len(audience) <= 1 {
			return conversation.Errorf(ErrInvalidArgument, "user %s is the only one who can see conversation %s", u, id)
		}
		org, err := o.loadOrg(c.Org)
		if err != nil {
			return err
		}
		private, rest, err := o.personalMessages(org, u)
		if err != nil {
			return err
		}
		before := o.peek(u)
		var was conversation.UserState
		if before != nil {
			was = *before.Clone()
		}

		// u leaves the conversation.
		conversation.RemoveSorted(&c.Users, u)
		o.unassign([]conversation.UserID{u})
		o.apply(ptr(triage.Leave(u)))
		st := o.state(u)
		st.Removed, st.Watching, st.Snooze, st.Pinned, st.SnoozeDue = true, false, nil, false, false
		o.emit(conversation.Event{Type: conversation.EventUnshared, Users: []conversation.UserID{u}})
		o.touch(false)
		if len(private) == 0 {
			return nil
		}
		for _, m := range private {
			o.emit(conversation.Event{Type: conversation.EventMessageWithdrawn, Message: m.ID, Users: []conversation.UserID{u}})
		}
		recount(c, rest)
		for _, a := range accountsOf(private) {
			if !holdsAccount(rest, a) {
				conversation.RemoveSorted(&c.Accounts, a)
			}
		}

		// The private conversation of u's messages.
		nc := &conversation.Conversation{ID: conversation.ConversationID(o.e.newID()), Org: c.Org, Kind: conversation.Thread,
			CreatedAt: o.now, Scope: private[0].Scope, Users: []conversation.UserID{u}, Accounts: accountsOf(private)}
		if err := o.switchTo(nc, true); err != nil {
			return err
		}
		o.emit(conversation.Event{Type: conversation.EventCreated})
		th, err := o.threader()
		if err != nil {
			return err
		}
		read := true
		for _, m := range private {
			if err := o.tx.MoveMessage(o.ctx, m.ID, nc.ID); err != nil {
				return err
			}
			read = read && m.Seq <= was.ReadSeq
			nc.Seq++
			m.Conversation, m.Seq = nc.ID, nc.Seq
			if err := o.tx.UpdateMessage(o.ctx, m); err != nil {
				return err
			}
			if m.HeaderID != "" && m.Scope != "" {
				if err := th.Moved(o.ctx, threading.Scope(m.Scope), m.HeaderID, nc.ID); err != nil {
					return err
				}
			}
			o.emit(conversation.Event{Type: conversation.EventForked, Message: m.ID, Related: []conversation.ConversationID{id}})
		}
		recount(nc, private)
		o.apply(ptr(triage.Carry(map[conversation.UserID]*conversation.UserState{u: &was})))
		mine := o.state(u)
		mine.Watching, mine.Starred = was.Watching, was.Starred
		if read {
			mine.ReadSeq = nc.Seq
		}
		o.touch(true)
		return nil
	})
}

// personalMessages splits the operation's conversation's messages into
// those of u's personal accounts, filed in such an account's private
// scope, and the rest, both in Seq order.
func (o *op) personalMessages(org *conversation.Org, u conversation.UserID) (private, rest []*conversation.Message, err error) {
	msgs, err := o.tx.Messages(o.ctx, o.conv.ID)
	if err != nil {
		return nil, nil, err
	}
	accts := map[conversation.AccountID]*conversation.Account{}
	for _, m := range msgs {
		a, ok := accts[m.Account]
		if !ok && !m.Account.IsZero() {
			a, err = o.tx.Account(o.ctx, m.Account)
			if isNotFound(err) {
				a, err = nil, nil
			}
			if err != nil {
				return nil, nil, err
			}
			accts[m.Account] = a
		}
		if a != nil && a.Owner == u && m.Scope == string(accountScope(org, a, conversation.Sharing{})) {
			private = append(private, m)
		} else {
			rest = append(rest, m)
		}
	}
	return private, rest, nil
}

// recount sets what a conversation derives from its messages, msgs in Seq
// order: the count, the latest message's Seq, whether one is outgoing,
// and the subject of the latest that has one.
func recount(c *conversation.Conversation, msgs []*conversation.Message) {
	c.Messages, c.MessageSeq, c.HasSent = len(msgs), 0, false
	for _, m := range msgs {
		c.MessageSeq = max(c.MessageSeq, m.Seq)
		c.HasSent = c.HasSent || m.Direction == conversation.Outbound
		if m.Subject != "" {
			c.Subject = m.Subject
		}
	}
	if c.Seq < c.MessageSeq {
		c.Seq = c.MessageSeq
	}
}

// accountsOf returns the sorted accounts of msgs.
func accountsOf(msgs []*conversation.Message) []conversation.AccountID {
	var out []conversation.AccountID
	for _, m := range msgs {
		if !m.Account.IsZero() {
			conversation.AddSorted(&out, m.Account)
		}
	}
	return out
}

// holdsAccount reports whether a message of msgs, or a copy, is on a.
func holdsAccount(msgs []*conversation.Message, a conversation.AccountID) bool {
	for _, m := range msgs {
		if m.Account == a {
			return true
		}
		for _, cp := range m.Copies {
			if cp.Account == a {
				return true
			}
		}
	}
	return false
}
