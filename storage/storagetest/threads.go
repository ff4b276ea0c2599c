package storagetest

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// testThreadIndex: ids are known per scope, waiting lists keep order and
// are deduplicated, a known id ignores waiting, a later record replaces an
// earlier one (a split), the latest subject wins, a rolled-back write
// leaves nothing, and deleting a conversation drops it from the index.
func testThreadIndex(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := context.Background()
	org := newOrg()
	convs := createConversations(t, s, org.ID, 3)
	c0, c1, c2 := convs[0].ID, convs[1].ID, convs[2].ID
	entry := func(scope, id string) storage.ThreadEntry {
		return mustRead(t, s, func(tx storage.ReadTx) (storage.ThreadEntry, error) { return tx.ThreadEntry(ctx, scope, id) })
	}
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.AddThreadWaiting(ctx, "a", "p@x", c1))
		require.NoError(t, tx.AddThreadWaiting(ctx, "a", "p@x", c0))
		require.NoError(t, tx.AddThreadWaiting(ctx, "a", "p@x", c1)) // already waiting
		require.NoError(t, tx.PutThreadMessage(ctx, "a", "m@x", c0))
		require.NoError(t, tx.AddThreadWaiting(ctx, "a", "m@x", c2)) // known: ignored
		return nil
	})
	assert.Equal(t, storage.ThreadEntry{Waiting: []conversation.ConversationID{c1, c0}}, entry("a", "p@x"))
	assert.Equal(t, storage.ThreadEntry{Known: true, Conversation: c0}, entry("a", "m@x"))
	assert.Equal(t, storage.ThreadEntry{}, entry("b", "m@x"), "scopes are apart")
	assert.Equal(t, storage.ThreadEntry{}, entry("a", "M@x"), "ids are case-sensitive")

	// The waiting list is a copy.
	e := entry("a", "p@x")
	e.Waiting[0] = c2
	assert.Equal(t, c1, entry("a", "p@x").Waiting[0])

	// Recording the id drops its waiting list; a split re-records it.
	update(t, s, func(tx storage.Tx) error { return tx.PutThreadMessage(ctx, "a", "p@x", c1) })
	assert.Equal(t, storage.ThreadEntry{Known: true, Conversation: c1}, entry("a", "p@x"))
	update(t, s, func(tx storage.Tx) error { return tx.PutThreadMessage(ctx, "a", "p@x", c2) })
	assert.Equal(t, c2, entry("a", "p@x").Conversation)

	// Subjects: the latest date wins.
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.PutThreadSubject(ctx, "a", "invoice 42", c0, at(5)))
		require.NoError(t, tx.PutThreadSubject(ctx, "a", "invoice 42", c1, at(3)))
		return nil
	})
	last := func(key string) (conversation.ConversationID, bool) {
		var c conversation.ConversationID
		var ok bool
		view(t, s, func(tx storage.ReadTx) error {
			var err error
			c, _, ok, err = tx.LastBySubject(ctx, "a", key)
			return err
		})
		return c, ok
	}
	got, ok := last("invoice 42")
	assert.True(t, ok)
	assert.Equal(t, c0, got)

	// Missing conversations are refused; a rolled-back write leaves nothing.
	missing := newID[conversation.ConversationID]()
	err := s.Update(ctx, func(tx storage.Tx) error { return tx.PutThreadMessage(ctx, "a", "z@x", missing) })
	assert.True(t, errors.Is(err, conversation.ErrNotFound), "%v", err)
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.AddThreadWaiting(ctx, "a", "z@x", missing) })
	assert.True(t, errors.Is(err, conversation.ErrNotFound), "%v", err)
	boom := errors.New("boom")
	err = s.Update(ctx, func(tx storage.Tx) error {
		require.NoError(t, tx.PutThreadMessage(ctx, "a", "r@x", c0))
		require.NoError(t, tx.AddThreadWaiting(ctx, "a", "w@x", c0))
		require.NoError(t, tx.PutThreadSubject(ctx, "a", "rolled", c0, at(1)))
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, storage.ThreadEntry{}, entry("a", "r@x"))
	assert.Equal(t, storage.ThreadEntry{}, entry("a", "w@x"))
	_, ok = last("rolled")
	assert.False(t, ok)

	// Deleting a conversation drops what names it.
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.AddThreadWaiting(ctx, "a", "q@x", c1))
		require.NoError(t, tx.AddThreadWaiting(ctx, "a", "q@x", c2))
		return tx.DeleteConversation(ctx, c2)
	})
	assert.Equal(t, storage.ThreadEntry{}, entry("a", "p@x"))
	assert.Equal(t, storage.ThreadEntry{Waiting: []conversation.ConversationID{c1}}, entry("a", "q@x"))
	update(t, s, func(tx storage.Tx) error { return tx.DeleteConversation(ctx, c0) })
	_, ok = last("invoice 42")
	assert.False(t, ok)
	assert.Equal(t, storage.ThreadEntry{}, entry("a", "m@x"))
}

