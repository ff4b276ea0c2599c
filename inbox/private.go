package inbox

import (
	"context"
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/labels"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/threading"
	"github.com/inboxkit/inboxkit/triage"
)

// MakeAccountPrivate makes a shared account private again ("Edit sharing >
// Make account private"); the account owner or an organization admin may.
// From then on only the owner (and the account's delegated users, as for any
// personal account) has access to its mail. The addresses shared separately
// from the account ([Engine.ShareAddress]) keep their own sharing.
//
// Existing conversations holding the account's mail change at once:
//
//   - A conversation whose emails all came through this account becomes
//     private: only the owner (and delegates) keep access, with every
//     colleague's comment. It leaves the team inbox for the
//     owner's Inbox, its guests' access ends, the organization labels
//     auto-shared with others come off, and its messages are
//     re-filed in the account's private threading scope so later replies
//     still find it.
//   - A conversation that also holds emails of other accounts stays
//     visible to whoever those emails grant access: the audience of
//     another shared account, a colleague whose personal account
//     took part.
//
// Access that came only from this account's sharing is withdrawn: explicit
// grants (mentions, added people) end too, as the account's messages are
// "only the owner's" going forward; assignees who lose access are
// unassigned. Each changed conversation records an
// [conversation.EventUnshared] naming who lost access. Making a private
// account private does nothing.
func (e *Engine) MakeAccountPrivate(ctx context.Context, actor Actor, account conversation.AccountID) error {
	return e.update(ctx, actor, func(o *op) error {
		acct, err := o.ownedAccount(account)
		if err != nil {
			return err
		}
		old := acct.Sharing
		if old.Kind == conversation.NotShared {
			return nil
		}
		acct.Sharing = conversation.Sharing{}
		if err := o.putAccount(acct); err != nil {
			return err
		}
		org, err := o.loadOrg(acct.Org)
		if err != nil {
			return err
		}
		ids, err := o.accountConversations(acct, old)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := o.privatize(org, acct, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// accountConversations returns the conversations that may hold acct's
// mail, shared as old: those its owner and old's audience can see, read
// from their mailbox indexes (All, Trash and Spam of each user, the
// team's conversations).
func (o *op) accountConversations(acct *conversation.Account, old conversation.Sharing) ([]conversation.ConversationID, error) {
	var boxes []conversation.Box
	users := []conversation.UserID{acct.Owner}
	switch old.Kind {
	case conversation.SharedToTeamInbox:
		boxes = append(boxes, conversation.Box{Kind: conversation.TeamConversations, Team: old.Team})
	case conversation.SharedToInboxes:
		for u := range old.Users {
			users = append(users, u)
		}
	}
	for _, u := range users {
		for _, k := range []conversation.MailboxKind{conversation.All, conversation.Trash, conversation.Spam} {
			boxes = append(boxes, conversation.Box{Kind: k, User: u})
		}
	}
	seen := map[conversation.ConversationID]bool{}
	var out []conversation.ConversationID
	for _, box := range boxes {
		var after storage.Cursor
		for {
			entries, err := o.tx.List(o.ctx, box, after, 256)
			if err != nil {
				return nil, err
			}
			for _, en := range entries {
				if !seen[en.Conversation] {
					seen[en.Conversation] = true
					out = append(out, en.Conversation)
				}
			}
			if len(entries) < 256 {
				break
			}
			after = entries[len(entries)-1].Cursor()
		}
	}
	slices.SortFunc(out, conversation.ConversationID.Compare)
	return out, nil
}

// privatize withdraws from conversation id the access that only acct's
// former sharing granted (see MakeAccountPrivate).
func (o *op) privatize(org *conversation.Org, acct *conversation.Account, id conversation.ConversationID) error {
	if err := o.flush(); err != nil {
		return err
	}
	c, err := o.tx.Conversation(o.ctx, id)
	if err != nil {
		return err
	}
	if _, ok := slices.BinarySearchFunc(c.Accounts, acct.ID, conversation.AccountID.Compare); !ok || !c.MergedInto.IsZero() {
		return nil
	}
	// The owner or an admin changes the sharing; they need not see every
	// conversation of the account themselves.
	actor := o.user
	o.user = nil
	err = o.adopt(c, false)
	o.user = actor
	if err != nil {
		return err
	}
	msgs, err := o.tx.Messages(o.ctx, id)
	if err != nil {
		return err
	}
	users, teams, onlyThis, err := o.grants(acct, msgs)
	if err != nil {
		return err
	}
	ev := conversation.Event{Type: conversation.EventUnshared}
	kept := []conversation.UserID{acct.Owner}
	for _, u := range c.Users {
		if users[u] {
			conversation.AddSorted(&kept, u)
		} else if u != acct.Owner {
			ev.Users = append(ev.Users, u)
		}
	}
	c.Users = kept
	var keptTeams []conversation.TeamID
	for _, t := range c.Teams {
		if teams[t] {
			keptTeams = append(keptTeams, t)
		} else {
			ev.Teams = append(ev.Teams, t)
		}
	}
	c.Teams = keptTeams
	var keptMention []conversation.TeamID
	for _, t := range c.MentionTeams {
		if teams[t] {
			keptMention = append(keptMention, t)
		} else if !slices.Contains(ev.Teams, t) {
			ev.Teams = append(ev.Teams, t)
		}
	}
	c.MentionTeams = keptMention
	if !c.Team.IsZero() && !teams[c.Team] {
		if !slices.Contains(ev.Teams, c.Team) {
			ev.Teams = append(ev.Teams, c.Team)
		}
		o.decide(func(f triage.Facts) triage.Outcome { return triage.Unteam(f, acct.Owner) })
	}
	if onlyThis {
		// Private to the owner: its guests go too, and the labels that
		// would share it with anyone else.
		if err := o.removeGuests(); err != nil {
			return err
		}
		labelUsers := c.LabelUsers
		if err := o.unshareLabels(c.Users); err != nil {
			return err
		}
		for _, u := range labelUsers {
			if !c.Granted(u) && !slices.Contains(ev.Users, u) {
				ev.Users = append(ev.Users, u)
			}
		}
	}
	if len(ev.Users)+len(ev.Teams) > 0 {
		slices.SortFunc(ev.Users, conversation.UserID.Compare)
		if err := o.withdrawn(ev); err != nil {
			return err
		}
	}
	if onlyThis {
		return o.refile(accountScope(org, acct, conversation.Sharing{}), msgs)
	}
	return nil
}

// withdrawn finishes an access withdrawal of the operation's conversation:
// who no longer sees it leaves its assignees and their Inboxes, and ev
// records it.
func (o *op) withdrawn(ev conversation.Event) error {
	c := o.conv
	var gone []conversation.UserID
	for u, st := range o.states {
		usr, err := o.tx.User(o.ctx, u)
		if err != nil {
			return err
		}
		if !o.canAccess(usr) && (st.InInbox || st.Snooze != nil || st.Pinned) {
			o.apply(ptr(triage.Leave(u)))
			st = o.state(u)
			st.Snooze, st.Pinned, st.SnoozeDue = nil, false, false
		}
	}
	for _, a := range c.Assignees {
		usr, err := o.tx.User(o.ctx, a)
		if err != nil {
			return err
		}
		if !o.canAccess(usr) {
			gone = append(gone, a)
		}
	}
	o.unassign(gone)
	o.emit(ev)
	o.touch(false)
	return nil
}

// refile files the operation's conversation and its messages msgs in
// threading scope: a conversation become private threads in its
// account's private scope, so replies the account receives still find it.
func (o *op) refile(scope threading.Scope, msgs []*conversation.Message) error {
	c := o.conv
	if c.Scope != string(scope) {
		c.Scope = string(scope)
		o.touch(false)
	}
	th, err := o.threader()
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if m.Scope == string(scope) {
			continue
		}
		m.Scope = string(scope)
		if err := o.tx.UpdateMessage(o.ctx, m); err != nil {
			return err
		}
		if err := th.Moved(o.ctx, scope, m.HeaderID, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// grants returns who the messages grant access, as they are routed now:
// every account each message (or a copy) is on, and every organization
// address it names. onlyThis reports whether every message and copy is
// acct's.
func (o *op) grants(acct *conversation.Account, msgs []*conversation.Message) (users map[conversation.UserID]bool, teams map[conversation.TeamID]bool, onlyThis bool, err error) {
	users, teams, onlyThis = map[conversation.UserID]bool{}, map[conversation.TeamID]bool{}, true
	accts := map[conversation.AccountID]*conversation.Account{acct.ID: acct}
	for _, m := range msgs {
		on := []conversation.AccountID{m.Account}
		for _, cp := range m.Copies {
			on = append(on, cp.Account)
		}
		for _, id := range on {
			if id != acct.ID {
				onlyThis = false
			}
			a, ok := accts[id]
			if !ok {
				a, err = o.tx.Account(o.ctx, id)
				if isNotFound(err) {
					accts[id], err = nil, nil
					continue
				}
				if err != nil {
					return nil, nil, false, err
				}
				accts[id] = a
			}
			if a == nil {
				continue
			}
			routes, err := o.routes(a, m)
			if err != nil {
				return nil, nil, false, err
			}
			for _, r := range routes {
				users[r.acct.Owner] = true
				for _, d := range r.acct.Delegates {
					users[d] = true
				}
				switch r.sharing.Kind {
				case conversation.SharedToInboxes:
					for u := range r.sharing.Users {
						users[u] = true
					}
				case conversation.SharedToTeamInbox:
					teams[r.sharing.Team] = true
				}
			}
		}
	}
	return users, teams, onlyThis, nil
}

// unshareLabels takes off the operation's conversation the organization
// labels auto-shared with anyone not in keep (sorted): a label's auto-share
// gives access, which a conversation made private must not keep. Other
// labels stay.
func (o *op) unshareLabels(keep []conversation.UserID) error {
	c := o.conv
	set := newLabelSet(o.ctx, o.tx)
	var removed []conversation.LabelChange
	var left []conversation.LabelID
	for _, id := range c.Labels {
		l := set.get(id)
		shares := false
		for _, u := range labels.AutoSharedUsers([]conversation.LabelID{id}, set.get) {
			if _, ok := slices.BinarySearchFunc(keep, u, conversation.UserID.Compare); !ok {
				shares = true
			}
		}
		if l != nil && shares {
			removed = append(removed, set.change(l, false))
			continue
		}
		left = append(left, id)
	}
	if set.err != nil {
		return set.err
	}
	if len(removed) == 0 {
		return nil
	}
	c.Labels = left
	o.emit(conversation.Event{Type: conversation.EventLabelsChanged, Labels: removed})
	return o.reshare()
}
