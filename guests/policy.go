package guests

import (
	"fmt"

	"github.com/inboxkit/inboxkit/conversation"
)

// ErrGuestForbidden is returned when a guest attempts something guests
// may not do. It wraps [conversation.ErrForbidden].
var ErrGuestForbidden = fmt.Errorf("%w: not allowed for guests", conversation.ErrForbidden)

// ErrInvitationsDisabled is returned for an invitation in an organization
// whose policy is [conversation.GuestsDisabled] (F0:63). It wraps
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
	// invited conversation, including everything before the invitation
	// (F0:100, F1:13).
	ReadConversation Action = iota + 1
	// ReadTasks: see the conversation's tasks, description and status,
	// read-only (F1:13, F2:31; spec G1).
	ReadTasks
	// DownloadAttachments of messages and comments (F1:14).
	DownloadAttachments
	// Comment: post an internal chat message (F1:15).
	Comment
	// CommentAttachments: attach files to a comment (F1:15).
	CommentAttachments
	// MentionPresent: @mention a user already present in the
	// conversation (F1:16).
	MentionPresent
	// PersonalState: mark read or unread, star, pin, watch, silence the
	// conversation for oneself, archive it from one's own Inbox.
	PersonalState

	// MentionAbsent: @mention someone not present (F0:109).
	MentionAbsent
	// MentionGroup: @team or @all (spec A9).
	MentionGroup
	// ReplyExternally: send an email, SMS, WhatsApp or any channel
	// message (F1:20, F2:16-17).
	ReplyExternally
	// CreateConversation (F1:21).
	CreateConversation
	// ChangeSettings: subject, sharing, team, close, archive or trash for
	// everyone, snooze for everyone (F1:21 "Manage conversation
	// settings").
	ChangeSettings
	// BeAssigned to a conversation (F2:12-13).
	BeAssigned
	// BeAssignedTask (F2:37, F0:81).
	BeAssignedTask
	// CreateTask (F0:82, F2:34).
	CreateTask
	// EditTask: description, due date, assignees (F2:35).
	EditTask
	// CloseTask and ReopenTask (F2:36).
	CloseTask
	ReopenTask
	// SeeLabels on any conversation, "even if they are participants"
	// (F2:26).
	SeeLabels
	// ChangeLabels: apply or remove a label (F2:27).
	ChangeLabels
	// ManageLabels: create, edit or delete a label, personal or
	// organization-wide (F2:27).
	ManageLabels
	// UseCannedResponses: guests have no composer for external replies
	// (spec §5.13 #146).
	UseCannedResponses
	// SeeContacts (F3:11858).
	SeeContacts
	// Merge conversations (F3:7927).
	Merge
	// JoinTeam: be a member or observer of any team (F1:22, spec A51).
	JoinTeam
	// JoinRoom: be in a team or organization chat room (F1:22).
	JoinRoom
	// InviteGuests: guests never invite (F1:21).
	InviteGuests
	// ManageGuests: list and revoke guests (F0:65-67).
	ManageGuests
	// SeeOtherConversations: any conversation without a live grant
	// (F0:83, F1:3).
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
// policy p (F0:57-69): never a guest; nobody when disabled; owners and
// admins only under GuestsAdminsOnly; any member otherwise.
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
		return conversation.Errorf(conversation.ErrForbidden, "guest invitations are restricted to admins and the organization owner (F0:64)")
	case conversation.GuestsDisabled:
		return ErrInvitationsDisabled
	}
	return conversation.Errorf(conversation.ErrInvalidArgument, "unknown guest policy %d", p)
}

// CanManage decides whether a user with role r may revoke the guest
// access that inviter granted (spec A4): owners and admins always, the
// inviter for their own invitations, nobody else.
func CanManage(r conversation.Role, actor, inviter conversation.UserID) error {
	switch {
	case r == conversation.RoleGuest:
		return Check(ManageGuests)
	case r.IsAdmin(), actor == inviter:
		return nil
	}
	return conversation.Errorf(conversation.ErrForbidden, "only admins, the owner or the inviting user may remove a guest (spec A4)")
}
