package inbox

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// SendOptions adjust [Engine.SendReply]. The zero value sends as soon as
// [Engine.RunDue] runs, and does nothing after.
type SendOptions struct {
	// At is when to send; zero means now. A later time sends later.
	At time.Time
	// Then and Snooze are applied when the reply is recorded, as with
	// [Engine.RecordReply].
	Then   Then
	Snooze SnoozeOptions
}

// Queued is a reply queued for sending.
type Queued struct {
	// Job names the send job (see [Engine.SendStatus]).
	Job          string
	Conversation conversation.ConversationID
	// HeaderID is the Message-ID the reply is sent with, on every attempt.
	HeaderID string
	// At is when the first attempt is due.
	At time.Time
}

// SendState is where a queued reply stands.
type SendState uint8

// The send states.
const (
	// SendQueued: not sent yet; it is due, or waiting for a retry.
	SendQueued SendState = iota + 1
	// SendSent: the transport took it and it is recorded in the
	// conversation.
	SendSent
	// SendFailed: the transport refused it for good, or every attempt
	// failed; a "delivery failed" event and notification said so.
	SendFailed
)

// String returns "queued", "sent" or "failed".
func (s SendState) String() string {
	switch s {
	case SendQueued:
		return "queued"
	case SendSent:
		return "sent"
	case SendFailed:
		return "failed"
	}
	return "unknown"
}

// Send retries: a temporary failure is tried again after sendBackoff,
// doubled after each failure up to maxSendBackoff, at most maxSendAttempts
// times in all.
const (
	sendBackoff     = time.Minute
	maxSendBackoff  = time.Hour
	maxSendAttempts = 8
)

// sendJob is the payload of a send job: everything needed to send the
// reply and record it, without the draft.
type sendJob struct {
	Actor        conversation.UserID         `json:"actor"`
	Org          conversation.OrgID          `json:"org"`
	Conversation conversation.ConversationID `json:"conversation"`
	Account      conversation.AccountID      `json:"account"`
	Message      conversation.Message        `json:"message"`
	Envelope     Envelope                    `json:"envelope"`
	Raw          []byte                      `json:"raw"`
	Then         Then                        `json:"then"`
	Snooze       SnoozeOptions               `json:"snooze"`
}

// SendReply composes the actor's reply (as [Engine.ComposeReply] does)
// and queues it for sending through Config.Sender: a durable job in the
// store's schedule, run by [Engine.RunDue]. When the transport takes it,
// the reply is recorded in the conversation as [Engine.RecordReply]
// records one, by the same actor. A temporary failure is retried with
// exponential backoff; a permanent one, or too many temporary ones, fails
// the job with a "delivery failed" event in the conversation and a
// notification to the actor, and records nothing.
//
// Sending is at least once: an engine that dies after the transport took
// the message but before recording it sends it again when the job's
// lease runs out, with the same Message-ID, which receivers and
// threading treat as the same message.
func (e *Engine) SendReply(ctx context.Context, actor Actor, id conversation.ConversationID, d ReplyDraft, opts SendOptions) (Queued, error) {
	if e.sender == nil {
		return Queued{}, conversation.Errorf(ErrInvalidArgument, "no Sender is configured")
	}
	c, err := e.ComposeReply(ctx, actor, id, d)
	if err != nil {
		return Queued{}, err
	}
	m := c.Message
	if err := e.checkMessage(&m); err != nil {
		return Queued{}, err
	}
	env := Envelope{From: m.From.Address}
	seen := map[string]bool{}
	for _, list := range [][]conversation.Address{m.To, m.Cc, m.Bcc} {
		for _, a := range list {
			if addr := conversation.CanonicalAddress(a.Address); addr != "" && !seen[addr] {
				seen[addr] = true
				env.To = append(env.To, a.Address)
			}
		}
	}
	if len(env.To) == 0 {
		return Queued{}, conversation.Errorf(ErrInvalidArgument, "the reply has no recipient")
	}
	q := Queued{Job: jobSend + ":" + m.HeaderID, Conversation: id, HeaderID: m.HeaderID, At: opts.At}
	err = e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAsUser(id); err != nil {
			return err
		}
		if q.At.IsZero() {
			q.At = o.now
		}
		p := sendJob{Actor: actor.user, Org: o.conv.Org, Conversation: id, Account: c.Account, Message: m,
			Envelope: env, Raw: c.Raw, Then: opts.Then, Snooze: opts.Snooze}
		return o.putJob(q.Job, jobSend, q.At, p)
	})
	if err != nil {
		return Queued{}, err
	}
	return q, nil
}

