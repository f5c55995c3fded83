/**
 * The router example: {@link dev.jpb.examples.router.RouterServer} (WAMP, the HTTP bridge, the
 * monitoring dashboard and the jpb face) and {@link dev.jpb.examples.router.StatsAgent}.
 */
package dev.jpb.examples.router;
