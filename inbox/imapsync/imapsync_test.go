package imapsync_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox/imapsync"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/inbox/mailauth"
	"github.com/inboxkit/inboxkit/inbox/mailauth/mailauthtest"
)

// INBOX mail is delivered, the Sent folder's mail recorded as the
// account's own and threaded with what it answers; each copy keeps its
// server reference; a second sync fetches nothing.
func TestSyncInboxAndSent(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	for i := 1; i <= 3; i++ {
		appendMsg(t, c, "INBOX", msg(i), time.Time{})
	}
	appendMsg(t, c, "Sent", sentMsg(2), time.Time{})
	f := newFixture(t, ms.Addr)
	s := f.syncer(t)
	require.NoError(t, s.Sync(t.Context(), f.account))

	for i := 1; i <= 3; i++ {
		r := f.requireOnce(t, fmt.Sprintf("order%d@example.com", i))
		assert.Equal(t, "INBOX", r.Folder)
		assert.Equal(t, uint32(i), r.UID)
	}
	r := f.requireOnce(t, "reply2@acme.test")
	assert.Equal(t, "Sent", r.Folder)
	sent := f.messages(t, "reply2@acme.test")[0]
	assert.Equal(t, conversation.Outbound, sent.Direction)
	assert.Equal(t, f.messages(t, "order2@example.com")[0].Conversation, sent.Conversation, "the sent reply joins its conversation")
	assert.Len(t, f.acme.List("A", f.acme.Box(conversation.TeamInbox, "Support")), 3)

	p := f.progress()
	assert.Equal(t, 4, p.Fetched)
	assert.Equal(t, 4, p.Delivered)
	cur, err := s.Cursor(t.Context(), f.account, "INBOX")
	require.NoError(t, err)
	assert.Equal(t, uint32(3), cur.Last)
	assert.Zero(t, cur.ImportEnd)

	require.NoError(t, s.Sync(t.Context(), f.account))
	assert.Equal(t, 4, f.progress().Fetched, "nothing fetched again")
}

// The initial import takes the history window only; mail arriving later
// is synced whatever its date (spec accounts-threading §2.9).
func TestSyncHistoryWindow(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	now := time.Now()
	appendMsg(t, c, "INBOX", msg(1), now.Add(-40*24*time.Hour))
	appendMsg(t, c, "INBOX", msg(2), now.Add(-2*24*time.Hour))
	f := newFixture(t, ms.Addr)
	f.server.AllHistory = false
	f.server.History = 7 * 24 * time.Hour
	s := f.syncer(t)
	require.NoError(t, s.Sync(t.Context(), f.account))
	assert.Empty(t, f.messages(t, "order1@example.com"), "older than the window")
	f.requireOnce(t, "order2@example.com")

	appendMsg(t, c, "INBOX", msg(3), now.Add(-400*24*time.Hour)) // moved in, old date
	require.NoError(t, s.Sync(t.Context(), f.account))
	f.requireOnce(t, "order3@example.com")
	assert.Empty(t, f.messages(t, "order1@example.com"))
}

// With IDLE, a message appended on the server is delivered without
// waiting for a poll.
func TestRunIdlePush(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	f := newFixture(t, ms.Addr)
	s := f.syncer(t, func(o *imapsync.Options) { o.PollInterval = time.Hour })
	runBackground(t, s, f.account)
	for i := 1; i <= 3; i++ {
		// go-imap's memory server reports only what arrives once its
		// IDLE handler has registered, just after it tells the client
		// IDLE began (Dovecot also reports what arrived before): wait
		// for both.
		f.waitIdle(t)
		time.Sleep(50 * time.Millisecond)
		appendMsg(t, c, "INBOX", msg(i), time.Time{})
		id := fmt.Sprintf("order%d@example.com", i)
		require.Eventually(t, func() bool { return len(f.messages(t, id)) == 1 }, 5*time.Second, 5*time.Millisecond, "message %d pushed", i)
	}
}

// Without IDLE, the server is polled.
func TestRunPolling(t *testing.T) {
	ms := startMemServer(t, memConfig{caps: imap.CapSet{imap.CapIMAP4rev1: {}}})
	c := ms.client(t)
	f := newFixture(t, ms.Addr)
	runBackground(t, f.syncer(t), f.account)
	appendMsg(t, c, "INBOX", msg(1), time.Time{})
	require.Eventually(t, func() bool { return len(f.messages(t, "order1@example.com")) == 1 }, 5*time.Second, 10*time.Millisecond)
	appendMsg(t, c, "Sent", sentMsg(1), time.Time{})
	require.Eventually(t, func() bool { return len(f.messages(t, "reply1@acme.test")) == 1 }, 5*time.Second, 10*time.Millisecond)
}

