package canned

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
)

func id[K any](name string) conversation.ID[K] {
	return conversation.ID[K](uuid.NewSHA1(uuid.NameSpaceOID, []byte(name)))
}

var (
	org   = conversation.OrgID(id[struct{}]("O"))
	carol = conversation.UserID(id[struct{}]("carol"))
	dave  = conversation.UserID(id[struct{}]("dave"))
	sales = conversation.TeamID(id[struct{}]("Sales"))
	supp  = conversation.TeamID(id[struct{}]("Support"))
)

func renderT(t *testing.T, body string, d Data) string {
	t.Helper()
	tpl, err := Parse(body)
	require.NoError(t, err)
	out, missing, err := tpl.Render(d)
	require.NoError(t, err)
	require.Empty(t, missing)
	return out
}

func philippe() []Recipient {
	return []Recipient{{Address: conversation.Address{Address: "p@x.com"}, Contact: &Contact{FirstName: "Philippe", LastName: "Lehoux"}}}
}

// TLTG spec §5.10 scenario 90 (F3:10451-10460, F3:10505-10514).
func TestTLTG_05_090_DefaultFilter(t *testing.T) {
	body := "Hi {{ recipient.first_name | default: 'there' }},"
	assert.Equal(t, "Hi Philippe,", renderT(t, body, Data{Recipients: philippe()}))
	assert.Equal(t, "Hi there,", renderT(t, body, Data{Recipients: []Recipient{{Address: conversation.Address{Address: "x@y.com"}}}}))
	assert.Equal(t, "Hi there,", renderT(t, body, Data{}))
}

// Scenario 91 (F3:10533-10543): a missing value is null to the template.
func TestTLTG_05_091_NullComparison(t *testing.T) {
	body := "{% if recipient.first_name == null %}Hello,{% else %}Hi {{ recipient.first_name }},{% endif %}"
	assert.Equal(t, "Hello,", renderT(t, body, Data{}))
	assert.Equal(t, "Hi Philippe,", renderT(t, body, Data{Recipients: philippe()}))
}

// Scenario 92 (F3:10547-10557): a variable with no data source is a form
// variable the caller must supply.
func TestTLTG_05_092_FormVariables(t *testing.T) {
	r := &Response{Subject: "Order {{ order_number }}", Body: "{% assign n = 2 %}{{ n }} {{ recipient.name }} {% for item in (1..2) %}{{ item }}{% endfor %}{{ items }}{{ shipping.date | date: '%Y' }}"}
	_, missing, err := Render(r, Data{})
	require.NoError(t, err)
	assert.Equal(t, []string{"order_number", "items", "shipping"}, missing)
	out, missing, err := Render(r, Data{Form: map[string]string{"order_number": "42", "items": "ab", "shipping.date": "2026-03-03"}})
	require.NoError(t, err)
	assert.Empty(t, missing)
	assert.Equal(t, "Order 42", out.Subject)
	assert.Equal(t, "2  12ab2026", out.Body)
}

// Scenario 93 (F3:10567): the contact wins over the message's name.
func TestTLTG_05_093_ContactFirst(t *testing.T) {
	rs := []Recipient{{Address: conversation.Address{Name: "P. L.", Address: "p@x.com"}, Contact: &Contact{FirstName: "Philippe", LastName: "Lehoux"}}}
	assert.Equal(t, "Philippe Lehoux|p@x.com", renderT(t, "{{ recipient.name }}|{{ recipient.email }}", Data{Recipients: rs}))
	rs[0].Contact = nil
	assert.Equal(t, "P. L.|P.|L.", renderT(t, "{{ recipient.name }}|{{ recipient.first_name }}|{{ recipient.last_name }}", Data{Recipients: rs}))
}

