package inbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
	"github.com/inboxkit/inboxkit/triage"
)

// Incoming is a message a connected account received.
type Incoming struct {
	// Account received the message.
	Account conversation.AccountID
	// Ref is the transport's reference of this copy (for IMAP: mailbox,
	// UIDVALIDITY and UID), kept with the message or, when the message
	// is already known, with the copy attached to it. Delivering the
	// same message again for the same account (a transport that resumes
	// from a cursor it had not yet saved) changes nothing.
	Ref string
	// Supersedes, when set, is a prefix of the account's references that
	// are stale: the transport renumbered its copies (for IMAP, a folder's
	// UIDVALIDITY changed) and delivers each again under its new Ref. When
	// the message is already known for the account under a reference
	// with this prefix, that reference is replaced by Ref; nothing else
	// changes (no message, event, reopen or notification).
	Supersedes string
	// Message holds what the transport parsed: From, To, Cc, Bcc, Subject,
	// Text, Attachments, HeaderID, InReplyTo, References and At (zero
	// means now). Its ID, Conversation, Direction, Channel and Seq are set
	// by the engine.
	Message conversation.Message
}

// Delivery reports what [Engine.Deliver] did.
type Delivery struct {
	// Conversations holds the message, one per team inbox in
	// duplicate-per-team mode, otherwise one.
	Conversations []conversation.ConversationID
	// Duplicate is true when the message had been delivered before (same
	// Message-ID in the organization) and nothing changed.
	Duplicate bool
}

// route is one place an incoming message is addressed to: an account of
// the organization and the sharing that applies to the address used.
type route struct {
	acct    *conversation.Account
	sharing conversation.Sharing
}

// Deliver files an incoming message. Only the [System] actor delivers.
//
// Routing follows each recipient address that belongs to the organization
// (and the receiving account itself): a team-inbox address lists the
// conversation in that team's inbox and notifies its active members, never
// its observers; an Inbox-mode address puts it in the Inbox of users set to
// "to inbox" and only gives access to "auto-archive" users; a personal
// account puts it in its owner's Inbox. Mail to several team inboxes makes
// one linked copy per team, or one conversation in the alphabetically first
// team, by the organization's MultiTeamMode.
//
// A reply (In-Reply-To, then References newest first) joins the conversation
// of the first known parent it names; on a closed conversation it reopens
// it, back in the assignees' Inbox with only the assignees notified. A
// conversation already holding MaxMessages messages is not joined: a new,
// linked one starts.
//
// A zero in.Account is ErrInvalidArgument; a message over the limits of
// Config (subject, header fields, recipients, body size) is refused with
// ErrLimitReached, whether it was parsed from raw mail or not, and nothing
// is stored.
func (e *Engine) Deliver(ctx context.Context, actor Actor, in Incoming) (Delivery, error) {
	if !actor.system {
		return Delivery{}, conversation.Errorf(ErrForbidden, "only the system actor delivers mail")
	}
	return e.file(ctx, actor, in, (*op).deliver)
}

// file runs an operation that files an incoming or synced message and
// reports what it did (Deliver, RecordSent).
func (e *Engine) file(ctx context.Context, actor Actor, in Incoming, fn func(*op, Incoming, *Delivery) error) (Delivery, error) {
	if err := needID("account", in.Account); err != nil {
		return Delivery{}, err
	}
	if err := e.checkMessage(&in.Message); err != nil {
		return Delivery{}, err
	}
	var res Delivery
	err := e.update(ctx, actor, func(o *op) error {
		res = Delivery{} // a retry starts over
		return fn(o, in, &res)
	})
	return res, err
}

