/** Twisted's Banana s-expression framing: the token codec and its Netty decoder. Not API. */
package dev.jpb.internal.twisted.banana;
