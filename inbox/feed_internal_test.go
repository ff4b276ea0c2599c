package inbox

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
)

// The hand-written notification encoding is json.Marshal's, byte for
// byte, and several notifications share one buffer.
func TestAppendNotificationIsJSON(t *testing.T) {
	at := time.Date(2026, 1, 5, 9, 0, 0, 123456000, time.UTC)
	notes := []Notification{
		{User: conversation.UserID(uuid.New()), Conversation: conversation.ConversationID(uuid.New()), Reason: NewMessage, At: at},
		{User: conversation.UserID(uuid.New()), Task: conversation.TaskID(uuid.New()), Reason: TaskAssigned,
			Actor: conversation.UserID(uuid.New()), At: at.Add(time.Second)},
		{Conversation: conversation.ConversationID(uuid.New()), Reason: GuestInvited, At: at,
			Invitation: &Invitation{Email: "g@example.com", Token: "t", ExpiresAt: at}},
		{Reason: SnoozeDue},
	}
	var buf []byte
	var want []byte
	for i := range notes {
		var err error
		buf, err = appendNotification(buf, &notes[i])
		require.NoError(t, err)
		j, err := json.Marshal(&notes[i])
		require.NoError(t, err)
		want = append(want, j...)
	}
	require.Equal(t, string(want), string(buf))
	_, err := appendNotification(nil, &Notification{})
	require.ErrorIs(t, err, ErrInvalidArgument)
}
