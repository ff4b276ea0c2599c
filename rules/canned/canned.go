// Package canned holds canned responses: reusable replies with Liquid
// variables, scoped to one user, a team or the organization, rendered for
// a recipient and found by prefix search. Like package rules it is pure:
// it decides and renders, and the engine stores and applies.
//
// # Templating
//
// Bodies and subjects are Liquid templates rendered with
// github.com/osteele/liquid. A value the data does not hold is nil to the
// template, never an empty string, so `{{ recipient.first_name | default:
// 'there' }}` and `{% if recipient.first_name == null %}` work as
// documented. Variables with no data source (anything outside recipient,
// user, conversation and message) are form variables: [Template.Form] lists
// them, and rendering asks for them.
//
// Differences from liquid.js, the engine the product documents:
//   - An unknown filter is an error when the template is parsed
//     (liquid.js, by default, leaves the value unchanged).
//   - The include tag is refused (it would read files); render, layout,
//     block, liquid, echo, increment and decrement are not available.
//   - Filters liquid.js has and osteele/liquid does not: where, sum,
//     at_least, at_most, remove_last, replace_last, base64 filters,
//     xml_escape, cgi_escape, and liquid.js's date shortcuts; date formats
//     use strftime as in liquid.js.
//   - Both null and nil name the missing value.
//   - Ranges must have literal integer bounds, and the product of their
//     lengths in one template is capped, so that rendering stays bounded;
//     output is capped at [MaxOutput] bytes.
package canned

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/render"

	"github.com/inboxkit/inboxkit/conversation"
)

// Errors.
var (
	// ErrInvalidTemplate is wrapped by every template parsing error.
	ErrInvalidTemplate = errors.New("canned: invalid template")
	// ErrRender is wrapped by every rendering error.
	ErrRender = errors.New("canned: render failed")
)

// Limits.
const (
	MaxTemplate   = 64 << 10 // bytes of one template
	MaxOutput     = 1 << 20  // bytes of one rendering
	maxRangeSteps = 100_000  // product of the range lengths of one template
)

// ScopeKind says who can use a response.
type ScopeKind uint8

// The scopes.
const (
	// Personal: only its owner.
	Personal ScopeKind = iota + 1
	// Team: the members (active and observers) of one team.
	Team
	// Organization: everyone in the organization.
	Organization
)

// Scope is who can use a response.
type Scope struct {
	Kind ScopeKind
	User conversation.UserID
	Team conversation.TeamID
	Org  conversation.OrgID
}

// Response is a canned response. Subject and Body are Liquid templates.
type Response struct {
	ID          string
	Scope       Scope
	Title       string
	Subject     string
	Body        string
	To, Cc, Bcc []string
	Labels      []conversation.LabelID
	Attachments []conversation.Attachment
}

// Labeled is a contact value with its label ("work", "home").
type Labeled struct {
	Label string
	Value string
}

// Contact is what a recipient's contact card contributes to rendering.
type Contact struct {
	FirstName, MiddleName, LastName, Nickname, Prefix, Suffix, Gender, FileAs string
	PhoneticFirstName, PhoneticMiddleName, PhoneticLastName                   string
	Emails, Phones, URLs, Addresses                                           []Labeled
	Twitter, Facebook                                                         string
	// Custom fields; "Order Amount" and "order_amount" are the same key.
	Custom map[string]string
}

// Recipient is one recipient of the reply: the address from the message
// and, when one matched, the contact card, which wins over the message.
type Recipient struct {
	Address conversation.Address
	Contact *Contact
}

// User is the user inserting the response.
type User struct {
	FirstName, LastName, Email, AvatarURL, Status, StatusEmoji string
}

// Data is what a response is rendered with. Zero parts are missing, and
// missing values are nil to the template.
type Data struct {
	Recipients   []Recipient
	User         *User
	Conversation conversation.ConversationID
	Message      *conversation.Message
	// Form holds the values of form variables by name ("order_number",
	// "order.number").
	Form map[string]string
}

// Template is a parsed response template.
type Template struct {
	t    *liquid.Template
	form []string
}

// knownRoots are the objects Data provides.
var knownRoots = []string{"recipient", "user", "conversation", "message"}

func newEngine() *liquid.Engine {
	e := liquid.NewEngine()
	e.RegisterTag("include", func(render.Context) (string, error) {
		return "", errors.New("the include tag is not available")
	})
	return e
}

var includeRe = regexp.MustCompile(`\{%-?\s*include\b`)

var rangeRe = regexp.MustCompile(`\(\s*([^()]*?)\s*\.\.\s*([^()]*?)\s*\)`)

// Parse parses a template.
func Parse(src string) (*Template, error) {
	if len(src) > MaxTemplate {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrInvalidTemplate, MaxTemplate)
	}
	if includeRe.MatchString(src) {
		return nil, fmt.Errorf("%w: the include tag is not available", ErrInvalidTemplate)
	}
	steps := 1
	for _, m := range rangeRe.FindAllStringSubmatch(src, -1) {
		lo, err1 := strconv.Atoi(m[1])
		hi, err2 := strconv.Atoi(m[2])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%w: range %s needs integer bounds", ErrInvalidTemplate, m[0])
		}
		n := max(hi-lo+1, 1)
		if n > maxRangeSteps || steps*n > maxRangeSteps {
			return nil, fmt.Errorf("%w: ranges too long", ErrInvalidTemplate)
		}
		steps *= n
	}
	t, err := newEngine().ParseString(src)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidTemplate, err)
	}
	return &Template{t: t, form: formVariables(t.GetRoot())}, nil
}

