/** A chat room in the style of PB's howto: clients hand the server a callback to be told. */
package dev.jpb.examples.chat;
