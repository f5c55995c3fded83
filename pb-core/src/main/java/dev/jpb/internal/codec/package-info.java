/** Values on the wire: Kryo set up with jpb's allow-list, per-connection type names and references. */
package dev.jpb.internal.codec;