// Form lists the form variables of the template: names with no data
// source, which rendering needs values for, in order of appearance.
func (t *Template) Form() []string { return slices.Clone(t.form) }

// limitWriter fails once more than n bytes were written.
type limitWriter struct {
	b strings.Builder
	n int
}

var errTooLong = errors.New("output longer than the limit")

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.n {
		return 0, errTooLong
	}
	return w.b.Write(p)
}

// Render renders the template with d. It returns the form variables d.Form
// lacks, and renders nothing, when some are missing.
func (t *Template) Render(d Data) (string, []string, error) {
	var missing []string
	for _, v := range t.form {
		if _, ok := formValue(d.Form, v); !ok {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		return "", missing, nil
	}
	w := &limitWriter{n: MaxOutput}
	if err := t.render(w, bindings(d)); err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrRender, err)
	}
	return w.b.String(), nil, nil
}

// render runs the template into w. The template engine panics when the
// writer fails (as the output cap makes it do); that panic, or any other
// from the engine, becomes an error.
func (t *Template) render(w io.Writer, b map[string]any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	if rerr := t.t.FRender(w, b); rerr != nil {
		return rerr
	}
	return nil
}

// formValue finds a form variable's value: by its full dotted name, or
// for a root name, by any key under it.
func formValue(form map[string]string, name string) (string, bool) {
	if v, ok := form[name]; ok {
		return v, true
	}
	for k, v := range form {
		if strings.HasPrefix(k, name+".") {
			return v, true
		}
	}
	return "", false
}

// Rendered is a response ready to become a draft.
type Rendered struct {
	Subject, Body string
	To, Cc, Bcc   []string
	Labels        []conversation.LabelID
	Attachments   []conversation.Attachment
}

// Render renders response r with d: subject and body, with the
// recipients, labels and attachments to copy into the draft. When form
// variables are missing it returns their names and no rendering.
func Render(r *Response, d Data) (Rendered, []string, error) {
	subj, err := Parse(r.Subject)
	if err != nil {
		return Rendered{}, nil, err
	}
	body, err := Parse(r.Body)
	if err != nil {
		return Rendered{}, nil, err
	}
	var missing []string
	for _, v := range append(subj.Form(), body.Form()...) {
		if _, ok := formValue(d.Form, v); !ok && !slices.Contains(missing, v) {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		return Rendered{}, missing, nil
	}
	out := Rendered{To: slices.Clone(r.To), Cc: slices.Clone(r.Cc), Bcc: slices.Clone(r.Bcc),
		Labels: slices.Clone(r.Labels), Attachments: slices.Clone(r.Attachments)}
	if out.Subject, _, err = subj.Render(d); err != nil {
		return Rendered{}, nil, err
	}
	if out.Body, _, err = body.Render(d); err != nil {
		return Rendered{}, nil, err
	}
	return out, nil, nil
}

// formVariables walks the template and lists the root names it reads that
// no data object, loop or assignment provides.
func formVariables(root render.Node) []string {
	var out []string
	bound := map[string]bool{}
	for _, r := range knownRoots {
		bound[r] = true
	}
	var walk func(n render.Node)
	read := func(expr string) {
		for _, name := range exprRoots(expr) {
			if !bound[name] && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	walk = func(n render.Node) {
		switch n := n.(type) {
		case *render.SeqNode:
			for _, c := range n.Children {
				walk(c)
			}
		case *render.ObjectNode:
			read(n.Args)
		case *render.TagNode:
			if n.Name == "assign" {
				name, expr, _ := strings.Cut(n.Args, "=")
				read(expr)
				bound[strings.TrimSpace(name)] = true
			} else if n.Name == "cycle" {
				read(n.Args)
			}
		case *render.BlockNode:
			switch n.Name {
			case "for", "tablerow":
				name, expr, _ := strings.Cut(n.Args, " in ")
				read(expr)
				bound[strings.TrimSpace(name)] = true
				bound["forloop"] = true
				bound["tablerowloop"] = true
			case "capture":
				bound[strings.TrimSpace(n.Args)] = true
			case "raw", "comment":
				return
			default:
				read(n.Args)
			}
			for _, c := range n.Body {
				walk(c)
			}
			for _, c := range n.Clauses {
				walk(c)
			}
		}
	}
	walk(root)
	return out
}

var exprKeywords = map[string]bool{
	"and": true, "or": true, "not": true, "contains": true, "null": true, "nil": true, "true": true,
	"false": true, "empty": true, "blank": true, "in": true, "reversed": true, "limit": true, "offset": true,
}

// exprRoots returns the root names of the variables an expression reads:
// identifiers outside string literals that are not keywords, filter names
// or filter keyword arguments, and do not follow a dot.
func exprRoots(expr string) []string {
	var out []string
	afterPipe := false
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '"' || c == '\'':
			j := strings.IndexByte(expr[i+1:], c)
			if j < 0 {
				return out
			}
			i += j + 2
		case c == '|':
			afterPipe = true
			i++
		case isIdentStart(c):
			j := i
			for j < len(expr) && isIdent(expr[j]) {
				j++
			}
			word := expr[i:j]
			prevDot := i > 0 && expr[i-1] == '.'
			nextColon := j < len(expr) && expr[j] == ':'
			switch {
			case afterPipe:
				afterPipe = false // the filter's name
			case prevDot, nextColon, exprKeywords[word]:
			default:
				out = append(out, word)
			}
			i = j
		default:
			i++
		}
	}
	return out
}

func isIdentStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isIdent(c byte) bool      { return isIdentStart(c) || '0' <= c && c <= '9' || c == '-' || c == '?' }
