package conversation

import (
	"slices"
	"time"
)

// Kind distinguishes email-style conversations from chats and rooms.
type Kind uint8

const (
	// Thread is a conversation of external messages (any channel), with
	// its internal comments.
	Thread Kind = iota
	// Chat is an internal-only "New conversation": it can be labelled,
	// snoozed, assigned and archived like a thread.
	Chat
	// Room is a team, organization or one-to-one chat room: it can be
	// archived but never assigned, closed or merged.
	Room
)

// Snooze hides a conversation from Inbox and team inbox views until Until.
type Snooze struct {
	Until time.Time
	// By is the user who snoozed.
	By UserID
	// At is when the snooze was set; replies after it can discard it.
	At time.Time
	// LeaveInInbox keeps the conversation visible while snoozed.
	LeaveInInbox bool
	// DiscardOnReply cancels the snooze when an external message arrives
	// before Until.
	DiscardOnReply bool
}

// Hides reports whether the snooze hides the conversation from Inbox and
// team inbox listings.
func (s *Snooze) Hides() bool { return s != nil && !s.LeaveInInbox }

// Conversation is the state every user with access shares. Per-user state
// lives in [UserState]. Messages, comments and events are stored
// separately and referenced by conversation ID.
type Conversation struct {
	ID   ConversationID
	Org  OrgID
	Kind Kind
	// Subject is the subject of the most recent external message.
	Subject string
	// CustomSubject, when set, is the internal name a user gave the
	// conversation; it is never sent externally.
	CustomSubject string
	// CustomSubjectShared records whether the custom subject was set while
	// the conversation was shared (merge subject rules).
	CustomSubjectShared bool
	// Color is the conversation colour, set by rules only.
	Color string

	// Team is the team whose inbox the conversation belongs to ("team
	// assignment"); zero means none.
	Team TeamID
	// InTeamInbox lists the conversation in Team's inbox. It is explicit
	// state, not derived from Assignees.
	InTeamInbox bool
	// Assignees, sorted, without duplicates. Assignees always watch.
	Assignees []UserID
	Closed    bool
	// Trashed is trash for everyone; per-user trash is UserState.Trashed.
	Trashed   bool
	TrashedAt time.Time
	Spam      bool

	// Users hold explicit access (account owner and delegates, mentioned,
	// added, assigned users), sorted.
	Users []UserID
	// Teams hold access as teams: every active member and observer of each
	// sees the conversation, sorted. Team (above) always has access too.
	Teams []TeamID
	// MentionTeams hold access as teams too, by their mention rule: teams
	// an @mention shared a private conversation with. Their members whom
	// a mention of the team reaches see it (active members, and observers
	// when the team's mention option includes them; see
	// [Team.MentionReaches]), members who join later included. Sorted.
	MentionTeams []TeamID
	// Guests are the guest users holding a live grant (an accepted
	// [GuestAccess]) on the conversation, sorted. It is written in the
	// same transaction as the grant records and is the only source of a
	// guest's access: a guest is never in Users, Assignees or a team.
	Guests []UserID
	// Accounts are the connected accounts whose messages the conversation
	// holds, sorted.
	Accounts []AccountID
	// Labels applied to the conversation (organization and email labels),
	// sorted. Label rules live in package labels. A team-inbox trash clears
	// them.
	Labels []LabelID
	// LabelUsers are the auto-shared users of the conversation's labels,
	// sorted: they may see it while a label sharing it with them is on it,
	// and lose that access when it goes, unless another grant remains. The
	// engine keeps it equal to the union of the labels' AutoShared
	// (labels.AutoSharedUsers).
	LabelUsers []UserID
	// TaskDescription, TaskDue and TaskInProgress are the attributes of the
	// conversation as a task: its status is Closed when the conversation is,
	// In progress when TaskInProgress (cleared on close), To-do otherwise;
	// see ConversationTaskOf.
	TaskDescription string
	TaskDue         Date
	TaskInProgress  bool
	// TaskAssignees are the assignees of the conversation's open subtasks,
	// sorted: the "Assigned to" filter matches them as it matches Assignees.
	// The engine keeps it in step with the tasks.
	TaskAssignees []UserID

	// SnoozeForEveryone is a snooze that applies to all participants.
	SnoozeForEveryone *Snooze

	// Scope is the threading scope the conversation's first message was
	// filed in (package threading): replies are looked up there.
	Scope string
	// ThreadAudience is an opaque key of who could see the conversation's
	// messages through the accounts and addresses they arrived on, while
	// they all arrived with the same one (threading.Message.Audience);
	// empty when it is not known, and a key no message has once messages
	// of several audiences were filed together. Threading by a parent
	// nobody has seen, or by subject, only joins conversations whose
	// ThreadAudience is the new message's.
	ThreadAudience string
	// MergedInto is set on a merged-away conversation: a tombstone that
	// redirects to the conversation it was merged into. It is in no mailbox
	// and holds no content.
	MergedInto ConversationID
	// ContinuationOf links a conversation created because the one it
	// continues was full (400 messages); ContinuedIn is the reverse link on
	// the full one.
	ContinuationOf ConversationID
	ContinuedIn    ConversationID

	// Messages counts the external messages (comments do not count).
	Messages int
	// HasSent is true once an outgoing message was recorded.
	HasSent bool
	// Seq numbers the content (messages and comments) of the conversation;
	// MessageSeq and CommentSeq are the Seq of the latest message and
	// comment. Read state compares them with UserState.ReadSeq.
	Seq        uint64
	MessageSeq uint64
	CommentSeq uint64

	CreatedAt time.Time
	// LastActivity orders every mailbox, newest first: a new message or
	// comment, or a status change.
	LastActivity time.Time
	// Version is maintained by the store for optimistic concurrency.
	Version uint64
}

