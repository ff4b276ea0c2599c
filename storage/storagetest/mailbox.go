package storagetest

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// mailboxModel is what the mailbox indexes should hold: each
// conversation's activity and placements.
type mailboxModel map[conversation.ConversationID]modelPlacements

type modelPlacements struct {
	activity   time.Time
	placements []conversation.Placement
}

// entries returns the entries box should list, in order.
func (m mailboxModel) entries(box conversation.Box) []storage.Entry {
	var out []storage.Entry
	for id, c := range m {
		for _, p := range c.placements {
			if p.Box == box {
				out = append(out, storage.Entry{Conversation: id, Activity: c.activity, Unread: p.Unread})
			}
		}
	}
	slices.SortFunc(out, compareEntries)
	return out
}

// compareEntries is the order of a mailbox index: newest activity first,
// ties by descending conversation ID.
func compareEntries(a, b storage.Entry) int {
	if c := b.Activity.Compare(a.Activity); c != 0 {
		return c
	}
	return b.Conversation.Compare(a.Conversation)
}

// isAfter reports whether e comes strictly after cursor c.
func isAfter(e storage.Entry, c storage.Cursor) bool {
	return compareEntries(e, storage.Entry{Activity: c.Activity, Conversation: c.Conversation}) > 0
}

func countsOf(es []storage.Entry) storage.Counts {
	c := storage.Counts{Total: len(es)}
	for _, e := range es {
		if e.Unread {
			c.Unread++
		}
	}
	return c
}

// normalizeEntries puts every activity in UTC, so entries compare with
// reflect.DeepEqual by instant.
func normalizeEntries(es []storage.Entry) []storage.Entry {
	if len(es) == 0 {
		return nil
	}
	out := slices.Clone(es)
	for i := range out {
		out[i].Activity = out[i].Activity.UTC()
	}
	return out
}

func entryIDs(es []storage.Entry) []conversation.ConversationID {
	out := make([]conversation.ConversationID, len(es))
	for i, e := range es {
		out[i] = e.Conversation
	}
	return out
}

// listAll reads box page by page, limit entries at a time, and checks
// that every page but the last is full. It fails once it has read more
// than maxEntries, so a cursor that does not advance cannot loop forever.
func listAll(t require.TestingT, ctx context.Context, tx storage.ReadTx, box conversation.Box, limit, maxEntries int) []storage.Entry {
	var all []storage.Entry
	var after storage.Cursor
	for {
		page, err := tx.List(ctx, box, after, limit)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page), limit, "List returned more than limit")
		all = append(all, page...)
		if len(page) < limit {
			return all
		}
		require.LessOrEqual(t, len(all), maxEntries, "paging through %v reads more entries than it holds", box)
		after = page[len(page)-1].Cursor()
	}
}

// checkMailboxes checks List (whole and in pages of pageSize) and Count of
// every box against the model.
func checkMailboxes(t require.TestingT, ctx context.Context, s storage.Store, boxes []conversation.Box, m mailboxModel, pageSize int) {
	require.NoError(t, s.View(ctx, func(tx storage.ReadTx) error {
		for _, box := range boxes {
			want := m.entries(box)
			got, err := tx.List(ctx, box, storage.Cursor{}, len(want)+10)
			require.NoError(t, err)
			require.Equal(t, normalizeEntries(want), normalizeEntries(got), "List of %v", box)
			require.Equal(t, normalizeEntries(want), normalizeEntries(listAll(t, ctx, tx, box, pageSize, len(want))),
				"List of %v in pages of %d", box, pageSize)
			counts, err := tx.Count(ctx, box)
			require.NoError(t, err)
			require.Equal(t, countsOf(want), counts, "Count of %v", box)
		}
		return nil
	}))
}

