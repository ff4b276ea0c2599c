// Package inbox is the inboxkit engine: the value a host application
// constructs (with [New]) and calls for everything a shared inbox does.
//
// Every operation takes a context and an [Actor], is authorized against
// that actor, runs in one storage transaction, and either happens entirely
// or not at all. Each change appends typed events to the conversation's
// timeline; after the transaction commits the engine hands those events to
// the configured subscribers and the resulting notifications to the host's
// [Notifier].
//
// Mailboxes (Inbox, team inboxes, Assigned to me, Closed, Snoozed, All,
// Trash, ..., and one per label: [LabelMailbox]) are read with
// [Engine.List] and [Engine.Count] straight from the store's indexes;
// which conversation belongs in which mailbox for whom is decided by
// [conversation.Placements] from the Inbox and team-inbox flags, which
// only apply.go writes, applying the outcomes package triage decides.
//
// Files: engine.go (construction, actors, errors), op.go (the transaction
// wrapper every operation uses), apply.go (applying triage outcomes), admin.go (organizations, users, teams,
// accounts), private.go (making a shared account private), deliver.go,
// route.go, reply.go and sent.go (messages in and out: routing, replies,
// the account's own sent mail seen by sync), raw.go (raw RFC 5322 mail in
// and composed replies out, through package conversation/mail), thread.go (the store's
// threading index seen by package threading, threading scopes),
// merge.go and merge_labels.go (merging conversations, and merge's share
// of labels and tasks), split.go, assign.go, lifecycle.go (close,
// archive, trash) and expunge.go (server deletes it asks for),
// snooze.go, state.go (per-user flags), share.go (comments, mentions,
// adding people), remove.go (removing a user from a conversation),
// query.go (reading), notify.go (notifications and event delivery),
// guests.go (guest invitations, grants and their administration; the
// redaction of what a guest reads), labels.go (labels, label mailboxes and
// what a viewer may see of them), tasks.go (subtasks, standalone tasks,
// Tasks views).
//
// Guests are users of the organization with the guest role, invited by
// email into single conversations ([Engine.InviteGuest],
// [Engine.AcceptInvitation]); they see exactly the conversations they hold
// a live grant for, and may only read, comment and change their own state
// there (package guests).
package inbox
