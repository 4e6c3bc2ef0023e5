package dev.scalpel.interpret.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * Reads an RFC 822 message the way a mail client shows it, with Apache James mime4j: the decoded subject (RFC 2047
 * encoded words) and the text body. Transfer encodings (quoted-printable, base64) are undone by mime4j, charsets
 * looked up through it. Of a multipart message the inline text/plain parts are read, in order; when there are none,
 * the text/html parts, reduced to their visible text ({@link HtmlText}); failing that, any other text part. Nested
 * multiparts and attached messages (message/rfc822) are walked too.
 *
 * <p>Parts sent without a transfer encoding (7bit, 8bit) are read as UTF-8 whatever charset they declare: messages
 * reach this class as Java strings, and the SpamAssassin corpus was turned into strings by decoding its bytes as UTF-8.
 * Their UTF-8 encoding is therefore the text itself; reading it as the declared Latin-1 would garble it a second time.
 *
 * <p>A message mime4j cannot read does not stop a corpus from loading: its subject is taken from a plain
 * {@code Subject:} header line and its body is the raw text after the first blank line, flagged as malformed.
 */
public final class MimeMail {
    private static final Pattern SUBJECT_LINE = Pattern.compile("(?im)^Subject:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)");
    /** mbox's envelope line ({@code From sender date}, no colon): not a header, and mime4j would take it for one. */
    private static final Pattern MBOX_FROM = Pattern.compile("\\AFrom [^\\n]*\\n");
    private static final Pattern HEADER_FIELD = Pattern.compile("[!-9;-~]+:");
    private static final Pattern HEADER_END = Pattern.compile("\\r?\\n\\r?\\n");
    /** For Latin-1, ASCII, unknown and missing charsets of encoded parts. */
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private MimeMail() {
    }

    public static MailText parse(String raw) {
        try {
            String mail = MBOX_FROM.matcher(raw).replaceFirst("");
            if (!HEADER_FIELD.matcher(mail).lookingAt()) {
                mail = "\n" + mail;   // no header at all: all body (mime4j would drop lines as malformed headers)
            }
            Message message = builder().parseMessage(new ByteArrayInputStream(mail.getBytes(StandardCharsets.UTF_8)));
            try {
                String subject = message.getSubject() == null ? "" : clean(message.getSubject());
                return new MailText(subject, body(message), false);
            } finally {
                message.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return fallback(raw);
        }
    }

    private static DefaultMessageBuilder builder() {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        return builder;
    }

    /** The body by the preference order of the class comment. */
    private static String body(Entity message) throws IOException {
        List<Entity> leaves = new ArrayList<>();
        collectLeaves(message, leaves);
        List<String> plain = new ArrayList<>();
        List<String> html = new ArrayList<>();
        List<String> otherText = new ArrayList<>();
        for (Entity e : leaves) {
            String type = e.getMimeType() == null ? "text/plain" : e.getMimeType().toLowerCase(Locale.ROOT);
            boolean attachment = "attachment".equalsIgnoreCase(e.getDispositionType());
            if (!type.startsWith("text/") || !(e.getBody() instanceof SingleBody body)) {
                continue;
            }
            String text = decode(e, body);
            if (type.equals("text/plain") && !attachment) {
                plain.add(clean(text));
            } else if (type.equals("text/html")) {
                html.add(HtmlText.toText(text));
            } else {
                otherText.add(clean(text));
            }
        }
        List<String> chosen = !plain.isEmpty() ? plain : !html.isEmpty() ? html : otherText;
        return String.join("\n\n", chosen.stream().filter(s -> !s.isEmpty()).toList());
    }

    private static void collectLeaves(Entity entity, List<Entity> leaves) {
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            for (Entity part : multipart.getBodyParts()) {
                collectLeaves(part, leaves);
            }
        } else if (body instanceof Message attached) {
            collectLeaves(attached, leaves);
        } else if (body != null) {
            leaves.add(entity);
        }
    }

    /** The part's text: transfer-decoded by mime4j, then read in the charset the class comment explains. */
    private static String decode(Entity entity, SingleBody body) throws IOException {
        byte[] bytes;
        try (InputStream in = body.getInputStream()) {
            bytes = in.readAllBytes();
        }
        String transfer = entity.getContentTransferEncoding() == null ? ""
                : entity.getContentTransferEncoding().toLowerCase(Locale.ROOT);
        boolean encoded = transfer.equals("quoted-printable") || transfer.equals("base64");
        if (!encoded) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        Charset charset = entity.getCharset() == null ? null : CharsetUtil.lookup(entity.getCharset());
        // As browsers and mail clients do (WHATWG encoding standard): Latin-1 and ASCII labels mean windows-1252,
        // whose 0x80-0x9F are the curly quotes and dashes senders meant, not C1 control characters.
        boolean latin1 = charset == null || charset.equals(StandardCharsets.ISO_8859_1)
                || charset.equals(StandardCharsets.US_ASCII);
        return new String(bytes, latin1 ? WINDOWS_1252 : charset);
    }

    /** The fallback for a message mime4j rejects: plain header scan, raw body. */
    static MailText fallback(String raw) {
        Matcher end = HEADER_END.matcher(raw);
        boolean hasBody = end.find();
        String headers = hasBody ? raw.substring(0, end.start()) : raw;
        String body = hasBody ? raw.substring(end.end()) : "";
        Matcher subject = SUBJECT_LINE.matcher(headers);
        String s = subject.find() ? DecoderUtil.decodeEncodedWords(subject.group(1).replaceAll("\\r?\\n[ \\t]", " "),
                DecodeMonitor.SILENT) : "";
        return new MailText(clean(s), clean(body), true);
    }

    /** Unix line ends, no trailing blanks on lines, no leading or trailing blank lines. */
    private static String clean(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[ \\t]+\\n", "\n").strip();
    }
}
