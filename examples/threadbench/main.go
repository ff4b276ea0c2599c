// Command threadbench measures inboxkit's header path: read mail files,
// parse the headers threading needs, thread them with threading.Threader
// over a threading.MemoryIndex. When mblaze's mthread is on PATH it runs
// mthread on the same files in the same run and prints both figures and
// their ratio.
//
//	go run ./examples/threadbench                 # the spamassassin easy_ham corpus
//	go run ./examples/threadbench -dir DIR -runs 9
//
// What is timed, per run:
//
//   - inboxkit, in-process: open and read each file with one reused
//     buffer, stop at the end of the header, scan Message-ID, In-Reply-To,
//     References, Subject and Date leniently (ids with threading.ExtractIDs),
//     Decide and Record every message into a fresh index.
//   - inboxkit, as a process: the same in a child process of this binary
//     (fork, exec, Go runtime start-up, reading and threading, exit), the
//     file names on its standard input, timed from outside exactly like
//     mthread.
//   - mthread: the whole process, the same file names on its standard
//     input, its output (the thread tree) to /dev/null.
//
// Both children inherit the same two files, the list of names and
// /dev/null, so the parent copies nothing while they run. Every contender
// runs once untimed first: the page cache is warm for all, and that run's
// output gives the counts. Then the runs alternate between contenders and
// the median wall time and median CPU time (user + system, of the child
// for processes) of each are printed. On a shared, loaded machine the CPU
// figure is the steadier one. GOMAXPROCS is 1 by default (-procs), like
// single-threaded mthread.
//
// mthread's count is its top-level lines: its threads, which differ from
// inboxkit's conversations because it builds jwz-style parent trees and
// keeps unresolved ids as containers; it is printed, not reconciled.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/threading"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "threadbench:", err)
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	dir     string
	runs    int
	procs   int
	mthread string
	process bool
	once    bool
	stdin   bool
}

func parseFlags(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("threadbench", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.dir, "dir", "../shared/corpora/spamassassin-easy-ham", "directory of mail files (searched recursively)")
	fs.IntVar(&c.runs, "runs", 7, "timed runs per contender; the median is printed")
	fs.IntVar(&c.procs, "procs", 1, "GOMAXPROCS for inboxkit (0 keeps the default)")
	fs.StringVar(&c.mthread, "mthread", "mthread", `mthread binary, looked up on PATH; "" skips it`)
	fs.BoolVar(&c.process, "process", true, "also time inboxkit as a child process of this binary")
	fs.BoolVar(&c.once, "once", false, "thread the files once, print the conversation count and exit (the child process mode)")
	fs.BoolVar(&c.stdin, "stdin", false, "with -once: read the file names from standard input, one per line, instead of walking -dir (as mthread does)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.runs < 1 {
		return c, fmt.Errorf("-runs must be at least 1, got %d", c.runs)
	}
	return c, nil
}

