/** PB's first howto in jpb: a root with {@code remote_add} and {@code remote_echo}. */
package dev.jpb.examples.hello;
