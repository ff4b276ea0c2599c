package channels_test

import (
	"strings"
	"testing"

	"github.com/inboxkit/inboxkit/conversation/channels"
)

func FuzzDetectKeyword(f *testing.F) {
	for _, s := range []string{"STOP", " stop\n", "Start", "please stop", "ſtop", "UNSUBSCRIBE", "", "\u00a0quit\u2003"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		k := channels.DetectKeyword(body)
		if k != channels.DetectKeyword(strings.ToUpper(body)) && strings.ToUpper(body) != body {
			// ToUpper may change byte length, not the word's identity
			// under simple folding: the two must agree.
			t.Fatalf("%q and its upper case disagree", body)
		}
		if k != channels.NoKeyword && strings.ContainsFunc(strings.TrimSpace(body), func(r rune) bool { return r == ' ' }) {
			t.Fatalf("%q: a keyword is one word", body)
		}
		if got := channels.DetectKeyword(" \t" + body + "\r\n"); got != k {
			t.Fatalf("%q: surrounding white space changed %v to %v", body, k, got)
		}
	})
}

func FuzzParseVariables(f *testing.F) {
	for _, s := range []string{"Hi {{1}}", "{{Name}}", "{{{1}}}", "{{ a {{2}}", "unclosed {{1", "}}{{", "{{1}}{{2}}{{1}}", "{{9999}} {{10000}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		v := channels.ParseVariables(text)
		for _, i := range v.Positional {
			if i < 1 || i > 9999 {
				t.Fatalf("index %d out of range", i)
			}
		}
		n := v.Count()
		err := channels.CheckParams("body", v, n)
		complete := len(v.Named) == 0
		seen := map[int]bool{}
		for _, i := range v.Positional {
			seen[i] = true
		}
		for i := 1; i <= n; i++ {
			complete = complete && seen[i]
		}
		if (err == nil) != complete {
			t.Fatalf("CheckParams(%q, %d) = %v, complete %v", text, n, err, complete)
		}
		if err != nil || strings.TrimSpace(text) == "" {
			return
		}
		params := make([]channels.Param, n)
		for i := range params {
			params[i] = channels.Param{Value: "\x00"}
		}
		out, err := channels.RenderTemplate(channels.TemplateSend{Template: channels.Template{Body: text}, BodyParams: params})
		if err != nil {
			t.Fatalf("RenderTemplate(%q): %v", text, err)
		}
		if got, want := strings.Count(out, "\x00")-strings.Count(text, "\x00"), len(v.Positional); got != want {
			t.Fatalf("RenderTemplate(%q) = %q: %d substitutions, want %d", text, out, got, want)
		}
	})
}

func FuzzDecodeCustomInbound(f *testing.F) {
	f.Add(inboundJSON(`,"from_field":{"id":"u1"},"body":"hi","references":["a"],"external_id":"e"`))
	f.Add(inboundJSON(`,"from_field":{"id":"u1"},"attachments":[{"filename":"a","base64_data":"aGk"}]`))
	f.Add([]byte(`{"messages":{"created_at":-1,"conversation":"x"}}`))
	f.Add([]byte(`{"messages":[]}`))
	f.Add([]byte(`nope`))
	settings := []channels.CustomSettings{textChannel(), {Type: channels.CustomEmail}, {Type: channels.CustomHTML}}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := channels.DecodeCustomInbound(body)
		if err != nil {
			return
		}
		for _, s := range settings {
			cm, err := in.Message(account, s)
			if err != nil {
				continue
			}
			if cm.Message.From.Address == "" && cm.Message.From.Name == "" {
				t.Fatalf("accepted a message without a sender: %s", body)
			}
			if in.ExternalID != "" && strings.TrimSpace(in.ExternalID) != "" && cm.IdempotencyKey == "" {
				t.Fatalf("external id %q gave no idempotency key", in.ExternalID)
			}
			if len(cm.Files) != len(in.Files) {
				t.Fatalf("%d files of %d", len(cm.Files), len(in.Files))
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte("k"), []byte("body"), "")
	f.Add([]byte("k"), []byte(""), "sha256=00")
	f.Fuzz(func(t *testing.T, secret, body []byte, sig string) {
		good := channels.Sign(secret, body)
		if len(secret) > 0 && !channels.Verify(secret, body, good) {
			t.Fatal("own signature does not verify")
		}
		if channels.Verify(secret, body, sig) && !strings.EqualFold(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(sig)), "sha256="), good) {
			t.Fatalf("foreign signature %q verified", sig)
		}
	})
}
