package rules

import "fmt"

// The action parameters that are enumerations read and write as names in
// the JSON form of rules.

var (
	strategyNames = map[Strategy]string{AllAtOnce: "all_at_once", Randomly: "randomly", InTurn: "in_turn", LeastBusy: "least_busy"}
	filterNames   = map[FilterKind]string{UsersInConversation: "users_in_conversation", NotAssignedUsers: "not_assigned_users",
		AssignedUsers: "assigned_users", SnoozedUsers: "snoozed_users", TeamActiveMembers: "team_active_members",
		TeamObservers: "team_observers", WatchingUsers: "watching_users", OutOfOfficeUsers: "out_of_office_users",
		OnlineUsers: "online_users", OfflineUsers: "offline_users", AccountOwner: "account_owner",
		DelegatedUsers: "delegated_users", MentionedUsers: "mentioned_users", TaskAssignees: "task_assignees",
		InitiatorUser: "action_initiator", AddedAssignees: "added_assignees", RemovedAssignees: "removed_assignees"}
	snoozeNames   = map[SnoozeWhen]string{SnoozeFor: "for", TomorrowMorning: "tomorrow_morning", NextMonday: "next_monday", NextBusinessDay: "next_business_day"}
	contactsNames = map[ContactsOf]string{SenderContacts: "sender", RecipientContacts: "recipients", SenderAndRecipientContacts: "sender_and_recipients"}
)

func nameOf[K comparable](m map[K]string, k K) ([]byte, error) {
	if n, ok := m[k]; ok {
		return []byte(n), nil
	}
	return nil, fmt.Errorf("%w: unknown value %v", ErrInvalidJSON, k)
}

// MarshalText writes the strategy's name.
func (s Strategy) MarshalText() ([]byte, error) { return nameOf(strategyNames, s) }

// UnmarshalText reads a strategy's name.
func (s *Strategy) UnmarshalText(b []byte) (err error) {
	*s, err = lookup(strategyNames, string(b), "strategy")
	return err
}

// MarshalText writes the filter's name.
func (k FilterKind) MarshalText() ([]byte, error) { return nameOf(filterNames, k) }

// UnmarshalText reads a filter's name.
func (k *FilterKind) UnmarshalText(b []byte) (err error) {
	*k, err = lookup(filterNames, string(b), "assignment filter")
	return err
}

// MarshalText writes the snooze time's name.
func (w SnoozeWhen) MarshalText() ([]byte, error) { return nameOf(snoozeNames, w) }

// UnmarshalText reads a snooze time's name.
func (w *SnoozeWhen) UnmarshalText(b []byte) (err error) {
	*w, err = lookup(snoozeNames, string(b), "snooze time")
	return err
}

// MarshalText writes the name of whose addresses become contacts.
func (c ContactsOf) MarshalText() ([]byte, error) { return nameOf(contactsNames, c) }

// UnmarshalText reads the name of whose addresses become contacts.
func (c *ContactsOf) UnmarshalText(b []byte) (err error) {
	*c, err = lookup(contactsNames, string(b), "contacts choice")
	return err
}
