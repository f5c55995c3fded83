package dev.jpb.internal.codec;

import java.util.Arrays;

/**
 * The named types one encoding wrote, with the ids one connection gave them: another
 * connection may reuse those bytes as they are if its table gives every one of them the same
 * id already ({@link TypeTable#hasOutboundIds}). Filled on the encoding thread, then read-only.
 */
public final class TypeUse {
    private Class<?>[] types = new Class<?>[4];
    private int[] ids = new int[4];
    private int count;

    void add(Class<?> type, int id) {
        for (int i = 0; i < count; i++) {
            if (types[i] == type) {
                return;
            }
        }
        if (count == types.length) {
            types = Arrays.copyOf(types, count * 2);
            ids = Arrays.copyOf(ids, count * 2);
        }
        types[count] = type;
        ids[count] = id;
        count++;
    }

    int count() {
        return count;
    }

    Class<?> type(int i) {
        return types[i];
    }

    int id(int i) {
        return ids[i];
    }
}
