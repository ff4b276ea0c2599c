package threading

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+1 (555) 666-777", "+1555666777"},
		{" +44 20 7946.0958 ", "+442079460958"},
		{"15551234567", "15551234567"},
		{"+1+2", "+1+2"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizePhone(tt.in); got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestChannelKeysDistinct(t *testing.T) {
	keys := []string{
		SMSKey("a", "+1", "+2"),
		WhatsAppKey("a", "1"),
		MessengerKey("a", "1"),
		InstagramKey("a", "1"),
		VoiceKey("a", "1"),
		LiveChatKey("a", "1"),
		CustomKeys("a", []string{"1"})[0],
		// Escaping keeps account and contact apart.
		WhatsAppKey("a:b", "c"),
		WhatsAppKey("a", "b:c"),
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Errorf("duplicate key %q", k)
		}
		seen[k] = true
		if ExtractID(k) != "" && strings.Contains(k, "@") {
			t.Errorf("key %q reads as a Message-ID", k)
		}
	}
}

func TestCustomKeys(t *testing.T) {
	got := CustomKeys("acc", []string{"r1", " ", "r2", "r1"})
	want := []string{"custom:acc:r1", "custom:acc:r2"}
	if !slices.Equal(got, want) {
		t.Fatalf("CustomKeys = %q, want %q", got, want)
	}
	// Any shared reference joins; two references seen apart merge.
	h := newHarness(Options{})
	s := SharedScope("org")
	_, c1 := h.deliver(Message{Scope: s, ID: "x1", References: CustomKeys("acc", []string{"order-1"})})
	_, c2 := h.deliver(Message{Scope: s, ID: "x2", References: CustomKeys("acc", []string{"ticket-9"})})
	d, c := h.deliver(Message{Scope: s, ID: "x3", References: CustomKeys("acc", []string{"order-1", "ticket-9"})})
	if d.Action != Join || c != c2 || !slices.Equal(d.Merge, []int{c1}) {
		t.Fatalf("message with both references: %+v (c1=%d c2=%d)", d, c1, c2)
	}
}

func TestChannelKeyCap(t *testing.T) {
	// A channel thread past the cap continues in one new conversation,
	// not one per message.
	h := newHarness(Options{MaxMessages: 2})
	s := SharedScope("org")
	key := WhatsAppKey("acc", "1555")
	_, c1 := h.deliver(channelMsg(s, "w1", key))
	h.deliver(channelMsg(s, "w2", key))
	d, c2 := h.deliver(channelMsg(s, "w3", key))
	if d.Action != Continue || d.Conversation != c1 {
		t.Fatalf("third message: %+v", d)
	}
	d, c3 := h.deliver(channelMsg(s, "w4", key))
	if d.Action != Join || c3 != c2 {
		t.Fatalf("fourth message: %+v in %d, want join %d", d, c3, c2)
	}
	d, c4 := h.deliver(channelMsg(s, "w5", key))
	if d.Action != Continue || d.Conversation != c2 || c4 == c2 {
		t.Fatalf("fifth message: %+v", d)
	}
}

func TestCustomReferencesInvertsCustomKeys(t *testing.T) {
	refs := []string{"a", "x:y", "100%", "%3A", " padded "}
	keys := CustomKeys("acc:1", refs)
	keys = append(keys, CustomKeys("other", []string{"z"})...)
	keys = append(keys, SMSKey("acc:1", "+1", "+2"))
	got := CustomReferences("acc:1", keys)
	want := []string{"a", "x:y", "100%", "%3A", "padded"}
	if len(got) != len(want) {
		t.Fatalf("CustomReferences = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("CustomReferences = %q, want %q", got, want)
		}
	}
}

func TestWhatsAppKeyFormsAgree(t *testing.T) {
	if WhatsAppKey("acc", "+1 (555) 123-4567") != WhatsAppKey("acc", "15551234567") {
		t.Fatalf("a typed number and Meta's wa_id must give one key: %q vs %q",
			WhatsAppKey("acc", "+1 (555) 123-4567"), WhatsAppKey("acc", "15551234567"))
	}
}
