package inbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/mail"
	"github.com/inboxkit/inboxkit/storage"
)

// RawIncoming is an RFC 5322 message as a transport fetched it (an IMAP
// BODY[], a file of a maildir, an SMTP DATA stream).
type RawIncoming struct {
	// Account received (or, for RecordSentRaw, sent) the message.
	Account conversation.AccountID
	// Ref is the transport's reference of this copy; see Incoming.Ref.
	Ref string
	// Supersedes is a prefix of stale references this copy replaces; see
	// Incoming.Supersedes.
	Supersedes string
	// Message is the raw message. It is read up to Config.MaxMessageSize
	// (plus one byte, to tell a message that is too large).
	Message io.Reader
}

// ParseMessage parses an RFC 5322/MIME message the way DeliverRaw does,
// without delivering it: decoded headers and bodies, attachment metadata,
// the text without the quoted reply, the automated flag, and Defects for
// what could not be decoded (package conversation/mail). It fails only
// with mail.ErrTooLarge (an ErrLimitReached) and mail.ErrNotMessage (an
// ErrInvalidArgument).
func (e *Engine) ParseMessage(r io.Reader) (*conversation.Message, error) {
	return e.parser.Parse(r)
}

// DeliverRaw parses in.Message (see [Engine.ParseMessage]) and delivers it
// like [Engine.Deliver]. Malformed mail is delivered with what could be
// read (its Defects say what could not); only a message over
// Config.MaxMessageSize, or input with no header at all, is refused, and
// then nothing is stored.
func (e *Engine) DeliverRaw(ctx context.Context, actor Actor, in RawIncoming) (Delivery, error) {
	if !actor.system {
		return Delivery{}, conversation.Errorf(ErrForbidden, "only the system actor delivers mail")
	}
	m, err := e.parseRaw(in)
	if err != nil {
		return Delivery{}, err
	}
	return e.Deliver(ctx, actor, m)
}

// RecordSentRaw parses in.Message and records it like [Engine.RecordSent]:
// the account's own mail, seen in the provider's Sent folder.
func (e *Engine) RecordSentRaw(ctx context.Context, actor Actor, in RawIncoming) (Delivery, error) {
	if !actor.system {
		return Delivery{}, conversation.Errorf(ErrForbidden, "only the system actor records synced mail")
	}
	m, err := e.parseRaw(in)
	if err != nil {
		return Delivery{}, err
	}
	return e.RecordSent(ctx, actor, m)
}

// parseRaw checks and parses a raw message: a zero account or a nil
// reader is ErrInvalidArgument, before anything is read.
func (e *Engine) parseRaw(in RawIncoming) (Incoming, error) {
	if err := needID("account", in.Account); err != nil {
		return Incoming{}, err
	}
	m, err := e.parser.Parse(in.Message)
	if err != nil {
		return Incoming{}, err
	}
	return Incoming{Account: in.Account, Ref: in.Ref, Supersedes: in.Supersedes, Message: *m}, nil
}

// ReplyDraft is what a user writes to answer a conversation.
type ReplyDraft struct {
	// Account sends the reply; zero means the account of the message
	// answered (or the conversation's first account).
	Account conversation.AccountID
	// From is the address to send as: the account's address (the
	// default) or one of its shared addresses (an alias).
	From string
	// Parent is the message answered; zero means the conversation's
	// latest message.
	Parent conversation.MessageID
	// To, Cc, Bcc and ReplyTo are the recipients; a nil To answers the
	// parent's Reply-To or From (for a parent that was sent, its To and
	// Cc).
	To, Cc, Bcc, ReplyTo []conversation.Address
	// Text and HTML are the bodies.
	Text, HTML string
	// Attachments are sent with their content.
	Attachments []mail.Attachment
}

// Composed is a reply ready to send: the message to record with
// [Engine.RecordReply] once the transport has sent Raw.
type Composed struct {
	// Account sends it.
	Account conversation.AccountID
	// Message holds the header fields and bodies: a new HeaderID,
	// In-Reply-To the parent's id, References the parent's plus the parent's
	// id (bounded by Config.MaxReferences, the root kept), the Subject of
	// the parent's email with one "Re: " (never the conversation's custom
	// subject), From the account address or alias.
	Message conversation.Message
	// Raw is the RFC 5322 message to hand to the transport (Bcc not
	// written: give it to the transport's envelope).
	Raw []byte
}

