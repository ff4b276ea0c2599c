package inbox

import (
	"context"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/guests"
	"github.com/inboxkit/inboxkit/triage"
)

// Close marks a conversation done: it leaves the team inbox and the
// assignees' Tasks (Assigned to me) for everyone, is listed in Closed,
// keeps its assignees, and leaves the closer's Inbox. Others keep it in
// their Inbox unless they chose "remove when a coworker closes" and are
// not watching. Rooms cannot be closed. Closing a closed conversation does
// nothing.
func (e *Engine) Close(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		return o.close()
	})
}

// Reopen reopens a closed conversation: it is back in each assignee's
// Inbox, or in its team inbox when nobody is assigned. Reopening an open
// conversation does nothing.
func (e *Engine) Reopen(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		o.reopen()
		return nil
	})
}

// reopen implements Reopen on the loaded conversation.
func (o *op) reopen() {
	if !o.conv.Closed {
		return
	}
	o.decide(triage.Reopen)
	o.touch(true)
}

func (o *op) close() error {
	c := o.conv
	if c.Kind == conversation.Room {
		return conversation.Errorf(ErrInvalidArgument, "rooms cannot be closed")
	}
	if c.Closed {
		return nil
	}
	removeOnClose := map[conversation.UserID]bool{}
	for _, u := range triage.CloseAsks(o.facts(o.actor.user)) {
		usr, err := o.tx.User(o.ctx, u)
		if err != nil {
			return err
		}
		removeOnClose[u] = usr.Prefs.RemoveWhenCoworkerCloses
	}
	c.Closed = true
	c.TaskInProgress = false // a closed conversation task is Closed
	o.decide(func(f triage.Facts) triage.Outcome { return triage.Close(f, removeOnClose) })
	o.touch(true)
	return nil
}

// From says which mailbox an archive or trash acts from.
type From uint8

const (
	// FromInbox (the zero value) is the actor's Inbox or any personal
	// view.
	FromInbox From = iota
	// FromTeamInbox is the conversation's team inbox: the action affects
	// everyone.
	FromTeamInbox
)

// ArchiveOptions qualify [Engine.Archive].
type ArchiveOptions struct {
	From From
	// Close decides "archive & close" for an assigned actor archiving from
	// the Inbox. Nil means use the actor's preference; with the default
	// preference "Ask" that is [ErrDecisionRequired].
	Close *bool
}

// Archive removes a conversation from the current inbox only, keeping
// assignments; it stays in All.
//
// From the Inbox it changes only the actor's Inbox (an unassigned actor
// just archives). From the team inbox it takes the conversation out of
// that inbox for everyone without closing it (a UI whose box icon closes
// in team inboxes calls Close instead). Guests archive from their own
// Inbox.
func (e *Engine) Archive(ctx context.Context, actor Actor, id conversation.ConversationID, opts ArchiveOptions) error {
	return e.update(ctx, actor, func(o *op) error {
		// A guest archives from their own Inbox only: they are in no team,
		// never assigned, and never hold a trashed conversation.
		u, err := o.loadAsReader(id, guests.PersonalState)
		if err != nil {
			return err
		}
		c := o.conv
		if st := o.peek(u.ID); c.Trashed || (st != nil && st.Trashed) {
			// "Archive it (press Backspace)" is how Trash is left.
			return o.recover(u)
		}
		if opts.From == FromTeamInbox {
			if t := o.teams[c.Team]; t == nil || t.MemberKind(u.ID) == 0 {
				return conversation.Errorf(ErrForbidden, "only members of its team archive from a team inbox")
			}
			o.decide(triage.ArchiveTeamInbox)
			return nil
		}
		if c.IsAssigned(u.ID) && !c.Closed {
			closeToo := false
			switch {
			case opts.Close != nil:
				closeToo = *opts.Close
			case u.Prefs.ArchiveAssigned == conversation.ArchiveAndClose:
				closeToo = true
			case u.Prefs.ArchiveAssigned == conversation.ArchiveAsk:
				return conversation.Errorf(ErrDecisionRequired, "you are assigned: archive & close, or just archive?")
			}
			if closeToo {
				if err := o.close(); err != nil {
					return err
				}
			}
		}
		o.archiveForActor()
		return nil
	})
}

