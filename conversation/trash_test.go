package conversation

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Who trashes for everyone outside a team inbox (issue 10 point 5;
// F3:990, F3:8439-8448, F3:9621; conversations-detail OP-11, A-16).
func TestTrashesForEveryone(t *testing.T) {
	owner, delegate, active, observer, recipient, mentioned := uid(), uid(), uid(), uid(), uid(), uid()
	team := &Team{ID: tid()}
	team.SetMember(active, Active)
	team.SetMember(observer, Observer)
	mentionTeam := &Team{ID: tid()}
	mentionTeam.SetMember(mentioned, Active)
	teams := Teams{team.ID: team, mentionTeam.ID: mentionTeam}
	acct := AccountID(uid())

	inTeam := &Conversation{Team: team.ID, Accounts: []AccountID{acct}, Users: []UserID{owner}}
	sharedWithTeam := &Conversation{Teams: []TeamID{team.ID}, Accounts: []AccountID{acct}, Users: []UserID{owner}}
	inboxShared := &Conversation{Accounts: []AccountID{acct}, Users: []UserID{owner, recipient}}
	byMention := &Conversation{Accounts: []AccountID{acct}, Users: []UserID{owner}, MentionTeams: []TeamID{mentionTeam.ID}}
	privateSplit := &Conversation{Accounts: []AccountID{acct}, Users: []UserID{recipient}}
	noAccount := &Conversation{Users: []UserID{owner, recipient}}

	for _, tc := range []struct {
		name            string
		c               *Conversation
		u               UserID
		owner, delegate bool
		want            bool
	}{
		{"the account owner", inboxShared, owner, true, false, true},
		{"a delegated user", inboxShared, delegate, false, true, false},
		{"a recipient of an Inbox-mode account", inboxShared, recipient, false, false, false},
		{"an active member of its team", inTeam, active, false, false, true},
		{"an observer of its team", inTeam, observer, false, false, false},
		{"an active member of a team it is shared with", sharedWithTeam, active, false, false, true},
		{"an observer of a team it is shared with", sharedWithTeam, observer, false, false, false},
		{"a member of a team a mention shared it with", byMention, mentioned, false, false, false},
		{"the only one who sees it", privateSplit, recipient, false, false, true},
		{"anyone, without an account", noAccount, recipient, false, false, true},
	} {
		assert.Equal(t, tc.want, TrashesForEveryone(tc.c, tc.u, tc.owner, tc.delegate, teams), tc.name)
	}
}
