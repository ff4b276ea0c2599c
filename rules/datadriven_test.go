package rules

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata files")

// The golden files under testdata/ are read in blocks, in the style of
// etcd's and cockroach's datadriven tests:
//
//	command [args]
//	input lines
//	----
//	expected output lines
//
// separated by blank lines; lines starting with # are comments. Commands:
//
//	rules        the rule set, a JSON array of rules (see Export); "@name"
//	             stands for the ID of name. Prints the rules that do not
//	             validate.
//	eval [trace] the facts of an event (key: value lines, see parseFacts);
//	             prints the decision.
//	explain D    the facts of an event; prints Explain of the rule whose
//	             description is D.
//
// Run with -update to rewrite the expected outputs.
func TestDataDriven(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runDataFile(t, file) })
	}
}

type ddBlock struct {
	cmd, args, input, want string
	// pre is the text before the block (comments and blank lines).
	pre string
}

func readBlocks(t *testing.T, file string) []ddBlock {
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	lines := strings.Split(string(raw), "\n")
	var blocks []ddBlock
	var pre strings.Builder
	for i := 0; i < len(lines); {
		line := lines[i]
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			pre.WriteString(line + "\n")
			i++
			continue
		}
		b := ddBlock{pre: pre.String()}
		pre.Reset()
		b.cmd, b.args, _ = strings.Cut(line, " ")
		i++
		var in []string
		for ; i < len(lines) && lines[i] != "----"; i++ {
			in = append(in, lines[i])
		}
		require.Less(t, i, len(lines), "%s: block %q has no ----", file, line)
		i++
		var out []string
		for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
			out = append(out, lines[i])
		}
		b.input, b.want = strings.Join(in, "\n"), strings.Join(out, "\n")
		blocks = append(blocks, b)
	}
	if pre.Len() > 0 {
		blocks = append(blocks, ddBlock{pre: pre.String()})
	}
	return blocks
}

func runDataFile(t *testing.T, file string) {
	blocks := readBlocks(t, file)
	var rules []Rule
	var set *Set
	var rewritten strings.Builder
	for _, b := range blocks {
		rewritten.WriteString(b.pre)
		if b.cmd == "" {
			continue
		}
		var got string
		switch b.cmd {
		case "rules":
			rules = parseRules(t, b.input)
			set = Compile(rules)
			got = describeInvalid(rules, set)
		case "eval":
			f := parseFacts(t, b.input)
			got = describeDecision(set.Evaluate(context.Background(), f, Options{Trace: b.args == "trace"}))
		case "explain":
			f := parseFacts(t, b.input)
			var r *Rule
			for i := range rules {
				if rules[i].Description == b.args {
					r = &rules[i]
				}
			}
			require.NotNil(t, r, "no rule %q", b.args)
			got = describeRun(Explain(context.Background(), *r, f))
		default:
			t.Fatalf("%s: unknown command %q", file, b.cmd)
		}
		got = strings.TrimRight(withNames(got), "\n")
		head := b.cmd
		if b.args != "" {
			head += " " + b.args
		}
		fmt.Fprintf(&rewritten, "%s\n%s\n----\n%s\n", head, b.input, got)
		if !*update && got != b.want {
			t.Errorf("%s: %s\n%s\n--- got:\n%s\n--- want:\n%s", file, head, b.input, got, b.want)
		}
	}
	if *update {
		require.NoError(t, os.WriteFile(file, []byte(rewritten.String()), 0o644))
	}
}

var (
	atName = regexp.MustCompile(`"@([^"]+)"`)
	uuidRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

// withNames replaces known IDs with @name.
func withNames(s string) string {
	return uuidRe.ReplaceAllStringFunc(s, func(id string) string {
		idMu.Lock()
		defer idMu.Unlock()
		if n, ok := idNames[id]; ok {
			return "@" + n
		}
		return id
	})
}

func parseRules(t *testing.T, input string) []Rule {
	input = atName.ReplaceAllStringFunc(input, func(m string) string {
		return `"` + idOf("", m[2:len(m)-1]).String() + `"`
	})
	var raws []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(input), &raws))
	rules := make([]Rule, len(raws))
	for i, raw := range raws {
		require.NoError(t, json.Unmarshal(raw, &rules[i]), string(raw))
		if rules[i].ID.IsZero() {
			rules[i].ID = rid(rules[i].Description)
		}
	}
	return rules
}

func describeInvalid(rules []Rule, set *Set) string {
	var b strings.Builder
	for _, r := range rules {
		if err := set.Invalid[r.ID]; err != nil {
			var ves ValidationErrors
			if errors.As(err, &ves) {
				for _, ve := range ves {
					fmt.Fprintf(&b, "invalid %q %s: %s\n", r.Description, ve.Path, ve.Reason)
				}
				continue
			}
			fmt.Fprintf(&b, "invalid %q: %v\n", r.Description, err)
		}
	}
	if b.Len() == 0 {
		return fmt.Sprintf("%d rules", len(rules))
	}
	return b.String()
}

