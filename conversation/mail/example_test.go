package mail_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/inboxkit/inboxkit/conversation"
	"github.com/inboxkit/inboxkit/conversation/mail"
)

func ExampleParser_Parse() {
	raw := "From: =?utf-8?q?J=C3=B6rg?= <jorg@example.org>\r\n" +
		"To: support@acme.test\r\n" +
		"Subject: Re: Broken widget\r\n" +
		"Date: Mon, 1 Jan 2024 10:00:00 +0100\r\n" +
		"Message-ID: <m2@example.org>\r\n" +
		"In-Reply-To: <m1@acme.test>\r\n" +
		"Content-Type: text/plain; charset=iso-8859-1\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n" +
		"\r\n" +
		"Still broken, sorry. Gr=FC=DFe\r\n" +
		"\r\n" +
		"On Sun, 31 Dec 2023, Acme wrote:\r\n" +
		"> Fixed!\r\n"
	var p mail.Parser // the zero Parser uses the defaults: 25 MiB limit
	m, err := p.Parse(strings.NewReader(raw))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.From.Name, m.From.Address)
	fmt.Println(m.Subject)
	fmt.Println(m.At.UTC())
	fmt.Println(m.HeaderID, m.InReplyTo)
	fmt.Printf("%q\n", m.Unquoted)
	fmt.Println(len(m.Defects), "defects")
	// Output:
	// Jörg jorg@example.org
	// Re: Broken widget
	// 2024-01-01 09:00:00 +0000 UTC
	// m2@example.org [m1@acme.test]
	// "Still broken, sorry. Grüße"
	// 0 defects
}

func ExampleComposer_Reply() {
	c, err := mail.NewComposer(mail.ComposerOptions{
		IDHost: "acme.test",
		Now:    func() time.Time { return time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	parent := &conversation.Message{ // as Parse returned it
		From:       conversation.Address{Name: "Jörg", Address: "jorg@example.org"},
		Subject:    "RE: Re: Broken widget", // the external subject, never the custom one
		HeaderID:   "m2@example.org",
		References: []string{"m0@acme.test", "m1@acme.test"},
	}
	reply, err := c.Reply(parent, mail.Draft{
		From: conversation.Address{Name: "Acme Support", Address: "support@acme.test"},
		Text: "We are on it.",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(reply.Subject)
	fmt.Println(reply.To[0].Address)
	fmt.Println(reply.InReplyTo, reply.References)
	fmt.Println(strings.HasSuffix(reply.HeaderID, "@acme.test"))

	var out bytes.Buffer
	if err := c.Render(&out, reply, nil); err != nil {
		fmt.Println(err)
		return
	}
	back, _ := new(mail.Parser).ParseBytes(out.Bytes())
	fmt.Println(back.Subject, back.HeaderID == reply.HeaderID, back.Text)
	// Output:
	// Re: Broken widget
	// jorg@example.org
	// [m2@example.org] [m0@acme.test m1@acme.test m2@example.org]
	// true
	// Re: Broken widget true We are on it.
}

func ExampleComposer_Render() {
	c, _ := mail.NewComposer(mail.ComposerOptions{IDHost: "acme.test"})
	att := mail.Attachment{Name: "invoice.pdf", ContentType: "application/pdf", Size: 8, Content: strings.NewReader("%PDF-1.4")}
	m, err := c.Compose("Your invoice", mail.Draft{
		From:        conversation.Address{Address: "billing@acme.test"},
		To:          []conversation.Address{{Address: "jorg@example.org"}},
		Text:        "Attached.",
		HTML:        "<p>Attached.</p>",
		Attachments: []mail.Attachment{att},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var out bytes.Buffer
	if err := c.Render(&out, m, []mail.Attachment{att}); err != nil {
		fmt.Println(err)
		return
	}
	back, _ := new(mail.Parser).ParseBytes(out.Bytes())
	fmt.Println(back.Text, back.HTML, back.Attachments)
	// Output: Attached. <p>Attached.</p> [{invoice.pdf application/pdf 8 }]
}
