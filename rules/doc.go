// Package rules holds inboxkit's automation rules: the rule model
// (triggers, nested condition groups, ordered actions), save-time
// validation, and a pure evaluator that takes the facts of one event and
// returns the actions to run as values, with a trace of why.
//
// The package decides and never acts: it does no I/O, never calls the
// engine and imports neither package inbox nor package storage. The engine
// loads the facts (the message, the conversation's state, the user action,
// the time), asks a compiled [Set] for a [Decision], and applies the
// returned actions as operations whose initiator is the rule.
//
// # Evaluation order
//
// For one event, the candidate rules are the enabled rules whose scope
// sees the conversation (personal rules see only their owner's private
// conversations, organization rules only conversations shared with their
// organization), whose type matches the event and, for message rules,
// whose channel matches the message. They run in byte-wise order of their
// description, ties broken by ID. A matching rule with a Stop processing
// action ends the event's run after its own actions. Changes made by rules
// never trigger user-action rules, and messages the engine sends itself
// never trigger outgoing rules; the facts carry the event's initiator so
// the evaluator can tell. A fuse ([Options.MaxRuns]) bounds the rules
// evaluated for one event.
//
// # Conditions
//
// Conditions form All / Any / None groups of any depth. An empty All or
// None group is true, an empty Any group is false, and a rule without
// conditions matches every event of its type. Text comparisons ignore case
// (Unicode simple folding) and never trim; a value is one literal, never a
// list. On a field with several values (To, Cc, attachments), a positive
// operator holds when any value satisfies it and a negative one when none
// satisfies its positive counterpart. From matches on the address or the
// display name.
//
// A Delay is a checkpoint: the conditions listed before it are evaluated
// when the event happens; if they hold, the decision carries a
// continuation that the engine evaluates when the delay is over, against
// the state of that moment. "Unreplied and open after" and "Unassigned and
// open after" start a watch instead: the other conditions are evaluated
// now, and the engine runs the actions at the deadline if the
// conversation is still open and unreplied (or unassigned). Both kinds may
// only be direct children of the top-level group when it is an All group,
// and a rule cannot hold both.
//
// # Performance
//
// [Compile] turns a rule set into a [Set] once: every text literal of every
// rule goes into one Aho-Corasick automaton over case-folded text, so one
// pass over each message field serves all rules. [Cache] keeps compiled
// sets by a version number the caller supplies.
package rules
