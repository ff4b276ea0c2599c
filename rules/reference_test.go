package rules

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
)

// refDecide is the reference evaluator: a direct reading of the rules,
// with no compilation, no matcher and no sharing with the evaluator
// beyond the model types and Validate. It returns one line per rule that
// matched: "description: kinds of actions to run [pending kind at] [stop]".
func refDecide(rules []Rule, f *Facts) []string {
	switch {
	case f.Type == Outgoing && f.Initiator.Kind != ByUser, f.Type == UserAction && f.Initiator.Kind != ByUser:
		return nil
	}
	shapeEnv := Env{AIAvailable: func(AIModel, Scope, conversation.UserID) bool { return true }}
	var cands []Rule
	for _, r := range rules {
		if Validate(&r, shapeEnv) != nil || !r.Enabled || r.Type.Kind != f.Type {
			continue
		}
		if f.Type == UserAction && r.Type.Action != f.Action.Kind {
			continue
		}
		if f.Type != UserAction && r.Channel != refChannel(f) {
			continue
		}
		if !refScopeSees(r.Scope, f.Scope) {
			continue
		}
		cands = append(cands, r)
	}
	slices.SortStableFunc(cands, func(a, b Rule) int {
		if a.Description != b.Description {
			if a.Description < b.Description {
				return -1
			}
			return 1
		}
		return a.ID.Compare(b.ID)
	})
	var out []string
	for _, r := range cands {
		line, matched, stop := refRule(r, f)
		if matched {
			out = append(out, line)
		}
		if stop {
			break
		}
	}
	return out
}

func refChannel(f *Facts) Channel {
	if f.Message == nil {
		return Email
	}
	switch f.Message.Channel {
	case conversation.Email:
		return Email
	case conversation.SMS:
		return SMS
	case conversation.WhatsApp:
		return WhatsApp
	}
	return ChannelOf(f.Message.Channel)
}

func refScopeSees(rule, conv Scope) bool {
	switch rule.Kind {
	case Personal:
		return conv.Kind == Personal && conv.User == rule.User
	case Organization:
		return conv.Kind == Organization && conv.Org == rule.Org
	}
	return false
}

func refRule(r Rule, f *Facts) (string, bool, bool) {
	pending := ""
	ok := true
	if r.Conditions.Mode == All {
		var watch *Condition
		for _, n := range r.Conditions.Children {
			if d, isDelay := n.(Delay); isDelay {
				pending = fmt.Sprintf(" [delay %s]", f.Now.Add(d.For).Format(time.RFC3339))
				break
			}
			if c, isCond := n.(Condition); isCond && (c.Field == UnrepliedAfter || c.Field == UnassignedAfter) {
				watch = &c
				continue
			}
			if !refNode(n, f, r) {
				ok = false
				break
			}
		}
		if ok && pending == "" && watch != nil {
			start := f.Message.At
			at := start.Add(watch.After)
			if watch.Hours.Kind != CalendarTime {
				at = time.Time{}
				if f.Hours != nil {
					if h, found := f.Hours(watch.Hours.Team); found {
						at, _ = h.Add(start, watch.After)
					}
				}
			}
			pending = fmt.Sprintf(" [watch %s %s]", watch.Field, at.Format(time.RFC3339))
		}
	} else {
		ok = refNode(r.Conditions, f, r)
	}
	if !ok {
		return "", false, false
	}
	line := r.Description + ":"
	if pending != "" {
		return line + pending, true, false
	}
	stop := false
	for i, a := range r.Actions {
		if _, isStop := a.(StopProcessing); isStop {
			stop = true
		}
		if sr, isSR := a.(SendResponse); isSR && sr.Every > 0 && f.LastResponse != nil {
			if last, found := f.LastResponse(r.ID, i); found && f.Now.Sub(last) < sr.Every {
				line += " (skip " + a.Kind().String() + ")"
				continue
			}
		}
		line += " " + a.Kind().String()
	}
	return line, true, stop
}

func refNode(n Node, f *Facts, r Rule) bool {
	switch n := n.(type) {
	case Group:
		count := 0
		for _, c := range n.Children {
			if refNode(c, f, r) {
				count++
			}
		}
		switch n.Mode {
		case All:
			return count == len(n.Children)
		case Any:
			return count > 0
		}
		return count == 0
	case Condition:
		return refCond(n, f, r)
	}
	return true
}

