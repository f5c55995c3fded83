package dev.jpb.examples.lab.data;

/** What a lab user may do once logged in. */
public enum Role {
    /** May edit the data and drive the procedure. */
    OPERATOR,
    /** May only watch. */
    VIEWER
}