func (o *op) deliver(in Incoming, res *Delivery) error {
	acct, err := o.tx.Account(o.ctx, in.Account)
	if err != nil {
		return err
	}
	org, err := o.loadOrg(acct.Org)
	if err != nil {
		return err
	}
	msg := in.Message
	msg.Direction = conversation.Inbound
	msg.Channel = acct.Channel
	msg.Account = acct.ID
	msg.Copies = nil
	msg.Ref = in.Ref
	if msg.At.IsZero() {
		msg.At = o.now
	}
	routes, err := o.routes(acct, &msg)
	if err != nil {
		return err
	}

	// One target per team inbox by the organization's multi-team mode (or
	// a single target without team); each is threaded in its own scope
	// (accountScope).
	teams := map[conversation.TeamID]*conversation.Team{}
	for _, r := range routes {
		if r.sharing.Kind != conversation.SharedToTeamInbox || teams[r.sharing.Team] != nil {
			continue
		}
		t, err := o.tx.Team(o.ctx, r.sharing.Team)
		if err != nil {
			return err
		}
		teams[t.ID] = t
	}
	var targets []*target
	for _, tt := range triage.Targets(org, triageRoutes(routes), teams) {
		tg := &target{team: tt.Team}
		for _, r := range tt.Routes {
			tg.routes = append(tg.routes, route{acct: r.Account, sharing: r.Sharing})
		}
		targets = append(targets, tg)
	}
	th, err := o.threader()
	if err != nil {
		return err
	}
	for _, tg := range targets {
		tg.scope = o.targetScope(org, acct, tg)
		tg.msg = threadMessage(tg.scope, &msg)
		tg.msg.Audience = audienceKey(tg.routes)
		if tg.decision, err = th.Decide(o.ctx, tg.msg); err != nil {
			return err
		}
		if err := o.checkDecision(&tg.decision); err != nil {
			return err
		}
	}
	// Pre-name new conversations so duplicates can link to each other.
	var created []conversation.ConversationID
	for _, tg := range targets {
		if a := tg.decision.Action; a == threading.New || a == threading.Continue {
			tg.id = conversation.ConversationID(o.e.newID())
			created = append(created, tg.id)
		}
	}
	duplicates := 0
	for _, tg := range targets {
		if err := o.flush(); err != nil {
			return err
		}
		m := msg.Clone()
		m.Scope = string(tg.scope)
		d := tg.decision
		switch d.Action {
		case threading.Duplicate:
			duplicates++
			if err := o.attachCopy(org.ID, d.Conversation, m, in.Ref, in.Supersedes); err != nil {
				return err
			}
			res.Conversations = append(res.Conversations, d.Conversation)
			continue
		case threading.Join:
			c, err := o.tx.Conversation(o.ctx, d.Conversation)
			if err != nil {
				return err
			}
			if err := o.switchTo(c, false); err != nil {
				return err
			}
			c.ThreadAudience = joinAudience(c.ThreadAudience, tg.msg.Audience)
			parents, err := o.parentMessages(org.ID, d)
			if err != nil {
				return err
			}
			if err := o.inbound(org, tg, m, parents, false); err != nil {
				return err
			}
		default: // New, Continue
			c := &conversation.Conversation{ID: tg.id, Org: org.ID, Kind: conversation.Thread, CreatedAt: o.now,
				Scope: string(tg.scope), ThreadAudience: tg.msg.Audience}
			if d.Action == threading.Continue {
				c.ContinuationOf = d.Conversation
			}
			if err := o.switchTo(c, true); err != nil {
				return err
			}
			if err := o.inbound(org, tg, m, nil, true); err != nil {
				return err
			}
			if related := slices.DeleteFunc(slices.Clone(created), func(id conversation.ConversationID) bool { return id == tg.id }); len(related) > 0 && d.Action == threading.New {
				o.emit(conversation.Event{Type: conversation.EventLinked, Related: related})
			}
			if d.Action == threading.Continue {
				o.emit(conversation.Event{Type: conversation.EventLinked, Related: []conversation.ConversationID{d.Conversation}})
			}
		}
		res.Conversations = append(res.Conversations, o.conv.ID)
		if err := o.fileThread(th, tg.msg, d); err != nil {
			return err
		}
	}
	res.Duplicate = duplicates == len(targets)
	return nil
}

// fileThread finishes threading message m, now in the operation's
// conversation after decision d: the conversations d proves to hold the
// same thread (its replies arrived first) merge into it, the index learns
// where m is, and a continuation is linked to the full conversation.
func (o *op) fileThread(th *threading.Threader[conversation.ConversationID], m threading.Message, d threading.Decision[conversation.ConversationID]) error {
	into := o.conv.ID
	for _, from := range d.Merge {
		if err := o.mergeThread(from, into); err != nil {
			return err
		}
	}
	if err := th.Record(o.ctx, m, d, into); err != nil {
		return err
	}
	if d.Action == threading.Continue {
		return o.linkContinuation(d.Conversation, into)
	}
	return nil
}

