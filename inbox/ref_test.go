package inbox_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/inboxtest"
)

// rawNoID has no Message-ID: the engine de-duplicates it by a
// synthesized id (spec accounts-threading §1.2 T5).
const rawNoID = "From: lee@example.com\r\nTo: support@acme.test\r\nSubject: No id\r\n" +
	"Date: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\nHello without an id.\r\n"

// A transport that crashes after delivering and before advancing its
// cursor delivers the same copy again: that second delivery, with the same
// reference, changes nothing (no message, event or notification) and
// reports the conversation (issue 14: delivery idempotent by the server
// reference).
func TestDeliverRawSameRefTwiceIsANoOp(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ name, raw string }{{"message-id", rawOrder}, {"no message-id", rawNoID}} {
		t.Run(tc.name, func(t *testing.T) {
			a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
			in := func() inbox.RawIncoming {
				return inbox.RawIncoming{Account: a.Accounts["support"].ID, Ref: "INBOX;UIDVALIDITY=7;UID=1", Message: strings.NewReader(tc.raw)}
			}
			first, err := a.Engine.DeliverRaw(ctx, inbox.System, in())
			require.NoError(t, err)
			a.Events.Take()
			a.Notes.Take()
			again, err := a.Engine.DeliverRaw(ctx, inbox.System, in())
			require.NoError(t, err)
			assert.True(t, again.Duplicate)
			assert.Equal(t, first.Conversations, again.Conversations)
			assert.Empty(t, a.Events.Take())
			assert.Empty(t, a.Notes.Take())
			v := a.Conv("A", first.Conversations[0])
			require.Len(t, v.Messages, 1)
			assert.Equal(t, "INBOX;UIDVALIDITY=7;UID=1", v.Messages[0].Ref)
		})
	}
}

// The same for the account's own mail synced from its Sent folder.
func TestRecordSentRawSameRefTwiceIsANoOp(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	raw := "From: c@acme.test\r\nTo: kim@example.com\r\nSubject: Quote\r\nMessage-ID: <q1@acme.test>\r\n\r\nHere it is.\r\n"
	in := func() inbox.RawIncoming {
		return inbox.RawIncoming{Account: a.Accounts["c"].ID, Ref: "Sent;UIDVALIDITY=3;UID=9", Message: strings.NewReader(raw)}
	}
	first, err := a.Engine.RecordSentRaw(ctx, inbox.System, in())
	require.NoError(t, err)
	a.Events.Take()
	again, err := a.Engine.RecordSentRaw(ctx, inbox.System, in())
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	assert.Empty(t, a.Events.Take())
	require.Len(t, a.Conv("C", first.Conversations[0]).Messages, 1)
}

// After the server renumbered a folder (a new UIDVALIDITY), the transport
// delivers each copy again under its new reference, naming the stale
// references it supersedes: the message keeps one copy, now under the new
// reference, and nothing else happens (no message, event, reopen or
// notification). A reference outside the superseded namespace (another
// folder) is left alone (spec accounts-threading §2.7, copies are re-matched
// by Message-ID).
func TestDeliverRawSupersedesStaleRefs(t *testing.T) {
	ctx := context.Background()
	a := inboxtest.NewAcme(inboxtest.AcmeOptions{})
	acct := a.Accounts["support"].ID
	deliver := func(raw, ref, supersedes string) inbox.Delivery {
		d, err := a.Engine.DeliverRaw(ctx, inbox.System, inbox.RawIncoming{Account: acct, Ref: ref, Supersedes: supersedes, Message: strings.NewReader(raw)})
		require.NoError(t, err)
		return d
	}
	first := deliver(rawOrder, "INBOX;UIDVALIDITY=7;UID=1", "")
	c := first.Conversations[0]
	err := a.Engine.Close(ctx, a.As("A"), c)
	require.NoError(t, err)
	a.Events.Take()
	a.Notes.Take()

	// Another folder's prefix does not match: the reference stays.
	d := deliver(rawOrder, "Archive;UIDVALIDITY=9;UID=4", "Archive;UIDVALIDITY=8;")
	assert.True(t, d.Duplicate)
	assert.Equal(t, "INBOX;UIDVALIDITY=7;UID=1", a.Conv("A", c).Messages[0].Ref)

	d = deliver(rawOrder, "INBOX;UIDVALIDITY=8;UID=1", "INBOX;UIDVALIDITY=7;")
	assert.True(t, d.Duplicate)
	v := a.Conv("A", c)
	require.Len(t, v.Messages, 1)
	assert.Equal(t, "INBOX;UIDVALIDITY=8;UID=1", v.Messages[0].Ref)
	assert.True(t, v.Conversation.Closed, "a re-mapped copy reopens nothing")
	assert.Empty(t, a.Events.Take())
	assert.Empty(t, a.Notes.Take())

}
