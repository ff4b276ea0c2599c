package storagetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// testContext: a transaction on a done context fails with the context's
// error and never runs its function.
func testContext(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ran := false
	err := s.Update(ctx, func(tx storage.Tx) error {
		ran = true
		return tx.PutOrg(ctx, newOrg())
	})
	require.ErrorIs(t, err, context.Canceled)
	err = s.View(ctx, func(storage.ReadTx) error {
		ran = true
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	require.False(t, ran, "a transaction ran on a canceled context")
}

// testNotFound: every read and write of a missing entity wraps
// ErrNotFound.
func testNotFound(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newOrg()
	c := newConversation(org.ID)
	update(t, s, func(tx storage.Tx) error {
		if err := tx.PutOrg(ctx, org); err != nil {
			return err
		}
		return tx.CreateConversation(ctx, c)
	})
	missingConv := newID[conversation.ConversationID]()
	reads := []struct {
		name string
		read func(tx storage.ReadTx) error
	}{
		{"Org", func(tx storage.ReadTx) error { _, err := tx.Org(ctx, newID[conversation.OrgID]()); return err }},
		{"User", func(tx storage.ReadTx) error { _, err := tx.User(ctx, newID[conversation.UserID]()); return err }},
		{"UserByHandle", func(tx storage.ReadTx) error { _, err := tx.UserByHandle(ctx, org.ID, "nobody"); return err }},
		{"UserByHandle empty", func(tx storage.ReadTx) error { _, err := tx.UserByHandle(ctx, org.ID, ""); return err }},
		{"Team", func(tx storage.ReadTx) error { _, err := tx.Team(ctx, newID[conversation.TeamID]()); return err }},
		{"TeamByHandle", func(tx storage.ReadTx) error { _, err := tx.TeamByHandle(ctx, org.ID, "nobody"); return err }},
		{"Account", func(tx storage.ReadTx) error { _, err := tx.Account(ctx, newID[conversation.AccountID]()); return err }},
		{"AccountByAddress", func(tx storage.ReadTx) error {
			_, err := tx.AccountByAddress(ctx, org.ID, "nobody@example.com")
			return err
		}},
		{"Conversation", func(tx storage.ReadTx) error { _, err := tx.Conversation(ctx, missingConv); return err }},
		{"UserState of existing conversation", func(tx storage.ReadTx) error {
			_, err := tx.UserState(ctx, c.ID, newID[conversation.UserID]())
			return err
		}},
		{"UserState of missing conversation", func(tx storage.ReadTx) error {
			_, err := tx.UserState(ctx, missingConv, newID[conversation.UserID]())
			return err
		}},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			var err error
			view(t, s, func(tx storage.ReadTx) error { err = r.read(tx); return nil })
			require.ErrorIs(t, err, conversation.ErrNotFound)
			require.NotEqual(t, conversation.ErrNotFound.Error(), err.Error(), "the error should say what is missing")
		})
	}
	writes := []struct {
		name  string
		write func(tx storage.Tx) error
	}{
		{"UpdateConversation", func(tx storage.Tx) error { return tx.UpdateConversation(ctx, newConversation(org.ID)) }},
		{"DeleteConversation", func(tx storage.Tx) error { return tx.DeleteConversation(ctx, missingConv) }},
		{"AddMessage", func(tx storage.Tx) error { return tx.AddMessage(ctx, org.ID, newMessage(missingConv, 1, "h")) }},
		{"AddComment", func(tx storage.Tx) error { return tx.AddComment(ctx, newComment(missingConv, 1)) }},
		{"AppendEvent", func(tx storage.Tx) error {
			return tx.AppendEvent(ctx, newEvent(missingConv, conversation.EventCreated))
		}},
		{"MoveMessage missing message", func(tx storage.Tx) error {
			return tx.MoveMessage(ctx, newID[conversation.MessageID](), c.ID)
		}},
		{"MoveMessage missing conversation", func(tx storage.Tx) error {
			m := newMessage(c.ID, 1, "")
			if err := tx.AddMessage(ctx, org.ID, m); err != nil {
				return errors.Join(errors.New("AddMessage failed"), err)
			}
			return tx.MoveMessage(ctx, m.ID, missingConv)
		}},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			var err error
			werr := s.Update(ctx, func(tx storage.Tx) error {
				err = w.write(tx)
				return errors.New("roll back")
			})
			require.Error(t, werr)
			require.ErrorIs(t, err, conversation.ErrNotFound)
		})
	}
}

