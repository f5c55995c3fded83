/**
 * The lab's persistent data: Hibernate entities, the {@link dev.jpb.examples.lab.data.LabStore}
 * that maps them to plain view records at its boundary, and users stored as SCRAM verifiers.
 * The entity classes are package-private: code outside this package cannot even name them, let
 * alone send one over the wire.
 */
package dev.jpb.examples.lab.data;
