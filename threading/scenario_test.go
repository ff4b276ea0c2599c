package threading

// One test per scenario of accounts-threading.md §6.1-6.4 and §6.7 that
// the pure threading layer can express; the parts that need the engine
// (events, reopening, access, errors of other packages) are left to it.

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"
)

// §6.1 scenario 1 (F3:8052): replies of several recipients to one
// outgoing message all join its conversation.
func TestTHR_01_RepliesToOutgoingJoinItsConversation(t *testing.T) {
	h := newHarness(Options{})
	c := h.place(msg(sc, "m0@x", ""), 0) // outgoing, composed in C (T6)
	for _, r := range []string{"ra@a", "rb@b", "rc@c"} {
		d, got := h.deliver(msg(sc, r, "m0@x"))
		if d.Action != Join || got != c {
			t.Fatalf("reply %s: %+v in %d, want join %d", r, d, got, c)
		}
	}
	if n := len(h.idx.Conversations()); n != 1 {
		t.Fatalf("%d conversations, want 1", n)
	}
}

// §6.1 scenario 2 (F3:8506-8507, T4): the same subject alone never groups.
func TestTHR_02_SameSubjectWithoutReferencesIsNewConversation(t *testing.T) {
	h := newHarness(Options{}) // the default: no subject fallback
	_, c := h.deliver(Message{Scope: sc, ID: "inv@x", Subject: "Invoice 42", Date: t0})
	d, c2 := h.deliver(Message{Scope: sc, ID: "other@y", Subject: "Invoice 42", Date: t0.Add(time.Minute),
		InReplyTo: []string{"unknown@z"}})
	if d.Action != New || c2 == c {
		t.Fatalf("unrelated email with the same subject: %+v", d)
	}
}

// §6.1 scenario 3 (F3:12606-12608): an auto-reply with another subject is
// threaded by its headers.
func TestTHR_03_AutoReplyWithOtherSubjectJoins(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(Message{Scope: sc, ID: "m1@x", Subject: "Order 7"})
	d, got := h.deliver(Message{Scope: sc, ID: "ooo@me", Subject: "Out of office", InReplyTo: []string{"m1@x"}})
	if d.Action != Join || got != c {
		t.Fatalf("auto-reply: %+v", d)
	}
}

// §6.1 scenario 5 (F3:6845-6847), the threading half: the outgoing
// Subject comes from the parent email. DisplaySubject staying custom is the
// engine's.
func TestTHR_05_ReplySubjectComesFromParentEmail(t *testing.T) {
	if got := ReplySubject("Order 7"); got != "Re: Order 7" {
		t.Fatalf("ReplySubject = %q", got)
	}
}

// §6.1 scenario 7 (F3:6608): forward "in this conversation", and the reply
// to the forward, stay in C.
func TestTHR_07_ForwardInThisConversation(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(msg(sc, "m1@x", ""))
	h.place(Message{Scope: sc, ID: "f1@me", References: []string{"m1@x"}}, c)
	d, got := h.deliver(Message{Scope: sc, ID: "r@y", InReplyTo: []string{"f1@me"}, References: []string{"m1@x", "f1@me"}})
	if d.Action != Join || got != c {
		t.Fatalf("reply to forward: %+v", d)
	}
}

// §6.1 scenario 8 (F3:6610, T2): a reply to a private forward lands with
// the forward, although its References also name the original.
func TestTHR_08_ReplyToPrivateForwardStaysWithForward(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(msg(sc, "m1@x", ""))
	c2 := h.place(Message{Scope: sc, ID: "f2@me"}, 0) // new private conversation
	d, got := h.deliver(Message{Scope: sc, ID: "r@y", InReplyTo: []string{"f2@me"}, References: []string{"m1@x", "f2@me"}})
	if d.Action != Join || got != c2 || got == c || len(d.Merge) != 0 {
		t.Fatalf("reply to private forward: %+v (C=%d C2=%d)", d, c, c2)
	}
}