func testOrg(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	o := newOrg()
	update(t, s, func(tx storage.Tx) error { return tx.PutOrg(ctx, o) })
	got := mustRead(t, s, func(tx storage.ReadTx) (*conversation.Org, error) { return tx.Org(ctx, o.ID) })
	require.Equal(t, o, got)

	o2 := *o
	o2.Name = "Renamed"
	o2.MaxTeams = 9
	update(t, s, func(tx storage.Tx) error { return tx.PutOrg(ctx, &o2) })
	got = mustRead(t, s, func(tx storage.ReadTx) (*conversation.Org, error) { return tx.Org(ctx, o.ID) })
	require.Equal(t, &o2, got)
}

func testUser(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org, other := newID[conversation.OrgID](), newID[conversation.OrgID]()
	var users []*conversation.User
	for i := range 6 {
		u := newUser(org, "user"+string(rune('a'+i)))
		u.ID = randomID[conversation.UserID]()
		users = append(users, u)
	}
	stranger := newUser(other, "usera")
	update(t, s, func(tx storage.Tx) error {
		for _, u := range users {
			if err := tx.PutUser(ctx, u); err != nil {
				return err
			}
		}
		return tx.PutUser(ctx, stranger)
	})

	got := mustRead(t, s, func(tx storage.ReadTx) (*conversation.User, error) { return tx.User(ctx, users[2].ID) })
	require.Equal(t, users[2], got)

	t.Run("Users sorted by ID, per org", func(t *testing.T) {
		want := slices.Clone(users)
		slices.SortFunc(want, func(a, b *conversation.User) int { return a.ID.Compare(b.ID) })
		list := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) { return tx.Users(ctx, org) })
		require.Equal(t, want, list)
		list = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) { return tx.Users(ctx, other) })
		require.Equal(t, []*conversation.User{stranger}, list)
		list = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) {
			return tx.Users(ctx, newID[conversation.OrgID]())
		})
		require.Empty(t, list)
	})

	t.Run("replace", func(t *testing.T) {
		u := *users[0]
		u.Name = "New name"
		u.Role = conversation.RoleGuest
		update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, &u) })
		got := mustRead(t, s, func(tx storage.ReadTx) (*conversation.User, error) { return tx.User(ctx, u.ID) })
		require.Equal(t, &u, got)
		list := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) { return tx.Users(ctx, org) })
		require.Len(t, list, len(users), "replacing a user must not list it twice")
	})

	t.Run("move to another org", func(t *testing.T) {
		u := *users[1]
		u.Org = other
		update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, &u) })
		list := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) { return tx.Users(ctx, org) })
		require.NotContains(t, ids(list, userID), u.ID)
		list = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.User, error) { return tx.Users(ctx, other) })
		require.Contains(t, ids(list, userID), u.ID)
		_, err := read(t, s, func(tx storage.ReadTx) (*conversation.User, error) { return tx.UserByHandle(ctx, org, u.Handle) })
		require.ErrorIs(t, err, conversation.ErrNotFound, "the handle must leave the old org")
		got := mustRead(t, s, func(tx storage.ReadTx) (*conversation.User, error) { return tx.UserByHandle(ctx, other, u.Handle) })
		require.Equal(t, &u, got)
	})
}

func userID(u *conversation.User) conversation.UserID { return u.ID }
func teamID(t *conversation.Team) conversation.TeamID { return t.ID }

