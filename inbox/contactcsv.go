package inbox

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/storage"
)

// Bounds of one CSV import.
const (
	// MaxContactImportRows is the most contacts one CSV file may hold;
	// a longer file is refused whole.
	MaxContactImportRows = 10000
	// MaxContactImportBytes is the largest CSV file read.
	MaxContactImportBytes = 32 << 20
	// maxImportColumns bounds the columns of one row.
	maxImportColumns = 500
)

// groupSeparator separates several values in one cell (Google's export
// writes groups as "VIPs ::: Clients").
const groupSeparator = ":::"

// csvColumn says which contact field a CSV column fills.
type csvColumn uint8

const (
	colIgnored csvColumn = iota
	colFirst
	colLast
	colNickname
	colEmail
	colPhone
	colCompany
	colTitle
	colDepartment
	colGroups
	colNotes
)

// columnOf recognizes a header cell, without case: the plain names
// (First Name, Email, Phone, Company, Groups, ...) and Google's export
// names (Given Name, E-mail 1 - Value, Organization 1 - Name, Group
// Membership, ...). Labels and types of values are ignored.
func columnOf(h string) csvColumn {
	h = strings.ToLower(strings.TrimSpace(h))
	if strings.HasSuffix(h, "label") || strings.HasSuffix(h, "type") {
		return colIgnored
	}
	switch h {
	case "first name", "given name":
		return colFirst
	case "last name", "family name":
		return colLast
	case "nickname":
		return colNickname
	case "company", "organization", "organization name", "organization 1 - name":
		return colCompany
	case "job title", "title", "organization 1 - title":
		return colTitle
	case "department", "organization 1 - department":
		return colDepartment
	case "groups", "group membership":
		return colGroups
	case "notes":
		return colNotes
	}
	switch {
	case strings.Contains(h, "mail"):
		return colEmail
	case strings.Contains(h, "phone"):
		return colPhone
	}
	return colIgnored
}

// splitValues splits a cell holding several values separated by ":::".
func splitValues(cell string) []string {
	var out []string
	for _, v := range strings.Split(cell, groupSeparator) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// ParseContactsCSV reads a CSV file of contacts whose first row names the
// columns (see the import documentation for the recognized names). Cells
// with several values separated by ":::" give several emails, phones or
// groups; Google's system groups ("* myContacts") are left out. Rows
// with no name, email or phone are skipped. A file with more than
// MaxContactImportRows rows is refused with ErrLimitReached; a malformed
// file with ErrInvalidArgument. Nothing is checked against the store.
func ParseContactsCSV(r io.Reader) ([]ContactInput, error) {
	cr := csv.NewReader(&cappedReader{r: r, n: MaxContactImportBytes})
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, conversation.Errorf(ErrInvalidArgument, "the CSV file is empty")
	}
	if err != nil {
		return nil, conversation.Errorf(ErrInvalidArgument, "read the CSV header: %v", err)
	}
	if len(header) > maxImportColumns {
		return nil, conversation.Errorf(ErrInvalidArgument, "the CSV file has more than %d columns", maxImportColumns)
	}
	cols := make([]csvColumn, len(header))
	for i, h := range header {
		cols[i] = columnOf(strings.TrimPrefix(h, "\ufeff"))
	}
	var out []ContactInput
	for rows := 0; ; rows++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errImportTooLarge) {
			return nil, conversation.Errorf(ErrLimitReached, "a CSV import holds at most %d bytes", MaxContactImportBytes)
		}
		if err != nil {
			return nil, conversation.Errorf(ErrInvalidArgument, "read the CSV file: %v", err)
		}
		if rows >= MaxContactImportRows {
			return nil, conversation.Errorf(ErrLimitReached, "a CSV import holds at most %d rows", MaxContactImportRows)
		}
		in, ok := rowContact(cols, rec)
		if ok {
			out = append(out, in)
		}
	}
	return out, nil
}

