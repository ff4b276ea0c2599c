package inbox_test

// Contacts: engine operations with their authorization, the contact facts
// rules read, past recipients, CSV import, and the scenarios of
// shared/spec/rules.md §5.6 (116-123) plus the contact-operator scenarios
// of §5 that need only contacts (52, 54, 55). Helpers carry the prefix ct.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
	"github.com/inboxkit/inboxkit/rules"
	"github.com/inboxkit/inboxkit/storage"
	"github.com/inboxkit/inboxkit/storage/memory"
)

var ctCtx = context.Background()

// ctBook creates a contact book owned by user.
func ctBook(t *testing.T, a *inboxtest.Acme, user, name string, sh conversation.BookSharing) *conversation.ContactBook {
	t.Helper()
	b, err := a.Engine.CreateContactBook(ctCtx, a.As(user), inbox.BookOptions{Name: name, Sharing: sh})
	require.NoError(t, err)
	return b
}

// ctContact adds a contact with one email address to book b as user.
func ctContact(t *testing.T, a *inboxtest.Acme, user string, b *conversation.ContactBook, email string, in inbox.ContactInput) *conversation.Contact {
	t.Helper()
	in.Book = b.ID
	in.Emails = append(in.Emails, conversation.ContactEmail{Address: email})
	c, err := a.Engine.CreateContact(ctCtx, a.As(user), in)
	require.NoError(t, err)
	return c
}

// ctFacts loads the contact facts of scope for a message from from.
func ctFacts(t *testing.T, a *inboxtest.Acme, scope rules.Scope, from string) rules.Contacts {
	t.Helper()
	f, err := a.Engine.ContactFacts(ctCtx, inbox.System, scope, &conversation.Message{From: conversation.Address{Address: from}})
	require.NoError(t, err)
	return f
}

// ctMatches evaluates one organization rule with condition c against an
// incoming message from from, with the engine's contact facts.
func ctMatches(t *testing.T, a *inboxtest.Acme, c rules.Condition, from string) bool {
	t.Helper()
	scope := rules.OrgScope(a.Org.ID)
	r := rules.Rule{ID: rules.NewRuleID(), Description: "r", Scope: scope, Type: rules.Type{Kind: rules.Incoming},
		Enabled: true, Conditions: rules.AllOf(c), Actions: []rules.Action{rules.Close{}}}
	m := &conversation.Message{From: conversation.Address{Address: from}, Channel: conversation.Email}
	f := &rules.Facts{Type: rules.TypeKind(rules.Incoming), Message: m, Scope: scope, Contacts: ctFacts(t, a, scope, from),
		Conversation: &conversation.Conversation{Org: a.Org.ID}}
	return rules.Explain(ctCtx, r, f).Matched
}

var ctOrgShared = conversation.BookSharing{Kind: conversation.BookOrg}

// Given book B with 3 contacts, when B is deleted, then all 3 contacts are
// gone and not moved, and "From in contact book B" no longer matches
// those senders. — F3:11257, F3:11787
func TestRULES_116_DeletingABookDeletesItsContacts(t *testing.T) {
	a := tltgAcme()
	b := ctBook(t, a, "A", "B", ctOrgShared)
	other := ctBook(t, a, "A", "Other", ctOrgShared)
	var cs []*conversation.Contact
	for i := range 3 {
		cs = append(cs, ctContact(t, a, "A", b, fmt.Sprintf("p%d@example.com", i), inbox.ContactInput{}))
	}
	cond := rules.Condition{Field: rules.From, Op: rules.InBook, Set: b.ID.String()}
	require.True(t, ctMatches(t, a, cond, "P0@example.com"))

	require.NoError(t, a.Engine.DeleteContactBook(ctCtx, a.As("A"), b.ID))
	for _, c := range cs {
		_, err := a.Engine.Contact(ctCtx, a.As("A"), c.ID)
		assert.ErrorIs(t, err, inbox.ErrNotFound)
	}
	left, err := a.Engine.BookContacts(ctCtx, a.As("A"), other.ID, conversation.ContactID{}, 0)
	require.NoError(t, err)
	assert.Empty(t, left, "not moved to another book")
	assert.False(t, ctMatches(t, a, cond, "p0@example.com"))
	assert.False(t, ctMatches(t, a, rules.Condition{Field: rules.From, Op: rules.InContacts}, "p1@example.com"))
}

