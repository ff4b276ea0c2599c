package storagetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// createConversations stores n new conversations of org.
func createConversations(t *testing.T, s storage.Store, org conversation.OrgID, n int) []*conversation.Conversation {
	t.Helper()
	cs := make([]*conversation.Conversation, n)
	for i := range cs {
		cs[i] = newConversation(org)
	}
	update(t, s, func(tx storage.Tx) error {
		for _, c := range cs {
			if err := tx.CreateConversation(t.Context(), c); err != nil {
				return err
			}
		}
		return nil
	})
	return cs
}

func getConversation(t *testing.T, s storage.Store, id conversation.ConversationID) (*conversation.Conversation, error) {
	t.Helper()
	return read(t, s, func(tx storage.ReadTx) (*conversation.Conversation, error) { return tx.Conversation(t.Context(), id) })
}

func getMessages(t *testing.T, s storage.Store, id conversation.ConversationID) []*conversation.Message {
	t.Helper()
	return mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Message, error) { return tx.Messages(t.Context(), id) })
}

func byHeaderID(t *testing.T, s storage.Store, org conversation.OrgID, h string) []*conversation.Message {
	t.Helper()
	return mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Message, error) {
		return tx.MessagesByHeaderID(t.Context(), org, h)
	})
}

func testConversation(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	c := newConversation(org)
	c.SnoozeForEveryone = newSnooze(at(30))
	c.Version = 7 // the store sets it
	update(t, s, func(tx storage.Tx) error { return tx.CreateConversation(ctx, c) })
	require.Equal(t, uint64(1), c.Version, "CreateConversation sets c.Version")
	got, err := getConversation(t, s, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got)

	dup := newConversationWithID(org, c.ID)
	dup.Subject = "duplicate"
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.CreateConversation(ctx, dup) })
	require.ErrorIs(t, err, conversation.ErrConflict)
	got, err = getConversation(t, s, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got, "a rejected create leaves the stored conversation alone")
}

func testConversationVersion(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	c := createConversations(t, s, newID[conversation.OrgID](), 1)[0]
	stale := c.Clone()

	c.Subject = "v2"
	c.Closed = true
	update(t, s, func(tx storage.Tx) error { return tx.UpdateConversation(ctx, c) })
	require.Equal(t, uint64(2), c.Version, "UpdateConversation sets c.Version to the new version")
	got, err := getConversation(t, s, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got)

	for _, v := range []uint64{0, 1, 3, 99} {
		bad := c.Clone()
		bad.Version = v
		bad.Subject = "stale"
		err := s.Update(ctx, func(tx storage.Tx) error { return tx.UpdateConversation(ctx, bad) })
		require.ErrorIs(t, err, conversation.ErrConflict, "version %d", v)
	}
	stale.Subject = "stale"
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.UpdateConversation(ctx, stale) })
	require.ErrorIs(t, err, conversation.ErrConflict)
	got, err = getConversation(t, s, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got, "a stale update changes nothing")

	// Two updates in one transaction: each bumps the version.
	update(t, s, func(tx storage.Tx) error {
		c.Subject = "v3"
		if err := tx.UpdateConversation(ctx, c); err != nil {
			return err
		}
		c.Subject = "v4"
		return tx.UpdateConversation(ctx, c)
	})
	require.Equal(t, uint64(4), c.Version)
	got, err = getConversation(t, s, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got)
}

func testUserState(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	cs := createConversations(t, s, newID[conversation.OrgID](), 2)
	c := cs[0]
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	st1, st2 := newState(c.ID, u1), newState(c.ID, u2)
	st2.Snooze = newSnooze(at(10))
	update(t, s, func(tx storage.Tx) error {
		if err := tx.PutUserState(ctx, st1); err != nil {
			return err
		}
		return tx.PutUserState(ctx, st2)
	})
	getState := func(u conversation.UserID) (*conversation.UserState, error) {
		return read(t, s, func(tx storage.ReadTx) (*conversation.UserState, error) { return tx.UserState(ctx, c.ID, u) })
	}
	getStates := func(c conversation.ConversationID) map[conversation.UserID]*conversation.UserState {
		return mustRead(t, s, func(tx storage.ReadTx) (map[conversation.UserID]*conversation.UserState, error) {
			return tx.UserStates(ctx, c)
		})
	}
	got, err := getState(u2)
	require.NoError(t, err)
	require.Equal(t, st2, got)
	require.Equal(t, map[conversation.UserID]*conversation.UserState{u1: st1, u2: st2}, getStates(c.ID))
	require.Empty(t, getStates(cs[1].ID))

	st1b := st1.Clone()
	st1b.InInbox = false
	st1b.ReadSeq = 9
	st1b.Snooze = newSnooze(at(20))
	st1b.Removed = true
	update(t, s, func(tx storage.Tx) error { return tx.PutUserState(ctx, st1b) })
	got, err = getState(u1)
	require.NoError(t, err)
	require.Equal(t, st1b, got)
	require.Equal(t, map[conversation.UserID]*conversation.UserState{u1: st1b, u2: st2}, getStates(c.ID))
}

