package inbox

// CrashBeforeDrain makes e's operations return right after their commit,
// without draining the outbox: what a process dying at that moment
// leaves behind.
func CrashBeforeDrain(e *Engine) { e.crashBeforeDrain = true }