// The server renumbers INBOX (new UIDVALIDITY): the known messages are
// re-mapped to their new references, nothing is delivered twice, nothing
// reopens or notifies, and a new message is delivered (spec
// accounts-threading §2.7: copies re-matched by Message-ID).
func TestSyncUIDValidityChange(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	for i := 1; i <= 3; i++ {
		appendMsg(t, c, "INBOX", msg(i), time.Time{})
	}
	f := newFixture(t, ms.Addr)
	s := f.syncer(t)
	require.NoError(t, s.Sync(t.Context(), f.account))
	before := f.requireOnce(t, "order1@example.com")
	conv := f.messages(t, "order1@example.com")[0].Conversation
	require.NoError(t, f.acme.Engine.Close(t.Context(), f.acme.As("A"), conv))
	f.acme.Events.Take()
	f.acme.Notes.Take()

	ms.recreate(t, "INBOX")
	c = ms.client(t)
	appendMsg(t, c, "INBOX", msg(4), time.Time{}) // new, first in the new numbering
	for i := 1; i <= 3; i++ {
		appendMsg(t, c, "INBOX", msg(i), time.Time{})
	}
	require.NoError(t, s.Sync(t.Context(), f.account))
	for i := 1; i <= 3; i++ {
		r := f.requireOnce(t, fmt.Sprintf("order%d@example.com", i))
		assert.NotEqual(t, before.UIDValidity, r.UIDValidity, "re-mapped")
		assert.Equal(t, uint32(i+1), r.UID)
	}
	f.requireOnce(t, "order4@example.com")
	v := f.acme.Conv("A", conv)
	assert.True(t, v.Conversation.Closed, "nothing reopened")
	for _, ev := range f.acme.Events.Take() {
		assert.NotEqual(t, conv, ev.Conversation, "no event on a re-mapped conversation: %v", ev.Type)
	}
	cur, err := s.Cursor(t.Context(), f.account, "INBOX")
	require.NoError(t, err)
	assert.Zero(t, cur.PreviousValidity, "re-match finished")
	assert.Equal(t, uint32(4), cur.Last)
}

// The server drops the connection in the middle of a FETCH: Run
// reconnects, and every message ends up delivered exactly once.
func TestRunServerDropMidFetch(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	for i := 1; i <= 20; i++ {
		appendMsg(t, c, "INBOX", msg(i), time.Time{})
	}
	f := newFixture(t, ms.Addr)
	ms.dropAfter.Store(1500) // well inside the first body FETCH
	runBackground(t, f.syncer(t), f.account)
	require.Eventually(t, func() bool { return len(f.messages(t, "order20@example.com")) == 1 }, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, int64(1), ms.drops.Load(), "the connection was dropped")
	for i := 1; i <= 20; i++ {
		f.requireOnce(t, fmt.Sprintf("order%d@example.com", i))
	}
}

// A process that stops mid-sync (after delivering a message, before its
// cursor is stored) and restarts resumes without losing or doubling
// anything.
func TestSyncRestartResume(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	for i := 1; i <= 10; i++ {
		appendMsg(t, c, "INBOX", msg(i), time.Time{})
	}
	f := newFixture(t, ms.Addr)
	ctx, crash := context.WithCancel(t.Context())
	first := f.syncer(t, func(o *imapsync.Options) {
		o.BatchSize = 3
		o.Progress = func(p imapsync.Progress) {
			if p.Delivered == 5 {
				crash() // delivered, cursor not yet stored
			}
		}
	})
	require.Error(t, first.Sync(ctx, f.account))
	delivered := 0
	for i := 1; i <= 10; i++ {
		delivered += len(f.messages(t, fmt.Sprintf("order%d@example.com", i)))
	}
	require.Equal(t, 5, delivered)
	cur, err := first.Cursor(t.Context(), f.account, "INBOX")
	require.NoError(t, err)
	require.Equal(t, uint32(4), cur.Last, "the fifth was delivered but its cursor was not stored")

	f.acme.Events.Take()
	restarted := f.syncer(t)
	require.NoError(t, restarted.Sync(t.Context(), f.account))
	for i := 1; i <= 10; i++ {
		f.requireOnce(t, fmt.Sprintf("order%d@example.com", i))
	}
	created := 0
	for _, ev := range f.acme.Events.Take() {
		if ev.Type == conversation.EventCreated {
			created++
		}
	}
	assert.Equal(t, 5, created, "the fifth message again changed nothing")
}

