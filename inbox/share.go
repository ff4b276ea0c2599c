package inbox

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/guests"
	"github.com/inboxkit/inboxkit/triage"
)

// People are users and teams to share a conversation with.
type People struct {
	Users []conversation.UserID
	Teams []conversation.TeamID
	// ShowInInbox puts the conversation in their Inboxes; off gives them
	// archived access only.
	ShowInInbox bool
}

// AddPeople shares a conversation with users and teams (the "Add people"
// menu). Added users and the members of added teams gain access and, with
// ShowInInbox, find it in their Inbox and are notified.
func (e *Engine) AddPeople(ctx context.Context, actor Actor, id conversation.ConversationID, p People) error {
	if len(p.Users) == 0 && len(p.Teams) == 0 {
		return conversation.Errorf(ErrInvalidArgument, "nobody to add")
	}
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		c := o.conv
		ev := conversation.Event{Type: conversation.EventShared}
		var reached []conversation.UserID
		for _, u := range p.Users {
			if err := o.checkMember(c.Org, u); err != nil {
				return err
			}
			if conversation.AddSorted(&c.Users, u) {
				ev.Users = append(ev.Users, u)
			}
			reached = append(reached, u)
			o.restore(u)
		}
		for _, tid := range p.Teams {
			t, err := o.team(tid)
			if err != nil {
				return err
			}
			if conversation.AddSorted(&c.Teams, t.ID) {
				ev.Teams = append(ev.Teams, t.ID)
			}
			for _, m := range t.Members {
				reached = append(reached, m.User)
				o.restore(m.User)
			}
		}
		o.decide(func(f triage.Facts) triage.Outcome { return triage.Share(f, reached, p.ShowInInbox) })
		if len(ev.Users)+len(ev.Teams) > 0 {
			o.emit(ev)
		}
		o.touch(false)
		return nil
	})
}

// restore lifts u's own "delete forever" or trash of the conversation:
// being shared with again, mentioned or assigned is an explicit grant,
// and those only ever removed u's own access.
func (o *op) restore(u conversation.UserID) {
	if st := o.peek(u); st != nil && (st.Removed || st.Trashed) {
		st = o.state(u)
		st.Removed, st.Trashed = false, false
	}
}

// NewComment is an internal comment to post.
type NewComment struct {
	// Body is the text. Each "@handle" naming a user or team of the
	// organization, and "@all", is a mention; other "@words" are text.
	Body string
	// Mentions adds mentions a UI resolved itself.
	Mentions    []conversation.Mention
	Attachments []conversation.Attachment
}

// Comment posts an internal comment. The author starts watching and has read
// it. Each mentioned user gains access and finds the conversation in their
// Inbox, even if they archived or unwatched it; @team reaches the team's
// active members, or observers too by the team's mention option: on a
// private conversation it shares it with the team as such, so that members
// the mention would reach see it, later ones too, and on a shared one it
// adds today's members; @all reaches everyone who already has access.
// Watchers get it back in their Inbox; an unassigned team-inbox conversation
// notifies the team's active members.
//
// A comment over Config.Limits (body size, task lines, distinct mentions, or
// subtasks its task lines would add to the conversation) is refused with
// ErrLimitReached and nothing of it is stored.
func (e *Engine) Comment(ctx context.Context, actor Actor, id conversation.ConversationID, nc NewComment) (conversation.CommentID, error) {
	if n, max := len(nc.Body), e.limits.MaxCommentSize; n > max {
		return conversation.CommentID{}, limitError("comment too long", int64(n), int64(max), "bytes")
	}
	if strings.TrimSpace(nc.Body) == "" && len(nc.Attachments) == 0 {
		return conversation.CommentID{}, conversation.Errorf(ErrInvalidArgument, "empty comment")
	}
	var cid conversation.CommentID
	err := e.update(ctx, actor, func(o *op) error {
		u, err := o.loadAsReader(id, guests.Comment)
		if err != nil {
			return err
		}
		if len(nc.Attachments) > 0 {
			if err := guests.CheckRole(u.Role, guests.CommentAttachments); err != nil {
				return err
			}
		}
		c := o.conv
		mentions, err := o.resolveMentions(nc)
		if err != nil {
			return err
		}
		private := !c.Shared()
		c.Seq++
		cm := &conversation.Comment{ID: conversation.CommentID(o.e.newID()), Conversation: c.ID, Author: u.ID,
			Body: nc.Body, Mentions: mentions, Attachments: slices.Clone(nc.Attachments), At: o.now, Seq: c.Seq}
		c.CommentSeq = c.Seq
		cid = cm.ID
		if err := o.tx.AddComment(o.ctx, cm); err != nil {
			return err
		}
		o.emit(conversation.Event{Type: conversation.EventCommentAdded, Comment: cm.ID})
		if err := o.tasksFromComment(cm); err != nil {
			return err
		}
		o.touch(true)
		st := o.state(u.ID)
		st.Watching = true
		st.ReadSeq = c.Seq

		shared := conversation.Event{Type: conversation.EventShared}
		for _, m := range mentions {
			switch {
			case !m.User.IsZero():
				// A guest mentioned is notified but keeps guest access only.
				if !c.IsGuest(m.User) && conversation.AddSorted(&c.Users, m.User) {
					shared.Users = append(shared.Users, m.User)
				}
				o.mention(m.User)
			case !m.Team.IsZero():
				t, err := o.team(m.Team)
				if err != nil {
					return err
				}
				// "Add only active members to the conversation" (the
				// default) or active members and observers. A private
				// conversation is shared with the team as such: whoever
				// the team's mention reaches sees it, later members too
				// (issue 10 point 11). A shared one gets today's members.
				if private {
					if conversation.AddSorted(&c.MentionTeams, t.ID) {
						shared.Teams = append(shared.Teams, t.ID)
						o.teams[t.ID] = t
					}
				}
				for _, mb := range t.Members {
					if t.MentionReaches(mb.Kind) {
						if !private && conversation.AddSorted(&c.Users, mb.User) {
							shared.Users = append(shared.Users, mb.User)
						}
						o.mention(mb.User)
					}
				}
			case m.All:
				for _, au := range conversation.Audience(c, o.states, o.teams) {
					if !c.IsGuest(au) { // @all excludes guests
						o.mention(au)
					}
				}
			}
		}
		if len(shared.Users)+len(shared.Teams) > 0 {
			o.emit(shared)
		}
		o.decide(triage.Comment)
		return nil
	})
	return cid, err
}

