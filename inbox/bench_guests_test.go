package inbox_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// benchGuests is an organization for guest benchmarks.
type benchGuests struct {
	e     *inbox.Engine
	admin inbox.Actor
	ids   []conversation.ConversationID
	guest *conversation.User
	// token is the last invitation token the notifier received.
	token string
}

// benchGuestOrg builds an organization with seats users, convs
// conversations in the owner's personal account, and guests guests
// already holding one grant each.
func benchGuestOrg(b *testing.B, seats, convs, guests int) *benchGuests {
	b.Helper()
	ctx := context.Background()
	bg := &benchGuests{}
	e := inbox.New(inbox.Config{Notifier: inbox.NotifierFunc(func(_ context.Context, n inbox.Notification) error {
		if n.Invitation != nil {
			bg.token = n.Invitation.Token
		}
		return nil
	})})
	bg.e = e
	_, owner, err := e.CreateOrg(ctx, inbox.OrgSpec{Name: "Bench", Owner: inbox.UserSpec{Name: "owner", Email: "owner@bench.test", Handle: "owner"}})
	if err != nil {
		b.Fatal(err)
	}
	admin := inbox.AsUser(owner.ID)
	for i := 1; i < seats; i++ {
		if _, err := e.AddUser(ctx, admin, inbox.UserSpec{Name: fmt.Sprint("u", i), Email: fmt.Sprintf("u%d@bench.test", i), Handle: fmt.Sprint("u", i)}); err != nil {
			b.Fatal(err)
		}
	}
	acct, err := e.ConnectAccount(ctx, admin, inbox.AccountSpec{Address: "owner@bench.test"})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]conversation.ConversationID, convs)
	for i := range ids {
		d, err := e.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: conversation.Message{
			From: conversation.Address{Address: "c@example.com"}, To: []conversation.Address{{Address: "owner@bench.test"}},
			Subject: fmt.Sprint("conv ", i), HeaderID: fmt.Sprintf("%d@example.com", i), Text: "hello"}})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = d.Conversations[0]
	}
	for i := range guests {
		if _, err := e.InviteGuest(ctx, admin, ids[i%convs], fmt.Sprintf("g%d@ext.test", i)); err != nil {
			b.Fatal(err)
		}
		acc, err := e.AcceptInvitation(ctx, bg.token, inbox.Acceptance{})
		if err != nil {
			b.Fatal(err)
		}
		bg.guest = acc.Guest
	}
	bg.admin, bg.ids = admin, ids
	return bg
}

// BenchmarkGuestInviteAcceptRemove is one guest's round trip: invite
// (with the store's quota check), accept, remove. The existing guests do
// not change its cost: slot counts are counters.
func BenchmarkGuestInviteAcceptRemove(b *testing.B) {
	for _, existing := range []int{10, 1000} {
		b.Run(fmt.Sprint("guests=", existing), func(b *testing.B) {
			ctx := context.Background()
			bg := benchGuestOrg(b, 250, 1000, existing)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				c := bg.ids[i%len(bg.ids)]
				email := fmt.Sprintf("new%d@ext.test", i)
				if _, err := bg.e.InviteGuest(ctx, bg.admin, c, email); err != nil {
					b.Fatal(err)
				}
				if _, err := bg.e.AcceptInvitation(ctx, bg.token, inbox.Acceptance{}); err != nil {
					b.Fatal(err)
				}
				if err := bg.e.RemoveGuest(ctx, bg.admin, c, email); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGuestGet is a guest reading an invited conversation, through
// the access decision and the redaction every guest read goes through.
func BenchmarkGuestGet(b *testing.B) {
	ctx := context.Background()
	bg := benchGuestOrg(b, 10, 50, 50)
	as := inbox.AsUser(bg.guest.ID)
	c := bg.ids[49]
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := bg.e.Get(ctx, as, c); err != nil {
			b.Fatal(err)
		}
	}
}

// guestRound invites, accepts and removes one new guest on conversation c.
func (bg *benchGuests) guestRound(b *testing.B, c conversation.ConversationID, i int) {
	ctx := context.Background()
	email := fmt.Sprintf("round%d@ext.test", i)
	if _, err := bg.e.InviteGuest(ctx, bg.admin, c, email); err != nil {
		b.Fatal(err)
	}
	if _, err := bg.e.AcceptInvitation(ctx, bg.token, inbox.Acceptance{}); err != nil {
		b.Fatal(err)
	}
	if err := bg.e.RemoveGuest(ctx, bg.admin, c, email); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkGuestRoundTripOneConversation repeats the guest round trip on
// one conversation, after 0 and after 4,000 earlier rounds on it: a
// removed guest leaves nothing the next operation has to read, so the
// cost is flat.
func BenchmarkGuestRoundTripOneConversation(b *testing.B) {
	for _, before := range []int{0, 4000} {
		b.Run(fmt.Sprint("after=", before), func(b *testing.B) {
			bg := benchGuestOrg(b, 10, 10, 0)
			c := bg.ids[0]
			for i := range before {
				bg.guestRound(b, c, i)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				bg.guestRound(b, c, before+i)
			}
		})
	}
}
