// Package mail converts between RFC 5322/MIME messages and
// [conversation.Message]: ingestion of received mail and composition of
// outgoing replies. It is pure: no engine, no storage, no global state;
// the engine calls it from its raw-delivery entry point and when it
// records a reply.
//
// What lives where:
//
//   - parse.go: [Parser] ([Options], [DefaultMaxSize], [ErrTooLarge],
//     [ErrNotMessage]); [Parser.Parse], [Parser.ParseBytes] read a whole
//     message, [Parser.ParseHeader] only its header (the fast path for
//     threading); [SynthesizeID] for mail without a Message-ID.
//   - header.go, date.go: the lenient header reader (mbox "From " lines,
//     LF or CRLF, a header that runs into the body), RFC 2047 decoding of
//     Subject and display names, address lists (net/mail, then element by
//     element), dates (RFC 5322, obsolete and ctime forms).
//   - body.go, decode.go: the MIME walk over the message in memory
//     (multipart/mixed, alternative, related, signed, nested, without
//     closing boundaries), transfer encodings (base64 and
//     quoted-printable, leniently), charsets (go-message's charset
//     tables; an unknown charset keeps the bytes), attachment metadata
//     (names from Content-Disposition filename or Content-Type name, RFC
//     2231 and RFC 2047; decoded sizes; Content-IDs).
//   - html.go: the text rendering of HTML-only mail.
//   - unquote.go: [Unquote], the sender's own text without quoted reply,
//     attribution, forwarded message and signature.
//   - automated.go: [AutomationHeaders], the headers that mark mail sent
//     by a machine.
//   - compose.go: [Composer] ([ComposerOptions], [Draft], [Attachment]):
//     [Composer.Reply] builds a reply's header fields (new Message-ID,
//     In-Reply-To, bounded References, "Re: " subject via [ReplySubject])
//     as a conversation.Message to record, and [Composer.Render] writes
//     it as RFC 5322 bytes with go-message's writer.
//
// # Leniency
//
// Received mail is often broken, and losing a customer's message is worse
// than showing it imperfectly. Short of input that has no header field at
// all ([ErrNotMessage]) or exceeds the size limit ([ErrTooLarge]), parsing
// never fails: what could not be decoded is listed in Message.Defects
// and the rest is kept. Message ids are read with threading's lenient
// extraction ([threading.ExtractIDs]), so ids a strict RFC 5322 parser
// rejects still thread.
//
// The header and the MIME structure are read by this package rather than
// by go-message's reader, which is strict where this package must not be:
// it fails on an mbox "From " line, a header line without a colon, a
// header that starts with a continuation line, and a part whose header
// has a malformed line or is missing (losing the rest of the message),
// and reports an error at a multipart without its closing boundary. The
// tests check that both read the same header fields and text/plain bodies
// on every corpus file go-message can read. go-message provides the
// charset tables and the writer.
package mail