// Given a CSV with 10,001 rows, when it is imported, then it is rejected;
// given a row whose email matches an existing contact, then no duplicate
// is created. — F3:11575, F3:11582
func TestRULES_117_CSVImportLimitAndDedup(t *testing.T) {
	a := tltgAcme()
	b := ctBook(t, a, "A", "Leads", ctOrgShared)
	var big strings.Builder
	big.WriteString("First Name,Email\n")
	for i := range inbox.MaxContactImportRows + 1 {
		fmt.Fprintf(&big, "n%d,n%d@example.com\n", i, i)
	}
	_, err := a.Engine.ImportContactsCSV(ctCtx, a.As("A"), b.ID, strings.NewReader(big.String()))
	require.ErrorIs(t, err, inbox.ErrLimitReached)
	page, err := a.Engine.BookContacts(ctCtx, a.As("A"), b.ID, conversation.ContactID{}, 0)
	require.NoError(t, err)
	assert.Empty(t, page, "nothing of a refused file is imported")

	ctContact(t, a, "A", b, "ann@example.com", inbox.ContactInput{FirstName: "Ann"})
	res, err := a.Engine.ImportContactsCSV(ctCtx, a.As("A"), b.ID, strings.NewReader(
		"First Name,Email\nAnnie,ANN@example.com\nBob,bob@example.com\nBobby,bob@example.com\n"))
	require.NoError(t, err)
	assert.Equal(t, inbox.ImportResult{Created: 1, Duplicates: 2}, res)
	page, err = a.Engine.BookContacts(ctCtx, a.As("A"), b.ID, conversation.ContactID{}, 0)
	require.NoError(t, err)
	assert.Len(t, page, 2)
}

// Given a Google-synced book, when a CSV import into it is attempted, then
// it fails. — F3:11452, F3:11587
func TestRULES_118_NoCSVImportIntoSyncedBook(t *testing.T) {
	a := tltgAcme()
	b, err := a.Engine.CreateSyncedContactBook(ctCtx, a.As("A"), inbox.BookOptions{Name: "Google"})
	require.NoError(t, err)
	_, err = a.Engine.ImportContactsCSV(ctCtx, a.As("A"), b.ID, strings.NewReader("Email\nx@example.com\n"))
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
}

// Given a user with 500 personal books, when they create another, then it
// fails. — F3:11714
func TestRULES_119_FiveHundredBooksPerUser(t *testing.T) {
	a := tltgAcme()
	for i := range conversation.MaxPersonalContactBooks {
		ctBook(t, a, "A", fmt.Sprintf("b%d", i), conversation.BookSharing{})
	}
	_, err := a.Engine.CreateContactBook(ctCtx, a.As("A"), inbox.BookOptions{Name: "one more"})
	assert.ErrorIs(t, err, inbox.ErrLimitReached)
	ctBook(t, a, "B", "B's first", conversation.BookSharing{}) // the limit is per user
}

// Given book B shared with team Support, when Bob (a Support member)
// edits a contact, then it succeeds; when Bob changes B's sharing or
// deletes B, then it fails, unless Bob is the owner or an admin. —
// F3:11264
func TestRULES_120_SharedUsersEditContactsOnlyOwnerOrAdminManages(t *testing.T) {
	a := tltgAcme()
	support := conversation.BookSharing{Kind: conversation.BookTeams, Teams: []conversation.TeamID{a.Teams["Support"].ID}}
	b := ctBook(t, a, "A", "Support book", support)
	c := ctContact(t, a, "A", b, "ann@example.com", inbox.ContactInput{FirstName: "Ann"})

	upd, err := a.Engine.UpdateContact(ctCtx, a.As("B"), c.ID, inbox.ContactInput{FirstName: "Anna",
		Emails: []conversation.ContactEmail{{Address: "ann@example.com"}}})
	require.NoError(t, err)
	assert.Equal(t, "Anna", upd.FirstName)

	_, err = a.Engine.UpdateContactBook(ctCtx, a.As("B"), b.ID, inbox.BookOptions{Name: "mine", Sharing: ctOrgShared})
	assert.ErrorIs(t, err, inbox.ErrForbidden)
	assert.ErrorIs(t, a.Engine.DeleteContactBook(ctCtx, a.As("B"), b.ID), inbox.ErrForbidden)

	_, err = a.Engine.UpdateContactBook(ctCtx, a.As("A"), b.ID, inbox.BookOptions{Name: "Support book", Sharing: ctOrgShared})
	require.NoError(t, err, "the owner may")
	require.NoError(t, a.Engine.DeleteContactBook(ctCtx, a.As("Adm"), b.ID), "an admin may")
}

