package dev.jpb.internal.router;

import dev.jpb.router.Match;
import dev.jpb.router.WampError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** WAMP's meta procedures about sessions, subscriptions and registrations. Realm lock held. */
final class Meta {
    private final Realm realm;

    Meta(Realm realm) {
        this.realm = realm;
    }

    /**
     * Runs a meta procedure and returns the result's positional arguments, or null when an
     * admin procedure waits for another cluster node and the realm answers the caller later.
     */
    List<Object> call(Session caller, long requestId, String procedure, List<Object> args,
            Map<String, Object> kwargs) {
        Object result;
        switch (procedure) {
            case "wamp.session.count":
                result = sessions(args).size();
                break;
            case "wamp.session.list":
                result = sessions(args);
                break;
            case "wamp.session.get":
                result = session(args, procedure).details();
                break;
            case "wamp.subscription.list":
                result = ids(realm.topics());
                break;
            case "wamp.subscription.lookup":
                result = lookup(realm.topics(), args, procedure);
                break;
            case "wamp.subscription.match":
                result = subscriptionMatch(args, procedure);
                break;
            case "wamp.subscription.get":
                result = subscription(args, procedure).describe();
                break;
            case "wamp.subscription.list_subscribers":
                result = sessionIds(subscription(args, procedure).subscribers);
                break;
            case "wamp.subscription.count_subscribers":
                result = subscription(args, procedure).subscribers.size();
                break;
            case "wamp.registration.list":
                result = ids(realm.procedures());
                break;
            case "wamp.registration.lookup":
                result = lookup(realm.procedures(), args, procedure);
                break;
            case "wamp.registration.match": {
                RegistrationEntry e = realm.route(
                        Uris.checkConcrete(Options.arg(args, 0, procedure), "procedure"));
                result = e == null ? null : e.id;
                break;
            }
            case "wamp.registration.get":
                result = registration(args, procedure).describe();
                break;
            case "wamp.registration.list_callees":
                result = sessionIds(registration(args, procedure).callees);
                break;
            case "wamp.registration.count_callees":
                result = registration(args, procedure).callees.size();
                break;
            case "wamp.session.kill":
            case "wamp.session.kill_by_authid":
            case "wamp.session.kill_by_authrole":
                if (procedure.equals("wamp.session.kill")) {
                    // wamp.session.kill has no result
                    return killOne(caller, requestId, args, kwargs) ? new ArrayList<>() : null;
                }
                result = killMany(caller, procedure, args, kwargs);
                break;
            case "wamp.subscription.remove_subscriber":
                admin(caller, procedure);
                return realm.removeSubscriber(caller, requestId,
                        Options.id(Options.arg(args, 0, procedure), "subscription"),
                        Options.id(Options.arg(args, 1, procedure), "subscriber"),
                        reason(kwargs, null)) ? new ArrayList<>() : null;
            case "wamp.registration.remove_callee":
                admin(caller, procedure);
                return realm.removeCallee(caller, requestId,
                        Options.id(Options.arg(args, 0, procedure), "registration"),
                        Options.id(Options.arg(args, 1, procedure), "callee"),
                        reason(kwargs, null)) ? new ArrayList<>() : null;
            default:
                throw WampError.of("wamp.error.no_such_procedure", procedure
                        + " is not a meta procedure of this router (see docs/router.md)");
        }
        List<Object> out = new ArrayList<>(1);
        out.add(result);
        return out;
    }

    private void admin(Session caller, String procedure) {
        if (!realm.core().adminRoles().contains(caller.authrole())) {
            throw WampError.of("wamp.error.not_authorized", procedure + " is for admins:"
                    + " authrole " + caller.authrole() + " is not one of the router's admin"
                    + " roles " + realm.core().adminRoles() + "; allow it with"
                    + " Router.builder().adminRoles(...)");
        }
    }

    /**
     * {@code wamp.session.kill}; the caller cannot kill itself (WAMP's rule).
     *
     * @return false if the session is on another node and the answer comes later
     */
    private boolean killOne(Session caller, long requestId, List<Object> args,
            Map<String, Object> kwargs) {
        String procedure = "wamp.session.kill";
        admin(caller, procedure);
        long id = Options.id(Options.arg(args, 0, procedure), "session");
        Session s = realm.sessionsById().get(id);
        if (s == null || s == caller) {
            throw WampError.of("wamp.error.no_such_session", "no session " + id
                    + " (a session cannot kill itself: leave instead)");
        }
        return realm.killByAdmin(caller, requestId, s, reason(kwargs, "wamp.close.normal"),
                message(caller, kwargs));
    }

