package channels

import (
	"strconv"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// HeaderFormat is the kind of a WhatsApp template's optional header ("Header
// (optional): Text, image, video, or document").
type HeaderFormat uint8

const (
	// NoHeader: the template has no header.
	NoHeader HeaderFormat = iota
	// TextHeader: a text header, which may hold variables.
	TextHeader
	// ImageHeader, VideoHeader and DocumentHeader are media headers, which
	// the library cannot supply.
	ImageHeader
	VideoHeader
	DocumentHeader
)

// Media reports whether the header is a media header.
func (f HeaderFormat) Media() bool { return f >= ImageHeader && f <= DocumentHeader }

// Template is an approved WhatsApp message template as synced from Meta.
type Template struct {
	// Name and Language identify the template at Meta.
	Name, Language string
	Header         HeaderFormat
	// HeaderText is the text of a TextHeader.
	HeaderText string
	// Body is the main text, with positional variables {{1}}, {{2}}, ...
	Body string
	// Footer is the optional small text; it has no variables.
	Footer string
	// Buttons are the optional button labels.
	Buttons []string
}

// AutoFill names a contact or sender field that fills a template parameter
// when the data is available. The template still has positional variables;
// the user chooses which slot a field fills.
type AutoFill string

// The auto-fill fields.
const (
	RecipientName  AutoFill = "recipient.name"
	RecipientEmail AutoFill = "recipient.email"
	RecipientPhone AutoFill = "recipient.phone"
	UserName       AutoFill = "user.name"
	UserEmail      AutoFill = "user.email"
)

// AutoFillData holds the values of the auto-fill fields for one send:
// the recipient contact's and the sending user's.
type AutoFillData struct {
	RecipientName, RecipientEmail, RecipientPhone string
	UserName, UserEmail                           string
}

func (d AutoFillData) value(f AutoFill) (string, bool) {
	switch f {
	case RecipientName:
		return d.RecipientName, true
	case RecipientEmail:
		return d.RecipientEmail, true
	case RecipientPhone:
		return d.RecipientPhone, true
	case UserName:
		return d.UserName, true
	case UserEmail:
		return d.UserEmail, true
	}
	return "", false
}

// Param is the value of one positional variable: Value, typed by the
// user, or, when Auto is set, the auto-fill field's value.
type Param struct {
	Value string
	Auto  AutoFill
}

// TemplateSend is a template chosen for sending with its parameters, in
// positional order ({{1}} is the first).
type TemplateSend struct {
	Template     Template
	HeaderParams []Param
	BodyParams   []Param
	// AutoFill provides the values of auto-filled parameters.
	AutoFill AutoFillData
}

// Variables are the template variables found in a text.
type Variables struct {
	// Positional are the indexes of the {{N}} variables, in order of
	// appearance (repeats included).
	Positional []int
	// Named are the other {{...}} contents ({{Name}} gives "Name"), in
	// order of appearance.
	Named []string
}

// Count is the number of parameters the positional variables need: the
// highest index.
func (v Variables) Count() int {
	n := 0
	for _, i := range v.Positional {
		n = max(n, i)
	}
	return n
}

// maxIndexDigits bounds a positional index ({{9999}} at most).
const maxIndexDigits = 4

// scanVariables calls lit for each literal run of s and v for each
// {{...}} variable with its trimmed content and its positional index (0
// when it is not positional). An unclosed "{{" is literal text.
func scanVariables(s string, lit func(string), v func(inner string, index int)) {
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			lit(s)
			return
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			lit(s)
			return
		}
		end := i + 2 + j
		// The variable opens at the last "{{" before its "}}": "{{ a {{1}}"
		// and "{{{1}}}" hold {{1}}.
		k := strings.LastIndex(s[:end], "{{")
		lit(s[:k])
		inner := strings.TrimSpace(s[k+2 : end])
		v(inner, positionalIndex(inner))
		s = s[end+2:]
	}
}

// positionalIndex returns N for "N" (decimal, 1 to 9999, no sign, no
// leading zero) and 0 for anything else.
func positionalIndex(s string) int {
	if s == "" || len(s) > maxIndexDigits || s[0] == '0' {
		return 0
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
	}
	n, _ := strconv.Atoi(s)
	return n
}

// ParseVariables returns the template variables of text. It never fails:
// anything between "{{" and "}}" that is not a positive decimal index is a
// named variable, and a "{{" without "}}" is text.
func ParseVariables(text string) Variables {
	var v Variables
	scanVariables(text, func(string) {}, func(inner string, i int) {
		if i > 0 {
			v.Positional = append(v.Positional, i)
		} else {
			v.Named = append(v.Named, inner)
		}
	})
	return v
}

