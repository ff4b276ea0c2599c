package smtpsend_test

import (
	"context"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/mailauth"
	"github.com/inboxkit/inboxkit/inbox/mailauth/mailauthtest"
	"github.com/inboxkit/inboxkit/inbox/smtpsend"
	"github.com/stretchr/testify/require"
)

const rawMessage = "From: Alice <alice@example.com>\r\n" +
	"To: Bob <bob@example.org>\r\n" +
	"Cc: carol@example.org\r\n" +
	"Subject: Re: your order\r\n" +
	"Message-ID: <m1@example.com>\r\n" +
	"\r\n" +
	"Thanks, it ships tomorrow.\r\n"

func outgoing(raw string) *inbox.Outgoing {
	return &inbox.Outgoing{
		Account:  conversation.AccountID{},
		HeaderID: "m1@example.com",
		Envelope: inbox.Envelope{From: "alice@example.com", To: []string{"bob@example.org", "carol@example.org", "dave@example.net"}},
		Raw:      []byte(raw),
	}
}

func sender(t *testing.T, srv smtpsend.Server, opts ...func(*smtpsend.Options)) *smtpsend.Sender {
	t.Helper()
	o := smtpsend.Options{Servers: smtpsend.ServersFunc(func(context.Context, conversation.OrgID, conversation.AccountID) (smtpsend.Server, error) {
		return srv, nil
	}), Timeout: 10 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	s, err := smtpsend.New(o)
	require.NoError(t, err)
	return s
}

func password() mailauth.Credentials {
	return mailauth.Credentials{Username: "user", Password: "secret"}
}

// The envelope carries every recipient, Bcc (dave) included, while the
// message sent is exactly Raw, with no Bcc field.
func TestSendBccInEnvelopeOnly(t *testing.T) {
	ts := startServer(t, serverConfig{auth: true})
	s := sender(t, smtpsend.Server{Addr: ts.Addr, Security: mailauth.Plaintext, Credentials: password()})
	require.NoError(t, s.Send(t.Context(), outgoing(rawMessage)))

	got := ts.received()
	require.Len(t, got, 1)
	require.Equal(t, "alice@example.com", got[0].From)
	require.Equal(t, []string{"bob@example.org", "carol@example.org", "dave@example.net"}, got[0].To)
	require.Equal(t, rawMessage, string(got[0].Data))
	require.NotContains(t, strings.ToLower(string(got[0].Data)), "dave")
	require.Equal(t, "user", got[0].User)
}

// A message that still carries a Bcc field is refused before connecting:
// sending it would show the Bcc list to every recipient.
func TestSendRefusesBccHeader(t *testing.T) {
	ts := startServer(t, serverConfig{})
	s := sender(t, smtpsend.Server{Addr: ts.Addr, Security: mailauth.Plaintext})
	err := s.Send(t.Context(), outgoing("Bcc: dave@example.net\r\n"+rawMessage))
	require.True(t, inbox.IsPermanentSendError(err), "%v", err)
	require.Zero(t, ts.mailCommands())
}

// Size limit: the server's SIZE, else 25 MiB (Options.MaxSize here),
// checked on the encoded message before MAIL FROM (spec scenario 66).
func TestACCT_066_SendSizeRefusedBeforeTransmission(t *testing.T) {
	big := rawMessage + strings.Repeat(strings.Repeat("x", 70)+"\r\n", 30)
	t.Run("server SIZE", func(t *testing.T) {
		ts := startServer(t, serverConfig{maxBytes: 1000})
		s := sender(t, smtpsend.Server{Addr: ts.Addr, Security: mailauth.Plaintext})
		err := s.Send(t.Context(), outgoing(big))
		require.ErrorIs(t, err, smtpsend.ErrMessageTooLarge)
		require.True(t, inbox.IsPermanentSendError(err))
		require.Zero(t, ts.mailCommands(), "refused before MAIL FROM")
		require.NoError(t, s.Send(t.Context(), outgoing(rawMessage)), "a message under SIZE goes")
	})
	t.Run("fallback without SIZE", func(t *testing.T) {
		ts := startServer(t, serverConfig{})
		s := sender(t, smtpsend.Server{Addr: ts.Addr, Security: mailauth.Plaintext}, func(o *smtpsend.Options) { o.MaxSize = 1000 })
		err := s.Send(t.Context(), outgoing(big))
		require.ErrorIs(t, err, smtpsend.ErrMessageTooLarge)
		require.Zero(t, ts.mailCommands())
	})
	t.Run("server SIZE above the fallback wins", func(t *testing.T) {
		ts := startServer(t, serverConfig{maxBytes: 10000})
		s := sender(t, smtpsend.Server{Addr: ts.Addr, Security: mailauth.Plaintext}, func(o *smtpsend.Options) { o.MaxSize = 1000 })
		require.NoError(t, s.Send(t.Context(), outgoing(big)))
	})
}

// STARTTLS with a self-signed certificate: refused by default, before any
// credential is sent; accepted with AllowSelfSigned (spec §2.7 TLS).
func TestSendStartTLSSelfSigned(t *testing.T) {
	cert, pool := mailauthtest.SelfSigned(t)
	ts := startServer(t, serverConfig{tls: &tls.Config{Certificates: []tls.Certificate{cert}}, auth: true})

	strict := sender(t, smtpsend.Server{Addr: ts.Addr, Credentials: password()})
	err := strict.Send(t.Context(), outgoing(rawMessage))
	require.Error(t, err)
	require.True(t, inbox.IsPermanentSendError(err), "%v", err)
	require.Contains(t, err.Error(), "certificate")
	require.Empty(t, ts.received())

	lax := sender(t, smtpsend.Server{Addr: ts.Addr, AllowSelfSigned: true, Credentials: password()})
	require.NoError(t, lax.Send(t.Context(), outgoing(rawMessage)))
	require.Len(t, ts.received(), 1)

	// A trusted root makes it verify without the option.
	trusted := sender(t, smtpsend.Server{Addr: ts.Addr, RootCAs: pool, Credentials: password()})
	require.NoError(t, trusted.Send(t.Context(), outgoing(rawMessage)))
}

// An account that requires STARTTLS never talks to a server without it.
func TestSendRequiresStartTLS(t *testing.T) {
	ts := startServer(t, serverConfig{})
	s := sender(t, smtpsend.Server{Addr: ts.Addr, Credentials: password()})
	err := s.Send(t.Context(), outgoing(rawMessage))
	require.ErrorIs(t, err, smtpsend.ErrNoStartTLS)
	require.True(t, inbox.IsPermanentSendError(err))
	require.Zero(t, ts.mailCommands())
}

func TestSendAuth(t *testing.T) {
	tokens := mailauth.TokenFunc(func(context.Context) (string, error) { return "tok", nil })
	for _, tc := range []struct {
		name  string
		creds mailauth.Credentials
		user  string // as the server saw it; empty: refused
	}{
		{"plain", password(), "user"},
		{"wrong password", mailauth.Credentials{Username: "user", Password: "nope"}, ""},
		{"oauthbearer", mailauth.Credentials{Username: "alice@example.com", Tokens: tokens}, "bearer:alice@example.com"},
		{"xoauth2", mailauth.Credentials{Username: "alice@example.com", Tokens: tokens, Mechanism: mailauth.XOAuth2}, "xoauth2:alice@example.com"},
		{"bad token", mailauth.Credentials{Username: "alice@example.com", Mechanism: mailauth.XOAuth2,
			Tokens: mailauth.TokenFunc(func(context.Context) (string, error) { return "expired", nil })}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t, serverConfig{auth: true})
			s := sender(t, smtpsend.Server{Addr: ts.Addr, Security: mailauth.Plaintext, Credentials: tc.creds})
			err := s.Send(t.Context(), outgoing(rawMessage))
			if tc.user == "" {
				require.True(t, inbox.IsPermanentSendError(err), "%v", err)
				require.Empty(t, ts.received())
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.user, ts.received()[0].User)
		})
	}
}

