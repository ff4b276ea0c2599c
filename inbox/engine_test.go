package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/storage/memory"
)

// Concurrent operations on one conversation lose no update: every
// comment is stored and counted, every assignee added survives.
func TestConcurrentOperationsLoseNoUpdate(t *testing.T) {
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	ctx := context.Background()
	c := a.Deliver("support", a.Email("Busy", "support@acme.test"))
	names := []string{"A", "B", "O", "Adm"} // Own is in no team and owns no account: no access
	const perUser = 20
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perUser {
				_, err := a.Engine.Comment(ctx, a.As(n), c, inbox.NewComment{Body: fmt.Sprintf("%s %d", n, i)})
				assert.NoError(t, err)
				assert.NoError(t, a.Engine.Star(ctx, a.As(n), c, i%2 == 0))
			}
			assert.NoError(t, a.Engine.Assign(ctx, a.As(n), c, []conversation.UserID{a.ID(n)}, inbox.Add))
		}()
	}
	wg.Wait()
	v := a.Conv("A", c)
	assert.Len(t, v.Comments, len(names)*perUser)
	assert.Equal(t, uint64(len(names)*perUser+1), v.Conversation.Seq)
	assert.Equal(t, a.IDs(names...), v.Conversation.Assignees)
	for _, n := range names {
		assert.True(t, a.In(n, a.Box(conversation.AssignedToMe), c), n)
	}
}

// failingStore fails the transaction's last write, so operations that
// get that far must leave nothing behind.
type failingStore struct {
	storage.Store
	fail bool
}

type failingTx struct{ storage.Tx }

var errInjected = errors.New("injected failure")

func (s *failingStore) Update(ctx context.Context, fn func(storage.Tx) error) error {
	return s.Store.Update(ctx, func(tx storage.Tx) error {
		if s.fail {
			return fn(failingTx{tx})
		}
		return fn(tx)
	})
}

func (failingTx) SetPlacements(context.Context, conversation.ConversationID, time.Time, []conversation.Placement) error {
	return errInjected
}

// A failed operation leaves no partial state: the conversation, its
// messages, per-user states, events and mailboxes are as before.
func TestFailedOperationLeavesNoPartialState(t *testing.T) {
	fs := &failingStore{Store: memory.New()}
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Store: fs}})
	ctx := context.Background()
	c := a.Deliver("support", a.Email("Stable", "support@acme.test"))
	before := a.Conv("A", c)
	inboxA := a.List("A", a.Box(conversation.TeamInbox, "Support"))
	a.Notes.Take()
	a.Events.Take()

	fs.fail = true
	ops := map[string]func() error{
		"assign": func() error { return a.Engine.Assign(ctx, a.As("A"), c, a.IDs("B"), inbox.Replace) },
		"comment": func() error {
			_, err := a.Engine.Comment(ctx, a.As("A"), c, inbox.NewComment{Body: "@c hi"})
			return err
		},
		"close": func() error { return a.Engine.Close(ctx, a.As("A"), c) },
		"deliver": func() error {
			_, err := a.Engine.Deliver(ctx, inbox.System, inbox.Incoming{Account: a.Accounts["support"].ID, Message: a.Email("New", "support@acme.test")})
			return err
		},
	}
	for name, op := range ops {
		err := op()
		require.ErrorIs(t, err, errInjected, name)
	}
	fs.fail = false
	after := a.Conv("A", c)
	assert.Equal(t, before.Conversation, after.Conversation)
	assert.Equal(t, before.Messages, after.Messages)
	assert.Empty(t, after.Comments)
	assert.Equal(t, before.Events, after.Events)
	assert.Equal(t, inboxA, a.List("A", a.Box(conversation.TeamInbox, "Support")))
	assert.Empty(t, a.List("C", a.Box(conversation.All)), "no conversation leaked to C")
	assert.Empty(t, a.Notes.Take(), "no notification for a failed operation")
	assert.Empty(t, a.Events.Take(), "no event for a failed operation")
}

