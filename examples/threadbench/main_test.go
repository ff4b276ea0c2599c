package main

import (
	"bytes"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpus is the easy_ham corpus seen from this package's directory.
const corpus = "../../../shared/corpora/spamassassin-easy-ham"

// writeMaildir writes a tiny maildir: a thread of three (the last with a
// folded, comma-separated References and CRLF line ends), a second copy of
// its root, an unrelated message whose header fills the read buffer
// several times, and a message without Message-ID that is all header.
func writeMaildir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cur")
	require.NoError(t, os.MkdirAll(dir, 0o700))
	files := map[string]string{
		"1": "From: a@example.com\nMessage-ID: <root@example.com>\nSubject: hello\nDate: Mon, 2 Sep 2002 10:00:00 +0000\n\nbody\n",
		"2": "From: b@example.com\nmessage-id: <reply@example.com>\nIn-Reply-To: Message from A <a@example.com> of \"Mon, 2 Sep 2002\" <root@example.com>\nSubject: Re: hello\n\nbody\n",
		"3": "From: c@example.com\r\nMESSAGE-ID: <re2@example.com>\r\nReferences: <root@example.com>,\r\n <reply@example.com>\r\nSubject: Re: hello\r\n\r\nbody\r\n",
		"4": "From: a@example.com\nMessage-ID: <root@example.com>\nSubject: hello\n\ncopy\n",
		"5": "X-Long: " + strings.Repeat("x", 40_000) + "\nMessage-ID: <other@example.com>\nSubject: unrelated\n\n" + strings.Repeat("b", 10_000),
		"6": "From: d@example.com\nSubject: no id",
	}
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600))
	}
	return filepath.Dir(dir)
}

func TestThreadFilesTinyMaildir(t *testing.T) {
	files, err := mailFiles(writeMaildir(t))
	require.NoError(t, err)
	require.Len(t, files, 6)
	n, err := threadFiles(files)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "the thread (with its duplicate root), the long-header message, the one without id")
}

func TestRunTinyMaildir(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"-dir", writeMaildir(t), "-runs", "1", "-process=false", "-mthread="}, nil, &out))
	assert.Contains(t, out.String(), "6 files in")
	assert.Contains(t, out.String(), "3 conversations")

	dir := writeMaildir(t)
	out.Reset()
	require.NoError(t, run([]string{"-dir", dir, "-once"}, nil, &out))
	assert.Equal(t, "3\n", out.String())

	files, err := mailFiles(dir)
	require.NoError(t, err)
	out.Reset()
	names := strings.NewReader(strings.Join(files, "\r\n") + "\n\n")
	require.NoError(t, run([]string{"-once", "-stdin"}, names, &out))
	assert.Equal(t, "3\n", out.String())
}

// On the corpus the command prints the count TestCorpora asserts, and
// mthread's figures when it is installed.
func TestRunCorpus(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus not found at %s: %v", corpus, err)
	}
	var out bytes.Buffer
	require.NoError(t, run([]string{"-dir", corpus, "-runs", "1", "-process=false"}, nil, &out))
	assert.Contains(t, out.String(), "2405 files in")
	assert.Contains(t, out.String(), "1466 conversations")
	t.Log(out.String())
}

func TestRunErrors(t *testing.T) {
	var out bytes.Buffer
	assert.Error(t, run([]string{"-dir", filepath.Join(t.TempDir(), "missing")}, nil, &out))
	assert.Error(t, run([]string{"-dir", t.TempDir()}, nil, &out), "no files")
	assert.Error(t, run([]string{"-once", "-stdin"}, strings.NewReader("\n"), &out), "no names")
	assert.Error(t, run([]string{"-once", "-stdin"}, strings.NewReader(filepath.Join(t.TempDir(), "missing")), &out))
	assert.Error(t, run([]string{"-runs", "0"}, nil, &out))
	assert.Error(t, run([]string{"-bogus"}, nil, &out))
	assert.NoError(t, run([]string{"-h"}, nil, &out), "help is not an error")
}

func TestScanFields(t *testing.T) {
	tests := []struct {
		name, header string
		want         fields
	}{
		{"folded", "Message-ID:\n <a@x>\nReferences: <r1@x>\n\t<r2@x>\nSubject: one\n two\n",
			fields{messageID: "<a@x>", references: "<r1@x>\n\t<r2@x>", subject: "one\n two"}},
		{"first wins, case-insensitive", "message-id: <a@x>\nMESSAGE-ID: <b@x>\nin-reply-to: <p@x>\nDATE: Mon, 2 Sep 2002 10:00:00 +0000\n",
			fields{messageID: "<a@x>", inReplyTo: "<p@x>", date: "Mon, 2 Sep 2002 10:00:00 +0000"}},
		{"mbox line and garbage", "From a@x Mon Sep  2 10:00:00 2002\n: no name\nnocolon\nMessage-ID: <a@x>",
			fields{messageID: "<a@x>"}},
		{"similar names", "Message-IDs: <no@x>\nX-Message-ID: <no@x>\nResent-Message-ID: <no@x>\n", fields{}},
		{"empty", "", fields{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, scanFields([]byte(tt.header)))
		})
	}
}