func describeDecision(d Decision) string {
	var b strings.Builder
	if d.Ignored != "" {
		fmt.Fprintf(&b, "ignored: %s\n", d.Ignored)
	}
	fmt.Fprintf(&b, "evaluated %d\n", d.Evaluated)
	for _, r := range d.Runs {
		b.WriteString(describeRun(r))
	}
	if !d.StoppedBy.IsZero() {
		fmt.Fprintf(&b, "stopped by %s\n", d.StoppedBy)
	}
	if d.Fuse {
		b.WriteString("fuse: not every candidate was evaluated\n")
	}
	return b.String()
}

func describeRun(r Run) string {
	var b strings.Builder
	state := "no match"
	if r.Matched {
		state = "matched"
	}
	fmt.Fprintf(&b, "rule %q: %s\n", r.Description, state)
	if r.NotCandidate != "" {
		fmt.Fprintf(&b, "  not a candidate: %s\n", r.NotCandidate)
	}
	for _, s := range r.Trace {
		depth := strings.Count(s.Path, ".")
		fmt.Fprintf(&b, "  %s%s %s", strings.Repeat("  ", depth), s.Path, s.Result)
		if s.Why != "" {
			b.WriteString(": " + s.Why)
		}
		b.WriteString("\n")
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "  error: %s\n", e)
	}
	if p := r.Pending; p != nil {
		kind := map[PendingKind]string{WaitDelay: "delay", WaitUnreplied: "unreplied watch", WaitUnassigned: "unassigned watch"}[p.Kind]
		fmt.Fprintf(&b, "  pending %s until %s", kind, p.At.UTC().Format(time.RFC3339))
		if p.Kind == WaitDelay {
			fmt.Fprintf(&b, " (checkpoint %d)", p.Checkpoint)
		}
		b.WriteString("\n")
	}
	for _, a := range r.Actions {
		params, _ := json.Marshal(a.Action)
		fmt.Fprintf(&b, "  action[%d] %s %s", a.Index, a.Action.Kind(), params)
		if a.Skip != "" {
			b.WriteString(" skipped: " + a.Skip)
		}
		b.WriteString("\n")
	}
	if r.Stop {
		b.WriteString("  stop processing\n")
	}
	return b.String()
}

