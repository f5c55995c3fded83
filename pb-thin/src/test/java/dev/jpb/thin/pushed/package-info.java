/** Controller code the tests push to a thin client (never instantiated by the tests). */
package dev.jpb.thin.pushed;
