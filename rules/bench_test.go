package rules

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/inboxkit/inboxkit/conversation"
)

// realisticRules returns n enabled organization rules of O of realistic
// shape: 5-15 conditions each in nested groups, mostly text operators on
// from / to / subject / body, some on labels, assignee and team.
func realisticRules(n int, rnd *rand.Rand) []Rule {
	words := []string{"invoice", "refund", "urgent", "asap", "cancel", "order", "shipping", "password",
		"billing", "renewal", "quote", "contract", "complaint", "delivery", "warranty", "demo"}
	domains := []string{"acme.com", "globex.com", "initech.com", "umbrella.org", "hooli.io", "example.net"}
	textFields := []Field{From, To, Subject, Body, Subject, Body, From}
	textOps := []Operator{Contains, Contains, EndsWith, StartsWith, Is, NotContains}
	leaf := func(i int) Node {
		switch rnd.IntN(10) {
		case 0:
			return Condition{Field: Label, Op: Is, Label: lid(fmt.Sprint("L", rnd.IntN(50)))}
		case 1:
			return Condition{Field: Assignee, Op: IsBlank}
		case 2:
			return Condition{Field: Team, Op: Is, Team: tid(fmt.Sprint("T", rnd.IntN(20)))}
		}
		f := textFields[rnd.IntN(len(textFields))]
		op := textOps[rnd.IntN(len(textOps))]
		lit := fmt.Sprintf("%s %d", words[rnd.IntN(len(words))], rnd.IntN(1000))
		if f == From || f == To {
			lit = domains[rnd.IntN(len(domains))]
			if op == Is || op == StartsWith {
				op = EndsWith
			}
		}
		return text(f, op, lit)
	}
	rules := make([]Rule, n)
	for i := range rules {
		k := 5 + rnd.IntN(11)
		var top []Node
		for k > 0 {
			if k >= 3 && rnd.IntN(2) == 0 {
				m := 2 + rnd.IntN(2)
				var kids []Node
				for j := range m {
					kids = append(kids, leaf(j))
				}
				top = append(top, Group{Mode: Mode(rnd.IntN(3)), Children: kids})
				k -= m
				continue
			}
			top = append(top, leaf(k))
			k--
		}
		rules[i] = orgRule(fmt.Sprintf("%04d rule", i), AllOf(top...),
			AddLabels{Names: []string{"auto"}}, MoveToTeam{Team: tid("Support")})
		rules[i].ID = rid(fmt.Sprint(i))
	}
	return rules
}

// bodyOf returns a 4 KB body of plain English-like text.
func bodyOf(size int) string {
	var b strings.Builder
	words := []string{"hello", "we", "would", "like", "to", "know", "about", "the", "order", "number",
		"shipping", "status", "thanks", "regards", "please", "confirm", "delivery", "date"}
	for i := 0; b.Len() < size; i++ {
		b.WriteString(words[i*7%len(words)])
		b.WriteByte(' ')
	}
	return b.String()[:size]
}

func benchFacts() *Facts {
	conv := sharedConv()
	conv.Labels = []conversation.LabelID{lid("L3"), lid("L7")}
	return incoming(conv, conversation.Message{
		From:    named("Jane Customer", "jane@acme.com"),
		To:      addrs("support@inboxkit.test", "sales@inboxkit.test"),
		Cc:      addrs("boss@acme.com"),
		Subject: "Re: Question about order 4411 and the shipping date",
		Text:    bodyOf(4096),
	})
}

// BenchmarkEvaluate1000Rules: 1,000 organization rules against one
// incoming message with a 4 KB body.
func BenchmarkEvaluate1000Rules(b *testing.B) {
	set := Compile(realisticRules(1000, rand.New(rand.NewPCG(1, 2))))
	if len(set.Invalid) > 0 {
		b.Fatalf("invalid rules: %v", set.Invalid)
	}
	f := benchFacts()
	ctx := context.Background()
	d := set.Evaluate(ctx, f, Options{})
	b.ReportMetric(float64(d.Evaluated), "rules/op")
	b.ReportMetric(float64(len(d.Runs)), "matched/op")
	b.ReportAllocs()
	for b.Loop() {
		set.Evaluate(ctx, f, Options{})
	}
}

// BenchmarkCompile1000Rules: compiling the same set once.
func BenchmarkCompile1000Rules(b *testing.B) {
	rules := realisticRules(1000, rand.New(rand.NewPCG(1, 2)))
	b.ReportAllocs()
	for b.Loop() {
		Compile(rules)
	}
}
