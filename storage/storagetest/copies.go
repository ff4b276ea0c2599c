package storagetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// copyCheck checks copy semantics for one kind of value.
type copyCheck[T any] struct {
	// value is what gets written.
	value *T
	clone func(*T) *T
	put   func(tx storage.Tx, v *T) error
	// gets read the value back, each another way.
	gets []func(tx storage.ReadTx) (*T, error)
	// mutate changes v in place, reference fields (slice elements, map
	// entries, pointees) included.
	mutate func(v *T)
	// deep is set when T has reference fields.
	deep bool
}

func (c copyCheck[T]) run(t *testing.T, s storage.Store) {
	t.Helper()
	if c.deep {
		// The check can only fail if mutate reaches through shared
		// references: prove it does on a shallow copy.
		orig := c.clone(c.value)
		shared := c.clone(c.value)
		shallow := *shared
		c.mutate(&shallow)
		require.NotEqual(t, orig, shared, "mutate must change reference fields in place")
	}
	var want *T
	update(t, s, func(tx storage.Tx) error {
		if err := c.put(tx, c.value); err != nil {
			return err
		}
		want = c.clone(c.value)
		c.mutate(c.value) // the caller keeps changing what it passed
		for i, get := range c.gets {
			got, err := get(tx)
			require.NoError(t, err)
			require.Equal(t, want, got, "read %d in the writing transaction after mutating what was passed", i)
			c.mutate(got)
		}
		return nil
	})
	c.mutate(c.value)
	for i, get := range c.gets {
		got := mustRead(t, s, get)
		require.Equal(t, want, got, "read %d after mutating what was passed and read", i)
		c.mutate(got)
		got = mustRead(t, s, get)
		require.Equal(t, want, got, "read %d after mutating what was read", i)
	}
}

