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

// corpusDirs are the corpus folders of shared/corpora/README.md.
var corpusDirs = []string{
	"notmuch/default", "notmuch/lkml", "notmuch/threading", "notmuch/broken", "notmuch/duplicate",
	"spamassassin-easy-ham",
}

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
	h    headers
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
		out = append(out, corpusMessage{path: p, msg: m, h: h})
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

// corpusThread is a hand-checked conversation of a corpus: the files
// (paths relative to the corpus folder; for the spamassassin corpus the
// four-digit file number) that must share one conversation, and why.
type corpusThread struct {
	files []string
	// exact: the conversation holds these files and no others.
	exact bool
	why   string
}

// corpusWant is what threading one corpus must give. The counts match
// notmuch's except where docs/threading.md explains why not.
type corpusWant struct {
	files, ids, convs int
	threads           []corpusThread
	// addressIDs are the parent ids ExtractIDs returns that are some
	// message's From address (authors' addresses written where ids belong),
	// as "file id"; none of them may be named by two messages.
	addressIDs []string
}

var corpusWants = map[string]corpusWant{
	"notmuch/default": {files: 53, ids: 52, convs: 24, threads: []corpusThread{
		{files: []string{"foo/new/03:2,", "new/04:2,", "foo/cur/08:2,", "foo/new/09:2,", "foo/baz/12:2,", "bar/new/22:2,", "cur/41:2,"}, exact: true,
			why: "'Working with Maildir storage?': every reply names <20091117190054.GU3165@...> (03) in References; 04 and 09 carry a trailing comment after the In-Reply-To id"},
		{files: []string{"bar/18:2,", "cur/51:2,", "cur/29:2,", "cur/43:2,"}, exact: true,
			why: "'archive': 18 and 51 are two copies of <20091117232137.GA7669@griffis1.net> (one message), 29 replies to it and 43 to 29"},
		{files: []string{"01:2,", "02:2,", "foo/cur/07:2,", "foo/baz/11:2,", "cur/40:2,"}, exact: true,
			why: "'[PATCH 1/2] Close message file': 02 (patch 2/2) and 07 reply to 01, 11 to 07, 40 to 11"},
		{files: []string{"cur/31:2,", "cur/34:2,", "cur/35:2,", "cur/36:2,"}, exact: true,
			why: "'Mac OS X/Darwin compatibility issues': a reply chain 31 <- 34 <- 35 <- 36"},
		{files: []string{"cur/52:2,"}, exact: true,
			why: "replies to an aur-general message that is not in the corpus and nobody else references"},
	}},
	"notmuch/lkml": {files: 210, ids: 176, convs: 7, threads: []corpusThread{
		{files: []string{"cur/1382298805.004636:2,", "cur/1382298805.004665:2,", "cur/1382298805.004680:2,", "cur/1382298805.004688:2,"}, exact: true,
			why: "'core: dev: don't call BUG()': a reply chain under <1297680967-11893-1-git-send-email-segoon@openwall.com>"},
		{files: []string{"cur/1382298805.004526:2,", "cur/1382298805.004653:2,", "cur/1382298805.004906:2,"}, exact: true,
			why: "'ARM: vfp': a reply chain under <1297638813-1315-1-git-send-email-ccross@android.com>"},
		{files: []string{"cur/1382298587.004581:2,", "cur/1382298770.004581:2,", "cur/1382298587.004582:2,", "cur/1382298770.004582:2,",
			"cur/1382298775.002830:2,", "cur/1382298775.002978:2,", "cur/1382298775.002992:2,", "cur/1382298775.002999:2,",
			"cur/1382298775.003976:2,", "cur/1382298775.004354:2,", "cur/1382298775.004363:2,", "cur/1382298775.004374:2,"}, exact: true,
			why: "'powerpc/85xx: Add MChk handler': 10 messages (two delivered twice) all referencing the missing root <20100308191005.GE4324@amak.tundra.com>"},
		{files: []string{"cur/1354585346.000261:2,", "cur/1382298587.001730:2,"},
			why: "a notmuch patch and the cifs RFC series share nothing but the bogus In-Reply-To <yes> (git send-email --in-reply-to answered with 'yes'); notmuch joins them the same way"},
		{files: []string{"cur/1382298805.004551:2,"}, exact: true,
			why: "'bluetooth disabled': no references, nobody replies"},
	}},
	"notmuch/threading": {files: 12, ids: 12, convs: 3, threads: []corpusThread{
		{files: []string{"ghost-root/real-root", "ghost-root/child", "ghost-root/grand-child", "ghost-root/grand-child2", "ghost-root/great-grand-child", "ghost-root/fake-root"}, exact: true,
			why: "all name <000-real-root@example.org>; fake-root also names a message that never arrived"},
		{files: []string{"ghost-root/1529425589.M615261P21663.len:2,S", "ghost-root/1532672447.R3166642290392477575.len:2,S", "ghost-root/1532672447.R6968667928580738175.len:2,S"}, exact: true,
			why: "an RT ticket: the auto-reply names the FYI message and the ticket's pseudo-id <RT-Ticket-33575@...>, the resolution only the pseudo-id (a shared missing ancestor)"},
		{files: []string{"parent-priority/cur/root", "parent-priority/cur/child", "parent-priority/cur/grand-child"}, exact: true,
			why: "child's References misspells the root (<B00--root>) but its In-Reply-To names it"},
	}},
	"notmuch/broken": {files: 4, ids: 4, convs: 3, threads: []corpusThread{
		{files: []string{"loop/loop-12", "loop/loop-21"}, exact: true,
			why: "each names the other in In-Reply-To: a reference loop, which must terminate and give one conversation"},
		{files: []string{"broken-cc"}, exact: true, why: "no references"},
		{files: []string{"empty-part"}, exact: true, why: "no references"},
	}},
	"notmuch/duplicate": {files: 9, ids: 3, convs: 3, threads: []corpusThread{
		{files: []string{"msg-1-1:2,", "msg-1-2:2,"}, exact: true, why: "two copies of one Message-ID with different subjects"},
		{files: []string{"msg-2-1:2,", "msg-2-2:2,"}, exact: true, why: "two copies of one Message-ID, one with a repeated References id"},
		{files: []string{"msg-3-1:2,", "msg-3-2:2,", "msg-3-3:2,", "msg-3-4:2,", "msg-3-5:2,"}, exact: true,
			why: "five copies of one Message-ID (one bug-tracker mail per bug), each with different References: the first copy decides, the others are attached to it"},
	}},
	"spamassassin-easy-ham": {files: 2405, ids: 2405, convs: 1466, threads: []corpusThread{
		{files: []string{"0407", "0413", "0416", "0418", "0421"}, exact: true,
			why: "'Java is for kiddies': 0413 and 0418 reply with References only, 0416 with In-Reply-To only, 0421 with the MH form 'Message from NAME <addr> of DATE <id>' naming 0413"},
		{files: []string{"0646", "0647", "0648", "0654", "0655", "0657", "0660", "0663", "0665", "0667", "0668"}, exact: true,
			why: "'Slaughter in the Name of God'; notmuch also joins it with 'Java is for kiddies' through the author address <garym@canada.com> in 0421's and 0655's MH-form In-Reply-To"},
		{files: []string{"1403", "1404"}, exact: true,
			why: "both reply to <B624EDE6-B5F7-11D6-A91E-00039396ECF2@deersoft.com>, which is not in the corpus (a shared missing parent)"},
		{files: []string{"1644", "1645"}, exact: true,
			why: "1645's MH-form In-Reply-To names 1644 after the author's address, which is not an id"},
		{files: []string{"1600"}, exact: true,
			why: "its Z-Mail style In-Reply-To 'Daniel Quinlan <quinlan@pathname.com> \"Re: ...\" (Sep 25, 7:35pm)' holds only the author's address, which no other message names as an id; its References name messages not in the corpus"},
		{files: []string{"1418"}, exact: true, why: "MH-form In-Reply-To naming a message not in the corpus after the author address <craig@deersoft.com>"},
		{files: []string{"1526"}, exact: true, why: "MH-form In-Reply-To naming a message not in the corpus after the author address"},
		{files: []string{"1643"}, exact: true, why: "MH-form In-Reply-To naming a message not in the corpus after the author address"},
		{files: []string{"1744", "1751", "1752"},
			why: "'[Spambayes] Deployment': 1751's and 1752's References hold 'Your message of \"DATE.\"' garbage around the ids"},
	}, addressIDs: []string{"1485 schaefer@zanshin.com", "1600 quinlan@pathname.com"}},
}

