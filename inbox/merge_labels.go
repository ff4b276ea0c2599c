package inbox

import (
	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/labels"
)

// mergeLabelsAndTasks is merge's share of labels and tasks ("labels combined
// ... tasks moved to the target"), run inside the merge's transaction before
// both conversations are flushed. It changes the two conversations in place
// and writes the moved tasks:
//
//   - into gets the union of both conversations' labels. A conversation
//     holds at most 100 shared labels: into's own come first,
//     then from's in label-ID (creation) order, and from's organization
//     labels that do not fit are dropped (labels.Union); email labels are
//     never capped. Merging never fails because of labels.
//   - into's label-granted users are recomputed from the merged labels,
//     so the auto-shared users of from's labels keep their access there.
//   - every subtask of from moves to into (the conversation task is the
//     assignment itself, which merge combines); their assignees keep
//     exactly the access they had to from, which the merge gives into
//     (an assignee removed from from does not come back), and into's
//     TaskAssignees (the "Assigned to" filter) covers them.
//   - from keeps no labels, label-granted users or task assignees: it is
//     a tombstone.
//
// It emits no event: the merge's own event records what happened.
func (o *op) mergeLabelsAndTasks(from, into *conversation.Conversation) error {
	set := newLabelSet(o.ctx, o.tx)
	merged, _ := labels.Union(into.Labels, from.Labels, set.get)
	if set.err != nil {
		return set.err
	}
	if len(merged) == 0 {
		merged = nil
	}
	into.Labels = merged
	into.LabelUsers = labels.AutoSharedUsers(into.Labels, set.get)
	if set.err != nil {
		return set.err
	}
	if len(into.LabelUsers) == 0 {
		into.LabelUsers = nil
	}
	from.Labels, from.LabelUsers = nil, nil

	tasks, err := o.tx.ConversationTasks(o.ctx, from.ID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		t.Conversation = into.ID
		t.UpdatedAt = o.now
		if err := o.tx.UpdateTask(o.ctx, t); err != nil {
			return err
		}
		if t.Open() {
			for _, a := range t.Assignees {
				conversation.AddSorted(&into.TaskAssignees, a)
			}
		}
	}
	from.TaskAssignees = nil
	return nil
}
