/** Talking to Twisted PB: a Java client of a Python chat server, a Python client of jpb. */
package dev.jpb.examples.twisted;
