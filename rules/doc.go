// Package rules will hold inboxkit's automation rules: triggers, conditions
// and actions evaluated purely, returning decisions that the engine applies.
// It never calls the engine.
//
// No issue has scheduled it yet; the engine's System actor is what rule
// decisions will act as.
package rules
