package inbox

import "github.com/inboxkit/inboxkit/conversation"

// coRecipient reports whether s is the sharing of a shared address with no
// auto-share recipients: mail to it alone stays private to its owner, mail
// to several such addresses is shared among their owners.
func coRecipient(s conversation.Sharing) bool {
	return s.Kind == conversation.SharedToInboxes && len(s.Users) == 0
}

// finishRoutes resolves co-recipient sharing and drops what a private
// copy must not grant, from the routes of a message received on acct:
//
//   - Addresses with no auto-share recipients (coRecipient): when the
//     message names the addresses of two or more owners, each owner gets
//     it shared, in their Inbox; when it names only
//     one owner's, it is private to that owner.
//   - With no shared route left, the copy is private to the receiving
//     account: other users' personal accounts it names receive their own
//     copies, in their own private conversations, and gain nothing
//     through this one.
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