// archiveForActor takes the conversation out of the acting user's Inbox.
func (o *op) archiveForActor() {
	if o.user == nil {
		return
	}
	o.decide(triage.Archive)
	o.state(o.user.ID).SnoozeDue = false
}

// TrashOptions qualify [Engine.Trash].
type TrashOptions struct {
	From From
	// Confirmed acknowledges "This affects all your coworkers" for a trash
	// from the team inbox; without it the engine returns
	// [ErrDecisionRequired].
	Confirmed bool
}

// Trash moves a conversation to Trash.
//
// From the team inbox (confirmed) it is trashed for everyone with access:
// the actor is unassigned (others stay), the team assignment, snoozes and
// pins are cleared, and it leaves every Inbox. Elsewhere, the owner of
// its account and the active members of its team trash it for everyone,
// keeping the team; anyone else (a delegated user, an observer, a user
// who receives the account in their Inbox, a mentioned or added user)
// trashes it for themselves only and is unassigned
// ([conversation.TrashesForEveryone] says which). A trash for everyone
// also removes every guest, granted or invited.
func (e *Engine) Trash(ctx context.Context, actor Actor, id conversation.ConversationID, opts TrashOptions) error {
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAsUser(id)
		if err != nil {
			return err
		}
		c := o.conv
		if c.Trashed {
			return nil
		}
		if opts.From == FromTeamInbox {
			if t := o.teams[c.Team]; t == nil || t.MemberKind(u.ID) == 0 {
				return conversation.Errorf(ErrInvalidArgument, "conversation %s is not in a team inbox of yours", id)
			}
			if !opts.Confirmed {
				return conversation.Errorf(ErrDecisionRequired, "trashing from a team inbox affects all your coworkers; confirm it")
			}
			o.trashForEveryone(u.ID, true)
			if err := o.removeGuests(); err != nil {
				return err
			}
			return o.clearSharedLabels() // not restored on recovery
		}
		personal, err := o.trashesForSelf(u)
		if err != nil {
			return err
		}
		if !personal {
			o.trashForEveryone(u.ID, false)
			if err := o.removeGuests(); err != nil {
				return err
			}
			return o.clearSharedLabels() // not restored on recovery
		}
		st := o.state(u.ID)
		if st.Trashed {
			return nil
		}
		st.Trashed = true
		o.apply(ptr(triage.Leave(u.ID)))
		st.Snooze = nil
		st.Pinned = false
		o.unassign([]conversation.UserID{u.ID})
		o.emit(conversation.Event{Type: conversation.EventTrashed, Users: []conversation.UserID{u.ID}})
		return nil
	})
}

// trashesForSelf reports whether u's trash outside a team inbox only
// removes their own access (conversation.TrashesForEveryone decides): a
// delegated user, an observer, or anyone seeing it through a grant of
// their own rather than as its account's owner or an active member of
// its team.
func (o *op) trashesForSelf(u *conversation.User) (bool, error) {
	owner, delegate, err := o.accountRole(u.ID)
	if err != nil {
		return false, err
	}
	return !conversation.TrashesForEveryone(o.conv, u.ID, owner, delegate, o.teams), nil
}

// accountRole reports whether u owns, or is a delegated user of, one of
// the conversation's accounts.
func (o *op) accountRole(u conversation.UserID) (owner, delegate bool, err error) {
	for _, id := range o.conv.Accounts {
		a, err := o.tx.Account(o.ctx, id)
		if err != nil {
			return false, false, err
		}
		owner = owner || a.Owner == u
		delegate = delegate || a.IsDelegate(u)
	}
	return owner, delegate, nil
}

// anyAccount reports whether pred holds for one of the conversation's
// accounts that still exists.
func (o *op) anyAccount(pred func(*conversation.Account) bool) (bool, error) {
	for _, id := range o.conv.Accounts {
		a, err := o.tx.Account(o.ctx, id)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return false, err
		}
		if pred(a) {
			return true, nil
		}
	}
	return false, nil
}

