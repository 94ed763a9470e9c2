package dev.batchgate.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.h2.api.ErrorCode;

/**
 * The password of an embedded H2 job store configured without one: random, created with the store and
 * kept beside its file as {@code <name>.password}, readable and writable by its owner only (a data
 * directory created here is its owner's only too, so that nobody else can read the store's files). Every
 * process on the same data directory (the server, {@code batchgate.jar mcp}) reads the same file; a
 * store created before with the empty password is given this one the first time it is opened.
 */
public final class StorePassword {

    private static final SecureRandom RANDOM = new SecureRandom();

    private StorePassword() {
    }

    /** The password to open {@code url} with: {@code configured} unless it is empty and the url an embedded H2 file. */
    public static String resolve(String url, String configured) {
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        return file(url).map(StorePassword::readOrCreate).orElse(configured == null ? "" : configured);
    }

    /** Where an embedded H2 file store keeps its password; empty for any other url. */
    public static Optional<Path> file(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("JDBC:H2:") || upper.matches("JDBC:H2:(MEM|TCP|SSL|ZIP):.*")) {
            return Optional.empty();
        }
        String name = url.substring("jdbc:h2:".length());
        if (name.regionMatches(true, 0, "file:", 0, 5)) {
            name = name.substring(5);
        }
        int options = name.indexOf(';');
        if (options >= 0) {
            name = name.substring(0, options);
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Optional.of(Path.of(name + ".password"));
    }

    /**
     * A store that still opens with the empty password (created before the password file existed, or
     * left so by a crash between writing the file and this) is given {@code password}.
     */
    static void adopt(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            return;
        } catch (SQLException e) {
            if (e.getErrorCode() != ErrorCode.WRONG_USER_OR_PASSWORD) {
                return; // the pool reports whatever else is wrong with the store
            }
        }
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            // the password is base64url: nothing in it needs quoting
            s.execute("ALTER USER \"" + user.replace("\"", "\"\"") + "\" SET PASSWORD '" + password + "'");
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the job store's password file " + file, e);
        }
    }

    /** Written aside and linked into place, so that a second process starting at once reads a whole file or makes none. */
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            createOwnerOnlyDirectories(dir);
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        Path aside = ownerOnlyFile(dir);
        try {
            Files.writeString(aside, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
            Files.createLink(file, aside);
        } catch (FileAlreadyExistsException e) {
            // another process made it first: its password is the store's
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    private static void createOwnerOnlyDirectories(Path dir) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static Path ownerOnlyFile(Path dir) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, ".password", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, ".password", ".tmp");
    }
}