// An actor who cannot see a conversation gets the same ErrNotFound as for
// a conversation that does not exist, whatever the operation.
func TestInvisibleIsIndistinguishableFromMissing(t *testing.T) {
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	ctx := context.Background()
	c := a.Deliver("c", a.Email("Private", "c@acme.test"))
	missing := conversation.ConversationID{1}
	type opFn func(id conversation.ConversationID) error
	ops := map[string]opFn{
		"get": func(id conversation.ConversationID) error { _, err := a.Engine.Get(ctx, a.As("A"), id); return err },
		"assign": func(id conversation.ConversationID) error {
			return a.Engine.Assign(ctx, a.As("A"), id, a.IDs("A"), inbox.Replace)
		},
		"close": func(id conversation.ConversationID) error { return a.Engine.Close(ctx, a.As("A"), id) },
		"archive": func(id conversation.ConversationID) error {
			return a.Engine.Archive(ctx, a.As("A"), id, inbox.ArchiveOptions{})
		},
		"trash": func(id conversation.ConversationID) error {
			return a.Engine.Trash(ctx, a.As("A"), id, inbox.TrashOptions{})
		},
		"comment": func(id conversation.ConversationID) error {
			_, err := a.Engine.Comment(ctx, a.As("A"), id, inbox.NewComment{Body: "x"})
			return err
		},
		"read": func(id conversation.ConversationID) error { return a.Engine.MarkRead(ctx, a.As("A"), id) },
		"snooze": func(id conversation.ConversationID) error {
			return a.Engine.Snooze(ctx, a.As("A"), id, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour)})
		},
		"share": func(id conversation.ConversationID) error {
			return a.Engine.AddPeople(ctx, a.As("A"), id, inbox.People{Users: a.IDs("A")})
		},
		"reply": func(id conversation.ConversationID) error {
			_, err := a.Engine.RecordReply(ctx, a.As("A"), id, inbox.Reply{})
			return err
		},
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			errHidden, errMissing := op(c), op(missing)
			require.ErrorIs(t, errHidden, inbox.ErrNotFound)
			require.ErrorIs(t, errMissing, inbox.ErrNotFound)
			assert.Equal(t, strings.Replace(errMissing.Error(), missing.String(), c.String(), 1), errHidden.Error())
		})
	}
	ok, err := a.Engine.CanSee(ctx, a.As("A"), c)
	require.NoError(t, err)
	assert.False(t, ok)
}

// The zero Actor is refused rather than treated as the system.
func TestZeroActorIsRefused(t *testing.T) {
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c := a.Deliver("support", a.Email("x", "support@acme.test"))
	err := a.Engine.Close(context.Background(), inbox.Actor{}, c)
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
}

// Paging through a mailbox visits every conversation once, newest first.
func TestListPagination(t *testing.T) {
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	ctx := context.Background()
	var want []conversation.ConversationID
	for i := range 23 {
		a.Clock.Advance(time.Minute)
		want = append([]conversation.ConversationID{a.Deliver("support", a.Email(fmt.Sprint("m", i), "support@acme.test"))}, want...)
	}
	var got []conversation.ConversationID
	opts := inbox.ListOptions{Limit: 5}
	for {
		p, err := a.Engine.List(ctx, a.As("A"), a.Box(conversation.TeamInbox, "Support"), opts)
		require.NoError(t, err)
		for _, s := range p.Items {
			got = append(got, s.ID)
		}
		if p.Next == "" {
			break
		}
		opts.Cursor = p.Next
	}
	assert.Equal(t, want, got)
	n, err := a.Engine.Count(ctx, a.As("A"), a.Box(conversation.TeamInbox, "Support"))
	require.NoError(t, err)
	assert.Equal(t, inbox.Counts{Total: 23, Unread: 23}, n)

	var viaIter []conversation.ConversationID
	for s, err := range a.Engine.All(ctx, a.As("A"), a.Box(conversation.TeamInbox, "Support")) {
		require.NoError(t, err)
		viaIter = append(viaIter, s.ID)
	}
	assert.Equal(t, want, viaIter)

	_, err = a.Engine.List(ctx, a.As("A"), a.Box(conversation.TeamInbox, "Support"), inbox.ListOptions{Cursor: "not a cursor"})
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
}

// A trash from the team inbox clears shared labels, and recovering does
// not bring them back (F3:8443, F3:8538); email labels stay (they belong
// to the provider), and so does access the labels did not give.
func TestTeamInboxTrashClearsLabels(t *testing.T) {
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	ctx := context.Background()
	c := a.Deliver("support", a.Email("Labelled", "support@acme.test"))
	shared, err := a.Engine.CreateLabel(ctx, a.As("A"), inbox.LabelSpec{Name: "VIP", AutoShared: a.IDs("C")})
	require.NoError(t, err)
	email, err := a.Engine.CreateLabel(ctx, a.As("A"), inbox.LabelSpec{Kind: conversation.EmailLabel, Account: a.Accounts["support"].ID, Name: "Receipts"})
	require.NoError(t, err)
	require.NoError(t, a.Engine.ApplyLabel(ctx, a.As("A"), c, shared.ID))
	require.NoError(t, a.Engine.ApplyLabel(ctx, a.As("A"), c, email.ID))
	require.ElementsMatch(t, []conversation.LabelID{shared.ID, email.ID}, a.Conv("A", c).Conversation.Labels)
	require.True(t, a.In("C", inbox.LabelMailbox(shared.ID), c))
	require.NoError(t, a.Engine.Trash(ctx, a.As("A"), c, inbox.TrashOptions{From: inbox.FromTeamInbox, Confirmed: true}))
	assert.Equal(t, []conversation.LabelID{email.ID}, a.Conv("A", c).Conversation.Labels)
	ok, err := a.Engine.CanSee(ctx, a.As("C"), c)
	require.NoError(t, err)
	assert.False(t, ok, "C had access only through VIP")
	require.NoError(t, a.Engine.Recover(ctx, a.As("A"), c))
	assert.Equal(t, []conversation.LabelID{email.ID}, a.Conv("A", c).Conversation.Labels)
}
