// Package threading decides which conversation an incoming message belongs
// to: threading, scopes, the 400-message cap, splits, merges and per-channel
// keys.
//
// The package is pure and storage-agnostic: it does no I/O. What lives here:
//
//   - Header parsing: [ExtractIDs] and [ExtractID] read References,
//     In-Reply-To and Message-ID leniently; [SynthesizeID] makes a
//     de-duplication id for mail without a Message-ID.
//   - The threader: [Threader] asks an [Index] (implemented by the store;
//     [MemoryIndex] is an in-memory one for tests and benchmarks) and returns
//     a [Decision]: duplicate, join, new, or new-continuing-a-full
//     conversation, plus any merges the message proves necessary.
//     [Threader.Record] then writes the outcome back to the index.
//   - Scopes: [Scope], [SharedScope] and [PersonalScope] partition
//     threading by visibility; [Route], [ListID] and
//     [MailingListAddress] implement the Google Group / shared-address
//     routing.
//   - Audiences: [Message.Audience] and [AudienceIndex] keep joins that
//     rest on a parent nobody has seen, and the subject fallback, within
//     the audience a message arrived with.
//   - Subjects: [NormalizeSubject], [SubjectKey] and [ReplySubject].
//   - The display tree inside a conversation: [Parents] and [Forest], safe
//     against reference loops.
//   - Thread keys of the non-email channels: [SMSKey],
//     [WhatsAppKey], [MessengerKey], [InstagramKey], [VoiceKey],
//     [LiveChatKey] and [CustomKeys].
//
// # How the engine uses it
//
// For an incoming email the engine extracts the ids, builds a [Message] in
// the receiving account's [Scope], calls [Threader.Decide], acts on the
// [Decision] (attaching a copy, creating a conversation, merging the listed
// conversations into the one the message lands in) and calls
// [Threader.Record] with the conversation the message ended in. Both calls
// run inside the same store transaction. Outgoing messages composed in a
// conversation are recorded with [Threader.Place] (explicit placement wins);
// a message moved out of its conversation (split) is recorded with
// [Threader.Moved] so later replies follow it.
//
// Non-email channels go through the same Threader: the message carries its
// provider id as ID and its channel thread key (or, for custom channels, its
// reference keys) as References, so the cap, continuations and merges apply
// to every channel alike.
package threading
