package mail

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/inboxkit/inboxkit/conversation"
)

// corpusRoot is ../shared/corpora seen from this package's directory.
const corpusRoot = "../../../shared/corpora"

// corpusFile is one mail file of the shared corpora.
type corpusFile struct {
	path string // relative to corpusRoot
	raw  []byte
}

// loadCorpus reads every mail file of both corpora: the notmuch maildirs
// (recursively; dot-files and README/markdown files are not mail) and the
// easy_ham .eml files. It skips the test when the corpora are absent.
func loadCorpus(tb testing.TB, sub string) []corpusFile {
	tb.Helper()
	root := filepath.Join(corpusRoot, sub)
	if _, err := os.Stat(root); err != nil {
		tb.Skipf("mail corpora not found at %s (they live in ../shared/corpora next to the repository): %v", root, err)
	}
	files, err := readCorpus(sub)
	require.NoError(tb, err)
	return files
}

// readCorpus reads the mail files under corpusRoot/sub in path order.
func readCorpus(sub string) ([]corpusFile, error) {
	root := filepath.Join(corpusRoot, sub)
	var files []corpusFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if strings.HasPrefix(name, ".") && p != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.HasPrefix(name, ".") || strings.EqualFold(name, "README") || strings.HasSuffix(name, ".md") {
			return nil
		}
		if strings.Contains(p, "spamassassin-easy-ham") && !strings.HasSuffix(name, ".eml") {
			return nil
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpusRoot, p)
		files = append(files, corpusFile{path: filepath.ToSlash(rel), raw: raw})
		return nil
	})
	slices.SortFunc(files, func(a, b corpusFile) int { return strings.Compare(a.path, b.path) })
	return files, err
}

// TestCorpus parses every file of both corpora: none may fail or panic.
// It logs how many carry defects and which defects are most common, and
// checks a few hand-read fields of specific files.
func TestCorpus(t *testing.T) {
	for _, sub := range []string{"notmuch", "spamassassin-easy-ham"} {
		t.Run(sub, func(t *testing.T) {
			files := loadCorpus(t, sub)
			require.NotEmpty(t, files)
			var p Parser
			withDefects := 0
			kinds := map[string]int{}
			for _, f := range files {
				m, err := p.ParseBytes(f.raw)
				require.NoError(t, err, f.path)
				require.Equal(t, int64(len(f.raw)), m.Size, f.path)
				if len(m.Defects) > 0 {
					withDefects++
					for _, d := range m.Defects {
						k, _, _ := strings.Cut(d, "\"")
						kinds[k]++
					}
				}
			}
			t.Logf("%s: %d files, %d with defects", sub, len(files), withDefects)
			// Hand-counted when this test was written: 2 of notmuch's 288
			// (a broken Cc, invalid UTF-8), none of easy_ham's 2,405. A
			// regression that flags sound mail shows up here.
			require.LessOrEqual(t, withDefects*50, len(files), "more than 2%% of %s has defects", sub)
			type kc struct {
				k string
				n int
			}
			var top []kc
			for k, n := range kinds {
				top = append(top, kc{k, n})
			}
			slices.SortFunc(top, func(a, b kc) int { return b.n - a.n })
			for _, x := range top[:min(len(top), 15)] {
				t.Logf("  %4d %s", x.n, x.k)
			}
		})
	}
}

