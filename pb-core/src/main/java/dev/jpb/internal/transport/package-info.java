/** Netty transports (epoll where available, NIO otherwise) and jpb's thread factories. */
package dev.jpb.internal.transport;
