package inbox

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// UserSpec describes a user to create.
type UserSpec struct {
	Name  string
	Email string
	// Handle is what others type after "@"; letters, digits, '.', '_'
	// and '-'. Users, guests and teams share one handle namespace per
	// organization: a handle another user, guest or team holds
	// (case-insensitively) is ErrConflict, and "all", which mentions
	// everyone with access, is reserved (ErrInvalidArgument).
	Handle string
	// Role is RoleMember (the zero value) or RoleAdmin. The owner is made
	// by CreateOrg; guests join by invitation.
	Role conversation.Role
}

// OrgSpec describes an organization to create with its owner.
type OrgSpec struct {
	Name          string
	Owner         UserSpec
	MultiTeamMode conversation.MultiTeamMode
	// MaxTeams caps teams; zero means the documented 1,000.
	MaxTeams int
}

// CreateOrg creates an organization and its owner. It is the bootstrap
// operation and needs no actor.
func (e *Engine) CreateOrg(ctx context.Context, spec OrgSpec) (*conversation.Org, *conversation.User, error) {
	if strings.TrimSpace(spec.Name) == "" {
		return nil, nil, conversation.Errorf(ErrInvalidArgument, "organization name is empty")
	}
	if err := validHandle(spec.Owner.Handle); err != nil {
		return nil, nil, err
	}
	org := &conversation.Org{ID: conversation.OrgID(e.newID()), Name: spec.Name, MultiTeamMode: spec.MultiTeamMode, MaxTeams: spec.MaxTeams}
	owner := &conversation.User{ID: conversation.UserID(e.newID()), Org: org.ID, Name: spec.Owner.Name,
		Email: conversation.CanonicalAddress(spec.Owner.Email), Handle: spec.Owner.Handle, Role: conversation.RoleOwner}
	org.Owner = owner.ID
	err := e.store.Update(ctx, func(tx storage.Tx) error {
		if err := tx.PutOrg(ctx, org); err != nil {
			return err
		}
		return tx.PutUser(ctx, owner)
	})
	if err != nil {
		return nil, nil, err
	}
	return org, owner, nil
}

// AddUser adds a member or admin to the actor's organization. Only owners
// and admins may.
func (e *Engine) AddUser(ctx context.Context, actor Actor, spec UserSpec) (*conversation.User, error) {
	if spec.Role != conversation.RoleMember && spec.Role != conversation.RoleAdmin {
		return nil, conversation.Errorf(ErrInvalidArgument, "AddUser makes members and admins, not %s", spec.Role)
	}
	if err := validHandle(spec.Handle); err != nil {
		return nil, err
	}
	var u *conversation.User
	err := e.update(ctx, actor, func(o *op) error {
		if o.user == nil {
			return conversation.Errorf(ErrForbidden, "users are added by an admin")
		}
		if _, err := o.admin(o.user.Org); err != nil {
			return err
		}
		if err := o.checkHandleFree(o.user.Org, spec.Handle); err != nil {
			return err
		}
		u = &conversation.User{ID: conversation.UserID(e.newID()), Org: o.user.Org, Name: spec.Name,
			Email: conversation.CanonicalAddress(spec.Email), Handle: spec.Handle, Role: spec.Role}
		return o.tx.PutUser(o.ctx, u)
	})
	return u, err
}

// SetPrefs replaces the actor's own preferences.
func (e *Engine) SetPrefs(ctx context.Context, actor Actor, prefs conversation.Prefs) error {
	return e.update(ctx, actor, func(o *op) error {
		if o.user == nil {
			return conversation.Errorf(ErrForbidden, "preferences belong to a user")
		}
		o.user.Prefs = prefs
		return o.tx.PutUser(o.ctx, o.user)
	})
}

// TeamSpec describes a team to create.
type TeamSpec struct {
	Name string
	// Handle mentions the team; it shares the namespace of user handles
	// (see UserSpec.Handle).
	Handle string
	// Members, each once.
	Members []conversation.Membership
	// NoInbox makes a team without a team inbox.
	NoInbox         bool
	ChatRoom        bool
	Mention         conversation.MentionOption
	ReplyFromInbox  conversation.ReplyFromTeamInbox
	ReplyToAssigned conversation.ReplyToAssigned
}

