package imapsync_test

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/inbox/imapsync"
)

// requireDovecotEnv, when set to 1 (as CI does), turns a missing Dovecot
// into a failure instead of a skip.
const requireDovecotEnv = "INBOXKIT_REQUIRE_DOVECOT"

// sharedDir finds the shared directory beside the project: ../shared of
// the module root, or ../../shared for a git worktree under wt/.
func sharedDir() string {
	for _, d := range []string{"../../../shared", "../../../../shared"} {
		if _, err := os.Stat(filepath.Join(d, "dovecot", "start-dovecot")); err == nil {
			return d
		}
	}
	return ""
}

// startDovecot starts a throwaway Dovecot on 127.0.0.1 with user
// support/pw and the special-use folders Sent, Trash, Archive and Junk,
// and returns its address. It skips the test (fails it under
// INBOXKIT_REQUIRE_DOVECOT=1) when Dovecot or the start script is absent.
func startDovecot(t testing.TB) string {
	t.Helper()
	unavailable := func(why string) {
		if os.Getenv(requireDovecotEnv) == "1" {
			t.Fatalf("Dovecot is required (%s=1) but unavailable: %s", requireDovecotEnv, why)
		}
		t.Skipf("Dovecot tests skipped: %s", why)
	}
	shared := sharedDir()
	if shared == "" {
		unavailable("../shared/dovecot/start-dovecot not found beside the project")
	}
	if _, err := exec.LookPath("dovecot"); err != nil {
		unavailable("dovecot is not installed (apt-get install -y dovecot-imapd)")
	}
	dir, err := os.MkdirTemp("", "inboxkit-dovecot-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("bash", filepath.Join(shared, "dovecot", "start-dovecot"), dir, fmt.Sprint(port), "support:pw")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 2 {
		unavailable(string(out))
	}
	require.NoError(t, err, "start-dovecot: %s", out)
	t.Cleanup(func() {
		exec.Command("doveadm", "-c", filepath.Join(dir, "dovecot.conf"), "stop").Run()
		os.RemoveAll(dir)
	})
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// Against Dovecot 2.3: the special-use folders are found, INBOX and Sent
// are synced, IDLE pushes a new message, and a restarted syncer resumes
// without fetching again (Dovecot advertises IDLE, CONDSTORE, QRESYNC,
// MOVE, UIDPLUS and SPECIAL-USE).
func TestDovecot(t *testing.T) {
	addr := startDovecot(t)
	c := dialClient(t, addr)
	for i := 1; i <= 3; i++ {
		appendMsg(t, c, "INBOX", msg(i), time.Time{})
	}
	appendMsg(t, c, "Sent", sentMsg(1), time.Time{})

	list, err := c.List("", "*", &imap.ListOptions{ReturnSpecialUse: true}).Collect()
	require.NoError(t, err)
	assert.Equal(t, imapsync.Folders{imapsync.Inbox: "INBOX", imapsync.Sent: "Sent", imapsync.Trash: "Trash",
		imapsync.Archive: "Archive", imapsync.Junk: "Junk"}, imapsync.DetectFolders(list, nil))

	f := newFixture(t, addr)
	s := f.syncer(t)
	require.NoError(t, s.Sync(t.Context(), f.account))
	for i := 1; i <= 3; i++ {
		assert.Equal(t, "INBOX", f.requireOnce(t, fmt.Sprintf("order%d@example.com", i)).Folder)
	}
	assert.Equal(t, "Sent", f.requireOnce(t, "reply1@acme.test").Folder)
	fetched := f.progress().Fetched
	assert.Equal(t, 4, fetched)

	f.mu.Lock()
	f.last = imapsync.Progress{}
	f.mu.Unlock()
	restarted := f.syncer(t)
	require.NoError(t, restarted.Sync(t.Context(), f.account))
	assert.Zero(t, f.progress().Fetched, "a restarted syncer resumes from the stored cursors")

	idling := f.syncer(t, func(o *imapsync.Options) { o.PollInterval = time.Hour })
	runBackground(t, idling, f.account)
	f.waitIdle(t)
	appendMsg(t, c, "INBOX", msg(4), time.Time{})
	require.Eventually(t, func() bool { return len(f.messages(t, "order4@example.com")) == 1 }, 10*time.Second, 10*time.Millisecond,
		"pushed by IDLE (the poll interval is an hour)")
}
