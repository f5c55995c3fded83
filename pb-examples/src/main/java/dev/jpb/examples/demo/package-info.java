/** The README demo: one process, one server, three clients, every feature in a short story. */
package dev.jpb.examples.demo;