// Given a guest user, when they list contact books, then the result is
// forbidden; no contact operation tells a guest anything. — F3:11858
func TestRULES_121_GuestsSeeNoContacts(t *testing.T) {
	a := tltgAcme()
	b := ctBook(t, a, "A", "Org book", ctOrgShared)
	c := ctContact(t, a, "A", b, "ann@example.com", inbox.ContactInput{})
	g := slGuest(t, a, "guest")
	as := inbox.AsUser(g.ID)
	books, err := a.Engine.ContactBooks(ctCtx, as)
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
	assert.Empty(t, books)
	random := c.ID
	random[15] ^= 0xff
	_, err1 := a.Engine.Contact(ctCtx, as, c.ID)
	_, err2 := a.Engine.Contact(ctCtx, as, random)
	assert.ErrorIs(t, err1, inbox.ErrGuestForbidden)
	assert.Equal(t, err2.Error(), err1.Error(), "a guest cannot tell a contact from a random ID")
	_, err = a.Engine.CreateContact(ctCtx, as, inbox.ContactInput{Book: b.ID, FirstName: "x"})
	assert.ErrorIs(t, err, inbox.ErrGuestForbidden)
}

// Given a Google-synced book, when the user stops syncing, then every
// contact in that book is deleted from the library. — F3:11779
func TestRULES_122_StopSyncingDeletesTheBooksContacts(t *testing.T) {
	a := tltgAcme()
	b, err := a.Engine.CreateSyncedContactBook(ctCtx, a.As("A"), inbox.BookOptions{Name: "Google", Sharing: ctOrgShared})
	require.NoError(t, err)
	for i := range 2 {
		ctContact(t, a, "A", b, fmt.Sprintf("g%d@example.com", i), inbox.ContactInput{})
	}
	n, err := a.Engine.StopSyncing(ctCtx, a.As("A"), b.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	page, err := a.Engine.BookContacts(ctCtx, a.As("A"), b.ID, conversation.ContactID{}, 0)
	require.NoError(t, err)
	assert.Empty(t, page)
	assert.False(t, ctFacts(t, a, rules.OrgScope(a.Org.ID), "g0@example.com").InContacts("g0@example.com", rules.OrgScope(a.Org.ID)))
	_, err = a.Engine.StopSyncing(ctCtx, a.As("A"), b.ID)
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument, "no longer synced")
}

// Given a CSV row with "Group Membership" = "VIPs ::: Clients", when it is
// imported, then the contact is in groups VIPs and Clients. — F3:11611
func TestRULES_123_CSVGroupMembership(t *testing.T) {
	a := tltgAcme()
	b := ctBook(t, a, "A", "Imported", ctOrgShared)
	_, err := a.Engine.ImportContactsCSV(ctCtx, a.As("A"), b.ID, strings.NewReader(
		"Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,Group Membership\n"+
			"Ann,Lee,* Work,ann@example.com,VIPs ::: Clients ::: * myContacts\n"))
	require.NoError(t, err)
	f := ctFacts(t, a, rules.OrgScope(a.Org.ID), "ann@example.com")
	assert.True(t, f.InGroup("ann@example.com", "VIPs"))
	assert.True(t, f.InGroup("ann@example.com", "clients"))
	assert.False(t, f.InGroup("ann@example.com", "myContacts"))
	page, err := a.Engine.BookContacts(ctCtx, a.As("A"), b.ID, conversation.ContactID{}, 0)
	require.NoError(t, err)
	require.Len(t, page, 1)
	assert.Len(t, page[0].Groups, 2)
	assert.Equal(t, "Lee", page[0].LastName)
}

