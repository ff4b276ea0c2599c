package storage

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
)

// Filter narrows a mailbox listing. The zero Filter keeps everything.
type Filter struct {
	// AssignedTo keeps the conversations assigned to that user or holding
	// an open task assigned to them (Assignees or TaskAssignees).
	AssignedTo conversation.UserID
	// NotSnoozedFor drops the conversations snoozed for that user (their
	// own snooze) or for everyone.
	NotSnoozedFor conversation.UserID
}

// FilteredLister is an optional role of [ReadTx]: a mailbox listing
// narrowed by a [Filter] and answered from an index, so a selective
// filter does not walk the whole box. It returns what [MailboxReader.List]
// would return for box, less the entries the filter drops, up to limit of
// them: fewer only at the end of the box. Its cost must not depend on how
// many entries of box the AssignedTo filter drops; entries the
// NotSnoozedFor filter drops may be stepped over one by one (a box holds
// few snoozed conversations). The assignees and snoozes it filters by are
// those of the conversation and user states as stored when
// [MailboxWriter.SetPlacements] last placed the conversation.
type FilteredLister interface {
	ListFiltered(ctx context.Context, box conversation.Box, f Filter, after Cursor, limit int) ([]Entry, error)
}