// fillBox creates n conversations with random IDs, listed in box (and
// every second one in other too) with activities drawn from few distinct
// times, so ties are common; it returns the model.
func fillBox(t *testing.T, s storage.Store, box, other conversation.Box, n int, rng *rand.Rand) mailboxModel {
	t.Helper()
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	m := mailboxModel{}
	order := rng.Perm(n)
	update(t, s, func(tx storage.Tx) error {
		for _, i := range order {
			c := newConversationWithID(org, randomID[conversation.ConversationID]())
			if err := tx.CreateConversation(ctx, c); err != nil {
				return err
			}
			p := modelPlacements{activity: at(rng.IntN(n/6 + 1))}
			p.placements = []conversation.Placement{{Box: box, Unread: i%3 == 0}}
			if i%2 == 0 {
				p.placements = append(p.placements, conversation.Placement{Box: other, Unread: i%5 == 0})
			}
			if err := tx.SetPlacements(ctx, c.ID, p.activity, p.placements); err != nil {
				return err
			}
			m[c.ID] = p
		}
		return nil
	})
	return m
}

func testListOrder(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	box := conversation.Box{Kind: conversation.Inbox, User: newID[conversation.UserID]()}
	other := conversation.Box{Kind: conversation.Inbox, User: newID[conversation.UserID]()}
	m := fillBox(t, s, box, other, 40, rand.New(rand.NewPCG(1, 2)))
	got := mustRead(t, s, func(tx storage.ReadTx) ([]storage.Entry, error) {
		return tx.List(ctx, box, storage.Cursor{}, 1000)
	})
	require.Len(t, got, 40)
	ties := 0
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		if a.Activity.Equal(b.Activity) {
			ties++
			require.Positive(t, a.Conversation.Compare(b.Conversation), "ties must be by descending ID: %d", i)
		} else {
			require.True(t, a.Activity.After(b.Activity), "entries must be newest first: %d", i)
		}
	}
	require.Positive(t, ties, "the fixture must hold ties")
	require.Equal(t, normalizeEntries(m.entries(box)), normalizeEntries(got))
	checkMailboxes(t, ctx, s, []conversation.Box{box, other}, m, 7)
}

func testListPagination(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	box := conversation.Box{Kind: conversation.TeamInbox, User: newID[conversation.UserID](), Team: newID[conversation.TeamID]()}
	other := conversation.Box{Kind: conversation.TeamInbox, User: box.User, Team: newID[conversation.TeamID]()}
	rng := rand.New(rand.NewPCG(3, 4))
	m := fillBox(t, s, box, other, 103, rng)
	want := normalizeEntries(m.entries(box))

	view(t, s, func(tx storage.ReadTx) error {
		for _, size := range []int{1, 2, 7, 10, 102, 103, 104, 500} {
			got := listAll(t, ctx, tx, box, size, len(want))
			require.Equal(t, want, normalizeEntries(got), "pages of %d", size)
		}
		for _, limit := range []int{0, -1} {
			got, err := tx.List(ctx, box, storage.Cursor{}, limit)
			require.NoError(t, err)
			require.Empty(t, got, "limit %d", limit)
		}
		got, err := tx.List(ctx, box, want[len(want)-1].Cursor(), 10)
		require.NoError(t, err)
		require.Empty(t, got, "nothing after the last entry")
		got, err = tx.List(ctx, conversation.Box{Kind: conversation.Spam, User: box.User}, storage.Cursor{}, 10)
		require.NoError(t, err)
		require.Empty(t, got, "an unknown box is empty")

		// Cursors that are not entries: between activities, and inside a
		// group of ties with an ID that is not listed.
		cursors := []storage.Cursor{
			{Activity: at(3).Add(30 * time.Second), Conversation: randomID[conversation.ConversationID]()},
			{Activity: at(100), Conversation: randomID[conversation.ConversationID]()},
			{Activity: at(-100), Conversation: randomID[conversation.ConversationID]()},
		}
		for range 10 {
			e := want[rng.IntN(len(want))]
			cursors = append(cursors, storage.Cursor{Activity: e.Activity, Conversation: randomID[conversation.ConversationID]()})
		}
		for _, c := range cursors {
			var exp []storage.Entry
			for _, e := range want {
				if isAfter(e, c) {
					exp = append(exp, e)
				}
			}
			got, err := tx.List(ctx, box, c, 1000)
			require.NoError(t, err)
			require.Equal(t, normalizeEntries(exp), normalizeEntries(got), "after %v", c)
			got, err = tx.List(ctx, box, c, 3)
			require.NoError(t, err)
			require.Equal(t, normalizeEntries(exp[:min(3, len(exp))]), normalizeEntries(got), "3 after %v", c)
		}
		return nil
	})
}