    /**
     * {@code kill_by_authid} and {@code kill_by_authrole}; the caller is never among the
     * killed. Sessions on other nodes are told to their nodes and leave with their next state.
     */
    private Object killMany(Session caller, String procedure, List<Object> args,
            Map<String, Object> kwargs) {
        admin(caller, procedure);
        String reason = reason(kwargs, "wamp.close.normal");
        String message = message(caller, kwargs);
        boolean byId = procedure.equals("wamp.session.kill_by_authid");
        Object want = Options.arg(args, 0, procedure);
        if (!(want instanceof String)) {
            throw WampError.of("wamp.error.invalid_argument", procedure
                    + " needs the " + (byId ? "authid" : "authrole") + " as a string");
        }
        List<Session> victims = new ArrayList<>();
        for (Session s : realm.sessionsById().values()) {
            Object has = byId ? s.details().get("authid") : s.authrole();
            if (s != caller && want.equals(has)) {
                victims.add(s);
            }
        }
        List<Object> killed = new ArrayList<>();
        for (Session s : victims) {
            if (s.local()) {
                realm.kill(s, reason, message);
            } else {
                s.peer().kill(reason, message); // its node kills it; its state says it left
            }
            killed.add(s.id());
        }
        return byId ? killed : killed.size();
    }

    private static String message(Session caller, Map<String, Object> kwargs) {
        Object m = kwargs == null ? null : kwargs.get("message");
        return m == null ? "killed by session " + caller.id() : String.valueOf(m);
    }

    private static String reason(Map<String, Object> kwargs, String fallback) {
        Object r = kwargs == null ? null : kwargs.get("reason");
        if (r == null) {
            return fallback;
        }
        return Uris.checkConcrete(r, "reason");
    }

    private List<Object> sessions(List<Object> args) {
        Object roles = args == null || args.isEmpty() ? null : args.get(0);
        List<Object> out = new ArrayList<>();
        for (Session s : realm.sessionsById().values()) {
            if (roles == null || (roles instanceof Collection<?>
                    && ((Collection<?>) roles).contains(s.authrole()))) {
                out.add(s.id());
            }
        }
        return out;
    }

    private Session session(List<Object> args, String procedure) {
        long id = Options.id(Options.arg(args, 0, procedure), "session");
        Session s = realm.sessionsById().get(id);
        if (s == null) {
            throw WampError.of("wamp.error.no_such_session", "no session " + id);
        }
        return s;
    }

    private SubscriptionEntry subscription(List<Object> args, String procedure) {
        long id = Options.id(Options.arg(args, 0, procedure), "subscription");
        SubscriptionEntry e = realm.subscriptionsById().get(id);
        if (e == null) {
            throw WampError.of("wamp.error.no_such_subscription", "no subscription " + id);
        }
        return e;
    }

    private RegistrationEntry registration(List<Object> args, String procedure) {
        long id = Options.id(Options.arg(args, 0, procedure), "registration");
        RegistrationEntry e = realm.registrationsById().get(id);
        if (e == null) {
            throw WampError.of("wamp.error.no_such_registration", "no registration " + id);
        }
        return e;
    }

    private Object subscriptionMatch(List<Object> args, String procedure) {
        String uri = Uris.checkConcrete(Options.arg(args, 0, procedure), "topic");
        List<Object> ids = new ArrayList<>();
        for (SubscriptionEntry e : realm.matchingSubscriptions(uri)) {
            ids.add(e.id);
        }
        return ids.isEmpty() ? null : ids;
    }

    private static Object lookup(Map<Match, ? extends Map<String, ?>> table, List<Object> args,
            String procedure) {
        Object uri = Options.arg(args, 0, procedure);
        Map<String, Object> options = Options.dict(args.size() > 1 ? args.get(1) : null,
                "options");
        Match match = Match.fromWire(options.get("match"));
        Object e = table.get(match).get(uri);
        if (e instanceof SubscriptionEntry) {
            return ((SubscriptionEntry) e).id;
        }
        return e == null ? null : ((RegistrationEntry) e).id;
    }

    private static Map<String, Object> ids(Map<Match, ? extends Map<String, ?>> table) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Match m : Match.values()) {
            List<Object> ids = new ArrayList<>();
            for (Object e : table.get(m).values()) {
                ids.add(e instanceof SubscriptionEntry ? ((SubscriptionEntry) e).id
                        : ((RegistrationEntry) e).id);
            }
            out.put(m.wireName(), ids);
        }
        return out;
    }

    private static List<Object> sessionIds(Collection<Session> sessions) {
        List<Object> out = new ArrayList<>();
        for (Session s : sessions) {
            out.add(s.id());
        }
        return out;
    }
}
