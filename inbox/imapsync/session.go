package imapsync

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/inbox/mailauth"
	"github.com/inboxkit/inboxkit/storage"
)

// session is one connection to an account's server.
type session struct {
	s       *Syncer
	account conversation.AccountID
	srv     Server
	c       *imapclient.Client
	stop    func() bool
	folders Folders
	// wake is signalled when the server reports new messages.
	wake chan struct{}
}

// synced lists the roles whose folders are synced, in order.
var synced = []Role{Inbox, Sent}

// connect dials, protects, authenticates and lists the folders.
func (s *Syncer) connect(ctx context.Context, account conversation.AccountID) (*session, error) {
	srv, err := s.o.Servers.Server(ctx, account)
	if err != nil {
		return nil, errf(account, "server settings: %w", err)
	}
	host, port, err := net.SplitHostPort(srv.Addr)
	if err != nil {
		return nil, errf(account, "server address %q: %w", srv.Addr, err)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", srv.Addr)
	if err != nil {
		return nil, errf(account, "connect: %w", err)
	}
	ss := &session{s: s, account: account, srv: srv, wake: make(chan struct{}, 1)}
	// Closing the connection is what unblocks a waiting command when ctx
	// ends.
	ss.stop = context.AfterFunc(ctx, func() { conn.Close() })
	opts := &imapclient.Options{
		TLSConfig: mailauth.TLSConfig(host, srv.AllowSelfSigned, srv.RootCAs),
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(data *imapclient.UnilateralDataMailbox) {
				if data.NumMessages != nil {
					ss.signal()
				}
			},
		},
	}
	fail := func(what string, err error) (*session, error) {
		ss.stop()
		conn.Close()
		return nil, errf(account, "%s: %w", what, err)
	}
	switch srv.Security {
	case mailauth.ImplicitTLS:
		tc := tls.Client(conn, opts.TLSConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail("tls", err)
		}
		ss.c = imapclient.New(tc, opts)
	case mailauth.Plaintext:
		ss.c = imapclient.New(conn, opts)
	default:
		if ss.c, err = imapclient.NewStartTLS(conn, opts); err != nil {
			return fail("starttls", err)
		}
	}
	if err := ss.c.WaitGreeting(); err != nil {
		return fail("greeting", err)
	}
	p, _ := strconv.Atoi(port)
	if err := ss.login(ctx, host, p); err != nil {
		return fail("login", err)
	}
	listOpts := &imap.ListOptions{}
	if caps := ss.c.Caps(); caps.Has(imap.CapListExtended) && caps.Has(imap.CapSpecialUse) {
		listOpts.ReturnSpecialUse = true
	}
	list, err := ss.c.List("", "*", listOpts).Collect()
	if err != nil {
		return fail("list folders", err)
	}
	ss.folders = DetectFolders(list, srv.Folders)
	s.log.InfoContext(ctx, "imap connected", "account", account.String(), "addr", srv.Addr, "folders", fmt.Sprint(ss.folders))
	return ss, nil
}

// login authenticates with the account's credentials.
func (ss *session) login(ctx context.Context, host string, port int) error {
	cr := ss.srv.Credentials
	caps := ss.c.Caps()
	supports := func(mech string) bool { return caps.Has(imap.Cap("AUTH=" + mech)) }
	if cr.Tokens == nil && cr.Mechanism == "" && !supports(sasl.Plain) {
		// Every IMAP server takes LOGIN unless it says LOGINDISABLED.
		return ss.c.Login(cr.Username, cr.Password).Wait()
	}
	auth, err := cr.SASL(ctx, host, port, supports)
	if err != nil {
		return err
	}
	return ss.c.Authenticate(auth)
}

func (ss *session) signal() {
	select {
	case ss.wake <- struct{}{}:
	default:
	}
}

func (ss *session) close() {
	ss.stop()
	ss.c.Close()
}

// syncAll syncs every synced folder the account has.
func (ss *session) syncAll(ctx context.Context) error {
	for _, role := range synced {
		folder, ok := ss.folders[role]
		if !ok {
			continue
		}
		if err := ss.syncFolder(ctx, role, folder); err != nil {
			return err
		}
	}
	return nil
}

