package threading

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpusRoot is ../shared/corpora seen from the repository root.
const corpusRoot = "../../shared/corpora"

// headers holds the few headers threading needs, keyed by lower-case name.
type headers map[string]string

var wantedHeaders = []string{"message-id", "in-reply-to", "references", "subject", "date", "from", "to"}

// readHeaders parses a message's header with net/mail, falling back to a
// lenient unfolding reader when net/mail rejects it (broken mail is what
// the corpora are for). It also returns a digest of the body.
func readHeaders(raw []byte) (headers, []byte) {
	h := headers{}
	var body []byte
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		for _, name := range wantedHeaders {
			if vs := m.Header[mailKey(name)]; len(vs) > 0 {
				h[name] = vs[0]
			}
		}
		body, _ = io.ReadAll(m.Body)
	} else {
		body = lenientHeaders(raw, h)
	}
	if s, ok := h["subject"]; ok {
		if d, err := new(mime.WordDecoder).DecodeHeader(s); err == nil {
			h["subject"] = d
		}
	}
	sum := sha256.Sum256(body)
	return h, sum[:]
}

func mailKey(name string) string {
	if name == "message-id" {
		return "Message-Id"
	}
	parts := strings.Split(name, "-")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "-")
}

// lenientHeaders unfolds header lines up to the first empty line, keeps
// the wanted ones and returns the rest as the body.
func lenientHeaders(raw []byte, h headers) []byte {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var name, val string
	flush := func() {
		if name != "" {
			if _, dup := h[name]; !dup && slices.Contains(wantedHeaders, name) {
				h[name] = strings.TrimSpace(val)
			}
		}
		name, val = "", ""
	}
	n := 0
	for sc.Scan() {
		line := sc.Text()
		n += len(sc.Bytes()) + 1
		if strings.TrimRight(line, "\r") == "" {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			val += " " + strings.TrimSpace(line)
			continue
		}
		flush()
		if k, v, ok := strings.Cut(line, ":"); ok {
			name, val = strings.ToLower(strings.TrimSpace(k)), v
		}
	}
	flush()
	return raw[min(n, len(raw)):]
}

// walkCorpus calls fn for every file under root in path order until fn
// returns false. It returns an error only when root cannot be read.
func walkCorpus(root string, fn func(path string, h headers) bool) error {
	var paths []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.EqualFold(d.Name(), "README") && !strings.HasSuffix(d.Name(), ".md") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(paths)
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h, _ := readHeaders(raw)
		if !fn(p, h) {
			break
		}
	}
	return nil
}

// corpusMessage is one corpus file as the threader sees it.
type corpusMessage struct {
	path string
	msg  Message
}

func loadCorpus(t *testing.T, dir string) []corpusMessage {
	t.Helper()
	var out []corpusMessage
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.EqualFold(d.Name(), "README") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		h, digest := readHeaders(raw)
		m := Message{
			Scope:      SharedScope(dir),
			ID:         ExtractID(h["message-id"]),
			InReplyTo:  ExtractIDs(h["in-reply-to"]),
			References: ExtractIDs(h["references"]),
			Subject:    h["subject"],
		}
		if d, err := mail.ParseDate(h["date"]); err == nil {
			m.Date = d
		}
		if m.ID == "" {
			m.ID = SynthesizeID(SynthInput{Date: m.Date, From: h["from"], To: h["to"], Subject: h["subject"], BodyDigest: digest})
		}
		out = append(out, corpusMessage{path: p, msg: m})
	}
	return out
}

// threadCorpus threads msgs in the given order and returns each file's
// conversation and the number of live conversations.
func threadCorpus(msgs []corpusMessage, opts Options) (map[string]int, int, *harness) {
	h := newHarness(opts)
	byFile := map[string]int{}
	for _, m := range msgs {
		_, c := h.deliver(m.msg)
		byFile[m.path] = c
	}
	// Resolve through later merges.
	for _, m := range msgs {
		c, ok := h.idx.Conversation(m.msg.Scope, m.msg.ID)
		if !ok {
			panic("message not recorded: " + m.path)
		}
		byFile[m.path] = c
	}
	return byFile, len(h.idx.Conversations()), h
}

