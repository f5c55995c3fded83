/** The SLF4J MDC of a connection's work: which connection, which peer. */
package dev.jpb.internal.logging;