func testUserHandles(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org, other := newID[conversation.OrgID](), newID[conversation.OrgID]()
	ann := newUser(org, "Ann")
	update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, ann) })
	byHandle := func(org conversation.OrgID, h string) (*conversation.User, error) {
		return read(t, s, func(tx storage.ReadTx) (*conversation.User, error) { return tx.UserByHandle(ctx, org, h) })
	}

	for _, h := range []string{"Ann", "ann", "ANN", "aNn"} {
		got, err := byHandle(org, h)
		require.NoError(t, err, h)
		require.Equal(t, ann, got, h)
	}
	_, err := byHandle(other, "ann")
	require.ErrorIs(t, err, conversation.ErrNotFound, "handles are per org")

	t.Run("conflict", func(t *testing.T) {
		for _, h := range []string{"Ann", "aNN"} {
			err := s.Update(ctx, func(tx storage.Tx) error { return tx.PutUser(ctx, newUser(org, h)) })
			require.ErrorIs(t, err, conversation.ErrConflict, h)
		}
		// Same handle in another org is fine.
		update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, newUser(other, "ANN")) })
	})

	t.Run("same user keeps its handle", func(t *testing.T) {
		again := *ann
		again.Handle = "ANN"
		update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, &again) })
		got, err := byHandle(org, "ann")
		require.NoError(t, err)
		require.Equal(t, &again, got)
		update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, ann) })
	})

	t.Run("empty handle is never indexed", func(t *testing.T) {
		update(t, s, func(tx storage.Tx) error {
			if err := tx.PutUser(ctx, newUser(org, "")); err != nil {
				return err
			}
			return tx.PutUser(ctx, newUser(org, ""))
		})
		_, err := byHandle(org, "")
		require.ErrorIs(t, err, conversation.ErrNotFound)
	})

	t.Run("replacing frees the old handle", func(t *testing.T) {
		renamed := *ann
		renamed.Handle = "anne"
		update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, &renamed) })
		_, err := byHandle(org, "ann")
		require.ErrorIs(t, err, conversation.ErrNotFound)
		got, err := byHandle(org, "Anne")
		require.NoError(t, err)
		require.Equal(t, &renamed, got)
		newcomer := newUser(org, "ANN")
		update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, newcomer) })
		got, err = byHandle(org, "ann")
		require.NoError(t, err)
		require.Equal(t, newcomer, got)

		// Dropping the handle frees it too.
		renamed.Handle = ""
		update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, &renamed) })
		_, err = byHandle(org, "anne")
		require.ErrorIs(t, err, conversation.ErrNotFound)
		update(t, s, func(tx storage.Tx) error { return tx.PutUser(ctx, newUser(org, "anne")) })
	})
}

func testTeam(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org, other := newID[conversation.OrgID](), newID[conversation.OrgID]()
	var teams []*conversation.Team
	for i := range 5 {
		tm := newTeam(org, "team"+string(rune('a'+i)))
		tm.ID = randomID[conversation.TeamID]()
		teams = append(teams, tm)
	}
	stranger := newTeam(other, "teama")
	update(t, s, func(tx storage.Tx) error {
		for _, tm := range append(slices.Clone(teams), stranger) {
			if err := tx.PutTeam(ctx, tm); err != nil {
				return err
			}
		}
		return nil
	})
	got := mustRead(t, s, func(tx storage.ReadTx) (*conversation.Team, error) { return tx.Team(ctx, teams[3].ID) })
	require.Equal(t, teams[3], got)

	want := slices.Clone(teams)
	slices.SortFunc(want, func(a, b *conversation.Team) int { return a.ID.Compare(b.ID) })
	list := mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Team, error) { return tx.Teams(ctx, org) })
	require.Equal(t, want, list)
	list = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Team, error) { return tx.Teams(ctx, other) })
	require.Equal(t, []*conversation.Team{stranger}, list)

	replaced := teams[0].Clone()
	replaced.Name = "Renamed"
	replaced.SetMember(newID[conversation.UserID](), conversation.Active)
	replaced.NoInbox = true
	update(t, s, func(tx storage.Tx) error { return tx.PutTeam(ctx, replaced) })
	got = mustRead(t, s, func(tx storage.ReadTx) (*conversation.Team, error) { return tx.Team(ctx, replaced.ID) })
	require.Equal(t, replaced, got)
	list = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Team, error) { return tx.Teams(ctx, org) })
	require.Len(t, list, len(teams))

	moved := teams[1].Clone()
	moved.Org = other
	update(t, s, func(tx storage.Tx) error { return tx.PutTeam(ctx, moved) })
	list = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Team, error) { return tx.Teams(ctx, org) })
	require.NotContains(t, ids(list, teamID), moved.ID)
	list = mustRead(t, s, func(tx storage.ReadTx) ([]*conversation.Team, error) { return tx.Teams(ctx, other) })
	require.Contains(t, ids(list, teamID), moved.ID)
}

func testTeamHandles(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org, other := newID[conversation.OrgID](), newID[conversation.OrgID]()
	sales := newTeam(org, "Sales")
	update(t, s, func(tx storage.Tx) error { return tx.PutTeam(ctx, sales) })
	byHandle := func(org conversation.OrgID, h string) (*conversation.Team, error) {
		return read(t, s, func(tx storage.ReadTx) (*conversation.Team, error) { return tx.TeamByHandle(ctx, org, h) })
	}
	for _, h := range []string{"Sales", "sales", "SALES"} {
		got, err := byHandle(org, h)
		require.NoError(t, err, h)
		require.Equal(t, sales, got)
	}
	_, err := byHandle(other, "sales")
	require.ErrorIs(t, err, conversation.ErrNotFound)

	err = s.Update(ctx, func(tx storage.Tx) error { return tx.PutTeam(ctx, newTeam(org, "sALES")) })
	require.ErrorIs(t, err, conversation.ErrConflict)
	update(t, s, func(tx storage.Tx) error { return tx.PutTeam(ctx, newTeam(other, "sales")) })

	renamed := sales.Clone()
	renamed.Handle = "sales-emea"
	update(t, s, func(tx storage.Tx) error { return tx.PutTeam(ctx, renamed) })
	_, err = byHandle(org, "sales")
	require.ErrorIs(t, err, conversation.ErrNotFound)
	got, err := byHandle(org, "Sales-EMEA")
	require.NoError(t, err)
	require.Equal(t, renamed, got)
	update(t, s, func(tx storage.Tx) error { return tx.PutTeam(ctx, newTeam(org, "Sales")) })
}

