package memory

import (
	"context"
	"slices"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

var _ storage.UserPlacementsSetter = (*writeTx)(nil)

// SetUserPlacements implements [storage.UserPlacementsSetter]: the other
// placements of the conversation are kept and the merged set is applied
// as SetPlacements applies one, so only the entries that differ move.
func (t *writeTx) SetUserPlacements(ctx context.Context, c conversation.ConversationID, users []conversation.UserID, placements []conversation.Placement) error {
	rec := t.convs[c]
	if rec == nil {
		return notFoundConversation(c)
	}
	for _, p := range placements {
		if !slices.Contains(users, p.Box.User) {
			return conversation.Errorf(conversation.ErrInvalidArgument,
				"placements of conversation %s: box {%s user %s} is not one of the users updated", c, p.Box.Kind, p.Box.User)
		}
	}
	merged := make([]conversation.Placement, 0, len(rec.placements)+len(placements))
	for _, p := range rec.placements {
		if p.Box.User.IsZero() || !slices.Contains(users, p.Box.User) {
			merged = append(merged, p)
		}
	}
	merged = append(merged, placements...)
	return t.SetPlacements(ctx, c, rec.activity, merged)
}
