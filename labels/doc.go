// Package labels will hold the pure label rules of inboxkit: organization
// and email (account) labels, nesting with "label or any child" matching,
// who may find, apply, remove, rename and delete a label, auto-shared
// users, and the per-organization and per-conversation limits
// (F3:9963-10362).
//
// It is built by the "Labels and tasks" issue; until then the engine has
// no label operations and conversations carry no labels.
package labels