// Scenarios 94 and 95 (F3:10571, F3:10594).
func TestTLTG_05_094_095_LabelsAndCustomKeys(t *testing.T) {
	rs := []Recipient{{Address: conversation.Address{Address: "p@x.com"}, Contact: &Contact{
		Phones: []Labeled{{Label: "home", Value: "111"}, {Label: "Work", Value: "222"}},
		Custom: map[string]string{"Order Amount": "$99"},
	}}}
	assert.Equal(t, "222|111|$99", renderT(t, "{{ recipient.work.phone_number }}|{{ recipient.phone_number }}|{{ recipient.custom.order_amount }}", Data{Recipients: rs}))
	assert.Equal(t, "order_amount", NormalizeKey(" Order   Amount "))
}

// Scenario 96 (F3:10402, F3:10471): recipients and attachments are copied.
func TestTLTG_05_096_InsertCopiesRecipientsAndAttachments(t *testing.T) {
	r := &Response{Body: "hi", To: []string{"a@x.com"}, Cc: []string{"b@x.com"},
		Attachments: []conversation.Attachment{{Name: "a.pdf"}, {Name: "b.pdf"}}}
	out, _, err := Render(r, Data{})
	require.NoError(t, err)
	assert.Equal(t, []string{"a@x.com"}, out.To)
	assert.Equal(t, []string{"b@x.com"}, out.Cc)
	assert.Len(t, out.Attachments, 2)
}

func TestObjects(t *testing.T) {
	d := Data{
		User:         &User{FirstName: "Carol", LastName: "King", Email: "carol@x.com"},
		Conversation: conversation.ConversationID(id[struct{}]("C")),
		Message:      &conversation.Message{From: conversation.Address{Name: "Jane Q Doe", Address: "jane@acme.com"}},
		Recipients:   append(philippe(), Recipient{Address: conversation.Address{Name: "Bo", Address: "+15550100"}}),
	}
	out := renderT(t, "{{ user.name }}/{{ message.from_first_name }}/{{ message.from_last_name }}/{{ message.from_email }}/{{ recipient.first_name }}/{{ recipient.phone_number }}/{{ conversation.id | size }}", d)
	assert.Equal(t, "Carol King/Jane/Q Doe/jane@acme.com/Philippe, Bo/+15550100/36", out)
}

func TestTemplatesAreBounded(t *testing.T) {
	for _, src := range []string{
		"{% include 'x' %}",
		"{% for i in (1..1000000) %}x{% endfor %}",
		"{% for i in (1..1000) %}{% for j in (1..1000) %}{% endfor %}{% endfor %}",
		"{% for i in (1..n) %}x{% endfor %}",
		"{{ x | no_such_filter }}",
		"{% if %}",
		strings.Repeat("x", MaxTemplate+1),
	} {
		_, err := Parse(src)
		if err == nil {
			_, _, err = (&Template{}).renderErr(src)
		}
		assert.Error(t, err, src)
	}
	tpl, err := Parse("{% for i in (1..1000) %}{{ big }}{% endfor %}")
	require.NoError(t, err)
	_, _, err = tpl.Render(Data{Form: map[string]string{"big": strings.Repeat("y", 2000)}})
	assert.ErrorIs(t, err, ErrRender, "output over the cap")
}

// renderErr parses and renders src with no data, for the bounded test.
func (*Template) renderErr(src string) (string, []string, error) {
	tpl, err := Parse(src)
	if err != nil {
		return "", nil, err
	}
	return tpl.Render(Data{Form: map[string]string{"x": "1"}})
}

func FuzzParseRender(f *testing.F) {
	for _, s := range []string{"Hi {{ recipient.first_name | default: 'there' }},", "{% if a == null %}x{% endif %}{{ b.c }}", "{% for i in (1..3) %}{{ i }}{% endfor %}", "{% assign x = 'y' | upcase %}{{ x }}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := Parse(src)
		if err != nil {
			return
		}
		form := map[string]string{}
		for _, v := range tpl.Form() {
			form[v] = "v"
		}
		_, missing, _ := tpl.Render(Data{Form: form, Recipients: philippe()})
		if len(missing) > 0 {
			t.Fatalf("missing %v after supplying every form variable", missing)
		}
	})
}

