package inbox_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/storage/memory"
)

// feed reads the whole feed after cursor as the system.
func feed(t *testing.T, e *inbox.Engine, after uint64) []inbox.FeedItem {
	t.Helper()
	var out []inbox.FeedItem
	for it, err := range e.Events(context.Background(), inbox.System, after) {
		require.NoError(t, err)
		out = append(out, it)
	}
	return out
}

func head(t *testing.T, e *inbox.Engine) uint64 {
	t.Helper()
	items := feed(t, e, 0)
	if len(items) == 0 {
		return 0
	}
	return items[len(items)-1].Seq
}

// split returns the events and notifications of items, in order.
func split(items []inbox.FeedItem) ([]*conversation.Event, []inbox.Notification) {
	var evs []*conversation.Event
	var notes []inbox.Notification
	for _, it := range items {
		if it.Event != nil {
			evs = append(evs, it.Event)
		} else {
			notes = append(notes, *it.Notification)
		}
	}
	return evs, notes
}

// The crash test: operations commit, the process dies before it
// drains, and a new engine on the same store hands out every event and
// notification the dead one owed, once, in commit order.
func TestFeedCrashAfterCommitLosesNothing(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Store: store}})
	a.Notes.Take()
	a.Events.Take()
	before := head(t, a.Engine)
	inbox.CrashBeforeDrain(a.Engine)

	c := a.Deliver("support", a.Email("Broken printer", "support@acme.test"))
	require.NoError(t, a.Engine.Assign(ctx, a.As("B"), c, a.IDs("A"), inbox.Replace))
	require.Empty(t, a.Events.Take(), "the dead engine handed nothing out")
	require.Empty(t, a.Notes.Take())

	owed := feed(t, a.Engine, before)
	wantEvents, wantNotes := split(owed)
	require.NotEmpty(t, wantEvents)
	var types []conversation.EventType
	for _, ev := range wantEvents {
		types = append(types, ev.Type)
	}
	require.Contains(t, types, conversation.EventMessageAdded)
	require.Contains(t, types, conversation.EventAssigned)
	require.Contains(t, wantNotes, inbox.Notification{User: a.ID("A"), Conversation: c, Reason: inbox.Assigned, Actor: a.ID("B"), At: a.Clock.Now().UTC()})

	// The next process: a new engine on the same store, draining under
	// the same consumer name.
	notes, events := &inboxtest.Notifier{}, &inboxtest.Events{}
	next := inbox.New(inbox.Config{Store: store, Clock: a.Clock, Notifier: notes, Subscribers: []inbox.EventHandler{events}})
	n, err := next.Drain(ctx)
	require.NoError(t, err)
	require.Equal(t, len(owed), n)
	require.Equal(t, wantEvents, events.Take())
	require.Equal(t, wantNotes, notes.Take())

	// The cursor was recorded: neither it nor a third engine hands them
	// out again.
	n, err = next.Drain(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	third := inbox.New(inbox.Config{Store: store, Clock: a.Clock, Notifier: notes, Subscribers: []inbox.EventHandler{events}})
	n, err = third.Drain(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Empty(t, events.Take())
	require.Empty(t, notes.Take())

	// New operations on the new engine are handed out as they commit.
	require.NoError(t, next.Assign(ctx, a.As("B"), c, a.IDs("B"), inbox.Replace))
	require.NotEmpty(t, events.Take())
}

// An engine under another consumer name hands out every record committed
// after it registered, independently of the first engine's progress.
func TestFeedConsumersAreIndependent(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Store: store}})
	events := &inboxtest.Events{}
	other := inbox.New(inbox.Config{Store: store, Clock: a.Clock, Consumer: "search-index", Subscribers: []inbox.EventHandler{events}})
	_, err := other.RegisterConsumer(ctx, inbox.System, "search-index")
	require.NoError(t, err)
	a.Events.Take()

	a.Deliver("support", a.Email("Hello", "support@acme.test"))
	first := a.Events.Take()
	require.NotEmpty(t, first)
	n, err := other.Drain(ctx)
	require.NoError(t, err)
	require.Equal(t, len(first), len(events.Take()))
	require.Positive(t, n)
}

func TestFeedIsForTheSystemOnly(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	for _, err := range a.Engine.Events(ctx, a.As("Own"), 0) {
		require.ErrorIs(t, err, inbox.ErrForbidden)
	}
	_, err := a.Engine.RegisterConsumer(ctx, a.As("Own"), "x")
	require.ErrorIs(t, err, inbox.ErrForbidden)
	_, err = a.Engine.Compact(ctx, a.As("Own"))
	require.ErrorIs(t, err, inbox.ErrForbidden)
	require.ErrorIs(t, a.Engine.AckEvents(ctx, a.As("Own"), "x", 0), inbox.ErrForbidden)
}

// Compaction keeps what a registered consumer has not acknowledged.
func TestFeedCompactKeepsWhatConsumersHaveNotRead(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	e := a.Engine
	at, err := e.RegisterConsumer(ctx, inbox.System, "webhooks")
	require.NoError(t, err)
	a.Deliver("support", a.Email("Hello", "support@acme.test"))
	unread := feed(t, e, at)
	require.NotEmpty(t, unread)

	_, err = e.Compact(ctx, inbox.System)
	require.NoError(t, err)
	require.Equal(t, unread, feed(t, e, 0), "everything before the consumer's cursor is gone, nothing after it")

	require.NoError(t, e.AckEvents(ctx, inbox.System, "webhooks", unread[len(unread)-1].Seq))
	n, err := e.Compact(ctx, inbox.System)
	require.NoError(t, err)
	require.Equal(t, len(unread), n)
	require.Empty(t, feed(t, e, 0))

	require.NoError(t, e.UnregisterConsumer(ctx, inbox.System, "webhooks"))
	require.ErrorIs(t, e.AckEvents(ctx, inbox.System, "webhooks", 0), inbox.ErrNotFound)
}