// TestCorpora threads every file of each corpus folder of
// shared/corpora/README.md, in path order, reversed and shuffled: every
// file lands in exactly one conversation, the display trees terminate and
// hold every message once, and the partition does not depend on the order.
func TestCorpora(t *testing.T) {
	if _, err := os.Stat(corpusRoot); err != nil {
		t.Skipf("mail corpora not found at %s (they live in ../shared/corpora next to the repository): %v", corpusRoot, err)
	}
	dirs := []string{
		"notmuch/default", "notmuch/lkml", "notmuch/threading", "notmuch/broken", "notmuch/duplicate",
		"spamassassin-easy-ham",
	}
	for _, d := range dirs {
		t.Run(d, func(t *testing.T) {
			dir := filepath.Join(corpusRoot, d)
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("corpus %s absent: %v", d, err)
			}
			msgs := loadCorpus(t, dir)
			files := len(msgs)
			ids := map[string]bool{}
			for _, m := range msgs {
				ids[m.msg.ID] = true
			}
			got, convs, h := threadCorpus(msgs, Options{})
			if len(got) != files {
				t.Fatalf("%d files threaded, %d files read", len(got), files)
			}

			// Reference components (what notmuch computes) for comparison.
			var all []Message
			seen := map[string]bool{}
			for _, m := range msgs {
				if !seen[m.msg.ID] {
					seen[m.msg.ID] = true
					all = append(all, m.msg)
				}
			}
			comp := components(all)
			nComp := map[string]bool{}
			for _, r := range comp {
				nComp[r] = true
			}

			// Display trees of every conversation.
			byConv := map[int][]TreeMessage{}
			for _, m := range all {
				c := got[msgsPath(msgs, m.ID)]
				byConv[c] = append(byConv[c], TreeMessage{ID: m.ID, InReplyTo: m.InReplyTo, References: m.References})
			}
			for _, tms := range byConv {
				checkForest(t, tms)
			}

			// Order independence on real mail.
			rev := slices.Clone(msgs)
			slices.Reverse(rev)
			shuf := slices.Clone(msgs)
			rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuf), func(i, j int) { shuf[i], shuf[j] = shuf[j], shuf[i] })
			for name, order := range map[string][]corpusMessage{"reversed": rev, "shuffled": shuf} {
				other, n, _ := threadCorpus(order, Options{})
				if !samePartition(got, other) || n != convs {
					t.Errorf("%s order gives %d conversations and a different partition (path order: %d)", name, n, convs)
				}
			}
			t.Logf("%s: %d files, %d distinct ids, %d conversations (%d reference components), %d merges",
				d, files, len(ids), convs, len(nComp), h.merges)
		})
	}
}

// msgsPath returns the path of the first file with message id.
func msgsPath(msgs []corpusMessage, id string) string {
	for _, m := range msgs {
		if m.msg.ID == id {
			return m.path
		}
	}
	return ""
}

// TestCorpusNotmuchThreadingTrees checks the display tree of the notmuch
// "threading" corpus: conflicting parent headers (In-Reply-To wins over a
// References list in the wrong order) and a reply to a missing message.
func TestCorpusNotmuchThreadingTrees(t *testing.T) {
	dir := filepath.Join(corpusRoot, "notmuch/threading")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("notmuch threading corpus not found at %s: %v", dir, err)
	}
	msgs := loadCorpus(t, dir)
	tms := make([]TreeMessage, len(msgs))
	index := map[string]int{}
	for i, m := range msgs {
		tms[i] = TreeMessage{ID: m.msg.ID, InReplyTo: m.msg.InReplyTo, References: m.msg.References}
		index[m.msg.ID] = i
	}
	parents := Parents(tms)
	want := map[string]string{
		"B01-grand-child@example.org":       "B01-child@example.org",
		"B01-child@example.org":             "B00-root@example.org",
		"B00-root@example.org":              "",
		"001-fake-message-root@example.org": "001-child@example.org",
		"001-great-grand-child@example.org": "001-grand-child@example.org",
		"001-child@example.org":             "000-real-root@example.org",
	}
	for id, parent := range want {
		i, ok := index[id]
		if !ok {
			t.Fatalf("message %s not in corpus", id)
		}
		got := ""
		if parents[i] >= 0 {
			got = tms[parents[i]].ID
		}
		if got != parent {
			t.Errorf("parent of %s = %q, want %q", id, got, parent)
		}
	}
	_, convs, _ := threadCorpus(msgs, Options{})
	if convs != 3 {
		t.Errorf("%d conversations, want 3 (parent-priority, ghost-root, RT ticket)", convs)
	}
}
