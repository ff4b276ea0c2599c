package imapsync

import (
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// Role is what a folder is for.
type Role string

// The folder roles: found by their special-use attribute (RFC 6154), else
// by common names, else as the account's configuration says.
const (
	Inbox   Role = "inbox"
	Sent    Role = "sent"
	Archive Role = "archive"
	Trash   Role = "trash"
	Junk    Role = "junk"
	All     Role = "all"
	Drafts  Role = "drafts"
)

// roles lists the roles with their special-use attribute and the names
// providers commonly give such folders, compared case-insensitively on
// the last level of the name.
var roles = []struct {
	role  Role
	attr  imap.MailboxAttr
	names []string
}{
	{Sent, imap.MailboxAttrSent, []string{"sent", "sent items", "sent mail", "sent messages", "envoyés", "gesendet"}},
	{Archive, imap.MailboxAttrArchive, []string{"archive", "archives"}},
	{Trash, imap.MailboxAttrTrash, []string{"trash", "deleted", "deleted items", "deleted messages", "bin", "corbeille"}},
	{Junk, imap.MailboxAttrJunk, []string{"junk", "spam", "junk email", "junk e-mail", "bulk mail"}},
	{All, imap.MailboxAttrAll, []string{"all mail", "all"}},
	{Drafts, imap.MailboxAttrDrafts, []string{"drafts", "draft"}},
}

// Folders maps roles to folder names.
type Folders map[Role]string

// DetectFolders finds the folder of each role in a LIST response: INBOX
// (always named so), then per role the folder with the special-use
// attribute, else one with a common name for it; configured entries win
// over both. A folder that cannot be selected is never chosen.
func DetectFolders(list []*imap.ListData, configured Folders) Folders {
	out := Folders{}
	usable := func(l *imap.ListData) bool {
		return !slices.Contains(l.Attrs, imap.MailboxAttrNoSelect) && !slices.Contains(l.Attrs, imap.MailboxAttrNonExistent)
	}
	for _, l := range list {
		if strings.EqualFold(l.Mailbox, "INBOX") && usable(l) {
			out[Inbox] = l.Mailbox
		}
	}
	for _, r := range roles {
		for _, l := range list {
			if usable(l) && slices.ContainsFunc(l.Attrs, func(a imap.MailboxAttr) bool { return strings.EqualFold(string(a), string(r.attr)) }) {
				out[r.role] = l.Mailbox
				break
			}
		}
		if _, ok := out[r.role]; ok {
			continue
		}
		for _, l := range list {
			if usable(l) && slices.Contains(r.names, strings.ToLower(lastLevel(l))) {
				out[r.role] = l.Mailbox
				break
			}
		}
	}
	for role, name := range configured {
		if name != "" {
			out[role] = name
		}
	}
	return out
}

// lastLevel is the last level of a hierarchical folder name ("Sent" of
// "[Gmail]/Sent Mail" is "Sent Mail").
func lastLevel(l *imap.ListData) string {
	if l.Delim == 0 {
		return l.Mailbox
	}
	if i := strings.LastIndex(l.Mailbox, string(l.Delim)); i >= 0 {
		return l.Mailbox[i+len(string(l.Delim)):]
	}
	return l.Mailbox
}