// wait returns when there may be new mail: the server reported some
// during IDLE, or the poll interval passed. It selects the Inbox first
// and returns at once when it already has mail past the cursor.
func (ss *session) wait(ctx context.Context) error {
	timer := time.NewTimer(ss.s.o.PollInterval)
	defer timer.Stop()
	folder, ok := ss.folders[Inbox]
	if !ok || !ss.c.Caps().Has(imap.CapIdle) {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-ss.c.Closed():
			return errf(ss.account, "connection closed")
		case <-timer.C:
			return nil
		}
	}
	// Signals of the sync just done are stale: what arrived since shows
	// in the SELECT below or signals again.
	select {
	case <-ss.wake:
	default:
	}
	sel, err := ss.c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return errf(ss.account, "select %q: %w", folder, err)
	}
	cur, found, err := ss.s.loadCursor(ctx, ss.account, folder)
	if err != nil {
		return err
	}
	if !found || cur.Validity != sel.UIDValidity || uint32(sel.UIDNext) > cur.Last+1 {
		return nil // already something to do
	}
	idle, err := ss.c.Idle()
	if err != nil {
		return errf(ss.account, "idle: %w", err)
	}
	ss.s.log.DebugContext(ctx, "imap idle", "account", ss.account.String(), "folder", folder, "uidnext", sel.UIDNext)
	var closed error
	select {
	case <-ctx.Done():
	case <-ss.c.Closed():
		closed = errf(ss.account, "connection closed during IDLE")
	case <-ss.wake:
		ss.s.log.DebugContext(ctx, "imap idle: new mail", "account", ss.account.String(), "folder", folder)
	case <-timer.C:
	}
	if err := idle.Close(); err != nil && closed == nil {
		closed = errf(ss.account, "idle: %w", err)
	}
	if err := idle.Wait(); err != nil && closed == nil {
		closed = errf(ss.account, "idle: %w", err)
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return closed
}

// syncFolder brings one folder up to date: the rest of the initial import
// (or of the re-match after a UIDVALIDITY change), then the new mail.
func (ss *session) syncFolder(ctx context.Context, role Role, folder string) error {
	s, account := ss.s, ss.account
	sel, err := ss.c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return errf(account, "select %q: %w", folder, err)
	}
	cur, found, err := s.loadCursor(ctx, account, folder)
	if err != nil {
		return err
	}
	next := uint32(sel.UIDNext)
	switch {
	case !found:
		cur = storage.SyncCursor{Account: account, Folder: folder, Validity: sel.UIDValidity, ImportEnd: next, Since: since(ss.srv, s.o.Now())}
		if !ss.srv.AllHistory && ss.srv.History < 0 && next > 0 {
			cur.Last, cur.ImportEnd = next-1, 0 // no history: only what arrives from now on
		}
		s.log.InfoContext(ctx, "imap folder first sync", "account", account.String(), "folder", folder, "uidvalidity", sel.UIDValidity, "since", cur.Since)
	case cur.Validity != sel.UIDValidity:
		s.log.WarnContext(ctx, "imap folder renumbered (UIDVALIDITY changed); re-matching its messages", "account", account.String(),
			"folder", folder, "old", cur.Validity, "new", sel.UIDValidity)
		prev := cur.Validity
		if cur.PreviousValidity != 0 {
			prev = cur.PreviousValidity // an unfinished re-match: those references are the stale ones
		}
		cur = storage.SyncCursor{Account: account, Folder: folder, Validity: sel.UIDValidity, ImportEnd: next, Since: cur.Since, PreviousValidity: prev}
	case cur.ImportEnd == 0 && next != 0 && next <= cur.Last+1:
		return nil // nothing new
	}
	if !found || cur.ImportEnd != 0 {
		if err := s.advance(ctx, cur, nil); err != nil {
			return err
		}
	}
	if cur.ImportEnd > 0 {
		if cur.Last+1 < cur.ImportEnd {
			crit := &imap.SearchCriteria{UID: []imap.UIDSet{{{Start: imap.UID(cur.Last + 1), Stop: imap.UID(cur.ImportEnd - 1)}}}, Since: cur.Since}
			data, err := ss.c.UIDSearch(crit, nil).Wait()
			if err != nil {
				return errf(account, "search %q: %w", folder, err)
			}
			if err := ss.fetch(ctx, role, &cur, data.AllUIDs()); err != nil {
				return err
			}
		}
		cur.Last = max(cur.Last, cur.ImportEnd-1)
		cur.ImportEnd, cur.PreviousValidity = 0, 0
		if err := s.advance(ctx, cur, nil); err != nil {
			return err
		}
	}
	crit := &imap.SearchCriteria{UID: []imap.UIDSet{{{Start: imap.UID(cur.Last + 1), Stop: 0}}}}
	data, err := ss.c.UIDSearch(crit, nil).Wait()
	if err != nil {
		return errf(account, "search %q: %w", folder, err)
	}
	// "n:*" also matches the last message when every UID is below n.
	uids := slices.DeleteFunc(data.AllUIDs(), func(u imap.UID) bool { return uint32(u) <= cur.Last })
	if err := ss.fetch(ctx, role, &cur, uids); err != nil {
		return err
	}
	// Every UID below the UIDNEXT of the SELECT is handled (a message
	// expunged before it was fetched leaves a gap): move past them, or
	// the gap would look like new mail forever.
	if next > 0 && cur.Last < next-1 {
		cur.Last = next - 1
		return s.advance(ctx, cur, nil)
	}
	return nil
}

