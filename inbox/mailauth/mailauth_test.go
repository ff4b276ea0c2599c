package mailauth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inboxkit/inboxkit/inbox/mailauth"
	"github.com/inboxkit/inboxkit/inbox/mailauth/mailauthtest"
)

// handshake runs a TLS handshake between a server presenting cert and a
// client configured by mailauth.TLSConfig for host.
func handshake(t *testing.T, cert tls.Certificate, host string, allowSelfSigned bool, roots *x509.CertPool) error {
	t.Helper()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	go func() {
		s := tls.Server(b, &tls.Config{Certificates: []tls.Certificate{cert}})
		s.Handshake()
		s.Close()
	}()
	c := tls.Client(a, mailauth.TLSConfig(host, allowSelfSigned, roots))
	c.SetDeadline(time.Now().Add(5 * time.Second))
	return c.Handshake()
}

// issued returns a certificate for 127.0.0.1 signed by a throwaway
// certificate authority (not self-signed).
func issued(t *testing.T) tls.Certificate {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	caCert, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}
}

// AllowSelfSigned accepts a self-signed certificate for the right host
// only: never one for another host, and never a certificate of an
// unknown authority (spec accounts-threading §2.7 TLS).
func TestTLSConfigSelfSigned(t *testing.T) {
	self, pool := mailauthtest.SelfSigned(t)
	assert.Error(t, handshake(t, self, "127.0.0.1", false, nil), "verified by default")
	assert.NoError(t, handshake(t, self, "127.0.0.1", true, nil))
	assert.Error(t, handshake(t, self, "127.0.0.2", true, nil), "the certificate must name the host")
	assert.NoError(t, handshake(t, self, "127.0.0.1", false, pool), "a trusted root")

	other := issued(t)
	assert.Error(t, handshake(t, other, "127.0.0.1", false, nil))
	assert.Error(t, handshake(t, other, "127.0.0.1", true, nil), "an unknown authority is not self-signed")
}

func TestCredentialsSASL(t *testing.T) {
	offers := func(mechs ...string) func(string) bool {
		return func(m string) bool {
			for _, x := range mechs {
				if x == m {
					return true
				}
			}
			return false
		}
	}
	mech := func(c sasl.Client, err error) string {
		require.NoError(t, err)
		m, _, err := c.Start()
		require.NoError(t, err)
		return m
	}
	ctx := context.Background()
	pw := mailauth.Credentials{Username: "u", Password: "p"}
	assert.Equal(t, "PLAIN", mech(pw.SASL(ctx, "h", 1, offers("LOGIN", "PLAIN"))))
	assert.Equal(t, "LOGIN", mech(pw.SASL(ctx, "h", 1, offers("LOGIN"))))
	_, err := pw.SASL(ctx, "h", 1, offers("XOAUTH2"))
	assert.ErrorIs(t, err, mailauth.ErrNoMechanism)

	tok := mailauth.Credentials{Username: "u", Tokens: mailauth.TokenFunc(func(context.Context) (string, error) { return "t", nil })}
	assert.Equal(t, "OAUTHBEARER", mech(tok.SASL(ctx, "h", 1, offers("XOAUTH2", "OAUTHBEARER", "PLAIN"))))
	assert.Equal(t, "XOAUTH2", mech(tok.SASL(ctx, "h", 1, offers("XOAUTH2", "PLAIN"))))
	_, err = tok.SASL(ctx, "h", 1, offers("PLAIN"))
	assert.ErrorIs(t, err, mailauth.ErrNoMechanism, "a token is never sent as a password")

	c, err := tok.SASL(ctx, "h", 1, offers("XOAUTH2"))
	require.NoError(t, err)
	_, ir, _ := c.Start()
	assert.Equal(t, "user=u\x01auth=Bearer t\x01\x01", string(ir))
	_, err = c.Next([]byte(`{"status":"401"}`))
	var refused *mailauth.XOAuth2Error
	assert.True(t, errors.As(err, &refused))

	broken := mailauth.Credentials{Username: "u", Tokens: mailauth.TokenFunc(func(context.Context) (string, error) { return "", errors.New("refresh failed") })}
	_, err = broken.SASL(ctx, "h", 1, offers("XOAUTH2"))
	assert.ErrorContains(t, err, "refresh failed")
}
