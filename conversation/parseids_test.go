package conversation

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTrip checks that parse reads back what String wrote, and refuses
// text that is not a UUID with ErrInvalidArgument.
func roundTrip[T interface{ String() string }](t *testing.T, id T, parse func(string) (T, error)) {
	t.Helper()
	got, err := parse(id.String())
	require.NoError(t, err)
	assert.Equal(t, id, got)
	_, err = parse("not-an-id")
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestParseIDs(t *testing.T) {
	roundTrip(t, OrgID(uuid.Must(uuid.NewV7())), ParseOrgID)
	roundTrip(t, UserID(uuid.Must(uuid.NewV7())), ParseUserID)
	roundTrip(t, TeamID(uuid.Must(uuid.NewV7())), ParseTeamID)
	roundTrip(t, AccountID(uuid.Must(uuid.NewV7())), ParseAccountID)
	roundTrip(t, ConversationID(uuid.Must(uuid.NewV7())), ParseConversationID)
	roundTrip(t, MessageID(uuid.Must(uuid.NewV7())), ParseMessageID)
	roundTrip(t, CommentID(uuid.Must(uuid.NewV7())), ParseCommentID)
	roundTrip(t, EventID(uuid.Must(uuid.NewV7())), ParseEventID)
	roundTrip(t, LabelID(uuid.Must(uuid.NewV7())), ParseLabelID)
	roundTrip(t, TaskID(uuid.Must(uuid.NewV7())), ParseTaskID)
}
