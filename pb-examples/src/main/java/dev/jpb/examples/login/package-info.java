/**
 * Login and perspectives over TLS: a game server whose users log in with SCRAM (players and a
 * referee get different perspectives), a shared board that knows who moved, and minds the
 * server pushes every move to.
 */
package dev.jpb.examples.login;
