package inbox

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// op is one operation in flight: the transaction, the actor, the
// conversation it changes with its per-user states and teams, and what it
// will emit after commit. Operations load what they need through it,
// change the loaded values in place, and let flush write them back with
// the conversation's mailbox placements recomputed.
type op struct {
	e     *Engine
	ctx   context.Context
	tx    storage.Tx
	now   time.Time
	actor Actor
	// user is the acting user, nil for the system.
	user *conversation.User

	conv    *conversation.Conversation
	created bool
	deleted bool
	states  map[conversation.UserID]*conversation.UserState
	dirty   map[conversation.UserID]bool
	// loaded, when not nil, holds the users whose states are loaded: the
	// operation loaded only those (see adoptOnly); others load on demand,
	// and a failure to load is kept in loadErr for flush to return.
	loaded   map[conversation.UserID]bool
	loadErr  error
	teams    conversation.Teams
	changed  bool
	activity bool

	events []*conversation.Event
	notes  []Notification
	// notified holds the users notes already notifies.
	notified map[conversation.UserID]bool
	// out collects the events and notifications of every conversation the
	// operation touched, for dispatch after commit.
	out *outbox
}

// update runs fn as one operation in a read-write transaction, retrying
// on conflicts; what it emitted goes to the outbox in that transaction,
// and is drained after the commit.
func (e *Engine) update(ctx context.Context, actor Actor, fn func(o *op) error) error {
	if !actor.system && actor.user.IsZero() {
		return conversation.Errorf(ErrInvalidArgument, "no actor: use AsUser or System")
	}
	var out outbox
	var recs []storage.OutboxRecord
	var err error
	for attempt := 0; attempt < e.maxRetries; attempt++ {
		out, recs = outbox{}, nil
		err = e.store.Update(ctx, func(tx storage.Tx) error {
			o := &op{e: e, ctx: ctx, tx: tx, now: e.now(), actor: actor, out: &out}
			if !actor.system {
				u, err := tx.User(ctx, actor.user)
				if err != nil {
					return fmt.Errorf("actor: %w", err)
				}
				o.user = u
			}
			if err := fn(o); err != nil {
				return err
			}
			if err := o.flush(); err != nil {
				return err
			}
			recs, err = e.writeOutbox(ctx, tx, &out)
			return err
		})
		if err == nil || !isConflict(err) || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return err
	}
	e.registered.Store(true)
	if e.crashBeforeDrain {
		return nil
	}
	_, err = e.drain(ctx, freshItems(recs, &out))
	e.reportError(err)
	return nil
}

// view runs fn in a read-only transaction with the actor resolved.
func (e *Engine) view(ctx context.Context, actor Actor, fn func(tx storage.ReadTx, u *conversation.User) error) error {
	if actor.system || actor.user.IsZero() {
		return conversation.Errorf(ErrInvalidArgument, "reads need a user actor")
	}
	return e.store.View(ctx, func(tx storage.ReadTx) error {
		u, err := tx.User(ctx, actor.user)
		if err != nil {
			return fmt.Errorf("actor: %w", err)
		}
		return fn(tx, u)
	})
}

// member returns the acting user, refusing the system and guests: the
// operation is one only organization members perform.
func (o *op) member() (*conversation.User, error) {
	if o.user == nil {
		return nil, conversation.Errorf(ErrForbidden, "this operation needs a user actor")
	}
	if o.user.Role == conversation.RoleGuest {
		return nil, conversation.Errorf(ErrGuestForbidden, "guests may not do this")
	}
	return o.user, nil
}

// admin returns the acting user if they are an owner or admin of org.
func (o *op) admin(org conversation.OrgID) (*conversation.User, error) {
	u, err := o.member()
	if err != nil {
		return nil, err
	}
	if u.Org != org {
		return nil, conversation.Errorf(ErrNotFound, "organization %s", org)
	}
	if !u.Role.IsAdmin() {
		return nil, conversation.Errorf(ErrForbidden, "only owners and admins may do this")
	}
	return u, nil
}

// load reads conversation id with its states and access teams and checks
// that the actor may see it; one the actor cannot see is ErrNotFound.
func (o *op) load(id conversation.ConversationID) error {
	return o.loadOnly(id, nil)
}

// loadOnly is load reading, with only set, the states of those users
// only (see adoptOnly).
func (o *op) loadOnly(id conversation.ConversationID, only []conversation.UserID) error {
	if err := needID("conversation", id); err != nil {
		return err
	}
	c, err := o.tx.Conversation(o.ctx, id)
	if isNotFound(err) {
		// The same words as for a conversation the actor may not see.
		return conversation.Errorf(ErrNotFound, "conversation %s", id)
	}
	if err != nil {
		return err
	}
	if err := o.adoptOnly(c, false, only); err != nil {
		return err
	}
	if !c.MergedInto.IsZero() {
		return mergedInto(o.ctx, o.tx, o.user, id, c.MergedInto)
	}
	return nil
}

