// Package storagetest is the conformance suite of package storage. A
// backend proves that it keeps the [storage.Store] contract by calling
// [Run] from one of its tests:
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.Store { return memory.New() })
//	}
//
// The suite covers reads and writes of every entity kind with their
// ErrNotFound and ErrConflict cases, copy semantics in both directions,
// handle and address uniqueness (users, guests and teams sharing one
// handle namespace per organization), optimistic versions, rollback of every
// write kind on error and on panic, the mailbox, due-snooze and
// message-id indexes, DeleteConversation's cascade, serializability under
// concurrent Updates and snapshot consistency of Views, and guest access
// records with their quotas, enforced by the store even when goroutines
// race for the last slot, the outbox (commit order, per-consumer cursors,
// rollback, compaction) and the schedule (due order, leases, completion,
// retries and failures, concurrent claims).
//
// Values must round-trip exactly (reflect.DeepEqual): the fixtures use
// UTC times at microsecond precision, without monotonic clock readings,
// and fill every slice and map field they set with at least one element.
package storagetest

import (
	"testing"

	"github.com/inboxkit/inboxkit/storage"
)

// Run runs the conformance suite as subtests of t. newStore must return
// a new, empty store each time it is called; it may register cleanups on
// the t it is given.
func Run(t *testing.T, newStore func(t *testing.T) storage.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, newStore func(t *testing.T) storage.Store)
	}{
		{"Context", testContext},
		{"NotFound", testNotFound},
		{"Org", testOrg},
		{"User", testUser},
		{"UserHandles", testUserHandles},
		{"Team", testTeam},
		{"TeamHandles", testTeamHandles},
		{"HandleNamespace", testHandleNamespace},
		{"Account", testAccount},
		{"AccountAddresses", testAccountAddresses},
		{"Conversation", testConversation},
		{"ConversationVersion", testConversationVersion},
		{"UserState", testUserState},
		{"DeleteUserState", testDeleteUserState},
		{"Messages", testMessages},
		{"MoveMessage", testMoveMessage},
		{"Comments", testComments},
		{"Events", testEvents},
		{"MessagesByHeaderID", testMessagesByHeaderID},
		{"ThreadIndex", testThreadIndex},
		{"UpdateContent", testUpdateContent},
		{"CopySemantics", testCopySemantics},
		{"DeleteConversation", testDeleteConversation},
		{"ListOrder", testListOrder},
		{"ListPagination", testListPagination},
		{"SetPlacements", testSetPlacements},
		{"UserPlacements", testUserPlacements},
		{"ImpliedPlacements", testImpliedPlacements},
		{"ImpliedPlacementsModel", testImpliedPlacementsModel},
		{"MailboxModel", testMailboxModel},
		{"DueSnoozes", testDueSnoozes},
		{"Labels", testLabels},
		{"LabelRollback", testLabelRollback},
		{"LabelIndexes", testLabelIndexes},
		{"Tasks", testTasks},
		{"TxReadsOwnWrites", testTxReadsOwnWrites},
		{"Rollback", testRollback},
		{"RollbackFreesUniqueness", testRollbackFreesUniqueness},
		{"FailedWriteLeavesNoTrace", testFailedWriteLeavesNoTrace},
		{"ViewSeesCommittedOnly", testViewSeesCommittedOnly},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ConsistentViews", testConsistentViews},
		{"GuestAccess", testGuestAccess},
		{"GuestQuota", testGuestQuota},
		{"GuestUsers", testGuestUsers},
		{"GuestExpiry", testGuestExpiry},
		{"GuestCascadeAndRollback", testGuestCascadeAndRollback},
		{"GuestRace", testGuestRace},
		{"Outbox", testOutbox},
		{"OutboxConsumers", testOutboxConsumers},
		{"OutboxCompaction", testOutboxCompaction},
		{"OutboxConcurrentAppends", testOutboxConcurrentAppends},
		{"Schedule", testSchedule},
		{"ScheduleOutcomes", testScheduleOutcomes},
		{"ScheduleConcurrentClaims", testScheduleConcurrentClaims},
		{"Contacts", runContacts},
		{"SyncCursors", testSyncCursors}, // optional role: skips when absent
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore) })
	}
}
