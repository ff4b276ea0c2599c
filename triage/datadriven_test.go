package triage_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/triage"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of testdata/*.txt")

// A test file holds cases, each a command line, lines of facts, a "----"
// line and the expected output up to a blank line:
//
//	deliver
//	team support members=alice:active,bob:observer
//	account acme owner=alice sharing=team:support
//	conv new
//	target team=support
//	route acme
//	----
//	team: support
//	...
//
// Lines starting with # between cases are comments.
type ddCase struct {
	pos   string
	cmd   string
	input []string
	want  string
	// lines of the case in the file: header (comments, command, input),
	// kept verbatim for -update.
	head []string
}

func readCases(t *testing.T, path string) (cases []*ddCase, tail []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var head []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			head = append(head, l)
			continue
		}
		c := &ddCase{pos: fmt.Sprintf("%s:%d", filepath.Base(path), i+1), cmd: strings.TrimSpace(l)}
		head = append(head, l)
		for i++; i < len(lines) && lines[i] != "----"; i++ {
			c.input = append(c.input, lines[i])
			head = append(head, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("%s: no ---- line", c.pos)
		}
		head = append(head, "----")
		var want []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
			want = append(want, lines[i])
		}
		c.want = strings.Join(want, "\n")
		c.head, head = head, nil
		cases = append(cases, c)
	}
	return cases, head
}

