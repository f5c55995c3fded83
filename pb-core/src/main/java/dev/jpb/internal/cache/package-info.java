/** Cacheables on the wire: observed copies, their state frames, updates and releases. */
package dev.jpb.internal.cache;