// testHandleNamespace: users (guests included) and teams of one
// organization share one handle namespace, case-insensitively; a handle
// freed by one kind can be taken by the other.
func testHandleNamespace(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org, other := newID[conversation.OrgID](), newID[conversation.OrgID]()
	ann, sales := newUser(org, "ann"), newTeam(org, "Sales")
	guest := newUser(org, "gail")
	guest.Role = conversation.RoleGuest
	update(t, s, func(tx storage.Tx) error {
		return errors.Join(tx.PutUser(ctx, ann), tx.PutUser(ctx, guest), tx.PutTeam(ctx, sales))
	})
	userBy := func(org conversation.OrgID, h string) (*conversation.User, error) {
		return read(t, s, func(tx storage.ReadTx) (*conversation.User, error) { return tx.UserByHandle(ctx, org, h) })
	}
	teamBy := func(org conversation.OrgID, h string) (*conversation.Team, error) {
		return read(t, s, func(tx storage.ReadTx) (*conversation.Team, error) { return tx.TeamByHandle(ctx, org, h) })
	}

	conflicts := []struct {
		name  string
		write func(tx storage.Tx) error
	}{
		{"new user with a team's handle", func(tx storage.Tx) error { return tx.PutUser(ctx, newUser(org, "SALES")) }},
		{"new guest with a team's handle", func(tx storage.Tx) error {
			g := newUser(org, "sales")
			g.Role = conversation.RoleGuest
			return tx.PutUser(ctx, g)
		}},
		{"new team with a user's handle", func(tx storage.Tx) error { return tx.PutTeam(ctx, newTeam(org, "Ann")) }},
		{"new team with a guest's handle", func(tx storage.Tx) error { return tx.PutTeam(ctx, newTeam(org, "GAIL")) }},
		{"user renamed to a team's handle", func(tx storage.Tx) error {
			u := *ann
			u.Handle = "sales"
			return tx.PutUser(ctx, &u)
		}},
		{"team renamed to a user's handle", func(tx storage.Tx) error {
			tm := sales.Clone()
			tm.Handle = "ANN"
			return tx.PutTeam(ctx, tm)
		}},
	}
	for _, c := range conflicts {
		err := s.Update(ctx, c.write)
		require.ErrorIs(t, err, conversation.ErrConflict, c.name)
	}
	// Each handle still finds its holder, and only through its kind.
	got, err := userBy(org, "Ann")
	require.NoError(t, err)
	require.Equal(t, ann, got)
	gotTeam, err := teamBy(org, "sales")
	require.NoError(t, err)
	require.Equal(t, sales, gotTeam)
	_, err = teamBy(org, "ann")
	require.ErrorIs(t, err, conversation.ErrNotFound, "a user's handle names no team")
	_, err = userBy(org, "SALES")
	require.ErrorIs(t, err, conversation.ErrNotFound, "a team's handle names no user")

	// Namespaces are per organization.
	update(t, s, func(tx storage.Tx) error {
		return errors.Join(tx.PutUser(ctx, newUser(other, "sales")), tx.PutTeam(ctx, newTeam(other, "ann")))
	})

	// A handle a team gives up can be taken by a user in the same
	// transaction, and the other way round.
	renamed := sales.Clone()
	renamed.Handle = "sales-emea"
	salesUser := newUser(org, "Sales")
	update(t, s, func(tx storage.Tx) error {
		return errors.Join(tx.PutTeam(ctx, renamed), tx.PutUser(ctx, salesUser))
	})
	got, err = userBy(org, "sales")
	require.NoError(t, err)
	require.Equal(t, salesUser, got)
	_, err = teamBy(org, "sales")
	require.ErrorIs(t, err, conversation.ErrNotFound)

	moved := *ann
	moved.Org = other
	moved.Handle = "ann2"
	annTeam := newTeam(org, "ANN")
	update(t, s, func(tx storage.Tx) error {
		return errors.Join(tx.PutUser(ctx, &moved), tx.PutTeam(ctx, annTeam))
	})
	gotTeam, err = teamBy(org, "ann")
	require.NoError(t, err)
	require.Equal(t, annTeam, gotTeam)
	_, err = userBy(org, "ann")
	require.ErrorIs(t, err, conversation.ErrNotFound)
}