// §6.1 scenario 9 (F3:6520, F3:7116, T1): the same Message-ID from a
// second account in the same scope is one message with two copies.
func TestTHR_09_SameMessageIDIsDuplicateCopy(t *testing.T) {
	h := newHarness(Options{})
	shared := SharedScope("org1")
	_, c := h.deliver(msg(shared, "m1@x", "")) // account A
	d, _ := h.deliver(msg(shared, "m1@x", "")) // account B
	if d.Action != Duplicate || d.Conversation != c {
		t.Fatalf("second copy: %+v", d)
	}
	if got := h.idx.Conversations(); len(got) != 1 || got[c] != 1 {
		t.Fatalf("conversations = %v, want one with one message", got)
	}
}

// §6.1 scenario 10 (F3:1665), the threading half: an imported unseen reply
// joins C (reopening C is the engine's).
func TestTHR_10_ImportedReplyJoinsConversation(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(msg(sc, "m1@x", ""))
	d, got := h.deliver(msg(sc, "m9@x", "m1@x"))
	if d.Action != Join || got != c {
		t.Fatalf("imported reply: %+v", d)
	}
}

// §6.1 scenario 12 (F3:6865-6867, [DEV]): a reply sent from the provider's
// web UI, seen in \Sent, threads into C; no duplicate conversation.
func TestTHR_12_ExternallySentReplyThreads(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(msg(sc, "m1@x", ""))
	d, got := h.deliver(msg(sc, "r1@me", "m1@x", "m1@x"))
	if d.Action != Join || got != c {
		t.Fatalf("externally sent reply: %+v", d)
	}
	// Synced again (INBOX copy after Sent copy): a duplicate, not new.
	if d, _ := h.deliver(msg(sc, "r1@me", "m1@x")); d.Action != Duplicate {
		t.Fatalf("second sync: %+v", d)
	}
}

// §6.1 scenario 13 (F3:6455, F3:7947): replies follow an email moved to a
// new conversation.
func TestTHR_13_RepliesFollowMovedEmail(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(msg(sc, "e0@x", ""))
	h.deliver(msg(sc, "e@x", "e0@x"))
	c3 := h.next
	h.next++
	if err := h.th.Moved(context.Background(), sc, "e@x", c3); err != nil {
		t.Fatal(err)
	}
	d, got := h.deliver(Message{Scope: sc, ID: "r@y", InReplyTo: []string{"e@x"}, References: []string{"e0@x", "e@x"}})
	if d.Action != Join || got != c3 || got == c {
		t.Fatalf("reply to moved email: %+v", d)
	}
}

// §6.2 scenario 14 (F3:7932, F3:7968, T3): a reply into a full conversation
// starts a linked continuation; C keeps 400.
func TestTHR_14_FullConversationStartsContinuation(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(msg(sc, "m0", ""))
	for i := 1; i < DefaultMaxMessages; i++ {
		if d, _ := h.deliver(msg(sc, itoa(i), "m0")); d.Action != Join {
			t.Fatalf("message %d: %+v", i, d)
		}
	}
	d, c2 := h.deliver(msg(sc, "late", "m0"))
	if d.Action != Continue || d.Conversation != c || c2 == c {
		t.Fatalf("401st message: %+v", d)
	}
	if n, _ := h.idx.Count(context.Background(), c); n != DefaultMaxMessages {
		t.Fatalf("C has %d, want %d", n, DefaultMaxMessages)
	}
}

// §6.2 scenario 15 (F3:7978): comments do not count. They never pass the
// threader, so the index counts 399 and the next email joins.
func TestTHR_15_CommentsDoNotCount(t *testing.T) {
	h := newHarness(Options{})
	_, c := h.deliver(msg(sc, "m0", ""))
	for i := 1; i < DefaultMaxMessages-1; i++ {
		h.deliver(msg(sc, itoa(i), "m0"))
	}
	// 50 internal comments happen in the engine; nothing reaches the index.
	d, got := h.deliver(msg(sc, "m399", "m0"))
	if d.Action != Join || got != c {
		t.Fatalf("400th email: %+v", d)
	}
	if n, _ := h.idx.Count(context.Background(), c); n != DefaultMaxMessages {
		t.Fatalf("count = %d, want %d", n, DefaultMaxMessages)
	}
}

