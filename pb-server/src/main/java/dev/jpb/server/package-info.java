/** Listening for jpb connections: {@link dev.jpb.server.PbServer}. */
package dev.jpb.server;