func testAccount(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org := newID[conversation.OrgID]()
	a := newAccount(org, "support@example.com", "sales@example.com", "billing@example.com")
	update(t, s, func(tx storage.Tx) error { return tx.PutAccount(ctx, a) })
	got := mustRead(t, s, func(tx storage.ReadTx) (*conversation.Account, error) { return tx.Account(ctx, a.ID) })
	require.Equal(t, a, got)

	b := a.Clone()
	b.Channel = conversation.SMS
	b.Delegates = append(b.Delegates, newID[conversation.UserID]())
	b.Sharing = conversation.Sharing{Kind: conversation.SharedToTeamInbox, Team: newID[conversation.TeamID]()}
	update(t, s, func(tx storage.Tx) error { return tx.PutAccount(ctx, b) })
	got = mustRead(t, s, func(tx storage.ReadTx) (*conversation.Account, error) { return tx.Account(ctx, a.ID) })
	require.Equal(t, b, got)
}

func testAccountAddresses(t *testing.T, newStore func(t *testing.T) storage.Store) {
	s := newStore(t)
	ctx := t.Context()
	org, other := newID[conversation.OrgID](), newID[conversation.OrgID]()
	a := newAccount(org, "support@example.com", "sales@example.com")
	update(t, s, func(tx storage.Tx) error { return tx.PutAccount(ctx, a) })
	byAddr := func(org conversation.OrgID, addr string) (*conversation.Account, error) {
		return read(t, s, func(tx storage.ReadTx) (*conversation.Account, error) {
			return tx.AccountByAddress(ctx, org, addr)
		})
	}
	for _, addr := range []string{"support@example.com", "sales@example.com", " Support@Example.COM ", "SALES@example.com"} {
		got, err := byAddr(org, addr)
		require.NoError(t, err, addr)
		require.Equal(t, a, got, addr)
	}
	_, err := byAddr(other, "support@example.com")
	require.ErrorIs(t, err, conversation.ErrNotFound, "addresses are per org")

	t.Run("conflict", func(t *testing.T) {
		cases := []*conversation.Account{
			newAccount(org, "support@example.com", "x@example.com"), // own vs own
			newAccount(org, "sales@example.com", "y@example.com"),   // own vs shared
			newAccount(org, "z@example.com", "support@example.com"), // shared vs own
			newAccount(org, "w@example.com", "sales@example.com"),   // shared vs shared
		}
		for _, c := range cases {
			err := s.Update(ctx, func(tx storage.Tx) error { return tx.PutAccount(ctx, c) })
			require.ErrorIs(t, err, conversation.ErrConflict, c.Addresses())
		}
		update(t, s, func(tx storage.Tx) error {
			return tx.PutAccount(ctx, newAccount(other, "support@example.com", "sales@example.com"))
		})
	})

	t.Run("replacing frees old addresses", func(t *testing.T) {
		b := a.Clone()
		b.SharedAddresses[0].Address = "sales2@example.com"
		update(t, s, func(tx storage.Tx) error { return tx.PutAccount(ctx, b) })
		_, err := byAddr(org, "sales@example.com")
		require.ErrorIs(t, err, conversation.ErrNotFound)
		got, err := byAddr(org, "sales2@example.com")
		require.NoError(t, err)
		require.Equal(t, b, got)
		got, err = byAddr(org, "support@example.com")
		require.NoError(t, err, "an address kept by the replacement stays indexed")
		require.Equal(t, b, got)
		c := newAccount(org, "sales@example.com", "sales-team@example.com")
		update(t, s, func(tx storage.Tx) error { return tx.PutAccount(ctx, c) })
		got, err = byAddr(org, "sales@example.com")
		require.NoError(t, err)
		require.Equal(t, c, got)
	})

	t.Run("own address repeated as shared address", func(t *testing.T) {
		d := newAccount(org, "dup@example.com", "dup@example.com")
		update(t, s, func(tx storage.Tx) error { return tx.PutAccount(ctx, d) })
		got, err := byAddr(org, "dup@example.com")
		require.NoError(t, err)
		require.Equal(t, d, got)
		update(t, s, func(tx storage.Tx) error { return tx.PutAccount(ctx, d) })
	})
}
