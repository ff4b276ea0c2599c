package memory

import (
	"context"
	"sync"

	"github.com/google/btree"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// Store is an in-memory [storage.Store]. The zero value is not usable;
// call [New]. A Store is safe for concurrent use.
type Store struct {
	mu sync.RWMutex
	st state
	// tx is the one read-write transaction, reused by every Update; the
	// write lock guards it.
	tx writeTx
}

var _ storage.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	s := &Store{}
	s.st.init()
	s.tx.state = &s.st
	return s
}

// Update runs fn in a read-write transaction. Transactions are
// serialized by a write lock held while fn runs, so an Update never fails
// with a serialization conflict. When fn returns an error or panics,
// every write it made is undone before Update returns the error or the
// panic continues. Update returns ctx.Err() without running fn when ctx is
// done before the transaction starts.
//
// fn must not call Update or View of the same store (it would deadlock)
// and must not use tx after it returns.
func (s *Store) Update(ctx context.Context, fn func(tx storage.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.tx.run(fn)
}

// View runs fn in a read-only transaction. Views hold a read lock, so
// they run concurrently with each other and see only committed
// transactions. View returns ctx.Err() without running fn when ctx is
// done before the transaction starts.
//
// fn must not call Update of the same store (it would deadlock) and must
// not use tx after it returns.
func (s *Store) View(ctx context.Context, fn func(tx storage.ReadTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(&s.st)
}

// btreeDegree is the degree of every B-tree of the store.
const btreeDegree = 32

// state is everything a store holds. Its methods are the reads of
// [storage.ReadTx]; *state is the transaction View passes.
type state struct {
	orgs     map[conversation.OrgID]*conversation.Org
	users    map[conversation.UserID]*conversation.User
	teams    map[conversation.TeamID]*conversation.Team
	accounts map[conversation.AccountID]*conversation.Account

	// orgUsers and orgTeams are the members of each organization, by ID.
	orgUsers map[conversation.OrgID]*btree.BTreeG[conversation.UserID]
	orgTeams map[conversation.OrgID]*btree.BTreeG[conversation.TeamID]
	// memberOf lists, sorted, the teams each user is a member of
	// (active or observer); slices are replaced, never changed in place.
	memberOf map[conversation.UserID][]conversation.TeamID
	// handles is the mention namespace: each folded handle of an
	// organization maps to the one user or team holding it. addresses
	// maps canonical addresses to the account that owns them.
	handles   map[orgKey]handleOwner
	addresses map[orgKey]conversation.AccountID

	convs    map[conversation.ConversationID]*convRecord
	messages map[conversation.MessageID]*messageRecord
	// comments maps each comment to its conversation.
	comments map[conversation.CommentID]conversation.ConversationID
	events   map[conversation.EventID]struct{}
	// headerIDs maps an organization and a Message-ID header to the
	// messages carrying it, oldest first.
	headerIDs map[orgKey][]conversation.MessageID
	// threads and subjects are the threading index (storage.ThreadEntry).
	threads  map[threadKey]*threadRecord
	subjects map[threadKey]subjectRecord

	boxes map[conversation.Box]*boxIndex
	// assigned is the per-assignee index: every listed placement again,
	// under each assignee of its conversation (see filter.go).
	assigned map[assignedKey]*btree.BTreeG[boxEntry]
	// perUser holds, per user, the counter deltas of their corrections to
	// the placements their teams imply (conversation.Placement).
	perUser  map[conversation.UserID]*corrections
	boxNodes *btree.FreeListG[boxEntry]
	snoozes  *btree.BTreeG[snoozeKey]
	// guest holds guest access records with their indexes and counters.
	guest guestIndex

	labelState
	taskState
	contactState
	sync syncState

	outbox outboxState
	sched  scheduleState
}

var _ storage.ReadTx = (*state)(nil)

func (s *state) init() {
	s.orgs = make(map[conversation.OrgID]*conversation.Org)
	s.users = make(map[conversation.UserID]*conversation.User)
	s.teams = make(map[conversation.TeamID]*conversation.Team)
	s.accounts = make(map[conversation.AccountID]*conversation.Account)
	s.orgUsers = make(map[conversation.OrgID]*btree.BTreeG[conversation.UserID])
	s.orgTeams = make(map[conversation.OrgID]*btree.BTreeG[conversation.TeamID])
	s.memberOf = make(map[conversation.UserID][]conversation.TeamID)
	s.handles = make(map[orgKey]handleOwner)
	s.addresses = make(map[orgKey]conversation.AccountID)
	s.convs = make(map[conversation.ConversationID]*convRecord)
	s.messages = make(map[conversation.MessageID]*messageRecord)
	s.comments = make(map[conversation.CommentID]conversation.ConversationID)
	s.threads = make(map[threadKey]*threadRecord)
	s.subjects = make(map[threadKey]subjectRecord)
	s.events = make(map[conversation.EventID]struct{})
	s.headerIDs = make(map[orgKey][]conversation.MessageID)
	s.boxes = make(map[conversation.Box]*boxIndex)
	s.assigned = make(map[assignedKey]*btree.BTreeG[boxEntry])
	s.perUser = make(map[conversation.UserID]*corrections)
	s.boxNodes = btree.NewFreeListG[boxEntry](btree.DefaultFreeListSize)
	s.snoozes = btree.NewG(btreeDegree, snoozeLess)
	s.guest.init()
	s.labelState.init()
	s.taskState.init()
	s.contactState.init()
	s.outbox.init()
	s.sched.init()
}

// orgKey is a string key scoped to one organization: a folded handle, a
// canonical address, a Message-ID header.
type orgKey struct {
	org conversation.OrgID
	key string
}

// idLess orders IDs by [conversation.ID.Compare].
func idLess[K any](a, b conversation.ID[K]) bool { return a.Compare(b) < 0 }