// rowContact reads one CSV row; ok is false for a row with no name, email
// or phone.
func rowContact(cols []csvColumn, rec []string) (in ContactInput, ok bool) {
	for i, cell := range rec {
		if i >= len(cols) {
			break
		}
		v := strings.TrimSpace(cell)
		switch cols[i] {
		case colFirst:
			in.FirstName = v
		case colLast:
			in.LastName = v
		case colNickname:
			in.Nickname = v
		case colCompany:
			in.Company = v
		case colTitle:
			in.JobTitle = v
		case colDepartment:
			in.Department = v
		case colNotes:
			in.Notes = cell
		case colGroups:
			for _, g := range splitValues(v) {
				if !strings.HasPrefix(g, "* ") {
					in.Groups = append(in.Groups, g)
				}
			}
		case colEmail:
			for _, a := range splitValues(v) {
				in.Emails = append(in.Emails, conversation.ContactEmail{Address: a})
			}
		case colPhone:
			for _, p := range splitValues(v) {
				in.Phones = append(in.Phones, conversation.ContactPhone{Number: p})
			}
		}
	}
	ok = in.FirstName != "" || in.LastName != "" || in.Nickname != "" || len(in.Emails) > 0 || len(in.Phones) > 0
	return in, ok
}

// ImportResult counts what a CSV import did.
type ImportResult struct {
	// Created contacts.
	Created int
	// Duplicates are rows skipped because a contact of the book (or an
	// earlier row) already has one of their email addresses.
	Duplicates int
}

// ImportContactsCSV imports a CSV file (see [ParseContactsCSV]) into a
// book the actor may see, in one transaction: every row or none. Existing
// contacts with a matching email are not duplicated: a row sharing an
// email address with a contact of the book, or with an earlier row, is
// skipped. A book a provider sync keeps cannot take imports
// (ErrInvalidArgument). Company and group names link to the existing
// company or group, or create it.
func (e *Engine) ImportContactsCSV(ctx context.Context, actor Actor, book conversation.ContactBookID, r io.Reader) (ImportResult, error) {
	rows, err := ParseContactsCSV(r)
	if err != nil {
		return ImportResult{}, err
	}
	for i := range rows {
		rows[i].Book = book
		if err := checkContactInput(&rows[i]); err != nil {
			return ImportResult{}, conversation.Errorf(ErrInvalidArgument, "CSV row %d: %v", i+2, err)
		}
	}
	var res ImportResult
	err = e.contactOp(ctx, actor, func(o *op, w storage.ContactWriter, rd storage.ContactReader) error {
		res = ImportResult{}
		b, err := visibleBook(o.ctx, o.tx, rd, o.user, book)
		if err != nil {
			return err
		}
		if b.Synced {
			return conversation.Errorf(ErrInvalidArgument, "contact book %s is kept by a provider sync: CSV files cannot be imported into it", book)
		}
		for _, in := range rows {
			dup, err := duplicateRow(o.ctx, rd, b, in)
			if err != nil {
				return err
			}
			if dup {
				res.Duplicates++
				continue
			}
			c := &conversation.Contact{ID: conversation.ContactID(e.newID()), Org: b.Org}
			if err := buildContact(o.ctx, e, w, rd, c, in); err != nil {
				return err
			}
			res.Created++
		}
		return nil
	})
	return res, err
}

// duplicateRow reports whether a contact of b already has one of in's
// email addresses (rows already imported are in b by then).
func duplicateRow(ctx context.Context, r storage.ContactReader, b *conversation.ContactBook, in ContactInput) (bool, error) {
	for _, em := range in.Emails {
		have, err := inBook(ctx, r, b, conversation.ContactKey(em.Address))
		if err != nil || have {
			return have, err
		}
	}
	return false, nil
}

// errImportTooLarge stops reading a CSV file past MaxContactImportBytes.
var errImportTooLarge = errors.New("CSV file too large")

// cappedReader reads at most n bytes of r, then fails with
// errImportTooLarge instead of ending quietly.
type cappedReader struct {
	r io.Reader
	n int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		var b [1]byte
		if k, err := c.r.Read(b[:]); k == 0 && err != nil {
			return 0, err
		}
		return 0, errImportTooLarge
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}
