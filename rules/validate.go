package rules

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
)

// Sentinel errors of rule validation.
var (
	// ErrInvalidRule is wrapped by every [ValidationError].
	ErrInvalidRule = errors.New("rules: invalid rule")
	// ErrPlanRequired: the organization's plan does not include rules.
	ErrPlanRequired = errors.New("rules: the plan does not include rules")
)

// Limits on one rule, so evaluation work stays bounded.
const (
	MaxDepth      = 32   // nesting of condition groups
	MaxNodes      = 500  // conditions, groups and delays of one rule
	MaxActions    = 100  // actions of one rule
	MaxTextLength = 2000 // bytes of one text literal or prompt
)

// Check identifies the validation rule a [ValidationError] breaks.
type Check uint8

// The validation checks.
const (
	CheckType         Check = iota + 1 // one type; a channel the type allows
	CheckSender                        // the Sender condition is for outgoing rules
	CheckPhone                         // phone fields are for SMS and WhatsApp rules
	CheckTimeType                      // time conditions are limited to some types
	CheckDelayAndSLA                   // a rule cannot hold both a delay and a watch
	CheckHours                         // all watches of a rule count the same hours
	CheckUserAction                    // user-action conditions are for user-action rules
	CheckAssignToMe                    // Assign to me is for personal rules
	CheckOutgoingOnly                  // some actions are for outgoing rules
	CheckAssignFilter                  // assignment filters limited to some types
	CheckValue                         // a condition holds one literal of its field's kind
	CheckRole                          // only admins and owners save organization rules
	CheckAI                            // AI needs a provider shared with the rule's author
	CheckShape                         // structure: operators, placement, limits
)

// ValidationError is one problem of a rule, at Path: "conditions",
// "conditions[0].any[2]" (children of a group are named after the group's
// mode), "actions[3]", or a rule field ("type", "scope").
type ValidationError struct {
	Path   string
	Check  Check
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("%s: %s: %s", ErrInvalidRule.Error(), e.Path, e.Reason)
}

// Unwrap returns [ErrInvalidRule].
func (e *ValidationError) Unwrap() error { return ErrInvalidRule }

// ValidationErrors are all the problems of a rule, in the order of the
// rule's parts.
type ValidationErrors []*ValidationError

// Error implements error, listing every problem.
func (es ValidationErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Path + ": " + e.Reason
	}
	return ErrInvalidRule.Error() + ": " + strings.Join(parts, "; ")
}

// Unwrap returns the problems, so errors.As finds a *ValidationError and
// errors.Is finds ErrInvalidRule.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Env is what saving a rule is checked against. Its zero value allows
// everything the rule itself does not forbid, except AI, which needs
// AIAvailable.
type Env struct {
	// Author saves the rule; nil skips the role check.
	Author *conversation.User
	// Entitled reports whether the scope's plan includes rules; nil means
	// it does.
	Entitled func(Scope) bool
	// AIAvailable reports whether model is configured and shared with the
	// author (or the rule's scope); nil means no AI provider is set up.
	AIAvailable func(model AIModel, scope Scope, author conversation.UserID) bool
}