func testCopySemantics(t *testing.T, newStore func(t *testing.T) storage.Store) {
	org := newID[conversation.OrgID]()
	s := newStore(t)
	ctx := t.Context()

	t.Run("Org", func(t *testing.T) {
		o := newOrg()
		copyCheck[conversation.Org]{
			value: o,
			clone: func(o *conversation.Org) *conversation.Org { c := *o; return &c },
			put:   func(tx storage.Tx, o *conversation.Org) error { return tx.PutOrg(ctx, o) },
			gets: []func(storage.ReadTx) (*conversation.Org, error){
				func(tx storage.ReadTx) (*conversation.Org, error) { return tx.Org(ctx, o.ID) },
			},
			mutate: func(o *conversation.Org) { o.Name += "!"; o.MaxTeams++ },
		}.run(t, s)
	})

	t.Run("User", func(t *testing.T) {
		u := newUser(org, "copy-user")
		copyCheck[conversation.User]{
			value: u,
			clone: func(u *conversation.User) *conversation.User { c := *u; return &c },
			put:   func(tx storage.Tx, u *conversation.User) error { return tx.PutUser(ctx, u) },
			gets: []func(storage.ReadTx) (*conversation.User, error){
				func(tx storage.ReadTx) (*conversation.User, error) { return tx.User(ctx, u.ID) },
				func(tx storage.ReadTx) (*conversation.User, error) { return tx.UserByHandle(ctx, org, "copy-user") },
				func(tx storage.ReadTx) (*conversation.User, error) {
					us, err := tx.Users(ctx, org)
					if err != nil || len(us) == 0 {
						return nil, err
					}
					return us[0], nil
				},
			},
			mutate: func(u *conversation.User) {
				u.Name += "!"
				u.Handle += "x"
				u.Prefs.NoWatchOnReply = !u.Prefs.NoWatchOnReply
			},
		}.run(t, s)
	})

	t.Run("Team", func(t *testing.T) {
		tm := newTeam(org, "copy-team")
		copyCheck[conversation.Team]{
			value: tm,
			clone: (*conversation.Team).Clone,
			put:   func(tx storage.Tx, tm *conversation.Team) error { return tx.PutTeam(ctx, tm) },
			gets: []func(storage.ReadTx) (*conversation.Team, error){
				func(tx storage.ReadTx) (*conversation.Team, error) { return tx.Team(ctx, tm.ID) },
				func(tx storage.ReadTx) (*conversation.Team, error) { return tx.TeamByHandle(ctx, org, "copy-team") },
				func(tx storage.ReadTx) (*conversation.Team, error) {
					ts, err := tx.Teams(ctx, org)
					if err != nil || len(ts) == 0 {
						return nil, err
					}
					return ts[0], nil
				},
			},
			mutate: func(tm *conversation.Team) {
				tm.Members[0].Kind = 3 - tm.Members[0].Kind
				tm.Members[1].User = newID[conversation.UserID]()
				tm.Name += "!"
				tm.Handle += "x"
			},
			deep: true,
		}.run(t, s)
	})

	t.Run("Account", func(t *testing.T) {
		a := newAccount(org, "copy@example.com", "copy-shared@example.com")
		copyCheck[conversation.Account]{
			value: a,
			clone: (*conversation.Account).Clone,
			put:   func(tx storage.Tx, a *conversation.Account) error { return tx.PutAccount(ctx, a) },
			gets: []func(storage.ReadTx) (*conversation.Account, error){
				func(tx storage.ReadTx) (*conversation.Account, error) { return tx.Account(ctx, a.ID) },
				func(tx storage.ReadTx) (*conversation.Account, error) {
					return tx.AccountByAddress(ctx, org, "copy-shared@example.com")
				},
			},
			mutate: func(a *conversation.Account) {
				a.Address += "x"
				a.Delegates[0] = newID[conversation.UserID]()
				a.Sharing.Users[newID[conversation.UserID]()] = conversation.AutoArchive
				a.SharedAddresses[0].Address += "x"
				a.SharedAddresses[0].Sharing.Users[newID[conversation.UserID]()] = conversation.ToInbox
			},
			deep: true,
		}.run(t, s)
	})

	mutateConversation := func(c *conversation.Conversation) {
		c.Subject += "!"
		c.Assignees[0] = newID[conversation.UserID]()
		c.Users[1] = newID[conversation.UserID]()
		c.Teams[0] = newID[conversation.TeamID]()
		c.MentionTeams[0] = newID[conversation.TeamID]()
		c.Accounts[0] = newID[conversation.AccountID]()
		c.SnoozeForEveryone.Until = c.SnoozeForEveryone.Until.Add(1)
	}
	c := newConversation(org)
	c.SnoozeForEveryone = newSnooze(at(3))
	getConv := func(tx storage.ReadTx) (*conversation.Conversation, error) { return tx.Conversation(ctx, c.ID) }
	t.Run("CreateConversation", func(t *testing.T) {
		copyCheck[conversation.Conversation]{
			value:  c,
			clone:  (*conversation.Conversation).Clone,
			put:    func(tx storage.Tx, c *conversation.Conversation) error { return tx.CreateConversation(ctx, c) },
			gets:   []func(storage.ReadTx) (*conversation.Conversation, error){getConv},
			mutate: mutateConversation,
			deep:   true,
		}.run(t, s)
	})
	t.Run("UpdateConversation", func(t *testing.T) {
		u, err := getConversation(t, s, c.ID)
		require.NoError(t, err)
		u.Subject = "updated"
		copyCheck[conversation.Conversation]{
			value:  u,
			clone:  (*conversation.Conversation).Clone,
			put:    func(tx storage.Tx, c *conversation.Conversation) error { return tx.UpdateConversation(ctx, c) },
			gets:   []func(storage.ReadTx) (*conversation.Conversation, error){getConv},
			mutate: mutateConversation,
			deep:   true,
		}.run(t, s)
	})

	t.Run("UserState", func(t *testing.T) {
		st := newState(c.ID, newID[conversation.UserID]())
		st.Snooze = newSnooze(at(4))
		copyCheck[conversation.UserState]{
			value: st,
			clone: (*conversation.UserState).Clone,
			put:   func(tx storage.Tx, st *conversation.UserState) error { return tx.PutUserState(ctx, st) },
			gets: []func(storage.ReadTx) (*conversation.UserState, error){
				func(tx storage.ReadTx) (*conversation.UserState, error) { return tx.UserState(ctx, c.ID, st.User) },
				func(tx storage.ReadTx) (*conversation.UserState, error) {
					m, err := tx.UserStates(ctx, c.ID)
					return m[st.User], err
				},
			},
			mutate: func(st *conversation.UserState) {
				st.ReadSeq++
				st.Snooze.Until = st.Snooze.Until.Add(1)
				st.Snooze.LeaveInInbox = !st.Snooze.LeaveInInbox
			},
			deep: true,
		}.run(t, s)

		// The map UserStates returns belongs to the caller too.
		states := mustRead(t, s, func(tx storage.ReadTx) (map[conversation.UserID]*conversation.UserState, error) {
			return tx.UserStates(ctx, c.ID)
		})
		require.Len(t, states, 1)
		delete(states, st.User)
		states[newID[conversation.UserID]()] = newState(c.ID, newID[conversation.UserID]())
		states = mustRead(t, s, func(tx storage.ReadTx) (map[conversation.UserID]*conversation.UserState, error) {
			return tx.UserStates(ctx, c.ID)
		})
		require.Len(t, states, 1)
		require.Contains(t, states, st.User)
	})

	t.Run("Message", func(t *testing.T) {
		m := newMessage(c.ID, 1, "copy@example.com")
		copyCheck[conversation.Message]{
			value: m,
			clone: (*conversation.Message).Clone,
			put:   func(tx storage.Tx, m *conversation.Message) error { return tx.AddMessage(ctx, org, m) },
			gets: []func(storage.ReadTx) (*conversation.Message, error){
				func(tx storage.ReadTx) (*conversation.Message, error) { return first(tx.Messages(ctx, c.ID)) },
				func(tx storage.ReadTx) (*conversation.Message, error) {
					return first(tx.MessagesByHeaderID(ctx, org, "copy@example.com"))
				},
			},
			mutate: func(m *conversation.Message) {
				m.Subject += "!"
				m.HeaderID += "x"
				m.To[0].Name += "!"
				m.Cc[0].Address += "x"
				m.Bcc[0].Address += "x"
				m.Attachments[0].Size++
				m.InReplyTo[0] += "x"
				m.References[1] += "x"
			},
			deep: true,
		}.run(t, s)
	})

	t.Run("Comment", func(t *testing.T) {
		cm := newComment(c.ID, 2)
		copyCheck[conversation.Comment]{
			value: cm,
			clone: (*conversation.Comment).Clone,
			put:   func(tx storage.Tx, cm *conversation.Comment) error { return tx.AddComment(ctx, cm) },
			gets: []func(storage.ReadTx) (*conversation.Comment, error){
				func(tx storage.ReadTx) (*conversation.Comment, error) { return first(tx.Comments(ctx, c.ID)) },
			},
			mutate: func(cm *conversation.Comment) {
				cm.Body += "!"
				cm.Mentions[1].All = !cm.Mentions[1].All
				cm.Attachments[0].Name += "x"
			},
			deep: true,
		}.run(t, s)
	})

	t.Run("Event", func(t *testing.T) {
		e := newEvent(c.ID, conversation.EventShared)
		copyCheck[conversation.Event]{
			value: e,
			clone: (*conversation.Event).Clone,
			put:   func(tx storage.Tx, e *conversation.Event) error { return tx.AppendEvent(ctx, e) },
			gets: []func(storage.ReadTx) (*conversation.Event, error){
				func(tx storage.ReadTx) (*conversation.Event, error) { return first(tx.Events(ctx, c.ID)) },
			},
			mutate: func(e *conversation.Event) {
				e.Subject += "!"
				e.Users[0] = newID[conversation.UserID]()
				e.Teams[0] = newID[conversation.TeamID]()
			},
			deep: true,
		}.run(t, s)
	})

	t.Run("Placements", func(t *testing.T) {
		box := conversation.Box{Kind: conversation.Starred, User: newID[conversation.UserID]()}
		pl := []conversation.Placement{{Box: box, Unread: true}}
		update(t, s, func(tx storage.Tx) error {
			err := tx.SetPlacements(ctx, c.ID, at(5), pl)
			pl[0].Box.Kind = conversation.Trash
			pl[0].Unread = false
			return err
		})
		entries := mustRead(t, s, func(tx storage.ReadTx) ([]storage.Entry, error) {
			return tx.List(ctx, box, storage.Cursor{}, 10)
		})
		require.Len(t, entries, 1)
		require.True(t, entries[0].Unread)
		require.Equal(t, storage.Counts{Total: 1, Unread: 1}, mustRead(t, s, func(tx storage.ReadTx) (storage.Counts, error) {
			return tx.Count(ctx, box)
		}))
	})
}

// first returns the first element of a read list, nil if it is empty.
func first[T any](vs []*T, err error) (*T, error) {
	if err != nil || len(vs) == 0 {
		return nil, err
	}
	return vs[0], nil
}
