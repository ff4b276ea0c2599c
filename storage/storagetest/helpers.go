package storagetest

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// newID returns a new version 7 ID of any ID type: the ID kinds of package
// conversation are unexported, so conversation.NewID cannot be
// instantiated here, but every ID type is a 16-byte array.
func newID[T ~[16]byte]() T { return T(uuid.Must(uuid.NewV7())) }

// randomID returns a random (version 4) ID, whose order is unrelated to
// creation order, for tests of sorting.
func randomID[T ~[16]byte]() T { return T(uuid.New()) }

// t0 is the base time of the fixtures.
var t0 = time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)

// at returns t0 plus m minutes.
func at(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

// update runs fn in a transaction that must commit.
func update(t *testing.T, s storage.Store, fn func(tx storage.Tx) error) {
	t.Helper()
	require.NoError(t, s.Update(t.Context(), fn))
}

// view runs fn in a read-only transaction that must succeed.
func view(t *testing.T, s storage.Store, fn func(tx storage.ReadTx) error) {
	t.Helper()
	require.NoError(t, s.View(t.Context(), fn))
}

// read returns what fn reads in a View.
func read[T any](t *testing.T, s storage.Store, fn func(tx storage.ReadTx) (T, error)) (T, error) {
	t.Helper()
	var v T
	var ferr error
	require.NoError(t, s.View(t.Context(), func(tx storage.ReadTx) error {
		v, ferr = fn(tx)
		return nil
	}))
	return v, ferr
}

// mustRead returns what fn reads in a View, which must not fail.
func mustRead[T any](t *testing.T, s storage.Store, fn func(tx storage.ReadTx) (T, error)) T {
	t.Helper()
	v, err := read(t, s, fn)
	require.NoError(t, err)
	return v
}

func newOrg() *conversation.Org {
	return &conversation.Org{
		ID:            newID[conversation.OrgID](),
		Name:          "Acme",
		Owner:         newID[conversation.UserID](),
		MultiTeamMode: conversation.SingleConversation,
		MaxTeams:      7,
		GuestPolicy:   conversation.GuestsAdminsOnly,
		GuestQuota:    conversation.QuotaPerInviter,
	}
}

func newUser(org conversation.OrgID, handle string) *conversation.User {
	return &conversation.User{
		ID:     newID[conversation.UserID](),
		Org:    org,
		Name:   "User " + handle,
		Email:  handle + "@example.com",
		Handle: handle,
		Role:   conversation.RoleAdmin,
		Prefs:  conversation.Prefs{ArchiveAssigned: conversation.ArchiveAndClose, NoWatchOnReply: true},
	}
}

func newTeam(org conversation.OrgID, handle string) *conversation.Team {
	t := &conversation.Team{
		ID:              newID[conversation.TeamID](),
		Org:             org,
		Name:            "Team " + handle,
		Handle:          handle,
		ChatRoom:        true,
		Mention:         conversation.MentionActiveAndObservers,
		ReplyToAssigned: conversation.MoveBackToTeamInbox,
	}
	t.SetMember(newID[conversation.UserID](), conversation.Active)
	t.SetMember(newID[conversation.UserID](), conversation.Observer)
	return t
}

// newAccount returns an account of org with address addr and the given
// shared addresses (at least one is added when none is given).
func newAccount(org conversation.OrgID, addr string, shared ...string) *conversation.Account {
	if len(shared) == 0 {
		shared = []string{"shared-" + newID[conversation.AccountID]().String() + "@example.com"}
	}
	a := &conversation.Account{
		ID:        newID[conversation.AccountID](),
		Org:       org,
		Channel:   conversation.Email,
		Address:   addr,
		Owner:     newID[conversation.UserID](),
		Delegates: []conversation.UserID{newID[conversation.UserID]()},
		Sharing: conversation.Sharing{
			Kind:  conversation.SharedToInboxes,
			Users: map[conversation.UserID]conversation.InboxDelivery{newID[conversation.UserID](): conversation.ToInbox},
		},
	}
	for _, s := range shared {
		a.SharedAddresses = append(a.SharedAddresses, conversation.SharedAddress{
			Address: s,
			Sharing: conversation.Sharing{
				Kind:  conversation.SharedToInboxes,
				Users: map[conversation.UserID]conversation.InboxDelivery{newID[conversation.UserID](): conversation.AutoArchive},
			},
		})
	}
	return a
}

func newConversation(org conversation.OrgID) *conversation.Conversation {
	return newConversationWithID(org, newID[conversation.ConversationID]())
}

func newConversationWithID(org conversation.OrgID, id conversation.ConversationID) *conversation.Conversation {
	u1, u2 := newID[conversation.UserID](), newID[conversation.UserID]()
	return &conversation.Conversation{
		ID:              id,
		Org:             org,
		Kind:            conversation.Thread,
		Subject:         "Hello",
		Color:           "blue",
		Team:            newID[conversation.TeamID](),
		InTeamInbox:     true,
		Assignees:       []conversation.UserID{u1},
		Users:           []conversation.UserID{u1, u2},
		Teams:           []conversation.TeamID{newID[conversation.TeamID]()},
		MentionTeams:    []conversation.TeamID{newID[conversation.TeamID]()},
		Guests:          []conversation.UserID{newID[conversation.UserID]()},
		Accounts:        []conversation.AccountID{newID[conversation.AccountID]()},
		Labels:          []conversation.LabelID{newID[conversation.LabelID]()},
		LabelUsers:      []conversation.UserID{u2},
		TaskAssignees:   []conversation.UserID{u1},
		TaskDescription: "call back",
		TaskDue:         conversation.Date{Year: 2025, Month: 3, Day: 9},
		Messages:        1,
		Seq:             3,
		MessageSeq:      2,
		CommentSeq:      3,
		CreatedAt:       at(0),
		LastActivity:    at(1),
	}
}

func newSnooze(until time.Time) *conversation.Snooze {
	return &conversation.Snooze{Until: until, By: newID[conversation.UserID](), At: at(-1), DiscardOnReply: true}
}

func newState(c conversation.ConversationID, u conversation.UserID) *conversation.UserState {
	return &conversation.UserState{Conversation: c, User: u, InInbox: true, ReadSeq: 2, Watching: true, Starred: true}
}

func newMessage(c conversation.ConversationID, seq uint64, header string) *conversation.Message {
	return &conversation.Message{
		ID:           newID[conversation.MessageID](),
		Conversation: c,
		Account:      newID[conversation.AccountID](),
		Direction:    conversation.Inbound,
		Channel:      conversation.Email,
		From:         conversation.Address{Name: "Ann", Address: "ann@example.com"},
		To:           []conversation.Address{{Name: "Bob", Address: "bob@example.com"}},
		Cc:           []conversation.Address{{Address: "cc@example.com"}},
		Bcc:          []conversation.Address{{Address: "bcc@example.com"}},
		Subject:      "Hello",
		Text:         "Hi there",
		Attachments:  []conversation.Attachment{{Name: "a.pdf", ContentType: "application/pdf", Size: 10}},
		HeaderID:     header,
		InReplyTo:    []string{"parent@example.com"},
		References:   []string{"root@example.com", "parent@example.com"},
		At:           at(int(seq)),
		Seq:          seq,
	}
}

func newComment(c conversation.ConversationID, seq uint64) *conversation.Comment {
	return &conversation.Comment{
		ID:           newID[conversation.CommentID](),
		Conversation: c,
		Author:       newID[conversation.UserID](),
		Body:         "note",
		Mentions:     []conversation.Mention{{User: newID[conversation.UserID]()}, {All: true}},
		Attachments:  []conversation.Attachment{{Name: "b.png", ContentType: "image/png", Size: 3, ContentID: "x"}},
		At:           at(int(seq)),
		Seq:          seq,
	}
}

func newEvent(c conversation.ConversationID, typ conversation.EventType) *conversation.Event {
	return &conversation.Event{
		ID:           newID[conversation.EventID](),
		Conversation: c,
		Type:         typ,
		Actor:        newID[conversation.UserID](),
		At:           at(2),
		Users:        []conversation.UserID{newID[conversation.UserID]()},
		Teams:        []conversation.TeamID{newID[conversation.TeamID]()},
		Message:      newID[conversation.MessageID](),
		Subject:      "s",
		Labels:       []conversation.LabelChange{{Label: newID[conversation.LabelID](), Kind: conversation.OrgLabel, Added: true, Name: "n", Path: "p/n"}},
	}
}

func ids[T any, K any](vs []*T, id func(*T) conversation.ID[K]) []conversation.ID[K] {
	out := make([]conversation.ID[K], len(vs))
	for i, v := range vs {
		out[i] = id(v)
	}
	return out
}

func messageIDs(ms []*conversation.Message) []conversation.MessageID {
	return ids(ms, func(m *conversation.Message) conversation.MessageID { return m.ID })
}
