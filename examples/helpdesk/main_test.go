package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo runs to the end and tells the story the package doc promises.
func TestHelpdeskDay(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()
	for _, want := range []string{
		"🔔 Ben: assigned",
		"🔔 Dev: mentioned",
		"woke 1 snooze(s)",
	} {
		assert.Contains(t, s, want)
	}
	// After Kim's reply only Ana, the assignee, is notified.
	reopen := s[strings.Index(s, "\n12:15"):strings.Index(s, "\n14:00")]
	assert.Equal(t, 1, strings.Count(reopen, "🔔"), reopen)
	assert.Contains(t, reopen, "🔔 Ana: new message")
	// The invoice is back in the Billing team inbox after the timer.
	after := s[strings.Index(s, "\n14:00"):]
	assert.Contains(t, after, "Billing team inbox:  •Invoice #4411 is wrong")
}
