package inbox

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/inboxkit/inboxkit/triage"
)

// The engine's notification reasons and triage's share their values:
// reasonOf converts by value.
func TestReasonsMirrorTriage(t *testing.T) {
	pairs := map[triage.Reason]Reason{
		triage.NewMessage: NewMessage, triage.Mentioned: Mentioned, triage.Assigned: Assigned,
		triage.CommentPosted: CommentPosted, triage.Shared: Shared, triage.SnoozeDue: SnoozeDue, triage.Replied: Replied,
	}
	for tr, r := range pairs {
		assert.Equal(t, r, reasonOf(tr))
		assert.Equal(t, r.String(), tr.String())
	}
}
