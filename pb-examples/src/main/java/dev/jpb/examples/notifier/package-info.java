/** A notification service: the server pushes copied events to subscribed clients' callbacks. */
package dev.jpb.examples.notifier;
