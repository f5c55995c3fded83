package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.LoginFailedException;
import dev.jpb.RemoteReference;
import dev.jpb.examples.lab.data.LabUsers;
import dev.jpb.examples.lab.data.Role;
import dev.jpb.examples.lab.ui.LabUi;
import dev.jpb.server.Realm;
import java.util.concurrent.CompletableFuture;

/**
 * The lab's realm: a user who logged in (checked against {@link LabUsers}' salted verifiers)
 * gets a {@link Station} perspective with the role stored beside the user, operator or viewer.
 * Thread-safe; blocks on the database (the realm runs on jpb's executor).
 */
final class LabRealm implements Realm {
    private final LabUsers users;
    private final LabUi ui;

    LabRealm(LabUsers users, LabUi ui) {
        this.users = requireNonNull(users, "users");
        this.ui = requireNonNull(ui, "ui");
    }

    @Override
    public Avatar requestAvatar(String avatarId, RemoteReference mind, Connection connection) {
        // The verifier was just checked; a user removed meanwhile has no role any more.
        Role role = users.role(avatarId).orElseThrow(LoginFailedException::new);
        return new Station(avatarId, role, ui);
    }

    /**
     * One logged-in user's perspective on the lab. A thin client calls {@code attach(display)}
     * on it (instead of on the root) and gets the lab window, whose backend acts with this
     * user's role: an operator edits and drives the procedure, a viewer's edits fail with
     * {@link NotAnOperatorError}.
     */
    public static final class Station extends Avatar {
        private final String user;
        private final Role role;
        private final LabUi ui;

        Station(String user, Role role, LabUi ui) {
            this.user = user;
            this.role = role;
            this.ui = ui;
        }

        /**
         * Pushes the lab window to the caller's display ({@link LabUi#attach}).
         *
         * @return a future completed once the window shows, with a line saying so
         */
        public CompletableFuture<String> perspective_attach(RemoteReference display) {
            return ui.attach(display, user, role);
        }

        /** Returns who this perspective belongs to, e.g. {@code "alice (VIEWER)"}. */
        public String perspective_whoami() {
            return user + " (" + role + ")";
        }
    }
}