// DisplaySubject returns the custom subject if one is set, else the
// latest message subject.
func (c *Conversation) DisplaySubject() string {
	if c.CustomSubject != "" {
		return c.CustomSubject
	}
	return c.Subject
}

// IsAssigned reports whether u is an assignee.
func (c *Conversation) IsAssigned(u UserID) bool {
	_, ok := slices.BinarySearchFunc(c.Assignees, u, UserID.Compare)
	return ok
}

// Shared reports whether anyone but a single user has access.
func (c *Conversation) Shared() bool {
	return len(c.Users)+len(c.LabelUsers) > 1 || len(c.Teams) > 0 || len(c.MentionTeams) > 0 || !c.Team.IsZero()
}

// Clone returns a deep copy.
func (c *Conversation) Clone() *Conversation {
	d := *c
	d.Assignees = slices.Clone(c.Assignees)
	d.Users = slices.Clone(c.Users)
	d.Teams = slices.Clone(c.Teams)
	d.MentionTeams = slices.Clone(c.MentionTeams)
	d.Guests = slices.Clone(c.Guests)
	d.Accounts = slices.Clone(c.Accounts)
	d.Labels = slices.Clone(c.Labels)
	d.LabelUsers = slices.Clone(c.LabelUsers)
	d.TaskAssignees = slices.Clone(c.TaskAssignees)
	if c.SnoozeForEveryone != nil {
		s := *c.SnoozeForEveryone
		d.SnoozeForEveryone = &s
	}
	return &d
}

// UserState is one user's private state of one conversation. A user with
// no stored state has the zero value: not in the Inbox, nothing read, not
// watching.
type UserState struct {
	Conversation ConversationID
	User         UserID
	// InInbox lists the conversation in the user's Inbox.
	InInbox bool
	// ReadSeq is the conversation Seq the user has read up to.
	ReadSeq uint64
	// Snooze is the user's own snooze ("for me").
	Snooze   *Snooze
	Watching bool
	Starred  bool
	Pinned   bool
	// Trashed is trash for this user only (a delegated user or observer
	// trashing outside a team inbox).
	Trashed bool
	// Removed withdraws the user's access whatever else grants it (a
	// delegated user's "delete forever").
	Removed bool
	// Silenced mutes notifications of this conversation for the user.
	Silenced bool
	// SnoozeDue marks a conversation back from a snooze (orange); cleared
	// when read, archived or snoozed again.
	SnoozeDue bool
}

// Clone returns a deep copy.
func (s *UserState) Clone() *UserState {
	d := *s
	if s.Snooze != nil {
		z := *s.Snooze
		d.Snooze = &z
	}
	return &d
}

// Empty reports whether s holds nothing beyond its keys: it means what
// no stored state means, so a store need not keep it.
func (s *UserState) Empty() bool {
	return *s == UserState{Conversation: s.Conversation, User: s.User}
}

// Unread reports whether the conversation has a message or comment the
// user has not read.
func (s *UserState) Unread(c *Conversation) bool {
	return c.MessageSeq > s.ReadSeq || c.CommentSeq > s.ReadSeq
}
