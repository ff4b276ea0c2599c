package inbox

import (
	"strings"
	"testing"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// Routing addresses come out of any list headers without a panic: for
// list mail, the Mailing-list primary address and the addresses a List-Id
// can stand for (each with one '@', no space), and never the To
// addresses; for other mail, the recipients canonicalized.
func FuzzRecipientAddresses(f *testing.F) {
	for _, s := range [][3]string{
		{"list grp-123@example.com; contact grp-123+owners@example.com", "", "help@example.com"},
		{"", "Team <grp-123.example.com>", "help@example.com"},
		{"", "", " Help@Example.com "},
		{"list", "<.>", "x"},
		{"list @; contact <a@b>", "a..b.", ""},
		{"", "<a.b.c.d>", "\xff@x"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, mailingList, listID, to string) {
		m := &conversation.Message{MailingList: mailingList, ListID: listID, To: []conversation.Address{{Address: to}}}
		got := recipientAddresses(m)
		isList := threading.MailingListAddress(mailingList) != "" || threading.ListID(listID) != ""
		if !isList {
			if len(got) != 1 || got[0] != conversation.CanonicalAddress(to) {
				t.Fatalf("plain mail: %q, want the To address", got)
			}
			return
		}
		for _, a := range got {
			if id := threading.ListID(listID); a != threading.MailingListAddress(mailingList) && (strings.Count(a, "@") != 1 || strings.Replace(a, "@", ".", 1) != id) {
				t.Fatalf("list mail: %q is neither the primary address nor a reading of List-Id %q", a, id)
			}
		}
	})
}
