package inbox_test

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// The label benchmarks label every one of the benchmark organization's
// 100,000 conversations with one organization label auto-shared with
// user 1: user 0 sees the 2,000 of team 0 through their team's
// team-level label box, user 1 sees all 100,000 (2,000 through team 1,
// the rest through their own entries, as an auto-shared user).
var (
	benchLabelOnce sync.Once
	benchLabel     *conversation.Label
)

func loadLabelledBenchOrg(b *testing.B) (*benchOrg, *conversation.Label) {
	b.Helper()
	o := loadBenchOrg(b)
	benchLabelOnce.Do(func() {
		ctx := context.Background()
		l, err := o.e.CreateLabel(ctx, inbox.AsUser(o.users[2].ID), inbox.LabelSpec{Name: "Bench", AutoShared: []conversation.UserID{o.users[1].ID}})
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range o.convs {
			if err := o.e.ApplyLabel(ctx, inbox.System, c, l.ID); err != nil {
				b.Fatal(err)
			}
		}
		benchLabel = l
		runtime.GC() // the labelling's garbage is setup, not the benchmark's
	})
	if benchLabel == nil {
		b.Fatal("label benchmark setup failed")
	}
	return o, benchLabel
}

// BenchmarkListLabel reads the first page (50) of a label mailbox as a
// member who sees its conversations through their team.
func BenchmarkListLabel(b *testing.B) {
	o, l := loadLabelledBenchOrg(b)
	benchList(b, inbox.AsUser(o.users[0].ID), inbox.LabelMailbox(l.ID))
}

// BenchmarkListLabelAutoShared reads the first page (50) of a label
// mailbox as its auto-shared user, who sees all 100,000 conversations.
func BenchmarkListLabelAutoShared(b *testing.B) {
	o, l := loadLabelledBenchOrg(b)
	n, err := o.e.Count(context.Background(), inbox.AsUser(o.users[1].ID), inbox.LabelMailbox(l.ID))
	if err != nil {
		b.Fatal(err)
	}
	if n.Total != benchConversations {
		b.Fatalf("the auto-shared user's label mailbox has %d conversations, want %d", n.Total, benchConversations)
	}
	benchList(b, inbox.AsUser(o.users[1].ID), inbox.LabelMailbox(l.ID))
}

// BenchmarkApplyLabel applies and removes a label on existing
// conversations (an auto-shared one: access changes each time).
func BenchmarkApplyLabel(b *testing.B) {
	o, l := loadLabelledBenchOrg(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c := o.convs[(i*7919)%len(o.convs)]
		if err := o.e.RemoveLabel(ctx, inbox.System, c, l.ID); err != nil {
			b.Fatal(err)
		}
		if err := o.e.ApplyLabel(ctx, inbox.System, c, l.ID); err != nil {
			b.Fatal(err)
		}
	}
}
