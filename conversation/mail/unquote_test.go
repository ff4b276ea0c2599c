package mail

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUnquote(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"nothing to strip", "Hello,\n\nall mine.\n", "Hello,\n\nall mine.\n"},
		{"top posting with attribution", "Sounds good.\n\nOn Mon, 1 Jan 2024 at 10:00, Ann <a@x.org> wrote:\n> Lunch?\n> \n> Ann\n", "Sounds good."},
		{"attribution wrapped by gmail", "Yes.\n\nOn Mon, Jan 1, 2024 at 10:00 AM Ann Example <\nann@example.com> wrote:\n\n> Lunch?\n", "Yes."},
		{"interleaved answers", "Ann wrote:\n> first?\nyes\n> second?\nno\n", "yes\nno"},
		{"indented quote", "ok\n  > quoted\n", "ok"},
		{"attribution kept without quote", "I said: she wrote:\nand then more text\n", "I said: she wrote:\nand then more text\n"},
		{"signature", "Thanks\n-- \nAnn\nExample Corp\n", "Thanks"},
		{"signature without space", "Thanks\n--\nAnn\n", "Thanks"},
		{"outlook original message", "See below.\n\n-----Original Message-----\nFrom: Bob\nSent: Monday\n\nold\n", "See below."},
		{"outlook underscore separator", "Fine.\n\n________________________________\nFrom: Bob <b@x.org>\nSent: Monday\n", "Fine."},
		{"gmail forward", "FYI\n\n---------- Forwarded message ---------\nFrom: Bob\n\nold news\n", "FYI"},
		{"apple forward", "FYI\n\nBegin forwarded message:\n\nFrom: Bob\n", "FYI"},
		{"thunderbird forward", "look\n\n-------- Forwarded Message --------\nSubject: x\n", "look"},
		{"german original", "ok\n\n-----Ursprüngliche Nachricht-----\nVon: Bob\n", "ok"},
		{"french attribution", "d'accord\n\nLe lun. 1 janv. 2024, Ann a écrit :\n> salut\n", "d'accord"},
		{"mailman footer", "real text\n\n_______________________________________________\nFoo mailing list\nFoo@x.org\n", "real text"},
		{"blank lines collapsed", "a\n\n\n\nb\n> q\n", "a\n\nb"},
		{"all quoted", "> only\n> quote\n", ""},
		{"dashes in prose are kept", "a -- b\n---\nc\n> q\n", "a -- b\n---\nc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, removed := Unquote(tc.text)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want != tc.text, removed, "removed")
		})
	}
}

func TestParseUnquoted(t *testing.T) {
	m := parse(t, stdHeader+"\nMy answer.\n\nOn Mon, 1 Jan 2024, Bob wrote:\n> question\n")
	assert.Equal(t, "My answer.", m.Unquoted)
	assert.Equal(t, "My answer.\n\nOn Mon, 1 Jan 2024, Bob wrote:\n> question\n", m.Text)
}
