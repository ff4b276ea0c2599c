package storage

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
)

// UserPlacementsSetter is an optional capability of a [Tx]: updating the
// mailbox index entries of some users of a conversation without
// rewriting everyone's, for operations that change only those users'
// states. The engine checks for it at run time and falls back to
// SetPlacements with every user's placements when a backend lacks it.
type UserPlacementsSetter interface {
	// SetUserPlacements replaces the placements of conversation c whose
	// Box.User is one of users (own placements and corrections) with
	// placements, each of which must name one of users. Team-level
	// placements, other users' placements and c's activity stay as the
	// last SetPlacements left them. Afterwards the index is what
	// SetPlacements would have made of the merged set, with the same
	// validation: ErrInvalidArgument for a placement of another user, a
	// duplicate box or an invalid correction; ErrNotFound if c does not
	// exist.
	SetUserPlacements(ctx context.Context, c conversation.ConversationID, users []conversation.UserID, placements []conversation.Placement) error
}
