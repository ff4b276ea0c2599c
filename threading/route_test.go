package threading

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestListID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Team <grp-123.Example.com>", "grp-123.example.com"},
		{"<list.example.org>", "list.example.org"},
		{`"A <b>" <list.example.org>`, "list.example.org"},
		{"list.example.org", "list.example.org"},
		{"no identifier here", ""},
		{"<broken", ""},
		{"<a@b.c>", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ListID(tt.in); got != tt.want {
			t.Errorf("ListID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMailingListAddress(t *testing.T) {
	tests := []struct{ in, want string }{
		{"list grp-123@Example.com; contact grp-123+owners@example.com", "grp-123@example.com"},
		{"contact owners@example.com; list grp@example.com", "grp@example.com"},
		{"contact owners@example.com", "owners@example.com"},
		{"list <grp@example.com>", "grp@example.com"},
		{"nothing", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MailingListAddress(tt.in); got != tt.want {
			t.Errorf("MailingListAddress(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRouteDirect(t *testing.T) {
	shared := []string{" Support@Acme.example ", "sales@acme.example", "", "support@acme.example"}
	got := Route(RouteInput{DeliveredTo: []string{"support@acme.example"}, To: []string{"SALES@acme.example"}}, shared)
	if !slices.Equal(got, []string{"support@acme.example", "sales@acme.example"}) {
		t.Fatalf("Route = %v", got)
	}
	if got := Route(RouteInput{To: []string{"x@y"}}, shared); got != nil {
		t.Fatalf("Route to nobody = %v", got)
	}
	if ListIDMatches("a.b.c", "not-an-address") || ListIDMatches("", "a@b") {
		t.Fatal("ListIDMatches on bad input")
	}
}

func TestListAddresses(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"grp-123.example.com", []string{"grp-123@example.com"}},
		{"a.b.example.com", []string{"a@b.example.com", "a.b@example.com"}},
		{"example.com", nil},
		{"", nil},
		{".example.com", nil},
		{"x.example.", nil},
	} {
		assert.Equal(t, c.want, ListAddresses(c.in), c.in)
		for _, a := range c.want {
			assert.True(t, ListIDMatches(c.in, a), "%s names %s", c.in, a)
		}
	}
}
