package dev.scalpel.interpret.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled corpus: its counts, and messages whose decoded text was read off their raw source by hand. */
class SpamAssassinTest {
    private static SpamAssassin corpus;
    private static final Map<String, LabeledText> BY_ID = new HashMap<>();

    @BeforeAll
    static void load() {
        corpus = SpamAssassin.load();
        corpus.texts().forEach(t -> BY_ID.put(t.id(), t));
    }

    @Test
    void countsMatchTheDatasheet() {
        assertEquals(6046, corpus.texts().size());
        assertEquals(Map.of("spam", 1896, "ham", 4150), corpus.labelCounts());
        assertEquals(Map.of("easy-ham-1", 2500, "easy-ham-2", 1400, "hard-ham-1", 250, "spam-1", 500, "spam-2", 1396),
                corpus.groupCounts());
        assertEquals(0, corpus.malformed(), "mime4j reads every message of the corpus");
        assertTrue(corpus.texts().stream().filter(t -> t.group().equals(SpamAssassin.HARD_HAM))
                .allMatch(t -> t.label().equals("ham")));
        assertTrue(corpus.texts().stream().noneMatch(t -> t.text().isBlank()), "every message has some text");
    }

    /** multipart/mixed whose text/plain part is base64 (iso-8859-1); the raw part starts "SU1QT1JUQU5UIElORk9S". */
    @Test
    void base64PlainTextIsDecoded() {
        String text = BY_ID.get("spam-1/00087").text();
        assertTrue(text.startsWith("BIZ, .INFO, .COM for only $14.95\n\nIMPORTANT INFORMATION:\n"), text);
        assertTrue(text.contains("The new domain names are finally available to the general public at discount prices."));
        assertTrue(text.contains("Register your domain name today for just $14.95 at: http://www.affordable-domains.com/"));
        assertFalse(text.contains("SU1QT1JUQU5U"));
        assertFalse(text.contains("\r"));
    }

    /** multipart/alternative, quoted-printable windows-1252: the plain part is read, soft line breaks joined. */
    @Test
    void quotedPrintablePlainPartIsPreferredToHtml() {
        LabeledText t = BY_ID.get("easy-ham-1/00062");
        assertEquals("ham", t.label());
        assertEquals("easy-ham-1", t.group());
        assertTrue(t.text().startsWith("Tiny DNS Swap\n\nI'm using Simple DNS from JHSoft.  We support only a few web "
                + "sites and I'd like to swap secondary services with someone in a similar position."), t.text());
        assertFalse(t.text().contains("=\n"));
        assertFalse(t.text().contains("MSHTML"), "the text/html alternative is not read when a text/plain one exists");
        assertFalse(t.text().contains("This list is sponsored"), "the multipart preamble is not body text");
    }

    /** text/html only, quoted-printable ISO-8859-1 (read as windows-1252): tags, entities and =XX escapes gone. */
    @Test
    void htmlOnlyMessageBecomesItsVisibleText() {
        String text = BY_ID.get("hard-ham-1/00007").text();
        assertTrue(text.startsWith("F2M - Ihre kostenlose Faxnummer - Newsletter\n\n"
                + "Bitte beachten Sie die Angebote unserer Werbepartner.\n"
                + "Diese ermöglichen den kostenfreien Betrieb des Fax2Mail-Service.\nVielen Dank.\n\n"
                + "Der neue Cyberport-Katalog ist da!\n"), text);
        assertTrue(text.contains("Stöbern Sie in unserem Angebot, wann und wo Sie wollen."));
        assertTrue(text.contains("Mac-Shop \u2013 Cyberdesign"), "0x96 is windows-1252's en dash");
        for (String markup : new String[] {"<", "&nbsp;", "=3D", "=F6", "mreach_id"}) {
            assertFalse(text.contains(markup), markup);
        }
    }

    /** RFC 2047 subjects: iso-2022-jp base64 words over two folded lines, and iso-8859-1 Q encoding. */
    @Test
    void encodedWordSubjectsAreDecoded() {
        assertTrue(BY_ID.get("hard-ham-1/00039").text().startsWith("日本語の件名（サブジェクト）　スパムメールではありません！\n\n"));
        assertTrue(BY_ID.get("easy-ham-1/02434").text().startsWith("Re: RE: [zzzzteana] Sitting Bull über alles [Long]\n\n"));
    }
}
