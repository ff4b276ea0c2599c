package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// ErrInvalidJSON is wrapped by every error reading the JSON form of a rule.
var ErrInvalidJSON = errors.New("rules: invalid rule JSON")

// MaxJSON bounds the size of one rule's JSON form.
const MaxJSON = 1 << 20

// The JSON form of a rule (export and import):
//
//	{"id": "…", "description": "01 Route", "enabled": true,
//	 "scope": {"kind": "organization", "org": "…"},
//	 "type": "incoming", "channel": "email",
//	 "conditions": {"all": [
//	   {"field": "subject", "op": "contains", "text": "invoice"},
//	   {"delay": "5m0s"},
//	   {"any": [{"field": "label", "op": "is", "label": "…"}]}]},
//	 "actions": [{"move_to_team": {"Team": "…"}}, {"stop_processing": {}}]}
//
// A user-action type is written "user_action:new_comment". Condition
// fields and operators use the names String returns; actions are objects
// with one key, the kind's name, whose value holds the action's fields.

type jsonRule struct {
	ID          RuleID              `json:"id"`
	Description string              `json:"description"`
	Enabled     bool                `json:"enabled"`
	Scope       jsonScope           `json:"scope"`
	Type        string              `json:"type"`
	Channel     string              `json:"channel,omitempty"`
	Conditions  json.RawMessage     `json:"conditions"`
	Actions     []json.RawMessage   `json:"actions"`
	AI          *AIModel            `json:"ai,omitempty"`
	Version     uint64              `json:"version,omitempty"`
	Author      conversation.UserID `json:"author,omitzero"`
}

type jsonScope struct {
	Kind string              `json:"kind"`
	User conversation.UserID `json:"user,omitzero"`
	Org  conversation.OrgID  `json:"org,omitzero"`
}

type jsonCondition struct {
	Field    string                 `json:"field"`
	Op       string                 `json:"op,omitempty"`
	Text     string                 `json:"text,omitempty"`
	Set      string                 `json:"set,omitempty"`
	User     conversation.UserID    `json:"user,omitzero"`
	Team     conversation.TeamID    `json:"team,omitzero"`
	Label    conversation.LabelID   `json:"label,omitzero"`
	Account  conversation.AccountID `json:"account,omitzero"`
	State    string                 `json:"state,omitempty"`
	Bool     bool                   `json:"bool,omitempty"`
	Number   int                    `json:"number,omitempty"`
	Schedule *jsonSchedule          `json:"schedule,omitempty"`
	At       time.Time              `json:"at,omitzero"`
	After    string                 `json:"after,omitempty"`
	Hours    *jsonHours             `json:"hours,omitempty"`
	Prompt   string                 `json:"prompt,omitempty"`
}

type jsonSchedule struct {
	Zone  string `json:"zone,omitempty"`
	Spans string `json:"spans"`
}

type jsonHours struct {
	Kind string              `json:"kind"`
	Team conversation.TeamID `json:"team,omitzero"`
}

var (
	scopeNames   = map[ScopeKind]string{Personal: "personal", Organization: "organization"}
	typeNames    = map[TypeKind]string{Incoming: "incoming", Outgoing: "outgoing", UserAction: "user_action"}
	channelNames = map[Channel]string{Email: "email", SMS: "sms", WhatsApp: "whatsapp", Messenger: "messenger",
		Instagram: "instagram", LiveChat: "livechat", Post: "post"}
	stateNames = map[ConvState]string{StateAssigned: "assigned", StateClosed: "closed", StateInTeamInbox: "in_team_inbox"}
	hoursNames = map[HoursKind]string{CalendarTime: "calendar", OrgHours: "organization", TeamHours: "team"}
	uaNames    = map[UserActionKind]string{NewComment: "new_comment", LabelChange: "label_change",
		ConversationClosed: "conversation_closed", ConversationReopened: "conversation_reopened",
		AssigneeChanged: "assignee_changed", TeamChanged: "team_changed"}
)

// lookup returns the key of name in m.
func lookup[K comparable](m map[K]string, name, what string) (K, error) {
	for k, v := range m {
		if v == name {
			return k, nil
		}
	}
	var zero K
	return zero, fmt.Errorf("%w: unknown %s %q", ErrInvalidJSON, what, name)
}