// fetch fetches and delivers the messages uids (ascending) of the
// selected folder, advancing cur past each one handled.
func (ss *session) fetch(ctx context.Context, role Role, cur *storage.SyncCursor, uids []imap.UID) error {
	slices.Sort(uids)
	const sizeChunk = 1000
	for len(uids) > 0 {
		chunk := uids[:min(len(uids), sizeChunk)]
		uids = uids[len(chunk):]
		sizes, err := ss.sizes(chunk)
		if err != nil {
			return err
		}
		for len(chunk) > 0 {
			batch := ss.batch(*cur, chunk, sizes)
			chunk = chunk[len(batch):]
			if err := ss.fetchBatch(ctx, role, cur, batch, sizes); err != nil {
				return err
			}
		}
	}
	return nil
}

// sizes returns the sizes of uids; a message the server no longer has is
// absent.
func (ss *session) sizes(uids []imap.UID) (map[imap.UID]int64, error) {
	bufs, err := ss.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, errf(ss.account, "fetch sizes: %w", err)
	}
	out := make(map[imap.UID]int64, len(bufs))
	for _, b := range bufs {
		if b.UID != 0 {
			out[b.UID] = b.RFC822Size
		}
	}
	return out, nil
}

// batch is the next FETCH of uids: up to BatchSize messages and 32 MiB
// (at least one message), and a single message when fetching the first
// has already failed.
func (ss *session) batch(cur storage.SyncCursor, uids []imap.UID, sizes map[imap.UID]int64) []imap.UID {
	if ss.s.attempts(ss.account, Ref{Folder: cur.Folder, UIDValidity: cur.Validity, UID: uint32(uids[0])}) > 0 {
		return uids[:1]
	}
	const maxBytes = 32 << 20
	var total int64
	n := 0
	for n < len(uids) && n < ss.s.o.BatchSize {
		total += min(sizes[uids[n]], ss.s.o.MaxMessageSize)
		if n > 0 && total > maxBytes {
			break
		}
		n++
	}
	return uids[:n]
}

// bodySection is BODY.PEEK[]: the whole message, without setting \Seen.
var bodySection = &imap.FetchItemBodySection{Peek: true}

