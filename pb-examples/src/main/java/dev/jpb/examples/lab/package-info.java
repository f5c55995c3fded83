/**
 * The lab application: {@link dev.jpb.examples.lab.LabServer}, its jpb root
 * {@link dev.jpb.examples.lab.LabRoot} and the records that cross the wire by copy.
 */
package dev.jpb.examples.lab;
