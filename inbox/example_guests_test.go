package inbox_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
)

// A member invites an accountant into one conversation; the host's
// notifier receives the invitation with its single-use token and mails
// the link; the accountant accepts, reads the conversation, comments,
// and is refused an external reply. Removing them takes effect at once.
func ExampleEngine_InviteGuest() {
	ctx := context.Background()
	var link string
	notifier := inbox.NotifierFunc(func(_ context.Context, n inbox.Notification) error {
		if n.Reason == inbox.GuestInvited {
			link = "https://inbox.example/join?token=" + n.Invitation.Token // what the host emails
			fmt.Println("invitation for", n.Invitation.Email)
		}
		return nil
	})
	e := inbox.New(inbox.Config{Notifier: notifier})
	_, owner, _ := e.CreateOrg(ctx, inbox.OrgSpec{Name: "Acme", Owner: inbox.UserSpec{Name: "Olivia", Email: "olivia@acme.test", Handle: "olivia"}})
	olivia := inbox.AsUser(owner.ID)
	acct, _ := e.ConnectAccount(ctx, olivia, inbox.AccountSpec{Address: "olivia@acme.test"})
	d, _ := e.Deliver(ctx, inbox.System, inbox.Incoming{Account: acct.ID, Message: conversation.Message{
		From: conversation.Address{Address: "irs@example.gov"}, To: []conversation.Address{{Address: "olivia@acme.test"}},
		Subject: "Tax notice", HeaderID: "n1@example.gov",
		Attachments: []conversation.Attachment{{Name: "notice.pdf"}}}})
	x := d.Conversations[0]

	if _, err := e.InviteGuest(ctx, olivia, x, "Carla@Accountants.test"); err != nil {
		panic(err)
	}
	token := link[len("https://inbox.example/join?token="):]
	acc, err := e.AcceptInvitation(ctx, token, inbox.Acceptance{Name: "Carla", Handle: "carla"})
	if err != nil {
		panic(err)
	}
	carla := inbox.AsUser(acc.Guest.ID)
	v, _ := e.Get(ctx, carla, x)
	fmt.Println("guest reads:", v.Conversation.Subject, "with", v.Messages[0].Attachments[0].Name)
	_, err = e.Comment(ctx, carla, x, inbox.NewComment{Body: "@olivia I will file the answer"})
	fmt.Println("comment:", err == nil)
	_, err = e.RecordReply(ctx, carla, x, inbox.Reply{Message: conversation.Message{
		To: []conversation.Address{{Address: "irs@example.gov"}}, Text: "hello", HeaderID: "r1@acme.test"}})
	fmt.Println("external reply refused:", errors.Is(err, inbox.ErrGuestForbidden))
	_, err = e.AcceptInvitation(ctx, token, inbox.Acceptance{})
	fmt.Println("token reused:", errors.Is(err, inbox.ErrInvalidToken))

	_ = e.RemoveGuest(ctx, olivia, x, "carla@accountants.test")
	ok, _ := e.CanSee(ctx, carla, x)
	fmt.Println("after removal:", ok)
	// Output:
	// invitation for carla@accountants.test
	// guest reads: Tax notice with notice.pdf
	// comment: true
	// external reply refused: true
	// token reused: true
	// after removal: false
}
