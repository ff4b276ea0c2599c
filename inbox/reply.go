package inbox

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
	"github.com/inboxkit/inboxkit/threading"
)

// Then is what to do right after sending a reply.
type Then uint8

const (
	// ThenNothing: plain Send.
	ThenNothing Then = iota
	// ThenClose: Send & Close, which also removes the conversation from the
	// sender's Inbox.
	ThenClose
	// ThenArchive: Send & Archive.
	ThenArchive
	// ThenSnooze: Send & Snooze with Reply.Snooze.
	ThenSnooze
)

// Reply is an outgoing message recorded in a conversation.
type Reply struct {
	// Account sends the message; zero means the conversation's first
	// account.
	Account conversation.AccountID
	// Message holds To, Cc, Bcc, Subject, Text, Attachments, HeaderID,
	// InReplyTo and References as the transport sent them.
	Message conversation.Message
	Then    Then
	// Snooze applies with ThenSnooze.
	Snooze SnoozeOptions
	// Template is the WhatsApp template the message was sent as; nil for
	// a free-form message.
	Template *channels.TemplateSend
	// OptedOut reports whether an SMS recipient has opted out (the
	// host's channels.OptOuts); nil means nobody has.
	OptedOut func(number string) bool
	// Custom holds the settings of a custom channel account; required to
	// reply on one.
	Custom *channels.CustomSettings
	// CustomSend describes a custom-channel message's recipient fields
	// and alias.
	CustomSend channels.CustomSend
}

// RecordReply records a message the actor sent in a conversation. The actor
// must be allowed to send from the account, and from the alias the message's
// From names if it is one of the account's addresses
// (conversation.CanSendFrom): ErrForbidden otherwise.
//
// If the conversation sits in its team's inbox and the team uses "assign the
// replier" (the default), the actor is assigned, which takes it out of the
// team inbox for everyone. The actor starts watching (unless their
// preference says otherwise) and watchers are brought back to it. In
// single-conversation mode a reply addressed to another team's account moves
// the conversation to that team, "by message".
//
// The message cap holds as for every message (Config.MaxMessages): a reply
// in a full conversation goes to its continuation, the linked conversation
// later messages of the thread go to, or starts it, exactly as the synced
// sent copy of the reply would ([Engine.RecordSent]); the full conversation
// keeps its messages and is read (and closed, archived or snoozed by Then)
// like any conversation replied in. A continuation started this way has the
// sending address's audience and sits in the Sent mailbox.
//
// On a non-email account the channel's send rules apply first
// (channels.CheckSend): the WhatsApp 24-hour and Messenger/Instagram 7-day
// windows since the customer's last message, templates, the SMS recipient
// cap and opt-outs, custom channel settings; a refused send records nothing.
func (e *Engine) RecordReply(ctx context.Context, actor Actor, id conversation.ConversationID, r Reply) (conversation.MessageID, error) {
	if err := e.checkMessage(&r.Message); err != nil {
		return conversation.MessageID{}, err
	}
	var mid conversation.MessageID
	err := e.update(ctx, actor, func(o *op) error { return o.recordReply(id, r, &mid) })
	return mid, err
}