// testUpdateContent: UpdateMessage and UpdateComment re-sort by Seq and
// refuse to move; MoveComment re-homes a comment.
func testUpdateContent(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := context.Background()
	org := newOrg()
	convs := createConversations(t, s, org.ID, 2)
	c, d := convs[0].ID, convs[1].ID
	m1, m2 := newMessage(c, 1, "a@x"), newMessage(c, 2, "b@x")
	k1, k2 := newComment(c, 3), newComment(c, 4)
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.AddMessage(ctx, org.ID, m1))
		require.NoError(t, tx.AddMessage(ctx, org.ID, m2))
		require.NoError(t, tx.AddComment(ctx, k1))
		return tx.AddComment(ctx, k2)
	})
	m1.Seq, m1.Text = 5, "later"
	k2.Seq, k2.Body = 1, "first"
	update(t, s, func(tx storage.Tx) error {
		require.NoError(t, tx.UpdateMessage(ctx, m1))
		return tx.UpdateComment(ctx, k2)
	})
	msgs := getMessages(t, s, c)
	require.Len(t, msgs, 2)
	assert.Equal(t, []conversation.MessageID{m2.ID, m1.ID}, messageIDs(msgs))
	assert.Equal(t, "later", msgs[1].Text)
	comments := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Comment, error) { return tx.Comments(ctx, c) })
	require.Len(t, comments, 2)
	assert.Equal(t, k2.ID, comments[0].ID)
	assert.Equal(t, "first", comments[0].Body)

	for name, fn := range map[string]func(tx storage.Tx) error{
		"message changes conversation": func(tx storage.Tx) error { x := m1.Clone(); x.Conversation = d; return tx.UpdateMessage(ctx, x) },
		"message changes Message-ID":   func(tx storage.Tx) error { x := m1.Clone(); x.HeaderID = "z@x"; return tx.UpdateMessage(ctx, x) },
		"comment changes conversation": func(tx storage.Tx) error { x := k1.Clone(); x.Conversation = d; return tx.UpdateComment(ctx, x) },
	} {
		err := s.Update(ctx, fn)
		assert.True(t, errors.Is(err, conversation.ErrInvalidArgument), "%s: %v", name, err)
	}
	for name, fn := range map[string]func(tx storage.Tx) error{
		"missing message": func(tx storage.Tx) error { return tx.UpdateMessage(ctx, newMessage(c, 9, "")) },
		"missing comment": func(tx storage.Tx) error { return tx.UpdateComment(ctx, newComment(c, 9)) },
		"move missing":    func(tx storage.Tx) error { return tx.MoveComment(ctx, newID[conversation.CommentID](), d) },
		"move to missing": func(tx storage.Tx) error { return tx.MoveComment(ctx, k1.ID, newID[conversation.ConversationID]()) },
	} {
		err := s.Update(ctx, fn)
		assert.True(t, errors.Is(err, conversation.ErrNotFound), "%s: %v", name, err)
	}

	update(t, s, func(tx storage.Tx) error { return tx.MoveComment(ctx, k1.ID, d) })
	moved := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Comment, error) { return tx.Comments(ctx, d) })
	require.Len(t, moved, 1)
	assert.Equal(t, k1.ID, moved[0].ID)
	assert.Equal(t, d, moved[0].Conversation)
	left := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Comment, error) { return tx.Comments(ctx, c) })
	assert.Len(t, left, 1)
}
