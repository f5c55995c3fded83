/** The lab UI's controller code, pushed to the thin client and run there (not on the server). */
package dev.jpb.examples.lab.ui.pushed;
