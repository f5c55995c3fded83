package dev.jpb.examples.lab;

import dev.jpb.examples.lab.data.LabStore;

/** The small demo data set an empty lab database starts with. */
public final class DemoData {
    private DemoData() {
    }

    /**
     * Fills {@code store} with four people, two teams and two badges, if it holds no person and
     * no team yet.
     *
     * @return whether anything was added
     */
    public static boolean seedIfEmpty(LabStore store) {
        if (store.personCount() > 0 || !store.teams().isEmpty()) {
            return false;
        }
        TeamView optics = store.createTeam("optics");
        TeamView detectors = store.createTeam("detectors");
        PersonView ada = store.createPerson(PersonView.of("Ada Lovelace", 36,
                AddressView.of("ada@lab.example", true),
                AddressView.of("ada.lovelace@home.example", false)));
        PersonView alan = store.createPerson(PersonView.of("Alan Turing", 41,
                AddressView.of("alan@lab.example", true)));
        PersonView grace = store.createPerson(PersonView.of("Grace Hopper", 45,
                AddressView.of("grace@lab.example", true)));
        PersonView marie = store.createPerson(PersonView.of("Marie Curie", 44,
                AddressView.of("marie@lab.example", true)));
        store.joinTeam(ada.id(), optics.id());
        store.joinTeam(alan.id(), optics.id());
        store.joinTeam(alan.id(), detectors.id());
        store.joinTeam(grace.id(), detectors.id());
        store.joinTeam(marie.id(), detectors.id());
        store.issueBadge(ada.id(), "B-0001");
        store.issueBadge(marie.id(), "B-0002");
        return true;
    }
}
