package inbox_test

import (
	"context"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// The message cap as a rule (issue 10 point 2; F3:7932, F3:7978): one
// thread grown in random order by customer replies, replies recorded in
// inboxkit (in any conversation of the chain), synced sent copies (new or
// of a recorded reply) and comments. Whatever the path, no conversation
// ever holds more than the cap, and the thread's N messages fill the
// chain in order: ceil(N/cap) conversations linked both ways, all full
// but the last. Comments never count.
func TestDefect10_2_CapHoldsOnEveryPath(t *testing.T) {
	defer noRapidFailFile()()
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		limit := rapid.IntRange(1, 4).Draw(t, "cap")
		a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{MaxMessages: limit}})
		support := a.Accounts["support"].ID
		root := a.Email("Thread", "support@acme.test")
		c0 := a.Deliver("support", root)
		ids := []string{root.HeaderID} // every message of the thread
		n := 0
		newID := func() string { n++; return fmt.Sprintf("p%d@acme.test", n) }
		chain := func() []*inbox.View {
			var out []*inbox.View
			for id := c0; !id.IsZero(); {
				v := a.Conv("A", id)
				out = append(out, v)
				id = v.Conversation.ContinuedIn
			}
			return out
		}
		var recorded []conversation.Message // replies recorded in inboxkit, for their sent copies
		t.Repeat(map[string]func(*rapid.T){
			"": func(t *rapid.T) {
				convs := chain()
				want := (len(ids) + limit - 1) / limit
				if len(convs) != want {
					t.Fatalf("%d messages with cap %d in %d conversations, want %d", len(ids), limit, len(convs), want)
				}
				for i, v := range convs {
					got := v.Conversation.Messages
					if got != len(v.Messages) {
						t.Fatalf("conversation %d counts %d messages, holds %d", i, got, len(v.Messages))
					}
					full := limit
					if i == len(convs)-1 {
						full = len(ids) - limit*(len(convs)-1)
					}
					if got != full {
						t.Fatalf("conversation %d of %d holds %d messages, want %d (cap %d)", i, len(convs), got, full, limit)
					}
					if i > 0 && v.Conversation.ContinuationOf != convs[i-1].Conversation.ID {
						t.Fatalf("conversation %d does not continue conversation %d", i, i-1)
					}
				}
			},
			"customerReply": func(t *rapid.T) {
				parent := rapid.SampledFrom(ids).Draw(t, "parent")
				m := a.Email("Re: Thread", "support@acme.test")
				m.InReplyTo = []string{parent}
				a.Deliver("support", m)
				ids = append(ids, m.HeaderID)
			},
			"recordReply": func(t *rapid.T) {
				convs := chain()
				v := rapid.SampledFrom(convs).Draw(t, "in")
				parent := rapid.SampledFrom(ids).Draw(t, "parent")
				m := conversation.Message{To: []conversation.Address{root.From}, Subject: "Re: Thread", Text: "answer",
					HeaderID: newID(), InReplyTo: []string{parent}}
				if _, err := a.Engine.RecordReply(ctx, a.As("A"), v.Conversation.ID, inbox.Reply{Message: m}); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m.HeaderID)
				recorded = append(recorded, m)
			},
			"syncedSent": func(t *rapid.T) {
				parent := rapid.SampledFrom(ids).Draw(t, "parent")
				m := conversation.Message{From: conversation.Address{Address: "support@acme.test"}, To: []conversation.Address{root.From},
					Subject: "Re: Thread", Text: "from webmail", HeaderID: newID(), InReplyTo: []string{parent}}
				if _, err := a.Engine.RecordSent(ctx, inbox.System, inbox.Incoming{Account: support, Message: m}); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m.HeaderID)
			},
			"sentCopyOfRecorded": func(t *rapid.T) {
				if len(recorded) == 0 {
					t.Skip("nothing recorded yet")
				}
				m := rapid.SampledFrom(recorded).Draw(t, "reply")
				d, err := a.Engine.RecordSent(ctx, inbox.System, inbox.Incoming{Account: support, Ref: "sent", Message: m})
				if err != nil {
					t.Fatal(err)
				}
				if !d.Duplicate {
					t.Fatalf("the sent copy of recorded reply %s was filed again", m.HeaderID)
				}
			},
			"comment": func(t *rapid.T) {
				v := rapid.SampledFrom(chain()).Draw(t, "in")
				if _, err := a.Engine.Comment(ctx, a.As("B"), v.Conversation.ID, inbox.NewComment{Body: "note"}); err != nil {
					t.Fatal(err)
				}
			},
		})
	})
}