// Given "From in contact group VIP", when the sender's address belongs to
// a contact in group VIP, then the rule matches. — F3:14380, F3:11485
func TestRULES_052_FromInContactGroupThroughEngineContacts(t *testing.T) {
	a := tltgAcme()
	b := ctBook(t, a, "A", "Customers", ctOrgShared)
	ctContact(t, a, "A", b, "vip@example.com", inbox.ContactInput{Groups: []string{"VIP"}})
	ctContact(t, a, "A", b, "plain@example.com", inbox.ContactInput{})
	cond := rules.Condition{Field: rules.From, Op: rules.InGroup, Set: "VIP"}
	assert.True(t, ctMatches(t, a, cond, "VIP@example.com"))
	assert.False(t, ctMatches(t, a, cond, "plain@example.com"))
	assert.False(t, ctMatches(t, a, cond, "stranger@example.com"))
}

// Given "From in contact company Acme", when the sender is a contact whose
// company is Acme, then match. — F3:14382, F3:11393
func TestRULES_054_FromInContactCompanyThroughEngineContacts(t *testing.T) {
	a := tltgAcme()
	b := ctBook(t, a, "A", "Customers", ctOrgShared)
	ctContact(t, a, "A", b, "wile@acme.example", inbox.ContactInput{Company: "Acme"})
	ctContact(t, a, "B", b, "road@acme.example", inbox.ContactInput{Company: "ACME"}) // links to the same company
	assert.True(t, ctMatches(t, a, rules.Condition{Field: rules.From, Op: rules.InCompany, Set: "Acme"}, "road@acme.example"))
	assert.True(t, ctMatches(t, a, rules.Condition{Field: rules.From, Op: rules.NotInCompany, Set: "Acme"}, "x@acme.example"),
		"a company is joined through a contact, not by domain alone")
}

// Given "From is a past recipient", when mail comes from an address Alice
// previously emailed, then it matches. — F3:14388, F3:3123
func TestRULES_055_PastRecipientRecordedWhenSending(t *testing.T) {
	a := tltgAcme()
	c, m := tltgSupport(a, "Question")
	_, err := a.Engine.RecordReply(ctCtx, a.As("A"), c, inbox.Reply{Message: conversation.Message{
		To: []conversation.Address{{Address: "Customer@Example.com"}}, Subject: "Re: Question", Text: "Answer"}})
	require.NoError(t, err)
	from := m.From.Address
	assert.True(t, ctMatches(t, a, rules.Condition{Field: rules.From, Op: rules.PastRecipient}, from), "sent from a shared account: the organization's")
	personal := rules.PersonalScope(a.ID("A"))
	assert.True(t, ctFacts(t, a, personal, from).PastRecipient(from, personal), "and the sender's")
	b := rules.PersonalScope(a.ID("B"))
	assert.False(t, ctFacts(t, a, b, from).PastRecipient(from, b), "not another user's")
	assert.False(t, ctMatches(t, a, rules.Condition{Field: rules.From, Op: rules.PastRecipient}, "never@example.com"))
}

// A personal book counts for its owner's personal rules only; an
// organization's "in contacts" leaves it out. — spec rules.md §3.2, A27
func TestContactFactsVisibilityByScope(t *testing.T) {
	a := tltgAcme()
	mine := ctBook(t, a, "A", "Mine", conversation.BookSharing{})
	ctContact(t, a, "A", mine, "friend@example.com", inbox.ContactInput{})
	org, pa, pb := rules.OrgScope(a.Org.ID), rules.PersonalScope(a.ID("A")), rules.PersonalScope(a.ID("B"))
	assert.False(t, ctFacts(t, a, org, "friend@example.com").InContacts("friend@example.com", org))
	assert.True(t, ctFacts(t, a, pa, "friend@example.com").InContacts("friend@example.com", pa))
	assert.False(t, ctFacts(t, a, pb, "friend@example.com").InContacts("friend@example.com", pb))
	assert.True(t, ctFacts(t, a, pa, "friend@example.com").InBook("friend@example.com", "mine"))

	sales := ctBook(t, a, "C", "Sales", conversation.BookSharing{Kind: conversation.BookTeams, Teams: []conversation.TeamID{a.Teams["Sales"].ID}})
	ctContact(t, a, "C", sales, "lead@example.com", inbox.ContactInput{Phones: []conversation.ContactPhone{{Number: "+1 (555) 010-2030"}}})
	assert.True(t, ctFacts(t, a, org, "lead@example.com").InContacts("lead@example.com", org), "a team book is an organization book")
	assert.True(t, ctFacts(t, a, org, "+15550102030").InContacts("+1 555-010-2030", org), "phones match in any format")
	assert.False(t, ctFacts(t, a, pb, "lead@example.com").InContacts("lead@example.com", pb), "B is not in Sales")
}