func run(args []string, in io.Reader, out io.Writer) error {
	c, err := parseFlags(args, out)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if c.procs > 0 {
		runtime.GOMAXPROCS(c.procs)
	}
	var files []string
	if c.once && c.stdin {
		files, err = readNames(in)
	} else {
		files, err = mailFiles(c.dir)
	}
	if err != nil {
		return err
	}
	if len(files) == 0 {
		if c.once && c.stdin {
			return errors.New("no file names on standard input")
		}
		return fmt.Errorf("no mail files in %s", c.dir)
	}
	if c.once {
		n, err := threadFiles(files)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(out, n)
		return err
	}

	type contender struct {
		name  string
		count string // what the count counts
		// run runs once; with count false it may skip the count
		// (a child's output then goes to /dev/null) and return -1.
		run  func(count bool) (int, time.Duration, error)
		wall []time.Duration
		cpu  []time.Duration
		n    int
	}
	cs := []*contender{{name: "inboxkit in-process", count: "conversations", run: func(bool) (int, time.Duration, error) {
		before, _ := cpuTime()
		n, err := threadFiles(files)
		after, _ := cpuTime()
		return n, after - before, err
	}}}
	var io0 *procIO
	if c.process || c.mthread != "" {
		if io0, err = newProcIO(files); err != nil {
			return err
		}
		defer io0.close()
	}
	if c.process {
		self, err := os.Executable()
		if err != nil {
			return fmt.Errorf("finding this binary for -process: %w", err)
		}
		env := os.Environ()
		if c.procs > 0 {
			env = append(env, "GOMAXPROCS="+strconv.Itoa(c.procs))
		}
		cs = append(cs, &contender{name: "inboxkit process", count: "conversations", run: func(count bool) (int, time.Duration, error) {
			out, cpu, err := io0.run(self, []string{"-once", "-stdin", "-procs", "0"}, env, count)
			if err != nil || !count {
				return -1, cpu, err
			}
			n, err := strconv.Atoi(strings.TrimSpace(string(out)))
			return n, cpu, err
		}})
	}
	if c.mthread != "" {
		if path, err := exec.LookPath(c.mthread); err == nil {
			cs = append(cs, &contender{name: "mthread process", count: "threads", run: func(count bool) (int, time.Duration, error) {
				out, cpu, err := io0.run(path, nil, nil, count)
				if err != nil || !count {
					return -1, cpu, err
				}
				return topLevelLines(out), cpu, err
			}})
		} else {
			fmt.Fprintf(out, "mthread not found (%v); measuring inboxkit only\n", err)
		}
	}

	fmt.Fprintf(out, "%d files in %s, %d runs each, GOMAXPROCS=%d, %s\n",
		len(files), c.dir, c.runs, runtime.GOMAXPROCS(0), runtime.Version())
	for _, x := range cs { // warm-up: page cache, binaries
		if x.n, _, err = x.run(true); err != nil {
			return fmt.Errorf("%s: %w", x.name, err)
		}
	}
	for range c.runs {
		for _, x := range cs {
			start := time.Now()
			n, cpu, err := x.run(false)
			d := time.Since(start)
			if err != nil {
				return fmt.Errorf("%s: %w", x.name, err)
			}
			if n >= 0 && n != x.n {
				return fmt.Errorf("%s: %d %s, then %d", x.name, x.n, x.count, n)
			}
			x.wall = append(x.wall, d)
			x.cpu = append(x.cpu, cpu)
		}
	}
	type figures struct{ wall, cpu time.Duration }
	med := map[string]figures{}
	fmt.Fprintf(out, "%-20s %10s %12s %10s %12s\n", "median of runs", "wall ms", "messages/s", "CPU ms", "messages/s")
	for _, x := range cs {
		f := figures{median(x.wall), median(x.cpu)}
		med[x.name] = f
		fmt.Fprintf(out, "%-20s %10.2f %12.0f %10.2f %12s  %d %s\n",
			x.name, ms(f.wall), rate(len(files), f.wall), ms(f.cpu), rateOrNA(len(files), f.cpu), x.n, x.count)
	}
	ratio := func(a, b time.Duration) string {
		if a <= 0 || b <= 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.2fx", a.Seconds()/b.Seconds())
	}
	if mt, ok := med["mthread process"]; ok {
		if p, ok := med["inboxkit process"]; ok {
			fmt.Fprintf(out, "inboxkit process vs mthread process: %s (wall), %s (CPU) mthread's speed\n",
				ratio(mt.wall, p.wall), ratio(mt.cpu, p.cpu))
		}
		in := med["inboxkit in-process"]
		fmt.Fprintf(out, "inboxkit in-process vs mthread process: %s (wall), %s (CPU) (no exec, no runtime start-up)\n",
			ratio(mt.wall, in.wall), ratio(mt.cpu, in.cpu))
	}
	return nil
}

func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

func rateOrNA(n int, d time.Duration) string {
	if d <= 0 {
		return "n/a"
	}
	return strconv.FormatFloat(rate(n, d), 'f', 0, 64)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// mailFiles returns the regular files under dir, sorted, without README
// and Markdown files.
func mailFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.EqualFold(d.Name(), "README") && !strings.HasSuffix(d.Name(), ".md") {
			files = append(files, p)
		}
		return nil
	})
	slices.Sort(files)
	return files, err
}

