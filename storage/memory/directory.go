package memory

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/inboxkit/inboxkit/conversation"
)

// foldHandle returns the key a handle is indexed under: two handles that
// are equal case-insensitively fold to the same key.
func foldHandle(h string) string {
	for i := 0; i < len(h); i++ {
		if h[i] >= utf8.RuneSelf {
			// Upper then lower maps every case variant Unicode folds
			// together (ſ, K, ...) to one form.
			return strings.ToLower(strings.ToUpper(h))
		}
	}
	return strings.ToLower(h)
}

// handleKey returns the index key of handle in org; ok is false for an
// empty handle, which is never indexed.
func handleKey(org conversation.OrgID, handle string) (k orgKey, ok bool) {
	if handle == "" {
		return orgKey{}, false
	}
	return orgKey{org: org, key: foldHandle(handle)}, true
}

// handleOwner holds a handle of the mention namespace an organization's
// users (guests included) and teams share: exactly one field is set.
type handleOwner struct {
	user conversation.UserID
	team conversation.TeamID
}

// kind names the owner's kind for an error message.
func (h handleOwner) kind() string {
	if h.user.IsZero() {
		return "a team"
	}
	return "a user"
}

// rehandle indexes owner under handle in org, in place of the handle it
// held before (prev in prevOrg; empty for none). It changes nothing and
// returns ErrConflict when another user or team of org holds the handle.
func (t *writeTx) rehandle(owner handleOwner, prevOrg conversation.OrgID, prev string, org conversation.OrgID, handle string) error {
	newKey, indexed := handleKey(org, handle)
	held, taken := t.handles[newKey]
	if indexed && taken && held != owner {
		return conversation.Errorf(conversation.ErrConflict,
			"handle %q is already taken in the organization by %s", handle, held.kind())
	}
	if oldKey, ok := handleKey(prevOrg, prev); ok && (!indexed || oldKey != newKey) {
		deleteMap(t, t.handles, oldKey)
	}
	if indexed && !taken {
		setMap(t, t.handles, newKey, owner)
	}
	return nil
}

// Org implements [storage.ReadTx].
func (s *state) Org(_ context.Context, id conversation.OrgID) (*conversation.Org, error) {
	o := s.orgs[id]
	if o == nil {
		return nil, conversation.Errorf(conversation.ErrNotFound, "org %s does not exist", id)
	}
	c := *o
	return &c, nil
}

// User implements [storage.ReadTx].
func (s *state) User(_ context.Context, id conversation.UserID) (*conversation.User, error) {
	u := s.users[id]
	if u == nil {
		return nil, conversation.Errorf(conversation.ErrNotFound, "user %s does not exist", id)
	}
	c := *u
	return &c, nil
}

// UserByHandle implements [storage.ReadTx].
func (s *state) UserByHandle(_ context.Context, org conversation.OrgID, handle string) (*conversation.User, error) {
	if k, ok := handleKey(org, handle); ok {
		if h, ok := s.handles[k]; ok && !h.user.IsZero() {
			c := *s.users[h.user]
			return &c, nil
		}
	}
	return nil, conversation.Errorf(conversation.ErrNotFound, "no user of org %s has handle %q", org, handle)
}

// Users implements [storage.ReadTx].
func (s *state) Users(_ context.Context, org conversation.OrgID) ([]*conversation.User, error) {
	tr := s.orgUsers[org]
	if tr == nil || tr.Len() == 0 {
		return nil, nil
	}
	vals := make([]conversation.User, 0, tr.Len())
	tr.Ascend(func(id conversation.UserID) bool {
		vals = append(vals, *s.users[id])
		return true
	})
	out := make([]*conversation.User, len(vals))
	for i := range vals {
		out[i] = &vals[i]
	}
	return out, nil
}

// Team implements [storage.ReadTx].
func (s *state) Team(_ context.Context, id conversation.TeamID) (*conversation.Team, error) {
	t := s.teams[id]
	if t == nil {
		return nil, conversation.Errorf(conversation.ErrNotFound, "team %s does not exist", id)
	}
	return t.Clone(), nil
}

// TeamByHandle implements [storage.ReadTx].
func (s *state) TeamByHandle(_ context.Context, org conversation.OrgID, handle string) (*conversation.Team, error) {
	if k, ok := handleKey(org, handle); ok {
		if h, ok := s.handles[k]; ok && !h.team.IsZero() {
			return s.teams[h.team].Clone(), nil
		}
	}
	return nil, conversation.Errorf(conversation.ErrNotFound, "no team of org %s has handle %q", org, handle)
}

// Teams implements [storage.ReadTx].
func (s *state) Teams(_ context.Context, org conversation.OrgID) ([]*conversation.Team, error) {
	tr := s.orgTeams[org]
	if tr == nil || tr.Len() == 0 {
		return nil, nil
	}
	out := make([]*conversation.Team, 0, tr.Len())
	tr.Ascend(func(id conversation.TeamID) bool {
		out = append(out, s.teams[id].Clone())
		return true
	})
	return out, nil
}