// §6.3 scenario 21 (F3:7937), the threading half: after C2 is merged into
// C1, replies to C2's messages land in C1 (Get(C2) returning ErrMerged is
// the engine's).
func TestTHR_21_RepliesFollowMergeRedirect(t *testing.T) {
	h := newHarness(Options{})
	_, c1 := h.deliver(msg(sc, "a@x", ""))
	_, c2 := h.deliver(msg(sc, "b@x", ""))
	if err := h.idx.PutMerge(context.Background(), c2, c1); err != nil {
		t.Fatal(err)
	}
	d, got := h.deliver(msg(sc, "r@y", "b@x"))
	if d.Action != Join || got != c1 {
		t.Fatalf("reply into merged conversation: %+v", d)
	}
	if d, _ := h.deliver(msg(sc, "b@x", "")); d.Action != Duplicate || d.Conversation != c1 {
		t.Fatalf("duplicate of merged message: %+v", d)
	}
}

// §6.4 scenario 31 (F3:1281): a group email to two members' personal
// accounts, with no shared address, gives two private conversations.
func TestTHR_31_GroupMailWithoutSharedAddressIsPrivatePerUser(t *testing.T) {
	in := RouteInput{To: []string{"team@groups.example"}, MailingList: "list team@groups.example; contact team+owners@groups.example"}
	if got := Route(in, nil); len(got) != 0 {
		t.Fatalf("routed to %v without shared addresses", got)
	}
	h := newHarness(Options{})
	_, c1 := h.deliver(msg(PersonalScope("org", "u1-gmail"), "g1@x", ""))
	d, c2 := h.deliver(msg(PersonalScope("org", "u2-gmail"), "g1@x", ""))
	if d.Action != New || c1 == c2 {
		t.Fatalf("second member's copy: %+v", d)
	}
}

// §6.4 scenario 32 (F3:1283): with the group as a shared address, both
// copies thread into one shared conversation (read state is the engine's).
func TestTHR_32_SharedAddressGivesOneConversation(t *testing.T) {
	in := RouteInput{To: []string{"team@groups.example"}, MailingList: "list team@groups.example"}
	if got := Route(in, []string{"Team@Groups.example"}); !slices.Equal(got, []string{"team@groups.example"}) {
		t.Fatalf("Route = %v", got)
	}
	h := newHarness(Options{})
	shared := SharedScope("org")
	_, c := h.deliver(msg(shared, "g1@x", ""))
	d, _ := h.deliver(msg(shared, "g1@x", ""))
	if d.Action != Duplicate || d.Conversation != c {
		t.Fatalf("second member's copy: %+v", d)
	}
}

// §6.4 scenario 33 (F3:6423-6425): shared addresses with empty audiences
// share mail among the co-recipients.
func TestTHR_33_CoRecipientSharing(t *testing.T) {
	shared := []string{"claire@acme.example", "hubert@acme.example"}
	both := Route(RouteInput{To: []string{"Claire@acme.example"}, Cc: []string{"hubert@acme.example"}}, shared)
	if !slices.Equal(both, shared) {
		t.Fatalf("to both: %v", both)
	}
	only := Route(RouteInput{To: []string{"claire@acme.example", "someone@else.example"}}, shared)
	if !slices.Equal(only, []string{"claire@acme.example"}) {
		t.Fatalf("to Claire only: %v", only)
	}
}

// §6.4 scenario 34 (F3:1293-1297): a group known only by its alias is not
// recognized; adding the primary address from Mailing-list fixes it.
func TestTHR_34_GroupRoutedByPrimaryAddress(t *testing.T) {
	in := RouteInput{
		To:          []string{"help@acme.example"},
		MailingList: "list grp-123@acme.example; contact grp-123+owners@acme.example",
		ListID:      "<grp-123.acme.example>",
	}
	if got := Route(in, []string{"help@acme.example"}); len(got) != 0 {
		t.Fatalf("alias-only configuration routed: %v", got)
	}
	got := Route(in, []string{"help@acme.example", "grp-123@acme.example"})
	if !slices.Equal(got, []string{"grp-123@acme.example"}) {
		t.Fatalf("with primary address: %v", got)
	}
	// List-Id alone identifies the group too.
	in.MailingList = ""
	if got := Route(in, []string{"grp-123@acme.example"}); len(got) != 1 {
		t.Fatalf("by List-Id: %v", got)
	}
}