// threadFiles reads and threads files into a fresh index and returns the
// number of conversations.
func threadFiles(files []string) (int, error) {
	ctx := context.Background()
	idx := threading.NewMemoryIndexSize[int](len(files))
	th, err := threading.NewThreader[int](idx, threading.Options{})
	if err != nil {
		return 0, err
	}
	scope := threading.SharedScope("threadbench")
	var r headerReader
	next := 1
	for _, f := range files {
		h, err := r.read(f)
		if err != nil {
			return 0, err
		}
		m := h.message(scope, f)
		d, err := th.Decide(ctx, m)
		if err != nil {
			return 0, err
		}
		conv := d.Conversation
		if d.Action == threading.New || d.Action == threading.Continue {
			conv = next
			next++
		}
		if err := th.Record(ctx, m, d, conv); err != nil {
			return 0, err
		}
	}
	return len(idx.Conversations()), nil
}

// procIO holds the files a child process inherits: its standard input,
// the file names one per line (as mthread takes them), and its standard
// output, a file for the untimed warm-up run that yields the count and
// /dev/null for the timed runs. The parent copies nothing while a child
// runs, so the timing is fork, exec, the child's work and exit, the same
// for every contender.
type procIO struct {
	names, out, null *os.File
}

func newProcIO(files []string) (*procIO, error) {
	dir, err := os.MkdirTemp("", "threadbench")
	if err != nil {
		return nil, err
	}
	p := &procIO{}
	defer os.RemoveAll(dir) // the open files stay usable
	if p.names, err = os.Create(filepath.Join(dir, "names")); err != nil {
		return nil, err
	}
	if _, err = p.names.WriteString(strings.Join(files, "\n") + "\n"); err != nil {
		p.close()
		return nil, err
	}
	if p.out, err = os.Create(filepath.Join(dir, "out")); err != nil {
		p.close()
		return nil, err
	}
	if p.null, err = os.OpenFile(os.DevNull, os.O_WRONLY, 0); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *procIO) close() {
	for _, f := range []*os.File{p.names, p.out, p.null} {
		if f != nil {
			f.Close()
		}
	}
}

// run runs path with args and env (nil: this process's) and returns the
// CPU time it used and, with capture, what it printed.
func (p *procIO) run(path string, args, env []string, capture bool) ([]byte, time.Duration, error) {
	if _, err := p.names.Seek(0, io.SeekStart); err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(path, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = p.names, p.null, os.Stderr
	if capture {
		if err := p.out.Truncate(0); err != nil {
			return nil, 0, err
		}
		if _, err := p.out.Seek(0, io.SeekStart); err != nil {
			return nil, 0, err
		}
		cmd.Stdout = p.out
	}
	if err := cmd.Run(); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if !capture {
		return nil, cpu, nil
	}
	if _, err := p.out.Seek(0, io.SeekStart); err != nil {
		return nil, 0, err
	}
	out, err := io.ReadAll(p.out)
	return out, cpu, err
}

// topLevelLines counts the lines of mthread's output that are not
// indented: its threads.
func topLevelLines(out []byte) int {
	n := 0
	for line := range bytes.Lines(out) {
		if line[0] != ' ' && line[0] != '\n' {
			n++
		}
	}
	return n
}

// readNames reads file names, one per line; empty lines are skipped.
func readNames(r io.Reader) ([]string, error) {
	var names []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if line := strings.TrimRight(sc.Text(), "\r"); line != "" {
			names = append(names, line)
		}
	}
	return names, sc.Err()
}

// headerReader reads message headers with one reused buffer.
type headerReader struct {
	buf []byte
}

// maxHeader bounds how much of a file is read looking for the end of the
// header; a longer header is cut there (lenient, like a mail client).
const maxHeader = 1 << 20

