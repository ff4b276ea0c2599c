package inbox

import (
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/threading"
)

// recipientAddresses returns the addresses a message is routed by,
// canonical, possibly repeated (F3:1281-1297):
//
//   - Mail that came through a group (a Mailing-list or List-Id header)
//     is routed by the group's identity only: the primary address the
//     Mailing-list header names, and the addresses a List-Id identifier
//     can stand for ("grp-123.example.com" for grp-123@example.com). The
//     alias the sender typed in To is ignored, which is the documented
//     behaviour of F3:1293: a group known only by an alias is not
//     recognized until its primary address is shared too (F3:1295).
//   - Other mail is routed by To, Cc, Bcc and Delivered-To.
func recipientAddresses(m *conversation.Message) []string {
	primary := threading.MailingListAddress(m.MailingList)
	listID := threading.ListID(m.ListID)
	if primary != "" || listID != "" {
		var out []string
		if primary != "" {
			out = append(out, primary)
		}
		for i := strings.IndexByte(listID, '.'); i >= 0; {
			out = append(out, listID[:i]+"@"+listID[i+1:])
			j := strings.IndexByte(listID[i+1:], '.')
			if j < 0 {
				break
			}
			i += 1 + j
		}
		return out
	}
	var out []string
	for _, list := range [][]conversation.Address{m.To, m.Cc, m.Bcc, m.DeliveredTo} {
		for _, a := range list {
			out = append(out, conversation.CanonicalAddress(a.Address))
		}
	}
	return out
}

// coRecipient reports whether s is the sharing of a shared address with
// no auto-share recipients (F3:6421-6425): mail to it alone stays private
// to its owner, mail to several such addresses is shared among their
// owners.
func coRecipient(s conversation.Sharing) bool {
	return s.Kind == conversation.SharedToInboxes && len(s.Users) == 0
}

// finishRoutes resolves co-recipient sharing and drops what a private
// copy must not grant, from the routes of a message received on acct:
//
//   - Addresses with no auto-share recipients (coRecipient): when the
//     message names the addresses of two or more owners, each owner gets
//     it shared, in their Inbox (F3:6425, F3:7246); when it names only
//     one owner's, it is private to that owner (F3:6423).
//   - With no shared route left, the copy is private to the receiving
//     account: other users' personal accounts it names receive their own
//     copies, in their own private conversations, and gain nothing
//     through this one (F3:7226, F3:1281).
func finishRoutes(acct *conversation.Account, routes []route) []route {
	owners := map[conversation.UserID]bool{}
	for _, r := range routes {
		if coRecipient(r.sharing) {
			owners[r.acct.Owner] = true
		}
	}
	shared := false
	for i, r := range routes {
		if coRecipient(r.sharing) {
			if len(owners) < 2 {
				routes[i].sharing = conversation.Sharing{}
			} else {
				routes[i].sharing = conversation.Sharing{Kind: conversation.SharedToInboxes,
					Users: map[conversation.UserID]conversation.InboxDelivery{r.acct.Owner: conversation.ToInbox}}
			}
		}
		shared = shared || routes[i].sharing.Kind != conversation.NotShared
	}
	if shared {
		return routes
	}
	out := routes[:0]
	for _, r := range routes {
		if r.acct.ID == acct.ID {
			out = append(out, r)
		}
	}
	return out
}
