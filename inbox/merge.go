package inbox

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/triage"
)

// ErrMergeNotAllowed is returned when a merge is refused: a chat room, a
// guest, two organizations, or two conversations both at the message
// cap. It matches ErrInvalidArgument too.
var ErrMergeNotAllowed = fmt.Errorf("%w: merge not allowed", ErrInvalidArgument)

// MergeRefusal is the reason of a [MergeNotAllowedError].
type MergeRefusal string

// The reasons a merge is refused.
const (
	MergeRefusedRoom         MergeRefusal = "room"
	MergeRefusedGuest        MergeRefusal = "guest"
	MergeRefusedOrganization MergeRefusal = "organization"
	MergeRefusedSize         MergeRefusal = "size"
)

// MergeNotAllowedError is the error [Engine.Merge] returns when it
// refuses: errors.Is matches it with [ErrMergeNotAllowed] (and
// [ErrInvalidArgument]); errors.As gives the Reason.
type MergeNotAllowedError struct {
	Reason MergeRefusal
	// Detail explains the refusal with its source line.
	Detail string
}

// Error implements error.
func (e *MergeNotAllowedError) Error() string {
	return ErrMergeNotAllowed.Error() + ": " + string(e.Reason) + ": " + e.Detail
}

// Unwrap returns [ErrMergeNotAllowed].
func (e *MergeNotAllowedError) Unwrap() error { return ErrMergeNotAllowed }

// Is makes a refusal because of guests match [ErrMergeWithGuests].
func (e *MergeNotAllowedError) Is(target error) bool {
	return target == ErrMergeWithGuests && e.Reason == MergeRefusedGuest
}

// ErrCommentsNotMovable is returned when a comment is to be moved out of
// its conversation: only messages can. It matches ErrInvalidArgument
// too.
var ErrCommentsNotMovable = fmt.Errorf("%w: comments cannot be moved out of a conversation", ErrInvalidArgument)

// MergedError is what reading or changing a merged conversation returns:
// it no longer exists on its own, its content lives in Target. It
// matches ErrNotFound with errors.Is. Only an actor who could see the
// merged conversation and can get Target gets it; anyone else gets a
// plain ErrNotFound.
type MergedError struct {
	Conversation, Target conversation.ConversationID
}

// Error implements error.
func (e *MergedError) Error() string {
	return fmt.Sprintf("inboxkit: conversation %s was merged into %s", e.Conversation, e.Target)
}

// Is makes a MergedError match ErrNotFound.
func (e *MergedError) Is(target error) bool { return target == ErrNotFound }

// MergeOptions tune [Engine.Merge]. The zero value applies the merge
// subject rules (see mergeSubject).
type MergeOptions struct {
	// Subject, when set, becomes the merged conversation's custom
	// subject, as chosen in the merge dialog.
	Subject string
}

// Merge merges sources into target, in order, irreversibly (a batch merge
// of a selection merges into its first). The target receives every message
// and comment (combined chronologically), labels, assignees, access and
// the users' states; its subject follows the merge subject rules unless
// opts.Subject is set. Each source becomes a tombstone: reading it returns a
// [MergedError] naming the target, replies to its messages land in the
// target, and it is in no mailbox. A merge event is added to the target's
// timeline.
//
// Refused with [ErrMergeNotAllowed]: chat rooms, a guest actor,
// conversations of another organization, and two conversations that each
// hold the message cap, as a [MergeNotAllowedError] naming the reason; a
// conversation with guests or pending guest invitations
// ([ErrMergeWithGuests]). The actor must see every conversation.
func (e *Engine) Merge(ctx context.Context, actor Actor, target conversation.ConversationID, sources []conversation.ConversationID, opts MergeOptions) error {
	if len(sources) == 0 {
		return conversation.Errorf(ErrInvalidArgument, "no conversation to merge")
	}
	return e.update(ctx, actor, func(o *op) error {
		for _, src := range sources {
			if src == target {
				return conversation.Errorf(ErrInvalidArgument, "conversation %s cannot be merged into itself", src)
			}
			if err := o.checkMerge(target, src); err != nil {
				return err
			}
			if err := o.mergeThread(src, target); err != nil {
				return err
			}
		}
		if opts.Subject == "" {
			return o.flush()
		}
		if err := o.load(target); err != nil {
			return err
		}
		if o.conv.CustomSubject != opts.Subject {
			o.conv.CustomSubject = opts.Subject
			o.conv.CustomSubjectShared = o.conv.Shared()
			o.emit(conversation.Event{Type: conversation.EventSubjectChanged, Subject: opts.Subject})
		}
		return o.flush()
	})
}

