package threading

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// notmuchThreads indexes dir with notmuch in a temporary database and
// returns, for every file, the notmuch thread it is in (an index into the
// thread list notmuch show printed) and the thread count (notmuch count
// --output=threads).
func notmuchThreads(t *testing.T, dir string) (map[string]int, int) {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	cfg := filepath.Join(tmp, "config")
	conf := fmt.Sprintf("[database]\npath=%s\nmail_root=%s\n[new]\ntags=\nignore=README\n[maildir]\nsynchronize_flags=false\n",
		filepath.Join(tmp, "db"), abs)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(tmp, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		cmd := exec.Command("notmuch", args...)
		cmd.Env = append(os.Environ(), "NOTMUCH_CONFIG="+cfg)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("notmuch %s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	run("new", "--quiet")
	var threads []json.RawMessage
	if err := json.Unmarshal(run("show", "--format=json", "--body=false", "*"), &threads); err != nil {
		t.Fatal(err)
	}
	byFile := map[string]int{}
	for i, th := range threads {
		var walk func(raw json.RawMessage)
		walk = func(raw json.RawMessage) {
			var list []json.RawMessage
			if json.Unmarshal(raw, &list) == nil {
				for _, x := range list {
					walk(x)
				}
				return
			}
			var m struct {
				Filename []string `json:"filename"`
			}
			if json.Unmarshal(raw, &m) == nil {
				for _, f := range m.Filename {
					rel, err := filepath.Rel(abs, f)
					if err != nil {
						t.Fatal(err)
					}
					byFile[filepath.Join(dir, rel)] = i
				}
			}
		}
		walk(th)
	}
	count, err := strconv.Atoi(strings.TrimSpace(string(run("count", "--output=threads", "*"))))
	if err != nil {
		t.Fatalf("notmuch count: %v", err)
	}
	if count != len(threads) {
		t.Errorf("notmuch count says %d threads, notmuch show lists %d", count, len(threads))
	}
	return byFile, count
}

// notmuchCounts are the thread counts notmuch 0.37 gives for the corpora
// (notmuch count --output=threads '*'); docs/threading.md explains every
// difference with corpusWants.
var notmuchCounts = map[string]int{
	"notmuch/default": 24, "notmuch/lkml": 7, "notmuch/threading": 3, "notmuch/broken": 3,
	"notmuch/duplicate": 3, "spamassassin-easy-ham": 1461,
}

// notmuchBridges are, per corpus, the strings notmuch takes for message
// ids and inboxkit does not, which join conversations inboxkit keeps apart:
// authors' addresses in MH-style In-Reply-To headers ("Message from NAME
// <addr> of DATE <id>") and Z-Mail style ones ("NAME <addr> "subject"
// (date)"). notmuch makes a ghost message of each, and every message naming
// the same address joins its thread.
var notmuchBridges = map[string][]string{
	"spamassassin-easy-ham": {"craig@deersoft.com", "garym@canada.com", "quinlan@pathname.com"},
}

// bracketedIDs returns every <...> span of a header value, whitespace
// removed: how notmuch reads References and In-Reply-To (it skips text
// outside angle brackets and takes every bracketed string as an id).
func bracketedIDs(h string) []string {
	var ids []string
	for {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			return ids
		}
		h = h[i+1:]
		j := strings.IndexByte(h, '>')
		if j < 0 {
			return ids
		}
		id := strings.Join(strings.Fields(h[:j]), "")
		if id != "" {
			ids = append(ids, id)
		}
		h = h[j+1:]
	}
}

// TestNotmuchCrossCheck indexes every corpus with notmuch and compares
// thread for thread. It needs notmuch on PATH and runs only when asked:
//
//	INBOXKIT_XCHECK=notmuch go test -run TestNotmuchCrossCheck -v ./threading/
//
// It checks that notmuch's threads are the connected components of the
// graph of every bracketed string in References and In-Reply-To (the
// model of notmuch this file and docs/threading.md describe), that
// notmuch's count is the recorded one, and that every notmuch thread
// inboxkit splits is joined only through a recorded bridge: a string
// notmuch takes for an id and ExtractIDs does not.
func TestNotmuchCrossCheck(t *testing.T) {
	if os.Getenv("INBOXKIT_XCHECK") != "notmuch" {
		t.Skip("set INBOXKIT_XCHECK=notmuch to compare with notmuch (see docs/threading.md)")
	}
	if _, err := exec.LookPath("notmuch"); err != nil {
		t.Skip("notmuch not on PATH")
	}
	if _, err := os.Stat(corpusRoot); err != nil {
		t.Skipf("mail corpora not found at %s: %v", corpusRoot, err)
	}
	for _, d := range corpusDirs {
		t.Run(d, func(t *testing.T) {
			dir := filepath.Join(corpusRoot, d)
			msgs := loadCorpus(t, dir)
			ours, convs, _ := threadCorpus(msgs, Options{})
			theirs, threads := notmuchThreads(t, dir)
			t.Logf("%s: inboxkit %d conversations, notmuch %d threads", d, convs, threads)
			if len(theirs) != len(msgs) {
				t.Fatalf("notmuch indexed %d files, the corpus has %d", len(theirs), len(msgs))
			}
			if want := notmuchCounts[d]; threads != want {
				t.Errorf("notmuch gives %d threads, recorded %d", threads, want)
			}

			// The model: components over bracketed strings, the first
			// copy of each id deciding (notmuch links a message's
			// references once, when its id first arrives).
			bracketed := func(m corpusMessage) []string {
				return append(bracketedIDs(m.h["references"]), bracketedIDs(m.h["in-reply-to"])...)
			}
			if !samePartition(theirs, fileComponents(msgs, bracketed)) {
				t.Errorf("notmuch's threads are not the components of the bracketed-id graph")
			}

			// Every inboxkit conversation lies inside one notmuch thread.
			inside := map[int]int{}
			for p, c := range ours {
				if th, ok := inside[c]; ok && th != theirs[p] {
					t.Errorf("inboxkit conversation %d spans notmuch threads %d and %d", c, th, theirs[p])
				}
				inside[c] = theirs[p]
			}

			// Every split notmuch thread is joined only through bridges:
			// dropping the bridge ids from the model gives our partition.
			bridges := map[string]bool{}
			for _, b := range notmuchBridges[d] {
				bridges[b] = true
			}
			pruned := fileComponents(msgs, func(m corpusMessage) []string {
				return slices.DeleteFunc(bracketed(m), func(id string) bool { return bridges[id] })
			})
			if !samePartition(ours, pruned) {
				report(t, msgs, ours, theirs)
				t.Errorf("without the bridges %v the bracketed-id graph does not give inboxkit's conversations", notmuchBridges[d])
			}

			// Each bridge is an author's address: it is the From address
			// of some message of the corpus (or the sender of the mbox
			// "From addr date" line the spamassassin files start with,
			// rewritten as a From: header).
			from := fromAddresses(msgs)
			for b := range bridges {
				if !from[b] {
					t.Errorf("bridge %s is no message's From address", b)
				}
			}
		})
	}
}

// report logs the threads on which inboxkit and notmuch disagree.
func report(t *testing.T, msgs []corpusMessage, ours, theirs map[string]int) {
	t.Helper()
	id := map[string]string{}
	for _, m := range msgs {
		id[m.path] = m.msg.ID
	}
	threads := map[int][]string{}
	for p, th := range theirs {
		threads[th] = append(threads[th], p)
	}
	for _, ps := range threads {
		parts := map[int][]string{}
		for _, p := range ps {
			parts[ours[p]] = append(parts[ours[p]], filepath.Base(p)+" "+id[p])
		}
		if len(parts) < 2 {
			continue
		}
		var lines []string
		for _, pp := range parts {
			slices.Sort(pp)
			lines = append(lines, strings.Join(pp, ", "))
		}
		slices.Sort(lines)
		t.Logf("one notmuch thread, %d inboxkit conversations:\n  %s", len(parts), strings.Join(lines, "\n  "))
	}
}
