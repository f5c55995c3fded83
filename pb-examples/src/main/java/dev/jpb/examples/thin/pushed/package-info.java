/** Code the thin-client example pushes: it runs on the client, never on the server. */
package dev.jpb.examples.thin.pushed;
