/**
 * Twisted Perspective Broker's own wire (Banana framing, Jelly values): jpb objects served
 * to, and calling, unmodified Twisted PB peers. See docs/twisted-wire.md.
 */
package dev.jpb.twisted;
