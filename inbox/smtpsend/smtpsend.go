// Package smtpsend sends inboxkit's outgoing mail by SMTP submission: an
// [inbox.Sender] built on github.com/emersion/go-smtp.
//
// Each message goes to the submission server of its sending account, which
// the host resolves through [Servers]: the address, how the connection is
// protected (STARTTLS by default, certificates verified unless the
// account explicitly allows a self-signed one), and the credentials
// (AUTH PLAIN or LOGIN with a password, XOAUTH2 or OAUTHBEARER with an
// OAuth2 token source). The envelope is the message's [inbox.Envelope]:
// Bcc recipients are envelope recipients only, never header fields.
//
// Failures are classified for the engine's send jobs: a 4xx reply or a
// network failure is a temporary [inbox.SendError] (retried), a 5xx reply,
// an untrusted certificate, or a message larger than the server accepts is
// permanent. The size limit is the SIZE the server advertises (RFC 1870),
// or 25 MiB when it advertises none, counted on the encoded message and
// checked before the message is transmitted.
package smtpsend

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox"
	"github.com/inboxkit/inboxkit/inbox/mailauth"
)

// DefaultMaxSize is the message size limit used when a server advertises
// no SIZE: 25 MiB, the attachment limit of the common providers.
const DefaultMaxSize = 25 << 20

// ErrMessageTooLarge is wrapped by the permanent [inbox.SendError] of a
// message over the server's size limit.
var ErrMessageTooLarge = errors.New("message too large for the server")

// ErrNoStartTLS is wrapped by the permanent [inbox.SendError] of a server
// that does not offer STARTTLS while the account requires it.
var ErrNoStartTLS = errors.New("the server does not offer STARTTLS")

// Server is the submission server of an account.
type Server struct {
	// Addr is host:port, for example "smtp.example.com:587".
	Addr string
	// Security is how the connection is protected; the zero value is
	// STARTTLS, required.
	Security mailauth.Security
	// AllowSelfSigned accepts a self-signed certificate that names the
	// host. Off by default: certificates are verified.
	AllowSelfSigned bool
	// RootCAs replaces the system's trusted roots when not nil (a
	// private certificate authority).
	RootCAs *x509.CertPool
	// Credentials authenticate the account; a zero Username sends
	// without AUTH.
	Credentials mailauth.Credentials
	// LocalName is the name given in EHLO; empty means "localhost".
	LocalName string
}

// Servers resolves the submission server of a sending account. The host
// implements it from its account settings.
type Servers interface {
	Server(ctx context.Context, org conversation.OrgID, account conversation.AccountID) (Server, error)
}

// ServersFunc adapts a function to [Servers].
type ServersFunc func(ctx context.Context, org conversation.OrgID, account conversation.AccountID) (Server, error)

// Server calls f.
func (f ServersFunc) Server(ctx context.Context, org conversation.OrgID, account conversation.AccountID) (Server, error) {
	return f(ctx, org, account)
}

// Options configure a [Sender]. Servers is required; the other zero
// values work.
type Options struct {
	// Servers resolves each account's server.
	Servers Servers
	// Logger receives one record per message sent or failed; nil
	// discards them.
	Logger *slog.Logger
	// Timeout bounds one whole send (connection, TLS, authentication and
	// transfer) on top of the caller's context; zero means 5 minutes.
	Timeout time.Duration
	// MaxSize is the limit when the server advertises no SIZE; zero
	// means DefaultMaxSize.
	MaxSize int64
}

// Sender is an [inbox.Sender] over SMTP submission. It opens one
// connection per message and is safe for concurrent use.
type Sender struct {
	servers Servers
	log     *slog.Logger
	timeout time.Duration
	maxSize int64
}

var _ inbox.Sender = (*Sender)(nil)

// New returns a Sender.
func New(opts Options) (*Sender, error) {
	if opts.Servers == nil {
		return nil, errors.New("smtpsend: Options.Servers is required")
	}
	s := &Sender{servers: opts.Servers, log: opts.Logger, timeout: opts.Timeout, maxSize: opts.MaxSize}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.timeout <= 0 {
		s.timeout = 5 * time.Minute
	}
	if s.maxSize <= 0 {
		s.maxSize = DefaultMaxSize
	}
	return s, nil
}

// Send submits m to its account's server. It returns nil once the server
// accepted the message for every recipient, else an [inbox.SendError]
// (or the error of Servers, or of ctx).
func (s *Sender) Send(ctx context.Context, m *inbox.Outgoing) error {
	start := time.Now()
	err := s.send(ctx, m)
	attrs := []any{"account", m.Account.String(), "message_id", m.HeaderID, "recipients", len(m.Envelope.To),
		"bytes", len(m.Raw), "duration", time.Since(start)}
	if err != nil {
		s.log.WarnContext(ctx, "smtp send failed", append(attrs, "permanent", inbox.IsPermanentSendError(err), "error", err)...)
		return err
	}
	s.log.InfoContext(ctx, "smtp sent", attrs...)
	return nil
}