// checkDecision guards against an index that names a conversation which
// is gone: a merge tombstone whose target was deleted forever still
// redirects there. Such a conversation is treated as unknown: a Join,
// Duplicate or Continue into it becomes New, and it is dropped from the
// merges. A merge is dropped too when either side has guests.
func (o *op) checkDecision(d *threading.Decision[conversation.ConversationID]) error {
	live := func(id conversation.ConversationID) (*conversation.Conversation, error) {
		c, err := o.tx.Conversation(o.ctx, id)
		if isNotFound(err) || err == nil && !c.MergedInto.IsZero() {
			return nil, nil
		}
		return c, err
	}
	// Guests, live or invited, block merging: the message then joins one
	// conversation and the others stay apart.
	mergeable := func(c *conversation.Conversation) (bool, error) {
		if c == nil {
			return false, nil
		}
		err := o.refuseMergeWithGuests(c)
		if errors.Is(err, ErrMergeWithGuests) {
			return false, nil
		}
		return err == nil, err
	}
	var into *conversation.Conversation
	if d.Action != threading.New {
		c, err := live(d.Conversation)
		if err != nil {
			return err
		}
		if c == nil {
			d.Action, d.Conversation = threading.New, conversation.ConversationID{}
		}
		into = c
	}
	var merge []conversation.ConversationID
	if len(d.Merge) > 0 && d.Action != threading.Duplicate {
		ok := true
		if into != nil {
			var err error
			if ok, err = mergeable(into); err != nil {
				return err
			}
		}
		for _, id := range d.Merge {
			if !ok {
				break
			}
			c, err := live(id)
			if err != nil {
				return err
			}
			m, err := mergeable(c)
			if err != nil {
				return err
			}
			if m {
				merge = append(merge, id)
			}
		}
	}
	d.Merge = merge
	return nil
}

// target is one conversation an incoming message goes to: per team inbox
// in duplicate-per-team mode, otherwise one.
type target struct {
	team     *conversation.Team
	routes   []route
	scope    threading.Scope
	msg      threading.Message
	decision threading.Decision[conversation.ConversationID]
	id       conversation.ConversationID // of a new conversation
}

// targetScope is the threading scope of a target: its team's (see
// accountScope) or, without team, the shared scope if any route is
// shared, else the receiving account's personal scope.
func (o *op) targetScope(org *conversation.Org, acct *conversation.Account, tg *target) threading.Scope {
	if tg.team != nil {
		return accountScope(org, acct, conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: tg.team.ID})
	}
	for _, r := range tg.routes {
		if r.sharing.Kind != conversation.NotShared {
			return accountScope(org, r.acct, r.sharing)
		}
	}
	return accountScope(org, acct, conversation.Sharing{})
}

// attachCopy records another account's copy of a message already in
// conversation c: no new message, no event, no notification. A
// re-delivery to the same account changes nothing but the reference: a
// message inboxkit recorded (no reference yet) takes ref, and a reference
// starting with supersedes (stale after the transport renumbered its
// copies) is replaced by ref.
func (o *op) attachCopy(org conversation.OrgID, c conversation.ConversationID, m *conversation.Message, ref, supersedes string) error {
	known, err := o.tx.MessagesByHeaderID(o.ctx, org, m.HeaderID)
	if err != nil {
		return err
	}
	stale := func(old string) bool {
		return ref != "" && old != ref && (old == "" || supersedes != "" && strings.HasPrefix(old, supersedes))
	}
	for _, k := range known {
		if k.Conversation != c || k.Scope != m.Scope {
			continue
		}
		if k.Account == m.Account {
			if !stale(k.Ref) {
				return nil
			}
			k.Ref = ref
			return o.tx.UpdateMessage(o.ctx, k)
		}
		if i := slices.IndexFunc(k.Copies, func(cp conversation.Copy) bool { return cp.Account == m.Account }); i >= 0 {
			if !stale(k.Copies[i].Ref) {
				return nil
			}
			k.Copies[i].Ref = ref
			return o.tx.UpdateMessage(o.ctx, k)
		}
		k.Copies = append(k.Copies, conversation.Copy{Account: m.Account, Ref: ref, At: o.now})
		return o.tx.UpdateMessage(o.ctx, k)
	}
	return nil
}

// parentMessages returns the messages the decision matched by id (a reply's
// parents), for the direct-reply rule: a direct reply to a user brings the
// conversation back to their Inbox even if they do not watch it.
func (o *op) parentMessages(org conversation.OrgID, d threading.Decision[conversation.ConversationID]) ([]*conversation.Message, error) {
	if d.By != threading.ByInReplyTo && d.By != threading.ByReferences {
		return nil, nil
	}
	return o.tx.MessagesByHeaderID(o.ctx, org, d.Matched)
}

