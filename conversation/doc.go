// Package conversation is inboxkit's domain model: organizations, users and
// their roles, teams, connected accounts and their sharing modes,
// conversations with their shared and per-user state, external messages,
// internal comments, timeline events, and the sentinel errors every other
// package returns.
//
// The package is pure: it does no I/O and never calls the engine. Besides the
// types it holds the decisions that only depend on them: who may access a
// conversation ([Access]) and which mailboxes list it for whom
// ([Placements]). Storage backends persist these values; the inbox engine
// changes them and asks this package what the changes mean.
package conversation