func refFold(s string) string { return strings.ToLower(strings.ToUpper(s)) }

// refTexts lists the values of a text field.
func refTexts(field Field, f *Facts) []string {
	var out []string
	m := f.Message
	both := func(as []conversation.Address) {
		for _, a := range as {
			out = append(out, a.Address, a.Name)
		}
	}
	if m != nil {
		switch field {
		case From:
			out = append(out, m.From.Address, m.From.Name)
		case PhoneFrom:
			out = append(out, m.From.Address)
		case To:
			both(m.To)
		case PhoneTo:
			for _, a := range m.To {
				out = append(out, a.Address)
			}
		case Cc:
			both(m.Cc)
		case Bcc:
			both(m.Bcc)
		case ReplyTo:
			both(m.ReplyTo)
		case AnyRecipient:
			both(m.To)
			both(m.Cc)
			both(m.Bcc)
		case Subject:
			out = append(out, m.Subject)
		case Body:
			out = append(out, m.Text)
		case BodyNoQuote:
			out = append(out, m.Unquoted)
		case Content:
			out = append(out, m.From.Address, m.From.Name)
			both(m.To)
			both(m.Cc)
			both(m.Bcc)
			out = append(out, m.Subject, m.Text)
		case AttachmentName:
			for _, a := range m.Attachments {
				out = append(out, a.Name)
			}
		}
	}
	switch field {
	case Headers:
		out = append(out, f.Headers)
	case CommentText:
		if f.Action.Comment != nil {
			out = append(out, f.Action.Comment.Body)
		}
	case AddedLabel, RemovedLabel, AddedLabelOrParent, RemovedLabelOrParent:
		added := field == AddedLabel || field == AddedLabelOrParent
		for _, ch := range f.Action.Labels {
			if ch.Added != added {
				continue
			}
			out = append(out, ch.Name)
			if field == AddedLabelOrParent || field == RemovedLabelOrParent {
				for p := ch.Parent; !p.IsZero() && f.Labels != nil; {
					l := f.Labels(p)
					if l == nil {
						break
					}
					out = append(out, l.Name)
					p = l.Parent
				}
			}
		}
	}
	return out
}

func refText(op Operator, vals []string, lit string) bool {
	lit = refFold(lit)
	any := func(pred func(string) bool) bool {
		for _, v := range vals {
			if pred(refFold(v)) {
				return true
			}
		}
		return false
	}
	is := func(v string) bool { return v == lit }
	contains := func(v string) bool { return strings.Contains(v, lit) }
	starts := func(v string) bool { return strings.HasPrefix(v, lit) }
	ends := func(v string) bool { return strings.HasSuffix(v, lit) }
	switch op {
	case Is:
		return any(is)
	case IsNot:
		return !any(is)
	case Contains:
		return any(contains)
	case NotContains:
		return !any(contains)
	case StartsWith:
		return any(starts)
	case NotStartsWith:
		return !any(starts)
	case EndsWith:
		return any(ends)
	case NotEndsWith:
		return !any(ends)
	}
	panic("not a text operator")
}

