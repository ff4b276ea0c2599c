package storage

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
)

// UserStateDeleter is an optional role of [Tx]: it removes a user's state
// of a conversation. The engine deletes a state that has become empty
// ([conversation.UserState.Empty], for example a removed guest's) instead
// of storing it, so what it reads back about a conversation does not grow
// with everyone who ever held access. A backend without the role keeps
// the empty state, which means the same.
type UserStateDeleter interface {
	// DeleteUserState removes u's state of c. It is not an error if none
	// is stored; ErrNotFound if the conversation does not exist.
	DeleteUserState(ctx context.Context, c conversation.ConversationID, u conversation.UserID) error
}
