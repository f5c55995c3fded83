/** What every pb-fuzz target checks: buffers, exception types, decoded size. */
package dev.jpb.internal.fuzz;