// CreateTeam creates a team in the actor's organization. Owners and admins
// only; at most Org.TeamLimit teams.
func (e *Engine) CreateTeam(ctx context.Context, actor Actor, spec TeamSpec) (*conversation.Team, error) {
	if strings.TrimSpace(spec.Name) == "" {
		return nil, conversation.Errorf(ErrInvalidArgument, "team name is empty")
	}
	if err := validHandle(spec.Handle); err != nil {
		return nil, err
	}
	var team *conversation.Team
	err := e.update(ctx, actor, func(o *op) error {
		if o.user == nil {
			return conversation.Errorf(ErrForbidden, "teams are created by an admin")
		}
		if _, err := o.admin(o.user.Org); err != nil {
			return err
		}
		org, err := o.loadOrg(o.user.Org)
		if err != nil {
			return err
		}
		teams, err := o.tx.Teams(o.ctx, org.ID)
		if err != nil {
			return err
		}
		if len(teams) >= org.TeamLimit() {
			return conversation.Errorf(ErrLimitReached, "organization already has %d teams (limit %d)", len(teams), org.TeamLimit())
		}
		if err := o.checkHandleFree(org.ID, spec.Handle); err != nil {
			return err
		}
		team = &conversation.Team{ID: conversation.TeamID(e.newID()), Org: org.ID, Name: spec.Name, Handle: spec.Handle,
			NoInbox: spec.NoInbox, ChatRoom: spec.ChatRoom, Mention: spec.Mention,
			ReplyFromInbox: spec.ReplyFromInbox, ReplyToAssigned: spec.ReplyToAssigned}
		for _, m := range spec.Members {
			if err := o.checkMember(org.ID, m.User); err != nil {
				return err
			}
			if m.Kind != conversation.Active && m.Kind != conversation.Observer {
				return conversation.Errorf(ErrInvalidArgument, "membership kind %d", m.Kind)
			}
			if team.MemberKind(m.User) != 0 {
				return conversation.Errorf(ErrInvalidArgument, "user %s listed twice", m.User)
			}
			team.SetMember(m.User, m.Kind)
		}
		return o.tx.PutTeam(o.ctx, team)
	})
	return team, err
}

// SetMembership makes user u an active member or observer of team, or (kind
// 0) removes them. Owners and admins only. Every conversation the team can
// see is re-placed, so team inbox and Team Inboxes listings follow at once.
func (e *Engine) SetMembership(ctx context.Context, actor Actor, team conversation.TeamID, u conversation.UserID, kind conversation.MembershipKind) error {
	if kind > conversation.Observer {
		return conversation.Errorf(ErrInvalidArgument, "membership kind %d", kind)
	}
	if err := cmp.Or(needID("team", team), needID("user", u)); err != nil {
		return err
	}
	return e.update(ctx, actor, func(o *op) error {
		t, err := o.tx.Team(o.ctx, team)
		if err != nil {
			return err
		}
		if o.user == nil || o.user.Org != t.Org {
			return conversation.Errorf(ErrNotFound, "team %s", team)
		}
		if _, err := o.admin(t.Org); err != nil {
			return err
		}
		if kind != 0 {
			if err := o.checkMember(t.Org, u); err != nil {
				return err
			}
		}
		t.SetMember(u, kind)
		if err := o.tx.PutTeam(o.ctx, t); err != nil {
			return err
		}
		return o.replaceTeam(t)
	})
}

// replaceTeam recomputes the placements of every conversation team t can
// see, reading them from the team's index page by page.
func (o *op) replaceTeam(t *conversation.Team) error {
	box := conversation.Box{Kind: conversation.TeamConversations, Team: t.ID}
	var after storage.Cursor
	for {
		entries, err := o.tx.List(o.ctx, box, after, 256)
		if err != nil {
			return err
		}
		for _, en := range entries {
			c, err := o.tx.Conversation(o.ctx, en.Conversation)
			if err != nil {
				return err
			}
			states, err := o.tx.UserStates(o.ctx, c.ID)
			if err != nil {
				return err
			}
			teams := conversation.Teams{t.ID: t}
			for _, id := range c.GrantTeams() {
				if id == t.ID {
					continue
				}
				other, err := o.tx.Team(o.ctx, id)
				if err != nil {
					return err
				}
				teams[id] = other
			}
			if err := o.tx.SetPlacements(o.ctx, c.ID, c.LastActivity, conversation.Placements(nil, c, states, teams)); err != nil {
				return err
			}
		}
		if len(entries) < 256 {
			return nil
		}
		after = entries[len(entries)-1].Cursor()
	}
}

