package inbox_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// BenchmarkCommentTaskLines posts one comment of n "[ ] ... @b" lines
// (each a subtask assigned to B) into a fresh conversation per op. The
// limits are raised to let 4,000 lines through; the time per op should
// grow linearly with n (issue 10 point 8: it grew quadratically, each line
// re-tallying every subtask). cpu-ns/line is the process's CPU time per
// line, steadier than wall time on a busy machine.
func BenchmarkCommentTaskLines(b *testing.B) {
	for _, n := range []int{250, 1000, 4000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			ctx := context.Background()
			a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Limits: inbox.Limits{
				MaxCommentSize: 1 << 20, MaxTaskLines: n, MaxConversationTasks: n}}})
			body := taskLines(n, "bench")
			b.ReportAllocs()
			cpu0, cpuOK := processCPU()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				a.Notes.Take() // the test recorders keep everything: drain them
				a.Events.Take()
				c := a.Deliver("support", a.Email(fmt.Sprint("Bench ", i), "support@acme.test"))
				b.StartTimer()
				if _, err := a.Engine.Comment(ctx, a.As("A"), c, inbox.NewComment{Body: body}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/line")
			if cpu1, ok := processCPU(); ok && cpuOK {
				// CPU time of the whole process (GC included, the
				// untimed deliveries too: about 1% here) per line.
				b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/line")
			}
		})
	}
}
