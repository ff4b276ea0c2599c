package inbox

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// RecordSent files a message an account sent outside inboxkit, as sync
// finds it in the provider's Sent mailbox: a reply written in the
// provider's web UI or another client, an auto-responder's answer. Only
// the [System] actor records sync results.
//
// The message is outgoing, sent by the account's owner, and threaded like a
// reply (In-Reply-To, then References, in the account's threading scope): it
// joins the conversation of the message it answers instead of starting a
// duplicate one, which is where the library deliberately does better than
// the documented quirk where mail sent from outside the product comes back
// as a duplicate conversation. A Message-ID already known in the scope (a
// reply sent from inboxkit, or the same message synced from another folder)
// is the same message: in.Ref is recorded as its server reference, or as the
// copy of another account, and nothing else changes ([Delivery.Duplicate]).
//
// A sent message that answers nothing known starts a conversation of its
// own, with the account's access (its owner and delegates, or the audience
// it is shared with), in the Sent mailbox and nobody's Inbox. A joined
// conversation is not reopened, does not return to an Inbox and notifies
// nobody but its watchers (a teammate replied, as with
// [Engine.RecordReply]); the owner has read it up to the sent message. In
// single-conversation mode it moves the conversation "by message" like a
// reply recorded in inboxkit.
func (e *Engine) RecordSent(ctx context.Context, actor Actor, in Incoming) (Delivery, error) {
	if !actor.system {
		return Delivery{}, conversation.Errorf(ErrForbidden, "only the system actor records sync results")
	}
	return e.file(ctx, actor, in, (*op).recordSent)
}

func (o *op) recordSent(in Incoming, res *Delivery) error {
	acct, err := o.tx.Account(o.ctx, in.Account)
	if err != nil {
		return err
	}
	org, err := o.loadOrg(acct.Org)
	if err != nil {
		return err
	}
	m := in.Message.Clone()
	m.Direction = conversation.Outbound
	m.Channel = acct.Channel
	m.Account = acct.ID
	m.SentBy = acct.Owner
	m.Copies = nil
	m.Ref = in.Ref
	if m.From.Address == "" {
		m.From.Address = acct.Address
	}
	if m.At.IsZero() {
		m.At = o.now
	}
	scope, err := o.sendingScope(org, acct, m)
	if err != nil {
		return err
	}
	tm := threadMessage(scope, m)
	// Sent mail is seen through the sending account.
	tm.Audience = audienceKey([]route{{acct: acct, sharing: acct.Sharing}})
	m.Scope = string(scope)
	th, err := o.threader()
	if err != nil {
		return err
	}
	d, err := th.Decide(o.ctx, tm)
	if err != nil {
		return err
	}
	if err := o.checkDecision(&d); err != nil {
		return err
	}
	if d.Action == threading.Duplicate {
		res.Duplicate = true
		res.Conversations = []conversation.ConversationID{d.Conversation}
		return o.attachCopy(org.ID, d.Conversation, m, in.Ref, in.Supersedes)
	}
	if err := o.outgoingTarget(d, route{acct: acct, sharing: acct.Sharing}, scope); err != nil {
		return err
	}
	if d.Action == threading.Join {
		conversation.AddSorted(&o.conv.Users, acct.Owner) // the owner sees all of the account's mail
	}
	if err := o.addMessage(m); err != nil {
		return err
	}
	sh, _ := acct.SharingFor(m.From.Address)
	if err := o.recordRecipients(org.ID, acct.Owner, sh, m); err != nil {
		return err
	}
	c := o.conv
	if org.MultiTeamMode == conversation.SingleConversation {
		// The team of the account that sent the latest message.
		if err := o.moveByMessage(acct, m); err != nil {
			return err
		}
	}
	o.state(acct.Owner).ReadSeq = c.Seq
	o.wakeWatchers(acct.Owner, Replied, true)
	res.Conversations = []conversation.ConversationID{c.ID}
	return o.fileThread(th, tm, d)
}

// outgoingTarget makes the conversation an outgoing message sent through
// route r goes to after decision d the operation's conversation. Join: the
// conversation d names, which gains the sending account. New or Continue
// (the message answers nothing known, or every conversation of its thread
// is full): a new conversation with the access of r (the sending
// account's owner and delegates, or the audience the address is shared
// with), in no one's Inbox or team inbox since it is sent mail waiting on
// nobody; a continuation is linked to the full conversation it continues.
// It is the one place synced sent mail ([Engine.RecordSent]) and replies
// recorded in inboxkit ([Engine.RecordReply]) start conversations.
func (o *op) outgoingTarget(d threading.Decision[conversation.ConversationID], r route, scope threading.Scope) error {
	// Sent mail is seen through the sending account or address.
	audience := audienceKey([]route{r})
	if d.Action == threading.Join {
		if o.conv == nil || o.conv.ID != d.Conversation {
			c, err := o.tx.Conversation(o.ctx, d.Conversation)
			if err != nil {
				return err
			}
			if err := o.switchTo(c, false); err != nil {
				return err
			}
		}
		o.conv.ThreadAudience = joinAudience(o.conv.ThreadAudience, audience)
		conversation.AddSorted(&o.conv.Accounts, r.acct.ID)
		o.touch(false)
		return nil
	}
	c := &conversation.Conversation{ID: conversation.ConversationID(o.e.newID()), Org: r.acct.Org, Kind: conversation.Thread,
		CreatedAt: o.now, Scope: string(scope), ThreadAudience: audience}
	if d.Action == threading.Continue {
		c.ContinuationOf = d.Conversation
	}
	if err := o.switchTo(c, true); err != nil {
		return err
	}
	o.emit(conversation.Event{Type: conversation.EventCreated})
	o.applyRoutes([]route{r})
	if r.sharing.Kind == conversation.SharedToTeamInbox {
		c.Team = r.sharing.Team
	}
	if d.Action == threading.Continue {
		o.emit(conversation.Event{Type: conversation.EventLinked, Related: []conversation.ConversationID{d.Conversation}})
	}
	return nil
}
