package threading

import "strings"

// Scope partitions threading by visibility: a message is only ever matched
// against messages and conversations of the same scope, so a message on a
// personal account never joins a conversation its owner cannot see, and
// threading never crosses organizations.
//
// A Scope is opaque: build it with [SharedScope] or [PersonalScope] (or any
// other string the engine chooses consistently). Equal scopes thread
// together; the store persists the string as is.
type Scope string

// SharedScope is the scope of mail on a shared account, or routed to a
// shared address ([Route]): one per organization, so every shared copy of a
// thread lands in one conversation.
func SharedScope(org string) Scope { return Scope("org:" + escapeKey(org)) }

// PersonalScope is the scope of mail on a personal (private) account: each
// user's copy of the same email threads into their own private conversation.
func PersonalScope(org, account string) Scope {
	return Scope("org:" + escapeKey(org) + ":account:" + escapeKey(account))
}

// TeamScope is the scope of mail routed to one team's inbox when an
// organization duplicates mail sent to several team inboxes: each team's
// copy threads on its own, so replies follow the copy of the team they are
// addressed to.
func TeamScope(org, team string) Scope {
	return Scope("org:" + escapeKey(org) + ":team:" + escapeKey(team))
}

// escapeKey percent-encodes '%' and ':' so fields joined with ':' stay
// unambiguous.
func escapeKey(s string) string {
	if !strings.ContainsAny(s, "%:") {
		return s
	}
	return strings.NewReplacer("%", "%25", ":", "%3A").Replace(s)
}

// unescapeKey is the inverse of escapeKey.
func unescapeKey(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return strings.NewReplacer("%25", "%", "%3A", ":").Replace(s)
}
