package conversation

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
)

func TestCanSendFrom(t *testing.T) {
	org := OrgID(uuid.Must(uuid.NewV7()))
	owner, delegate, member, observer, inboxUser, stranger := uid(), uid(), uid(), uid(), uid(), uid()
	team := &Team{ID: tid(), Org: org, Members: []Membership{{User: member, Kind: Active}, {User: observer, Kind: Observer}}}
	acct := &Account{Org: org, Address: "me@acme.test", Owner: owner, Delegates: []UserID{delegate},
		SharedAddresses: []SharedAddress{
			{Address: "help@acme.test", Sharing: Sharing{Kind: SharedToTeamInbox, Team: team.ID}},
			{Address: "sales@acme.test", Sharing: Sharing{Kind: SharedToInboxes, Users: map[UserID]InboxDelivery{inboxUser: ToInbox}}},
		}}
	teams := Teams{team.ID: team}
	user := func(id UserID, role Role) *User { return &User{ID: id, Org: org, Role: role} }
	for _, c := range []struct {
		name string
		addr string
		u    *User
		want bool
	}{
		{"owner, own address", "me@acme.test", user(owner, RoleMember), true},
		{"owner, an alias", "help@acme.test", user(owner, RoleMember), true},
		{"delegate", "me@acme.test", user(delegate, RoleMember), true},
		{"team member, team alias", "HELP@acme.test", user(member, RoleMember), true},
		{"observer, team alias", "help@acme.test", user(observer, RoleMember), true},
		{"team member, personal address", "me@acme.test", user(member, RoleMember), false},
		{"inbox user, their alias", "sales@acme.test", user(inboxUser, RoleMember), true},
		{"inbox user, team alias", "help@acme.test", user(inboxUser, RoleMember), false},
		{"admin without access", "me@acme.test", user(stranger, RoleAdmin), false},
		{"guest", "help@acme.test", user(member, RoleGuest), false},
		{"another organization", "me@acme.test", &User{ID: owner, Org: OrgID(uuid.Must(uuid.NewV7()))}, false},
		{"not an address of the account", "other@acme.test", user(owner, RoleMember), false},
	} {
		assert.Equal(t, c.want, CanSendFrom(acct, c.addr, c.u, teams), c.name)
	}
}

// Mark as spam is for the owner and delegated users of an email account
// only (F3:3043; issue 10, point 10).
func TestMayMarkSpam(t *testing.T) {
	owner, delegate, member, inboxUser := uid(), uid(), uid(), uid()
	team := tid()
	acct := &Account{Channel: Email, Owner: owner, Delegates: []UserID{delegate},
		Sharing:         Sharing{Kind: SharedToTeamInbox, Team: team},
		SharedAddresses: []SharedAddress{{Address: "sales@acme.test", Sharing: Sharing{Kind: SharedToInboxes, Users: map[UserID]InboxDelivery{inboxUser: ToInbox}}}}}
	assert.True(t, acct.MayMarkSpam(owner))
	assert.True(t, acct.MayMarkSpam(delegate))
	assert.False(t, acct.MayMarkSpam(member), "shared to the team: no delegated access")
	assert.False(t, acct.MayMarkSpam(inboxUser), "shared to the user's Inbox: no delegated access")
	sms := acct.Clone()
	sms.Channel = SMS
	assert.False(t, sms.MayMarkSpam(owner), "spam is an email action")
}