// mention brings the conversation to u's Inbox and notifies them.
func (o *op) mention(u conversation.UserID) {
	if u == o.actor.user {
		return
	}
	o.restore(u)
	o.decide(func(f triage.Facts) triage.Outcome { return triage.Mention(f, u) })
}

// resolveMentions parses "@handle" tokens of the body and validates
// explicit mentions, all within the conversation's organization.
func (o *op) resolveMentions(nc NewComment) ([]conversation.Mention, error) {
	org := o.conv.Org
	author := o.user
	guestAuthor := author != nil && author.Role == conversation.RoleGuest
	// Each distinct handle is looked up once; there may be at most
	// Limits.MaxMentions of them and explicit mentions together.
	handles := mentionHandles(nc.Body)
	seen := make(map[string]bool, len(handles))
	handles = slices.DeleteFunc(handles, func(h string) bool {
		k := strings.ToLower(h)
		dup := seen[k]
		seen[k] = true
		return dup
	})
	if n, max := len(handles)+len(nc.Mentions), o.e.limits.MaxMentions; n > max {
		return nil, limitError("too many mentions in the comment", int64(n), int64(max), "mentions")
	}
	var out []conversation.Mention
	add := func(m conversation.Mention) {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	for _, h := range handles {
		// A guest's group mentions and mentions of people not present
		// stay plain text; a guest not present is no one to mention
		// either.
		if isMentionAll(h) {
			if !guestAuthor {
				add(conversation.Mention{All: true})
			}
			continue
		}
		if u, err := o.tx.UserByHandle(o.ctx, org, h); err == nil {
			if o.guestMentionable(author, u) {
				add(conversation.Mention{User: u.ID})
			}
			continue
		} else if !isNotFound(err) {
			return nil, err
		}
		if guestAuthor {
			continue
		}
		if t, err := o.tx.TeamByHandle(o.ctx, org, h); err == nil {
			add(conversation.Mention{Team: t.ID})
		} else if !isNotFound(err) {
			return nil, err
		}
	}
	for _, m := range nc.Mentions {
		n := 0
		if !m.User.IsZero() {
			n++
			if err := o.checkMentionable(author, m.User); err != nil {
				return nil, err
			}
		}
		if guestAuthor && (!m.Team.IsZero() || m.All) {
			return nil, guests.Check(guests.MentionGroup)
		}
		if !m.Team.IsZero() {
			n++
			if _, err := o.team(m.Team); err != nil {
				return nil, err
			}
		}
		if m.All {
			n++
		}
		if n != 1 {
			return nil, conversation.Errorf(ErrInvalidArgument, "a mention names exactly one user, team or all")
		}
		add(m)
	}
	return out, nil
}

// mentionHandles returns the handles of "@handle" tokens in text: an '@'
// at the start or after a character that cannot end a handle or an email
// local part, followed by handle characters.
func mentionHandles(text string) []string {
	var out []string
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '@')
		if j < 0 {
			break
		}
		at := i + j
		i = at + 1
		if at > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:at])
			if isHandleRune(prev) || prev == '@' {
				continue
			}
		}
		end := i
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if !isHandleRune(r) {
				break
			}
			end += size
		}
		h := strings.TrimRight(text[i:end], ".-")
		if h != "" {
			out = append(out, h)
		}
		i = end
	}
	return out
}

// isHandleRune reports whether r may appear in a handle.
func isHandleRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' || r == '-'
}

// SetSubject renames a conversation: a custom internal subject, never
// sent externally. An empty subject removes it; one longer than
// Limits.MaxSubjectSize is ErrLimitReached.
func (e *Engine) SetSubject(ctx context.Context, actor Actor, id conversation.ConversationID, subject string) error {
	subject = strings.TrimSpace(subject)
	if n, max := len(subject), e.limits.MaxSubjectSize; n > max {
		return limitError("subject too long", int64(n), int64(max), "bytes")
	}
	return e.update(ctx, actor, func(o *op) error {
		if _, err := o.loadAs(id); err != nil {
			return err
		}
		c := o.conv
		if c.CustomSubject == subject {
			return nil
		}
		c.CustomSubject = subject
		c.CustomSubjectShared = c.Shared()
		o.emit(conversation.Event{Type: conversation.EventSubjectChanged, Subject: subject})
		return nil
	})
}
