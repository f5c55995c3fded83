/** Connecting to a jpb server: {@link dev.jpb.client.PbClient}. */
package dev.jpb.client;
