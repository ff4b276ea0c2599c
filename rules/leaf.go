package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/labels"
)

// leaf evaluates a condition the matcher does not serve.
func (e *eval) leaf(c *Condition) (bool, string) {
	f := e.f
	conv := f.Conversation
	if conv == nil {
		conv = &conversation.Conversation{}
	}
	pos, neg := c.Op.negative()
	not := func(v bool, why string) (bool, string) {
		if neg {
			return !v, why
		}
		return v, why
	}
	switch {
	case c.Field == Prompt:
		return e.prompt(c)
	case isContactOp(c.Op):
		return not(e.contacts(c, pos))
	}
	switch c.Field {
	case Automated, ReadTrackers, Spam, IsTask:
		var v bool
		switch c.Field {
		case Automated:
			v = f.Message != nil && f.Message.Automated
		case ReadTrackers:
			v = f.ReadTrackers
		case Spam:
			v = conv.Spam
		case IsTask:
			v = f.Action.IsTask
		}
		return not(v == c.Bool, e.w(func() string { return fmt.Sprintf("%s is %t", c.Field, v) }))
	case Sender:
		var u conversation.UserID
		if f.Message != nil {
			u = f.Message.SentBy
		}
		return not(u == c.User, e.w(func() string { return "sent by " + u.String() }))
	case EmailAccount, Account:
		return not(f.Account == c.Account, e.w(func() string { return "account " + f.Account.String() }))
	case Assignee, AddedAssignee, RemovedAssignee, WatchingUser, OutOfOfficeUser, Mention:
		return e.users(c, conv, neg)
	case ActionInitiator:
		return not(f.Initiator.User == c.User, e.w(func() string { return "done by " + f.Initiator.User.String() }))
	case Team:
		return e.presence(c, neg, conv.Team.IsZero(), conv.Team == c.Team, e.w(func() string { return "team " + conv.Team.String() }))
	case NewTeam:
		return not(f.Action.NewTeam == c.Team, e.w(func() string { return "new team " + f.Action.NewTeam.String() }))
	case PreviousTeam:
		return not(f.Action.PreviousTeam == c.Team, e.w(func() string { return "previous team " + f.Action.PreviousTeam.String() }))
	case Label:
		has := slices.Contains(conv.Labels, c.Label)
		if !has && f.Labels != nil {
			has = labels.Matches(conv.Labels, c.Label, f.Labels)
		}
		return e.presence(c, neg, len(conv.Labels) == 0, has, e.w(func() string { return fmt.Sprintf("labels %v", conv.Labels) }))
	case MessageCount:
		n := conv.Messages
		why := e.w(func() string { return fmt.Sprintf("%d messages", n) })
		switch c.Op {
		case LowerThan:
			return n < c.Number, why
		case GreaterThan:
			return n > c.Number, why
		}
		return not(n == c.Number, why)
	case State:
		var v bool
		switch c.State {
		case StateAssigned:
			v = len(conv.Assignees) > 0
		case StateClosed:
			v = conv.Closed
		case StateInTeamInbox:
			v = conv.InTeamInbox && !conv.Team.IsZero()
		}
		return not(v, e.w(func() string {
			return fmt.Sprintf("assigned %t, closed %t, in team inbox %t", len(conv.Assignees) > 0, conv.Closed, conv.InTeamInbox)
		}))
	case ReceptionTime, RuleTriggerTime:
		t := f.Now
		if c.Field == ReceptionTime && f.Message != nil && !f.Message.At.IsZero() {
			t = f.Message.At
		}
		return e.timeOp(c, t, neg)
	}
	return false, "unknown condition"
}

func (e *eval) presence(c *Condition, neg bool, blank, is bool, why string) (bool, string) {
	switch c.Op {
	case IsPresent:
		return !blank, why
	case IsBlank:
		return blank, why
	}
	return is != neg, why
}

func (e *eval) users(c *Condition, conv *conversation.Conversation, neg bool) (bool, string) {
	var us []conversation.UserID
	switch c.Field {
	case Assignee:
		us = conv.Assignees
	case AddedAssignee:
		us = e.f.Action.AddedAssignees
	case RemovedAssignee:
		us = e.f.Action.RemovedAssignees
	case WatchingUser:
		us = e.f.Watchers
	case OutOfOfficeUser:
		us = e.f.Away
	case Mention:
		if cm := e.f.Action.Comment; cm != nil {
			for _, m := range cm.Mentions {
				if !m.User.IsZero() {
					us = append(us, m.User)
				}
			}
		}
	}
	return e.presence(c, neg, len(us) == 0, slices.Contains(us, c.User), e.w(func() string { return fmt.Sprintf("%s %v", c.Field, us) }))
}

func (e *eval) contacts(c *Condition, pos Operator) (bool, string) {
	cs := e.f.Contacts
	addrs := addresses(e.f, c.Field)
	if cs == nil {
		return false, "no contacts to look in"
	}
	for _, a := range addrs {
		var v bool
		switch pos {
		case InGroup:
			v = cs.InGroup(a, c.Set)
		case InCompany:
			v = cs.InCompany(a, c.Set)
		case InBook:
			v = cs.InBook(a, c.Set)
		case InContacts:
			v = cs.InContacts(a, e.f.Scope)
		case PastRecipient:
			v = cs.PastRecipient(a, e.f.Scope)
		}
		if v {
			return true, e.w(func() string { return fmt.Sprintf("%s %q is %s", c.Field, a, pos) })
		}
	}
	return false, e.w(func() string { return fmt.Sprintf("no %s address is %s", c.Field, pos) })
}

func (e *eval) timeOp(c *Condition, t time.Time, neg bool) (bool, string) {
	why := e.w(func() string { return c.Field.String() + " " + t.UTC().Format(time.RFC3339) })
	switch c.Op {
	case Before:
		return t.Before(c.At), why
	case After:
		return t.After(c.At), why
	}
	var in bool
	if c.Schedule != nil {
		in = c.Schedule.Contains(t)
		if e.trace {
			why += " (" + t.In(c.Schedule.location()).Format("Mon 15:04") + " in " + c.Schedule.Zone + ")"
		}
	} else if e.f.Hours != nil {
		h, ok := e.f.Hours(c.Hours.Team)
		if !ok {
			return false, why + ": business hours unknown"
		}
		in = h.Contains(t)
	}
	return in != neg, why
}

func (e *eval) prompt(c *Condition) (bool, string) {
	f := e.f
	if f.AI == nil {
		err := "AI prompt failed: no AI configured"
		e.errors = append(e.errors, err)
		return false, err
	}
	key := [3]string{e.model.Provider, e.model.Model, c.Prompt}
	if e.ai == nil {
		e.ai = map[[3]string]aiAnswer{}
	}
	ans, ok := e.ai[key]
	if !ok {
		text, err := f.AI.Prompt(e.ctx, e.model, c.Prompt, f.Message)
		ans = aiAnswer{text, err}
		e.ai[key] = ans
	}
	if ans.err != nil {
		err := "AI prompt failed: " + ans.err.Error()
		e.errors = append(e.errors, err)
		return false, err
	}
	pos, neg := c.Op.negative()
	v := textOp(pos, fold(strings.TrimSpace(ans.text)), fold(c.Text))
	return v != neg, e.w(func() string { return fmt.Sprintf("the AI answered %q", clip(strings.TrimSpace(ans.text))) })
}

// w returns why() when tracing, and "" without calling it otherwise, so
// evaluation without a trace builds no strings.
func (e *eval) w(why func() string) string {
	if !e.trace {
		return ""
	}
	return why()
}