// An oversized message and input that is not a message are skipped with
// a recorded reason; the cursor moves past them and the rest arrives.
func TestSyncSkipsWhatItCannotDeliver(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	appendMsg(t, c, "INBOX", msg(1), time.Time{})
	appendMsg(t, c, "INBOX", msg(2)+string(make([]byte, 4000)), time.Time{})
	appendMsg(t, c, "INBOX", "\x00\x01 not a message at all", time.Time{})
	appendMsg(t, c, "INBOX", msg(4), time.Time{})
	f := newFixture(t, ms.Addr)
	s := f.syncer(t, func(o *imapsync.Options) { o.MaxMessageSize = 2000 })
	require.NoError(t, s.Sync(t.Context(), f.account))
	f.requireOnce(t, "order1@example.com")
	f.requireOnce(t, "order4@example.com")
	assert.Empty(t, f.messages(t, "order2@example.com"))
	skips, err := s.Skips(t.Context(), f.account, 0)
	require.NoError(t, err)
	require.Len(t, skips, 2)
	assert.Equal(t, uint32(2), skips[0].UID)
	assert.Contains(t, skips[0].Reason, "size limit")
	assert.Equal(t, uint32(3), skips[1].UID)
	assert.NotEmpty(t, skips[1].Reason)
	p := f.progress()
	assert.Equal(t, 2, p.Skipped)
	assert.Equal(t, 2, p.Delivered)
	cur, err := s.Cursor(t.Context(), f.account, "INBOX")
	require.NoError(t, err)
	assert.Equal(t, uint32(4), cur.Last)
}

// STARTTLS with a self-signed certificate: refused by default, before
// logging in; accepted with AllowSelfSigned or a trusted root (spec
// accounts-threading §2.7 TLS).
func TestSyncStartTLSSelfSigned(t *testing.T) {
	cert, pool := mailauthtest.SelfSigned(t)
	ms := startMemServer(t, memConfig{tls: &tls.Config{Certificates: []tls.Certificate{cert}}})
	appendMsg(t, ms.client(t), "INBOX", msg(1), time.Time{})
	f := newFixture(t, ms.Addr)
	f.server.Security = mailauth.StartTLS
	err := f.syncer(t).Sync(t.Context(), f.account)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
	assert.Empty(t, f.messages(t, "order1@example.com"))

	f.server.AllowSelfSigned = true
	require.NoError(t, f.syncer(t).Sync(t.Context(), f.account))
	f.requireOnce(t, "order1@example.com")

	f.server.AllowSelfSigned, f.server.RootCAs = false, pool
	require.NoError(t, f.syncer(t).Sync(t.Context(), f.account))
}

// A wrong password fails the sync; Run keeps retrying with backoff and
// stops with its context.
func TestSyncWrongPassword(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	f := newFixture(t, ms.Addr)
	f.server.Credentials.Password = "wrong"
	require.Error(t, f.syncer(t).Sync(t.Context(), f.account))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, f.syncer(t).Run(ctx, f.account), context.DeadlineExceeded)
}

// Password authentication goes through SASL PLAIN where the server
// offers it (go-imap's server does), else the LOGIN command.
func TestSyncAuthMechanisms(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	appendMsg(t, ms.client(t), "INBOX", msg(1), time.Time{})
	for _, mech := range []string{"", "PLAIN"} {
		f := newFixture(t, ms.Addr)
		f.server.Credentials.Mechanism = mech
		require.NoError(t, f.syncer(t).Sync(t.Context(), f.account), "mechanism %q", mech)
		f.requireOnce(t, "order1@example.com")
	}
	f := newFixture(t, ms.Addr)
	f.server.Credentials.Tokens = mailauth.TokenFunc(func(context.Context) (string, error) { return "tok", nil })
	err := f.syncer(t).Sync(t.Context(), f.account)
	require.ErrorIs(t, err, mailauth.ErrNoMechanism, "the server offers no OAuth2 mechanism")
}

// An account whose server cannot be reached is reported not connected
// after each attempt, Disconnected once it has failed for
// DisconnectAfter (30 minutes by default, spec F3:2979), and Connected
// again when the server is back.
func TestRunReportsDisconnected(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close() // nothing listens there: every attempt fails
	f := newFixture(t, addr)
	clock := inboxtest.Clock{}
	var mu sync.Mutex
	var got []imapsync.Status
	s := f.syncer(t, func(o *imapsync.Options) {
		o.Now = func() time.Time { return clock.Advance(10 * time.Minute) }
		o.Status = func(st imapsync.Status) {
			mu.Lock()
			got = append(got, st)
			mu.Unlock()
		}
	})
	statuses := func() []imapsync.Status {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, f.account) }()
	require.Eventually(t, func() bool {
		st := statuses()
		return len(st) > 0 && st[len(st)-1].Disconnected
	}, 5*time.Second, 5*time.Millisecond)
	st := statuses()
	assert.False(t, st[0].Connected)
	assert.False(t, st[0].Disconnected, "not after one failure")
	assert.Error(t, st[0].Err)
	last := st[len(st)-1]
	assert.Equal(t, st[0].Since, last.Since, "Since is the first failure")

	startMemServer(t, memConfig{addr: addr})
	require.Eventually(t, func() bool {
		st := statuses()
		return st[len(st)-1].Connected
	}, 5*time.Second, 5*time.Millisecond, "connected again once the server is back")
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

