package conversation

// Parsers for the textual form of each ID type, for hosts that read IDs
// from URLs, JSON or configuration. Each returns an error wrapping
// [ErrInvalidArgument] when s is not a UUID.

// ParseOrgID parses an [OrgID].
func ParseOrgID(s string) (OrgID, error) { return ParseID[orgKind](s) }

// ParseUserID parses a [UserID].
func ParseUserID(s string) (UserID, error) { return ParseID[userKind](s) }

// ParseTeamID parses a [TeamID].
func ParseTeamID(s string) (TeamID, error) { return ParseID[teamKind](s) }

// ParseAccountID parses an [AccountID].
func ParseAccountID(s string) (AccountID, error) { return ParseID[accountKind](s) }

// ParseConversationID parses a [ConversationID].
func ParseConversationID(s string) (ConversationID, error) { return ParseID[conversationKind](s) }

// ParseMessageID parses a [MessageID] (the library's identifier of a
// message, not its Message-ID header).
func ParseMessageID(s string) (MessageID, error) { return ParseID[messageKind](s) }

// ParseCommentID parses a [CommentID].
func ParseCommentID(s string) (CommentID, error) { return ParseID[commentKind](s) }

// ParseEventID parses an [EventID].
func ParseEventID(s string) (EventID, error) { return ParseID[eventKind](s) }

// ParseLabelID parses a [LabelID].
func ParseLabelID(s string) (LabelID, error) { return ParseID[labelKind](s) }

// ParseTaskID parses a [TaskID].
func ParseTaskID(s string) (TaskID, error) { return ParseID[taskKind](s) }
