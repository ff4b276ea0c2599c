package smtpsend_test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"
)

// received is one mail transaction the test server accepted.
type received struct {
	From string
	To   []string
	Data []byte
	User string
}

// testServer is a go-smtp server on 127.0.0.1 that records what it
// receives, authenticates user/secret (PLAIN, LOGIN-less) or the token
// "tok" (OAUTHBEARER, XOAUTH2), and answers the scripted replies first.
type testServer struct {
	Addr string
	srv  *smtp.Server

	mu       sync.Mutex
	got      []received
	mails    int // MAIL commands seen
	failRcpt []*smtp.SMTPError
	failData []*smtp.SMTPError
}

type serverConfig struct {
	tls      *tls.Config
	maxBytes int64
	auth     bool
}

func startServer(t *testing.T, cfg serverConfig) *testServer {
	t.Helper()
	ts := &testServer{}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{ts: ts, authRequired: cfg.auth}, nil
	}))
	s.Domain = "test.local"
	s.TLSConfig = cfg.tls
	s.MaxMessageBytes = cfg.maxBytes
	s.AllowInsecureAuth = true
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ts.Addr = l.Addr().String()
	ts.srv = s
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return ts
}

func (ts *testServer) received() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.got...)
}

func (ts *testServer) mailCommands() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.mails
}

// script makes the next RCPT and DATA commands fail with these replies,
// in order, one per transaction.
func (ts *testServer) script(rcpt, data []*smtp.SMTPError) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.failRcpt, ts.failData = rcpt, data
}

type session struct {
	ts           *testServer
	authRequired bool
	user         string
	cur          received
}

func (s *session) AuthMechanisms() []string {
	return []string{sasl.Plain, sasl.OAuthBearer, "XOAUTH2"}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error {
			if user != "user" || pass != "secret" {
				return smtp.ErrAuthFailed
			}
			s.user = user
			return nil
		}), nil
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if o.Token != "tok" {
				return &sasl.OAuthBearerError{Status: "invalid_token"}
			}
			s.user = "bearer:" + o.Username
			return nil
		}), nil
	case "XOAUTH2":
		return xoauth2Server(func(user, token string) error {
			if token != "tok" {
				return smtp.ErrAuthFailed
			}
			s.user = "xoauth2:" + user
			return nil
		}), nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.authRequired && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.ts.mu.Lock()
	s.ts.mails++
	s.ts.mu.Unlock()
	s.cur = received{From: from, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	if len(s.ts.failRcpt) > 0 {
		e := s.ts.failRcpt[0]
		s.ts.failRcpt = s.ts.failRcpt[1:]
		if e != nil {
			return e
		}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	if len(s.ts.failData) > 0 {
		e := s.ts.failData[0]
		s.ts.failData = s.ts.failData[1:]
		if e != nil {
			return e
		}
	}
	s.cur.Data = b
	s.ts.got = append(s.ts.got, s.cur)
	return nil
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

// xoauth2Server is the server side of XOAUTH2 for the tests.
type xoauth2Server func(user, token string) error

func (f xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if resp == nil {
		return []byte{}, false, nil
	}
	var user, token string
	for _, kv := range bytes.Split(resp, []byte{1}) {
		switch k, v, _ := strings.Cut(string(kv), "="); k {
		case "user":
			user = v
		case "auth":
			token = strings.TrimPrefix(v, "Bearer ")
		}
	}
	if err := f(user, token); err != nil {
		return nil, true, err
	}
	return nil, true, nil
}

// errorsAs is errors.As with a fresh target, for require.True.
func errorsAs[T error](err error) (T, bool) {
	var target T
	ok := errors.As(err, &target)
	return target, ok
}
