package rules

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestMatcherMatchesNaive: for random patterns and texts over a small
// alphabet (so patterns overlap and nest), the automaton's flags equal a
// direct check of each pattern.
func TestMatcherMatchesNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		word := rapid.StringOfN(rapid.RuneFrom([]rune("abé")), 1, 5, -1)
		pats := rapid.SliceOfNDistinct(word, 1, 12, func(s string) string { return s }).Draw(t, "patterns")
		text := rapid.StringOfN(rapid.RuneFrom([]rune("abé")), 0, 40, -1).Draw(t, "text")
		m := newMatcher(pats)
		hits := make([]uint8, len(pats))
		touched := m.scan([]byte(text), hits, nil)
		for i, p := range pats {
			var want uint8
			if strings.Contains(text, p) {
				want |= hitContains
			}
			if strings.HasPrefix(text, p) {
				want |= hitPrefix
			}
			if strings.HasSuffix(text, p) {
				want |= hitSuffix
			}
			if text == p {
				want |= hitExact
			}
			if hits[i] != want {
				t.Fatalf("pattern %q in %q: flags %04b, want %04b", p, text, hits[i], want)
			}
		}
		for _, p := range touched {
			if hits[p] == 0 {
				t.Fatalf("pattern %d reported touched without a hit", p)
			}
		}
	})
}

func TestFoldEquatesSimpleCaseClasses(t *testing.T) {
	for _, pair := range [][2]string{{"K", "\u212a"}, {"s", "ſ"}, {"ÉCOLE", "école"}, {"ΣΑΣ", "σας"}} {
		if fold(pair[0]) != fold(pair[1]) && !strings.EqualFold(pair[0], pair[1]) {
			t.Errorf("fold(%q) = %q, fold(%q) = %q", pair[0], fold(pair[0]), pair[1], fold(pair[1]))
		}
	}
	if fold("K") != fold("\u212a") || fold("S") != fold("ſ") {
		t.Error("Kelvin sign or long s not folded")
	}
}

func TestValidationChecks(t *testing.T) {
	sms := orgRule("x", AllOf(text(PhoneFrom, StartsWith, "+1")), Close{})
	sms.Channel = SMS
	email := sms
	email.Channel = Email
	comment := userRule("c", NewComment, AllOf(text(CommentText, Contains, "x")), Close{})
	wrongKind := userRule("w", LabelChange, AllOf(text(CommentText, Contains, "x")), Close{})
	onIncoming := orgRule("i", AllOf(Condition{Field: IsTask, Op: Is, Bool: true}), Close{})
	noType := orgRule("n", AllOf(), Close{})
	noType.Type = Type{}
	twoValues := orgRule("v", AllOf(Condition{Field: Subject, Op: Contains, Text: "a", User: bob}), Close{})
	deep := Group{}
	for range MaxDepth + 2 {
		deep = AllOf(deep)
	}
	tooDeep := orgRule("d", deep, Close{})
	cases := []struct {
		r     Rule
		check Check
	}{
		{email, CheckPhone}, {wrongKind, CheckUserAction}, {onIncoming, CheckUserAction},
		{noType, CheckType}, {twoValues, CheckValue}, {tooDeep, CheckShape},
	}
	for _, c := range cases {
		err := Validate(&c.r, Env{})
		var ve *ValidationError
		if !assertAs(t, err, &ve) {
			continue
		}
		if ve.Check != c.check {
			t.Errorf("%s: check %d, want %d (%v)", c.r.Description, ve.Check, c.check, err)
		}
	}
	for _, ok := range []Rule{sms, comment} {
		if err := Validate(&ok, Env{}); err != nil {
			t.Errorf("%s: %v", ok.Description, err)
		}
	}
}

func assertAs(t *testing.T, err error, target **ValidationError) bool {
	t.Helper()
	es, ok := err.(ValidationErrors)
	if !ok || len(es) == 0 {
		t.Errorf("want validation errors, got %v", err)
		return false
	}
	*target = es[0]
	return true
}
