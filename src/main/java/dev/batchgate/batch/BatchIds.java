package dev.batchgate.batch;

import java.security.SecureRandom;

/** Batch ids: {@code b-} then a time-ordered, URL-safe, 26-character Crockford base32 ULID. */
public final class BatchIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private BatchIds() {
    }

    public static String next() {
        long time = System.currentTimeMillis();
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long bits = 0;
        int available = 0;
        int at = 10;
        for (byte b : random) {
            bits = (bits << 8) | (b & 0xff);
            available += 8;
            while (available >= 5 && at < 26) {
                out[at++] = ALPHABET[(int) ((bits >>> (available - 5)) & 31)];
                available -= 5;
            }
        }
        return "b-" + new String(out);
    }
}