// A reply sent by SMTP is appended to the Sent folder, \Seen, for
// providers that do not keep it (spec accounts-threading scenario 47);
// the next sync records it once, under the reference the append
// returned.
func TestACCT_047_AppendSent(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	appendMsg(t, c, "INBOX", msg(1), time.Time{})
	f := newFixture(t, ms.Addr)
	s := f.syncer(t)
	require.NoError(t, s.Sync(t.Context(), f.account))

	r, err := s.AppendSent(t.Context(), f.account, []byte(sentMsg(1)))
	require.NoError(t, err)
	assert.Equal(t, "Sent", r.Folder)
	_, err = c.Select("Sent", &imap.SelectOptions{ReadOnly: true}).Wait()
	require.NoError(t, err)
	bufs, err := c.Fetch(imap.UIDSetNum(imap.UID(r.UID)), &imap.FetchOptions{Flags: true}).Collect()
	require.NoError(t, err)
	require.Len(t, bufs, 1)
	assert.Contains(t, bufs[0].Flags, imap.FlagSeen)

	require.NoError(t, s.Sync(t.Context(), f.account))
	assert.Equal(t, r, f.requireOnce(t, "reply1@acme.test"))

	require.NoError(t, ms.user.Delete("Sent"))
	_, err = s.AppendSent(t.Context(), f.account, []byte(sentMsg(2)))
	assert.ErrorIs(t, err, imapsync.ErrFolderNotConfigured)
}

// A FETCH answer the client cannot read (here the literal of message 2 is
// malformed every time) is retried, then skipped with a recorded reason;
// the messages around it arrive and the cursor moves past it.
func TestRunSkipsUnreadableFetch(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	for i := 1; i <= 3; i++ {
		appendMsg(t, c, "INBOX", msg(i), time.Time{})
	}
	corrupt := func(b []byte) []byte {
		return bytes.Replace(b, []byte("UID 2 BODY[] {"), []byte("UID 2 BODY[] {x"), 1)
	}
	ms.rewrite.Store(&corrupt)
	f := newFixture(t, ms.Addr)
	s := f.syncer(t)
	runBackground(t, s, f.account)
	require.Eventually(t, func() bool {
		skips, err := s.Skips(t.Context(), f.account, 0)
		return err == nil && len(skips) == 1 && len(f.messages(t, "order3@example.com")) == 1
	}, 10*time.Second, 10*time.Millisecond)
	f.requireOnce(t, "order1@example.com")
	assert.Empty(t, f.messages(t, "order2@example.com"))
	skips, err := s.Skips(t.Context(), f.account, 0)
	require.NoError(t, err)
	assert.Equal(t, uint32(2), skips[0].UID)
	assert.Contains(t, skips[0].Reason, "could not be read")
	assert.GreaterOrEqual(t, f.progress().Failed, 3)
}

// A message expunged on the server before it was fetched leaves a gap in
// the UIDs; the cursor moves past it instead of taking it for new mail on
// every pass.
func TestSyncMovesPastExpungedGap(t *testing.T) {
	ms := startMemServer(t, memConfig{})
	c := ms.client(t)
	appendMsg(t, c, "INBOX", msg(1), time.Time{})
	f := newFixture(t, ms.Addr)
	s := f.syncer(t)
	require.NoError(t, s.Sync(t.Context(), f.account))
	appendMsg(t, c, "INBOX", msg(2), time.Time{})
	_, err := c.Select("INBOX", nil).Wait()
	require.NoError(t, err)
	require.NoError(t, c.Store(imap.UIDSetNum(2), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagDeleted}, Silent: true}, nil).Close())
	require.NoError(t, c.Expunge().Close())
	require.NoError(t, s.Sync(t.Context(), f.account))
	cur, err := s.Cursor(t.Context(), f.account, "INBOX")
	require.NoError(t, err)
	assert.Equal(t, uint32(2), cur.Last)
	assert.Empty(t, f.messages(t, "order2@example.com"))
}
