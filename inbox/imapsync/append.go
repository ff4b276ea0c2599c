package imapsync

import (
	"context"
	"errors"
	"fmt"

	"github.com/emersion/go-imap/v2"

	"github.com/inboxkit/inboxkit/conversation"
)

// ErrFolderNotConfigured is returned when an account has no folder for a
// role it needs: none has the special-use attribute or a common name, and
// the account's configuration names none.
var ErrFolderNotConfigured = errors.New("imapsync: the account has no folder for this role")

// AppendSent appends raw, a message the account sent by SMTP, to its Sent
// folder, marked \Seen: providers other than the large webmail ones do not
// keep a copy of submitted mail themselves. The next sync of the Sent
// folder finds the copy and records its reference on the message the
// engine already holds. It returns the copy's reference when the server
// reports it (UIDPLUS), else the zero Ref. ErrFolderNotConfigured when the
// account has no Sent folder.
func (s *Syncer) AppendSent(ctx context.Context, account conversation.AccountID, raw []byte) (Ref, error) {
	ss, err := s.connect(ctx, account)
	if err != nil {
		return Ref{}, err
	}
	defer ss.close()
	folder, ok := ss.folders[Sent]
	if !ok {
		return Ref{}, fmt.Errorf("%w: %s", ErrFolderNotConfigured, Sent)
	}
	cmd := ss.c.Append(folder, int64(len(raw)), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}})
	if _, err := cmd.Write(raw); err != nil {
		cmd.Close()
		return Ref{}, errf(account, "append to %q: %w", folder, err)
	}
	if err := cmd.Close(); err != nil {
		return Ref{}, errf(account, "append to %q: %w", folder, err)
	}
	data, err := cmd.Wait()
	if err != nil {
		return Ref{}, errf(account, "append to %q: %w", folder, err)
	}
	if data.UID == 0 || data.UIDValidity == 0 {
		return Ref{}, nil
	}
	return Ref{Folder: folder, UIDValidity: data.UIDValidity, UID: uint32(data.UID)}, nil
}
