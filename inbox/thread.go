package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/mail"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/threading"
)

// threadIndex is the store's threading index seen as a threading.Index,
// inside one transaction. Merges and continuations are not written
// through it: the engine records them on the conversations themselves
// (MergedInto, ContinuedIn), where the index reads them back.
type threadIndex struct{ tx storage.Tx }

var (
	_ threading.Index[conversation.ConversationID]         = threadIndex{}
	_ threading.SubjectIndex[conversation.ConversationID]  = threadIndex{}
	_ threading.AudienceIndex[conversation.ConversationID] = threadIndex{}
)

// Lookup implements threading.Index.
func (x threadIndex) Lookup(ctx context.Context, scope threading.Scope, id string) (threading.Entry[conversation.ConversationID], error) {
	e, err := x.tx.ThreadEntry(ctx, string(scope), id)
	return threading.Entry[conversation.ConversationID]{Known: e.Known, Conversation: e.Conversation, Waiting: e.Waiting}, err
}

// conv returns conversation c, or nil if it no longer exists.
func (x threadIndex) conv(ctx context.Context, c conversation.ConversationID) (*conversation.Conversation, error) {
	conv, err := x.tx.Conversation(ctx, c)
	if isNotFound(err) {
		return nil, nil
	}
	return conv, err
}

// MergedInto implements threading.Index.
func (x threadIndex) MergedInto(ctx context.Context, c conversation.ConversationID) (conversation.ConversationID, bool, error) {
	conv, err := x.conv(ctx, c)
	if conv == nil || err != nil {
		return conversation.ConversationID{}, false, err
	}
	return conv.MergedInto, !conv.MergedInto.IsZero(), nil
}

// ContinuedIn implements threading.Index.
func (x threadIndex) ContinuedIn(ctx context.Context, c conversation.ConversationID) (conversation.ConversationID, bool, error) {
	conv, err := x.conv(ctx, c)
	if conv == nil || err != nil {
		return conversation.ConversationID{}, false, err
	}
	return conv.ContinuedIn, !conv.ContinuedIn.IsZero(), nil
}

// Count implements threading.Index: the countable messages.
func (x threadIndex) Count(ctx context.Context, c conversation.ConversationID) (int, error) {
	conv, err := x.conv(ctx, c)
	if conv == nil || err != nil {
		return 0, err
	}
	return conv.Messages, nil
}

// PutMessage implements threading.Index.
func (x threadIndex) PutMessage(ctx context.Context, scope threading.Scope, id string, c conversation.ConversationID) error {
	return x.tx.PutThreadMessage(ctx, string(scope), id, c)
}

// AddWaiting implements threading.Index.
func (x threadIndex) AddWaiting(ctx context.Context, scope threading.Scope, id string, c conversation.ConversationID) error {
	return x.tx.AddThreadWaiting(ctx, string(scope), id, c)
}

// PutMerge implements threading.Index; see threadIndex.
func (threadIndex) PutMerge(context.Context, conversation.ConversationID, conversation.ConversationID) error {
	return nil
}

// PutContinuation implements threading.Index; see threadIndex.
func (threadIndex) PutContinuation(context.Context, conversation.ConversationID, conversation.ConversationID) error {
	return nil
}

// Audience implements threading.AudienceIndex: the conversation's
// ThreadAudience, when it is a single one.
func (x threadIndex) Audience(ctx context.Context, c conversation.ConversationID) (string, bool, error) {
	conv, err := x.conv(ctx, c)
	if conv == nil || err != nil {
		return "", false, err
	}
	a := conv.ThreadAudience
	return a, a != "" && a != mixedAudience, nil
}

// PutAudience implements threading.AudienceIndex; like merges, the engine
// records audiences on the conversations themselves (joinAudience).
func (threadIndex) PutAudience(context.Context, conversation.ConversationID, string) error {
	return nil
}

// mixedAudience is the ThreadAudience of a conversation holding messages
// that arrived with different audiences: no audienceKey equals it.
const mixedAudience = "mixed"

// joinAudience returns the ThreadAudience of a conversation of audience
// a that takes messages of audience b (a message, or a merged
// conversation): a itself only when b is the same.
func joinAudience(a, b string) string {
	if a == b && a != "" {
		return a
	}
	return mixedAudience
}

