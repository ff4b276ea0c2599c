package threading

import "testing"

func TestNormalizeSubject(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"Hello", "Hello"},
		{"Re: Hello", "Hello"},
		{"RE: Hello", "Hello"},
		{"re:Hello", "Hello"},
		{"Re: Re: Re: Hello", "Hello"},
		{"Re:Re:Hello", "Hello"},
		{"Fwd: Hello", "Hello"},
		{"FW: Hello", "Hello"},
		{"Fw: Re: Fwd: Hello", "Hello"},
		{"AW: Hello", "Hello"},
		{"WG: AW: Hello", "Hello"},
		{"SV: Hello", "Hello"},
		{"VS: Hello", "Hello"},
		{"Antw: Hello", "Hello"},
		{"Odp: Hello", "Hello"},
		{"RV: Hello", "Hello"},
		{"ENC: Hello", "Hello"},
		{"RES: Hello", "Hello"},
		{"TR: Hello", "Hello"},
		{"R: Hello", "Hello"},
		{"I: Hello", "Hello"},
		{"R : Hello", "R : Hello"}, // single letters need the colon right after
		{"I think so", "I think so"},
		{"R2D2: droids", "R2D2: droids"},
		{"回复: 你好", "你好"},
		{"回复：你好", "你好"},
		{"转发: 你好", "你好"},
		{"回覆：轉寄: 你好", "你好"},
		{"Re[2]: Hello", "Hello"},
		{"Re(3): Hello", "Hello"},
		{"Re^2: Hello", "Hello"},
		{"RE[12]:Hello", "Hello"},
		{"Re : Hello", "Hello"},
		{"Re  :  Hello", "Hello"},
		{"Re： Hello", "Hello"},
		{"Re： Re : RE[2]: Hello", "Hello"},
		{"[ILUG] Hello", "Hello"},
		{"Re: [ILUG] Hello", "Hello"},
		{"[ILUG] Re: Hello", "Hello"},
		{"Re: [list] Re: [list] Hello", "Hello"},
		{"[SAtalk] Re: [Razor-users] Re: x", "x"},
		{"[PATCH 1/3] fix", "[PATCH 1/3] fix"}, // not a list tag: whitespace inside
		{"[Fwd: Hello world]", "Hello world"},
		{"[Fwd: [list] Hello world]", "Hello world"},
		{"Hello (fwd)", "Hello"},
		{"Re: Hello (FWD)", "Hello"},
		{"Hello   \t world\r\n  again", "Hello world again"},
		{"  Re:   spaced   out  ", "spaced out"},
		{"Re:", ""},
		{"Re: ", ""},
		{"[list]", ""},
		{"Rex: the dog", "Rex: the dog"},
		{"Reply: x", "Reply: x"},
		{"Trade: x", "Trade: x"},
		{"Fwdx: y", "Fwdx: y"},
		{"Re Hello", "Re Hello"},
		{"Re[x]: Hello", "Re[x]: Hello"},
		{"Invoice 42", "Invoice 42"},
		{"Out of office", "Out of office"},
		{"Hello\u3000world", "Hello world"},
		{"Re:\u00a0Hello", "Hello"},
		{"\xff\xfe Re: x", "\xff\xfe Re: x"},
		{"Re: \xff", "\xff"},
	}
	for _, tt := range tests {
		got := NormalizeSubject(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeSubject(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := NormalizeSubject(got); again != got {
			t.Errorf("not idempotent: %q -> %q -> %q", tt.in, got, again)
		}
	}
}

func TestSubjectKey(t *testing.T) {
	if SubjectKey("RE: Invoice 42") != SubjectKey("invoice   42") {
		t.Error("subject keys differ by case or spacing")
	}
	if SubjectKey("Re: Invoice 42") == SubjectKey("Invoice 43") {
		t.Error("different subjects share a key")
	}
}

func TestReplySubject(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Order 7", "Re: Order 7"},
		{"Re: Order 7", "Re: Order 7"},
		{"RE: Order 7", "RE: Order 7"},
		{"Re[2]: Order 7", "Re[2]: Order 7"},
		{"AW: Order 7", "Re: AW: Order 7"},
		{"  Order   7 ", "Re: Order 7"},
		{"", "Re:"},
	}
	for _, tt := range tests {
		if got := ReplySubject(tt.in); got != tt.want {
			t.Errorf("ReplySubject(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