func refCond(c Condition, f *Facts, r Rule) bool {
	conv := f.Conversation
	m := f.Message
	if c.Field == Prompt {
		ans, err := f.AI.Prompt(context.Background(), r.AI, c.Prompt, m)
		if err != nil {
			return false
		}
		return refText(c.Op, []string{strings.TrimSpace(ans)}, c.Text)
	}
	if c.Op >= InGroup && c.Op <= NotPastRecipient {
		var as []string
		switch c.Field {
		case From, PhoneFrom:
			as = []string{m.From.Address}
		case To, PhoneTo:
			as = refAddrs(m.To)
		case Cc:
			as = refAddrs(m.Cc)
		case Bcc:
			as = refAddrs(m.Bcc)
		case ReplyTo:
			as = refAddrs(m.ReplyTo)
		case AnyRecipient:
			as = append(append(refAddrs(m.To), refAddrs(m.Cc)...), refAddrs(m.Bcc)...)
		}
		found := false
		for _, a := range as {
			switch c.Op {
			case InGroup, NotInGroup:
				found = found || f.Contacts.InGroup(a, c.Set)
			case InCompany, NotInCompany:
				found = found || f.Contacts.InCompany(a, c.Set)
			case InBook, NotInBook:
				found = found || f.Contacts.InBook(a, c.Set)
			case InContacts, NotInContacts:
				found = found || f.Contacts.InContacts(a, f.Scope)
			default:
				found = found || f.Contacts.PastRecipient(a, f.Scope)
			}
		}
		if c.Op == InGroup || c.Op == InCompany || c.Op == InBook || c.Op == InContacts || c.Op == PastRecipient {
			return found
		}
		return !found
	}
	if c.Op >= Is && c.Op <= NotEndsWith {
		if _, isText := slotOf(c.Field); isText {
			return refText(c.Op, refTexts(c.Field, f), c.Text)
		}
	}
	eq := func(v bool) bool {
		if c.Op == IsNot {
			return !v
		}
		return v
	}
	set := func(n int, has bool) bool {
		switch c.Op {
		case IsPresent:
			return n > 0
		case IsBlank:
			return n == 0
		}
		return eq(has)
	}
	switch c.Field {
	case Automated:
		return eq(m.Automated == c.Bool)
	case ReadTrackers:
		return eq(f.ReadTrackers == c.Bool)
	case Spam:
		return eq(conv.Spam == c.Bool)
	case IsTask:
		return eq(f.Action.IsTask == c.Bool)
	case Sender:
		return eq(m.SentBy == c.User)
	case EmailAccount, Account:
		return eq(f.Account == c.Account)
	case Assignee:
		return set(len(conv.Assignees), slices.Contains(conv.Assignees, c.User))
	case AddedAssignee:
		return set(len(f.Action.AddedAssignees), slices.Contains(f.Action.AddedAssignees, c.User))
	case RemovedAssignee:
		return set(len(f.Action.RemovedAssignees), slices.Contains(f.Action.RemovedAssignees, c.User))
	case WatchingUser:
		return set(len(f.Watchers), slices.Contains(f.Watchers, c.User))
	case OutOfOfficeUser:
		return set(len(f.Away), slices.Contains(f.Away, c.User))
	case Mention:
		var us []conversation.UserID
		if f.Action.Comment != nil {
			for _, mn := range f.Action.Comment.Mentions {
				if !mn.User.IsZero() {
					us = append(us, mn.User)
				}
			}
		}
		return set(len(us), slices.Contains(us, c.User))
	case ActionInitiator:
		return eq(f.Initiator.User == c.User)
	case Team:
		return set(btoi(!conv.Team.IsZero()), conv.Team == c.Team)
	case NewTeam:
		return eq(f.Action.NewTeam == c.Team)
	case PreviousTeam:
		return eq(f.Action.PreviousTeam == c.Team)
	case Label:
		return set(len(conv.Labels), slices.Contains(conv.Labels, c.Label))
	case MessageCount:
		switch c.Op {
		case LowerThan:
			return conv.Messages < c.Number
		case GreaterThan:
			return conv.Messages > c.Number
		}
		return eq(conv.Messages == c.Number)
	case State:
		v := map[ConvState]bool{StateAssigned: len(conv.Assignees) > 0, StateClosed: conv.Closed,
			StateInTeamInbox: conv.InTeamInbox && !conv.Team.IsZero()}[c.State]
		return eq(v)
	case ReceptionTime, RuleTriggerTime:
		t := f.Now
		if c.Field == ReceptionTime {
			t = m.At
		}
		switch c.Op {
		case Before:
			return t.Before(c.At)
		case After:
			return t.After(c.At)
		}
		lt := t.In(c.Schedule.location())
		mins := lt.Hour()*60 + lt.Minute()
		in := false
		for _, sp := range c.Schedule.Spans {
			in = in || (sp.Day == lt.Weekday() && sp.Start <= mins && mins < sp.End)
		}
		return in == (c.Op == Within)
	}
	panic("reference: unhandled condition " + c.Field.String())
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func refAddrs(as []conversation.Address) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Address
	}
	return out
}