// channelMsg is a non-email message threaded by its channel key.
func channelMsg(scope Scope, id, key string) Message {
	return Message{Scope: scope, ID: id, References: []string{key}}
}

// §6.7 scenario 70 (F3:3895): the SMS key is both numbers sorted and
// concatenated; a later outbound SMS joins the same conversation.
func TestTHR_70_SMSKeySortedNumbers(t *testing.T) {
	if got := SMSReference("+1555666777", "+1222333444"); got != "+1222333444+1555666777" {
		t.Fatalf("SMSReference = %q", got)
	}
	in, out := SMSKey("acc", "+1555666777", "+1222333444"), SMSKey("acc", "+1222333444", "+1 555-666-777")
	if in != out {
		t.Fatalf("inbound key %q != outbound key %q", in, out)
	}
	h := newHarness(Options{})
	s := SharedScope("org")
	_, c := h.deliver(channelMsg(s, "sms-1", in))
	d, got := h.deliver(channelMsg(s, "sms-2", out))
	if d.Action != Join || got != c || d.By != ByPending {
		t.Fatalf("outbound SMS: %+v", d)
	}
}

// §6.7 scenario 71 (F3:3905, F3:4035), the keying half: a draft to three
// numbers becomes three pair conversations (the 100-recipient limit is the
// engine's).
func TestTHR_71_SMSToSeveralRecipientsIsOnePairEach(t *testing.T) {
	keys := map[string]bool{}
	for _, to := range []string{"+15550001", "+15550002", "+15550003"} {
		keys[SMSKey("acc", "+1222333444", to)] = true
	}
	if len(keys) != 3 {
		t.Fatalf("%d distinct keys, want 3", len(keys))
	}
}

// §6.7 scenario 74 (F3:4434): two WhatsApp messages from one wa_id a day
// apart share one conversation (refusing to split is the engine's).
func TestTHR_74_WhatsAppOneConversationPerContact(t *testing.T) {
	h := newHarness(Options{})
	s := SharedScope("org")
	_, c := h.deliver(channelMsg(s, "wa-1", WhatsAppKey("acc", "15551234567")))
	d, got := h.deliver(channelMsg(s, "wa-2", WhatsAppKey("acc", "15551234567")))
	if d.Action != Join || got != c {
		t.Fatalf("second WhatsApp message: %+v", d)
	}
	if WhatsAppKey("acc", "15551234567") == WhatsAppKey("acc2", "15551234567") {
		t.Fatal("WhatsApp key ignores the account")
	}
}

// §6.7 scenarios 81 and 83 (F3:4721, F3:4843-4863): reactions, story
// replies, story mentions and reel shares from one customer are one DM
// conversation.
func TestTHR_81_83_InstagramEverythingInOneDMThread(t *testing.T) {
	h := newHarness(Options{})
	s := SharedScope("org")
	key := InstagramKey("ig-acc", "igsid-42")
	_, c := h.deliver(channelMsg(s, "dm", key))
	for _, id := range []string{"reaction", "story-reply", "story-mention", "reel-share"} {
		if d, got := h.deliver(channelMsg(s, id, key)); d.Action != Join || got != c {
			t.Fatalf("%s: %+v", id, d)
		}
	}
	if MessengerKey("p", "x") == InstagramKey("p", "x") {
		t.Fatal("Messenger and Instagram keys collide")
	}
}

// §6.7 scenario 84 (F3:5267), the keying half (A18): call logs with one
// counterpart number share a conversation.
func TestTHR_84_CallLogsPerCounterpart(t *testing.T) {
	if VoiceKey("acc", "+1 (555) 000-1111") != VoiceKey("acc", "+15550001111") {
		t.Fatal("voice key depends on number formatting")
	}
}

func itoa(i int) string { return "m" + strconv.Itoa(i) }
