package threading

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// corpusSeeds returns, from each corpus folder, up to n values of the
// named headers that are not a plain "<id>" (the odd shapes: MH and Z-Mail
// In-Reply-To, garbage around References, encoded subjects) and up to n/4
// plain ones; nothing when the corpora are absent.
func corpusSeeds(n int, names ...string) []string {
	var out []string
	for _, d := range corpusDirs {
		odd, plain := 0, 0
		_ = walkCorpus(filepath.Join(corpusRoot, d), func(_ string, h headers) bool {
			for _, name := range names {
				v, ok := h[name]
				if !ok {
					continue
				}
				if isPlainID(v) {
					if plain < n/4 {
						plain++
						out = append(out, v)
					}
				} else if odd < n && !slices.Contains(out, v) {
					odd++
					out = append(out, v)
				}
			}
			return odd < n || plain < n/4
		})
	}
	return out
}

// isPlainID reports whether v is one bracketed id and nothing else.
func isPlainID(v string) bool {
	v = strings.TrimSpace(v)
	return len(v) > 2 && v[0] == '<' && strings.IndexByte(v, '>') == len(v)-1 && strings.Count(v, "<") == 1
}

func FuzzExtractIDs(f *testing.F) {
	for _, s := range []string{
		"<a@x> <b@x>",
		"<a@x>,<b@x>",
		`Message from Tom Reingold <noglider@pobox.com> of "Tue, 10 Sep 2002 10:29:26 EDT." <20020910142926.C5DF2A7@whatexit.org>`,
		`Your message of "Wed, 11 Sep 2002 12:17:33 PDT." <200209111917.PAA02912@blackcomb.panasas.com>`,
		"<20091117190054.GU3165@dottiness.seas.harvard.edu> (Lars Kellogg-Stedman's message of \"Tue, 17 Nov 2009 14:00:54 -0500\")",
		"Daniel Quinlan <quinlan@pathname.com>\n    \"Re: GA Development (was Re: [SAdev] [Bug 1030] NO_INVENTORY dangerous)\"\n    (Sep 25,  7:35pm)",
		"<yes>",
		"a@x b@y",
		"((<c>)) \"<d>\" <e",
		"<<>>",
	} {
		f.Add(s)
	}
	for _, s := range corpusSeeds(40, "references", "in-reply-to", "message-id") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		ids := ExtractIDs(h)
		seen := map[string]bool{}
		for _, id := range ids {
			if id == "" || len(id) > MaxIDLength || !utf8.ValidString(id) || IsSynthetic(id) {
				t.Fatalf("bad id %q from %q", id, h)
			}
			if strings.ContainsAny(id, " \t\r\n<>") {
				t.Fatalf("id %q holds whitespace or brackets", id)
			}
			for _, r := range id {
				if r < 0x20 || r == 0x7f {
					t.Fatalf("id %q holds a control character", id)
				}
			}
			if seen[id] {
				t.Fatalf("id %q returned twice", id)
			}
			seen[id] = true
			if again := ExtractIDs("<" + id + ">"); !slices.Equal(again, []string{id}) {
				t.Fatalf("id %q does not round-trip: %q", id, again)
			}
		}
		first := ""
		if len(ids) > 0 {
			first = ids[0]
		}
		if got := ExtractID(h); got != first {
			t.Fatalf("ExtractID = %q, first of ExtractIDs = %q", got, first)
		}
		if len(ids) > 0 {
			var b strings.Builder
			for _, id := range ids {
				b.WriteString("<" + id + "> ")
			}
			if again := ExtractIDs(b.String()); !slices.Equal(again, ids) {
				t.Fatalf("ids do not round-trip: %q -> %q", ids, again)
			}
		}
	})
}

func FuzzNormalizeSubject(f *testing.F) {
	for _, s := range []string{
		"Re: [list] Re: x",
		"AW: WG: Re[2]: Re(3): Re^4: hello",
		"回复：转发: 你好",
		"[Fwd: [x] y] (fwd)",
		"R: I: RE : re： x",
		"  \t\r\n ",
		"\xff\xfeRe:",
	} {
		f.Add(s)
	}
	for _, s := range corpusSeeds(40, "subject") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeSubject(s)
		if again := NormalizeSubject(n); again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, again)
		}
		if strings.TrimFunc(n, unicode.IsSpace) != n || strings.Contains(n, "  ") {
			t.Fatalf("whitespace not collapsed: %q", n)
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("valid input gave invalid output %q", n)
		}
		if len(n) > len(s) {
			t.Fatalf("normalizing grew %q to %q", s, n)
		}
		_ = SubjectKey(s)
		_ = ReplySubject(s)
	})
}