// The feed's JSON carries names, never the numbers behind enums, and
// reads back to the same values; invitation tokens stay out of it.
func TestFeedJSON(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	before := head(t, a.Engine)
	c := a.Deliver("support", a.Email("Hello", "support@acme.test"))
	require.NoError(t, a.Engine.Assign(ctx, a.As("B"), c, a.IDs("A"), inbox.Replace))
	items := feed(t, a.Engine, before)
	var sawAssigned, sawNote bool
	for _, it := range items {
		b, err := json.Marshal(it)
		require.NoError(t, err)
		var raw struct {
			Seq          uint64         `json:"seq"`
			Event        map[string]any `json:"event"`
			Notification map[string]any `json:"notification"`
		}
		require.NoError(t, json.Unmarshal(b, &raw))
		require.Equal(t, it.Seq, raw.Seq)
		if it.Event != nil && it.Event.Type == conversation.EventAssigned {
			sawAssigned = true
			require.Equal(t, "conversation.assigned", raw.Event["type"])
		}
		if it.Notification != nil && it.Notification.Reason == inbox.Assigned {
			sawNote = true
			require.Equal(t, "conversation.assigned", raw.Notification["reason"])
		}
		var back inbox.FeedItem
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, it, back)
	}
	require.True(t, sawAssigned)
	require.True(t, sawNote)
}

func TestReasonWireNames(t *testing.T) {
	reasons := []inbox.Reason{inbox.NewMessage, inbox.Mentioned, inbox.Assigned, inbox.CommentPosted, inbox.Shared,
		inbox.SnoozeDue, inbox.Replied, inbox.GuestInvited, inbox.DeliveryFailed, inbox.TaskAssigned,
		inbox.TaskCompleted, inbox.TaskInProgress, inbox.TaskAssigneesChanged}
	seen := map[string]bool{}
	for _, r := range reasons {
		b, err := r.MarshalText()
		require.NoError(t, err, r)
		require.Regexp(t, `^[a-z_]+\.[a-z_]+$`, string(b))
		require.False(t, seen[string(b)], "duplicate %s", b)
		seen[string(b)] = true
		var back inbox.Reason
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, r, back)
	}
	_, err := inbox.Reason(0).MarshalText()
	require.ErrorIs(t, err, inbox.ErrInvalidArgument)
	var r inbox.Reason
	require.ErrorIs(t, r.UnmarshalText([]byte("7")), inbox.ErrInvalidArgument)
}

// A subscriber that acts through the engine with the context it was
// given does not deadlock, and what its operation emits is handed out
// before the operation that triggered it returns.
func TestFeedSubscriberMayCallTheEngine(t *testing.T) {
	var a *inboxtest.Acme
	var commented []conversation.CommentID
	bot := inbox.EventHandlerFunc(func(ctx context.Context, ev *conversation.Event) {
		if ev.Type != conversation.EventMessageAdded {
			return
		}
		id, err := a.Engine.Comment(ctx, a.As("A"), ev.Conversation, inbox.NewComment{Body: "seen"})
		require.NoError(t, err)
		commented = append(commented, id)
	})
	a = inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Subscribers: []inbox.EventHandler{bot}}})
	a.Events.Take()
	a.Deliver("support", a.Email("Hello", "support@acme.test"))
	require.Len(t, commented, 1)
	var types []conversation.EventType
	for _, ev := range a.Events.Take() {
		types = append(types, ev.Type)
	}
	require.Contains(t, types, conversation.EventCommentAdded)
}

// A process that dies while handing records out (here: a subscriber
// panics) hands them out again from the last recorded cursor: the
// records of the interrupted batch come twice, none is lost.
func TestFeedInterruptedDrainRepeatsTheBatch(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Store: store}})
	before := head(t, a.Engine)
	a.Events.Take()

	seen := 0
	dying := inbox.EventHandlerFunc(func(context.Context, *conversation.Event) {
		seen++
		if seen == 2 {
			panic("process dies")
		}
	})
	_, err := a.Engine.RegisterConsumer(ctx, inbox.System, "other")
	require.NoError(t, err)
	c := a.Deliver("support", a.Email("Hello", "support@acme.test"))
	// a's own drain handed these out; e drains them under its own name.
	e := inbox.New(inbox.Config{Store: store, Clock: a.Clock, Consumer: "other", Subscribers: []inbox.EventHandler{dying}})
	require.Panics(t, func() { _, _ = e.Drain(ctx) })

	events := &inboxtest.Events{}
	next := inbox.New(inbox.Config{Store: store, Clock: a.Clock, Consumer: "other", Subscribers: []inbox.EventHandler{events}})
	_, err = next.Drain(ctx)
	require.NoError(t, err)
	want, _ := split(feed(t, a.Engine, before))
	require.Equal(t, want, events.Take(), "every event of the interrupted batch again, in order")
	require.NotEmpty(t, want)
	require.Equal(t, c, want[0].Conversation)
}