// MarshalJSON writes the rule's JSON form.
func (r Rule) MarshalJSON() ([]byte, error) {
	j := jsonRule{ID: r.ID, Description: r.Description, Enabled: r.Enabled, Version: r.Version, Author: r.Author,
		Scope: jsonScope{Kind: scopeNames[r.Scope.Kind], User: r.Scope.User, Org: r.Scope.Org}}
	j.Type = typeNames[r.Type.Kind]
	if r.Type.Kind == UserAction {
		j.Type += ":" + uaNames[r.Type.Action]
	} else {
		j.Channel = channelNames[r.Channel]
	}
	if r.AI != (AIModel{}) {
		j.AI = &r.AI
	}
	var err error
	if j.Conditions, err = marshalNode(r.Conditions); err != nil {
		return nil, err
	}
	j.Actions = []json.RawMessage{}
	for _, a := range r.Actions {
		if a == nil {
			return nil, fmt.Errorf("%w: nil action", ErrInvalidJSON)
		}
		b, err := json.Marshal(map[string]Action{a.Kind().String(): a})
		if err != nil {
			return nil, err
		}
		j.Actions = append(j.Actions, b)
	}
	return json.Marshal(j)
}

func marshalNode(n Node) (json.RawMessage, error) {
	switch n := n.(type) {
	case Group:
		kids := make([]json.RawMessage, 0, len(n.Children))
		for _, c := range n.Children {
			b, err := marshalNode(c)
			if err != nil {
				return nil, err
			}
			kids = append(kids, b)
		}
		return json.Marshal(map[string][]json.RawMessage{n.Mode.String(): kids})
	case Delay:
		return json.Marshal(map[string]string{"delay": n.For.String()})
	case Condition:
		j := jsonCondition{Field: n.Field.String(), Text: n.Text, Set: n.Set, User: n.User, Team: n.Team,
			Label: n.Label, Account: n.Account, State: stateNames[n.State], Bool: n.Bool, Number: n.Number,
			At: n.At, Prompt: n.Prompt}
		if n.Op != opNone {
			j.Op = n.Op.String()
		}
		if n.Schedule != nil {
			j.Schedule = &jsonSchedule{Zone: n.Schedule.Zone, Spans: n.Schedule.String()}
		}
		if n.After != 0 {
			j.After = n.After.String()
		}
		if n.Hours != (HoursRef{}) {
			j.Hours = &jsonHours{Kind: hoursNames[n.Hours.Kind], Team: n.Hours.Team}
		}
		return json.Marshal(j)
	}
	return nil, fmt.Errorf("%w: unknown condition node %T", ErrInvalidJSON, n)
}

// UnmarshalJSON reads the rule's JSON form. It checks the form only; use
// [Validate] for the rule's meaning.
func (r *Rule) UnmarshalJSON(b []byte) error {
	if len(b) > MaxJSON {
		return fmt.Errorf("%w: longer than %d bytes", ErrInvalidJSON, MaxJSON)
	}
	var j jsonRule
	if err := strictDecode(b, &j); err != nil {
		return err
	}
	out := Rule{ID: j.ID, Description: j.Description, Enabled: j.Enabled, Version: j.Version, Author: j.Author}
	var err error
	if out.Scope.Kind, err = lookup(scopeNames, j.Scope.Kind, "scope"); err != nil {
		return err
	}
	out.Scope.User, out.Scope.Org = j.Scope.User, j.Scope.Org
	typ, action, isUA := strings.Cut(j.Type, ":")
	if out.Type.Kind, err = lookup(typeNames, typ, "type"); err != nil {
		return err
	}
	if isUA {
		if out.Type.Action, err = lookup(uaNames, action, "user action"); err != nil {
			return err
		}
	}
	if j.Channel != "" {
		if out.Channel, err = lookup(channelNames, j.Channel, "channel"); err != nil {
			return err
		}
	}
	if j.AI != nil {
		out.AI = *j.AI
	}
	if len(j.Conditions) > 0 && string(j.Conditions) != "null" {
		n, err := unmarshalNode(j.Conditions, 0)
		if err != nil {
			return err
		}
		g, ok := n.(Group)
		if !ok {
			return fmt.Errorf("%w: conditions must be a group", ErrInvalidJSON)
		}
		out.Conditions = g
	}
	for _, raw := range j.Actions {
		a, err := unmarshalAction(raw)
		if err != nil {
			return err
		}
		out.Actions = append(out.Actions, a)
	}
	*r = out
	return nil
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	return nil
}

