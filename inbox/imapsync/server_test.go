package imapsync_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox/imapsync"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/inbox/mailauth"
	"github.com/inboxkit/inboxkit/storage"
)

// memServer is go-imap's in-memory server on 127.0.0.1, with user
// "support"/"pw", folders INBOX and Sent, and connections the test can
// cut mid-response.
type memServer struct {
	Addr string
	user *imapmemserver.User
	srv  *imapserver.Server

	mu    sync.Mutex
	conns []*dropConn
	// dropAfter, when > 0, makes every new connection fail after it has
	// written that many bytes (once per arming).
	dropAfter atomic.Int64
	drops     atomic.Int64
	// rewrite, when set, changes what the server writes (a malformed
	// response).
	rewrite atomic.Pointer[func([]byte) []byte]
}

type memConfig struct {
	caps imap.CapSet
	tls  *tls.Config
	addr string // empty: any free port
}

func startMemServer(t testing.TB, cfg memConfig) *memServer {
	t.Helper()
	ms := &memServer{}
	mem := imapmemserver.New()
	ms.user = imapmemserver.NewUser("support", "pw")
	require.NoError(t, ms.user.Create("INBOX", nil))
	require.NoError(t, ms.user.Create("Sent", nil))
	mem.AddUser(ms.user)
	caps := cfg.caps
	if caps == nil {
		caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
	}
	ms.srv = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
		TLSConfig:    cfg.tls,
		InsecureAuth: true,
		Logger:       discardLogger{},
	})
	if cfg.addr == "" {
		cfg.addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", cfg.addr)
	require.NoError(t, err)
	ms.Addr = l.Addr().String()
	go ms.srv.Serve(&dropListener{Listener: l, ms: ms})
	t.Cleanup(func() { ms.srv.Close() })
	return ms
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

// dropListener wraps the connections it accepts in dropConn.
type dropListener struct {
	net.Listener
	ms *memServer
}

func (l *dropListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	dc := &dropConn{Conn: c, ms: l.ms}
	l.ms.mu.Lock()
	l.ms.conns = append(l.ms.conns, dc)
	l.ms.mu.Unlock()
	return dc, nil
}

// dropConn closes itself once the armed byte budget is spent.
type dropConn struct {
	net.Conn
	ms      *memServer
	written int64
}

func (c *dropConn) Write(b []byte) (int, error) {
	if f := c.ms.rewrite.Load(); f != nil {
		if nb := (*f)(b); !bytes.Equal(nb, b) {
			_, err := c.Conn.Write(nb)
			return len(b), err
		}
	}
	if limit := c.ms.dropAfter.Load(); limit > 0 && c.written+int64(len(b)) > limit {
		if c.ms.dropAfter.CompareAndSwap(limit, 0) {
			c.ms.drops.Add(1)
			n, _ := c.Conn.Write(b[:max(0, limit-c.written)])
			c.Conn.Close()
			return n, net.ErrClosed
		}
	}
	n, err := c.Conn.Write(b)
	c.written += int64(n)
	return n, err
}

// client returns a logged-in client for the test's own commands.
func (ms *memServer) client(t *testing.T) *imapclient.Client {
	t.Helper()
	return dialClient(t, ms.Addr)
}

// dialClient returns a client logged in as support/pw at addr.
func dialClient(t testing.TB, addr string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	require.NoError(t, err)
	require.NoError(t, c.Login("support", "pw").Wait())
	t.Cleanup(func() { c.Close() })
	return c
}

// appendMsg appends raw to folder, received at when (zero: now).
func appendMsg(t testing.TB, c *imapclient.Client, folder, raw string, when time.Time) {
	t.Helper()
	cmd := c.Append(folder, int64(len(raw)), &imap.AppendOptions{Time: when})
	_, err := cmd.Write([]byte(raw))
	require.NoError(t, err)
	require.NoError(t, cmd.Close())
	_, err = cmd.Wait()
	require.NoError(t, err)
}

// recreate deletes and re-creates folder: the server gives it a new
// UIDVALIDITY.
func (ms *memServer) recreate(t *testing.T, folder string) {
	t.Helper()
	require.NoError(t, ms.user.Delete(folder))
	require.NoError(t, ms.user.Create(folder, nil))
}

// msg is a test message to support@acme.test.
func msg(i int) string {
	return fmt.Sprintf("From: kim%d@example.com\r\nTo: support@acme.test\r\nSubject: Order %d\r\n"+
		"Message-ID: <order%d@example.com>\r\nDate: Tue, 1 Dec 2026 09:%02d:00 +0000\r\n\r\nWhere is order %d?\r\n", i, i, i, i%60, i)
}

// sentMsg is a message the support account sent, answering msg(i).
func sentMsg(i int) string {
	return fmt.Sprintf("From: support@acme.test\r\nTo: kim%d@example.com\r\nSubject: Re: Order %d\r\n"+
		"Message-ID: <reply%d@acme.test>\r\nIn-Reply-To: <order%d@example.com>\r\nDate: Tue, 1 Dec 2026 10:%02d:00 +0000\r\n\r\nIt ships.\r\n", i, i, i, i, i%60)
}

// fixture is an engine (the Acme organization, memory store) and a
// Syncer of its support account against a server.
type fixture struct {
	acme    *inboxtest.Acme
	account conversation.AccountID
	server  imapsync.Server
	mu      sync.Mutex
	last    imapsync.Progress
	idle    chan struct{}
}

func newFixture(t testing.TB, addr string) *fixture {
	t.Helper()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	return &fixture{acme: a, account: a.Accounts["support"].ID, idle: make(chan struct{}, 1), server: imapsync.Server{
		Addr: addr, Security: mailauth.Plaintext, AllHistory: true,
		Credentials: mailauth.Credentials{Username: "support", Password: "pw"},
	}}
}

// syncer returns a new Syncer (a restarted process shares only the
// store) with fast timings.
func (f *fixture) syncer(t testing.TB, adjust ...func(*imapsync.Options)) *imapsync.Syncer {
	t.Helper()
	o := imapsync.Options{
		Engine:       f.acme.Engine,
		Servers:      imapsync.ServersFunc(func(context.Context, conversation.AccountID) (imapsync.Server, error) { return f.server, nil }),
		PollInterval: 50 * time.Millisecond,
		MinBackoff:   10 * time.Millisecond,
		MaxBackoff:   50 * time.Millisecond,
		Progress: func(p imapsync.Progress) {
			f.mu.Lock()
			f.last = p
			f.mu.Unlock()
		},
	}
	o.Logger = slog.New(&recordHandler{f: f})
	for _, fn := range adjust {
		fn(&o)
	}
	s, err := imapsync.New(o)
	require.NoError(t, err)
	return s
}

// recordHandler signals f.idle on every "imap idle" record and prints
// the records in verbose mode.
type recordHandler struct {
	f     *fixture
	attrs []slog.Attr
}

func (h *recordHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *recordHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "imap idle" {
		select {
		case h.f.idle <- struct{}{}:
		default:
		}
	}
	if testing.Verbose() {
		return slog.NewTextHandler(os.Stderr, nil).WithAttrs(h.attrs).Handle(ctx, r)
	}
	return nil
}

func (h *recordHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &recordHandler{f: h.f, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

func (h *recordHandler) WithGroup(string) slog.Handler { return h }

// waitIdle waits until the syncer reports it is idling.
func (f *fixture) waitIdle(t testing.TB) {
	t.Helper()
	select {
	case <-f.idle:
	case <-time.After(5 * time.Second):
		t.Fatal("the syncer never reached IDLE")
	}
}

func (f *fixture) progress() imapsync.Progress {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

// messages returns the stored messages with Message-ID id.
func (f *fixture) messages(t testing.TB, id string) []*conversation.Message {
	t.Helper()
	var out []*conversation.Message
	require.NoError(t, f.acme.Engine.Store().View(t.Context(), func(tx storage.ReadTx) error {
		var err error
		out, err = tx.MessagesByHeaderID(t.Context(), f.acme.Org.ID, id)
		return err
	}))
	return out
}

// requireOnce asserts that exactly one message has Message-ID id, and
// returns its reference.
func (f *fixture) requireOnce(t *testing.T, id string) imapsync.Ref {
	t.Helper()
	ms := f.messages(t, id)
	require.Len(t, ms, 1, "message %s stored once", id)
	r, err := imapsync.ParseRef(ms[0].Ref)
	require.NoError(t, err)
	return r
}

// runBackground runs the syncer until the test ends.
func runBackground(t testing.TB, s *imapsync.Syncer, account conversation.AccountID) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, account) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			require.ErrorIs(t, err, context.Canceled)
		case <-time.After(10 * time.Second):
			t.Error("Run did not stop after its context ended")
		}
	})
}
