/**
 * Testing jpb services with JUnit 5: {@link dev.jpb.testing.PbServerExtension} runs a real
 * server, hands out clients and checks after each test that reference tables drained and no
 * Netty buffer leaked.
 */
package dev.jpb.testing;
