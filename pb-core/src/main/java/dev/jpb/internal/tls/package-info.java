/** TLS: PEM files, Netty SSL contexts for server, pinned and CA-trusting clients, detection. */
package dev.jpb.internal.tls;