// ComposeReply composes the actor's reply in conversation id, without
// recording or sending anything. The actor must see the conversation and be
// a member (never a guest) who may send from the account and address
// (conversation.CanSendFrom); the account must belong to the conversation's
// organization, and From must be one of its addresses. The message is
// rendered after the read transaction, so reading the attachments' content
// holds no lock of the store.
func (e *Engine) ComposeReply(ctx context.Context, actor Actor, id conversation.ConversationID, d ReplyDraft) (*Composed, error) {
	var (
		parent *conversation.Message
		acct   *conversation.Account
		from   conversation.Address
	)
	err := e.view(ctx, actor, func(tx storage.ReadTx, u *conversation.User) error {
		c, _, err := readable(ctx, tx, u, id)
		if err != nil {
			return err
		}
		if u.Role == conversation.RoleGuest {
			return conversation.Errorf(ErrGuestForbidden, "guests cannot reply externally")
		}
		msgs, err := tx.Messages(ctx, id)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if d.Parent.IsZero() || m.ID == d.Parent {
				parent = m
			}
		}
		if parent == nil {
			return conversation.Errorf(ErrNotFound, "message %s in conversation %s", d.Parent, id)
		}
		acctID := d.Account
		switch {
		case !acctID.IsZero():
		case !parent.Account.IsZero():
			acctID = parent.Account
		case len(c.Accounts) > 0:
			acctID = c.Accounts[0]
		}
		var addr string
		if acct, addr, err = sendingAccount(ctx, tx, u, c.Org, acctID, d.From, true); err != nil {
			return err
		}
		if acct.Channel != conversation.Email {
			return conversation.Errorf(ErrInvalidArgument, "account %s is a %s account; only email is composed here", acct.ID, acct.Channel)
		}
		from = conversation.Address{Name: u.Name, Address: addr}
		return nil
	})
	if err != nil {
		return nil, err
	}
	host := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	cp, err := mail.NewComposer(mail.ComposerOptions{IDHost: host, Rand: e.random, MaxReferences: e.maxRefs, Now: e.clock.Now})
	if err != nil {
		return nil, fmt.Errorf("account %s cannot send email: %w", acct.ID, err)
	}
	m, err := cp.Reply(parent, mail.Draft{From: from,
		To: d.To, Cc: d.Cc, Bcc: d.Bcc, ReplyTo: d.ReplyTo, Text: d.Text, HTML: d.HTML, Attachments: d.Attachments})
	if err != nil {
		return nil, err
	}
	if err := e.checkMessage(m); err != nil {
		return nil, err
	}
	var raw bytes.Buffer
	if err := cp.Render(&raw, m, d.Attachments); err != nil {
		return nil, err
	}
	return &Composed{Account: acct.ID, Message: *m, Raw: raw.Bytes()}, nil
}

// sendingAccount loads account id of org for u to send from and returns it
// with the address to send as: from when it is one of the account's
// addresses (an alias), else the account's own. A from that is not the
// account's is ErrInvalidArgument when strict, and ignored otherwise (a
// transport's From line). ErrNotFound for an account of another organization
// or none; ErrForbidden when u may not send from the address
// (conversation.CanSendFrom).
func sendingAccount(ctx context.Context, tx storage.ReadTx, u *conversation.User, org conversation.OrgID, id conversation.AccountID, from string, strict bool) (*conversation.Account, string, error) {
	acct, err := tx.Account(ctx, id)
	if err != nil || acct.Org != org {
		return nil, "", conversation.Errorf(ErrNotFound, "account %s", id)
	}
	addr := acct.Address
	if from != "" {
		if _, own := acct.SharingFor(from); own {
			addr = conversation.CanonicalAddress(from)
		} else if strict {
			return nil, "", conversation.Errorf(ErrInvalidArgument, "%s is not an address of account %s", from, acct.ID)
		}
	}
	teams := conversation.Teams{}
	if sh, _ := acct.SharingFor(addr); sh.Kind == conversation.SharedToTeamInbox {
		t, err := tx.Team(ctx, sh.Team)
		if err != nil && !isNotFound(err) {
			return nil, "", err
		}
		teams[sh.Team] = t
	}
	if !conversation.CanSendFrom(acct, addr, u, teams) {
		return nil, "", conversation.Errorf(ErrForbidden, "%s may not send from %s", u.Name, addr)
	}
	return acct, addr, nil
}
