package inbox_test

import (
	"fmt"
	"maps"
	"slices"

	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// The visibility model's rule for references to other conversations
// (issue 10 point 6): for every reader and every conversation they get,
// every conversation ID the view names (timeline events, continuation
// and merge links) is one the reader can get too. Split makes the
// references the model can reach: a fork event on both sides, naming a
// private conversation on the original.

// checkRefs fails if the view u got of c names a conversation u cannot
// see.
func (m *visModel) checkRefs(t *rapid.T, u string, c *mConv, v *inbox.View) {
	refs := []conversation.ConversationID{v.Conversation.ContinuationOf, v.Conversation.ContinuedIn, v.Conversation.MergedInto}
	for _, ev := range v.Events {
		refs = append(refs, ev.Related...)
	}
	for _, id := range refs {
		if id.IsZero() {
			continue
		}
		rc := m.convByID(id)
		if rc == nil {
			t.Fatalf("Get(%s, %s) names conversation %s, which the model does not know", u, c, id)
		}
		if !m.access(u, rc) {
			t.Fatalf("Get(%s, %s) names %s, which %s cannot see\n%s", u, c, rc, u, m.describe(rc))
		}
	}
}

// messageID finds the ID of c's message with header hdr through someone
// who can see c.
func (m *visModel) messageID(t *rapid.T, c *mConv, hdr string) (conversation.MessageID, bool) {
	for _, u := range m.audience(c) {
		v, err := m.e.Get(m.ctx, inbox.AsUser(m.users[u].id), c.id)
		if err != nil {
			t.Fatalf("Get(%s, %s): %v", u, c, err)
		}
		for _, msg := range v.Messages {
			if msg.HeaderID == hdr {
				return msg.ID, true
			}
		}
		t.Fatalf("%s has no message %s", c, hdr)
	}
	return conversation.MessageID{}, false
}

// split moves one of c's messages, not its latest, into a new
// conversation: private to the actor, or shared as c is (F3:7947; spec
// OP "split": the new one has c's team, teams, users and accounts, out
// of the team inbox). The new conversation gets no replies in the model
// (they would exercise threading, not visibility).
func (m *visModel) split(t *rapid.T) {
	actor, c := m.drawOpOn(t, func(c *mConv) bool { return len(c.headers) > 1 && !c.deleted })
	if len(c.headers) < 2 {
		t.Skip("nothing to split")
	}
	if len(m.convs) >= maxModelConvs {
		t.Skip("enough conversations")
	}
	i := rapid.IntRange(0, len(c.headers)-2).Draw(t, "message")
	shared := rapid.Bool().Draw(t, "shared")
	msg, ok := m.messageID(t, c, c.headers[i])
	if !ok {
		t.Skip("nobody sees it")
	}
	wantErr := m.accessErr(actor, c)
	id, err := m.e.Split(m.ctx, inbox.AsUser(m.users[actor].id), c.id, msg, inbox.SplitOptions{Shared: shared})
	if !m.expect(t, fmt.Sprintf("%s: Split(%s, message %d, shared=%v)", actor, c, i, shared), wantErr, err) {
		return
	}
	c.headers = slices.Delete(c.headers, i, i+1)
	nc := &mConv{n: len(m.convs), id: id, org: c.org, delivery: c.delivery,
		users: map[string]bool{actor: true}, teams: map[string]bool{}, kept: map[string]bool{},
		accounts:  map[string]bool{m.deliveries[c.delivery].acct: true},
		assignees: map[string]bool{}, states: map[string]*mState{}, labels: map[string]bool{}}
	if shared {
		nc.team = c.team
		maps.Copy(nc.users, c.users)
		maps.Copy(nc.teams, c.teams)
		maps.Copy(nc.kept, c.kept)
		nc.mentionTeams = maps.Clone(c.mentionTeams)
		maps.Copy(nc.accounts, c.accounts)
	}
	s := nc.st(actor)
	s.inInbox, s.watching, s.read = true, true, true
	m.convs = append(m.convs, nc)
	t.Logf("  new conversation %s", nc)
}
