package dev.scalpel.interpret.data;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The readable text of an HTML mail body: what a reader sees, not the markup. Script, style and comments are dropped,
 * block-level tags become line breaks and other tags vanish (so {@code <b>Hel</b>lo} stays one word), character
 * references are decoded and runs of blanks collapse. Spam HTML is rarely well formed, so this is a tolerant scanner,
 * not a parser: an unclosed tag or an unknown entity is left as text rather than failing.
 */
public final class HtmlText {
    private static final Pattern DROPPED = Pattern.compile(
            "(?is)<!--.*?(-->|$)|<script\\b.*?(</script\\s*>|$)|<style\\b.*?(</style\\s*>|$)|<title\\b.*?(</title\\s*>|$)");
    private static final Pattern BLOCK_TAG = Pattern.compile(
            "(?i)</?(br|p|div|tr|li|ul|ol|table|h[1-6]|blockquote|pre|hr|center|dd|dt|dl|form|body|html)\\b[^>]*>");
    private static final Pattern CELL_TAG = Pattern.compile("(?i)</?(td|th)\\b[^>]*>");
    private static final Pattern ANY_TAG = Pattern.compile("<[!/?a-zA-Z][^>]*>");
    private static final Pattern REFERENCE = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,9});");
    private static final Pattern BLANKS = Pattern.compile("[ \\t\\x0B\\f\\u00A0]+");
    private static final Pattern BLANK_AROUND_BREAK = Pattern.compile(" ?\\n ?");
    private static final Pattern MANY_BREAKS = Pattern.compile("\\n{3,}");

    /** HTML 4's Latin-1 entities, in code point order from U+00A0. */
    private static final String[] LATIN1 = ("nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg "
            + "macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave "
            + "Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde "
            + "Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute "
            + "acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve "
            + "oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml").split(" ");
    private static final Map<String, Integer> ENTITIES = new HashMap<>();

    static {
        for (int i = 0; i < LATIN1.length; i++) {
            ENTITIES.put(LATIN1[i], 0xA0 + i);
        }
        Object[] others = {"quot", 34, "amp", 38, "apos", 39, "lt", 60, "gt", 62, "ndash", 0x2013, "mdash", 0x2014,
            "lsquo", 0x2018, "rsquo", 0x2019, "sbquo", 0x201A, "ldquo", 0x201C, "rdquo", 0x201D, "bdquo", 0x201E,
            "dagger", 0x2020, "bull", 0x2022, "hellip", 0x2026, "permil", 0x2030, "euro", 0x20AC, "trade", 0x2122,
            "larr", 0x2190, "rarr", 0x2192, "ensp", 0x2002, "emsp", 0x2003, "thinsp", 0x2009};
        for (int i = 0; i < others.length; i += 2) {
            ENTITIES.put((String) others[i], (Integer) others[i + 1]);
        }
    }

    private HtmlText() {
    }

    public static String toText(String html) {
        String s = DROPPED.matcher(html).replaceAll(" ");
        // Source line breaks are layout, not text: HTML renders them as spaces. Block tags make the real breaks.
        s = s.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
        s = BLOCK_TAG.matcher(s).replaceAll("\n");
        s = CELL_TAG.matcher(s).replaceAll(" ");
        s = ANY_TAG.matcher(s).replaceAll("");
        s = decodeReferences(s);
        s = BLANKS.matcher(s).replaceAll(" ");
        s = BLANK_AROUND_BREAK.matcher(s).replaceAll("\n");
        return MANY_BREAKS.matcher(s).replaceAll("\n\n").strip();
    }

    /** Decodes {@code &name;}, {@code &#NNN;} and {@code &#xHH;}; unknown names and invalid code points stay as written. */
    public static String decodeReferences(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = REFERENCE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String ref = m.group(1);
            int cp = codePoint(ref);
            m.appendReplacement(out, cp < 0 ? Matcher.quoteReplacement(m.group()) : Matcher.quoteReplacement(Character.toString(cp)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int codePoint(String ref) {
        if (ref.charAt(0) != '#') {
            Integer cp = ENTITIES.get(ref);
            return cp == null ? -1 : cp;
        }
        int cp;
        try {
            cp = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X')
                    ? Integer.parseInt(ref.substring(2), 16) : Integer.parseInt(ref.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
        boolean valid = cp > 0 && cp <= Character.MAX_CODE_POINT && (cp < 0xD800 || cp > 0xDFFF);
        return valid ? cp : -1;
    }
}
