package guests

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
)

// DefaultInvitationTTL is how long an invitation can be accepted: a week
// by default.
const DefaultInvitationTTL = 7 * 24 * time.Hour

// ErrInvalidToken is returned for a token that is malformed, unknown,
// already used, expired or revoked: the cases are not told apart, so a
// token cannot be probed. It wraps [conversation.ErrNotFound].
var ErrInvalidToken = fmt.Errorf("%w: invitation token is invalid, used or expired", conversation.ErrNotFound)

// tokenPrefix marks inboxkit guest invitation tokens, so a token pasted
// in the wrong place is recognisable.
const tokenPrefix = "ikgi_"

// tokenBytes is the token's entropy: 256 bits.
const tokenBytes = 32

// Token is an invitation token: 32 random bytes. Its text form goes to
// the invitee (in the invitation link); stores keep only its [Token.Hash].
type Token [tokenBytes]byte

// NewToken reads a token from r, which must be a cryptographically secure
// random source the caller owns (the engine passes its crypto/rand
// reader). It fails only if r does.
func NewToken(r io.Reader) (Token, error) {
	var t Token
	if _, err := io.ReadFull(r, t[:]); err != nil {
		return Token{}, fmt.Errorf("guests: reading random token: %w", err)
	}
	return t, nil
}

// String returns the token's text form: "ikgi_" and 43 characters of
// unpadded URL-safe base64.
func (t Token) String() string { return tokenPrefix + base64.RawURLEncoding.EncodeToString(t[:]) }

// Hash returns the SHA-256 digest the store keeps instead of the token.
func (t Token) Hash() conversation.TokenHash { return sha256.Sum256(t[:]) }

// ParseToken parses a token's text form. Only the canonical form String
// makes is accepted; anything else wraps [ErrInvalidToken].
func ParseToken(s string) (Token, error) {
	rest, ok := strings.CutPrefix(s, tokenPrefix)
	if !ok || base64.RawURLEncoding.DecodedLen(len(rest)) != tokenBytes {
		return Token{}, ErrInvalidToken
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	if err != nil || len(b) != tokenBytes {
		return Token{}, ErrInvalidToken
	}
	var t Token
	copy(t[:], b)
	if subtle.ConstantTimeCompare([]byte(t.String()), []byte(s)) != 1 {
		return Token{}, ErrInvalidToken
	}
	return t, nil
}
