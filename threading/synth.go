package threading

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"
)

// SyntheticPrefix starts every id made by [SynthesizeID]. The extractors
// never return an id with this prefix, so a synthesized id can neither be
// forged by a sender nor collide with a real one.
const SyntheticPrefix = "synthetic:"

// SynthInput is what [SynthesizeID] hashes. Two copies of the same message
// (the same mail fetched from two accounts or twice from one) give the same
// input.
type SynthInput struct {
	// Date is the message's Date header; the zero time when absent.
	Date time.Time
	// From and To are the sender and recipient addresses as the caller
	// canonicalizes them (addresses only, no display names, recipients in a
	// fixed order); they are trimmed and lower-cased here.
	From, To string
	// Subject is the raw subject; it is normalized here.
	Subject string
	// BodyDigest is a digest of the body the caller computed (any hash).
	BodyDigest []byte
}

// SynthesizeID returns a stable de-duplication id for a message that lacks a
// Message-ID: [SyntheticPrefix] followed by the hex SHA-256 of the input
// fields. It is meant for de-duplication only: it is not a valid msg-id and
// must never be emitted in an outgoing References or In-Reply-To header
// (check with [IsSynthetic]).
func SynthesizeID(in SynthInput) string {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field([]byte("inboxkit-synthetic-v1"))
	if in.Date.IsZero() {
		field(nil)
	} else {
		binary.BigEndian.PutUint64(n[:], uint64(in.Date.Unix()))
		field(n[:])
	}
	field([]byte(strings.ToLower(strings.TrimSpace(in.From))))
	field([]byte(strings.ToLower(strings.TrimSpace(in.To))))
	field([]byte(NormalizeSubject(in.Subject)))
	field(in.BodyDigest)
	return SyntheticPrefix + hex.EncodeToString(h.Sum(nil))
}

// IsSynthetic reports whether id was made by [SynthesizeID] (it has the
// [SyntheticPrefix]); such an id must never be emitted.
func IsSynthetic(id string) bool { return strings.HasPrefix(id, SyntheticPrefix) }
