package conversation

import (
	"encoding"
	"errors"
	"regexp"
	"testing"
)

// Every enum an event carries has a unique lower-case wire name that
// reads back to the same value; unknown values and names are errors.
func TestWireNames(t *testing.T) {
	dotted := regexp.MustCompile(`^[a-z_]+\.[a-z_]+$`)
	word := regexp.MustCompile(`^[a-z_]+$`)
	check := func(t *testing.T, n int, re *regexp.Regexp, v func(i int) (encoding.TextMarshaler, encoding.TextUnmarshaler, func() int)) {
		t.Helper()
		seen := map[string]bool{}
		for i := 1; i <= n; i++ {
			m, u, get := v(i)
			b, err := m.MarshalText()
			if err != nil {
				t.Fatalf("value %d: %v", i, err)
			}
			if !re.Match(b) || seen[string(b)] {
				t.Fatalf("value %d: bad or duplicate name %q", i, b)
			}
			seen[string(b)] = true
			if err := u.UnmarshalText(b); err != nil || get() != i {
				t.Fatalf("value %d: %q reads back as %d, %v", i, b, get(), err)
			}
		}
		m, u, _ := v(n + 1)
		if _, err := m.MarshalText(); !errors.Is(err, ErrInvalidArgument) {
			t.Fatalf("value %d past the last has a name", n+1)
		}
		if err := u.UnmarshalText([]byte("3")); !errors.Is(err, ErrInvalidArgument) {
			t.Fatal("a number reads as a name")
		}
	}
	t.Run("EventType", func(t *testing.T) {
		check(t, int(EventDeliveryFailed), dotted, func(i int) (encoding.TextMarshaler, encoding.TextUnmarshaler, func() int) {
			var back EventType
			return EventType(i), &back, func() int { return int(back) }
		})
	})
	t.Run("TaskChange", func(t *testing.T) {
		check(t, int(TaskMoved), word, func(i int) (encoding.TextMarshaler, encoding.TextUnmarshaler, func() int) {
			var back TaskChange
			return TaskChange(i), &back, func() int { return int(back) }
		})
	})
	t.Run("LabelKind", func(t *testing.T) {
		check(t, int(EmailLabel), word, func(i int) (encoding.TextMarshaler, encoding.TextUnmarshaler, func() int) {
			var back LabelKind
			return LabelKind(i), &back, func() int { return int(back) }
		})
	})
}
