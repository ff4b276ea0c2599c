package imapsync

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Ref is the server reference of one copy of a message: its folder, the
// folder's UIDVALIDITY and the message's UID. Its String form is what
// the engine keeps as the copy's reference (conversation.Message.Ref),
// in the style of an IMAP URL (RFC 5092):
// "INBOX;UIDVALIDITY=785799047;UID=113", the folder name percent-encoded.
// Write-back to the server (flags, moves, expunge) turns a stored
// reference back into a Ref with [ParseRef].
type Ref struct {
	Folder      string
	UIDValidity uint32
	UID         uint32
}

// String encodes r.
func (r Ref) String() string {
	return refPrefix(r.Folder, r.UIDValidity) + "UID=" + strconv.FormatUint(uint64(r.UID), 10)
}

// refPrefix is the common prefix of every reference of folder under one
// UIDVALIDITY: what a copy delivered after a UIDVALIDITY change
// supersedes (inbox.Incoming.Supersedes).
func refPrefix(folder string, validity uint32) string {
	return url.PathEscape(folder) + ";UIDVALIDITY=" + strconv.FormatUint(uint64(validity), 10) + ";"
}

// ParseRef decodes a reference made by [Ref.String]. It fails on any
// other string, such as the reference of another transport.
func ParseRef(s string) (Ref, error) {
	bad := func() (Ref, error) { return Ref{}, fmt.Errorf("imapsync: %q is not an IMAP message reference", s) }
	folder, rest, ok := strings.Cut(s, ";UIDVALIDITY=")
	if !ok {
		return bad()
	}
	v, uid, ok := strings.Cut(rest, ";UID=")
	if !ok {
		return bad()
	}
	name, err := url.PathUnescape(folder)
	if err != nil || name == "" {
		return bad()
	}
	validity, err1 := strconv.ParseUint(v, 10, 32)
	n, err2 := strconv.ParseUint(uid, 10, 32)
	if err1 != nil || err2 != nil || validity == 0 || n == 0 {
		return bad()
	}
	return Ref{Folder: name, UIDValidity: uint32(validity), UID: uint32(n)}, nil
}
