/**
 * Thin clients: the server pushes UI definitions (FXML, stylesheets, images) and, optionally,
 * controller code to a generic JavaFX client ({@link dev.jpb.thin.ThinClient}, the runnable
 * {@code pb-thin-client.jar}) and drives it through a {@link dev.jpb.thin.RemoteDisplay}.
 */
package dev.jpb.thin;
