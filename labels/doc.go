// Package labels holds the pure label rules of inboxkit: what makes a label
// well formed, nesting by parent with its display path
// ("Features/Requested") and "label or any child" matching, who may find,
// apply, remove, edit, re-share and delete a label, the auto-shared users a
// conversation's labels grant access to, and the limits of 10,000
// organization labels per organization and 100 shared labels per
// conversation.
//
// The label entity itself ([conversation.Label]) and a user's label
// preferences ([conversation.LabelPrefs]) live in package conversation so
// that storage depends on the domain only. This package decides and never
// performs I/O: callers load the labels, accounts and users a decision needs
// and pass them in. Every error wraps one of the sentinels of package
// conversation.
//
// Guests see no labels at all: [CanSee] is false for them, and every other
// right follows from it. [CanSee] is therefore the single place a guest rule
// about labels hooks into.
package labels