// Account implements [storage.ReadTx].
func (s *state) Account(_ context.Context, id conversation.AccountID) (*conversation.Account, error) {
	a := s.accounts[id]
	if a == nil {
		return nil, conversation.Errorf(conversation.ErrNotFound, "account %s does not exist", id)
	}
	return a.Clone(), nil
}

// AccountByAddress implements [storage.ReadTx].
func (s *state) AccountByAddress(_ context.Context, org conversation.OrgID, addr string) (*conversation.Account, error) {
	if c := conversation.CanonicalAddress(addr); c != "" {
		if id, ok := s.addresses[orgKey{org: org, key: c}]; ok {
			return s.accounts[id].Clone(), nil
		}
	}
	return nil, conversation.Errorf(conversation.ErrNotFound, "no account of org %s has address %q", org, addr)
}

// PutOrg implements [storage.Tx].
func (t *writeTx) PutOrg(_ context.Context, o *conversation.Org) error {
	if o == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutOrg: nil org")
	}
	c := *o
	setMap(t, t.orgs, c.ID, &c)
	return nil
}

// PutUser implements [storage.Tx].
func (t *writeTx) PutUser(_ context.Context, u *conversation.User) error {
	if u == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutUser: nil user")
	}
	nu := *u
	old := t.users[nu.ID]
	var prev conversation.User
	if old != nil {
		prev = *old
	}
	if err := t.rehandle(handleOwner{user: nu.ID}, prev.Org, prev.Handle, nu.Org, nu.Handle); err != nil {
		return err
	}
	if old == nil || old.Org != nu.Org {
		if old != nil {
			treeDelete(t, t.orgUsers[old.Org], old.ID)
		}
		treeInsert(t, idSet(t.orgUsers, nu.Org), nu.ID)
	}
	t.reindexUser(old, &nu)
	setMap(t, t.users, nu.ID, &nu)
	return nil
}

// PutTeam implements [storage.Tx].
func (t *writeTx) PutTeam(_ context.Context, team *conversation.Team) error {
	if team == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutTeam: nil team")
	}
	nt := team.Clone()
	old := t.teams[nt.ID]
	var prev conversation.Team
	if old != nil {
		prev = *old
	}
	if err := t.rehandle(handleOwner{team: nt.ID}, prev.Org, prev.Handle, nt.Org, nt.Handle); err != nil {
		return err
	}
	if old == nil || old.Org != nt.Org {
		if old != nil {
			treeDelete(t, t.orgTeams[old.Org], old.ID)
		}
		treeInsert(t, idSet(t.orgTeams, nt.Org), nt.ID)
	}
	t.reindexMembers(old, nt)
	setMap(t, t.teams, nt.ID, nt)
	return nil
}

// reindexMembers updates memberOf for a team going from old (nil if new)
// to nt.
func (t *writeTx) reindexMembers(old, nt *conversation.Team) {
	var before []conversation.Membership
	if old != nil {
		before = old.Members
	}
	for _, m := range before {
		if nt.MemberKind(m.User) == 0 {
			teams := slices.Clone(t.memberOf[m.User])
			conversation.RemoveSorted(&teams, nt.ID)
			setMap(t, t.memberOf, m.User, teams)
		}
	}
	for _, m := range nt.Members {
		if old == nil || old.MemberKind(m.User) == 0 {
			teams := slices.Clone(t.memberOf[m.User])
			conversation.AddSorted(&teams, nt.ID)
			setMap(t, t.memberOf, m.User, teams)
		}
	}
}

// PutAccount implements [storage.Tx].
func (t *writeTx) PutAccount(_ context.Context, a *conversation.Account) error {
	if a == nil {
		return conversation.Errorf(conversation.ErrInvalidArgument, "PutAccount: nil account")
	}
	na := a.Clone()
	newKeys := addressKeys(na)
	for _, k := range newKeys {
		if owner, ok := t.addresses[k]; ok && owner != na.ID {
			return conversation.Errorf(conversation.ErrConflict,
				"address %q of account %s already belongs to account %s of org %s", k.key, na.ID, owner, na.Org)
		}
	}
	if old := t.accounts[na.ID]; old != nil {
		for _, k := range addressKeys(old) {
			if !containsKey(newKeys, k) {
				deleteMap(t, t.addresses, k)
			}
		}
	}
	for _, k := range newKeys {
		if owner, ok := t.addresses[k]; !ok || owner != na.ID {
			setMap(t, t.addresses, k, na.ID)
		}
	}
	setMap(t, t.accounts, na.ID, na)
	return nil
}

// addressKeys returns the index keys of a's addresses, canonical, without
// empty addresses or duplicates.
func addressKeys(a *conversation.Account) []orgKey {
	addrs := a.Addresses()
	keys := make([]orgKey, 0, len(addrs))
	for _, addr := range addrs {
		k := orgKey{org: a.Org, key: conversation.CanonicalAddress(addr)}
		if k.key != "" && !containsKey(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func containsKey(keys []orgKey, k orgKey) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}
