/** The jpb wire format: handshake, frames and messages, as docs/protocol.md describes them. */
package dev.jpb.internal.wire;