func unmarshalNode(b []byte, depth int) (Node, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("%w: groups nested deeper than %d", ErrInvalidJSON, MaxDepth)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	for _, m := range []Mode{All, Any, None} {
		raw, ok := probe[m.String()]
		if !ok {
			continue
		}
		if len(probe) != 1 {
			return nil, fmt.Errorf("%w: a group object has one key", ErrInvalidJSON)
		}
		var kids []json.RawMessage
		if err := json.Unmarshal(raw, &kids); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
		}
		g := Group{Mode: m}
		for _, k := range kids {
			n, err := unmarshalNode(k, depth+1)
			if err != nil {
				return nil, err
			}
			g.Children = append(g.Children, n)
		}
		return g, nil
	}
	if raw, ok := probe["delay"]; ok {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || len(probe) != 1 {
			return nil, fmt.Errorf("%w: a delay is {\"delay\": \"5m\"}", ErrInvalidJSON)
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
		}
		return Delay{For: d}, nil
	}
	var j jsonCondition
	if err := strictDecode(b, &j); err != nil {
		return nil, err
	}
	c := Condition{Text: j.Text, Set: j.Set, User: j.User, Team: j.Team, Label: j.Label, Account: j.Account,
		Bool: j.Bool, Number: j.Number, At: j.At.UTC(), Prompt: j.Prompt}
	var err error
	if c.Field, err = lookup(fieldNameMap(), j.Field, "field"); err != nil {
		return nil, err
	}
	if j.Op != "" {
		if c.Op, err = lookup(opNameMap(), j.Op, "operator"); err != nil {
			return nil, err
		}
	}
	if j.State != "" {
		if c.State, err = lookup(stateNames, j.State, "state"); err != nil {
			return nil, err
		}
	}
	if j.Schedule != nil {
		if c.Schedule, err = ParseSchedule(j.Schedule.Spans, j.Schedule.Zone); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
		}
	}
	if j.After != "" {
		if c.After, err = time.ParseDuration(j.After); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
		}
	}
	if j.Hours != nil {
		if c.Hours.Kind, err = lookup(hoursNames, j.Hours.Kind, "business hours"); err != nil {
			return nil, err
		}
		c.Hours.Team = j.Hours.Team
	}
	return c, nil
}

func fieldNameMap() map[Field]string {
	m := make(map[Field]string, len(fieldNames))
	for f := From; f < fieldEnd; f++ {
		m[f] = fieldNames[f]
	}
	return m
}

func opNameMap() map[Operator]string {
	m := make(map[Operator]string, len(opNames))
	for o := Is; o < opEnd; o++ {
		m[o] = opNames[o]
	}
	return m
}

func unmarshalAction(b []byte) (Action, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	if len(probe) != 1 {
		return nil, fmt.Errorf("%w: an action is an object with one key, its kind", ErrInvalidJSON)
	}
	for name, raw := range probe {
		for k := KindAssignToMe; k < actionEnd; k++ {
			if actionNames[k] != name {
				continue
			}
			p := newAction(k)
			if err := strictDecode(raw, p); err != nil {
				return nil, err
			}
			return reflect.ValueOf(p).Elem().Interface().(Action), nil
		}
		return nil, fmt.Errorf("%w: unknown action %q", ErrInvalidJSON, name)
	}
	return nil, nil
}

// Export returns the JSON form of r.
func Export(r Rule) ([]byte, error) { return json.Marshal(r) }

// Import reads a rule exported by [Export] into scope, as a new rule
// (see [Duplicate]): it reports what the scope does not offer instead of
// dropping it silently. The result still needs [Validate] before saving.
func Import(b []byte, scope Scope) (Rule, []Dropped, error) {
	var r Rule
	if err := r.UnmarshalJSON(b); err != nil {
		return Rule{}, nil, err
	}
	out, dropped := Duplicate(r, scope)
	return out, dropped, nil
}
