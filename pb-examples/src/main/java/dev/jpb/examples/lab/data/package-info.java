/**
 * The lab's persistent data: Hibernate entities, the {@link dev.jpb.examples.lab.data.LabStore}
 * that maps them to plain view records at its boundary, and users stored as SCRAM verifiers.
 */
package dev.jpb.examples.lab.data;
