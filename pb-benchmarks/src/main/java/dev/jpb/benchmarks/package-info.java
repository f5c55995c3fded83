/** JMH benchmarks of jpb against hand-written baselines, and the report that compares them. */
package dev.jpb.benchmarks;
