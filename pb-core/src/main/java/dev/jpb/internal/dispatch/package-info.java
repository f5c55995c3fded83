/** Resolution and invocation of the prefixed ({@code remote_}, ...) methods a call names. */
package dev.jpb.internal.dispatch;