// CheckParams checks that the variables of one template part (part is "body"
// or "header") can be filled with n parameters: no named variable, the
// indexes 1 to Count all present, and n equal to Count. Anything else is a
// [*ParameterMismatchError], the error WhatsApp reports as "Number of
// parameters does not match".
func CheckParams(part string, v Variables, n int) error {
	if len(v.Named) > 0 {
		return &ParameterMismatchError{Part: part, Want: v.Count(), Got: n, Named: v.Named}
	}
	want := v.Count()
	seen := make([]bool, want+1)
	for _, i := range v.Positional {
		seen[i] = true
	}
	for i := 1; i <= want; i++ {
		if !seen[i] {
			return wrap(ErrParameterMismatch, "template %s skips {{%d}} (positional variables run from {{1}} to {{%d}})", part, i, want)
		}
	}
	if n != want {
		return &ParameterMismatchError{Part: part, Want: want, Got: n}
	}
	return nil
}

// fillParams resolves params to their values: auto-filled ones from d
// (missing data is an error: such a variable "must be filled in manually"),
// the others as typed. Empty values are refused, as WhatsApp refuses them.
func fillParams(part string, params []Param, d AutoFillData) ([]string, error) {
	out := make([]string, len(params))
	for i, p := range params {
		v := p.Value
		if p.Auto != "" {
			val, ok := d.value(p.Auto)
			if !ok {
				return nil, invalid("template %s parameter {{%d}}: unknown auto-fill variable {{%s}}", part, i+1, p.Auto)
			}
			if strings.TrimSpace(val) == "" {
				return nil, invalid("template %s parameter {{%d}}: no %s on record; fill it in manually", part, i+1, p.Auto)
			}
			v = val
		}
		if strings.TrimSpace(v) == "" {
			return nil, invalid("template %s parameter {{%d}} is empty", part, i+1)
		}
		out[i] = v
	}
	return out, nil
}

// render replaces the positional variables of text with values, which
// CheckParams has matched to them.
func render(text string, values []string) string {
	var b strings.Builder
	b.Grow(len(text))
	scanVariables(text, func(s string) { b.WriteString(s) }, func(inner string, i int) {
		if i >= 1 && i <= len(values) {
			b.WriteString(values[i-1])
			return
		}
		b.WriteString("{{" + inner + "}}")
	})
	return b.String()
}

// RenderTemplate checks a template send and returns the text the
// recipient receives (header, body and footer, separated by blank lines),
// which is what the engine records as the message text:
//
//   - a media header gives ErrNotSupported{Feature: "template media
//     header"};
//   - named variables, gaps, or a parameter count that differs from the
//     variables give [ErrParameterMismatch];
//   - an empty body, an empty parameter or a missing auto-fill value give
//     an error wrapping [conversation.ErrInvalidArgument].
func RenderTemplate(ts TemplateSend) (string, error) {
	t := ts.Template
	if t.Header.Media() {
		return "", &NotSupportedError{Feature: "template media header"}
	}
	if strings.TrimSpace(t.Body) == "" {
		return "", invalid("template %q has no body", t.Name)
	}
	if t.Header != TextHeader && len(ts.HeaderParams) > 0 {
		return "", &ParameterMismatchError{Part: "header", Got: len(ts.HeaderParams)}
	}
	if err := CheckParams("body", ParseVariables(t.Body), len(ts.BodyParams)); err != nil {
		return "", err
	}
	body, err := fillParams("body", ts.BodyParams, ts.AutoFill)
	if err != nil {
		return "", err
	}
	parts := make([]string, 0, 3)
	if t.Header == TextHeader {
		if err := CheckParams("header", ParseVariables(t.HeaderText), len(ts.HeaderParams)); err != nil {
			return "", err
		}
		head, err := fillParams("header", ts.HeaderParams, ts.AutoFill)
		if err != nil {
			return "", err
		}
		if h := render(t.HeaderText, head); h != "" {
			parts = append(parts, h)
		}
	}
	parts = append(parts, render(t.Body, body))
	if v := ParseVariables(t.Footer); len(v.Positional)+len(v.Named) > 0 {
		return "", wrap(ErrParameterMismatch, "template footer cannot hold variables")
	}
	if t.Footer != "" {
		parts = append(parts, t.Footer)
	}
	return strings.Join(parts, "\n\n"), nil
}

// InboundWhatsApp builds the conversation message of a WhatsApp message
// received from the customer waID: one conversation per (account, wa_id), so
// References is [WhatsAppKey] and HeaderID the [ProviderMessageID] of
// providerID. Every such message restarts the 24-hour window: record At as
// the conversation's last customer message.
func InboundWhatsApp(account conversation.AccountID, business, waID, body, providerID string) (conversation.Message, error) {
	from, err := Phone("+" + strings.TrimPrefix(strings.TrimSpace(waID), "+"))
	if err != nil {
		return conversation.Message{}, err
	}
	return inboundMessage(conversation.WhatsApp, account, from, threading.NormalizePhone(business), body, providerID,
		WhatsAppKey(account, from)), nil
}

// WhatsAppKey is the thread key of the WhatsApp conversation with number
// on account: [threading.WhatsAppKey] of the account's ID, so "+1 555 123
// 4567" typed by a user and the wa_id "15551234567" sent by Meta give the
// same key.
func WhatsAppKey(account conversation.AccountID, number string) string {
	return threading.WhatsAppKey(account.String(), number)
}
