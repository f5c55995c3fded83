/** Per-connection brokers: reference tables, calls, answers and their threading. */
package dev.jpb.internal.broker;