func responses() *Index {
	var x Index
	x.Put(Response{ID: "better", Scope: Scope{Kind: Organization, Org: org}, Title: "How to be a better person?"})
	x.Put(Response{ID: "sales-refund", Scope: Scope{Kind: Team, Team: sales, Org: org}, Title: "Refund policy", Body: "refund"})
	x.Put(Response{ID: "support-refund", Scope: Scope{Kind: Team, Team: supp, Org: org}, Title: "Refund policy (support)", Body: "refund"})
	x.Put(Response{ID: "carol-refund", Scope: Scope{Kind: Personal, User: carol}, Title: "My refund", Body: strings.Repeat("refund ", 10)})
	x.Put(Response{ID: "dave", Scope: Scope{Kind: Personal, User: dave}, Title: "Dave's refund policy"})
	return &x
}

func ids(rs []Response) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

var carolView = Viewer{User: carol, Org: org, OrgName: "Acme Corp", Teams: []TeamName{{ID: sales, Name: "Sales"}}}

// Scenarios 82-84 (F3:10392-10394): personal, team and organization scope.
func TestTLTG_05_082_084_WhoCanUse(t *testing.T) {
	x := responses()
	got := ids(x.Search(carolView, "refund"))
	assert.ElementsMatch(t, []string{"sales-refund", "carol-refund"}, got, "not Support's, not Dave's")
	dv := Viewer{User: dave, Org: org, Teams: []TeamName{{ID: supp, Name: "Support"}}}
	assert.ElementsMatch(t, []string{"support-refund", "dave"}, ids(x.Search(dv, "refund")))
	assert.Equal(t, []string{"better"}, ids(x.Search(dv, "better")))
}

// Scenario 87 (F3:10434-10438): prefix words in any order, punctuation kept.
func TestTLTG_05_087_PrefixSearch(t *testing.T) {
	x := responses()
	for _, q := range []string{"ho bet pers", "pers better", "person?", "PERSON?"} {
		assert.Equal(t, []string{"better"}, ids(x.Search(carolView, q)), q)
	}
	assert.Empty(t, x.Search(carolView, "person!"))
	assert.Empty(t, x.Search(carolView, "erson"))
}

// Scenario 88 (F3:10440-10444): scoping prefixes.
func TestTLTG_05_088_ScopePrefixes(t *testing.T) {
	x := responses()
	assert.Equal(t, []string{"sales-refund"}, ids(x.Search(carolView, "sales refund policy")))
	assert.Equal(t, []string{"carol-refund"}, ids(x.Search(carolView, "personal refund")))
	assert.Equal(t, []string{"better"}, ids(x.Search(carolView, "acme corp")))
	assert.ElementsMatch(t, []string{"sales-refund", "carol-refund", "better"}, ids(x.Search(carolView, "")))
}

// Scenario 89 (F3:10696-10698): more occurrences rank first.
func TestTLTG_05_089_Ranking(t *testing.T) {
	assert.Equal(t, []string{"carol-refund", "sales-refund"}, ids(responses().Search(carolView, "refund")))
}

func TestIndexRemoveAndReplace(t *testing.T) {
	x := responses()
	x.Remove("carol-refund")
	x.Put(Response{ID: "sales-refund", Scope: Scope{Kind: Team, Team: sales, Org: org}, Title: "Returns"})
	assert.Empty(t, x.Search(carolView, "refund"))
	assert.Equal(t, []string{"sales-refund"}, ids(x.Search(carolView, "ret")))
	for i := range 100 {
		x.Put(Response{ID: fmt.Sprint(i), Scope: Scope{Kind: Organization, Org: org}, Title: fmt.Sprint("t", i)})
		x.Remove(fmt.Sprint(i))
	}
	assert.Equal(t, 4, x.Len())
	assert.Len(t, x.words, len(x.post), "no word is left without postings")
}