// trashForEveryone trashes the conversation for all.
func (o *op) trashForEveryone(actor conversation.UserID, fromTeamInbox bool) {
	c := o.conv
	c.Trashed = true
	c.TrashedAt = o.now
	o.decide(triage.TrashForEveryone)
	c.SnoozeForEveryone = nil
	if fromTeamInbox {
		// The team assignment goes but not the team's access: "everyone
		// can still find it in their trash mailbox".
		if !c.Team.IsZero() {
			conversation.AddSorted(&c.Teams, c.Team)
		}
		c.Team = conversation.TeamID{}
	}
	for u, st := range o.states {
		if st.Snooze != nil || st.Pinned || st.SnoozeDue {
			st = o.state(u)
			st.Snooze, st.Pinned, st.SnoozeDue = nil, false, false
		}
	}
	o.unassign([]conversation.UserID{actor})
	o.emit(conversation.Event{Type: conversation.EventTrashed, ForEveryone: true})
	o.touch(false)
}

// DeleteForever deletes a trashed conversation. The owner of one of its
// accounts deletes it for everyone, irreversibly, and the copies of its
// messages on the accounts that user owns are to be deleted on the server
// too: one [conversation.EventExpungeRequested] per copy goes to the
// subscribers. Anyone else only removes their own access and the server
// is untouched. For a conversation with no account, owners and admins
// delete it for everyone.
func (e *Engine) DeleteForever(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAsUser(id)
		if err != nil {
			return err
		}
		c := o.conv
		st := o.peek(u.ID)
		if !c.Trashed && (st == nil || !st.Trashed) {
			return conversation.Errorf(ErrInvalidArgument, "only conversations in Trash can be deleted forever")
		}
		owner, _, err := o.accountRole(u.ID)
		if err != nil {
			return err
		}
		if owner || (len(c.Accounts) == 0 && u.Role.IsAdmin()) {
			if err := o.requestExpunge(u.ID); err != nil {
				return err
			}
			o.deleted = true
			o.emit(conversation.Event{Type: conversation.EventDeletedForUser, ForEveryone: true})
			return nil
		}
		mine := o.state(u.ID)
		mine.Removed = true
		o.apply(ptr(triage.Leave(u.ID)))
		conversation.RemoveSorted(&c.Users, u.ID)
		o.unassign([]conversation.UserID{u.ID})
		o.emit(conversation.Event{Type: conversation.EventDeletedForUser, Users: []conversation.UserID{u.ID}})
		o.touch(false)
		return nil
	})
}

// Recover takes a conversation out of Trash. It comes back archived for
// the actor; assignments, labels and team removed by the trash are not
// restored.
func (e *Engine) Recover(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAsUser(id)
		if err != nil {
			return err
		}
		return o.recover(u)
	})
}

// MarkSpam moves a conversation to Spam for everyone, out of every Inbox
// and team inbox; NotSpam (spam false) brings it back to All. Marking as
// spam is for the owner or a delegated user of one of the conversation's
// email accounts (and the system actor, for rules); anyone else who sees
// it, a team member of a shared account or a user mentioned in someone
// else's private email, gets ErrForbidden. Any member who sees it may
// mark it not spam.
func (e *Engine) MarkSpam(ctx context.Context, actor Actor, id conversation.ConversationID, spam bool) error {
	return e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAs(id)
		if err != nil {
			return err
		}
		c := o.conv
		if spam && u != nil {
			ok, err := o.anyAccount(func(a *conversation.Account) bool { return a.MayMarkSpam(u.ID) })
			if err != nil {
				return err
			}
			if !ok {
				return conversation.Errorf(ErrForbidden, "only the owner or a delegated user of the conversation's email account may mark it as spam")
			}
		}
		if c.Spam == spam {
			return nil
		}
		c.Spam = spam
		if spam {
			o.decide(triage.Spam)
			o.emit(conversation.Event{Type: conversation.EventMarkedSpam})
		} else {
			o.emit(conversation.Event{Type: conversation.EventUnmarkedSpam})
		}
		return nil
	})
}

// recover takes the conversation out of u's Trash (see Recover).
func (o *op) recover(u *conversation.User) error {
	c := o.conv
	st := o.peek(u.ID)
	switch {
	case st != nil && st.Trashed:
		o.state(u.ID).Trashed = false
		o.emit(conversation.Event{Type: conversation.EventRestored, Users: []conversation.UserID{u.ID}})
	case c.Trashed:
		c.Trashed = false
		c.TrashedAt = time.Time{}
		o.emit(conversation.Event{Type: conversation.EventRestored, ForEveryone: true})
	default:
		return conversation.Errorf(ErrInvalidArgument, "conversation %s is not in Trash", c.ID)
	}
	return nil
}
