/** What jpb counts and times about its connections; Micrometer only when asked for. */
package dev.jpb.internal.metrics;
