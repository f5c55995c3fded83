/** The lab's pushed UI: the bundle the server sends to thin clients and the backend it calls. */
package dev.jpb.examples.lab.ui;
