package dev.batchgate.facade.remediation.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets in config text (passwords, enable secrets, SNMP communities, keys) with {@code ***},
 * so that configs can appear in logs and error messages. The command words and the encryption type stay,
 * so a masked line still tells which setting it was.
 */
public final class ConfigSecrets {

    private static final String MASK = "***";
    private static final String GAP = "[ \\t]+";
    private static final String TYPE = "(?:\\d{1,2}" + GAP + ")?";
    // a mask already in place (a message quoting a masked line) is kept whole, not the start of a secret
    private static final String SECRET = "(?<secret>\"[^\"\\n]*\"|\\*\\*\\*(?=['\"]?(?:\\s|$))|\\S+)";

    /** Each pattern's {@code secret} group is masked; the patterns overlap but masking is idempotent. */
    private static final List<Pattern> SECRETS = List.of(
            // enable secret 5 …, username x secret 9 …, neighbor x password 7 …, EOS secret sha512 …, XR password encrypted …
            Pattern.compile("\\b(?:secret|password)" + GAP + "(?:(?:encrypted|clear|sha512|sha256|md5)" + GAP + ")?"
                    + TYPE + SECRET),
            Pattern.compile("\\bsnmp-server community" + GAP + SECRET),
            Pattern.compile("\\bsnmp-server host" + GAP + "[^\\n]*?\\bversion" + GAP + "(?:1|2c)" + GAP + SECRET),
            Pattern.compile("\\bsnmp-server user" + GAP + "[^\\n]*?\\bauth" + GAP + "(?:md5|sha\\S*)" + GAP + SECRET),
            Pattern.compile("\\bsnmp-server user" + GAP + "[^\\n]*?\\bpriv" + GAP
                    + "(?:(?:des|3des|aes(?:-?\\d+)?)" + GAP + "(?:\\d+" + GAP + ")?)?" + SECRET),
            // "<id> md5 <key>" forms (NTP, OSPF message-digest) have their own patterns below
            Pattern.compile("\\b(?:key-string|authentication-key)" + GAP + "(?!\\d+" + GAP + "md5\\b)" + TYPE + SECRET),
            Pattern.compile("\\bntp authentication-key" + GAP + "\\d+" + GAP + "md5" + GAP + SECRET),
            Pattern.compile("\\bmessage-digest-key" + GAP + "\\d+" + GAP + "md5" + GAP + TYPE + SECRET),
            Pattern.compile("\\bpre-shared-key(?:" + GAP + "(?:address" + GAP + "\\S+|hostname" + GAP + "\\S+|local|remote"
                    + "|clear|encrypted|key|\\d))*" + GAP + SECRET),
            Pattern.compile("\\bisakmp key" + GAP + TYPE + SECRET),
            // "key 7 …" anywhere: TACACS+/RADIUS servers, key chains, NX-OS hosts
            Pattern.compile("(?<![-\\w])key" + GAP + "\\d" + GAP + SECRET),
            Pattern.compile("\\b(?:tacacs-server|radius-server)" + GAP + "[^\\n]*?(?<![-\\w])key" + GAP + TYPE + SECRET),
            // a bare "key <x>" under "tacacs server"/"radius server"; "key 1" alone is a key-chain key id
            Pattern.compile("^[ \\t]*key" + GAP + "(?!chain\\b)" + TYPE + "(?!\\d+[ \\t]*$)" + SECRET, Pattern.MULTILINE));

    private ConfigSecrets() {}

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (Pattern secret : SECRETS) {
            masked = maskMatches(secret, masked);
        }
        return masked;
    }

    private static String maskMatches(Pattern secret, String text) {
        Matcher matcher = secret.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length());
        int copied = 0;
        do {
            masked.append(text, copied, matcher.start("secret")).append(MASK);
            copied = matcher.end("secret");
        } while (matcher.find());
        return masked.append(text, copied, text.length()).toString();
    }
}
