package dev.jpb.internal.login;

import static java.util.Objects.requireNonNull;

import com.ongres.saslprep.SASLprep;

/**
 * User names as SCRAM carries them: prepared with SASLprep (RFC 4013), as the client prepares
 * the name it sends, so that a name stored as {@code "ｂｏｂ"} (full-width) and one typed as
 * {@code "bob"} are the same user.
 */
public final class Usernames {
    private static final SASLprep SASL_PREP = new SASLprep();

    private Usernames() {
    }

    /**
     * Returns {@code username} prepared for storage.
     *
     * @throws IllegalArgumentException if it is empty after preparation or holds characters
     *     SASLprep prohibits (control characters, unassigned code points, ...)
     */
    public static String prepare(String username) {
        requireNonNull(username, "username");
        String prepared;
        try {
            prepared = SASL_PREP.prepareStored(username);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("username: " + username
                    + " (expected: no control, unassigned or prohibited characters; "
                    + e.getMessage() + ")", e);
        }
        if (prepared.isEmpty()) {
            throw new IllegalArgumentException("username: '" + username
                    + "' (expected: a non-empty name)");
        }
        return prepared;
    }
}
