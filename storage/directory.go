package storage

import (
	"context"

	"github.com/inboxkit/inboxkit/conversation"
)

// DirectoryReader reads the directory: organizations, users, teams and
// accounts. Part of [ReadTx].
type DirectoryReader interface {
	// Org returns an organization, ErrNotFound if none.
	Org(ctx context.Context, id conversation.OrgID) (*conversation.Org, error)
	// User returns a user, ErrNotFound if none.
	User(ctx context.Context, id conversation.UserID) (*conversation.User, error)
	// UserByHandle finds a user of org by handle, case-insensitively;
	// ErrNotFound if none, or if a team holds the handle. Users (guests
	// included) and teams share one handle namespace per organization
	// (see [DirectoryWriter.PutUser]), so at most one of UserByHandle and
	// TeamByHandle finds a given handle.
	UserByHandle(ctx context.Context, org conversation.OrgID, handle string) (*conversation.User, error)
	// Users returns the users of org, sorted by ID.
	Users(ctx context.Context, org conversation.OrgID) ([]*conversation.User, error)
	// Team returns a team, ErrNotFound if none.
	Team(ctx context.Context, id conversation.TeamID) (*conversation.Team, error)
	// TeamByHandle finds a team of org by handle, case-insensitively;
	// ErrNotFound if none, or if a user holds the handle.
	TeamByHandle(ctx context.Context, org conversation.OrgID, handle string) (*conversation.Team, error)
	// Teams returns the teams of org, sorted by ID.
	Teams(ctx context.Context, org conversation.OrgID) ([]*conversation.Team, error)
	// Account returns an account, ErrNotFound if none.
	Account(ctx context.Context, id conversation.AccountID) (*conversation.Account, error)
	// AccountByAddress finds the account of org that owns addr, either as
	// its own address or as one of its shared addresses. addr is compared
	// in canonical form (conversation.CanonicalAddress).
	AccountByAddress(ctx context.Context, org conversation.OrgID, addr string) (*conversation.Account, error)
}

// DirectoryWriter writes the directory. Part of [Tx]. Handles and
// addresses are unique within an organization; a backend enforces that
// with constraints and reports ErrConflict.
type DirectoryWriter interface {
	// PutOrg creates or replaces an organization.
	PutOrg(ctx context.Context, o *conversation.Org) error
	// PutUser creates or replaces a user. Handles form one namespace per
	// organization, shared by its users (guests included) and teams, as
	// one unique index over folded handles: ErrConflict if another user
	// or a team of the organization has the same handle
	// (case-insensitively), and then nothing changes. An empty handle is
	// never indexed; a replaced user's old handle is freed. PutUser keeps
	// the seat counter (GuestCounts) and the email and link indexes
	// (UsersByEmail, LinkedUsers).
	PutUser(ctx context.Context, u *conversation.User) error
	// PutTeam creates or replaces a team. ErrConflict, changing nothing,
	// if another team or a user of the organization has the same handle
	// (case-insensitively): the namespace of PutUser.
	PutTeam(ctx context.Context, t *conversation.Team) error
	// PutAccount creates or replaces an account. ErrConflict if one of its
	// addresses already belongs to another account of the organization.
	PutAccount(ctx context.Context, a *conversation.Account) error
}
