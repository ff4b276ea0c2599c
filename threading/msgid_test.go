package threading

import (
	"slices"
	"strings"
	"testing"
)

func TestExtractIDs(t *testing.T) {
	long := strings.Repeat("x", MaxIDLength) + "@h"
	tests := []struct {
		name   string
		header string
		want   []string
	}{
		{"empty", "", nil},
		{"blank", "  \r\n\t ", nil},
		{"one", "<a@x>", []string{"a@x"}},
		{"space separated", "<a@x> <b@x>  <c@x>", []string{"a@x", "b@x", "c@x"}},
		{"not separated", "<a@x><b@x>", []string{"a@x", "b@x"}},
		{"comma separated", "<a@x>,<b@x>, <c@x>", []string{"a@x", "b@x", "c@x"}},
		{"folded", "<a@x>\r\n\t<b@x>\r\n <c@x>", []string{"a@x", "b@x", "c@x"}},
		{"fold inside id", "<20020206163018.C17717@cs.\r\n helsinki.fi>", []string{"20020206163018.C17717@cs.helsinki.fi"}},
		{"case kept", "<Abc@X> <abc@x>", []string{"Abc@X", "abc@x"}},
		{"dedupe keeps first", "<a@x> <b@x> <a@x> <b@x> <c@x>", []string{"a@x", "b@x", "c@x"}},
		{"unbracketed", "a@x b@y.example", []string{"a@x", "b@y.example"}},
		{"unbracketed comma", "a@x,b@y", []string{"a@x", "b@y"}},
		{"unbracketed ignored when bracketed present", "joe@x.example <id@h>", []string{"id@h"}},
		{"unbracketed garbage", "hello world", nil},
		{"unbracketed possessive", `yyyy@example.com's message of "Wed, 25 Sep 2002 17:32:59 +0100"`, nil},
		{"comment", "<a@x> (Lars Kellogg-Stedman's message of \"Tue, 17 Nov 2009 14:00:54 -0500\")", []string{"a@x"}},
		{"comment with brackets", "(see <c@x>) <a@x>", []string{"a@x"}},
		{"nested comment", "((<c@x>)) <a@x>", []string{"a@x"}},
		{"quoted string", `"Your message of Fri, 06 Sep 2002 10:39:48 EDT." <a@x> <b@x>`, []string{"a@x", "b@x"}},
		{"quoted with brackets", `"<c@x>" <a@x>`, []string{"a@x"}},
		{"your message of", `Your message of "Wed, 11 Sep 2002 12:17:33 PDT." <200209111917.PAA02912@blackcomb.panasas.com>`, []string{"200209111917.PAA02912@blackcomb.panasas.com"}},
		{"id then from", "<20020204165314.389e52ec.matthias@egwn.net>; from matthias@egwn.net on Mon, Feb 04, 2002 at 04:53:14PM +0100", []string{"20020204165314.389e52ec.matthias@egwn.net"}},
		{"MH message from name addr", `Message from Tom Reingold <noglider@pobox.com> of "Tue, 10 Sep 2002 10:29:26 EDT." <20020910142926.C5DF2A7@whatexit.org>`, []string{"20020910142926.C5DF2A7@whatexit.org"}},
		{"MH message from addr of", `Message from fork-request@xent.com of "Wed, 21 Aug 2002 11:30:03 PDT." <20020821183003.25673.41476.Mailman@lair.xent.com>`, []string{"20020821183003.25673.41476.Mailman@lair.xent.com"}},
		{"MH no of", `Message from Ted Cabeen <secabeen@pobox.com> <20020924170024.1935256D@gray.impulse.net> .`, []string{"20020924170024.1935256D@gray.impulse.net"}},
		{"MH two ids", `Message from Rick Baartman <baartman@lin12.triumf.ca> of Mon, 09 Sep 2002 12:21:42 PDT <20020909191229.EBB3DB1@whatexit.org> <200209091921.g89JLgt02406@lin12.triumf.ca>`, []string{"20020909191229.EBB3DB1@whatexit.org", "200209091921.g89JLgt02406@lin12.triumf.ca"}},
		{"message-id word", "message-id <5305.1031637136@munnari.OZ.AU> of Tue, Sep 10 12:52:16 2002", []string{"5305.1031637136@munnari.OZ.AU"}},
		{"possessive then id", "noglider's message of Tue, 10 Sep 2002 10:29:26 -0400. <20020910142926.C5DF2A7@whatexit.org>", []string{"20020910142926.C5DF2A7@whatexit.org"}},
		{"domain literal", "<a05200a09b9c7a413726d@[209.103.203.97]>", []string{"a05200a09b9c7a413726d@[209.103.203.97]"}},
		{"unbracketed domain literal", "a@[10.0.0.1]", []string{"a@[10.0.0.1]"}},
		{"unbracketed literal with angle bracket", "0@[>]", nil}, // fuzz: testdata/fuzz/FuzzExtractIDs/550d5df020231d2d
		{"x400 quoted local part", `<"020828081752Z.WT24519. 6*/PN=Robin.Hill/O=BAe MAA/"@MHS>`, []string{`"020828081752Z.WT24519.6*/PN=Robin.Hill/O=BAeMAA/"@MHS`}},
		{"no at sign bracketed", "<1234.5678>", []string{"1234.5678"}},
		{"empty brackets", "<> <a@x>", []string{"a@x"}},
		{"stray open bracket", "a < b <a@x>", []string{"a@x"}},
		{"double brackets", "<<a@x>>", []string{"a@x"}},
		{"unterminated last", "<a@x> <b@y", []string{"a@x", "b@y"}},
		{"unterminated garbage", "<a@x> <oops", []string{"a@x"}},
		{"unterminated comment", "<a@x> (oops <b@x>", []string{"a@x"}},
		{"unterminated quote", `<a@x> "oops <b@x>`, []string{"a@x"}},
		{"semicolon separated", "<a@x>;<b@x>", []string{"a@x", "b@x"}},
		{"too long dropped", "<" + long + "> <a@x>", []string{"a@x"}},
		{"max length kept", "<" + long[:MaxIDLength] + ">", []string{long[:MaxIDLength]}},
		{"control char dropped", "<a\x01b@x> <a@x>", []string{"a@x"}},
		{"invalid utf8 dropped", "<a\xffb@x> <a@x>", []string{"a@x"}},
		{"utf8 kept", "<ünï@x.example>", []string{"ünï@x.example"}},
		{"synthetic rejected", "<synthetic:abcd> <a@x>", []string{"a@x"}},
		{"mailman id", "<20020821183003.25673.41476.Mailman@lair.xent.com>", []string{"20020821183003.25673.41476.Mailman@lair.xent.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExtractIDs(tt.header)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ExtractIDs(%q)\n got %q\nwant %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestExtractID(t *testing.T) {
	tests := []struct {
		header, want string
	}{
		{"<a@x>", "a@x"},
		{"  <a@x>  ", "a@x"},
		{"<a@x> (added by postmaster)", "a@x"},
		{"a@x", "a@x"},
		{" a@x.example ", "a@x.example"},
		{"a@x.", "a@x"},
		{"<1234>", "1234"},
		{"1234", ""},
		{"", ""},
		{"<>", ""},
		{"<a@x> <b@x>", "a@x"},
		{"garbage", ""},
		{"<Case@Kept>", "Case@Kept"},
		{"<synthetic:0011>", ""},
	}
	for _, tt := range tests {
		if got := ExtractID(tt.header); got != tt.want {
			t.Errorf("ExtractID(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestExtractIDsManyIDsDeduped(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		b.WriteString("<id")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString("@h> ")
	}
	got := ExtractIDs(b.String())
	if len(got) != 7 {
		t.Fatalf("got %d ids, want 7: %q", len(got), got)
	}
}

func TestSynthesizeID(t *testing.T) {
	in := SynthInput{From: "A@x", To: "b@y", Subject: "Re: hello", BodyDigest: []byte{1, 2, 3}}
	id := SynthesizeID(in)
	if !IsSynthetic(id) || !strings.HasPrefix(id, SyntheticPrefix) {
		t.Fatalf("SynthesizeID = %q, not marked synthetic", id)
	}
	if ExtractID("<"+id+">") != "" || len(ExtractIDs("<"+id+">")) != 0 {
		t.Fatalf("extractors accept synthesized id %q", id)
	}
	same := in
	same.From, same.Subject = " a@X ", "hello"
	if SynthesizeID(same) != id {
		t.Errorf("same message gives a different id")
	}
	other := in
	other.BodyDigest = []byte{1, 2, 4}
	if SynthesizeID(other) == id {
		t.Errorf("different body gives the same id")
	}
	// Field boundaries are unambiguous.
	a := SynthInput{From: "ab", To: "c"}
	b := SynthInput{From: "a", To: "bc"}
	if SynthesizeID(a) == SynthesizeID(b) {
		t.Errorf("field boundary collision")
	}
}