// adopt makes c the operation's conversation (new if created).
func (o *op) adopt(c *conversation.Conversation, created bool) error {
	return o.adoptOnly(c, created, nil)
}

// adoptOnly is adopt loading, with only set, the states of those users
// only: for an operation that reads and changes nobody else's, so that
// its cost does not grow with everyone who ever had the conversation.
func (o *op) adoptOnly(c *conversation.Conversation, created bool, only []conversation.UserID) error {
	o.conv, o.created, o.deleted, o.changed, o.activity = c, created, false, created, created
	o.dirty = map[conversation.UserID]bool{}
	o.teams = conversation.Teams{}
	o.loaded, o.loadErr = nil, nil
	if !created && only != nil {
		o.states = make(map[conversation.UserID]*conversation.UserState, len(only))
		o.loaded = make(map[conversation.UserID]bool, len(only))
		for _, u := range only {
			if err := o.loadState(u); err != nil {
				return err
			}
		}
	} else if created {
		// Stored at once so messages and comments can reference it; flush
		// writes the final state over it.
		if err := o.tx.CreateConversation(o.ctx, c); err != nil {
			return err
		}
		o.states = map[conversation.UserID]*conversation.UserState{}
	} else {
		states, err := o.tx.UserStates(o.ctx, c.ID)
		if err != nil {
			return err
		}
		o.states = states
	}
	if err := o.loadTeams(); err != nil {
		return err
	}
	if o.user != nil && !created && !o.canAccess(o.user) {
		return conversation.Errorf(ErrNotFound, "conversation %s", c.ID)
	}
	return nil
}

// loadTeams makes sure every team whose membership decides access to the
// conversation (its grant teams) is loaded.
func (o *op) loadTeams() error {
	for _, t := range o.conv.GrantTeams() {
		if _, ok := o.teams[t]; ok {
			continue
		}
		team, err := o.tx.Team(o.ctx, t)
		if err != nil {
			return err
		}
		o.teams[t] = team
	}
	return nil
}

