/** Twisted PB over Banana: Jelly values, the per-connection broker, dispatch. Not API. */
package dev.jpb.internal.twisted;