// checkMerge authorizes merging src into dst for the actor.
func (o *op) checkMerge(dst, src conversation.ConversationID) error {
	if o.user != nil && o.user.Role == conversation.RoleGuest {
		return &MergeNotAllowedError{Reason: MergeRefusedGuest, Detail: "guests cannot merge"}
	}
	var convs [2]*conversation.Conversation
	for i, id := range []conversation.ConversationID{dst, src} {
		if err := o.flush(); err != nil {
			return err
		}
		if err := o.load(id); err != nil {
			return err
		}
		convs[i] = o.conv
	}
	d, s := convs[0], convs[1]
	switch {
	case d.Kind == conversation.Room || s.Kind == conversation.Room:
		return &MergeNotAllowedError{Reason: MergeRefusedRoom, Detail: "chat rooms cannot be merged"}
	case d.Org != s.Org:
		return &MergeNotAllowedError{Reason: MergeRefusedOrganization, Detail: "conversations of two organizations cannot be merged"}
	case d.Messages >= o.e.maxMessages && s.Messages >= o.e.maxMessages:
		return &MergeNotAllowedError{Reason: MergeRefusedSize, Detail: fmt.Sprintf("both conversations hold %d messages or more", o.e.maxMessages)}
	}
	for _, c := range convs {
		if err := o.refuseMergeWithGuests(c); err != nil {
			return err
		}
	}
	return o.flush()
}

// content is one message or comment of a conversation being merged.
type content struct {
	at  time.Time
	msg *conversation.Message
	cmt *conversation.Comment
	src bool   // from the source conversation
	seq uint64 // before the merge
}

// mergeThread merges conversation from into into (see Merge), without
// authorization: the caller checked it, or the threading index proved
// the two hold one thread. A chat room or another organization's
// conversation is left alone.
func (o *op) mergeThread(from, into conversation.ConversationID) error {
	if from == into {
		return nil
	}
	if err := o.flush(); err != nil {
		return err
	}
	src, err := o.tx.Conversation(o.ctx, from)
	if err != nil {
		return err
	}
	dst, err := o.tx.Conversation(o.ctx, into)
	if err != nil {
		return err
	}
	if src.Kind == conversation.Room || dst.Kind == conversation.Room || src.Org != dst.Org || !src.MergedInto.IsZero() {
		return nil
	}
	srcStates, err := o.tx.UserStates(o.ctx, from)
	if err != nil {
		return err
	}
	items, err := o.mergeContent(src, dst)
	if err != nil {
		return err
	}

	// The target takes the source's access, labels, assignees and states.
	if err := o.adopt(dst, false); err != nil {
		return err
	}
	c := o.conv
	dstStates := cloneStates(o.states)
	// Whether the target was shared decides the subject; it is read
	// before the target takes the source's access.
	dstShared := c.Shared()
	for _, u := range src.Users {
		conversation.AddSorted(&c.Users, u)
	}
	for _, t := range src.AccessTeams() {
		if t != c.Team {
			conversation.AddSorted(&c.Teams, t)
		}
	}
	for _, t := range src.MentionTeams {
		conversation.AddSorted(&c.MentionTeams, t)
	}
	for _, a := range src.Accounts {
		conversation.AddSorted(&c.Accounts, a)
	}
	if err := o.mergeLabelsAndTasks(src, c); err != nil {
		return err
	}
	for _, a := range src.Assignees {
		conversation.AddSorted(&c.Assignees, a)
		conversation.AddSorted(&c.Users, a)
	}
	c.HasSent = c.HasSent || src.HasSent
	c.Messages += src.Messages
	c.ThreadAudience = joinAudience(c.ThreadAudience, src.ThreadAudience)
	mergeSubject(c, src, dstShared, items)

	// Renumber the combined content chronologically.
	c.Seq, c.MessageSeq, c.CommentSeq = 0, 0, 0
	for _, it := range items {
		c.Seq++
		switch {
		case it.msg != nil:
			c.MessageSeq = c.Seq
			if it.msg.Seq != c.Seq || it.src {
				it.msg.Seq = c.Seq
				if err := o.tx.UpdateMessage(o.ctx, it.msg); err != nil {
					return err
				}
			}
		default:
			c.CommentSeq = c.Seq
			if it.cmt.Seq != c.Seq || it.src {
				it.cmt.Seq = c.Seq
				if err := o.tx.UpdateComment(o.ctx, it.cmt); err != nil {
					return err
				}
			}
		}
	}
	// A user has read the merged conversation up to the first item they
	// had not read where it came from.
	users := map[conversation.UserID]bool{}
	for u := range dstStates {
		users[u] = true
	}
	for u := range srcStates {
		users[u] = true
	}
	for u := range users {
		ds, ss := dstStates[u], srcStates[u]
		st := o.state(u)
		var read uint64
		for i, it := range items {
			from := ds
			if it.src {
				from = ss
			}
			if from == nil || it.seq > from.ReadSeq {
				break
			}
			read = uint64(i + 1)
		}
		st.ReadSeq = read
		if ss != nil {
			st.Starred = st.Starred || ss.Starred
			st.Pinned = st.Pinned || ss.Pinned
			st.Watching = st.Watching || ss.Watching
		}
	}
	o.apply(ptr(triage.Carry(srcStates)))
	o.emit(conversation.Event{Type: conversation.EventMerged, Related: []conversation.ConversationID{from}})
	o.touch(true)
	if err := o.flush(); err != nil {
		return err
	}

	// The source becomes a tombstone in no mailbox, with no snooze left.
	// It is adopted without the actor's access check: that was done before
	// the merge, and the source has just given its labels, with the
	// access they granted, to the target.
	user := o.user
	o.user = nil
	err = o.adopt(src, false)
	o.user = user
	if err != nil {
		return err
	}
	src.MergedInto = into
	src.Messages, src.Assignees, src.Labels = 0, nil, nil
	src.SnoozeForEveryone = nil
	for u, st := range o.states {
		if st.Snooze != nil {
			o.state(u).Snooze = nil
		}
	}
	o.touch(false)
	return o.flush()
}