func testMessages(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	cs := createConversations(t, s, org, 2)
	c, d := cs[0], cs[1]
	var want []*conversation.Message
	for seq := uint64(1); seq <= 4; seq++ {
		want = append(want, newMessage(c.ID, seq, ""))
	}
	other := newMessage(d.ID, 1, "")
	update(t, s, func(tx storage.Tx) error {
		for _, m := range want {
			if err := tx.AddMessage(ctx, org, m); err != nil {
				return err
			}
		}
		return tx.AddMessage(ctx, org, other)
	})
	require.Equal(t, want, getMessages(t, s, c.ID))
	require.Equal(t, []*conversation.Message{other}, getMessages(t, s, d.ID))

	// Messages come back in Seq order whatever order they were added in.
	late := newMessage(c.ID, 9, "")
	early := newMessage(c.ID, 6, "")
	update(t, s, func(tx storage.Tx) error {
		if err := tx.AddMessage(ctx, org, late); err != nil {
			return err
		}
		return tx.AddMessage(ctx, org, early)
	})
	require.Equal(t, append(want, early, late), getMessages(t, s, c.ID))

	for _, conv := range []conversation.ConversationID{c.ID, d.ID} {
		dup := newMessage(conv, 20, "")
		dup.ID = want[1].ID
		err := s.Update(ctx, func(tx storage.Tx) error { return tx.AddMessage(ctx, org, dup) })
		require.ErrorIs(t, err, conversation.ErrConflict)
	}
	require.Equal(t, append(want, early, late), getMessages(t, s, c.ID))
	require.Equal(t, []*conversation.Message{other}, getMessages(t, s, d.ID))
}

func testMoveMessage(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	cs := createConversations(t, s, org, 2)
	c, d := cs[0], cs[1]
	m1, m3, m5 := newMessage(c.ID, 1, "a"), newMessage(c.ID, 3, "b"), newMessage(c.ID, 5, "c")
	m2, m4 := newMessage(d.ID, 2, "d"), newMessage(d.ID, 4, "e")
	update(t, s, func(tx storage.Tx) error {
		for _, m := range []*conversation.Message{m1, m3, m5, m2, m4} {
			if err := tx.AddMessage(ctx, org, m); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx storage.Tx) error { return tx.MoveMessage(ctx, m3.ID, d.ID) })
	require.Equal(t, []conversation.MessageID{m1.ID, m5.ID}, messageIDs(getMessages(t, s, c.ID)))
	got := getMessages(t, s, d.ID)
	require.Equal(t, []conversation.MessageID{m2.ID, m3.ID, m4.ID}, messageIDs(got), "moved messages keep Seq order")
	moved := m3.Clone()
	moved.Conversation = d.ID
	require.Equal(t, moved, got[1], "a moved message keeps its ID and Seq and names its new conversation")

	// Move to the end, then back.
	update(t, s, func(tx storage.Tx) error { return tx.MoveMessage(ctx, m5.ID, d.ID) })
	require.Equal(t, []conversation.MessageID{m2.ID, m3.ID, m4.ID, m5.ID}, messageIDs(getMessages(t, s, d.ID)))
	update(t, s, func(tx storage.Tx) error {
		if err := tx.MoveMessage(ctx, m3.ID, c.ID); err != nil {
			return err
		}
		return tx.MoveMessage(ctx, m5.ID, c.ID)
	})
	require.Equal(t, []*conversation.Message{m1, m3, m5}, getMessages(t, s, c.ID))
	require.Equal(t, []*conversation.Message{m2, m4}, getMessages(t, s, d.ID))
}

func testComments(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	cs := createConversations(t, s, newID[conversation.OrgID](), 2)
	c, d := cs[0], cs[1]
	c1, c2, c3 := newComment(c.ID, 2), newComment(c.ID, 5), newComment(c.ID, 4)
	cd := newComment(d.ID, 1)
	update(t, s, func(tx storage.Tx) error {
		for _, x := range []*conversation.Comment{c1, c2, c3, cd} {
			if err := tx.AddComment(ctx, x); err != nil {
				return err
			}
		}
		return nil
	})
	getComments := func(id conversation.ConversationID) []*conversation.Comment {
		return mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Comment, error) { return tx.Comments(ctx, id) })
	}
	require.Equal(t, []*conversation.Comment{c1, c3, c2}, getComments(c.ID), "comments come back in Seq order")
	require.Equal(t, []*conversation.Comment{cd}, getComments(d.ID))

	dup := newComment(d.ID, 7)
	dup.ID = c1.ID
	err := s.Update(ctx, func(tx storage.Tx) error { return tx.AddComment(ctx, dup) })
	require.ErrorIs(t, err, conversation.ErrConflict)
	require.Equal(t, []*conversation.Comment{cd}, getComments(d.ID))
}

