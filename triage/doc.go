// Package triage decides where a conversation belongs after something
// happens to it: whose Inbox it enters or leaves, whether its team inbox
// lists it, whether it reopens, which snoozes end, who is told and why,
// and which events record it.
//
// Every decision is a pure function from facts (the organization, the
// conversation, the per-user states the rule reads, the teams, the
// accounts, the actor or the incoming message) to an [Outcome] value.
// Nothing here reads or writes storage, and nothing calls the engine: the
// engine loads the facts, asks, applies the outcome in one place and
// stores the result. An Outcome is a plain value on purpose, so that a
// caller (an automation rule acting on incoming mail, for instance) may
// amend it before it is applied: skip the Inbox, list it in another
// team's inbox, assign someone.
//
// The rules, in short:
//
//   - New mail puts the conversation in the Inbox of the users it is
//     addressed to: the owner and delegated users of a personal account,
//     the users set to "to inbox" on an address shared to users' Inboxes;
//     mail to a team inbox lists it there and tells the team's active
//     members (never its observers).
//   - A reply on an open conversation goes to the assignees (or back to
//     the team inbox, by the team's option), else to the team inbox;
//     watchers get it back in their Inbox, and so does a user the reply
//     answers directly. A reply on a closed conversation reopens it: the
//     assignees (or the team inbox) get it back and only they are told.
//   - A reply after a snooze set with "discard if someone replies" ends
//     that snooze.
//   - Someone who trashed the conversation for themselves or removed
//     their access is not brought back by mail addressed to them.
//   - The actor of an operation never gets a conversation back in their
//     own Inbox by acting, and is never notified of their own action.
package triage
