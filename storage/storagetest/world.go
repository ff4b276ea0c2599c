package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// world is a store filled with one of everything, and the keys to read
// all of it back: [world.snapshot] is the whole observable state, so two
// snapshots are equal exactly when nothing changed.
type world struct {
	org, org2 conversation.OrgID
	ann, bob  *conversation.User
	sales     *conversation.Team
	acc1      *conversation.Account
	acc2      *conversation.Account
	// c0 holds a snooze for everyone, two user states (one snoozed), two
	// messages, a comment and an event and is listed in three boxes; c1
	// and c2 hold less.
	c0, c1, c2 *conversation.Conversation
	// m0, m1 and m3 (Seq 1, 2, 4) are in c0; m2 and m4 (Seq 1, 3) in c1.
	m0, m1, m2 *conversation.Message
	m3, m4     *conversation.Message
	cm0        *conversation.Comment
	e0         *conversation.Event
	boxA       conversation.Box // Inbox of ann: c1 unread, c0
	boxB       conversation.Box // All of ann: c2, c0
	boxC       conversation.Box // team inbox of bob: c0 unread
	boxD       conversation.Box // Inbox of bob: c1 unread

	// The keys snapshot reads; tests add the keys of what they create.
	orgIDs     []conversation.OrgID
	userIDs    []conversation.UserID
	teamIDs    []conversation.TeamID
	accountIDs []conversation.AccountID
	convIDs    []conversation.ConversationID
	handles    []string
	addresses  []string
	headers    []string
	boxes      []conversation.Box
}

func newWorld(t *testing.T, s storage.Store) *world {
	t.Helper()
	ctx := t.Context()
	o1, o2 := newOrg(), newOrg()
	w := &world{org: o1.ID, org2: o2.ID}
	w.ann = newUser(w.org, "ann")
	w.bob = newUser(w.org, "bob")
	cat := newUser(w.org, "")
	w.sales = newTeam(w.org, "sales")
	support := newTeam(w.org, "support")
	w.acc1 = newAccount(w.org, "one@example.com", "one-shared@example.com")
	w.acc2 = newAccount(w.org, "two@example.com", "two-shared@example.com")
	w.c0, w.c1, w.c2 = newConversation(w.org), newConversation(w.org), newConversation(w.org)
	w.c0.SnoozeForEveryone = newSnooze(at(8))
	annState := newState(w.c0.ID, w.ann.ID)
	annState.Snooze = newSnooze(at(6))
	states := []*conversation.UserState{annState, newState(w.c0.ID, w.bob.ID), newState(w.c1.ID, w.ann.ID)}
	w.m0, w.m1, w.m2 = newMessage(w.c0.ID, 1, "h1"), newMessage(w.c0.ID, 2, "h2"), newMessage(w.c1.ID, 1, "h1")
	w.m3, w.m4 = newMessage(w.c0.ID, 4, ""), newMessage(w.c1.ID, 3, "h2")
	w.cm0 = newComment(w.c0.ID, 3)
	w.e0 = newEvent(w.c0.ID, conversation.EventCreated)
	e1 := newEvent(w.c1.ID, conversation.EventCreated)
	w.boxA = conversation.Box{Kind: conversation.Inbox, User: w.ann.ID}
	w.boxB = conversation.Box{Kind: conversation.All, User: w.ann.ID}
	w.boxC = conversation.Box{Kind: conversation.TeamInbox, User: w.bob.ID, Team: w.sales.ID}
	w.boxD = conversation.Box{Kind: conversation.Inbox, User: w.bob.ID}

	update(t, s, func(tx storage.Tx) error {
		var errs []error
		errs = append(errs, tx.PutOrg(ctx, o1), tx.PutOrg(ctx, o2))
		for _, u := range []*conversation.User{w.ann, w.bob, cat} {
			errs = append(errs, tx.PutUser(ctx, u))
		}
		errs = append(errs, tx.PutTeam(ctx, w.sales), tx.PutTeam(ctx, support))
		errs = append(errs, tx.PutAccount(ctx, w.acc1), tx.PutAccount(ctx, w.acc2))
		for _, c := range []*conversation.Conversation{w.c0, w.c1, w.c2} {
			errs = append(errs, tx.CreateConversation(ctx, c))
		}
		for _, st := range states {
			errs = append(errs, tx.PutUserState(ctx, st))
		}
		for _, m := range []*conversation.Message{w.m0, w.m1, w.m2, w.m3, w.m4} {
			errs = append(errs, tx.AddMessage(ctx, w.org, m))
		}
		errs = append(errs,
			tx.AddComment(ctx, w.cm0),
			tx.AppendEvent(ctx, w.e0),
			tx.AppendEvent(ctx, e1),
			tx.SetPlacements(ctx, w.c0.ID, at(3), []conversation.Placement{{Box: w.boxA}, {Box: w.boxB}, {Box: w.boxC, Unread: true}}),
			tx.SetPlacements(ctx, w.c1.ID, at(2), []conversation.Placement{{Box: w.boxA, Unread: true}, {Box: w.boxD, Unread: true}}),
			tx.SetPlacements(ctx, w.c2.ID, at(4), []conversation.Placement{{Box: w.boxB}}),
		)
		return errors.Join(errs...)
	})

	w.orgIDs = []conversation.OrgID{w.org, w.org2}
	w.userIDs = []conversation.UserID{w.ann.ID, w.bob.ID, cat.ID}
	w.teamIDs = []conversation.TeamID{w.sales.ID, support.ID}
	w.accountIDs = []conversation.AccountID{w.acc1.ID, w.acc2.ID}
	w.convIDs = []conversation.ConversationID{w.c0.ID, w.c1.ID, w.c2.ID}
	w.handles = []string{"ann", "bob", "sales", "support", ""}
	w.addresses = []string{"one@example.com", "one-shared@example.com", "two@example.com", "two-shared@example.com"}
	w.headers = []string{"h1", "h2", ""}
	w.boxes = []conversation.Box{w.boxA, w.boxB, w.boxC, w.boxD}
	return w
}

