/**
 * The hello calculator over TLS: a server that keeps a self-signed identity in two files and
 * prints its fingerprint, and a client that pins that fingerprint.
 */
package dev.jpb.examples.tls;
