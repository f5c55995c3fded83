/** The lab's read-only JSON view over plain HTTP ({@code GET /api/people}), on Netty. */
package dev.jpb.examples.lab.http;
