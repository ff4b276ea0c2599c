package inbox

import (
	"context"
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/triage"
)

// AssignMode says whether Assign replaces the assignees or adds to them (⌘D
// versus ⌘⇧D).
type AssignMode uint8

const (
	// Replace makes users the only assignees.
	Replace AssignMode = iota
	// Add keeps the current assignees and adds users.
	Add
)

// Assign assigns users to a conversation. Assignees must be members of the
// organization, never guests; rooms cannot be assigned. Each new assignee
// gains access, gets the conversation at the top of their Inbox, starts
// watching and is notified; the conversation leaves the team inbox for
// everyone.
func (e *Engine) Assign(ctx context.Context, actor Actor, id conversation.ConversationID, users []conversation.UserID, mode AssignMode) error {
	if mode != Replace && mode != Add {
		return conversation.Errorf(ErrInvalidArgument, "assign mode %d", mode)
	}
	if mode == Add && len(users) == 0 {
		return conversation.Errorf(ErrInvalidArgument, "no users to add")
	}
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		return o.assign(users, mode == Replace)
	})
}

// Unassign removes users from the assignees. They keep watching until they
// unwatch. When the last assignee goes, a conversation of a team goes back
// to its team inbox: unassigned team work is triage work.
func (e *Engine) Unassign(ctx context.Context, actor Actor, id conversation.ConversationID, users []conversation.UserID) error {
	if len(users) == 0 {
		return conversation.Errorf(ErrInvalidArgument, "no users to remove")
	}
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		o.unassign(users)
		return nil
	})
}

// MoveToTeam assigns the conversation to a team: it is listed in that team's
// inbox, reopened if it was closed; a conversation already in another team
// is transferred. The team must have an inbox.
func (e *Engine) MoveToTeam(ctx context.Context, actor Actor, id conversation.ConversationID, team conversation.TeamID) error {
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		if o.conv.Kind == conversation.Room {
			return conversation.Errorf(ErrInvalidArgument, "rooms belong to no team inbox")
		}
		t, err := o.team(team)
		if err != nil {
			return err
		}
		if t.NoInbox {
			return conversation.Errorf(ErrInvalidArgument, "team %s has no team inbox", t.Name)
		}
		c := o.conv
		if c.Team == t.ID && c.InTeamInbox && !c.Closed {
			return nil
		}
		// Work moved into a team inbox is work to do: a closed conversation
		// is reopened there (the team inbox never lists closed
		// conversations).
		if c.Closed {
			c.Closed = false
			o.emit(conversation.Event{Type: conversation.EventReopened})
		}
		o.moveTeam(t, false)
		return nil
	})
}

// UnassignTeam removes the conversation from its team without moving it
// elsewhere.
func (e *Engine) UnassignTeam(ctx context.Context, actor Actor, id conversation.ConversationID) error {
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		c := o.conv
		if c.Team.IsZero() {
			return nil
		}
		o.decide(triage.LeaveTeam)
		o.touch(true)
		return nil
	})
}

// loadAs loads a conversation for an operation organization members (or
// the system) perform, and returns the acting user (nil for the system).
// The access check comes first, so an actor who cannot see the
// conversation gets ErrNotFound whatever their role.
func (o *op) loadAs(id conversation.ConversationID) (*conversation.User, error) {
	if err := o.load(id); err != nil {
		return nil, err
	}
	if o.user != nil && o.user.Role == conversation.RoleGuest {
		return nil, conversation.Errorf(ErrGuestForbidden, "guests may only read, comment and change their own state of a conversation")
	}
	return o.user, nil
}

// loadAsUser is loadAs for operations that need a user actor (the
// system has no Inbox to archive from, no access of its own to trash).
func (o *op) loadAsUser(id conversation.ConversationID) (*conversation.User, error) {
	u, err := o.loadAs(id)
	if err == nil && u == nil {
		return nil, conversation.Errorf(ErrForbidden, "this operation needs a user actor")
	}
	return u, err
}

// assign implements Assign on the loaded conversation.
func (o *op) assign(users []conversation.UserID, replace bool) error {
	c := o.conv
	if c.Kind == conversation.Room {
		return conversation.Errorf(ErrInvalidArgument, "rooms cannot be assigned")
	}
	want := slices.Clone(users)
	slices.SortFunc(want, conversation.UserID.Compare)
	want = slices.Compact(want)
	for _, u := range want {
		if err := o.checkMember(c.Org, u); err != nil {
			return err
		}
	}
	if replace {
		var gone []conversation.UserID
		for _, a := range c.Assignees {
			if _, keep := slices.BinarySearchFunc(want, a, conversation.UserID.Compare); !keep {
				gone = append(gone, a)
			}
		}
		if len(gone) > 0 {
			o.unassign(gone)
		}
	}
	var added []conversation.UserID
	for _, u := range want {
		if !conversation.AddSorted(&c.Assignees, u) {
			continue
		}
		added = append(added, u)
		conversation.AddSorted(&c.Users, u)
		o.restore(u)
	}
	if len(added) == 0 {
		return nil
	}
	o.decide(func(f triage.Facts) triage.Outcome { return triage.Assign(f, added) })
	o.touch(true)
	return nil
}

// unassign removes users from the assignees.
func (o *op) unassign(users []conversation.UserID) {
	c := o.conv
	var removed []conversation.UserID
	for _, u := range users {
		if conversation.RemoveSorted(&c.Assignees, u) {
			removed = append(removed, u)
		}
	}
	if len(removed) == 0 {
		return
	}
	o.decide(func(f triage.Facts) triage.Outcome { return triage.Unassign(f, removed) })
	o.touch(true)
}

// moveTeam sets the conversation's team and lists it in that team's
// inbox unless it is assigned.
func (o *op) moveTeam(t *conversation.Team, byMessage bool) {
	o.teams[t.ID] = t
	o.decide(func(f triage.Facts) triage.Outcome { return triage.MoveTeam(f, t.ID, byMessage) })
	o.touch(true)
}
