package mail

import (
	"testing"
)

// BenchmarkParseEasyHam is full MIME ingestion of the 2,405 easy_ham files,
// read into memory before the timer; it reports messages per second.
func BenchmarkParseEasyHam(b *testing.B) {
	files := loadCorpus(b, "spamassassin-easy-ham")
	var p Parser
	var size int64
	for _, f := range files {
		size += int64(len(f.raw))
	}
	b.ReportAllocs()
	b.SetBytes(size / int64(len(files)))
	b.ResetTimer()
	n := 0
	for b.Loop() {
		f := files[n%len(files)]
		n++
		if _, err := p.ParseBytes(f.raw); err != nil {
			b.Fatal(f.path, err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "messages/s")
}