func TestHeaderEnd(t *testing.T) {
	for h, want := range map[string]int{
		"a: b\n\nbody":     5,
		"a: b\r\n\r\nbody": 6,
		"a: b\nc: d\n":     -1,
		"\n\n":             1,
		"":                 -1,
		"a: b\r\n":         -1,
	} {
		assert.Equal(t, want, headerEnd([]byte(h)), "%q", h)
	}
}

// A blank line split across two reads is still found.
func TestReadBlankLineAcrossReads(t *testing.T) {
	dir := t.TempDir()
	head := "Message-ID: <a@x>\nX: " + strings.Repeat("y", 16*1024-len("Message-ID: <a@x>\nX: ")-1) + "\n"
	require.Len(t, head, 16*1024)
	p := filepath.Join(dir, "m")
	require.NoError(t, os.WriteFile(p, []byte(head+"\nSubject: in the body\n"), 0o600))
	var r headerReader
	f, err := r.read(p)
	require.NoError(t, err)
	assert.Equal(t, "<a@x>", f.messageID)
	assert.Empty(t, f.subject, "the body is not header")
}

// BenchmarkHeaderPath reads and threads the corpus once per iteration,
// in-process (the figure threadbench prints as "inboxkit in-process").
func BenchmarkHeaderPath(b *testing.B) {
	files, err := mailFiles(corpus)
	if err != nil || len(files) == 0 {
		b.Skipf("corpus not found at %s: %v", corpus, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := threadFiles(files); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// commonDates are Date header shapes of the corpora that net/mail and
// the fast path both parse, to the same instant.
var commonDates = []string{
	"Tue, 01 Oct 2002 23:07:59 -0700",
	"Mon, 9 Sep 2002 10:00:00 +0100 (IST)",
	"09 Oct 2002 21:47:02 -0700",
	"Wed, 2 Oct 2002 11:47:47 GMT",
	"Wed,  2 Oct 02 11:47:47 -0000",
}

// parseDate agrees with net/mail.ParseDate on what both parse, and its
// fast path takes the common shapes.
func TestParseDate(t *testing.T) {
	for _, s := range commonDates {
		want, err := mail.ParseDate(s)
		require.NoError(t, err, s)
		got, ok := parseRFC5322Date(s)
		require.True(t, ok, s)
		assert.True(t, want.Equal(got), "%s: %v, want %v", s, got, want)
	}
	// Obsolete zone names get their RFC 5322 offsets (net/mail reads
	// unknown abbreviations as UTC).
	got, ok := parseDate("Thu, 26 Sep 2002 09:05 EDT")
	require.True(t, ok)
	assert.Equal(t, time.Date(2002, 9, 26, 13, 5, 0, 0, time.UTC), got.UTC())
	got, ok = parseDate("2002-09-26T09:05:08-04:00")
	require.True(t, ok)
	assert.Equal(t, time.Date(2002, 9, 26, 13, 5, 8, 0, time.UTC), got.UTC())
	for _, s := range []string{"Not supplied", "", "Tue, 32 Oct 2002 10:00:00 +0000", "Tue, 1 Foo 2002 10:00:00 +0000", "1 Oct 2002 25:00 +0000"} {
		_, ok := parseDate(s)
		assert.False(t, ok, s)
	}
	// What the fast path refuses goes to net/mail.
	s := "Tue, 1 Oct 2002 10:00:00 +0000 junk"
	_, fast := parseRFC5322Date(s)
	assert.False(t, fast)
	_, err := mail.ParseDate(s)
	_, ok = parseDate(s)
	assert.Equal(t, err == nil, ok)
}

// A child process gets the file names on its standard input, and its
// output is captured only when asked for.
func TestProcIO(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	p, err := newProcIO([]string{"a", "b", "c"})
	require.NoError(t, err)
	defer p.close()
	for range 2 { // the names are read from the start every time
		out, _, err := p.run(sh, []string{"-c", "cat"}, nil, true)
		require.NoError(t, err)
		assert.Equal(t, "a\nb\nc\n", string(out))
	}
	out, _, err := p.run(sh, []string{"-c", "cat"}, nil, false)
	require.NoError(t, err)
	assert.Nil(t, out)
	_, _, err = p.run(sh, []string{"-c", "exit 3"}, nil, true)
	assert.Error(t, err)
}

func TestTopLevelLines(t *testing.T) {
	assert.Equal(t, 2, topLevelLines([]byte("/m/1\n /m/2\n  /m/3\n<unresolved@x>\n /m/4\n\n")))
	assert.Equal(t, 0, topLevelLines(nil))
}

// TestMain lets the test binary stand in for threadbench when it runs
// itself as the "inboxkit process" contender.
func TestMain(m *testing.M) {
	if os.Getenv("THREADBENCH_TEST_CHILD") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// The process contender runs this binary as a child on the names it is
// given on standard input and reads back its count.
func TestRunProcess(t *testing.T) {
	t.Setenv("THREADBENCH_TEST_CHILD", "1")
	var out bytes.Buffer
	require.NoError(t, run([]string{"-dir", writeMaildir(t), "-runs", "2", "-mthread="}, nil, &out))
	assert.Regexp(t, `inboxkit process .* 3 conversations`, out.String())
	assert.Regexp(t, `inboxkit in-process .* 3 conversations`, out.String())
}
