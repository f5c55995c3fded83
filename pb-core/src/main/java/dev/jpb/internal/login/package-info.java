/** Login: the SCRAM-SHA-256 exchange, server state machine and client adapter. */
package dev.jpb.internal.login;