// checkMember verifies that u is a non-guest user of org.
func (o *op) checkMember(org conversation.OrgID, u conversation.UserID) error {
	if err := needID("user", u); err != nil {
		return err
	}
	usr, err := o.tx.User(o.ctx, u)
	if err != nil {
		return err
	}
	if usr.Org != org {
		return conversation.Errorf(ErrNotFound, "user %s", u)
	}
	if usr.Role == conversation.RoleGuest {
		return conversation.Errorf(ErrGuestForbidden, "guests cannot be team members, assignees or shared with as users")
	}
	return nil
}

// AccountSpec describes an account to connect.
type AccountSpec struct {
	Channel conversation.Channel
	Address string
	// Delegates get delegated access to the account.
	Delegates []conversation.UserID
	Sharing   conversation.Sharing
}

// ConnectAccount connects an account owned by the actor. Its addresses must
// be free in the organization: one address routes to at most one place.
func (e *Engine) ConnectAccount(ctx context.Context, actor Actor, spec AccountSpec) (*conversation.Account, error) {
	if strings.TrimSpace(spec.Address) == "" {
		return nil, conversation.Errorf(ErrInvalidArgument, "account address is empty")
	}
	var acct *conversation.Account
	err := e.update(ctx, actor, func(o *op) error {
		u, err := o.member()
		if err != nil {
			return err
		}
		acct = &conversation.Account{ID: conversation.AccountID(e.newID()), Org: u.Org, Channel: spec.Channel,
			Address: conversation.CanonicalAddress(spec.Address), Owner: u.ID, Delegates: slices.Clone(spec.Delegates)}
		for _, d := range acct.Delegates {
			if err := o.checkMember(u.Org, d); err != nil {
				return err
			}
		}
		if err := o.checkSharing(u.Org, spec.Sharing); err != nil {
			return err
		}
		acct.Sharing = spec.Sharing.Clone()
		return o.putAccount(acct)
	})
	return acct, err
}

// ShareAddress shares one address of an account (an alias, a group, a
// forwarder) with its own sharing mode, or replaces the sharing of an
// address already shared. The account owner or an admin may. An address
// already used elsewhere in the organization is ErrConflict.
func (e *Engine) ShareAddress(ctx context.Context, actor Actor, account conversation.AccountID, address string, sharing conversation.Sharing) error {
	address = conversation.CanonicalAddress(address)
	if address == "" {
		return conversation.Errorf(ErrInvalidArgument, "address is empty")
	}
	return e.update(ctx, actor, func(o *op) error {
		acct, err := o.ownedAccount(account)
		if err != nil {
			return err
		}
		if err := o.checkSharing(acct.Org, sharing); err != nil {
			return err
		}
		if address == acct.Address {
			acct.Sharing = sharing.Clone()
			return o.putAccount(acct)
		}
		for i := range acct.SharedAddresses {
			if acct.SharedAddresses[i].Address == address {
				acct.SharedAddresses[i].Sharing = sharing.Clone()
				return o.putAccount(acct)
			}
		}
		acct.SharedAddresses = append(acct.SharedAddresses, conversation.SharedAddress{Address: address, Sharing: sharing.Clone()})
		return o.putAccount(acct)
	})
}

// ownedAccount loads an account the actor owns or administers.
func (o *op) ownedAccount(id conversation.AccountID) (*conversation.Account, error) {
	if err := needID("account", id); err != nil {
		return nil, err
	}
	u, err := o.member()
	if err != nil {
		return nil, err
	}
	acct, err := o.tx.Account(o.ctx, id)
	if err != nil {
		return nil, err
	}
	if acct.Org != u.Org || (acct.Owner != u.ID && !u.Role.IsAdmin() && !acct.IsDelegate(u.ID)) {
		return nil, conversation.Errorf(ErrNotFound, "account %s", id)
	}
	if acct.Owner != u.ID && !u.Role.IsAdmin() {
		return nil, conversation.Errorf(ErrForbidden, "only the account owner or an admin may change its sharing")
	}
	return acct, nil
}

