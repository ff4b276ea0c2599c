package inbox_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/storage/memory"
)

// statesStore counts the transactions' UserStates calls (loads of every
// user's state of a conversation) and passes the optional per-user
// placements capability through, or hides it when plain is set.
type statesStore struct {
	storage.Store
	plain bool
	loads int
}

type statesTx struct {
	storage.Tx
	s *statesStore
}

func (s *statesStore) Update(ctx context.Context, fn func(tx storage.Tx) error) error {
	return s.Store.Update(ctx, func(tx storage.Tx) error {
		if s.plain {
			return fn(plainTx{statesTx{tx, s}})
		}
		return fn(statesTx{tx, s})
	})
}

func (t statesTx) UserStates(ctx context.Context, c conversation.ConversationID) (map[conversation.UserID]*conversation.UserState, error) {
	t.s.loads++
	return t.Tx.UserStates(ctx, c)
}

func (t statesTx) SetUserPlacements(ctx context.Context, c conversation.ConversationID, users []conversation.UserID, pl []conversation.Placement) error {
	return t.Tx.(storage.UserPlacementsSetter).SetUserPlacements(ctx, c, users, pl)
}

// plainTx is a transaction without the per-user placements capability.
type plainTx struct{ storage.Tx }

// Personal changes (read, star, pin, silence, watch) load only the
// actor's state and rewrite only the actor's placements; a store without
// the per-user capability gets the same mailboxes from a full rewrite.
func TestPersonalChangesLoadOnlyTheActorsState(t *testing.T) {
	boxes := []conversation.MailboxKind{conversation.Inbox, conversation.AssignedToMe, conversation.Closed,
		conversation.Starred, conversation.All, conversation.Trash}
	users := []string{"Own", "Adm", "A", "B", "C", "M", "O", "D"}
	type row struct {
		Subject string
		Unread  bool
	}
	var snapshots [2]map[string][]row
	for i, plain := range []bool{false, true} {
		store := &statesStore{Store: memory.New(), plain: plain}
		a := inboxtest.NewAcme(inboxtest.AcmeOptions{Config: inbox.Config{Store: store}})
		ctx := context.Background()
		c := a.Deliver("support", a.Email("Printer on fire", "support@acme.test"))
		require.NoError(t, a.Engine.Watch(ctx, a.As("B"), c))
		require.NoError(t, a.Engine.Assign(ctx, a.As("Adm"), c, a.IDs("C"), inbox.Replace))

		store.loads = 0
		require.NoError(t, a.Engine.MarkRead(ctx, a.As("A"), c))
		require.NoError(t, a.Engine.Star(ctx, a.As("B"), c, true))
		require.NoError(t, a.Engine.Pin(ctx, a.As("C"), c, true))
		require.NoError(t, a.Engine.MarkUnread(ctx, a.As("C"), c))
		if plain {
			require.Equal(t, 4, store.loads, "without the capability every state is loaded for the full rewrite")
		} else {
			require.Zero(t, store.loads, "a personal change loads no one else's state")
		}
		require.True(t, a.In("B", a.Box(conversation.Starred), c))
		require.False(t, a.In("A", a.Box(conversation.Starred), c))
		require.True(t, a.In("C", a.Box(conversation.AssignedToMe), c))
		// A change of the conversation afterwards still sees everyone.
		require.NoError(t, a.Engine.Close(ctx, a.As("C"), c))
		require.True(t, a.In("B", a.Box(conversation.Closed), c))

		snapshots[i] = map[string][]row{}
		for _, u := range users {
			for _, k := range boxes {
				p, err := a.Engine.List(ctx, a.As(u), a.Box(k), inbox.ListOptions{})
				require.NoError(t, err)
				var rows []row // IDs differ between the runs
				for _, it := range p.Items {
					rows = append(rows, row{it.Subject, it.Unread})
				}
				snapshots[i][u+" "+k.String()] = rows
			}
		}
	}
	require.Equal(t, snapshots[1], snapshots[0])
}