// Validate checks rule r before it is saved. It returns nil,
// [ErrPlanRequired], or [ValidationErrors] naming every offending node.
func Validate(r *Rule, env Env) error {
	if env.Entitled != nil && !env.Entitled(r.Scope) {
		return ErrPlanRequired
	}
	v := validator{r: r, env: env}
	v.rule()
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

type validator struct {
	r     *Rule
	env   Env
	errs  ValidationErrors
	nodes int
	// delays and watches found at the top level, and the watches' hours.
	delay, watch bool
	hours        []HoursRef
	usesAI       bool
}

func (v *validator) fail(path string, c Check, format string, args ...any) {
	v.errs = append(v.errs, &ValidationError{Path: path, Check: c, Reason: fmt.Sprintf(format, args...)})
}

func (v *validator) rule() {
	r := v.r
	switch r.Scope.Kind {
	case Personal:
		if r.Scope.User.IsZero() {
			v.fail("scope", CheckShape, "a personal rule needs its user")
		}
		if a := v.env.Author; a != nil && a.ID != r.Scope.User {
			v.fail("scope", CheckRole, "users manage their own personal rules only")
		}
	case Organization:
		if r.Scope.Org.IsZero() {
			v.fail("scope", CheckShape, "an organization rule needs its organization")
		}
		if a := v.env.Author; a != nil && (!a.Role.IsAdmin() || a.Org != r.Scope.Org) {
			v.fail("scope", CheckRole, "only admins and owners of the organization manage its rules")
		}
	default:
		v.fail("scope", CheckShape, "unknown scope")
	}
	switch r.Type.Kind {
	case Incoming, Outgoing:
		if r.Type.Action != 0 {
			v.fail("type", CheckType, "only user-action rules name a user action")
		}
		if r.Channel > Post {
			v.fail("channel", CheckType, "unknown channel")
		} else if r.Channel == Post && r.Type.Kind != Incoming {
			v.fail("channel", CheckType, "the post channel exists for incoming rules only")
		}
	case UserAction:
		if r.Type.Action < NewComment || r.Type.Action > TeamChanged {
			v.fail("type", CheckType, "a user-action rule needs one of the six user actions")
		}
	default:
		v.fail("type", CheckType, "a rule needs exactly one type: incoming, outgoing or user action")
	}
	if len(r.Description) > MaxTextLength {
		v.fail("description", CheckShape, "longer than %d bytes", MaxTextLength)
	}
	v.group("conditions", r.Conditions, 0, true)
	if v.delay && v.watch {
		v.fail("conditions", CheckDelayAndSLA, "a delay and an unreplied or unassigned watch cannot be combined in one rule")
	}
	for i := 1; i < len(v.hours); i++ {
		if v.hours[i] != v.hours[0] {
			v.fail("conditions", CheckHours, "every time-based condition of a rule must count the same business hours")
			break
		}
	}
	if len(r.Actions) > MaxActions {
		v.fail("actions", CheckShape, "more than %d actions", MaxActions)
	}
	for i, a := range r.Actions {
		v.action("actions["+strconv.Itoa(i)+"]", a)
	}
	if v.usesAI && (v.env.AIAvailable == nil || !v.env.AIAvailable(r.AI, r.Scope, r.Author)) {
		v.fail("ai", CheckAI, "AI conditions and actions need an AI provider and model shared with the rule's author")
	}
}

var modeNames = [...]string{All: "all", Any: "any", None: "none"}

// String returns the mode's name.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

func (v *validator) group(path string, g Group, depth int, top bool) {
	if depth > MaxDepth {
		v.fail(path, CheckShape, "groups nested deeper than %d", MaxDepth)
		return
	}
	if g.Mode > None {
		v.fail(path, CheckShape, "unknown group mode")
		return
	}
	for i, n := range g.Children {
		v.nodes++
		if v.nodes > MaxNodes {
			v.fail(path, CheckShape, "more than %d conditions and groups", MaxNodes)
			return
		}
		p := path + "." + g.Mode.String() + "[" + strconv.Itoa(i) + "]"
		if top {
			p = path + "[" + strconv.Itoa(i) + "]"
		}
		switch n := n.(type) {
		case Group:
			v.group(p, n, depth+1, false)
		case *Group:
			v.fail(p, CheckShape, "a group is held by value, not by pointer")
		case Condition:
			v.condition(p, n, top && g.Mode == All)
		case Delay:
			v.delay = true
			if !top || g.Mode != All {
				v.fail(p, CheckShape, "a delay must be a direct condition of the rule, whose conditions must all match")
			}
			if n.For <= 0 {
				v.fail(p, CheckValue, "a delay needs a positive duration")
			}
		default:
			v.fail(p, CheckShape, "unknown condition node %T", n)
		}
	}
}

func (v *validator) condition(path string, c Condition, topAll bool) {
	r := v.r
	if c.Field <= fieldNone || c.Field >= fieldEnd {
		v.fail(path, CheckShape, "unknown field")
		return
	}
	info := fieldInfos[c.Field]
	if len(info.types) > 0 && !slices.Contains(info.types, r.Type.Kind) {
		check := CheckTimeType
		switch {
		case c.Field == Sender:
			check = CheckSender
		case info.types[0] == UserAction && c.Field != RuleTriggerTime:
			check = CheckUserAction
		}
		v.fail(path, check, "%s is not available on %s rules", c.Field, typeName(r.Type))
	} else if len(info.actions) > 0 && !slices.Contains(info.actions, r.Type.Action) {
		v.fail(path, CheckUserAction, "%s is not available on %s rules", c.Field, typeName(r.Type))
	}
	if (c.Field == PhoneFrom || c.Field == PhoneTo) && (r.Type.Kind == UserAction || (r.Channel != SMS && r.Channel != WhatsApp)) {
		v.fail(path, CheckPhone, "phone fields are for SMS and WhatsApp rules")
	}
	if !opsFor(c.Field, c.Op) {
		v.fail(path, CheckShape, "operator %s does not apply to %s", c.Op, c.Field)
		return
	}
	if info.kind == kindWatch {
		v.watch = true
		v.hours = append(v.hours, c.Hours)
		if !topAll {
			v.fail(path, CheckShape, "%s must be a direct condition of the rule, whose conditions must all match", c.Field)
		}
	}
	if c.Field == Prompt {
		v.usesAI = true
	}
	v.value(path, c, info)
}

// value checks V11: the one slot the condition takes holds a value, and
// every other slot is empty.
func (v *validator) value(path string, c Condition, info fieldInfo) {
	var want string // the slot in use
	switch {
	case info.kind == kindWatch:
		want = "after"
		if c.After <= 0 {
			v.fail(path, CheckValue, "%s needs a positive duration", c.Field)
		}
		if c.Hours.Kind > TeamHours || (c.Hours.Kind == TeamHours) == c.Hours.Team.IsZero() {
			v.fail(path, CheckValue, "team business hours need their team, and only they do")
		}
	case isTextOp(c.Op) && (info.kind == kindText || info.kind == kindAddress):
		want = "text"
		if c.Text == "" {
			v.fail(path, CheckValue, "%s %s needs a value", c.Field, c.Op)
		}
		if len(c.Text) > MaxTextLength {
			v.fail(path, CheckValue, "the value is longer than %d bytes", MaxTextLength)
		}
	case isContactOp(c.Op):
		if c.Op <= NotInBook {
			want = "set"
			if c.Set == "" {
				v.fail(path, CheckValue, "%s needs a contact group, company or book", c.Op)
			}
		}
	case c.Op == IsPresent || c.Op == IsBlank:
	case info.kind == kindBool:
		want = "bool"
	case info.kind == kindNumber:
		want = "number"
		if c.Number < 0 {
			v.fail(path, CheckValue, "a message count cannot be negative")
		}
	case info.kind == kindState:
		want = "state"
		if c.State < StateAssigned || c.State > StateInTeamInbox {
			v.fail(path, CheckValue, "unknown conversation state")
		}
	case info.kind == kindUser, info.kind == kindTeam, info.kind == kindLabel, info.kind == kindAccount:
		want = [...]string{kindUser: "user", kindTeam: "team", kindLabel: "label", kindAccount: "account"}[info.kind]
		if !slotSet(c, want) {
			v.fail(path, CheckValue, "%s %s needs a %s", c.Field, c.Op, want)
		}
	case c.Op == Within || c.Op == NotWithin:
		want = "schedule"
		if c.Schedule != nil {
			if err := c.Schedule.Check(); err != nil {
				v.fail(path, CheckValue, "%v", err)
			}
		} else {
			want = "hours"
			if c.Hours.Kind == CalendarTime || (c.Hours.Kind == TeamHours) == c.Hours.Team.IsZero() {
				v.fail(path, CheckValue, "%s needs a schedule or business hours", c.Op)
			}
		}
	case c.Op == Before || c.Op == After:
		want = "at"
		if c.At.IsZero() {
			v.fail(path, CheckValue, "%s needs an instant", c.Op)
		}
	}
	if c.Field == Prompt {
		if strings.TrimSpace(c.Prompt) == "" || len(c.Prompt) > MaxTextLength {
			v.fail(path, CheckValue, "an AI condition needs a prompt of at most %d bytes", MaxTextLength)
		}
	} else if c.Prompt != "" {
		v.fail(path, CheckValue, "only AI conditions hold a prompt")
	}
	for _, slot := range slotNames {
		if slot != want && !(slot == "hours" && info.kind == kindWatch) && slotSet(c, slot) {
			v.fail(path, CheckValue, "%s %s takes one value; %s must be empty", c.Field, c.Op, slot)
		}
	}
}

var slotNames = []string{"text", "set", "user", "team", "label", "account", "state", "bool", "number", "schedule", "at", "after", "hours"}

func slotSet(c Condition, slot string) bool {
	switch slot {
	case "text":
		return c.Text != ""
	case "set":
		return c.Set != ""
	case "user":
		return !c.User.IsZero()
	case "team":
		return !c.Team.IsZero()
	case "label":
		return !c.Label.IsZero()
	case "account":
		return !c.Account.IsZero()
	case "state":
		return c.State != 0
	case "bool":
		return c.Bool
	case "number":
		return c.Number != 0
	case "schedule":
		return c.Schedule != nil
	case "at":
		return !c.At.IsZero()
	case "after":
		return c.After != 0
	case "hours":
		return c.Hours != HoursRef{}
	}
	return false
}

func typeName(t Type) string {
	switch t.Kind {
	case Incoming:
		return "incoming"
	case Outgoing:
		return "outgoing"
	case UserAction:
		return t.Action.String()
	}
	return "untyped"
}

var userActionNames = [...]string{
	NewComment: "new comment", LabelChange: "label change", ConversationClosed: "conversation closed",
	ConversationReopened: "conversation reopened", AssigneeChanged: "assignee change", TeamChanged: "team change",
}

// String returns the user action's name.
func (k UserActionKind) String() string {
	if k >= NewComment && k <= TeamChanged {
		return userActionNames[k]
	}
	return "user action(" + strconv.Itoa(int(k)) + ")"
}

func (v *validator) action(path string, a Action) {
	r := v.r
	if a == nil || a.Kind() <= actionNone || a.Kind() >= actionEnd {
		v.fail(path, CheckShape, "unknown action")
		return
	}
	switch a := a.(type) {
	case AssignToMe:
		if r.Scope.Kind != Personal {
			v.fail(path, CheckAssignToMe, "assign to me works in personal rules only")
		}
	case ScheduleFollowUp, PreventDelivery, AddRecipients:
		if r.Type.Kind != Outgoing {
			v.fail(path, CheckOutgoingOnly, "%s is for outgoing rules only", a.Kind())
		}
	case AssignUsers:
		if a.Strategy > LeastBusy {
			v.fail(path, CheckShape, "unknown assignment strategy")
		}
		for j, f := range a.Filters {
			v.filter(path+".filters["+strconv.Itoa(j)+"]", f)
		}
	case AddLabels:
		if len(a.Names) == 0 || slices.Contains(a.Names, "") {
			v.fail(path, CheckValue, "add labels needs label names")
		}
	case SendResponse:
		if a.Canned == "" || a.Every < 0 {
			v.fail(path, CheckValue, "send response needs a canned response and a non-negative interval")
		}
	case Webhook:
		if !strings.HasPrefix(a.URL, "https://") && !strings.HasPrefix(a.URL, "http://") {
			v.fail(path, CheckValue, "a webhook needs an http or https URL")
		}
	case Forward:
		if !strings.Contains(a.To, "@") {
			v.fail(path, CheckValue, "forward needs an email address")
		}
	case MoveToTeam:
		if a.Team.IsZero() {
			v.fail(path, CheckValue, "move to team needs a team")
		}
	case AddLabelsAI, CreateDraftAI, AddAINote, AddTasksAI:
		v.usesAI = true
	}
}

func (v *validator) filter(path string, f AssignFilter) {
	r := v.r
	ok := true
	switch f.Kind {
	case AccountOwner, DelegatedUsers:
		ok = r.Type.Kind == Incoming && r.Channel == Email
	case MentionedUsers, TaskAssignees:
		ok = r.Type == Type{Kind: UserAction, Action: NewComment}
	case InitiatorUser:
		ok = r.Type.Kind == UserAction
	case AddedAssignees, RemovedAssignees:
		ok = r.Type == Type{Kind: UserAction, Action: AssigneeChanged}
	case TeamActiveMembers, TeamObservers:
		if f.Team.IsZero() {
			v.fail(path, CheckValue, "a team filter needs its team")
		}
	default:
		if f.Kind <= filterNone || f.Kind >= filterEnd {
			v.fail(path, CheckShape, "unknown assignment filter")
		}
	}
	if !ok {
		v.fail(path, CheckAssignFilter, "this assignment filter is not available on %s rules", typeName(r.Type))
	}
}
