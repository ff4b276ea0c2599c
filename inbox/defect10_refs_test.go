package inbox_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// Issue 10 point 3 through the engine: a reply whose References hold the
// root plus 150 ids never seen, In-Reply-To the last of them, joins the
// root's conversation, and a later reply to that unknown id follows it.
func TestDefect10_3_LongReferencesKeepRoot(t *testing.T) {
	a := atAcme()
	root := a.Email("Order", "support@acme.test")
	c := atDeliver(t, a, "support", root).Conversations[0]

	r := a.Email("Re: Order", "support@acme.test")
	r.References = []string{root.HeaderID}
	for i := range 150 {
		r.References = append(r.References, fmt.Sprintf("unknown%d@elsewhere.example", i))
	}
	r.InReplyTo = []string{r.References[len(r.References)-1]}
	atTick(a)
	require.Equal(t, c, atDeliver(t, a, "support", r).Conversations[0], "the root was not looked up")

	s := a.Email("Re: Order", "support@acme.test")
	s.InReplyTo = r.InReplyTo
	atTick(a)
	require.Equal(t, c, atDeliver(t, a, "support", s).Conversations[0])
}
