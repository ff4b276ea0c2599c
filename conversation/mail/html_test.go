package mail

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHTMLText(t *testing.T) {
	tests := []struct{ name, html, want string }{
		{"entities", "a&lt;b &amp; &eacute;&#233;&#x41;", "a<b & ééA"},
		{"whitespace collapsed", "  a \n\t b  ", "a b"},
		{"pre kept", "<pre>a  b\n  c</pre>d", "a  b\n  c\nd"},
		{"nested quotes", "x<blockquote>one<blockquote>two</blockquote>back</blockquote>y", "x\n> one\n> > two\n> back\ny"},
		{"head without closing tag", "<html><head><meta charset=utf-8><body>text", "text"},
		{"comment", "a<!-- <p>hidden</p> -->b<!-- unclosed", "ab"},
		{"lone angle", "1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
		{"attributes with >", `<a title="x>y" href='z'>link</a>`, "link"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"style and script", "<style>p{color:red}</style><SCRIPT>x()</SCRIPT>ok", "ok"},
		{"br runs", "a<br><br><br><br>b", "a\n\nb"},
		{"invalid utf-8 dropped", "a\xffb", "ab"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, truncated := htmlText(tc.html)
			assert.Equal(t, tc.want, got)
			assert.False(t, truncated)
		})
	}
	got, truncated := htmlText(strings.Repeat("<p>word</p>", MaxHTMLText/4))
	assert.True(t, truncated)
	assert.LessOrEqual(t, len(got), MaxHTMLText)
	deep, _ := htmlText(strings.Repeat("<blockquote>", 1000) + "x<br>y")
	assert.Equal(t, strings.Repeat("> ", maxQuoteDepth)+"x\n"+strings.Repeat("> ", maxQuoteDepth)+"y", deep)
}
