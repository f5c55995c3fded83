package dev.jpb.examples.lab;

import dev.jpb.NotLoggedInException;
import dev.jpb.RemoteReference;
import dev.jpb.Root;

/**
 * The lab's jpb root, what a connection reaches before it logs in: nothing of the lab's data.
 * Its one method refuses a thin client started without a user, saying how to log in. Every
 * read and edit is on the logged-in user's perspective ({@link LabRealm.Station}), with that
 * user's role; an anonymous connection's other calls fail with
 * {@link dev.jpb.NoSuchRemoteMethodException}.
 */
public class LabRoot extends Root {
    /** Creates the root. */
    public LabRoot() {
    }

    /**
     * Refuses: the lab's UI is pushed only to a logged-in user.
     *
     * @throws NotLoggedInException always
     */
    public String remote_attach(RemoteReference display) {
        throw new NotLoggedInException("the lab pushes its UI only after login: start the thin"
                + " client with --user NAME (the password from JPB_THIN_PASSWORD or the"
                + " prompt)");
    }
}
