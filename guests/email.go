package guests

import (
	"net/mail"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
)

// maxEmailLen bounds an invitee address (RFC 5321's path limit).
const maxEmailLen = 254

// Email validates an invitee's address and returns it in canonical form
// (conversation.CanonicalAddress): a bare addr-spec such as
// "g@ext.test". Display names, angle brackets, lists and anything that
// is not one address are refused with an error wrapping
// conversation.ErrInvalidArgument.
func Email(s string) (string, error) {
	addr := conversation.CanonicalAddress(s)
	if addr == "" || len(addr) > maxEmailLen {
		return "", conversation.Errorf(conversation.ErrInvalidArgument, "invitee address %q is empty or too long", s)
	}
	parsed, err := mail.ParseAddress(addr)
	if err != nil || parsed.Name != "" || conversation.CanonicalAddress(parsed.Address) != addr {
		return "", conversation.Errorf(conversation.ErrInvalidArgument, "invitee address %q is not one plain email address", s)
	}
	if at := strings.LastIndexByte(addr, '@'); at <= 0 || at == len(addr)-1 {
		return "", conversation.Errorf(conversation.ErrInvalidArgument, "invitee address %q has no domain", s)
	}
	return addr, nil
}
