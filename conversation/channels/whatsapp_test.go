package channels_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/channels"
)

func TestParseVariables(t *testing.T) {
	tests := []struct {
		text       string
		positional []int
		named      []string
		count      int
	}{
		{"Hi {{1}}", []int{1}, nil, 1},
		{"{{1}} and {{2}} then {{1}}", []int{1, 2, 1}, nil, 2},
		{"Hi {{ 3 }}", []int{3}, nil, 3},
		{"Hi {{Name}}", nil, []string{"Name"}, 0},
		{"Hi {{customer_name}}, {{1}}", []int{1}, []string{"customer_name"}, 1},
		{"{{recipient.name}}", nil, []string{"recipient.name"}, 0},
		{"{{01}} {{-1}} {{0}} {{1.5}} {{99999}}", nil, []string{"01", "-1", "0", "1.5", "99999"}, 0},
		{"{{}}", nil, []string{""}, 0},
		{"no variables", nil, nil, 0},
		{"unclosed {{1", nil, nil, 0},
		{"{{ a {{2}}", []int{2}, nil, 2},
		{"{{{1}}}", []int{1}, nil, 1},
		{"}} {{1}} }}", []int{1}, nil, 1},
	}
	for _, tt := range tests {
		v := channels.ParseVariables(tt.text)
		assert.Equal(t, tt.positional, v.Positional, "%q", tt.text)
		assert.Equal(t, tt.named, v.Named, "%q", tt.text)
		assert.Equal(t, tt.count, v.Count(), "%q", tt.text)
	}
}

func TestCheckParams(t *testing.T) {
	tests := []struct {
		text string
		n    int
		ok   bool
	}{
		{"Hi {{1}}", 1, true},
		{"{{1}} {{1}}", 1, true},
		{"{{2}} {{1}}", 2, true},
		{"no vars", 0, true},
		{"no vars", 1, false},
		{"Hi {{1}}", 2, false},
		{"Hi {{2}}", 2, false}, // {{1}} is missing
		{"Hi {{Name}}", 1, false},
		{"Hi {{Name}}", 0, false},
	}
	for _, tt := range tests {
		err := channels.CheckParams("body", channels.ParseVariables(tt.text), tt.n)
		if tt.ok {
			assert.NoError(t, err, "%q with %d", tt.text, tt.n)
			continue
		}
		assert.ErrorIs(t, err, channels.ErrParameterMismatch, "%q with %d", tt.text, tt.n)
		assert.ErrorIs(t, err, conversation.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "Number of parameters does not match")
	}
}

func TestRenderTemplate(t *testing.T) {
	fill := channels.AutoFillData{RecipientName: "Kim Lee", UserName: "Ana", UserEmail: "ana@acme.test"}
	tests := []struct {
		name string
		ts   channels.TemplateSend
		want string
		err  error
	}{
		{"header, body, footer", channels.TemplateSend{
			Template: channels.Template{Header: channels.TextHeader, HeaderText: "Order {{1}}",
				Body: "Hi {{1}}, order {{2}} ships today. {{1}}, thanks!", Footer: "Reply STOP to opt out"},
			HeaderParams: []channels.Param{{Value: "#42"}},
			BodyParams:   []channels.Param{{Auto: channels.RecipientName}, {Value: "#42"}},
			AutoFill:     fill,
		}, "Order #42\n\nHi Kim Lee, order #42 ships today. Kim Lee, thanks!\n\nReply STOP to opt out", nil},
		{"auto-fill the user", channels.TemplateSend{
			Template:   channels.Template{Body: "{{1}} <{{2}}> here"},
			BodyParams: []channels.Param{{Auto: channels.UserName}, {Auto: channels.UserEmail}}, AutoFill: fill,
		}, "Ana <ana@acme.test> here", nil},
		{"a parameter value is not re-parsed", channels.TemplateSend{
			Template: channels.Template{Body: "Hi {{1}}"}, BodyParams: []channels.Param{{Value: "{{1}}"}},
		}, "Hi {{1}}", nil},
		{"missing auto-fill data", channels.TemplateSend{
			Template: channels.Template{Body: "Hi {{1}}"}, BodyParams: []channels.Param{{Auto: channels.RecipientEmail}}, AutoFill: fill,
		}, "", conversation.ErrInvalidArgument},
		{"unknown auto-fill", channels.TemplateSend{
			Template: channels.Template{Body: "Hi {{1}}"}, BodyParams: []channels.Param{{Auto: "recipient.age"}},
		}, "", conversation.ErrInvalidArgument},
		{"empty parameter", channels.TemplateSend{
			Template: channels.Template{Body: "Hi {{1}}"}, BodyParams: []channels.Param{{Value: "  "}},
		}, "", conversation.ErrInvalidArgument},
		{"empty body", channels.TemplateSend{Template: channels.Template{Name: "x"}}, "", conversation.ErrInvalidArgument},
		{"header parameters without a text header", channels.TemplateSend{
			Template: channels.Template{Body: "Hi"}, HeaderParams: []channels.Param{{Value: "x"}},
		}, "", channels.ErrParameterMismatch},
		{"named header variable", channels.TemplateSend{
			Template: channels.Template{Header: channels.TextHeader, HeaderText: "{{Order}}", Body: "Hi"},
		}, "", channels.ErrParameterMismatch},
		{"variable in the footer", channels.TemplateSend{
			Template: channels.Template{Body: "Hi", Footer: "{{1}}"},
		}, "", channels.ErrParameterMismatch},
		{"media header", channels.TemplateSend{
			Template: channels.Template{Header: channels.ImageHeader, Body: "Hi"},
		}, "", channels.ErrNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := channels.RenderTemplate(tt.ts)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParameterMismatchErrorText(t *testing.T) {
	_, err := channels.RenderTemplate(channels.TemplateSend{Template: channels.Template{Body: "Hi {{Name}} {{first}}"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "{{Name}}, {{first}}")
	_, err = channels.RenderTemplate(channels.TemplateSend{Template: channels.Template{Body: "{{1}} {{2}}"}, BodyParams: []channels.Param{{Value: "a"}}})
	require.Error(t, err)
	assert.True(t, strings.HasSuffix(err.Error(), "template body has 2 variables, 1 parameters given"), err.Error())
}

func TestWhatsAppKeyForms(t *testing.T) {
	assert.Equal(t, channels.WhatsAppKey(account, "15551234567"), channels.WhatsAppKey(account, "+1 (555) 123-4567"))
	assert.NotEqual(t, channels.WhatsAppKey(account, "15551234567"), channels.WhatsAppKey(mustAccount("0190f5a2-6b7e-7c3d-8e1f-000000000000"), "15551234567"))
	_, err := channels.InboundWhatsApp(account, "+1222333444", "not-a-number", "x", "wamid")
	assert.ErrorIs(t, err, conversation.ErrInvalidArgument)
}
