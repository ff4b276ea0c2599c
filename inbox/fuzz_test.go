package inbox

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// Mention handles come out as non-empty runs of handle characters that
// appear in the text right after an '@', never ending in '.' or '-'.
func FuzzMentionHandles(f *testing.F) {
	for _, s := range []string{"@ana hi", "mail a@b.c", "@@x", "(@team-x.) @all", "@日本 @ä.b-", "@", "x@", "@a.", "\xff@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, h := range mentionHandles(text) {
			if h == "" || strings.HasSuffix(h, ".") || strings.HasSuffix(h, "-") {
				t.Fatalf("bad handle %q from %q", h, text)
			}
			if !strings.Contains(text, "@"+h) {
				t.Fatalf("handle %q not in %q", h, text)
			}
			for _, r := range h {
				if !isHandleRune(r) || r == utf8.RuneError {
					t.Fatalf("handle %q has %q", h, r)
				}
			}
		}
	})
}

// Cursors decode without panicking, and every cursor the engine makes
// decodes back to itself.
func FuzzDecodeCursor(f *testing.F) {
	f.Add("")
	f.Add("not a cursor")
	f.Add(encodeCursor(storage.Cursor{Activity: time.Unix(1700000000, 123000).UTC(), Conversation: conversation.ConversationID{1, 2, 3}}))
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			return
		}
		if s != "" && encodeCursor(c) != s {
			t.Fatalf("cursor %q round-trips to %q", s, encodeCursor(c))
		}
	})
}
