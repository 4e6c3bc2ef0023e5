package dev.scalpel.interpret.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Part selection, the raw-body fallback and HTML reduction on small hand-written messages. */
class MimeMailTest {
    @Test
    void inlinePlainPartsWinOverHtmlAndAttachmentsAndNestedMessagesAreWalked() {
        String raw = """
                From someone@example.com  Mon Aug 26 15:49:28 2002
                Subject: quarterly figures
                Content-Type: multipart/mixed; boundary="outer"

                --outer
                Content-Type: multipart/alternative; boundary="inner"

                --inner
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                Figures attached, caf=C3=A9 on me.
                --inner
                Content-Type: text/html

                <p>Figures attached</p>
                --inner--
                --outer
                Content-Type: text/plain
                Content-Disposition: attachment; filename="figures.csv"

                q1,q2
                --outer
                Content-Type: message/rfc822

                Subject: forwarded
                Content-Type: text/plain

                The forwarded note.
                --outer--
                """;
        MailText m = MimeMail.parse(raw);
        assertFalse(m.malformed());
        assertEquals("quarterly figures", m.subject());
        assertEquals("Figures attached, café on me.\n\nThe forwarded note.", m.body());
        assertEquals("quarterly figures\n\nFigures attached, café on me.\n\nThe forwarded note.", m.text());
    }

    @Test
    void aMessageWithoutHeadersIsAllBody() {
        MailText m = MimeMail.parse("just a line of text\nand another: not a header\n\nmore");
        assertEquals("", m.subject());
        assertEquals("just a line of text\nand another: not a header\n\nmore", m.body());
        assertEquals("body", MimeMail.parse("Subject: s\n\nbody").body());
    }

    @Test
    void fallbackTakesTheSubjectLineAndTheRawBody() {
        MailText m = MimeMail.fallback("X-A: 1\r\nSubject: =?iso-8859-1?Q?gr=FC=DFe?=\r\n\tfolded\r\n\r\n"
                + "=3D raw <b>body</b>\r\n");
        assertTrue(m.malformed());
        assertEquals("grüße folded", m.subject());
        assertEquals("=3D raw <b>body</b>", m.body(), "the fallback does not decode");
        assertEquals("", MimeMail.fallback("X-A: 1\n\nSubject: not a header here").subject());
    }

    @Test
    void htmlTextDropsMarkupAndDecodesReferences() {
        String html = "<html><head><title>t</title><style>p{color:red}</style></head><body>"
                + "<script>var x = '<p>';</script><!-- hidden -->"
                + "<p>Hel<b>lo</b>,&nbsp;world &amp; &lt;friends&gt;</p>\n<div>caf&eacute; &#233;&#xE9; &bogus; &#0;</div>"
                + "<table><tr><td>a</td><td>b</td></tr></table>line\none";
        // Block tags break lines; where two meet (</p> then <div>) the text gets a paragraph break.
        assertEquals("Hello, world & <friends>\n\ncafé éé &bogus; &#0;\n\na b\n\nline one", HtmlText.toText(html));
    }
}
