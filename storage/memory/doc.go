// Package memory is the embedded default backend of package storage: a
// [storage.Store] that keeps everything in process memory.
//
// One read-write mutex serializes transactions: [Store.Update] holds the
// write lock while its function runs, so concurrent Updates run one after
// another, and [Store.View] holds the read lock, so Views run in parallel
// and never see a transaction half-applied. Updates write in place and
// keep an undo log; when the function fails or panics the log is replayed
// backwards and nothing it wrote survives.
//
// Values cross the boundary by deep copy in both directions. Mailbox
// listings, counts, due snoozes, message-id lookups and handle and address
// lookups read indexes kept up to date on every write (B-trees from
// github.com/google/btree and hash maps), never scans.
//
// The files of the package:
//
//   - store.go: [Store], [New], Update and View, and the state they guard.
//   - tx.go: the read-write transaction and its undo log.
//   - directory.go: organizations, users, teams and accounts, with the
//     handle and address indexes.
//   - conversations.go: conversations, user states, messages, comments
//     and events, and the message header-id index.
//   - mailbox.go: the mailbox index behind List, Count and SetPlacements.
//   - snooze.go: the due-snooze index behind DueSnoozes.
//   - outbox.go: the outbox and its consumers' cursors.
//   - schedule.go: scheduled jobs and the index they are claimed from.
package memory
