package dev.jpb.benchmarks;

import dev.jpb.Copyable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The W5 object graph: a person with a name, an age and ten addresses. */
final class Graph {
    private Graph() {
    }

    /** An address; copyable by jpb, serializable by java.io. */
    record Address(String street, int number, String city, String zip) implements Copyable,
            Serializable {
    }

    /** A person; copyable by jpb, serializable by java.io. */
    record Person(String name, int age, List<Address> addresses) implements Copyable,
            Serializable {
    }

    /** Returns a new graph; equal graphs every time. */
    static Person person() {
        List<Address> addresses = new ArrayList<>(10);
        for (int i = 0; i < 10; i++) {
            addresses.add(new Address("Rue de la Paix " + i, 10 + i, "Paris", "7500" + i));
        }
        return new Person("Ada Lovelace", 36, addresses);
    }
}
