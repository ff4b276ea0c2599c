package rules

import (
	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/labels"
)

// slot is a text field as the matcher sees it: several condition fields
// read the same source texts (the From address serves From, Phone from and
// Message content).
type slot uint8

const (
	slotFrom slot = iota
	slotTo
	slotCc
	slotBcc
	slotReplyTo
	slotAnyRecipient
	slotPhoneFrom
	slotPhoneTo
	slotSubject
	slotBody
	slotBodyNoQuote
	slotContent
	slotAttachment
	slotHeaders
	slotCommentText
	slotAddedLabel
	slotRemovedLabel
	slotAddedLabelOrParent
	slotRemovedLabelOrParent
	numSlots
)

// slotOf returns the matcher slot of a text field; false for fields the
// matcher does not serve (the AI answer).
func slotOf(f Field) (slot, bool) {
	switch f {
	case From:
		return slotFrom, true
	case To:
		return slotTo, true
	case Cc:
		return slotCc, true
	case Bcc:
		return slotBcc, true
	case ReplyTo:
		return slotReplyTo, true
	case AnyRecipient:
		return slotAnyRecipient, true
	case PhoneFrom:
		return slotPhoneFrom, true
	case PhoneTo:
		return slotPhoneTo, true
	case Subject:
		return slotSubject, true
	case Body:
		return slotBody, true
	case BodyNoQuote:
		return slotBodyNoQuote, true
	case Content:
		return slotContent, true
	case AttachmentName:
		return slotAttachment, true
	case Headers:
		return slotHeaders, true
	case CommentText:
		return slotCommentText, true
	case AddedLabel:
		return slotAddedLabel, true
	case RemovedLabel:
		return slotRemovedLabel, true
	case AddedLabelOrParent:
		return slotAddedLabelOrParent, true
	case RemovedLabelOrParent:
		return slotRemovedLabelOrParent, true
	}
	return 0, false
}

// slotMask is a set of slots.
type slotMask uint32

func maskOf(slots ...slot) slotMask {
	var m slotMask
	for _, s := range slots {
		m |= 1 << s
	}
	return m
}

// source is one text of the event and the slots it belongs to.
type source struct {
	text  string
	slots slotMask
}

// sources calls fn with every text of the event and the slots it feeds,
// restricted to the slots in want. Each text is one value: a multi-valued
// field is satisfied by any of its values.
func sources(f *Facts, want slotMask, fn func(source)) {
	emit := func(text string, m slotMask) {
		if m &= want; m != 0 {
			fn(source{text, m})
		}
	}
	if msg := f.Message; msg != nil {
		emit(msg.From.Address, maskOf(slotFrom, slotPhoneFrom, slotContent))
		emit(msg.From.Name, maskOf(slotFrom, slotContent))
		recips := func(as []conversation.Address, s slot, phone bool) {
			addr := maskOf(s, slotContent)
			if s != slotReplyTo {
				addr |= maskOf(slotAnyRecipient)
			}
			name := addr
			if phone {
				addr |= maskOf(slotPhoneTo)
			}
			for _, a := range as {
				emit(a.Address, addr)
				emit(a.Name, name)
			}
		}
		recips(msg.To, slotTo, true)
		recips(msg.Cc, slotCc, false)
		recips(msg.Bcc, slotBcc, false)
		for _, a := range msg.ReplyTo {
			emit(a.Address, maskOf(slotReplyTo))
			emit(a.Name, maskOf(slotReplyTo))
		}
		emit(msg.Subject, maskOf(slotSubject, slotContent))
		emit(msg.Text, maskOf(slotBody, slotContent))
		emit(msg.Unquoted, maskOf(slotBodyNoQuote))
		for _, a := range msg.Attachments {
			emit(a.Name, maskOf(slotAttachment))
		}
	}
	emit(f.Headers, maskOf(slotHeaders))
	if c := f.Action.Comment; c != nil {
		emit(c.Body, maskOf(slotCommentText))
	}
	for _, ch := range f.Action.Labels {
		own, parents := maskOf(slotRemovedLabel, slotRemovedLabelOrParent), maskOf(slotRemovedLabelOrParent)
		if ch.Added {
			own, parents = maskOf(slotAddedLabel, slotAddedLabelOrParent), maskOf(slotAddedLabelOrParent)
		}
		emit(ch.Name, own)
		if want&parents != 0 {
			for _, name := range ancestorNames(ch.Parent, f.Labels) {
				emit(name, parents)
			}
		}
	}
}

// ancestorNames returns the own names of label id and its ancestors.
func ancestorNames(id conversation.LabelID, lookup labels.Lookup) []string {
	var out []string
	for depth := 0; !id.IsZero() && lookup != nil && depth <= labels.MaxDepth; depth++ {
		l := lookup(id)
		if l == nil {
			break
		}
		out = append(out, l.Name)
		id = l.Parent
	}
	return out
}

// addresses returns the addresses (not display names) of an address
// field, for contact operators.
func addresses(f *Facts, field Field) []string {
	msg := f.Message
	if msg == nil {
		return nil
	}
	var as []conversation.Address
	switch field {
	case From, PhoneFrom:
		return []string{msg.From.Address}
	case To, PhoneTo:
		as = msg.To
	case Cc:
		as = msg.Cc
	case Bcc:
		as = msg.Bcc
	case ReplyTo:
		as = msg.ReplyTo
	case AnyRecipient:
		as = append(append(append(as, msg.To...), msg.Cc...), msg.Bcc...)
	}
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Address
	}
	return out
}