// mergeContent moves src's messages and comments into dst and returns the
// content of both, sorted chronologically (ties: target first, then by
// former Seq).
func (o *op) mergeContent(src, dst *conversation.Conversation) ([]content, error) {
	var items []content
	for i, c := range []*conversation.Conversation{dst, src} {
		msgs, err := o.tx.Messages(o.ctx, c.ID)
		if err != nil {
			return nil, err
		}
		cmts, err := o.tx.Comments(o.ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			items = append(items, content{at: m.At, msg: m, src: i == 1, seq: m.Seq})
			if i == 1 {
				if err := o.tx.MoveMessage(o.ctx, m.ID, dst.ID); err != nil {
					return nil, err
				}
				m.Conversation = dst.ID
			}
		}
		for _, k := range cmts {
			items = append(items, content{at: k.At, cmt: k, src: i == 1, seq: k.Seq})
			if i == 1 {
				if err := o.tx.MoveComment(o.ctx, k.ID, dst.ID); err != nil {
					return nil, err
				}
				k.Conversation = dst.ID
			}
		}
	}
	slices.SortStableFunc(items, func(a, b content) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.src != b.src {
			if a.src {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.seq, b.seq)
	})
	return items, nil
}

// mergeSubject applies the merge subject rules to dst merging
// src: custom subjects win over email subjects; between two custom ones
// the shared conversation's wins over a private one's, else the
// target's; with none, the most recent email subject of both. dstShared
// is whether dst was shared before the merge.
func mergeSubject(dst, src *conversation.Conversation, dstShared bool, items []content) {
	switch {
	case dst.CustomSubject != "" && src.CustomSubject != "":
		if src.Shared() && !dstShared {
			dst.CustomSubject, dst.CustomSubjectShared = src.CustomSubject, src.CustomSubjectShared
		}
	case src.CustomSubject != "":
		dst.CustomSubject, dst.CustomSubjectShared = src.CustomSubject, src.CustomSubjectShared
	case dst.CustomSubject == "":
		var latest *conversation.Message
		for _, it := range items {
			if it.msg != nil && it.msg.Subject != "" && (latest == nil || !it.msg.At.Before(latest.At)) {
				latest = it.msg
			}
		}
		if latest != nil {
			dst.Subject = latest.Subject
		}
	}
}

// cloneStates returns a deep copy of states, so later edits of the
// operation's states do not show through.
func cloneStates(states map[conversation.UserID]*conversation.UserState) map[conversation.UserID]*conversation.UserState {
	out := make(map[conversation.UserID]*conversation.UserState, len(states))
	for u, st := range states {
		out[u] = st.Clone()
	}
	return out
}
