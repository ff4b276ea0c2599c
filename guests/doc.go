// Package guests will hold the pure guest-access rules of inboxkit:
// invitations with single-use expiring tokens, the organization's
// invitation policy, guest quotas, and what a guest may and may not do in
// the conversations they are invited to (seeds F0, F1, F2).
//
// It is built by the "Guest access" issue. Until then the engine treats a
// user with the guest role as seeing nothing and allowed nothing.
package guests
