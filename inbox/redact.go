package inbox

import (
	"context"
	"errors"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// stripRefs is where a reader's view loses every reference to another
// conversation the reader may not be told about: an ID a reader gets
// not-found on appears nowhere in what they receive (issue 10 point 6).
// The references are the Related conversations of timeline events
// (linked copies and continuations, merged and forked conversations) and
// the conversation's continuation and merge links. A reference stays when
// the reader can read that conversation, or could before it was merged
// away (a [MergedError] is their redirect). Events keep their type,
// actor and time: the note that a message was duplicated, moved out or
// merged stays, without the link. v is changed in place; the stored
// values it holds are replaced, never written through.
//
// Guests never get here with references: redactFor already drops them
// all. Notifications name only the conversation they are about, and the
// event subscribers are the host's, not a reader's.
func stripRefs(ctx context.Context, tx storage.ReadTx, u *conversation.User, v *View) error {
	named := knownTo(ctx, tx, u)
	if c := v.Conversation; c != nil {
		links := [...]conversation.ConversationID{c.ContinuationOf, c.ContinuedIn, c.MergedInto}
		var keep [len(links)]bool
		hidden := false
		for i, id := range links {
			ok, err := named(id)
			if err != nil {
				return err
			}
			keep[i] = ok || id.IsZero()
			hidden = hidden || !keep[i]
		}
		if hidden {
			d := c.Clone()
			for i, p := range []*conversation.ConversationID{&d.ContinuationOf, &d.ContinuedIn, &d.MergedInto} {
				if !keep[i] {
					*p = conversation.ConversationID{}
				}
			}
			v.Conversation = d
		}
	}
	for i, ev := range v.Events {
		var kept []conversation.ConversationID
		hidden := false
		for _, id := range ev.Related {
			ok, err := named(id)
			if err != nil {
				return err
			}
			if ok {
				kept = append(kept, id)
			} else {
				hidden = true
			}
		}
		if hidden {
			d := ev.Clone()
			d.Related = kept
			v.Events[i] = d
		}
	}
	return nil
}

// knownTo returns whether u may be told about conversation id (see
// stripRefs), remembering the answers.
func knownTo(ctx context.Context, tx storage.ReadTx, u *conversation.User) func(conversation.ConversationID) (bool, error) {
	seen := map[conversation.ConversationID]bool{}
	return func(id conversation.ConversationID) (bool, error) {
		if id.IsZero() {
			return false, nil
		}
		if ok, done := seen[id]; done {
			return ok, nil
		}
		_, _, err := readable(ctx, tx, u, id)
		var merged *MergedError
		ok := err == nil || errors.As(err, &merged)
		if !ok && !isNotFound(err) {
			return false, err
		}
		seen[id] = ok
		return ok, nil
	}
}

// mergedInto is what reading or changing merged-away conversation id
// (which u may see) answers: a [MergedError] naming target when u may be
// told about target (see knownTo; a nil u is the system), a plain
// not-found otherwise, as for any conversation u cannot get.
func mergedInto(ctx context.Context, tx storage.ReadTx, u *conversation.User, id, target conversation.ConversationID) error {
	if u != nil {
		ok, err := knownTo(ctx, tx, u)(target)
		if err != nil {
			return err
		}
		if !ok {
			return conversation.Errorf(ErrNotFound, "conversation %s", id)
		}
	}
	return &MergedError{Conversation: id, Target: target}
}
