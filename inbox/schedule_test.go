package inbox_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/storage/memory"
)

// countType counts the feed's events of type typ after cursor.
func countType(t *testing.T, e *inbox.Engine, after uint64, typ conversation.EventType) int {
	t.Helper()
	n := 0
	for _, it := range feed(t, e, after) {
		if it.Event != nil && it.Event.Type == typ {
			n++
		}
	}
	return n
}

// Several engines on one store running RunDue at once wake a snooze
// once: the job is leased to one of them and removed with the wake-up.
func TestRunDueSeveralEnginesWakeOnce(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Store: store}})
	c := a.Deliver("support", a.Email("Later", "support@acme.test"))
	require.NoError(t, a.Engine.Snooze(ctx, a.As("A"), c, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour)}))
	before := head(t, a.Engine)
	a.Clock.Advance(2 * time.Hour)

	engines := []*inbox.Engine{a.Engine}
	for i := 0; i < 3; i++ {
		engines = append(engines, inbox.New(inbox.Config{Store: store, Clock: a.Clock}))
	}
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for _, e := range engines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := e.RunDue(ctx)
			require.NoError(t, err)
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	require.Equal(t, 1, total)
	require.Equal(t, 1, countType(t, a.Engine, before, conversation.EventWoken))
	require.True(t, a.In("A", a.Box(conversation.Inbox), c))

	n, err := a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "RunDue is idempotent")
}

// A snooze moved later is woken at its new time only; a discarded one
// is not woken at all.
func TestRunDueFollowsTheSnoozeAsItIsNow(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c := a.Deliver("support", a.Email("Later", "support@acme.test"))
	now := a.Clock.Now()
	require.NoError(t, a.Engine.Snooze(ctx, a.As("A"), c, inbox.SnoozeOptions{Until: now.Add(time.Hour)}))
	require.NoError(t, a.Engine.Snooze(ctx, a.As("A"), c, inbox.SnoozeOptions{Until: now.Add(3 * time.Hour)}))
	a.Clock.Advance(2 * time.Hour)
	n, err := a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	a.Clock.Advance(2 * time.Hour)
	n, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)

	require.NoError(t, a.Engine.Snooze(ctx, a.As("A"), c, inbox.SnoozeOptions{Until: a.Clock.Now().Add(time.Hour)}))
	require.NoError(t, a.Engine.DiscardSnooze(ctx, a.As("A"), c))
	a.Clock.Advance(2 * time.Hour)
	n, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
}

// RunDue expires invitations when their time comes, freeing their slots.
func TestRunDueExpiresInvitations(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c := a.Deliver("support", a.Email("Guest", "support@acme.test"))
	_, err := a.Engine.InviteGuest(ctx, a.As("A"), c, "guest@example.com")
	require.NoError(t, err)
	a.Clock.Advance(8 * 24 * time.Hour)
	_, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	n, err := a.Engine.PurgeExpiredInvitations(ctx, inbox.System)
	require.NoError(t, err)
	require.Zero(t, n, "RunDue already expired it")
}

func TestSendReplySendsThenRecords(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c := a.Deliver("support", a.Email("Printer", "support@acme.test"))
	q, err := a.Engine.SendReply(ctx, a.As("A"), c, inbox.ReplyDraft{Text: "On it", Bcc: []conversation.Address{{Address: "boss@acme.test"}}}, inbox.SendOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, q.HeaderID)
	st, err := a.Engine.SendStatus(ctx, a.As("A"), q)
	require.NoError(t, err)
	require.Equal(t, inbox.SendQueued, st)
	_, err = a.Engine.SendStatus(ctx, a.As("B"), q)
	require.ErrorIs(t, err, inbox.ErrNotFound, "another user learns nothing of it")
	require.Empty(t, a.Sender.Take(), "queued, not sent")

	_, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	sent := a.Sender.Take()
	require.Len(t, sent, 1)
	require.Equal(t, q.HeaderID, sent[0].HeaderID)
	require.Equal(t, "support@acme.test", sent[0].Envelope.From)
	require.ElementsMatch(t, []string{"customer@example.com", "boss@acme.test"}, sent[0].Envelope.To)
	require.NotContains(t, string(sent[0].Raw), "boss@acme.test", "Bcc stays out of the header")

	st, err = a.Engine.SendStatus(ctx, a.As("A"), q)
	require.NoError(t, err)
	require.Equal(t, inbox.SendSent, st)
	v, err := a.Engine.Get(ctx, a.As("A"), c)
	require.NoError(t, err)
	last := v.Messages[len(v.Messages)-1]
	require.Equal(t, q.HeaderID, last.HeaderID)
	require.Equal(t, conversation.Outbound, last.Direction)
	require.Equal(t, a.ID("A"), last.SentBy)
	require.True(t, v.Conversation.IsAssigned(a.ID("A")), "recorded as RecordReply records: the replier is assigned")

	_, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Empty(t, a.Sender.Take(), "sent once")
}

func TestSendReplyRetriesTemporaryFailuresThenFails(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c := a.Deliver("support", a.Email("Printer", "support@acme.test"))
	a.Sender.SetFail(func(*inbox.Outgoing) error { return &inbox.SendError{Code: 451, Err: errors.New("try later")} })
	q, err := a.Engine.SendReply(ctx, a.As("A"), c, inbox.ReplyDraft{Text: "On it"}, inbox.SendOptions{})
	require.NoError(t, err)
	before := head(t, a.Engine)

	_, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, a.Sender.Attempts())
	_, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, a.Sender.Attempts(), "not again before the backoff")
	a.Clock.Advance(time.Minute)
	_, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, a.Sender.Attempts())
	a.Clock.Advance(time.Minute)
	_, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, a.Sender.Attempts(), "the second backoff is twice the first")
	st, err := a.Engine.SendStatus(ctx, a.As("A"), q)
	require.NoError(t, err)
	require.Equal(t, inbox.SendQueued, st)

	a.Sender.SetFail(func(*inbox.Outgoing) error {
		return &inbox.SendError{Permanent: true, Code: 550, Err: errors.New("no such user")}
	})
	a.Notes.Take()
	a.Clock.Advance(time.Minute)
	_, err = a.Engine.RunDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, a.Sender.Attempts())
	st, err = a.Engine.SendStatus(ctx, a.As("A"), q)
	require.NoError(t, err)
	require.Equal(t, inbox.SendFailed, st)
	require.Equal(t, 1, countType(t, a.Engine, before, conversation.EventDeliveryFailed))
	var reasons []inbox.Reason
	for _, n := range a.Notes.Take() {
		if n.User == a.ID("A") {
			reasons = append(reasons, n.Reason)
		}
	}
	require.Equal(t, []inbox.Reason{inbox.DeliveryFailed}, reasons)
	v, err := a.Engine.Get(ctx, a.As("A"), c)
	require.NoError(t, err)
	require.Len(t, v.Messages, 1, "nothing recorded as sent")
}

func TestSendReplyNeedsASender(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	c := a.Deliver("support", a.Email("Printer", "support@acme.test"))
	e := inbox.New(inbox.Config{Store: a.Engine.Store(), Clock: a.Clock})
	_, err := e.SendReply(ctx, a.As("A"), c, inbox.ReplyDraft{Text: "On it"}, inbox.SendOptions{})
	require.ErrorIs(t, err, inbox.ErrInvalidArgument)
}