// A book or contact the actor may not see answers exactly like one that
// does not exist.
func TestContactHiddenLikeMissing(t *testing.T) {
	a := tltgAcme()
	mine := ctBook(t, a, "A", "Mine", conversation.BookSharing{})
	c := ctContact(t, a, "A", mine, "friend@example.com", inbox.ContactInput{})
	hiddenBook, errHB := a.Engine.ContactBook(ctCtx, a.As("Adm"), mine.ID)
	assert.Nil(t, hiddenBook)
	missing := mine.ID
	missing[15] ^= 0xff
	_, errMB := a.Engine.ContactBook(ctCtx, a.As("Adm"), missing)
	require.ErrorIs(t, errHB, inbox.ErrNotFound)
	assert.Equal(t, strings.Replace(errHB.Error(), mine.ID.String(), missing.String(), 1), errMB.Error())

	_, errHC := a.Engine.Contact(ctCtx, a.As("B"), c.ID)
	missingC := c.ID
	missingC[15] ^= 0xff
	_, errMC := a.Engine.Contact(ctCtx, a.As("B"), missingC)
	require.ErrorIs(t, errHC, inbox.ErrNotFound)
	assert.Equal(t, strings.Replace(errHC.Error(), c.ID.String(), missingC.String(), 1), errMC.Error())
	assert.ErrorIs(t, a.Engine.DeleteContact(ctCtx, a.As("B"), c.ID), inbox.ErrNotFound)
	_, err := a.Engine.CreateContact(ctCtx, a.As("B"), inbox.ContactInput{Book: mine.ID, FirstName: "x"})
	assert.ErrorIs(t, err, inbox.ErrNotFound)

	books, err := a.Engine.ContactBooks(ctCtx, a.As("B"))
	require.NoError(t, err)
	assert.Empty(t, books)
}

// Create contact(s) adds each new address once and skips addresses the
// book already has. — spec rules.md §3.3, F3:11582
func TestAddContactAddressesSkipsExisting(t *testing.T) {
	a := tltgAcme()
	b := ctBook(t, a, "A", "Leads", ctOrgShared)
	add := func(addrs ...string) int {
		var as []conversation.Address
		for _, s := range addrs {
			as = append(as, conversation.Address{Name: "N", Address: s})
		}
		cs, err := a.Engine.AddContactAddresses(ctCtx, inbox.System, b.ID, as)
		require.NoError(t, err)
		return len(cs)
	}
	assert.Equal(t, 2, add("new@example.com", "+1 555 0100", "NEW@example.com"))
	assert.Equal(t, 0, add("new@example.com", "+15550100"))
	assert.Equal(t, 1, add("other@example.com"))
}

// A store without the contact role answers every contact operation with
// ErrContactsUnsupported, which wraps ErrInvalidArgument, and sending
// mail still works.
func TestContactsNeedTheStoreRole(t *testing.T) {
	e := inbox.New(inbox.Config{Store: noContacts{memory.New()}})
	_, err := e.ContactFacts(ctCtx, inbox.System, rules.OrgScope(conversation.OrgID{}), &conversation.Message{})
	assert.ErrorIs(t, err, inbox.ErrContactsUnsupported)
	assert.ErrorIs(t, err, inbox.ErrInvalidArgument)
}

// noContacts hides the contact role of a store.
type noContacts struct{ s *memory.Store }

func (n noContacts) Update(ctx context.Context, fn func(tx storage.Tx) error) error {
	return n.s.Update(ctx, func(tx storage.Tx) error { return fn(struct{ storage.Tx }{tx}) })
}

func (n noContacts) View(ctx context.Context, fn func(tx storage.ReadTx) error) error {
	return n.s.View(ctx, func(tx storage.ReadTx) error { return fn(struct{ storage.ReadTx }{tx}) })
}

// Bad CSV input is a clear error, never a panic.
func FuzzParseContactsCSV(f *testing.F) {
	f.Add("First Name,Email,Group Membership\nAnn,a@x.test,VIPs ::: Clients\n")
	f.Add("\"unterminated\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		rows, err := inbox.ParseContactsCSV(strings.NewReader(s))
		if err != nil {
			require.Nil(t, rows)
			return
		}
		assert.LessOrEqual(t, len(rows), inbox.MaxContactImportRows)
	})
}