// TestCorpusHandChecked checks fields of specific corpus files against
// what reading them by hand gives.
func TestCorpusHandChecked(t *testing.T) {
	byPath := map[string][]byte{}
	for _, sub := range []string{"notmuch", "spamassassin-easy-ham"} {
		for _, f := range loadCorpus(t, sub) {
			byPath[f.path] = f.raw
		}
	}
	get := func(path string) *conversation.Message {
		raw, ok := byPath[path]
		require.True(t, ok, "corpus file %s", path)
		m, err := (&Parser{}).ParseBytes(raw)
		require.NoError(t, err)
		return m
	}

	// An mbox-derived easy_ham file: a bogus first "From: addr date" line,
	// then the real From.
	m := get("spamassassin-easy-ham/0002.b3120c4bcbf3101e661161ee7efcb8bf.eml")
	assert.Equal(t, conversation.Address{Name: "Steve Burt", Address: "Steve_Burt@cursor-system.com"}, m.From)
	assert.Equal(t, "[zzzzteana] RE: Alexander", m.Subject)
	assert.Equal(t, "5EC2AD6D2314D14FB64BDA287D25D9EF12B4F6@exchange1.cps.local", m.HeaderID)
	assert.True(t, time.Date(2002, 8, 22, 11, 46, 18, 0, time.UTC).Equal(m.At), "%v", m.At)
	assert.Equal(t, "Precedence", m.AutomatedBy)
	assert.Equal(t, []conversation.Address{{Address: "zzzz@localhost.netnoteinc.com"}, {Address: "zzzzteana@yahoogroups.com"}}, m.DeliveredTo)
	assert.True(t, strings.HasPrefix(m.Text, "Martin A posted:\nTassos Papadopoulos"), "%q", m.Text)
	assert.Empty(t, m.Defects)

	// Two Cc fields (notmuch's broken-cc): both are read.
	m = get("notmuch/broken/broken-cc")
	assert.Equal(t, []conversation.Address{{Name: "Bob", Address: "bob@example.org"}, {Name: "Charles", Address: "charles@example.org"}}, m.Cc)
	assert.Equal(t, "multiple-cc@example.org", m.HeaderID)

	// An empty message/rfc822 part.
	m = get("notmuch/broken/empty-part")
	assert.Equal(t, []conversation.Attachment{{Name: "message.eml", ContentType: "message/rfc822"}}, m.Attachments)
	assert.True(t, strings.HasPrefix(m.Text, "Hi, this is the Mlmmj program"))

	// A patch attached to a list message with an HTML alternative.
	m = get("notmuch/default/bar/baz/05:2,")
	assert.Equal(t, []conversation.Attachment{{Name: "0001-Deal-with-situation-where-sysconf-_SC_GETPW_R_SIZE_M.patch", ContentType: "text/x-diff", Size: 1051}}, m.Attachments)
	assert.NotEmpty(t, m.HTML)
	assert.True(t, strings.HasPrefix(m.Text, "I saw the announcement this morning"))

	// A signed message: the signature is an attachment; the signature
	// block and the list footer are not part of Unquoted.
	m = get("notmuch/duplicate/msg-3-1:2,")
	assert.Equal(t, []conversation.Attachment{{Name: "signature.asc", ContentType: "application/pgp-signature", Size: 832}}, m.Attachments)
	assert.Equal(t, []string{"87k1k6h43h.fsf@zephyr.silentflame.com"}, m.References)
	assert.Len(t, m.To, 10)
	assert.Equal(t, "control: severity -1 serious\n\nHello,\n\nEmacs 26.1 has reached Debian unstable (sooner than expected; sorry for\nall the e-mails).", m.Unquoted)
}

// TestCorpusAgreesWithGoMessage compares, on every corpus file, the header
// fields go-message's strict reader can read with what Parser reads: the
// decoded Subject, the Message-ID, the Date and the first From address.
// Parser may read more (that is the point of leniency) but never
// differently.
func TestCorpusAgreesWithGoMessage(t *testing.T) {
	compared, bodies := 0, 0
	for _, sub := range []string{"notmuch", "spamassassin-easy-ham"} {
		for _, f := range loadCorpus(t, sub) {
			m, err := (&Parser{}).ParseBytes(f.raw)
			require.NoError(t, err)
			r, err := gomail.CreateReader(bytes.NewReader(f.raw))
			if err != nil && r == nil {
				continue
			}
			h := r.Header
			if s, err := h.Subject(); err == nil {
				assert.Equal(t, s, m.Subject, f.path)
			}
			if id, err := h.MessageID(); err == nil && id != "" {
				assert.Equal(t, id, m.HeaderID, f.path)
			}
			if d, err := h.Date(); err == nil && !d.IsZero() {
				if zone, _ := d.Zone(); strings.Contains("EST EDT CST CDT MST MDT PST PDT", zone) && zone != "" {
					// net/mail reads these names as +0000; RFC 5322 §4.3
					// gives them their offsets, as Parser does.
					off, _ := obsZone(zone)
					_, got := m.At.Zone()
					assert.Equal(t, off, got, f.path)
					d = d.Add(-time.Duration(off) * time.Second)
				}
				assert.True(t, d.Equal(m.At), "%s: %v vs %v", f.path, d, m.At)
			}
			if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
				assert.Equal(t, from[0].Address, m.From.Address, f.path)
			}
			// A single text/plain body decodes to the same text.
			if e, err := message.Read(bytes.NewReader(f.raw)); err == nil && e.MultipartReader() == nil {
				if ct, _, _ := e.Header.ContentType(); ct == "text/plain" {
					body, err := io.ReadAll(e.Body)
					if err == nil && utf8.Valid(body) {
						assert.Equal(t, normalizeEOL(string(body)), m.Text, f.path)
						bodies++
					}
				}
			}
			// Unquoted is part of Text and holds no quoted line.
			assert.LessOrEqual(t, len(m.Unquoted), len(m.Text), f.path)
			for l := range strings.SplitSeq(m.Unquoted, "\n") {
				assert.False(t, strings.HasPrefix(l, ">"), "%s: %q", f.path, l)
			}
			compared++
		}
	}
	t.Logf("%d files compared, %d of them single text/plain bodies", compared, bodies)
}