// putAccount stores an account, turning an address clash into a clear
// error.
func (o *op) putAccount(a *conversation.Account) error {
	for _, addr := range a.Addresses() {
		other, err := o.tx.AccountByAddress(o.ctx, a.Org, addr)
		if err == nil && other.ID != a.ID {
			return conversation.Errorf(ErrConflict, "address %s is already routed by account %s; an address can feed only one inbox", addr, other.ID)
		}
	}
	return o.tx.PutAccount(o.ctx, a)
}

// checkSharing validates a sharing mode against the organization.
func (o *op) checkSharing(org conversation.OrgID, s conversation.Sharing) error {
	switch s.Kind {
	case conversation.NotShared:
		if !s.Team.IsZero() || len(s.Users) > 0 {
			return conversation.Errorf(ErrInvalidArgument, "a personal account names no team or users")
		}
	case conversation.SharedToTeamInbox:
		if len(s.Users) > 0 {
			return conversation.Errorf(ErrInvalidArgument, "team-inbox sharing names one team, not users")
		}
		t, err := o.tx.Team(o.ctx, s.Team)
		if err != nil || t.Org != org {
			return conversation.Errorf(ErrNotFound, "team %s", s.Team)
		}
		if t.NoInbox {
			return conversation.Errorf(ErrInvalidArgument, "team %s has no team inbox", t.Name)
		}
	case conversation.SharedToInboxes:
		// No users is a shared address without auto-share recipients: see
		// finishRoutes.
		if !s.Team.IsZero() {
			return conversation.Errorf(ErrInvalidArgument, "inbox sharing names users, not a team")
		}
		for u, d := range s.Users {
			if d != conversation.ToInbox && d != conversation.AutoArchive {
				return conversation.Errorf(ErrInvalidArgument, "delivery %d for user %s", d, u)
			}
			if err := o.checkMember(org, u); err != nil {
				return err
			}
		}
	default:
		return conversation.Errorf(ErrInvalidArgument, "sharing kind %d", s.Kind)
	}
	return nil
}

// mentionAll is the mention of everyone with access: a mention of its own,
// so no user, guest or team may take it as a handle. It is the only reserved
// mention the product defines (the "@" references of AI prompts are not
// comment mentions).
const mentionAll = "all"

// isMentionAll reports whether handle h is the reserved mention "@all",
// compared as handles are, case-insensitively.
func isMentionAll(h string) bool { return strings.EqualFold(h, mentionAll) }

// validHandle checks a mention handle's syntax and refuses the reserved
// mention.
func validHandle(h string) error {
	if h == "" {
		return conversation.Errorf(ErrInvalidArgument, "handle is empty")
	}
	for _, r := range h {
		if !isHandleRune(r) {
			return conversation.Errorf(ErrInvalidArgument, "handle %q: %q is not a letter, digit, '.', '_' or '-'", h, r)
		}
	}
	if isMentionAll(h) {
		return conversation.Errorf(ErrInvalidArgument, "handle %q is reserved: @%s mentions everyone with access", h, mentionAll)
	}
	return nil
}

// checkHandleFree refuses a handle another user, guest or team of org
// already holds: they share one namespace, so "@handle" names one of
// them (the store enforces the same index; checking first gives a
// refusal that names no internal ID). An empty handle is free.
func (o *op) checkHandleFree(org conversation.OrgID, h string) error {
	if h == "" {
		return nil
	}
	_, err := o.tx.UserByHandle(o.ctx, org, h)
	if err == nil {
		return conversation.Errorf(ErrConflict, "handle %q is already taken in this organization", h)
	}
	if !isNotFound(err) {
		return err
	}
	_, err = o.tx.TeamByHandle(o.ctx, org, h)
	if err == nil {
		return conversation.Errorf(ErrConflict, "handle %q is already taken in this organization", h)
	}
	if !isNotFound(err) {
		return err
	}
	return nil
}