// parseFacts reads the facts of an event, one "key: value" a line:
//
//	type: incoming | outgoing | user_action <kind name>
//	initiator: user @name | rule | system | api
//	conversation: shared | private       org: @name
//	channel: email | sms | whatsapp | custom
//	from, to, cc, bcc, reply_to: Name <addr>, addr, ...
//	subject, body, unquoted, headers, comment: text (\n for new lines)
//	attachments: name, name
//	automated, spam, closed, in_team_inbox, is_task, replied: true
//	labels, assignees, watchers, away, mentions, added_assignees,
//	removed_assignees: @name @name
//	team, new_team, previous_team, account: @name
//	messages: n
//	at, now: RFC 3339 instants (now defaults to at)
//	ai: an answer | error: message
//	added_label, removed_label: name [< parent name]
//	group: addr group     past_recipient: addr
//	last_response: duration before now
//	hours: a weekly schedule in a zone ("Mon-Fri 09:00-17:00 @ Europe/Paris")
func parseFacts(t *testing.T, input string) *Facts {
	conv := sharedConv()
	m := &conversation.Message{At: t0}
	f := &Facts{Type: Incoming, Message: m, Conversation: conv}
	contacts := &fakeContacts{groups: map[string][]string{}}
	labelsByID := map[conversation.LabelID]*conversation.Label{}
	f.Labels = func(id conversation.LabelID) *conversation.Label { return labelsByID[id] }
	var now time.Time
	users := func(v string) (out []conversation.UserID) {
		for _, n := range strings.Fields(v) {
			out = append(out, uid(strings.TrimPrefix(n, "@")))
		}
		return out
	}
	addrList := func(v string) (out []conversation.Address) {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			if name, rest, ok := strings.Cut(part, "<"); ok {
				out = append(out, named(strings.TrimSpace(name), strings.TrimSuffix(rest, ">")))
			} else {
				out = append(out, addr(part))
			}
		}
		return out
	}
	unescape := func(v string) string { return strings.ReplaceAll(v, `\n`, "\n") }
	one := func(v string) string { return strings.TrimPrefix(strings.TrimSpace(v), "@") }
	for _, line := range strings.Split(input, "\n") {
		key, v, ok := strings.Cut(line, ":")
		require.True(t, ok, "facts line %q is not key: value", line)
		v = strings.TrimSpace(v)
		switch key {
		case "type":
			kind, action, _ := strings.Cut(v, " ")
			f.Type = map[string]TypeKind{"incoming": Incoming, "outgoing": Outgoing, "user_action": UserAction}[kind]
			if action != "" {
				ua, err := lookup(uaNames, action, "user action")
				require.NoError(t, err)
				f.Action.Kind = ua
			}
			if f.Type == Outgoing {
				m.Direction = conversation.Outbound
			}
		case "initiator":
			kind, who, _ := strings.Cut(v, " ")
			f.Initiator = Initiator{Kind: map[string]InitiatorKind{"user": ByUser, "rule": ByRule, "system": BySystem, "api": ByAPI}[kind]}
			if who != "" {
				f.Initiator.User = uid(one(who))
				m.SentBy = f.Initiator.User
			}
		case "conversation":
			if v == "private" {
				*conv = *privateConv()
			}
		case "org":
			conv.Org = oid(one(v))
		case "channel":
			m.Channel = map[string]conversation.Channel{"email": conversation.Email, "sms": conversation.SMS,
				"whatsapp": conversation.WhatsApp, "custom": conversation.Custom}[v]
		case "from":
			m.From = addrList(v)[0]
		case "to":
			m.To = addrList(v)
		case "cc":
			m.Cc = addrList(v)
		case "bcc":
			m.Bcc = addrList(v)
		case "reply_to":
			m.ReplyTo = addrList(v)
		case "subject":
			m.Subject = unescape(v)
		case "body":
			m.Text = unescape(v)
		case "unquoted":
			m.Unquoted = unescape(v)
		case "headers":
			f.Headers = unescape(v)
		case "comment":
			f.Action.Comment = &conversation.Comment{Body: unescape(v)}
		case "mentions":
			for _, u := range users(v) {
				f.Action.Comment.Mentions = append(f.Action.Comment.Mentions, conversation.Mention{User: u})
			}
		case "attachments":
			for _, n := range strings.Split(v, ",") {
				m.Attachments = append(m.Attachments, conversation.Attachment{Name: strings.TrimSpace(n)})
			}
		case "automated":
			m.Automated = v == "true"
		case "spam":
			conv.Spam = v == "true"
		case "closed":
			conv.Closed = v == "true"
		case "in_team_inbox":
			conv.InTeamInbox = v == "true"
		case "is_task":
			f.Action.IsTask = v == "true"
		case "replied":
			f.Replied = v == "true"
		case "labels":
			conv.Labels = nil
			for _, n := range strings.Fields(v) {
				conv.Labels = append(conv.Labels, lid(strings.TrimPrefix(n, "@")))
			}
		case "assignees":
			conv.Assignees = users(v)
		case "watchers":
			f.Watchers = users(v)
		case "away":
			f.Away = users(v)
		case "added_assignees":
			f.Action.AddedAssignees = users(v)
		case "removed_assignees":
			f.Action.RemovedAssignees = users(v)
		case "team":
			conv.Team = tid(one(v))
		case "new_team":
			f.Action.NewTeam = tid(one(v))
		case "previous_team":
			f.Action.PreviousTeam = tid(one(v))
		case "account":
			f.Account = aid(one(v))
		case "messages":
			n, err := strconv.Atoi(v)
			require.NoError(t, err)
			conv.Messages = n
		case "at", "now":
			at, err := time.Parse(time.RFC3339, v)
			require.NoError(t, err)
			if key == "at" {
				m.At = at
			} else {
				now = at
			}
		case "ai":
			if msg, isErr := strings.CutPrefix(v, "error: "); isErr {
				f.AI = &fakeAI{err: errors.New(msg)}
			} else {
				f.AI = &fakeAI{answer: unescape(v)}
			}
		case "added_label", "removed_label":
			name, parent, hasParent := strings.Cut(v, "<")
			ch := conversation.LabelChange{Label: lid(strings.TrimSpace(name)), Name: strings.TrimSpace(name), Added: key == "added_label"}
			if hasParent {
				p := &conversation.Label{ID: lid(strings.TrimSpace(parent)), Name: strings.TrimSpace(parent)}
				labelsByID[p.ID] = p
				ch.Parent = p.ID
			}
			f.Action.Labels = append(f.Action.Labels, ch)
		case "group":
			a, g, _ := strings.Cut(v, " ")
			contacts.groups[strings.ToLower(a)] = append(contacts.groups[strings.ToLower(a)], g)
			f.Contacts = contacts
		case "past_recipient":
			contacts.past = append(contacts.past, v)
			f.Contacts = contacts
		case "last_response":
			ago, err := time.ParseDuration(v)
			require.NoError(t, err)
			f.LastResponse = func(RuleID, int) (time.Time, bool) {
				if now.IsZero() {
					return m.At.Add(-ago), true
				}
				return now.Add(-ago), true
			}
		case "hours":
			spans, zone, _ := strings.Cut(v, "@")
			s, err := ParseSchedule(strings.TrimSpace(spans), strings.TrimSpace(zone))
			require.NoError(t, err)
			f.Hours = func(conversation.TeamID) (BusinessHours, bool) { return BusinessHours{Schedule: s}, true }
		default:
			t.Fatalf("unknown facts key %q", key)
		}
	}
	if m.Unquoted == "" {
		m.Unquoted = m.Text
	}
	f.Now = m.At
	if !now.IsZero() {
		f.Now = now
	}
	f.Scope = ConversationScope(conv)
	return f
}
