/** Typed proxies behind {@link dev.jpb.RemoteReference#as(Class)}. */
package dev.jpb.internal.proxy;