// A 4xx reply is a temporary failure with its code, a 5xx reply a
// permanent one; the next attempt after a 4xx goes through.
func TestSendTemporaryThenPermanent(t *testing.T) {
	ts := startServer(t, serverConfig{})
	s := sender(t, smtpsend.Server{Addr: ts.Addr, Security: mailauth.Plaintext})
	ts.script([]*smtp.SMTPError{{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}},
		[]*smtp.SMTPError{{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "rejected"}})

	err := s.Send(t.Context(), outgoing(rawMessage))
	se, ok := errorsAs[*inbox.SendError](err)
	require.True(t, ok, "%v", err)
	require.False(t, se.Permanent)
	require.Equal(t, 451, se.Code)

	err = s.Send(t.Context(), outgoing(rawMessage))
	se, ok = errorsAs[*inbox.SendError](err)
	require.True(t, ok, "%v", err)
	require.True(t, se.Permanent)
	require.Equal(t, 554, se.Code)
	require.Empty(t, ts.received())

	require.NoError(t, s.Send(t.Context(), outgoing(rawMessage)))
	require.Len(t, ts.received(), 1)
}

// A server that cannot be reached is a temporary failure.
func TestSendNetworkErrorIsTemporary(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	s := sender(t, smtpsend.Server{Addr: addr, Security: mailauth.Plaintext})
	err = s.Send(t.Context(), outgoing(rawMessage))
	se, ok := errorsAs[*inbox.SendError](err)
	require.True(t, ok, "%v", err)
	require.False(t, se.Permanent)
}

// A server that never answers does not hold the caller past its context.
func TestSendHonorsContext(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // silent: no greeting
		}
	}()
	s := sender(t, smtpsend.Server{Addr: l.Addr().String(), Security: mailauth.Plaintext})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Send(ctx, outgoing(rawMessage)) }()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.False(t, inbox.IsPermanentSendError(err))
	case <-time.After(10 * time.Second):
		t.Fatal("Send did not return after its context ended")
	}
}