// fetchBatch fetches one batch whole, then delivers its messages in UID
// order, advancing the cursor after each. A connection that drops
// mid-fetch delivers nothing of the batch; it is fetched again after
// reconnecting.
func (ss *session) fetchBatch(ctx context.Context, role Role, cur *storage.SyncCursor, batch []imap.UID, sizes map[imap.UID]int64) error {
	s, account := ss.s, ss.account
	ref := func(uid imap.UID) Ref { return Ref{Folder: cur.Folder, UIDValidity: cur.Validity, UID: uint32(uid)} }
	var want []imap.UID
	for _, uid := range batch {
		if size, ok := sizes[uid]; ok && size <= s.o.MaxMessageSize {
			want = append(want, uid)
		}
	}
	bodies := map[imap.UID][]byte{}
	if len(want) > 0 {
		n, err := collectBodies(ss.c.Fetch(imap.UIDSetNum(want...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{bodySection}}), bodies)
		if err != nil {
			if ctx.Err() == nil && !brokenConnection(err) && !s.attempt(account, ref(want[0])) && len(want) == 1 {
				if err := ss.skip(ctx, cur, want[0], fmt.Sprintf("the server's answer to FETCH could not be read: %v", err)); err != nil {
					return err
				}
				// go-imap drops a connection whose answer it cannot read.
				return errf(account, "fetch %q: %w", cur.Folder, err)
			}
			s.count(account, cur.Folder, func(p *Progress) { p.Failed++ })
			return errf(account, "fetch %q: %w", cur.Folder, err)
		}
		s.count(account, cur.Folder, func(p *Progress) { p.Fetched += n })
	}
	supersedes := ""
	if cur.PreviousValidity != 0 {
		supersedes = refPrefix(cur.Folder, cur.PreviousValidity)
	}
	for _, uid := range batch {
		size, listed := sizes[uid]
		body, fetched := bodies[uid]
		switch {
		case !listed:
			// Expunged since the search: nothing to deliver.
		case size > s.o.MaxMessageSize:
			if err := ss.skip(ctx, cur, uid, fmt.Sprintf("message of %d bytes is over the size limit of %d bytes", size, s.o.MaxMessageSize)); err != nil {
				return err
			}
			continue
		case !fetched:
			// Listed but not returned: expunged meanwhile.
		case body == nil:
			if err := ss.skip(ctx, cur, uid, "the server returned no content for the message"); err != nil {
				return err
			}
			continue
		default:
			sup := ""
			if cur.ImportEnd != 0 && uint32(uid) < cur.ImportEnd {
				sup = supersedes
			}
			err := s.deliver(ctx, account, role, ref(uid), sup, body)
			switch {
			case err == nil:
				s.forget(account, ref(uid))
				s.count(account, cur.Folder, func(p *Progress) { p.Delivered++ })
			case undeliverable(err):
				if err := ss.skip(ctx, cur, uid, err.Error()); err != nil {
					return err
				}
				continue
			case ctx.Err() != nil:
				return context.Cause(ctx)
			default:
				s.count(account, cur.Folder, func(p *Progress) { p.Failed++ })
				return errf(account, "deliver %s: %w", ref(uid), err)
			}
		}
		cur.Last = max(cur.Last, uint32(uid))
		if err := s.advance(ctx, *cur, nil); err != nil {
			return err
		}
	}
	return nil
}

// collectBodies reads the messages of a FETCH of UID and BODY.PEEK[]
// into bodies (a nil body for a NIL section) and returns how many came.
// After a failed read it returns at once, without touching the command
// again: the connection is broken, and reading on would race with the
// client's reader.
func collectBodies(cmd *imapclient.FetchCommand, bodies map[imap.UID][]byte) (int, error) {
	n := 0
	for m := cmd.Next(); m != nil; m = cmd.Next() {
		var uid imap.UID
		var body []byte
		for item := m.Next(); item != nil; item = m.Next() {
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				uid = it.UID
			case imapclient.FetchItemDataBodySection:
				if it.Literal == nil {
					continue
				}
				b, err := io.ReadAll(it.Literal)
				if err == nil && int64(len(b)) != it.Literal.Size() {
					// The connection ended inside the literal.
					err = fmt.Errorf("message %d truncated at %d of %d bytes: %w", uid, len(b), it.Literal.Size(), io.ErrUnexpectedEOF)
				}
				if err != nil {
					return n, err
				}
				body = b
			}
		}
		if uid != 0 {
			bodies[uid] = body
			n++
		}
	}
	return n, cmd.Close()
}

// skip records that uid of the cursor's folder is skipped for reason and
// advances the cursor past it, in one transaction.
func (ss *session) skip(ctx context.Context, cur *storage.SyncCursor, uid imap.UID, reason string) error {
	s := ss.s
	r := Ref{Folder: cur.Folder, UIDValidity: cur.Validity, UID: uint32(uid)}
	s.log.WarnContext(ctx, "imap message skipped", "account", ss.account.String(), "ref", r.String(), "reason", reason)
	next := *cur
	next.Last = max(next.Last, uint32(uid))
	sk := storage.SyncSkip{Account: ss.account, Folder: cur.Folder, Validity: cur.Validity, UID: uint32(uid), Reason: reason, At: s.o.Now().UTC()}
	if err := s.advance(ctx, next, &sk); err != nil {
		return err
	}
	*cur = next
	s.forget(ss.account, r)
	s.count(ss.account, cur.Folder, func(p *Progress) { p.Skipped++ })
	return nil
}