func testSetPlacements(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	a := conversation.Box{Kind: conversation.Inbox, User: u1}
	b := conversation.Box{Kind: conversation.All, User: u1}
	c := conversation.Box{Kind: conversation.TeamInbox, User: u2, Team: newID[conversation.TeamID]()}
	boxes := []conversation.Box{a, b, c}
	cs := createConversations(t, s, newID[conversation.OrgID](), 3)
	c1, c2, c3 := cs[0].ID, cs[1].ID, cs[2].ID
	m := mailboxModel{}
	set := func(id conversation.ConversationID, act time.Time, pl ...conversation.Placement) {
		t.Helper()
		update(t, s, func(tx storage.Tx) error { return tx.SetPlacements(ctx, id, act, pl) })
		m[id] = modelPlacements{activity: act, placements: slices.Clone(pl)}
		checkMailboxes(t, ctx, s, boxes, m, 1)
	}
	list := func(box conversation.Box) []storage.Entry {
		t.Helper()
		return mustRead(t, s, func(tx storage.ReadTx) ([]storage.Entry, error) {
			return tx.List(ctx, box, storage.Cursor{}, 10)
		})
	}
	count := func(box conversation.Box) storage.Counts {
		t.Helper()
		return mustRead(t, s, func(tx storage.ReadTx) (storage.Counts, error) { return tx.Count(ctx, box) })
	}

	set(c1, at(1), conversation.Placement{Box: a, Unread: true}, conversation.Placement{Box: b})
	set(c2, at(2), conversation.Placement{Box: a}, conversation.Placement{Box: c, Unread: true})
	set(c3, at(3), conversation.Placement{Box: b, Unread: true})
	require.Equal(t, []conversation.ConversationID{c2, c1}, entryIDs(list(a)))
	require.Equal(t, storage.Counts{Total: 2, Unread: 1}, count(a))
	require.Equal(t, storage.Counts{Total: 2, Unread: 1}, count(b))
	require.Equal(t, storage.Counts{Total: 1, Unread: 1}, count(c))

	// Newer activity moves c1 to the top of every box it is in.
	set(c1, at(5), conversation.Placement{Box: a, Unread: true}, conversation.Placement{Box: b})
	require.Equal(t, []conversation.ConversationID{c1, c2}, entryIDs(list(a)))
	require.Equal(t, []conversation.ConversationID{c1, c3}, entryIDs(list(b)))
	sameInstant(t, at(5), list(b)[0].Activity)
	require.Equal(t, storage.Counts{Total: 2, Unread: 1}, count(a))

	// Unread flips in place.
	set(c1, at(5), conversation.Placement{Box: a}, conversation.Placement{Box: b})
	require.False(t, list(a)[0].Unread)
	require.Equal(t, storage.Counts{Total: 2, Unread: 0}, count(a))

	// Leaving a box, joining another, in any order.
	set(c1, at(5), conversation.Placement{Box: c, Unread: true}, conversation.Placement{Box: a})
	require.Equal(t, []conversation.ConversationID{c3}, entryIDs(list(b)))
	require.Equal(t, storage.Counts{Total: 1, Unread: 1}, count(b))
	require.Equal(t, []conversation.ConversationID{c1, c2}, entryIDs(list(c)))
	require.Equal(t, storage.Counts{Total: 2, Unread: 2}, count(c))

	// The same placements again change nothing.
	set(c1, at(5), conversation.Placement{Box: a}, conversation.Placement{Box: c, Unread: true})
	require.Equal(t, storage.Counts{Total: 2, Unread: 2}, count(c))

	// Activity, unread and boxes all at once.
	set(c1, at(0), conversation.Placement{Box: c}, conversation.Placement{Box: b, Unread: true})
	require.Equal(t, []conversation.ConversationID{c2, c1}, entryIDs(list(c)))
	require.Equal(t, storage.Counts{Total: 2, Unread: 1}, count(c))
	require.Equal(t, []conversation.ConversationID{c3, c1}, entryIDs(list(b)))
	require.Equal(t, storage.Counts{Total: 2, Unread: 2}, count(b))
	require.Equal(t, []conversation.ConversationID{c2}, entryIDs(list(a)))

	// Ties at the same activity order by descending ID.
	set(c3, at(2), conversation.Placement{Box: a, Unread: true})
	want := []conversation.ConversationID{c2, c3}
	if c3.Compare(c2) > 0 {
		want = []conversation.ConversationID{c3, c2}
	}
	require.Equal(t, want, entryIDs(list(a)))

	// No placements: listed nowhere.
	set(c1, at(7))
	set(c3, at(7), []conversation.Placement{}...)
	require.Equal(t, []conversation.ConversationID{c2}, entryIDs(list(c)))
	require.Empty(t, list(b))
	require.Equal(t, storage.Counts{}, count(b))

	unknown := conversation.Box{Kind: conversation.Sent, User: newID[conversation.UserID]()}
	require.Equal(t, storage.Counts{}, count(unknown))
}

