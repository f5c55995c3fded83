package dev.jpb.router;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One event a subscription received.
 *
 * @param topic          the topic it was published to (for pattern subscriptions, the concrete
 *                       one)
 * @param args           positional payload (never null)
 * @param kwargs         keyword payload (never null)
 * @param subscriptionId the subscription that matched
 * @param publicationId  the publication's id, the same for every subscriber
 * @param publisher      the publisher's session id when it asked to disclose itself
 */
public record Event(String topic, List<Object> args, Map<String, Object> kwargs,
        long subscriptionId, long publicationId, OptionalLong publisher) {
    /**
     * Returns positional argument {@code i}.
     *
     * @param i the index, from 0
     * @return the argument
     * @throws IndexOutOfBoundsException if there is no argument {@code i}
     */
    public Object arg(int i) {
        return args.get(i);
    }
}