func (s *Sender) send(ctx context.Context, m *inbox.Outgoing) error {
	if m.Envelope.From == "" || len(m.Envelope.To) == 0 {
		return &inbox.SendError{Permanent: true, Err: errors.New("the envelope needs a sender and at least one recipient")}
	}
	if hasBcc(m.Raw) {
		// Sending it would show every recipient the Bcc list.
		return &inbox.SendError{Permanent: true, Err: errors.New("the message carries a Bcc header field; Bcc recipients belong in the envelope only")}
	}
	srv, err := s.servers.Server(ctx, m.Org, m.Account)
	if err != nil {
		return fmt.Errorf("smtp server of account %s: %w", m.Account, err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	host, _, err := net.SplitHostPort(srv.Addr)
	if err != nil {
		return &inbox.SendError{Permanent: true, Err: fmt.Errorf("server address %q: %w", srv.Addr, err)}
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", srv.Addr)
	if err != nil {
		return classify(ctx, err)
	}
	defer conn.Close()
	// go-smtp sets its own deadlines per command; closing the connection
	// is what unblocks it when the context ends.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := greet(ctx, conn, host, srv)
	if err != nil {
		return classify(ctx, err)
	}
	if err := s.transact(ctx, c, srv, m); err != nil {
		return classify(ctx, err)
	}
	_ = c.Quit()
	return nil
}

// greet protects conn as srv says and greets the server.
func greet(ctx context.Context, conn net.Conn, host string, srv Server) (*smtp.Client, error) {
	cfg := mailauth.TLSConfig(host, srv.AllowSelfSigned, srv.RootCAs)
	var err error
	var c *smtp.Client
	switch srv.Security {
	case mailauth.ImplicitTLS:
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		c = smtp.NewClient(tc)
	case mailauth.Plaintext:
		c = smtp.NewClient(conn)
	default:
		if c, err = smtp.NewClientStartTLS(conn, cfg); err != nil {
			var smtpErr *smtp.SMTPError
			var netErr net.Error
			if !errors.As(err, &smtpErr) && !errors.As(err, &netErr) && ctx.Err() == nil {
				// go-smtp's own refusal: no STARTTLS in the EHLO reply.
				return nil, &inbox.SendError{Permanent: true, Err: fmt.Errorf("%w: %v", ErrNoStartTLS, err)}
			}
			return nil, err
		}
	}
	// The EHLO (again, after STARTTLS) runs the TLS handshake, so an
	// untrusted certificate fails here, before any credential is sent.
	name := srv.LocalName
	if name == "" {
		name = "localhost"
	}
	if err := c.Hello(name); err != nil {
		return nil, err
	}
	return c, nil
}

// transact authenticates, checks the size and runs one mail transaction.
func (s *Sender) transact(ctx context.Context, c *smtp.Client, srv Server, m *inbox.Outgoing) error {
	if srv.Credentials.Username != "" {
		host, port, _ := net.SplitHostPort(srv.Addr)
		p, _ := strconv.Atoi(port)
		auth, err := srv.Credentials.SASL(ctx, host, p, c.SupportsAuth)
		if err != nil {
			return &inbox.SendError{Permanent: true, Err: err}
		}
		if err := c.Auth(auth); err != nil {
			return err
		}
	}
	limit := s.maxSize
	if n, ok := c.MaxMessageSize(); ok && n > 0 {
		limit = int64(n)
	}
	if size := int64(len(m.Raw)); size > limit {
		_ = c.Reset()
		return &inbox.SendError{Permanent: true, Err: fmt.Errorf("%w: %d bytes, the limit is %d", ErrMessageTooLarge, size, limit)}
	}
	opts := &smtp.MailOptions{Size: int64(len(m.Raw)), UTF8: !ascii(m.Envelope.From) || !allASCII(m.Envelope.To)}
	if ok, _ := c.Extension("SMTPUTF8"); !ok {
		opts.UTF8 = false // the server then refuses a non-ASCII address itself
	}
	if err := c.Mail(m.Envelope.From, opts); err != nil {
		return err
	}
	for _, to := range m.Envelope.To {
		if err := c.Rcpt(to, nil); err != nil {
			return fmt.Errorf("recipient %s: %w", to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(m.Raw); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// classify turns a failure into an inbox.SendError: SMTP 5xx, untrusted
// certificates and refusals decided here are permanent; 4xx replies,
// network errors and timeouts temporary. A cancelled ctx is returned as
// is, wrapped in a temporary SendError.
func classify(ctx context.Context, err error) error {
	var se *inbox.SendError
	if errors.As(err, &se) {
		return err
	}
	if ctx.Err() != nil {
		return &inbox.SendError{Err: fmt.Errorf("%w (%v)", context.Cause(ctx), err)}
	}
	var smtpErr *smtp.SMTPError
	if errors.As(err, &smtpErr) {
		return &inbox.SendError{Permanent: smtpErr.Code >= 500, Code: smtpErr.Code, Err: err}
	}
	var (
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalid     x509.CertificateInvalidError
		verifyErr   *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalid) || errors.As(err, &verifyErr) {
		return &inbox.SendError{Permanent: true, Err: fmt.Errorf("server certificate refused: %w", err)}
	}
	return &inbox.SendError{Err: err}
}

// hasBcc reports whether the header section of raw has a Bcc field.
func hasBcc(raw []byte) bool {
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return false // end of the header section
		}
		if name, _, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(bytes.TrimRight(name, " \t"), []byte("bcc")) {
			return true
		}
	}
	return false
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func allASCII(ss []string) bool {
	for _, s := range ss {
		if !ascii(s) {
			return false
		}
	}
	return true
}