func sameInstant(t *testing.T, want, got time.Time) {
	t.Helper()
	require.Truef(t, want.Equal(got), "want %v, got %v", want, got)
}

// testMailboxModel drives random sequences of SetPlacements,
// DeleteConversation and rolled-back transactions and compares every box
// with a model after each step.
func testMailboxModel(t *testing.T, newStore func(t *testing.T) storage.Store) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		s := newStore(t)
		org := newID[conversation.OrgID]()
		u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
		team := newID[conversation.TeamID]()
		boxes := []conversation.Box{
			{Kind: conversation.Inbox, User: u1},
			{Kind: conversation.Inbox, User: u2},
			{Kind: conversation.TeamInbox, User: u1, Team: team},
			{Kind: conversation.All, User: u1},
		}
		times := []time.Time{at(1), at(2), at(3)}
		convs := make([]conversation.ConversationID, 6)
		require.NoError(rt, s.Update(ctx, func(tx storage.Tx) error {
			for i := range convs {
				convs[i] = randomID[conversation.ConversationID]()
				if err := tx.CreateConversation(ctx, newConversationWithID(org, convs[i])); err != nil {
					return err
				}
			}
			return nil
		}))
		m := mailboxModel{}
		drawPlacements := func(rt *rapid.T) []conversation.Placement {
			var pl []conversation.Placement
			for _, box := range rapid.Permutation(boxes).Draw(rt, "boxes") {
				switch rapid.IntRange(0, 2).Draw(rt, "placement") {
				case 1:
					pl = append(pl, conversation.Placement{Box: box})
				case 2:
					pl = append(pl, conversation.Placement{Box: box, Unread: true})
				}
			}
			return pl
		}
		errRollback := errors.New("roll back")
		rt.Repeat(map[string]func(*rapid.T){
			"set": func(rt *rapid.T) {
				c := rapid.SampledFrom(convs).Draw(rt, "conversation")
				act := rapid.SampledFrom(times).Draw(rt, "activity")
				pl := drawPlacements(rt)
				require.NoError(rt, s.Update(ctx, func(tx storage.Tx) error { return tx.SetPlacements(ctx, c, act, pl) }))
				m[c] = modelPlacements{activity: act, placements: pl}
			},
			"rolled back": func(rt *rapid.T) {
				c := rapid.SampledFrom(convs).Draw(rt, "conversation")
				d := rapid.SampledFrom(convs).Draw(rt, "other conversation")
				act := rapid.SampledFrom(times).Draw(rt, "activity")
				pl, pl2 := drawPlacements(rt), drawPlacements(rt)
				err := s.Update(ctx, func(tx storage.Tx) error {
					if err := tx.SetPlacements(ctx, c, act, pl); err != nil {
						return err
					}
					if err := tx.SetPlacements(ctx, d, act.Add(time.Second), pl2); err != nil {
						return err
					}
					return errRollback
				})
				require.ErrorIs(rt, err, errRollback)
			},
			"delete": func(rt *rapid.T) {
				c := rapid.SampledFrom(convs).Draw(rt, "conversation")
				require.NoError(rt, s.Update(ctx, func(tx storage.Tx) error {
					if err := tx.DeleteConversation(ctx, c); err != nil {
						return err
					}
					return tx.CreateConversation(ctx, newConversationWithID(org, c))
				}))
				delete(m, c)
			},
			"": func(rt *rapid.T) {
				checkMailboxes(rt, ctx, s, boxes, m, rapid.IntRange(1, 4).Draw(rt, "page size"))
			},
		})
	})
}
