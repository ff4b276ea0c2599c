// Package guests holds the pure rules of guest access: who may invite under
// the organization's policy, the guest quotas and their arithmetic, the
// invitation token format, what a guest may and may not do in the
// conversations they are invited to, and how what a guest receives is
// redacted. It decides and never calls the engine; package inbox applies
// these rules inside its transactions and keeps the grants in the store.
//
// A guest is a person outside the organization invited into specific
// conversations. An invitation goes to an email address; accepting it
// creates a guest identity (a user of the organization with the guest role)
// or links an existing user of another organization, who keeps their own
// organization. A guest reads the whole history of an invited conversation
// and posts comments with attachments, may @mention only users already
// present, and cannot reply externally, create conversations, be assigned,
// manage tasks, see or change labels, see contacts, merge, or join teams and
// rooms ([Can]).
package guests