// decisionLines renders a decision in refDecide's form.
func decisionLines(d Decision) []string {
	var out []string
	for _, run := range d.Runs {
		if !run.Matched {
			continue
		}
		line := run.Description + ":"
		if p := run.Pending; p != nil {
			if p.Kind == WaitDelay {
				line += fmt.Sprintf(" [delay %s]", p.At.Format(time.RFC3339))
			} else {
				f := UnrepliedAfter
				if p.Kind == WaitUnassigned {
					f = UnassignedAfter
				}
				line += fmt.Sprintf(" [watch %s %s]", f, p.At.Format(time.RFC3339))
			}
			out = append(out, line)
			continue
		}
		for _, a := range run.Actions {
			if a.Skip != "" {
				line += " (skip " + a.Action.Kind().String() + ")"
				continue
			}
			line += " " + a.Action.Kind().String()
		}
		out = append(out, line)
	}
	return out
}

// The generators draw from small vocabularies so that conditions match
// often, and include case pairs that only Unicode folding equates.
var (
	genWords   = []string{"ab", "b", "abc", "Bc", "ß", "K", "k", "\u212a", "ſ", "s", "é", "É", "a b", "ca", "x", ""}
	genUsers   = []conversation.UserID{alice, bob, carol}
	genTeams   = []conversation.TeamID{tid("Support"), tid("Sales")}
	genLabels  = []conversation.LabelID{lid("L1"), lid("L2"), lid("L3")}
	genSets    = []string{"g1", "g2"}
	textFields = []Field{From, To, Cc, Bcc, ReplyTo, AnyRecipient, Subject, Body, BodyNoQuote, Content,
		AttachmentName, Headers, CommentText, AddedLabel, RemovedLabel, AddedLabelOrParent, RemovedLabelOrParent}
)

func genText(t *rapid.T, label string) string {
	n := rapid.IntRange(1, 3).Draw(t, label+"n")
	var b strings.Builder
	for range n {
		b.WriteString(rapid.SampledFrom(genWords).Draw(t, label))
	}
	return b.String()
}

func genCondition(t *rapid.T, typ Type) Condition {
	ok := func(fs []Field) []Field { return allowedFields(fs, typ) }
	switch rapid.IntRange(0, 9).Draw(t, "ckind") {
	case 0:
		f := rapid.SampledFrom([]Field{From, To, AnyRecipient}).Draw(t, "cf")
		c := Condition{Field: f, Op: rapid.SampledFrom([]Operator{InGroup, NotInGroup, InBook, PastRecipient, NotInContacts}).Draw(t, "cop")}
		if c.Op == InGroup || c.Op == NotInGroup || c.Op == InBook {
			c.Set = rapid.SampledFrom(genSets).Draw(t, "set")
		}
		return c
	case 1:
		return Condition{Field: rapid.SampledFrom(ok([]Field{Assignee, WatchingUser, OutOfOfficeUser, AddedAssignee, Mention, ActionInitiator})).Draw(t, "uf"),
			Op: Is, User: rapid.SampledFrom(genUsers).Draw(t, "u")}
	case 2:
		c := Condition{Field: rapid.SampledFrom([]Field{Assignee, Label, Team}).Draw(t, "pf"), Op: rapid.SampledFrom([]Operator{IsPresent, IsBlank, Is, IsNot}).Draw(t, "pop")}
		if c.Op == Is || c.Op == IsNot {
			switch c.Field {
			case Assignee:
				c.User = rapid.SampledFrom(genUsers).Draw(t, "u")
			case Label:
				c.Label = rapid.SampledFrom(genLabels).Draw(t, "l")
			default:
				c.Team = rapid.SampledFrom(genTeams).Draw(t, "t")
			}
		}
		return c
	case 3:
		return Condition{Field: MessageCount, Op: rapid.SampledFrom([]Operator{Is, IsNot, LowerThan, GreaterThan}).Draw(t, "nop"), Number: rapid.IntRange(0, 3).Draw(t, "n")}
	case 4:
		return Condition{Field: rapid.SampledFrom(ok([]Field{Automated, Spam, IsTask})).Draw(t, "bf"), Op: rapid.SampledFrom([]Operator{Is, IsNot}).Draw(t, "bop"), Bool: rapid.Bool().Draw(t, "b")}
	case 5:
		fs := ok([]Field{ReceptionTime, RuleTriggerTime})
		if len(fs) == 0 {
			return Condition{Field: Subject, Op: Contains, Text: "a"}
		}
		c := Condition{Field: rapid.SampledFrom(fs).Draw(t, "tf"), Op: rapid.SampledFrom([]Operator{Within, NotWithin, Before, After}).Draw(t, "top")}
		if c.Op == Before || c.Op == After {
			c.At = t0.Add(time.Duration(rapid.IntRange(-48, 48).Draw(t, "h")) * time.Hour)
		} else {
			sched, err := ParseSchedule(rapid.SampledFrom([]string{"Mon-Fri 09:00-17:00", "Tue 10:00-11:00", "Sat-Sun 00:00-24:00"}).Draw(t, "sched"),
				rapid.SampledFrom([]string{"", "Europe/Paris", "America/New_York"}).Draw(t, "zone"))
			if err != nil {
				t.Fatal(err)
			}
			c.Schedule = sched
		}
		return c
	case 6:
		return Condition{Field: Prompt, Op: rapid.SampledFrom([]Operator{Is, Contains, IsNot}).Draw(t, "aop"), Text: rapid.SampledFrom([]string{"yes", "no"}).Draw(t, "at"),
			Prompt: rapid.SampledFrom([]string{"upset?", "spam?", "fail please"}).Draw(t, "prompt")}
	}
	f := rapid.SampledFrom(ok(textFields)).Draw(t, "tf")
	lit := genText(t, "lit")
	if lit == "" {
		lit = "a"
	}
	return Condition{Field: f, Op: Operator(rapid.IntRange(int(Is), int(NotEndsWith)).Draw(t, "op")), Text: lit}
}

