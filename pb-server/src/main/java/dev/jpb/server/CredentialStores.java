package dev.jpb.server;

import static java.util.Objects.requireNonNull;

import dev.jpb.internal.login.FakeVerifiers;
import dev.jpb.internal.login.VerifierSource;

/** Adapts a {@link CredentialStore} to what the login exchange (internal.login) consumes. */
final class CredentialStores {
    private CredentialStores() {
    }

    /** Returns the store as the exchange's source of verifiers. */
    static VerifierSource source(CredentialStore store) {
        requireNonNull(store, "store");
        return username -> store.verifier(username).map(ScramVerifier::keys);
    }

    /**
     * Returns fake verifiers for the store's unknown users, under a fresh random secret: the
     * fakes are stable for the life of the server, as a real user's salt is.
     */
    static FakeVerifiers fakes(CredentialStore store) {
        return FakeVerifiers.withRandomSecret(store.iterationsForUnknownUsers());
    }
}