// TestCorpora threads every file of each corpus folder of
// shared/corpora/README.md, in path order, reversed and shuffled: every
// file lands in exactly one live conversation, copies of one Message-ID
// are one message, nothing is lost, reference loops terminate, the display
// trees hold every message once, the partition does not depend on the
// order and is the connected components of the reference graph, and the
// counts and hand-checked threads are as recorded in corpusWants.
func TestCorpora(t *testing.T) {
	if _, err := os.Stat(corpusRoot); err != nil {
		t.Skipf("mail corpora not found at %s (they live in ../shared/corpora next to the repository): %v", corpusRoot, err)
	}
	for _, d := range corpusDirs {
		t.Run(d, func(t *testing.T) {
			dir := filepath.Join(corpusRoot, d)
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("corpus %s absent: %v", d, err)
			}
			want, ok := corpusWants[d]
			if !ok {
				t.Fatalf("no expectations for corpus %s", d)
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
			if files != want.files || len(ids) != want.ids || convs != want.convs {
				t.Errorf("%d files, %d distinct ids, %d conversations; want %d, %d, %d",
					files, len(ids), convs, want.files, want.ids, want.convs)
			}

			// Every file is in exactly one live conversation; copies of one
			// id are one message (a Duplicate decision each) in one
			// conversation; the counts add up to the distinct ids.
			live := h.idx.Conversations()
			byID := map[string]int{}
			for _, m := range msgs {
				c := got[m.path]
				if _, ok := live[c]; !ok {
					t.Errorf("%s is in conversation %d, which is not live", m.path, c)
				}
				if prev, ok := byID[m.msg.ID]; ok && prev != c {
					t.Errorf("copies of %s in conversations %d and %d", m.msg.ID, prev, c)
				}
				byID[m.msg.ID] = c
			}
			if h.dups != files-len(ids) {
				t.Errorf("%d duplicate decisions, want %d (files minus distinct ids)", h.dups, files-len(ids))
			}
			total := 0
			for _, n := range live {
				total += n
			}
			if total != len(ids) {
				t.Errorf("conversations hold %d messages, want %d distinct ids", total, len(ids))
			}

			// Reference components (what notmuch computes over the ids
			// ExtractIDs returns): below the cap, the conversations are
			// exactly these.
			if !samePartition(got, fileComponents(msgs, func(m corpusMessage) []string {
				return append(slices.Clone(m.msg.InReplyTo), m.msg.References...)
			})) {
				t.Errorf("conversations differ from the reference components")
			}
			var all []Message
			seen := map[string]bool{}
			for _, m := range msgs {
				if !seen[m.msg.ID] {
					seen[m.msg.ID] = true
					all = append(all, m.msg)
				}
			}

			// Authors' addresses taken for ids join nothing.
			from := fromAddresses(msgs)
			var addrIDs []string
			naming := map[string]int{}
			for _, m := range all {
				for _, id := range append(slices.Clone(m.InReplyTo), m.References...) {
					if from[id] {
						name, _, _ := strings.Cut(filepath.Base(msgsPath(msgs, m.ID)), ".")
						addrIDs = append(addrIDs, name+" "+id)
						naming[id]++
					}
				}
			}
			if !slices.Equal(addrIDs, want.addressIDs) {
				t.Errorf("address ids %q, want %q", addrIDs, want.addressIDs)
			}
			for id, n := range naming {
				if n > 1 {
					t.Errorf("%d messages name the address %s as a parent", n, id)
				}
			}

			// Hand-checked threads.
			for _, th := range want.threads {
				c := -1
				for _, f := range th.files {
					p := corpusFile(t, msgs, dir, f)
					if c < 0 {
						c = got[p]
					} else if got[p] != c {
						t.Errorf("%s is not with %s (%s)", f, th.files[0], th.why)
					}
				}
				if th.exact {
					n := 0
					for _, m := range msgs {
						if got[m.path] == c {
							n++
						}
					}
					if n != len(th.files) {
						t.Errorf("the conversation of %s holds %d files, want %d (%s)", th.files[0], n, len(th.files), th.why)
					}
				}
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
			t.Logf("%s: %d files, %d distinct ids, %d conversations, %d merges", d, files, len(ids), convs, h.merges)
		})
	}
}

// fileComponents returns each file's component in the graph joining
// every message id to the ids refs returns for the first file with that
// id (later copies of an id add no edges, as in the threader).
func fileComponents(msgs []corpusMessage, refs func(corpusMessage) []string) map[string]string {
	var graph []Message
	seen := map[string]bool{}
	for _, m := range msgs {
		if !seen[m.msg.ID] {
			seen[m.msg.ID] = true
			graph = append(graph, Message{ID: m.msg.ID, References: refs(m)})
		}
	}
	comp := components(graph)
	out := make(map[string]string, len(msgs))
	for _, m := range msgs {
		out[m.path] = comp[m.msg.ID]
	}
	return out
}

// fromAddresses returns the From addresses of msgs. The spamassassin
// files start with the mbox "From addr date" line rewritten as a From
// header, which counts by its address.
func fromAddresses(msgs []corpusMessage) map[string]bool {
	from := map[string]bool{}
	for _, m := range msgs {
		if a, err := mail.ParseAddress(m.h["from"]); err == nil {
			from[a.Address] = true
		} else if f := strings.Fields(m.h["from"]); len(f) > 0 {
			from[f[0]] = true
		}
	}
	return from
}

// corpusFile returns the path of the corpus file named name: its path
// relative to dir, or (spamassassin) its number before the first dot.
func corpusFile(t *testing.T, msgs []corpusMessage, dir, name string) string {
	t.Helper()
	for _, m := range msgs {
		rel, err := filepath.Rel(dir, m.path)
		if err != nil {
			t.Fatal(err)
		}
		if rel == name || strings.HasPrefix(rel, name+".") {
			return m.path
		}
	}
	t.Fatalf("no file %s in %s", name, dir)
	return ""
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
}
