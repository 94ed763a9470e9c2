package dev.batchgate.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The API keys of {@code batchgate.api-keys} (a comma list; empty = no authentication). Keys are
 * compared in constant time: both sides are hashed to the same length and compared with
 * {@link MessageDigest#isEqual}, against every key, without stopping at the first match.
 *
 * <p>The dashboard's session cookie holds {@code <expiry>.<HMAC-SHA256(key, expiry)>}: it proves the
 * key was given without containing it, survives restarts, and dies with its key or its expiry.
 */
public final class ApiKeys {

    private static final String SESSION_PURPOSE = "batchgate-session:";

    private final List<byte[]> keys;
    private final List<byte[]> keyHashes;

    private ApiKeys(List<byte[]> keys) {
        this.keys = keys;
        this.keyHashes = keys.stream().map(ApiKeys::sha256).toList();
    }

    public static ApiKeys parse(String commaList) {
        if (commaList == null) {
            return new ApiKeys(List.of());
        }
        return new ApiKeys(Arrays.stream(commaList.split(",")).map(String::trim).filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList());
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    public int count() {
        return keys.size();
    }

    /** True when {@code presented} is one of the keys. */
    public boolean matches(String presented) {
        if (presented == null || !enabled()) {
            return false;
        }
        byte[] hash = sha256(presented.getBytes(StandardCharsets.UTF_8));
        boolean match = false;
        for (byte[] keyHash : keyHashes) {
            match |= MessageDigest.isEqual(hash, keyHash);
        }
        return match;
    }

    /** A session token for a key that {@link #matches}. */
    public String sessionToken(String key, Instant expires) {
        long expiry = expires.getEpochSecond();
        return expiry + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(hmac(key.getBytes(StandardCharsets.UTF_8), expiry));
    }

    public boolean validSession(String token, Instant now) {
        if (token == null || !enabled()) {
            return false;
        }
        int dot = token.indexOf('.');
        long expiry;
        byte[] presented;
        try {
            expiry = Long.parseLong(token.substring(0, Math.max(dot, 0)));
            presented = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (expiry < now.getEpochSecond()) {
            return false;
        }
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(presented, hmac(key, expiry));
        }
        return match;
    }

    private static byte[] hmac(byte[] key, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal((SESSION_PURPOSE + expiry).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
