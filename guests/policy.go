package guests

import (
	"fmt"

	"github.com/inboxkit/inboxkit/conversation"
)

// ErrGuestForbidden is returned when a guest attempts something guests
// may not do. It wraps [conversation.ErrForbidden].
var ErrGuestForbidden = fmt.Errorf("%w: not allowed for guests", conversation.ErrForbidden)

// ErrInvitationsDisabled is returned for an invitation in an organization
// whose policy is [conversation.GuestsDisabled]. It wraps
// [conversation.ErrForbidden].
var ErrInvitationsDisabled = fmt.Errorf("%w: guest invitations are disabled in this organization", conversation.ErrForbidden)

// Action is something a user may attempt inside a conversation; [Can]
// says whether a guest may.
type Action uint8

// The actions guest rules decide. Allowed to guests: ReadConversation,
// ReadTasks, DownloadAttachments, Comment, CommentAttachments,
// MentionPresent and the personal-state actions. Everything else is
// refused.
const (
	// ReadConversation: read messages, comments and the timeline of an
	// invited conversation, including everything before the invitation.
	ReadConversation Action = iota + 1
	// ReadTasks: see the conversation's tasks, description and status,
	// read-only.
	ReadTasks
	// DownloadAttachments of messages and comments.
	DownloadAttachments
	// Comment: post an internal chat message.
	Comment
	// CommentAttachments: attach files to a comment.
	CommentAttachments
	// MentionPresent: @mention a user already present in the conversation.
	MentionPresent
	// PersonalState: mark read or unread, star, pin, watch, silence the
	// conversation for oneself, archive it from one's own Inbox.
	PersonalState

	// MentionAbsent: @mention someone not present.
	MentionAbsent
	// MentionGroup: @team or @all.
	MentionGroup
	// ReplyExternally: send an email, SMS, WhatsApp or any channel message.
	ReplyExternally
	// CreateConversation.
	CreateConversation
	// ChangeSettings: subject, sharing, team, close, archive or trash for
	// everyone, snooze for everyone ("Manage conversation settings").
	ChangeSettings
	// BeAssigned to a conversation.
	BeAssigned
	// BeAssignedTask.
	BeAssignedTask
	// CreateTask.
	CreateTask
	// EditTask: description, due date, assignees.
	EditTask
	// CloseTask and ReopenTask.
	CloseTask
	ReopenTask
	// SeeLabels on any conversation, "even if they are participants".
	SeeLabels
	// ChangeLabels: apply or remove a label.
	ChangeLabels
	// ManageLabels: create, edit or delete a label, personal or
	// organization-wide.
	ManageLabels
	// UseCannedResponses: guests have no composer for external replies.
	UseCannedResponses
	// SeeContacts.
	SeeContacts
	// Merge conversations.
	Merge
	// JoinTeam: be a member or observer of any team.
	JoinTeam
	// JoinRoom: be in a team or organization chat room.
	JoinRoom
	// InviteGuests: guests never invite.
	InviteGuests
	// ManageGuests: list and revoke guests.
	ManageGuests
	// SeeOtherConversations: any conversation without a live grant.
	SeeOtherConversations

	lastAction = SeeOtherConversations
)

var actionNames = [...]string{
	ReadConversation:      "read the conversation",
	ReadTasks:             "read tasks",
	DownloadAttachments:   "download attachments",
	Comment:               "comment",
	CommentAttachments:    "attach files to a comment",
	MentionPresent:        "mention a user present in the conversation",
	PersonalState:         "change their own state of the conversation",
	MentionAbsent:         "mention someone not present in the conversation",
	MentionGroup:          "mention a team or everyone",
	ReplyExternally:       "reply externally",
	CreateConversation:    "create conversations",
	ChangeSettings:        "change conversation settings",
	BeAssigned:            "be assigned a conversation",
	BeAssignedTask:        "be assigned a task",
	CreateTask:            "create tasks",
	EditTask:              "edit tasks",
	CloseTask:             "close tasks",
	ReopenTask:            "reopen tasks",
	SeeLabels:             "see labels",
	ChangeLabels:          "apply or remove labels",
	ManageLabels:          "create, edit or delete labels",
	UseCannedResponses:    "use canned responses",
	SeeContacts:           "see contacts",
	Merge:                 "merge conversations",
	JoinTeam:              "join teams",
	JoinRoom:              "join chat rooms",
	InviteGuests:          "invite guests",
	ManageGuests:          "manage guests",
	SeeOtherConversations: "see conversations they were not invited to",
}

// String describes the action in words.
func (a Action) String() string {
	if int(a) < len(actionNames) && actionNames[a] != "" {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// Actions returns every action, in order.
func Actions() []Action {
	out := make([]Action, 0, lastAction)
	for a := ReadConversation; a <= lastAction; a++ {
		out = append(out, a)
	}
	return out
}

// Can reports whether a guest may perform a in a conversation they hold
// a live grant for. Unknown actions are refused.
func Can(a Action) bool { return a >= ReadConversation && a <= PersonalState }

// Check returns nil if a guest may perform a, else an error wrapping
// [ErrGuestForbidden] that names the action.
func Check(a Action) error {
	if Can(a) {
		return nil
	}
	return fmt.Errorf("%w: guests may not %s", ErrGuestForbidden, a)
}

// CheckRole is Check for any user: users with a seat may do everything
// guest rules decide (their own permissions are checked elsewhere).
func CheckRole(r conversation.Role, a Action) error {
	if r != conversation.RoleGuest {
		return nil
	}
	return Check(a)
}

// CanInvite decides whether a user with role r may invite guests under
// policy p: never a guest; nobody when disabled; owners and admins only
// under GuestsAdminsOnly; any member otherwise.
func CanInvite(p conversation.GuestPolicy, r conversation.Role) error {
	if r == conversation.RoleGuest {
		return Check(InviteGuests)
	}
	switch p {
	case conversation.GuestsAnyMember:
		return nil
	case conversation.GuestsAdminsOnly:
		if r.IsAdmin() {
			return nil
		}
		return conversation.Errorf(conversation.ErrForbidden, "guest invitations are restricted to admins and the organization owner")
	case conversation.GuestsDisabled:
		return ErrInvitationsDisabled
	}
	return conversation.Errorf(conversation.ErrInvalidArgument, "unknown guest policy %d", p)
}

// CanManage decides whether a user with role r may revoke the guest access
// that inviter granted: owners and admins always, the inviter for their own
// invitations, nobody else.
func CanManage(r conversation.Role, actor, inviter conversation.UserID) error {
	switch {
	case r == conversation.RoleGuest:
		return Check(ManageGuests)
	case r.IsAdmin(), actor == inviter:
		return nil
	}
	return conversation.Errorf(conversation.ErrForbidden, "only admins, the owner or the inviting user may remove a guest")
}
