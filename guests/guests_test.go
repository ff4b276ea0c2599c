package guests_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/guests"
)

func TestCan(t *testing.T) {
	allowed := map[guests.Action]bool{
		guests.ReadConversation: true, guests.ReadTasks: true, guests.DownloadAttachments: true,
		guests.Comment: true, guests.CommentAttachments: true, guests.MentionPresent: true, guests.PersonalState: true,
	}
	for _, a := range guests.Actions() {
		t.Run(a.String(), func(t *testing.T) {
			assert.Equal(t, allowed[a], guests.Can(a))
			err := guests.Check(a)
			if allowed[a] {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, guests.ErrGuestForbidden)
			require.ErrorIs(t, err, conversation.ErrForbidden)
			assert.Contains(t, err.Error(), a.String())
			assert.NoError(t, guests.CheckRole(conversation.RoleMember, a), "members are not restricted by guest rules")
			assert.Error(t, guests.CheckRole(conversation.RoleGuest, a))
		})
	}
	assert.False(t, guests.Can(0))
	assert.False(t, guests.Can(200))
	assert.Equal(t, "action(200)", guests.Action(200).String())
	// Every task mutation is refused, reading is allowed (spec G1, F2:31-37).
	for _, a := range []guests.Action{guests.CreateTask, guests.EditTask, guests.CloseTask, guests.ReopenTask, guests.BeAssignedTask} {
		assert.False(t, guests.Can(a), a.String())
	}
	assert.True(t, guests.Can(guests.ReadTasks))
}

func TestCanInvite(t *testing.T) {
	roles := []conversation.Role{conversation.RoleOwner, conversation.RoleAdmin, conversation.RoleMember, conversation.RoleGuest}
	tests := []struct {
		policy conversation.GuestPolicy
		ok     []bool // by roles order
	}{
		{conversation.GuestsAnyMember, []bool{true, true, true, false}},
		{conversation.GuestsAdminsOnly, []bool{true, true, false, false}},
		{conversation.GuestsDisabled, []bool{false, false, false, false}},
	}
	for _, tc := range tests {
		for i, r := range roles {
			err := guests.CanInvite(tc.policy, r)
			if tc.ok[i] {
				assert.NoError(t, err, "%s/%s", tc.policy, r)
				continue
			}
			assert.ErrorIs(t, err, conversation.ErrForbidden, "%s/%s", tc.policy, r)
			if tc.policy == conversation.GuestsDisabled && r != conversation.RoleGuest {
				assert.ErrorIs(t, err, guests.ErrInvitationsDisabled)
			}
		}
	}
	assert.ErrorIs(t, guests.CanInvite(9, conversation.RoleOwner), conversation.ErrInvalidArgument)
}

func TestCanManage(t *testing.T) {
	a, b := conversation.UserID{1}, conversation.UserID{2}
	assert.NoError(t, guests.CanManage(conversation.RoleAdmin, a, b))
	assert.NoError(t, guests.CanManage(conversation.RoleOwner, a, b))
	assert.NoError(t, guests.CanManage(conversation.RoleMember, a, a))
	assert.ErrorIs(t, guests.CanManage(conversation.RoleMember, a, b), conversation.ErrForbidden)
	assert.ErrorIs(t, guests.CanManage(conversation.RoleGuest, a, a), guests.ErrGuestForbidden)
}

func TestCapacity(t *testing.T) {
	// F1:28: "if you have 8 users in your organization, you can invite up to 40 guests".
	assert.Equal(t, 40, guests.Capacity(conversation.QuotaPooled, 8))
	// F0:43: 10 users, up to 50 guests across 250 guest-enabled conversations.
	assert.Equal(t, 50, guests.Capacity(conversation.QuotaPooled, 10))
	assert.Equal(t, 250, guests.Capacity(conversation.QuotaPooled, 10)*guests.ConversationsPerGuest)
	assert.Equal(t, 5, guests.Capacity(conversation.QuotaPerInviter, 10))
	assert.Equal(t, 0, guests.Capacity(conversation.QuotaPooled, -1))
	l := guests.LimitsFor(conversation.QuotaPerInviter, 3)
	assert.Equal(t, guests.Limits{Guests: 5, ByInviter: true, Conversations: 5}, l)
	u := guests.Usage{Seats: 1, Guests: 7, Capacity: 5}
	assert.Equal(t, 0, u.Free())
	assert.ErrorIs(t, guests.ErrGuestQuota, conversation.ErrLimitReached)
	assert.ErrorIs(t, guests.ErrGuestConversationQuota, conversation.ErrLimitReached)
}

