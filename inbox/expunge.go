package inbox

import "github.com/inboxkit/inboxkit/conversation"

// requestExpunge emits an [conversation.EventExpungeRequested] for every
// server copy, on an account owner owns, of the operation's conversation's
// messages: the account owner's "delete forever" deletes the email on the
// server. A message the server never reported (no Ref: recorded by inboxkit
// and not synced back yet) has no copy to name. Copies on other users'
// accounts are left alone.
func (o *op) requestExpunge(owner conversation.UserID) error {
	owned := map[conversation.AccountID]bool{}
	owns := func(id conversation.AccountID) (bool, error) {
		if ok, seen := owned[id]; seen {
			return ok, nil
		}
		a, err := o.tx.Account(o.ctx, id)
		if isNotFound(err) {
			owned[id] = false
			return false, nil
		}
		if err != nil {
			return false, err
		}
		owned[id] = a.Owner == owner
		return owned[id], nil
	}
	msgs, err := o.tx.Messages(o.ctx, o.conv.ID)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		copies := append([]conversation.Copy{{Account: m.Account, Ref: m.Ref}}, m.Copies...)
		for _, cp := range copies {
			if cp.Ref == "" || cp.Account.IsZero() {
				continue
			}
			ok, err := owns(cp.Account)
			if err != nil {
				return err
			}
			if ok {
				o.emit(conversation.Event{Type: conversation.EventExpungeRequested, Message: m.ID, Account: cp.Account, Ref: cp.Ref})
			}
		}
	}
	return nil
}
