// Package mailauth holds what the IMAP and SMTP transports of inboxkit
// share to reach a mail server: the account's credentials (a password, or
// an OAuth2 access token from a source the host implements), the choice
// of a SASL mechanism the server offers, and the TLS configuration, which
// verifies the server's certificate unless an account explicitly allows a
// self-signed one.
package mailauth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/emersion/go-sasl"
)

// Security is how a connection to a mail server is protected.
type Security int

const (
	// StartTLS connects in plain text and upgrades with STARTTLS before
	// authenticating; the upgrade is required. It is the zero value.
	StartTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (IMAPS on 993,
	// submissions on 465).
	ImplicitTLS
	// Plaintext never encrypts. Meant for a server on the loopback
	// interface; credentials travel in clear text.
	Plaintext
)

// String names the mode.
func (s Security) String() string {
	switch s {
	case StartTLS:
		return "starttls"
	case ImplicitTLS:
		return "tls"
	case Plaintext:
		return "plaintext"
	}
	return fmt.Sprintf("Security(%d)", int(s))
}

// TokenSource hands out OAuth2 access tokens. The host implements it
// (refreshing tokens as its OAuth2 library does); it is called once per
// connection.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// TokenFunc adapts a function to a [TokenSource].
type TokenFunc func(ctx context.Context) (string, error)

// Token calls f.
func (f TokenFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

// OAuth2 SASL mechanisms.
const (
	// XOAuth2 is Google's and Microsoft's mechanism.
	XOAuth2 = "XOAUTH2"
	// OAuthBearer is the standard mechanism of RFC 7628.
	OAuthBearer = sasl.OAuthBearer
)

// Credentials authenticate an account on its server.
type Credentials struct {
	// Username is the login name, usually the account's address.
	Username string
	// Password is used when Tokens is nil: AUTH PLAIN, else LOGIN, as
	// the server offers them.
	Password string
	// Tokens, when set, authenticates with OAuth2: OAUTHBEARER or
	// XOAUTH2, as the server offers them (Mechanism forces one).
	Tokens TokenSource
	// Mechanism forces a SASL mechanism (XOAuth2, OAuthBearer, "PLAIN",
	// "LOGIN"); empty picks one the server offers.
	Mechanism string
}

// ErrNoMechanism is returned when the server offers no SASL mechanism the
// credentials can use.
var ErrNoMechanism = errors.New("the server offers no authentication mechanism these credentials can use")

// SASL returns a SASL client for c, choosing among the mechanisms the
// server offers (supports reports whether it offers one). host and port
// are passed to OAUTHBEARER.
func (c Credentials) SASL(ctx context.Context, host string, port int, supports func(mech string) bool) (sasl.Client, error) {
	pick := func(prefer ...string) (string, error) {
		if c.Mechanism != "" {
			if !supports(c.Mechanism) {
				return "", fmt.Errorf("%w (wanted %s)", ErrNoMechanism, c.Mechanism)
			}
			return strings.ToUpper(c.Mechanism), nil
		}
		if i := slices.IndexFunc(prefer, supports); i >= 0 {
			return prefer[i], nil
		}
		return "", fmt.Errorf("%w (tried %s)", ErrNoMechanism, strings.Join(prefer, ", "))
	}
	if c.Tokens != nil {
		mech, err := pick(OAuthBearer, XOAuth2)
		if err != nil {
			return nil, err
		}
		tok, err := c.Tokens.Token(ctx)
		if err != nil {
			return nil, fmt.Errorf("oauth2 token: %w", err)
		}
		switch mech {
		case OAuthBearer:
			return sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: c.Username, Token: tok, Host: host, Port: port}), nil
		case XOAuth2:
			return NewXOAuth2Client(c.Username, tok), nil
		}
		return nil, fmt.Errorf("%w: %s is not an OAuth2 mechanism", ErrNoMechanism, mech)
	}
	mech, err := pick(sasl.Plain, sasl.Login)
	if err != nil {
		return nil, err
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainClient("", c.Username, c.Password), nil
	case sasl.Login:
		return sasl.NewLoginClient(c.Username, c.Password), nil
	}
	return nil, fmt.Errorf("%w: %s is not a password mechanism", ErrNoMechanism, mech)
}

// XOAuth2Error is the server's refusal of an XOAUTH2 token: the JSON
// document it sent as a challenge.
type XOAuth2Error struct {
	// Detail is the server's error document.
	Detail string
}

// Error describes the refusal.
func (e *XOAuth2Error) Error() string { return "XOAUTH2 authentication refused: " + e.Detail }

type xoauth2Client struct{ user, token string }

// NewXOAuth2Client returns a SASL client of the XOAUTH2 mechanism Google
// and Microsoft use: the user name and a bearer token in the initial
// response.
func NewXOAuth2Client(username, token string) sasl.Client {
	return &xoauth2Client{user: username, token: token}
}

func (c *xoauth2Client) Start() (string, []byte, error) {
	return XOAuth2, []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

// Next answers the error challenge of a refusing server: an empty
// response ends the exchange, and the refusal is returned.
func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	return nil, &XOAuth2Error{Detail: string(challenge)}
}

// TLSConfig returns the client TLS configuration for server name host:
// certificates verified against the system roots (or roots, when not
// nil). With allowSelfSigned a certificate that fails that verification
// is still accepted when it is self-signed (signed by its own key),
// currently valid, and names host; any other invalid certificate is
// refused.
func TLSConfig(host string, allowSelfSigned bool, roots *x509.CertPool) *tls.Config {
	cfg := &tls.Config{ServerName: host, RootCAs: roots, MinVersion: tls.VersionTLS12}
	if !allowSelfSigned {
		return cfg
	}
	// Verification is done below instead of by crypto/tls, so a
	// self-signed certificate can be told from any other failure.
	cfg.InsecureSkipVerify = true
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("tls: the server sent no certificate")
		}
		leaf := cs.PeerCertificates[0]
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		_, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter})
		if err == nil {
			return nil
		}
		if !selfSigned(leaf) {
			return err
		}
		own := x509.NewCertPool()
		own.AddCert(leaf)
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: own}); err != nil {
			return fmt.Errorf("tls: self-signed certificate refused: %w", err)
		}
		return nil
	}
	return cfg
}

// selfSigned reports whether c is signed by its own key.
func selfSigned(c *x509.Certificate) bool {
	return c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}