// initialBuffer is the first read size: most headers fit.
var initialBuffer = 8 * 1024

// read returns the header fields of the file at path that threading
// needs. The returned strings do not alias the buffer.
func (r *headerReader) read(path string) (fields, error) {
	f, err := openFile(path)
	if err != nil {
		return fields{}, err
	}
	defer f.Close()
	if r.buf == nil {
		r.buf = make([]byte, initialBuffer)
	}
	n, end := 0, -1
	for {
		if n == len(r.buf) {
			if len(r.buf) >= maxHeader {
				break
			}
			r.buf = append(r.buf, make([]byte, len(r.buf))...)
		}
		k, err := f.Read(r.buf[n:])
		// The blank line may straddle two reads: search from just before
		// the new bytes.
		from := max(n-3, 0)
		n += k
		if end = headerEnd(r.buf[from:n]); end >= 0 {
			end += from
			break
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fields{}, fmt.Errorf("reading %s: %w", path, err)
		}
	}
	if end < 0 {
		end = n // no body: the whole file is header
	}
	return scanFields(r.buf[:end]), nil
}

// headerEnd returns the offset of the blank line ending a header ("\n\n"
// or "\n\r\n"), or -1.
func headerEnd(b []byte) int {
	lf := bytes.Index(b, []byte("\n\n"))
	limit := len(b)
	if lf >= 0 {
		limit = min(lf+2, len(b))
	}
	if crlf := bytes.Index(b[:limit], []byte("\n\r\n")); crlf >= 0 && (lf < 0 || crlf < lf) {
		return crlf + 1
	}
	if lf >= 0 {
		return lf + 1
	}
	return -1
}

// fields are the raw header values threading needs: folded lines kept
// (threading.ExtractIDs skips folding whitespace), first occurrence wins.
type fields struct {
	messageID, inReplyTo, references, subject, date string
}

// scanFields scans a header block line by line. It is lenient: lines
// without a colon and an mbox "From " line are skipped.
func scanFields(h []byte) fields {
	var f fields
	for len(h) > 0 {
		// One field: its first line and the continuation lines.
		end := 0
		for {
			j := bytes.IndexByte(h[end:], '\n')
			if j < 0 {
				end = len(h)
				break
			}
			end += j + 1
			if end >= len(h) || (h[end] != ' ' && h[end] != '\t') {
				break
			}
		}
		line := h[:end]
		h = h[end:]
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			continue
		}
		var dst *string
		switch name := line[:colon]; len(name) {
		case 4:
			if bytes.EqualFold(name, []byte("date")) {
				dst = &f.date
			}
		case 7:
			if bytes.EqualFold(name, []byte("subject")) {
				dst = &f.subject
			}
		case 10:
			if bytes.EqualFold(name, []byte("message-id")) {
				dst = &f.messageID
			} else if bytes.EqualFold(name, []byte("references")) {
				dst = &f.references
			}
		case 11:
			if bytes.EqualFold(name, []byte("in-reply-to")) {
				dst = &f.inReplyTo
			}
		}
		if dst != nil && *dst == "" {
			*dst = string(bytes.TrimSpace(line[colon+1:]))
		}
	}
	return f
}

// message builds the threading message of a file's fields. A message
// without a usable Message-ID gets a synthesized id; the benchmark does
// not read bodies, so the file name stands in for the body digest.
func (f fields) message(scope threading.Scope, path string) threading.Message {
	m := threading.Message{
		Scope:      scope,
		ID:         threading.ExtractID(f.messageID),
		InReplyTo:  threading.ExtractIDs(f.inReplyTo),
		References: threading.ExtractIDs(f.references),
		Subject:    unfold(f.subject),
	}
	if f.date != "" {
		m.Date, _ = parseDate(f.date)
	}
	if m.ID == "" {
		m.ID = threading.SynthesizeID(threading.SynthInput{Date: m.Date, Subject: m.Subject, BodyDigest: []byte(path)})
	}
	return m
}

// unfold joins folded header lines.
func unfold(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
