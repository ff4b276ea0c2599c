package threading

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
)

// syntheticMail returns n messages of interleaved reply trees (1-20
// messages each) as a mail client writes them: In-Reply-To = parent,
// References = the last ten ancestors; 5% arrive before the message
// delivered just ahead of them.
func syntheticMail(n int) []Message {
	r := rand.New(rand.NewPCG(42, 7))
	scope := SharedScope("bench-org")
	type thread struct {
		ids    []string
		parent []int
		next   int
	}
	var active []*thread
	out := make([]Message, 0, n)
	seq := 0
	for len(out) < n {
		if len(active) < 64 {
			size := 1 + r.IntN(20)
			th := &thread{ids: make([]string, size), parent: make([]int, size)}
			for i := range size {
				th.ids[i] = strconv.Itoa(seq) + "." + strconv.Itoa(i) + "@bench.example"
				th.parent[i] = -1
				if i > 0 {
					th.parent[i] = r.IntN(i)
				}
			}
			seq++
			active = append(active, th)
		}
		k := r.IntN(len(active))
		th := active[k]
		i := th.next
		th.next++
		if th.next == len(th.ids) {
			active[k] = active[len(active)-1]
			active = active[:len(active)-1]
		}
		m := Message{Scope: scope, ID: th.ids[i]}
		if p := th.parent[i]; p >= 0 {
			m.InReplyTo = []string{th.ids[p]}
			var anc []string
			for a := p; a >= 0 && len(anc) < 10; a = th.parent[a] {
				anc = append(anc, th.ids[a])
			}
			for l, h := 0, len(anc)-1; l < h; l, h = l+1, h-1 {
				anc[l], anc[h] = anc[h], anc[l]
			}
			m.References = anc
		}
		out = append(out, m)
		if len(out) > 1 && r.IntN(20) == 0 {
			out[len(out)-1], out[len(out)-2] = out[len(out)-2], out[len(out)-1]
		}
	}
	return out
}

// threadAll threads msgs into a fresh MemoryIndex and returns the number
// of conversations.
func threadAll(b *testing.B, msgs []Message) int {
	ctx := context.Background()
	idx := NewMemoryIndexSize[int](len(msgs))
	th, err := NewThreader[int](idx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	next := 1
	for _, m := range msgs {
		d, err := th.Decide(ctx, m)
		if err != nil {
			b.Fatal(err)
		}
		conv := d.Conversation
		if d.Action == New || d.Action == Continue {
			conv = next
			next++
		}
		if err := th.Record(ctx, m, d, conv); err != nil {
			b.Fatal(err)
		}
	}
	return next - 1
}

// BenchmarkThread1M threads one million synthetic messages per iteration
// on one goroutine, into a fresh in-memory index.
func BenchmarkThread1M(b *testing.B) {
	const n = 1_000_000
	msgs := syntheticMail(n)
	b.ReportAllocs()
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		threadAll(b, msgs)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n)/float64(b.N), "ns/msg")
	// Per CPU second of the whole process (the GC's work included), which
	// waiting for a shared CPU does not change.
	if cpu1, _ := processCPU(); cpuOK && cpu1 > cpu0 {
		b.ReportMetric(float64(n)*float64(b.N)/(cpu1-cpu0).Seconds(), "msgs/cpu-s")
	}
}

// BenchmarkExtractIDs measures parsing a typical References header.
func BenchmarkExtractIDs(b *testing.B) {
	h := "<20020910142926.C5DF2A7@whatexit.org> <200209091921.g89JLgt02406@lin12.triumf.ca>\r\n" +
		" <3D6BEFBB.2030103@Sun.COM> <3D6BFF48.8050306@cunniffe.net> <m2admckvqv.fsf@maya.dyndns.org>"
	b.ReportAllocs()
	for b.Loop() {
		ExtractIDs(h)
	}
}

// BenchmarkNormalizeSubject measures a subject with stacked prefixes.
func BenchmarkNormalizeSubject(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NormalizeSubject("Re: [ILUG] AW: Re[2]:  eircoms   adsl modems")
	}
}
