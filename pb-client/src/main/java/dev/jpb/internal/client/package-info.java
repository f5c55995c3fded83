/** The client side's internals: the reconnecting connection loop. Not API. */
package dev.jpb.internal.client;