// SendStatus tells where the reply q stands. The actor must be the one
// who queued it, or the system.
func (e *Engine) SendStatus(ctx context.Context, actor Actor, q Queued) (SendState, error) {
	var st SendState
	err := e.store.View(ctx, func(tx storage.ReadTx) error {
		j, err := tx.Job(ctx, q.Job)
		if err == nil {
			var p sendJob
			if err := json.Unmarshal(j.Payload, &p); err != nil {
				return err
			}
			if !actor.system && p.Actor != actor.user {
				return conversation.Errorf(ErrNotFound, "queued reply %s", q.Job)
			}
			st = SendQueued
			if j.Failed {
				st = SendFailed
			}
			return nil
		}
		if !isNotFound(err) {
			return err
		}
		// The job is gone: sent and recorded, if the conversation holds
		// a message with the header id the actor sent.
		conv, err := tx.Conversation(ctx, q.Conversation)
		if err != nil {
			return conversation.Errorf(ErrNotFound, "queued reply %s", q.Job)
		}
		msgs, err := tx.MessagesByHeaderID(ctx, conv.Org, q.HeaderID)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if m.Direction == conversation.Outbound && (actor.system || m.SentBy == actor.user) {
				st = SendSent
				return nil
			}
		}
		return conversation.Errorf(ErrNotFound, "queued reply %s", q.Job)
	})
	return st, err
}

// runSend runs one claimed send job: hands the message to the sender,
// then records it, retries it or fails it.
func (e *Engine) runSend(ctx context.Context, j *storage.Job) error {
	var p sendJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return e.failJob(ctx, j, err)
	}
	if e.sender == nil {
		// Another engine on the store may have one; hand the job back.
		return e.store.Update(ctx, func(tx storage.Tx) error {
			return tx.RetryJob(ctx, j.ID, e.owner, e.now().Add(sendBackoff), "no Sender is configured")
		})
	}
	out := &Outgoing{Org: p.Org, Account: p.Account, Conversation: p.Conversation, HeaderID: p.Message.HeaderID,
		Envelope: p.Envelope, Raw: p.Raw}
	sendErr := e.sender.Send(ctx, out)
	if sendErr == nil {
		var mid conversation.MessageID
		err := e.update(ctx, AsUser(p.Actor), func(o *op) error {
			if err := o.complete(j); err != nil {
				return err
			}
			return o.recordReply(p.Conversation, Reply{Account: p.Account, Message: p.Message, Then: p.Then, Snooze: p.Snooze}, &mid)
		})
		if err != nil && !isLeaseLost(err) {
			// Sent, but it cannot be recorded any more (the actor lost
			// access meanwhile): keep the job, failed, with the reason.
			return e.failJob(ctx, j, fmt.Errorf("sent but not recorded: %w", err))
		}
		return err
	}
	if !IsPermanentSendError(sendErr) && j.Attempts < maxSendAttempts {
		backoff := min(sendBackoff<<(j.Attempts-1), maxSendBackoff)
		return e.store.Update(ctx, func(tx storage.Tx) error {
			return tx.RetryJob(ctx, j.ID, e.owner, e.now().Add(backoff), sendErr.Error())
		})
	}
	return e.update(ctx, System, func(o *op) error {
		if err := o.tx.FailJob(o.ctx, j.ID, o.e.owner, sendErr.Error()); err != nil {
			return err
		}
		if err := o.load(p.Conversation); err != nil {
			if isNotFound(err) {
				return nil // deleted meanwhile: nobody to tell in it
			}
			return err
		}
		o.emit(conversation.Event{Type: conversation.EventDeliveryFailed, Users: []conversation.UserID{p.Actor},
			Subject: p.Message.Subject, Error: sendErr.Error()})
		o.notify(p.Actor, DeliveryFailed)
		return nil
	})
}
