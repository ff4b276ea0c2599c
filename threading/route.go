package threading

import "strings"

// ListID returns the list identifier of a List-Id header value (RFC 2919),
// lower-cased, without brackets: `Team <grp-123.example.com>` gives
// "grp-123.example.com". A value without brackets is accepted when it is a
// single dotted word. It returns "" when the value holds no identifier.
func ListID(header string) string {
	h := strings.TrimSpace(header)
	if i := strings.LastIndexByte(h, '<'); i >= 0 {
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			return ""
		}
		h = strings.TrimSpace(h[i+1 : i+j])
	}
	if h == "" || strings.ContainsAny(h, " \t\r\n<>\"@") || !strings.Contains(h, ".") {
		return ""
	}
	return strings.ToLower(h)
}

// MailingListAddress returns the primary address of a group from a
// Mailing-list header value, lower-cased: Google Groups (and ezmlm) write
// "list grp-123@example.com; contact grp-123+owners@example.com", and the
// primary address is the one after "list". A value without a "list" part
// gives its first address. It returns "" when there is none.
func MailingListAddress(header string) string {
	first := ""
	for part := range strings.SplitSeq(header, ";") {
		f := strings.Fields(part)
		for i, w := range f {
			w = strings.Trim(w, "<>,")
			if !strings.Contains(w, "@") {
				continue
			}
			if i > 0 && strings.EqualFold(f[i-1], "list") {
				return strings.ToLower(w)
			}
			if first == "" {
				first = strings.ToLower(w)
			}
		}
	}
	return first
}

// ListAddresses returns the addresses a List-Id identifier can name, in
// order: "grp-123.example.com" gives grp-123@example.com. Each dot that
// leaves a dotted domain after it is a candidate split, so
// "a.b.example.com" gives a@b.example.com and a.b@example.com. It returns
// nil for "".
func ListAddresses(listID string) []string {
	var out []string
	for i := 0; i < len(listID); i++ {
		if listID[i] != '.' || i == 0 {
			continue
		}
		domain := listID[i+1:]
		if j := strings.IndexByte(domain, '.'); j <= 0 || j == len(domain)-1 {
			continue
		}
		out = append(out, listID[:i]+"@"+domain)
	}
	return out
}

// ListIDMatches reports whether a List-Id identifier names the list whose
// address is addr: Google Groups use "grp-123.example.com" for
// grp-123@example.com.
func ListIDMatches(listID, addr string) bool {
	local, domain, ok := strings.Cut(canonicalAddress(addr), "@")
	if !ok || listID == "" {
		return false
	}
	return strings.EqualFold(listID, local+"."+domain)
}

// RouteInput is what [Route] reads of a message: the recipient addresses
// (already parsed, any case) and the raw list headers.
type RouteInput struct {
	To, Cc, DeliveredTo []string
	// MailingList and ListID are the raw Mailing-list and List-Id header
	// values; empty when absent.
	MailingList, ListID string
}

// Route returns which of the organization's shared addresses a message was
// sent to, in the order of shared, canonical (trimmed, lower-cased), each
// once. It implements shared-address and Google Group routing over headers:
//
//   - Mail that came through a group (a Mailing-list or List-Id header) is
//     routed by the group's identity only: the primary address of the
//     Mailing-list header, or a List-Id naming a shared address. The
//     alias the sender typed in To is ignored, which is the documented
//     failure: a group known only by an alias is not
//     recognized, and adding the primary address fixes it.
//   - Other mail is routed by To, Cc and Delivered-To.
//
// How the engine uses the result: no match means the copy stays in the
// receiving account's scope ([PersonalScope] for a personal account), so
// each member gets a separate private conversation. A match puts the copy in
// [SharedScope] of the organization, so every member's copy threads into one
// conversation. Access follows the matched addresses: their auto-share
// audiences, or, for a shared address with an empty audience, the users that
// own the matched addresses: mail to claire@ alone stays Claire's, mail to
// claire@ and hubert@ is shared between both.
func Route(in RouteInput, shared []string) []string {
	var got []string
	match := func(s string) {
		for _, g := range got {
			if g == s {
				return
			}
		}
		got = append(got, s)
	}
	primary := MailingListAddress(in.MailingList)
	listID := ListID(in.ListID)
	isList := primary != "" || listID != ""
	for _, s := range shared {
		s = canonicalAddress(s)
		if s == "" {
			continue
		}
		if isList {
			if s == primary || ListIDMatches(listID, s) {
				match(s)
			}
			continue
		}
		if hasAddress(in.To, s) || hasAddress(in.Cc, s) || hasAddress(in.DeliveredTo, s) {
			match(s)
		}
	}
	return got
}

// canonicalAddress is the form addresses are compared in: trimmed and
// lower-cased, like conversation.CanonicalAddress.
func canonicalAddress(a string) string { return strings.ToLower(strings.TrimSpace(a)) }

func hasAddress(list []string, canon string) bool {
	for _, a := range list {
		if canonicalAddress(a) == canon {
			return true
		}
	}
	return false
}