func TestToken(t *testing.T) {
	tok, err := guests.NewToken(rand.Reader)
	require.NoError(t, err)
	s := tok.String()
	assert.True(t, strings.HasPrefix(s, "ikgi_"))
	assert.Len(t, s, 5+43)
	back, err := guests.ParseToken(s)
	require.NoError(t, err)
	assert.Equal(t, tok, back)
	assert.Equal(t, tok.Hash(), back.Hash())
	other, err := guests.NewToken(rand.Reader)
	require.NoError(t, err)
	assert.NotEqual(t, tok, other)
	assert.NotEqual(t, tok.Hash(), other.Hash())
	assert.False(t, tok.Hash().IsZero())

	_, err = guests.NewToken(iotest.ErrReader(errors.New("no entropy")))
	assert.ErrorContains(t, err, "no entropy")
	_, err = guests.NewToken(bytes.NewReader(make([]byte, 10)))
	assert.Error(t, err)

	for _, bad := range []string{"", "ikgi_", s[:len(s)-1], s + "A", "IKGI_" + s[5:], " " + s, s[:len(s)-1] + "=", strings.Replace(s, "ikgi_", "ikgx_", 1)} {
		_, err := guests.ParseToken(bad)
		assert.ErrorIs(t, err, guests.ErrInvalidToken, "%q", bad)
		assert.ErrorIs(t, err, conversation.ErrNotFound)
	}
}

func TestTokenRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var tok guests.Token
		copy(tok[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "bytes"))
		back, err := guests.ParseToken(tok.String())
		if err != nil || back != tok {
			t.Fatalf("round trip of %x: %v %x", tok, err, back)
		}
	})
}

func FuzzParseToken(f *testing.F) {
	f.Add("ikgi_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("ikgi_")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := guests.ParseToken(s)
		if err != nil {
			if !errors.Is(err, guests.ErrInvalidToken) {
				t.Fatalf("error %v does not wrap ErrInvalidToken", err)
			}
			return
		}
		if tok.String() != s {
			t.Fatalf("accepted non-canonical %q (canonical %q)", s, tok.String())
		}
	})
}

func TestRedact(t *testing.T) {
	c := &conversation.Conversation{ID: conversation.ConversationID{1}, Subject: "s", Labels: []conversation.LabelID{{1}, {2}},
		MergedInto: conversation.ConversationID{2}, ContinuationOf: conversation.ConversationID{3}, ContinuedIn: conversation.ConversationID{4},
		Scope: "acct", Users: []conversation.UserID{{5}}}
	r := guests.Conversation(c)
	assert.Empty(t, r.Labels)
	assert.True(t, r.MergedInto.IsZero() && r.ContinuationOf.IsZero() && r.ContinuedIn.IsZero())
	assert.Empty(t, r.Scope)
	assert.Equal(t, c.Subject, r.Subject)
	assert.Equal(t, c.Users, r.Users)
	assert.Len(t, c.Labels, 2, "the original is not changed")

	ev := &conversation.Event{Type: conversation.EventLinked, Related: []conversation.ConversationID{{9}}}
	re, ok := guests.Event(ev)
	assert.True(t, ok)
	assert.Empty(t, re.Related)
	assert.Len(t, ev.Related, 1)

	m := &conversation.Message{Subject: "x", Scope: "s", Copies: []conversation.Copy{{Ref: "INBOX/1"}},
		Attachments: []conversation.Attachment{{Name: "invoice.pdf"}}}
	rm := guests.Message(m)
	assert.Empty(t, rm.Copies)
	assert.Equal(t, m.Attachments, rm.Attachments, "guests download attachments (F1:14)")
}

func TestEmail(t *testing.T) {
	for in, want := range map[string]string{"g@ext.com": "g@ext.com", "  G@Ext.COM ": "g@ext.com", "a.b+c@x.y": "a.b+c@x.y"} {
		got, err := guests.Email(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
	for _, bad := range []string{"", " ", "g", "g@", "@x", "G <g@x.com>", "<g@x.com>", "a@x, b@y", "g@x\ny@z", strings.Repeat("a", 250) + "@x.com"} {
		_, err := guests.Email(bad)
		assert.ErrorIs(t, err, conversation.ErrInvalidArgument, "%q", bad)
	}
}

func FuzzEmail(f *testing.F) {
	f.Add("g@ext.com")
	f.Add("G <g@x>")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := guests.Email(s)
		if err != nil {
			if !errors.Is(err, conversation.ErrInvalidArgument) {
				t.Fatalf("%v does not wrap ErrInvalidArgument", err)
			}
			return
		}
		if again, err := guests.Email(got); err != nil || again != got {
			t.Fatalf("canonical %q does not validate to itself: %q %v", got, again, err)
		}
	})
}
