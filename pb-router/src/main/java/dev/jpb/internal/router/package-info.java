/** The router's internals: realms and their tables, the jpb face, the WAMP and HTTP faces. */
package dev.jpb.internal.router;