// recordReply is [Engine.RecordReply] inside an operation, after
// checkMessage; it sets *mid to the recorded message.
func (o *op) recordReply(id conversation.ConversationID, r Reply, mid *conversation.MessageID) error {
	u, err := o.loadAsUser(id)
	if err != nil {
		return err
	}
	c := o.conv
	if c.Kind != conversation.Thread {
		return conversation.Errorf(ErrInvalidArgument, "conversation %s has no external channel to reply on", id)
	}
	if c.Trashed {
		return conversation.Errorf(ErrInvalidArgument, "conversation %s is in Trash", id)
	}
	org, err := o.loadOrg(c.Org)
	if err != nil {
		return err
	}
	acctID := r.Account
	if acctID.IsZero() && len(c.Accounts) > 0 {
		acctID = c.Accounts[0]
	}
	// Sent as the account's address, or as the alias the message
	// names (a reply ComposeReply composed from an alias).
	acct, from, err := sendingAccount(o.ctx, o.tx, u, c.Org, acctID, r.Message.From.Address, false)
	if err != nil {
		return err
	}
	m := r.Message.Clone()
	if err := o.checkChannelSend(acct, m, &r); err != nil {
		return err
	}
	m.Direction = conversation.Outbound
	m.Channel = acct.Channel
	m.Account = acct.ID
	m.SentBy = u.ID
	m.From = conversation.Address{Name: u.Name, Address: acct.Address}
	m.From.Address = from
	if m.At.IsZero() {
		m.At = o.now
	}
	// Filed where replies to it will be looked up: the scope of the
	// sending account (explicit placement wins over lookup).
	scope, err := o.sendingScope(org, acct, m)
	if err != nil {
		return err
	}
	tm := threadMessage(scope, m)
	m.Scope = string(scope)
	th, err := o.threader()
	if err != nil {
		return err
	}
	// The cap holds for replies too: a full conversation's reply joins
	// its continuation, or starts one, as the synced sent copy of the
	// same reply would.
	d, err := th.Room(o.ctx, c.ID)
	if err != nil {
		return err
	}
	here := d.Action == threading.Join && d.Conversation == c.ID
	if !here {
		// The actor is done with the full conversation as with any
		// reply: read, and closed, archived or snoozed as asked.
		o.state(u.ID).ReadSeq = c.Seq
		if err := o.replyThen(r); err != nil {
			return err
		}
		sh, _ := acct.SharingFor(from)
		if err := o.outgoingTarget(d, route{acct: acct, sharing: sh}, scope); err != nil {
			return err
		}
		if !o.canAccess(u) {
			// The author sees the conversation their message is in.
			conversation.AddSorted(&o.conv.Users, u.ID)
		}
	}
	c = o.conv
	conversation.AddSorted(&c.Accounts, acct.ID)
	if err := o.addMessage(m); err != nil {
		return err
	}
	*mid = m.ID
	// The recipients become past recipients of the sender, and of the
	// organization when the address is shared.
	sent, _ := acct.SharingFor(from)
	if err := o.recordRecipients(c.Org, u.ID, sent, m); err != nil {
		return err
	}
	if org.MultiTeamMode == conversation.SingleConversation {
		if err := o.moveByMessage(acct, m); err != nil {
			return err
		}
	}
	st := o.state(u.ID)
	st.ReadSeq = c.Seq
	if !u.Prefs.NoWatchOnReply {
		st.Watching = true
	}
	if team := o.teams[c.Team]; c.InTeamInbox && team != nil && team.ReplyFromInbox == conversation.AssignReplier && team.MemberKind(u.ID) != 0 && !c.IsAssigned(u.ID) {
		if err := o.assign([]conversation.UserID{u.ID}, false); err != nil {
			return err
		}
	}
	o.wakeWatchers(u.ID, Replied, true)
	if here {
		if err := o.replyThen(r); err != nil {
			return err
		}
	}
	return o.fileThread(th, tm, d)
}

// replyThen applies what the actor asked to do after sending (Reply.Then)
// to the operation's conversation.
func (o *op) replyThen(r Reply) error {
	switch r.Then {
	case ThenClose:
		return o.close()
	case ThenArchive:
		o.archiveForActor()
	case ThenSnooze:
		return o.snooze(r.Snooze)
	}
	return nil
}

// moveByMessage moves the conversation to the team whose team-inbox
// address an outgoing message names, in single-conversation mode.
func (o *op) moveByMessage(from *conversation.Account, m *conversation.Message) error {
	routes, err := o.routes(from, m)
	if err != nil {
		return err
	}
	for _, r := range routes {
		if r.sharing.Kind != conversation.SharedToTeamInbox || r.sharing.Team == o.conv.Team || r.acct.ID == from.ID {
			continue
		}
		t, err := o.team(r.sharing.Team)
		if err != nil {
			return err
		}
		o.moveTeam(t, true)
		return nil
	}
	return nil
}

// checkChannelSend applies channels.CheckSend to a reply m on a non-email
// account: the customer's last content message is the conversation's
// latest inbound one.
func (o *op) checkChannelSend(acct *conversation.Account, m *conversation.Message, r *Reply) error {
	if acct.Channel == conversation.Email {
		return nil
	}
	msgs, err := o.tx.Messages(o.ctx, o.conv.ID)
	if err != nil {
		return err
	}
	sc := channels.SendContext{Channel: acct.Channel, Template: r.Template, OptedOut: r.OptedOut,
		Custom: r.Custom, CustomSend: r.CustomSend, Now: o.now}
	for _, x := range msgs {
		if x.Direction == conversation.Inbound && x.At.After(sc.LastCustomerInbound) {
			sc.LastCustomerInbound = x.At
		}
	}
	for _, a := range m.To {
		sc.Recipients = append(sc.Recipients, a.Address)
	}
	return channels.CheckSend(sc)
}