func genGroup(t *rapid.T, typ Type, depth int) Group {
	g := Group{Mode: Mode(rapid.IntRange(0, 2).Draw(t, "mode"))}
	n := rapid.IntRange(0, 4).Draw(t, "kids")
	for range n {
		if depth < 3 && rapid.IntRange(0, 3).Draw(t, "sub") == 0 {
			g.Children = append(g.Children, genGroup(t, typ, depth+1))
		} else {
			g.Children = append(g.Children, genCondition(t, typ))
		}
	}
	return g
}

// allowedFields keeps the fields a rule of type typ may test.
func allowedFields(fs []Field, typ Type) []Field {
	var out []Field
	for _, f := range fs {
		info := fieldInfos[f]
		if len(info.types) > 0 && !slices.Contains(info.types, typ.Kind) {
			continue
		}
		if len(info.actions) > 0 && !slices.Contains(info.actions, typ.Action) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// genRule draws a rule, most often one that is a candidate for the event
// of f.
func genRule(t *rapid.T, i int, f *Facts) Rule {
	r := Rule{ID: rid(fmt.Sprint(i)), Description: rapid.SampledFrom([]string{"01", "02", "1", "10", "2", "a", "B"}).Draw(t, "desc"),
		Enabled: rapid.IntRange(0, 5).Draw(t, "enabled") > 0, AI: AIModel{Provider: "p", Model: "m"}}
	switch rapid.IntRange(0, 7).Draw(t, "scope") {
	case 3, 4, 5, 6, 7:
		r.Scope = f.Scope
	case 0:
		r.Scope = PersonalScope(alice)
	case 1:
		r.Scope = OrgScope(oid("O2"))
	default:
		r.Scope = OrgScope(orgO)
	}
	r.Type = Type{Kind: rapid.SampledFrom([]TypeKind{f.Type, f.Type, f.Type, Incoming, Outgoing, UserAction}).Draw(t, "type")}
	if r.Type.Kind == UserAction {
		r.Type.Action = rapid.SampledFrom([]UserActionKind{f.Action.Kind, f.Action.Kind, NewComment, LabelChange, AssigneeChanged}).Draw(t, "ua")
	} else {
		r.Channel = rapid.SampledFrom([]Channel{ChannelOf(f.Message.Channel), ChannelOf(f.Message.Channel), Email, SMS}).Draw(t, "channel")
	}
	r.Conditions = genGroup(t, r.Type, 0)
	if r.Conditions.Mode == All && r.Type.Kind == Incoming && rapid.IntRange(0, 4).Draw(t, "wait") == 0 {
		at := rapid.IntRange(0, len(r.Conditions.Children)).Draw(t, "waitAt")
		var node Node = Delay{For: time.Duration(rapid.IntRange(1, 90).Draw(t, "mins")) * time.Minute}
		if rapid.Bool().Draw(t, "isWatch") {
			node = Condition{Field: rapid.SampledFrom([]Field{UnrepliedAfter, UnassignedAfter}).Draw(t, "wf"), After: time.Hour,
				Hours: HoursRef{Kind: rapid.SampledFrom([]HoursKind{CalendarTime, OrgHours}).Draw(t, "hk")}}
		}
		r.Conditions.Children = slices.Insert(r.Conditions.Children, at, node)
	}
	all := []Action{Close{}, AddLabels{Names: []string{"x"}}, StopProcessing{}, SendResponse{Canned: "R", Every: time.Hour}, Trash{}, Star{}}
	for range rapid.IntRange(0, 3).Draw(t, "nact") {
		r.Actions = append(r.Actions, rapid.SampledFrom(all).Draw(t, "action"))
	}
	return r
}

type genAI struct{}

func (genAI) Prompt(_ context.Context, _ AIModel, prompt string, m *conversation.Message) (string, error) {
	if strings.Contains(prompt, "fail") {
		return "", errors.New("provider down")
	}
	if m != nil && strings.Contains(m.Subject, "b") == (prompt == "upset?") {
		return " YES\n", nil
	}
	return "no", nil
}

func genAddrs(t *rapid.T, label string) []conversation.Address {
	var out []conversation.Address
	for range rapid.IntRange(0, 2).Draw(t, label+"n") {
		out = append(out, conversation.Address{Name: genText(t, label+"name"), Address: genText(t, label+"addr") + "@" + genText(t, label+"dom")})
	}
	return out
}

func genFacts(t *rapid.T) *Facts {
	conv := &conversation.Conversation{ID: cid("C"), Org: orgO, Users: []conversation.UserID{alice}}
	if rapid.IntRange(0, 3).Draw(t, "private") > 0 {
		conv.Team = rapid.SampledFrom(append(genTeams, conversation.TeamID{})).Draw(t, "team")
		conv.Teams = []conversation.TeamID{tid("Support")}
	}
	conv.Org = rapid.SampledFrom([]conversation.OrgID{orgO, oid("O2")}).Draw(t, "org")
	conv.Assignees = rapid.SliceOfDistinct(rapid.SampledFrom(genUsers), func(u conversation.UserID) conversation.UserID { return u }).Draw(t, "assignees")
	conv.Labels = rapid.SliceOfDistinct(rapid.SampledFrom(genLabels), func(l conversation.LabelID) conversation.LabelID { return l }).Draw(t, "labels")
	conv.Messages = rapid.IntRange(0, 3).Draw(t, "messages")
	conv.Closed = rapid.Bool().Draw(t, "closed")
	conv.Spam = rapid.Bool().Draw(t, "spam")
	conv.InTeamInbox = rapid.Bool().Draw(t, "inTeamInbox")
	m := &conversation.Message{
		Channel:   rapid.SampledFrom([]conversation.Channel{conversation.Email, conversation.Email, conversation.SMS}).Draw(t, "mchannel"),
		From:      conversation.Address{Name: genText(t, "fromName"), Address: genText(t, "from") + "@" + genText(t, "fromDomain")},
		To:        genAddrs(t, "to"),
		Cc:        genAddrs(t, "cc"),
		Bcc:       genAddrs(t, "bcc"),
		ReplyTo:   genAddrs(t, "replyTo"),
		Subject:   genText(t, "subject"),
		Text:      genText(t, "body"),
		Unquoted:  genText(t, "unquoted"),
		Automated: rapid.Bool().Draw(t, "automated"),
		SentBy:    rapid.SampledFrom(genUsers).Draw(t, "sentBy"),
		At:        t0.Add(time.Duration(rapid.IntRange(0, 7*24).Draw(t, "at")) * time.Hour),
	}
	for range rapid.IntRange(0, 2).Draw(t, "natt") {
		m.Attachments = append(m.Attachments, conversation.Attachment{Name: genText(t, "att")})
	}
	parent := &conversation.Label{ID: lid("P"), Name: genText(t, "parentName")}
	f := &Facts{
		Type:         rapid.SampledFrom([]TypeKind{Incoming, Outgoing, UserAction}).Draw(t, "ftype"),
		Initiator:    Initiator{Kind: rapid.SampledFrom([]InitiatorKind{ByUser, ByUser, ByUser, ByRule}).Draw(t, "init"), User: rapid.SampledFrom(genUsers).Draw(t, "initUser")},
		Message:      m,
		Headers:      genText(t, "headers"),
		Account:      aid(rapid.SampledFrom([]string{"a", "b"}).Draw(t, "acct")),
		Conversation: conv,
		Watchers:     rapid.SliceOfDistinct(rapid.SampledFrom(genUsers), func(u conversation.UserID) conversation.UserID { return u }).Draw(t, "watchers"),
		Away:         rapid.SliceOfDistinct(rapid.SampledFrom(genUsers), func(u conversation.UserID) conversation.UserID { return u }).Draw(t, "away"),
		Action: UserActionFacts{
			Kind:           UserActionKind(rapid.IntRange(int(NewComment), int(TeamChanged)).Draw(t, "fua")),
			IsTask:         rapid.Bool().Draw(t, "isTask"),
			AddedAssignees: rapid.SliceOfDistinct(rapid.SampledFrom(genUsers), func(u conversation.UserID) conversation.UserID { return u }).Draw(t, "added"),
			NewTeam:        rapid.SampledFrom(genTeams).Draw(t, "newTeam"),
			Comment:        &conversation.Comment{Body: genText(t, "comment"), Mentions: []conversation.Mention{{User: rapid.SampledFrom(genUsers).Draw(t, "mention")}}},
			Labels: []conversation.LabelChange{{Label: lid("c"), Added: rapid.Bool().Draw(t, "labelAdded"), Name: genText(t, "labelName"),
				Parent: rapid.SampledFrom([]conversation.LabelID{{}, parent.ID}).Draw(t, "labelParent")}},
		},
		Labels: func(id conversation.LabelID) *conversation.Label {
			if id == parent.ID {
				return parent
			}
			return nil
		},
		Contacts: &fakeContacts{
			groups: map[string][]string{refFold(m.From.Address): {rapid.SampledFrom(genSets).Draw(t, "fromGroup")}},
			books:  map[string][]string{},
			past:   []string{rapid.SampledFrom([]string{m.From.Address, "nobody@x"}).Draw(t, "past")},
		},
		AI: genAI{},
	}
	f.Scope = ConversationScope(conv)
	f.Now = m.At.Add(time.Duration(rapid.IntRange(0, 120).Draw(t, "later")) * time.Minute)
	sched, _ := ParseSchedule("Mon-Fri 09:00-17:00", "Europe/Paris")
	f.Hours = func(team conversation.TeamID) (BusinessHours, bool) {
		return BusinessHours{Schedule: sched}, team.IsZero()
	}
	lastSent := m.At.Add(-time.Duration(rapid.IntRange(0, 120).Draw(t, "lastSent")) * time.Minute)
	f.LastResponse = func(RuleID, int) (time.Time, bool) { return lastSent, true }
	return f
}

// TestCompiledMatchesReference: for random rule sets and random events, the
// compiled evaluator decides exactly what the reference evaluator does.
func TestCompiledMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := genFacts(t)
		n := rapid.IntRange(1, 8).Draw(t, "rules")
		rules := make([]Rule, n)
		for i := range rules {
			rules[i] = genRule(t, i, f)
		}
		set := Compile(rules)
		got := decisionLines(set.Evaluate(context.Background(), f, Options{}))
		want := refDecide(rules, f)
		if !slices.Equal(got, want) {
			t.Fatalf("compiled %q\nreference %q", got, want)
		}
		// Tracing changes nothing but the trace.
		traced := decisionLines(set.Evaluate(context.Background(), f, Options{Trace: true}))
		if !slices.Equal(traced, want) {
			t.Fatalf("traced %q\nreference %q", traced, want)
		}
	})
}