// snapshot is everything a world's keys read, keyed by what was read.
type snapshot map[string]any

func (sn snapshot) add(key string, v any, err error) {
	switch {
	case errors.Is(err, conversation.ErrNotFound):
		sn[key] = "not found"
	case err != nil:
		sn[key] = "error: " + err.Error()
	default:
		sn[key] = v
	}
}

// snapshot reads everything w knows about through tx.
func (w *world) snapshot(ctx context.Context, tx storage.ReadTx) snapshot {
	sn := snapshot{}
	for _, id := range w.orgIDs {
		v, err := tx.Org(ctx, id)
		sn.add("org "+id.String(), v, err)
		us, err := tx.Users(ctx, id)
		sn.add("users of "+id.String(), us, err)
		ts, err := tx.Teams(ctx, id)
		sn.add("teams of "+id.String(), ts, err)
		for _, h := range w.handles {
			u, err := tx.UserByHandle(ctx, id, h)
			sn.add(fmt.Sprintf("user %q of %s", h, id), u, err)
			t, err := tx.TeamByHandle(ctx, id, h)
			sn.add(fmt.Sprintf("team %q of %s", h, id), t, err)
		}
		for _, a := range w.addresses {
			v, err := tx.AccountByAddress(ctx, id, a)
			sn.add(fmt.Sprintf("account %q of %s", a, id), v, err)
		}
		for _, h := range w.headers {
			v, err := tx.MessagesByHeaderID(ctx, id, h)
			sn.add(fmt.Sprintf("messages %q of %s", h, id), v, err)
		}
	}
	for _, id := range w.userIDs {
		v, err := tx.User(ctx, id)
		sn.add("user "+id.String(), v, err)
	}
	for _, id := range w.teamIDs {
		v, err := tx.Team(ctx, id)
		sn.add("team "+id.String(), v, err)
	}
	for _, id := range w.accountIDs {
		v, err := tx.Account(ctx, id)
		sn.add("account "+id.String(), v, err)
	}
	for _, id := range w.convIDs {
		c, err := tx.Conversation(ctx, id)
		sn.add("conversation "+id.String(), c, err)
		st, err := tx.UserStates(ctx, id)
		if len(st) == 0 {
			st = nil
		}
		sn.add("states of "+id.String(), st, err)
		for _, u := range w.userIDs {
			v, err := tx.UserState(ctx, id, u)
			sn.add("state of "+id.String()+" for "+u.String(), v, err)
		}
		ms, err := tx.Messages(ctx, id)
		sn.add("messages of "+id.String(), ms, err)
		cs, err := tx.Comments(ctx, id)
		sn.add("comments of "+id.String(), cs, err)
		es, err := tx.Events(ctx, id)
		sn.add("events of "+id.String(), es, err)
	}
	for _, b := range w.boxes {
		key := fmt.Sprintf("box %v %s %s", b.Kind, b.User, b.Team)
		es, err := tx.List(ctx, b, storage.Cursor{}, 1000)
		sn.add("list of "+key, normalizeEntries(es), err)
		c, err := tx.Count(ctx, b)
		sn.add("count of "+key, c, err)
	}
	due, err := tx.DueSnoozes(ctx, at(100000), 1000)
	sn.add("due snoozes", sortDue(due), err)
	return sn
}

// view returns a snapshot of the committed state of s.
func (w *world) view(t *testing.T, s storage.Store) snapshot {
	t.Helper()
	var sn snapshot
	view(t, s, func(tx storage.ReadTx) error {
		sn = w.snapshot(t.Context(), tx)
		return nil
	})
	return sn
}

// requireSnapshotsEqual compares two snapshots key by key, for readable
// failures.
func requireSnapshotsEqual(t *testing.T, want, got snapshot, msg string) {
	t.Helper()
	for k, v := range want {
		require.Equal(t, v, got[k], "%s: %s", msg, k)
	}
	require.Len(t, got, len(want), msg)
}