// audienceKey is the audience of a message arriving by routes, as
// threading.Message.Audience and Conversation.ThreadAudience hold it: who
// the routes let see it (applyRoutes: account owners and delegates,
// Inbox-mode users, teams), hashed into an opaque key.
func audienceKey(routes []route) string {
	var users []conversation.UserID
	var teams []conversation.TeamID
	for _, r := range routes {
		conversation.AddSorted(&users, r.acct.Owner)
		for _, d := range r.acct.Delegates {
			conversation.AddSorted(&users, d)
		}
		switch r.sharing.Kind {
		case conversation.SharedToInboxes:
			for u := range r.sharing.Users {
				conversation.AddSorted(&users, u)
			}
		case conversation.SharedToTeamInbox:
			conversation.AddSorted(&teams, r.sharing.Team)
		}
	}
	h := sha256.New()
	for _, u := range users {
		h.Write([]byte("u" + u.String() + "\n"))
	}
	for _, t := range teams {
		h.Write([]byte("t" + t.String() + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// LastBySubject implements threading.SubjectIndex.
func (x threadIndex) LastBySubject(ctx context.Context, scope threading.Scope, key string) (conversation.ConversationID, time.Time, bool, error) {
	return x.tx.LastBySubject(ctx, string(scope), key)
}

// PutSubject implements threading.SubjectIndex.
func (x threadIndex) PutSubject(ctx context.Context, scope threading.Scope, key string, c conversation.ConversationID, at time.Time) error {
	return x.tx.PutThreadSubject(ctx, string(scope), key, c, at)
}

// threader returns a Threader over the operation's transaction.
func (o *op) threader() (*threading.Threader[conversation.ConversationID], error) {
	return threading.NewThreader[conversation.ConversationID](threadIndex{o.tx}, o.e.threadOpts)
}

// threadMessage is what the Threader needs of m, filed in scope. A
// message without Message-ID gets a synthesized id, used for
// de-duplication only: it is stored in HeaderID with the
// threading.SyntheticPrefix, which composition never emits.
func threadMessage(scope threading.Scope, m *conversation.Message) threading.Message {
	if m.HeaderID == "" {
		m.HeaderID = mail.SynthesizeID(m)
	}
	return threading.Message{Scope: scope, ID: m.HeaderID, InReplyTo: m.InReplyTo, References: m.References, Subject: m.Subject, Date: m.At}
}

// accountScope is the threading scope of mail an account receives or
// sends through sharing sh: per team in duplicate-per-team mode, the
// organization's shared scope for other shared mail (and every team in
// single-conversation mode), the account's own for personal mail and
// for an address with no auto-share recipients (coRecipient), whose mail
// is private unless it names a co-recipient (finishRoutes).
func accountScope(org *conversation.Org, acct *conversation.Account, sh conversation.Sharing) threading.Scope {
	switch {
	case sh.Kind == conversation.SharedToTeamInbox && org.MultiTeamMode != conversation.SingleConversation:
		return threading.TeamScope(org.ID.String(), sh.Team.String())
	case sh.Kind != conversation.NotShared && !coRecipient(sh):
		return threading.SharedScope(org.ID.String())
	}
	return threading.PersonalScope(org.ID.String(), acct.ID.String())
}

// sendingScope is the threading scope an outgoing message m of acct is
// filed (and, for sync, looked up) in: the account's own (accountScope),
// except for an address with no auto-share recipients whose message names
// another co-recipient (finishRoutes): that mail is shared, in the
// organization's shared scope, where its replies to both arrive.
func (o *op) sendingScope(org *conversation.Org, acct *conversation.Account, m *conversation.Message) (threading.Scope, error) {
	if !coRecipient(acct.Sharing) {
		return accountScope(org, acct, acct.Sharing), nil
	}
	routes, err := o.routes(acct, m)
	if err != nil {
		return "", err
	}
	for _, r := range routes {
		if r.sharing.Kind != conversation.NotShared {
			return threading.SharedScope(org.ID.String()), nil
		}
	}
	return accountScope(org, acct, acct.Sharing), nil
}
