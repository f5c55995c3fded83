/** The jpb object model shared by both ends: references, copies, remote calls and errors. */
package dev.jpb;
