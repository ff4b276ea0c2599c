package imapsync_test

import (
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/inbox/imapsync"
)

func list(entries ...any) []*imap.ListData {
	var out []*imap.ListData
	for i := 0; i < len(entries); i += 2 {
		out = append(out, &imap.ListData{Mailbox: entries[i].(string), Delim: '/', Attrs: entries[i+1].([]imap.MailboxAttr)})
	}
	return out
}

// TestACCT_057_SpecialUseFolders: a LIST returning "Sent Items (\Sent)",
// "Deleted (\Trash)" and "Junk (\Junk)" maps the roles without
// configuration (spec accounts-threading scenario 57, F3:2793, F3:2801);
// attributes win over names, names are the fallback, configuration wins
// over both, and a \Noselect folder is never chosen.
func TestACCT_057_SpecialUseFolders(t *testing.T) {
	attrs := func(a ...imap.MailboxAttr) []imap.MailboxAttr { return a }
	got := imapsync.DetectFolders(list(
		"INBOX", attrs(),
		"Sent", attrs(), // a name match loses to the attribute
		"Sent Items", attrs(imap.MailboxAttrSent),
		"Deleted", attrs(imap.MailboxAttrTrash),
		"Junk", attrs(imap.MailboxAttrJunk),
		"[Gmail]", attrs(imap.MailboxAttrNoSelect),
		"[Gmail]/All Mail", attrs(),
		"Archives/2024", attrs(),
		"Archive", attrs(imap.MailboxAttrNoSelect),
	), nil)
	assert.Equal(t, imapsync.Folders{
		imapsync.Inbox: "INBOX",
		imapsync.Sent:  "Sent Items",
		imapsync.Trash: "Deleted",
		imapsync.Junk:  "Junk",
		imapsync.All:   "[Gmail]/All Mail",
	}, got)

	got = imapsync.DetectFolders(list("INBOX", attrs(), "Envoyés", attrs(), "Corbeille", attrs()),
		imapsync.Folders{imapsync.Archive: "Classé"})
	assert.Equal(t, imapsync.Folders{imapsync.Inbox: "INBOX", imapsync.Sent: "Envoyés", imapsync.Trash: "Corbeille", imapsync.Archive: "Classé"}, got)
}

func TestRefRoundTrip(t *testing.T) {
	for _, r := range []imapsync.Ref{
		{Folder: "INBOX", UIDValidity: 785799047, UID: 113},
		{Folder: "Dossiers/Envoyés; UIDVALIDITY=1;UID=2", UIDValidity: 1, UID: 4294967295},
		{Folder: "a%b", UIDValidity: 7, UID: 1},
	} {
		got, err := imapsync.ParseRef(r.String())
		require.NoError(t, err)
		assert.Equal(t, r, got)
	}
	assert.Equal(t, "INBOX;UIDVALIDITY=785799047;UID=113", imapsync.Ref{Folder: "INBOX", UIDValidity: 785799047, UID: 113}.String())
	for _, bad := range []string{"", "INBOX", "INBOX;UIDVALIDITY=1", "INBOX;UIDVALIDITY=0;UID=1", "INBOX;UIDVALIDITY=1;UID=0",
		";UIDVALIDITY=1;UID=1", "INBOX;UIDVALIDITY=x;UID=1", "INBOX;UIDVALIDITY=1;UID=99999999999", "%zz;UIDVALIDITY=1;UID=1"} {
		_, err := imapsync.ParseRef(bad)
		assert.Error(t, err, "%q", bad)
	}
}

// FuzzParseRef: ParseRef never panics, and what it accepts encodes back
// to a reference that parses to the same value.
func FuzzParseRef(f *testing.F) {
	f.Add("INBOX;UIDVALIDITY=785799047;UID=113")
	f.Add("a%3Bb;UIDVALIDITY=1;UID=2")
	f.Add(";UIDVALIDITY=;UID=")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := imapsync.ParseRef(s)
		if err != nil {
			return
		}
		again, err := imapsync.ParseRef(r.String())
		require.NoError(t, err)
		require.Equal(t, r, again)
	})
}
