package imapsync_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox/imapsync"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/inbox/mailauth"
)

// corpusFiles returns the messages of the spamassassin easy-ham corpus,
// skipping the benchmark when the corpus is absent.
func corpusFiles(b *testing.B) [][]byte {
	b.Helper()
	shared := sharedDir()
	dir := filepath.Join(shared, "corpora", "spamassassin-easy-ham")
	names, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if shared == "" || err != nil || len(names) == 0 {
		b.Skipf("corpus not found at %s (../shared/corpora beside the project)", dir)
	}
	sort.Strings(names)
	out := make([][]byte, 0, len(names))
	for _, n := range names {
		raw, err := os.ReadFile(n)
		require.NoError(b, err)
		out = append(out, raw)
	}
	return out
}

// BenchmarkCorpusSync is the initial sync of the 2,405 messages of the
// spamassassin easy-ham corpus, appended to an IMAP server on 127.0.0.1
// (go-imap's memory server, and Dovecot when installed), into a new
// engine with the memory store (parsed, threaded, indexed): msgs/s is
// messages delivered per second of wall time, connection and LIST
// included. On Dovecot, mbsync (isync, when installed) copies the same
// folder to a Maildir in the same run, with its default pipelining and
// FSync off, for comparison.
func BenchmarkCorpusSync(b *testing.B) {
	corpus := corpusFiles(b)
	load := func(b *testing.B, addr string) string {
		c := dialClient(b, addr)
		for _, raw := range corpus {
			appendMsg(b, c, "INBOX", string(raw), time.Time{})
		}
		return addr
	}
	b.Run("memserver", func(b *testing.B) {
		addr := load(b, startMemServer(b, memConfig{}).Addr)
		b.Run("inboxkit", func(b *testing.B) { benchSync(b, addr, len(corpus)) })
	})
	b.Run("dovecot", func(b *testing.B) {
		addr := load(b, startDovecot(b))
		b.Run("inboxkit", func(b *testing.B) { benchSync(b, addr, len(corpus)) })
		b.Run("mbsync", func(b *testing.B) { benchMbsync(b, addr, len(corpus)) })
	})
}

// benchSync syncs the INBOX at addr into a new engine per iteration.
func benchSync(b *testing.B, addr string, n int) {
	var (
		delivered int
		elapsed   time.Duration
	)
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
		account := a.Accounts["support"].ID
		var last imapsync.Progress
		s, err := imapsync.New(imapsync.Options{Engine: a.Engine,
			Servers: imapsync.ServersFunc(func(context.Context, conversation.AccountID) (imapsync.Server, error) {
				return imapsync.Server{Addr: addr, Security: mailauth.Plaintext, AllHistory: true,
					Credentials: mailauth.Credentials{Username: "support", Password: "pw"}}, nil
			}),
			Progress: func(p imapsync.Progress) { last = p },
		})
		require.NoError(b, err)
		b.StartTimer()
		start := time.Now()
		require.NoError(b, s.Sync(context.Background(), account))
		elapsed += time.Since(start)
		require.Equal(b, n, last.Delivered+last.Skipped)
		delivered += last.Delivered
	}
	b.ReportMetric(float64(delivered)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(delivered)/float64(b.N), "delivered/op")
}

// benchMbsync copies the INBOX at addr to a new Maildir per iteration
// with mbsync.
func benchMbsync(b *testing.B, addr string, n int) {
	if _, err := exec.LookPath("mbsync"); err != nil {
		b.Skip("mbsync is not installed (apt-get install -y isync)")
	}
	host, port, _ := net.SplitHostPort(addr)
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		conf := filepath.Join(dir, "mbsyncrc")
		require.NoError(b, os.MkdirAll(filepath.Join(dir, "mail"), 0o700))
		require.NoError(b, os.WriteFile(conf, []byte(fmt.Sprintf(`FSync no

IMAPAccount bench
Host %s
Port %s
User support
Pass pw
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account bench

MaildirStore local
Path %s/mail/
Inbox %s/mail/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
`, host, port, dir, dir)), 0o600))
		b.StartTimer()
		start := time.Now()
		out, err := exec.Command("mbsync", "-q", "-c", conf, "bench").CombinedOutput()
		elapsed += time.Since(start)
		require.NoError(b, err, "mbsync: %s", out)
		b.StopTimer()
		files, err := filepath.Glob(filepath.Join(dir, "mail", "INBOX", "*", "*"))
		require.NoError(b, err)
		require.Len(b, files, n, "mbsync copied every message")
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "msgs/s")
}

// BenchmarkIdleLatency is the steady state: with the syncer idling, each
// iteration appends one message on the server and waits until it is
// listed in its conversation's mailbox (the Support team inbox); p50-ms
// and p99-ms are over the iterations (run it with -benchtime=100x). On
// go-imap's memory server each append waits until the syncer is back in
// IDLE (that server reports only what arrives after IDLE began; see
// TestRunIdlePush), so the figure is the client's own latency; Dovecot
// gets the messages as they come.
func BenchmarkIdleLatency(b *testing.B) {
	b.Run("memserver", func(b *testing.B) { benchIdle(b, startMemServer(b, memConfig{}).Addr, true) })
	b.Run("dovecot", func(b *testing.B) { benchIdle(b, startDovecot(b), false) })
}

func benchIdle(b *testing.B, addr string, settle bool) {
	c := dialClient(b, addr)
	f := newFixture(b, addr)
	runBackground(b, f.syncer(b, func(o *imapsync.Options) { o.PollInterval = time.Hour }), f.account)
	box := f.acme.Box(conversation.TeamInbox, "Support")
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		if settle || i == 0 {
			b.StopTimer()
			f.waitIdle(b)
			time.Sleep(50 * time.Millisecond)
			b.StartTimer()
		}
		id := fmt.Sprintf("order%d@example.com", i+1)
		start := time.Now()
		appendMsg(b, c, "INBOX", msg(i+1), time.Time{})
		for {
			if ms := f.messages(b, id); len(ms) == 1 && f.acme.In("A", box, ms[0].Conversation) {
				break
			}
			if time.Since(start) > 30*time.Second {
				b.Fatalf("message %d not listed after 30s", i+1)
			}
			time.Sleep(200 * time.Microsecond)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
