package rules

import "strconv"

var actionNames = [...]string{
	KindAssignToMe: "assign_to_me", KindAssignUsers: "assign_users", KindAssignSender: "assign_sender",
	KindUnassignUsers: "unassign_users", KindMoveToTeam: "move_to_team", KindUnassignTeam: "unassign_team",
	KindAddToInbox: "add_to_inbox", KindAddTask: "add_task", KindAddLabels: "add_labels",
	KindRemoveLabels: "remove_labels", KindAddLabelsAI: "add_labels_ai", KindSetColor: "set_color",
	KindMergeInto: "merge_into", KindAddNote: "add_note", KindCreateDraft: "create_draft",
	KindCreateDraftAI: "create_draft_ai", KindSendResponse: "send_response",
	KindScheduleFollowUp: "schedule_follow_up", KindForward: "forward", KindNotify: "notify",
	KindWebhook: "webhook", KindClose: "close", KindArchive: "archive", KindArchiveFromTeam: "archive_from_team",
	KindTrash: "trash", KindSnooze: "snooze", KindDiscardSnooze: "discard_snooze", KindMarkRead: "mark_read",
	KindMarkUnread: "mark_unread", KindStar: "star", KindUnstar: "unstar", KindWatch: "watch",
	KindUnwatch: "unwatch", KindSilence: "silence", KindCreateContacts: "create_contacts", KindShare: "share",
	KindRemoveUsers: "remove_users", KindAddRecipients: "add_recipients",
	KindMoveToNewConversation: "move_to_new_conversation", KindMarkSpam: "mark_spam",
	KindMarkNotSpam: "mark_not_spam", KindUnsubscribe: "unsubscribe", KindPreventDelivery: "prevent_delivery",
	KindAddAINote: "add_ai_note", KindAddTasksAI: "add_tasks_ai", KindStopProcessing: "stop_processing",
}

// String returns the kind's name, as used in the JSON form of rules.
func (k ActionKind) String() string {
	if k > actionNone && k < actionEnd {
		return actionNames[k]
	}
	return "action(" + strconv.Itoa(int(k)) + ")"
}

// newAction returns the zero value of kind k's action type, nil for an
// unknown kind.
func newAction(k ActionKind) Action {
	switch k {
	case KindAssignToMe:
		return &AssignToMe{}
	case KindAssignUsers:
		return &AssignUsers{}
	case KindAssignSender:
		return &AssignSender{}
	case KindUnassignUsers:
		return &UnassignUsers{}
	case KindMoveToTeam:
		return &MoveToTeam{}
	case KindUnassignTeam:
		return &UnassignTeam{}
	case KindAddToInbox:
		return &AddToInbox{}
	case KindAddTask:
		return &AddTask{}
	case KindAddLabels:
		return &AddLabels{}
	case KindRemoveLabels:
		return &RemoveLabels{}
	case KindAddLabelsAI:
		return &AddLabelsAI{}
	case KindSetColor:
		return &SetColor{}
	case KindMergeInto:
		return &MergeInto{}
	case KindAddNote:
		return &AddNote{}
	case KindCreateDraft:
		return &CreateDraft{}
	case KindCreateDraftAI:
		return &CreateDraftAI{}
	case KindSendResponse:
		return &SendResponse{}
	case KindScheduleFollowUp:
		return &ScheduleFollowUp{}
	case KindForward:
		return &Forward{}
	case KindNotify:
		return &Notify{}
	case KindWebhook:
		return &Webhook{}
	case KindClose:
		return &Close{}
	case KindArchive:
		return &Archive{}
	case KindArchiveFromTeam:
		return &ArchiveFromTeam{}
	case KindTrash:
		return &Trash{}
	case KindSnooze:
		return &Snooze{}
	case KindDiscardSnooze:
		return &DiscardSnooze{}
	case KindMarkRead:
		return &MarkRead{}
	case KindMarkUnread:
		return &MarkUnread{}
	case KindStar:
		return &Star{}
	case KindUnstar:
		return &Unstar{}
	case KindWatch:
		return &Watch{}
	case KindUnwatch:
		return &Unwatch{}
	case KindSilence:
		return &Silence{}
	case KindCreateContacts:
		return &CreateContacts{}
	case KindShare:
		return &Share{}
	case KindRemoveUsers:
		return &RemoveUsers{}
	case KindAddRecipients:
		return &AddRecipients{}
	case KindMoveToNewConversation:
		return &MoveToNewConversation{}
	case KindMarkSpam:
		return &MarkSpam{}
	case KindMarkNotSpam:
		return &MarkNotSpam{}
	case KindUnsubscribe:
		return &Unsubscribe{}
	case KindPreventDelivery:
		return &PreventDelivery{}
	case KindAddAINote:
		return &AddAINote{}
	case KindAddTasksAI:
		return &AddTasksAI{}
	case KindStopProcessing:
		return &StopProcessing{}
	}
	return nil
}