// team returns a loaded team of the conversation's organization.
func (o *op) team(id conversation.TeamID) (*conversation.Team, error) {
	if err := needID("team", id); err != nil {
		return nil, err
	}
	if t, ok := o.teams[id]; ok {
		return t, nil
	}
	t, err := o.tx.Team(o.ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Org != o.conv.Org {
		return nil, conversation.Errorf(ErrNotFound, "team %s", id)
	}
	o.teams[id] = t
	return t, nil
}

// canAccess reports whether u may see the operation's conversation.
func (o *op) canAccess(u *conversation.User) bool {
	return conversation.CanAccess(o.conv, u, o.states[u.ID], o.teams)
}

// loadState loads u's state into a partly loaded operation.
func (o *op) loadState(u conversation.UserID) error {
	st, err := o.tx.UserState(o.ctx, o.conv.ID, u)
	if err != nil && !isNotFound(err) {
		return err
	}
	if err == nil {
		o.states[u] = st
	}
	o.loaded[u] = true
	return nil
}

// need makes sure u's state is loaded in a partly loaded operation.
func (o *op) need(u conversation.UserID) {
	if o.loaded == nil || o.loaded[u] {
		return
	}
	if err := o.loadState(u); err != nil && o.loadErr == nil {
		o.loadErr = err
	}
}

// loadAll completes the states of a partly loaded operation; states
// already loaded (and maybe changed) are kept.
func (o *op) loadAll() error {
	if o.loaded == nil {
		return nil
	}
	all, err := o.tx.UserStates(o.ctx, o.conv.ID)
	if err != nil {
		return err
	}
	for u, st := range all {
		if !o.loaded[u] {
			o.states[u] = st
		}
	}
	o.loaded = nil
	return nil
}

// state returns u's state of the conversation for change, creating the
// zero state if none is stored.
func (o *op) state(u conversation.UserID) *conversation.UserState {
	o.need(u)
	st := o.states[u]
	if st == nil {
		st = &conversation.UserState{Conversation: o.conv.ID, User: u}
		o.states[u] = st
	}
	o.dirty[u] = true
	return st
}

// peek returns u's state without marking it changed (nil if none).
func (o *op) peek(u conversation.UserID) *conversation.UserState {
	o.need(u)
	return o.states[u]
}

// touch marks the shared state changed; with activity it also moves the
// conversation to the top of every mailbox.
func (o *op) touch(activity bool) {
	o.changed = true
	if activity {
		o.activity = true
	}
}

// emit appends an event to the timeline.
func (o *op) emit(ev conversation.Event) *conversation.Event {
	ev.ID = conversation.EventID(o.e.newID())
	ev.Conversation = o.conv.ID
	ev.Actor = o.actor.user
	ev.At = o.now
	p := &ev
	o.events = append(o.events, p)
	o.changed = true
	return p
}

// flush writes the conversation, changed states, events and placements.
// It is called once per conversation an operation touches.
func (o *op) flush() error {
	if o.conv == nil {
		return nil
	}
	c := o.conv
	ctx := o.ctx
	if o.deleted {
		if err := o.tx.DeleteConversation(ctx, c.ID); err != nil {
			return err
		}
		o.out.events = append(o.out.events, o.events...)
		o.out.notes = append(o.out.notes, o.notes...)
		o.conv, o.events, o.notes, o.notified = nil, nil, nil, nil
		return nil
	}
	if o.loadErr != nil {
		return o.loadErr
	}
	if !o.changed && len(o.dirty) == 0 {
		return nil
	}
	if o.loaded != nil && !o.changed && len(o.notes) == 0 {
		// Only some users' states changed, the conversation did not.
		if done, err := o.flushUsers(); done || err != nil {
			return err
		}
	}
	if err := o.loadAll(); err != nil {
		return err
	}
	if o.activity {
		c.LastActivity = o.now
	}
	if o.changed {
		if err := o.tx.UpdateConversation(ctx, c); err != nil {
			return err
		}
	}
	if err := o.putStates(); err != nil {
		return err
	}
	if err := o.scheduleSnoozes(); err != nil {
		return err
	}
	for _, ev := range o.events {
		if err := o.tx.AppendEvent(ctx, ev); err != nil {
			return err
		}
	}
	if err := o.loadTeams(); err != nil {
		return err
	}
	placements := conversation.Placements(nil, c, o.states, o.teams)
	if err := o.tx.SetPlacements(ctx, c.ID, c.LastActivity, placements); err != nil {
		return err
	}
	o.out.events = append(o.out.events, o.events...)
	o.out.notes = append(o.out.notes, o.audienceOnly(o.notes)...)
	o.conv, o.events, o.notes, o.notified = nil, nil, nil, nil
	return nil
}

// putStates writes the changed user states. A state left empty (a
// removed guest's) is deleted where the store can, and dropped from the
// loaded ones, so no later operation reads it back: what an operation on
// a conversation loads does not grow with everyone who ever held access.
func (o *op) putStates() error {
	del, canDelete := o.tx.(storage.UserStateDeleter)
	for u := range o.dirty {
		st := o.states[u]
		if canDelete && st.Empty() {
			if err := del.DeleteUserState(o.ctx, st.Conversation, u); err != nil {
				return err
			}
			delete(o.states, u)
			continue
		}
		if err := o.tx.PutUserState(o.ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// flushUsers writes the changed states of a partly loaded operation
// whose conversation did not change, and updates the mailbox placements
// of those users only, when the store can (storage.UserPlacementsSetter).
// It reports whether it did.
func (o *op) flushUsers() (bool, error) {
	setter, ok := o.tx.(storage.UserPlacementsSetter)
	if !ok {
		return false, nil
	}
	c := o.conv
	users := make([]conversation.UserID, 0, len(o.dirty))
	states := make(map[conversation.UserID]*conversation.UserState, len(o.dirty))
	for u := range o.dirty {
		if err := o.tx.PutUserState(o.ctx, o.states[u]); err != nil {
			return true, err
		}
		users = append(users, u)
		states[u] = o.states[u]
	}
	slices.SortFunc(users, conversation.UserID.Compare)
	if err := o.loadTeams(); err != nil {
		return true, err
	}
	pl := slices.DeleteFunc(conversation.Placements(nil, c, states, o.teams), func(p conversation.Placement) bool {
		_, ok := slices.BinarySearchFunc(users, p.Box.User, conversation.UserID.Compare)
		return !ok
	})
	if err := setter.SetUserPlacements(o.ctx, c.ID, users, pl); err != nil {
		return true, err
	}
	o.out.events = append(o.out.events, o.events...)
	o.out.notes = append(o.out.notes, o.notes...)
	o.conv, o.events, o.notes, o.notified, o.loaded = nil, nil, nil, nil, nil
	return true, nil
}

// audienceOnly drops the notifications about the operation's conversation
// addressed to users who cannot see it as it is now: a watcher whose
// access ended (a label's auto-share removed, a team left, an account
// made private) is not told about it any more. Notifications about no
// conversation (an invitation) pass.
func (o *op) audienceOnly(notes []Notification) []Notification {
	if len(notes) == 0 {
		return notes
	}
	audience := conversation.Audience(o.conv, o.states, o.teams)
	return slices.DeleteFunc(notes, func(n Notification) bool {
		if n.User.IsZero() || n.Invitation != nil || n.Conversation != o.conv.ID {
			return false
		}
		_, ok := slices.BinarySearchFunc(audience, n.User, conversation.UserID.Compare)
		return !ok
	})
}

// switchTo flushes the current conversation and loads another one, for
// operations that touch several conversations.
func (o *op) switchTo(c *conversation.Conversation, created bool) error {
	if err := o.flush(); err != nil {
		return err
	}
	return o.adopt(c, created)
}

// loadOrg returns the organization of the conversation.
func (o *op) loadOrg(id conversation.OrgID) (*conversation.Org, error) {
	return o.tx.Org(o.ctx, id)
}