// linkContinuation records on the full conversation that to continues
// it.
func (o *op) linkContinuation(full, to conversation.ConversationID) error {
	if err := o.flush(); err != nil {
		return err
	}
	c, err := o.tx.Conversation(o.ctx, full)
	if err != nil {
		return err
	}
	if err := o.adopt(c, false); err != nil {
		return err
	}
	c.ContinuedIn = to
	o.emit(conversation.Event{Type: conversation.EventLinked, Related: []conversation.ConversationID{to}})
	return o.flush()
}

// routes resolves where a message is addressed: every recipient address
// that belongs to an account of the organization, plus the receiving
// account itself when no recipient named it (Bcc, forwarding).
//
// Mail that came through a group (a Mailing-list or List-Id header) is
// routed to shared addresses by the group's identity only, the primary
// address of its Mailing-list header or the address its List-Id names: the
// alias the sender typed in To is not what the group is known by, so a
// shared address set up only for an alias is not matched (a documented
// failure), and adding the primary address fixes it. The routes are then
// settled by finishRoutes (co-recipient addresses, private copies).
func (o *op) routes(acct *conversation.Account, m *conversation.Message) ([]route, error) {
	var out []route
	seen := map[string]bool{}
	self := false
	group := m.MailingList != "" || m.ListID != ""
	add := func(addr string, identity bool) error {
		addr = conversation.CanonicalAddress(addr)
		if addr == "" || seen[addr] {
			return nil
		}
		owner := acct
		if _, own := acct.SharingFor(addr); !own {
			other, err := o.tx.AccountByAddress(o.ctx, acct.Org, addr)
			if isNotFound(err) {
				return nil
			}
			if err != nil {
				return err
			}
			owner = other
		}
		_, isShared := owner.SharedAddress(addr)
		if group && isShared && !identity {
			return nil // an alias of the group, see above
		}
		seen[addr] = true
		sh, _ := owner.SharingFor(addr)
		out = append(out, route{acct: owner, sharing: sh})
		self = self || owner.ID == acct.ID
		return nil
	}
	if group {
		ids := []string{threading.MailingListAddress(m.MailingList)}
		ids = append(ids, threading.ListAddresses(threading.ListID(m.ListID))...)
		for _, a := range ids {
			if err := add(a, true); err != nil {
				return nil, err
			}
		}
	}
	for _, list := range [][]conversation.Address{m.To, m.Cc, m.Bcc, m.DeliveredTo} {
		for _, a := range list {
			if err := add(a.Address, false); err != nil {
				return nil, err
			}
		}
	}
	if !self {
		out = append(out, route{acct: acct, sharing: acct.Sharing})
	}
	return finishRoutes(acct, out), nil
}

// addMessage appends m to the operation's conversation. Every path that adds
// a message decided first, through the Threader (Decide, Room), that the
// conversation has room: a full one here is a broken invariant, refused
// rather than carried past the cap.
func (o *op) addMessage(m *conversation.Message) error {
	c := o.conv
	if c.Messages >= o.e.maxMessages {
		return fmt.Errorf("inbox: internal error: conversation %s already holds %d messages: %w", c.ID, c.Messages, ErrLimitReached)
	}
	m.ID = conversation.MessageID(o.e.newID())
	m.Conversation = c.ID
	c.Seq++
	m.Seq = c.Seq
	c.MessageSeq = c.Seq
	c.Messages++
	if m.Subject != "" {
		c.Subject = m.Subject
	}
	if m.Direction == conversation.Outbound {
		c.HasSent = true
	}
	o.touch(true)
	o.emit(conversation.Event{Type: conversation.EventMessageAdded, Message: m.ID})
	return o.tx.AddMessage(o.ctx, c.Org, m)
}

// inbound files message m, addressed by target tg, in the operation's
// conversation (created if new): triage decides what it does to Inboxes,
// the team inbox and notifications, with the parents m answers.
func (o *op) inbound(org *conversation.Org, tg *target, m *conversation.Message, parents []*conversation.Message, created bool) error {
	out := triage.Deliver(triage.Delivery{Org: org, Conversation: o.conv, New: created, States: o.states, Teams: o.teams,
		Target: triage.Target{Team: tg.team, Routes: triageRoutes(tg.routes)}, Message: m, Parents: parents})
	if created {
		o.emit(conversation.Event{Type: conversation.EventCreated})
	}
	if out.Team != nil && tg.team != nil && *out.Team == tg.team.ID {
		o.teams[tg.team.ID] = tg.team // loaded by deliver in this transaction
	}
	if err := o.addMessage(m); err != nil {
		return err
	}
	o.apply(&out)
	return nil
}
