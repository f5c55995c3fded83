/**
 * The lab's run sheet: three clients watch the same sheet (a synced map); one changes it and
 * all see it; the server walks them through the steps of a procedure with acknowledgements.
 */
package dev.jpb.examples.runsheet;
