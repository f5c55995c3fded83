/** The thin client's runtime: the display object, bundle loading, class loaders, URLs. */
package dev.jpb.internal.thin;