// runFile runs every case of path through run, comparing or (with
// -update) rewriting the expected outputs.
func runFile(t *testing.T, path string, run func(t *testing.T, c *ddCase) string) {
	cases, tail := readCases(t, path)
	var out []string
	for _, c := range cases {
		got := strings.TrimRight(run(t, c), "\n")
		if got == "" {
			got = "(nothing)"
		}
		if *update {
			out = append(out, c.head...)
			out = append(out, got, "")
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s\ngot:\n%s\nwant:\n%s", c.pos, c.cmd, got, c.want)
		}
	}
	if *update {
		out = append(out, tail...)
		text := strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// world is the facts a case describes, by name.
type world struct {
	t        *testing.T
	pos      string
	org      *conversation.Org
	teams    map[conversation.TeamID]*conversation.Team
	accounts map[string]*conversation.Account
	conv     *conversation.Conversation
	isNew    bool
	states   map[conversation.UserID]*conversation.UserState
	routes   []triage.Route
	target   *conversation.Team
	msg      *conversation.Message
	parents  []*conversation.Message
	actor    conversation.UserID
	args     map[string]string
	names    map[[16]byte]string
}

var base = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// id makes a readable ID: the name's bytes, so IDs sort as names do.
func (w *world) raw(name string) [16]byte {
	var b [16]byte
	if len(name) > len(b) {
		w.t.Fatalf("%s: name %q longer than 16 bytes", w.pos, name)
	}
	copy(b[:], name)
	w.names[b] = name
	return b
}

func (w *world) user(name string) conversation.UserID { return conversation.UserID(w.raw(name)) }
func (w *world) team(name string) conversation.TeamID { return conversation.TeamID(w.raw(name)) }

func (w *world) name(b [16]byte) string {
	if n, ok := w.names[b]; ok {
		return n
	}
	if b == ([16]byte{}) {
		return "none"
	}
	return fmt.Sprintf("%x", b)
}

func (w *world) at(s string) time.Time {
	d, err := time.Parse("15:04", s)
	if err != nil {
		w.t.Fatalf("%s: time %q: %v", w.pos, s, err)
	}
	return base.Add(time.Duration(d.Hour())*time.Hour + time.Duration(d.Minute())*time.Minute)
}

func (w *world) users(list string) []conversation.UserID {
	var out []conversation.UserID
	for _, n := range strings.Split(list, ",") {
		if n != "" {
			out = append(out, w.user(n))
		}
	}
	slices.SortFunc(out, conversation.UserID.Compare)
	return out
}

// snooze parses [discard@]HH:MM (set at HH:MM, until a day later).
func (w *world) snooze(v string, by conversation.UserID) *conversation.Snooze {
	s := &conversation.Snooze{By: by}
	if rest, ok := strings.CutPrefix(v, "discard@"); ok {
		s.DiscardOnReply, v = true, rest
	}
	if rest, ok := strings.CutPrefix(v, "leave@"); ok {
		s.LeaveInInbox, v = true, rest
	}
	s.At = w.at(v)
	s.Until = s.At.Add(24 * time.Hour)
	return s
}

// fields splits "word k=v flag" into the first word and options.
func fields(l string) (string, map[string]string) {
	f := strings.Fields(l)
	opts := map[string]string{}
	for _, x := range f[1:] {
		k, v, _ := strings.Cut(x, "=")
		opts[k] = v
	}
	return f[0], opts
}

func parseWorld(t *testing.T, c *ddCase) *world {
	w := &world{t: t, pos: c.pos, org: &conversation.Org{}, teams: map[conversation.TeamID]*conversation.Team{},
		accounts: map[string]*conversation.Account{}, states: map[conversation.UserID]*conversation.UserState{},
		args: map[string]string{}, names: map[[16]byte]string{}}
	w.conv = &conversation.Conversation{ID: conversation.ConversationID(w.raw("conv")), Kind: conversation.Thread}
	_, w.args = fields(c.cmd)
	for _, l := range c.input {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		kw, o := fields(l)
		f := strings.Fields(l)
		switch kw {
		case "org":
			if _, ok := o["single"]; ok {
				w.org.MultiTeamMode = conversation.SingleConversation
			}
		case "team":
			tm := &conversation.Team{ID: w.team(f[1]), Name: f[1]}
			if n, ok := o["name"]; ok {
				tm.Name = n
			}
			for _, m := range strings.Split(o["members"], ",") {
				if m == "" {
					continue
				}
				u, kind, _ := strings.Cut(m, ":")
				k := conversation.Active
				if kind == "observer" {
					k = conversation.Observer
				}
				tm.SetMember(w.user(u), k)
			}
			_, tm.NoInbox = o["noinbox"]
			if o["reply-to-assigned"] == "team-inbox" {
				tm.ReplyToAssigned = conversation.MoveBackToTeamInbox
			}
			w.teams[tm.ID] = tm
		case "account":
			a := &conversation.Account{ID: conversation.AccountID(w.raw(f[1])), Owner: w.user(o["owner"]), Delegates: w.users(o["delegates"])}
			w.accounts[f[1]] = a
		case "conv":
			c := w.conv
			_, w.isNew = o["new"]
			_, c.Closed = o["closed"]
			_, c.InTeamInbox = o["in-team-inbox"]
			_, c.Trashed = o["trashed"]
			if v, ok := o["team"]; ok {
				c.Team = w.team(v)
			}
			c.Assignees = w.users(o["assignees"])
			c.Users = w.users(o["users"])
			for _, n := range strings.Split(o["teams"], ",") {
				if n != "" {
					conversation.AddSorted(&c.Teams, w.team(n))
				}
			}
			if v, ok := o["snooze-everyone"]; ok {
				c.SnoozeForEveryone = w.snooze(v, w.user(o["snooze-by"]))
			}
		case "state":
			u := w.user(f[1])
			st := &conversation.UserState{Conversation: w.conv.ID, User: u}
			_, st.InInbox = o["inbox"]
			_, st.Watching = o["watching"]
			_, st.Silenced = o["silenced"]
			_, st.Trashed = o["trashed"]
			_, st.Removed = o["removed"]
			if v, ok := o["snooze"]; ok {
				st.Snooze = w.snooze(v, u)
			}
			w.states[u] = st
		case "route":
			a := w.accounts[f[1]]
			if a == nil {
				t.Fatalf("%s: unknown account %s", c.pos, f[1])
			}
			r := triage.Route{Account: a}
			switch {
			case o["team"] != "":
				r.Sharing = conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: w.team(o["team"])}
			case o["inboxes"] != "":
				r.Sharing = conversation.Sharing{Kind: conversation.SharedToInboxes, Users: map[conversation.UserID]conversation.InboxDelivery{}}
				for _, x := range strings.Split(o["inboxes"], ",") {
					u, how, _ := strings.Cut(x, ":")
					d := conversation.ToInbox
					if how == "archive" {
						d = conversation.AutoArchive
					}
					r.Sharing.Users[w.user(u)] = d
				}
			}
			w.routes = append(w.routes, r)
		case "target":
			w.target = w.teams[w.team(o["team"])]
		case "message":
			w.msg = &conversation.Message{Conversation: w.conv.ID, Direction: conversation.Inbound, At: w.at(o["at"])}
		case "parent":
			p := &conversation.Message{Conversation: w.conv.ID, Direction: conversation.Outbound}
			if v, ok := o["sentby"]; ok {
				p.SentBy = w.user(v)
			} else {
				p.Direction = conversation.Inbound
			}
			if _, ok := o["elsewhere"]; ok {
				p.Conversation = conversation.ConversationID(w.raw("other"))
			}
			w.parents = append(w.parents, p)
		case "actor":
			w.actor = w.user(f[1])
		default:
			t.Fatalf("%s: unknown fact %q", c.pos, kw)
		}
	}
	if w.msg == nil {
		w.msg = &conversation.Message{Conversation: w.conv.ID, Direction: conversation.Inbound, At: w.at("12:00")}
	}
	return w
}

// show prints an outcome, one change a line.
func (w *world) show(out triage.Outcome) string {
	var b strings.Builder
	g := out.Grant
	if len(g.Accounts)+len(g.Users)+len(g.Teams) > 0 {
		var parts []string
		if len(g.Accounts) > 0 {
			parts = append(parts, "accounts="+joinIDs(w, g.Accounts))
		}
		if len(g.Users) > 0 {
			parts = append(parts, "users="+joinIDs(w, g.Users))
		}
		if len(g.Teams) > 0 {
			parts = append(parts, "teams="+joinIDs(w, g.Teams))
		}
		fmt.Fprintf(&b, "grant: %s\n", strings.Join(parts, " "))
	}
	if out.Team != nil {
		fmt.Fprintf(&b, "team: %s\n", w.name(*out.Team))
	}
	if out.Reopen {
		b.WriteString("reopen\n")
	}
	if out.TeamInbox != triage.Unchanged {
		fmt.Fprintf(&b, "team inbox: %s\n", out.TeamInbox)
	}
	for _, ch := range out.Inbox {
		sign := "+"
		if !ch.In {
			sign = "-"
		}
		fmt.Fprintf(&b, "inbox: %s%s (%s)\n", sign, w.name(ch.User), ch.Cause)
	}
	if out.DiscardSnoozeForEveryone {
		b.WriteString("discard snooze: everyone\n")
	}
	if len(out.Watch) > 0 {
		fmt.Fprintf(&b, "watch: %s\n", joinIDs(w, out.Watch))
	}
	if len(out.MarkDue) > 0 {
		fmt.Fprintf(&b, "due: %s\n", joinIDs(w, out.MarkDue))
	}
	for _, u := range out.DiscardSnoozes {
		fmt.Fprintf(&b, "discard snooze: %s\n", w.name(u))
	}
	for _, ev := range out.Events {
		fmt.Fprintf(&b, "event: %s\n", w.event(ev))
	}
	for _, n := range out.Notify {
		fmt.Fprintf(&b, "notify: %s (%s)\n", w.name(n.User), n.Reason)
	}
	return b.String()
}

func (w *world) event(ev conversation.Event) string {
	s := ev.Type.String()
	if ev.ByMessage {
		s += " by message"
	}
	if ev.ForEveryone {
		s += " for everyone"
	}
	if len(ev.Users) > 0 {
		s += " users=" + joinIDs(w, ev.Users)
	}
	if len(ev.Teams) > 0 {
		s += " teams=" + joinIDs(w, ev.Teams)
	}
	return s
}

func joinIDs[K any](w *world, ids []conversation.ID[K]) string {
	var out []string
	for _, x := range ids {
		out = append(out, w.name(x))
	}
	return strings.Join(out, ",")
}

// routeString names a route: its account and sharing.
func (w *world) routeString(r triage.Route) string {
	s := w.name(r.Account.ID)
	switch r.Sharing.Kind {
	case conversation.SharedToTeamInbox:
		s += "(team " + w.name(r.Sharing.Team) + ")"
	case conversation.SharedToInboxes:
		s += "(inboxes)"
	default:
		s += "(personal)"
	}
	return s
}

func TestDeliver(t *testing.T) {
	runFile(t, "testdata/deliver.txt", func(t *testing.T, c *ddCase) string {
		w := parseWorld(t, c)
		cmd, args := fields(c.cmd)
		switch cmd {
		case "deliver":
			out := triage.Deliver(triage.Delivery{Org: w.org, Conversation: w.conv, New: w.isNew, States: w.states,
				Teams: w.teams, Target: triage.Target{Team: w.target, Routes: w.routes}, Message: w.msg, Parents: w.parents})
			if _, ok := args["skip-inbox"]; ok {
				out.SkipInbox() // as a rule keeping incoming mail out of the Inbox does
			}
			return w.show(out)
		case "targets":
			var b strings.Builder
			for _, tg := range triage.Targets(w.org, w.routes, w.teams) {
				name := "none"
				if tg.Team != nil {
					name = w.name(tg.Team.ID)
				}
				var rs []string
				for _, r := range tg.Routes {
					rs = append(rs, w.routeString(r))
				}
				fmt.Fprintf(&b, "target %s: %s\n", name, strings.Join(rs, " "))
			}
			return b.String()
		}
		t.Fatalf("%s: unknown command %q", c.pos, c.cmd)
		return ""
	})
}

// facts returns the facts of a case for the decisions on an existing
// conversation.
func (w *world) facts() triage.Facts {
	return triage.Facts{Conversation: w.conv, States: w.states, Teams: w.teams, Actor: w.actor}
}

var reasons = map[string]triage.Reason{"new-message": triage.NewMessage, "comment": triage.CommentPosted,
	"replied": triage.Replied, "none": 0}

func TestOperations(t *testing.T) {
	runFile(t, "testdata/operations.txt", func(t *testing.T, c *ddCase) string {
		w := parseWorld(t, c)
		f := w.facts()
		cmd, a := fields(c.cmd)
		_, notify := a["notify"]
		var out triage.Outcome
		switch cmd {
		case "activity":
			r, ok := reasons[a["reason"]]
			if !ok {
				t.Fatalf("%s: unknown reason %q", c.pos, a["reason"])
			}
			out = triage.Activity(f, r, notify)
		case "comment":
			out = triage.Comment(f)
		case "mention":
			out = triage.Mention(f, w.user(a["user"]))
		case "share":
			_, show := a["show"]
			out = triage.Share(f, w.users(a["users"]), show)
		case "assign":
			out = triage.Assign(f, w.users(a["added"]))
		case "unassign":
			out = triage.Unassign(f, w.users(a["removed"]))
		case "move-team":
			_, byMessage := a["by-message"]
			out = triage.MoveTeam(f, w.team(a["team"]), byMessage)
		case "leave-team":
			out = triage.LeaveTeam(f)
		case "reopen":
			out = triage.Reopen(f)
		case "close":
			asks := triage.CloseAsks(f)
			remove := map[conversation.UserID]bool{}
			for _, u := range w.users(a["remove"]) {
				remove[u] = true
			}
			s := "asks: " + joinIDs(w, asks) + "\n"
			return s + w.show(triage.Close(f, remove))
		case "archive":
			out = triage.Archive(f)
		case "archive-team-inbox":
			out = triage.ArchiveTeamInbox(f)
		case "leave":
			out = triage.Leave(w.users(a["users"])...)
		case "trash-everyone":
			out = triage.TrashForEveryone(f)
		case "spam":
			out = triage.Spam(f)
		case "unsnooze":
			out = triage.Unsnooze(f)
		case "wake-everyone":
			_, remind := a["remind"]
			out = triage.WakeEveryone(f, remind)
		case "wake-user":
			out = triage.WakeUser(f, w.user(a["user"]))
		case "join":
			out = triage.Join(w.user(a["user"]))
		case "unteam":
			out = triage.Unteam(f, w.user(a["owner"]))
		case "carry":
			out = triage.Carry(w.states)
		default:
			t.Fatalf("%s: unknown command %q", c.pos, cmd)
		}
		return w.show(out)
	})
}