func testEvents(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	cs := createConversations(t, s, newID[conversation.OrgID](), 2)
	c, d := cs[0], cs[1]
	var want []*conversation.Event
	for i, typ := range []conversation.EventType{conversation.EventCreated, conversation.EventAssigned, conversation.EventClosed} {
		e := newEvent(c.ID, typ)
		e.At = at(10 - i) // append order, not time order
		want = append(want, e)
	}
	ed := newEvent(d.ID, conversation.EventTrashed)
	update(t, s, func(tx storage.Tx) error {
		for _, e := range append(want, ed) {
			if err := tx.AppendEvent(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	getEvents := func(id conversation.ConversationID) []*conversation.Event {
		return mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Event, error) { return tx.Events(ctx, id) })
	}
	require.Equal(t, want, getEvents(c.ID))
	require.Equal(t, []*conversation.Event{ed}, getEvents(d.ID))

	dup := newEvent(d.ID, conversation.EventReopened)
	dup.ID = want[0].ID
	err := s.Update(ctx, func(tx storage.Tx) error { return tx.AppendEvent(ctx, dup) })
	require.ErrorIs(t, err, conversation.ErrConflict)
	require.Equal(t, []*conversation.Event{ed}, getEvents(d.ID))
}

func testMessagesByHeaderID(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org, other := newID[conversation.OrgID](), newID[conversation.OrgID]()
	cs := createConversations(t, s, org, 3)
	c1, c2, c3 := cs[0], cs[1], cs[2]
	x := createConversations(t, s, other, 1)[0]
	m1 := newMessage(c1.ID, 1, "abc@example.com")
	m2 := newMessage(c2.ID, 1, "abc@example.com")
	m3 := newMessage(c1.ID, 2, "ABC@example.com")
	m4 := newMessage(x.ID, 1, "abc@example.com")
	m5 := newMessage(c1.ID, 3, "")
	m6 := newMessage(c3.ID, 1, "abc@example.com")
	update(t, s, func(tx storage.Tx) error {
		for _, m := range []*conversation.Message{m1, m2, m3, m5} {
			if err := tx.AddMessage(ctx, org, m); err != nil {
				return err
			}
		}
		return tx.AddMessage(ctx, other, m4)
	})
	update(t, s, func(tx storage.Tx) error { return tx.AddMessage(ctx, org, m6) })

	require.Equal(t, []*conversation.Message{m1, m2, m6}, byHeaderID(t, s, org, "abc@example.com"), "oldest first, across conversations")
	require.Equal(t, []*conversation.Message{m3}, byHeaderID(t, s, org, "ABC@example.com"), "case-sensitive")
	require.Empty(t, byHeaderID(t, s, org, "Abc@example.com"))
	require.Equal(t, []*conversation.Message{m4}, byHeaderID(t, s, other, "abc@example.com"), "per org")
	require.Empty(t, byHeaderID(t, s, org, ""), "an empty header id is not indexed")
	require.Empty(t, byHeaderID(t, s, org, "nope@example.com"))

	update(t, s, func(tx storage.Tx) error { return tx.MoveMessage(ctx, m1.ID, c3.ID) })
	got := byHeaderID(t, s, org, "abc@example.com")
	require.Equal(t, []conversation.MessageID{m1.ID, m2.ID, m6.ID}, messageIDs(got))
	require.Equal(t, c3.ID, got[0].Conversation, "the index follows a moved message")

	update(t, s, func(tx storage.Tx) error { return tx.DeleteConversation(ctx, c2.ID) })
	require.Equal(t, []conversation.MessageID{m1.ID, m6.ID}, messageIDs(byHeaderID(t, s, org, "abc@example.com")))
	update(t, s, func(tx storage.Tx) error { return tx.DeleteConversation(ctx, c3.ID) })
	require.Empty(t, byHeaderID(t, s, org, "abc@example.com"), "deleting a conversation drops its moved-in messages too")
	require.Equal(t, []*conversation.Message{m3}, byHeaderID(t, s, org, "ABC@example.com"))
}
