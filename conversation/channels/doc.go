// Package channels holds the rules of the non-email channels: what may be
// sent on each channel, when and to whom, and how inbound channel payloads
// become [conversation.Message] values. It is pure: no I/O, no engine, no
// storage, no global state.
//
// What lives where:
//
//   - capabilities.go: the channel capability matrix as data ([For],
//     [Capabilities]: initiation, reply window, history import, groups,
//     recipient cap, reactions, deletions, splitting), [ImportsHistory],
//     [CheckSplit] and the WhatsApp [WindowOpen].
//   - send.go: [CheckSend], the one check the engine runs before
//     recording any outbound channel message, over a [SendContext].
//   - sms.go: E.164 validation ([Phone]), [ExpandSMS] (one
//     outbound message per recipient, each keyed to its pair
//     conversation, at most 100), [InboundSMS], opt-out keywords
//     ([DetectKeyword], [OptedOutAfter]) and the caller-owned [OptOuts]
//     state.
//   - whatsapp.go: templates ([Template], [TemplateSend], [ParseVariables],
//     [CheckParams], [RenderTemplate] with the auto-fill fields),
//     [InboundWhatsApp] and [WhatsAppKey].
//   - social.go: Messenger and Instagram events ([SocialEvent],
//     [DecideSocial]): reactions as messages, deletions as removals
//     ([Tombstone]), the Instagram story and reel labels.
//   - voice.go: [CallLog], a message only once the call ended;
//     [ProviderMessageID], the namespaced id every channel message is
//     recorded and de-duplicated under.
//   - livechat.go and schedule.go: visitor identity
//     ([ChatDigest], [VerifyUser]), message meta ([SetMeta], [AddMeta],
//     [SidebarMeta]), the email follow-up ([FollowUp]) and the widget's
//     online status ([OnlineSchedule], [Schedule], [Presence]).
//   - custom.go: custom channel settings and their guards
//     ([CustomSettings]), the inbound payload ([DecodeCustomInbound],
//     [CustomInbound.Message], [IdempotencyKey]) and the outbound
//     webhook ([NewWebhook], [Webhook.Encode], [Sign], [Verify]).
//   - errors.go: the sentinel errors and the typed errors carrying the
//     fields callers need.
//
// # How the engine uses it
//
// Before recording an outbound message on a non-email account, the engine
// fills a [SendContext] from the conversation (is it new, the customer's
// last content message, the recipients, the account's opt-out state and
// custom settings) and calls [CheckSend]; a non-nil error is returned to the
// caller and nothing is recorded. An SMS to several numbers is recorded as
// the messages of [ExpandSMS]. A custom-channel send is then posted as the
// body [Webhook.Encode] returns for [NewWebhook]'s webhook, with the
// signature in the [SignatureHeader].
//
// Inbound channel payloads are turned into messages here ([InboundSMS],
// [InboundWhatsApp], [DecideSocial], [CallLog], [CustomInbound.Message])
// with their thread keys (package threading) in References and their
// [ProviderMessageID] as HeaderID, and are delivered like email; a split
// of a non-email message is refused with [CheckSplit].
package channels
