package guests

import (
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
)

// Conversation returns what a guest may receive of c: a copy without labels
// and without the fields that name other conversations or the organization's
// internals (merge and continuation links, the threading scope and
// audience, and the teams that hold it, which a guest does not learn
// exist). c is not changed.
func Conversation(c *conversation.Conversation) *conversation.Conversation {
	d := c.Clone()
	d.Labels = nil
	d.Team = conversation.TeamID{}
	d.Teams = nil
	d.MentionTeams = nil
	d.MergedInto = conversation.ConversationID{}
	d.ContinuationOf = conversation.ConversationID{}
	d.ContinuedIn = conversation.ConversationID{}
	d.Scope = ""
	d.ThreadAudience = ""
	return d
}

// Event returns what a guest may receive of a timeline event, and false
// when the event is withheld altogether. Events keep their type, actor
// and time; references to other conversations (linked copies, merged or
// forked conversations) are dropped.
func Event(e *conversation.Event) (*conversation.Event, bool) {
	d := e.Clone()
	d.Related = nil
	return d, true
}

// Message returns what a guest may receive of a message: the whole message
// with its attachments, without the transport references of other accounts'
// copies.
func Message(m *conversation.Message) *conversation.Message {
	d := m.Clone()
	d.Copies = nil
	d.Scope = ""
	return d
}

// CommentView returns what a guest may receive of a comment: its text as
// written, without the mentions of teams (a guest does not learn which
// teams exist; the mention's text stays in the body).
func CommentView(c *conversation.Comment) *conversation.Comment {
	d := c.Clone()
	d.Mentions = slices.DeleteFunc(d.Mentions, func(m conversation.Mention) bool { return !m.Team.IsZero() })
	return d
}
