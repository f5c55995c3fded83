/**
 * Ready-made cacheables: a map and a list whose changes reach every observing copy, and a step
 * barrier that walks every observing client through the steps of a procedure.
 */
package dev.jpb.cache;
