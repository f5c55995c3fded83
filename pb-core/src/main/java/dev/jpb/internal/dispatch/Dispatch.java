package dev.jpb.internal.dispatch;

import dev.jpb.Avatar;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.Referenceable;
import dev.jpb.Viewable;

/**
 * Which prefixed methods of an exported object a peer may call: {@code perspective_} on an
 * {@link Avatar} (and nothing else), {@code view_} and then {@code remote_} on a
 * {@link Viewable} (a {@code view_} method's first parameter is the caller's avatar, not
 * counted in the call's arity), {@code remote_} on any other {@link Referenceable}. Stateless.
 */
public final class Dispatch {
    /** The prefix of an avatar's callable methods. */
    public static final String PERSPECTIVE = "perspective_";
    /** The prefix of a viewable's methods that receive the caller's avatar. */
    public static final String VIEW = "view_";
    /** The prefix of every other callable method. */
    public static final String REMOTE = "remote_";

    private Dispatch() {
    }

    /**
     * Finds the method a call of {@code method} with {@code argc} arguments runs on
     * {@code target}.
     *
     * @throws NoSuchRemoteMethodException if there is none
     * @throws IllegalArgumentException if the target's class has ambiguous methods
     */
    public static Invoker find(Referenceable target, String method, int argc) {
        Class<?> type = target.getClass();
        if (target instanceof Avatar) {
            return MethodTable.of(type, PERSPECTIVE).find(method, argc);
        }
        if (target instanceof Viewable) {
            Invoker view = MethodTable.of(type, VIEW).findOrNull(method, argc + 1);
            if (view != null) {
                return view;
            }
            try {
                return MethodTable.of(type, REMOTE).find(method, argc);
            } catch (NoSuchRemoteMethodException e) {
                throw new NoSuchRemoteMethodException(e.getMessage() + "; nor a view_ method of"
                        + " that name taking the caller's avatar and " + argc + " more");
            }
        }
        return MethodTable.of(type, REMOTE).find(method, argc);
    }

    /** Returns whether {@code invoker} is a {@code view_} method, which takes the caller. */
    public static boolean takesCaller(Invoker invoker) {
        return invoker.method().getName().startsWith(VIEW);
    }

    /** Returns whether {@code invoker} is an avatar's {@code perspective_} method. */
    public static boolean isPerspective(Invoker invoker) {
        return invoker.method().getName().startsWith(PERSPECTIVE);
    }

    /**
     * Checks that objects of {@code type} can be exported (no two callable methods of one name
     * and arity), before the first is sent.
     *
     * @throws IllegalArgumentException if they cannot
     */
    public static void checkExportable(Class<?> type) {
        if (Avatar.class.isAssignableFrom(type)) {
            MethodTable.of(type, PERSPECTIVE);
            return;
        }
        if (Viewable.class.isAssignableFrom(type)) {
            MethodTable.of(type, VIEW);
        }
        MethodTable.of(type, REMOTE);
    }
}
