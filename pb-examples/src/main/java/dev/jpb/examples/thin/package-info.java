/**
 * Thin clients: a server that pushes a contact form (FXML, CSS, an image) and its controller
 * to {@code pb-thin-client.jar}, either as a server-side controller or as pushed code.
 */
package dev.jpb.examples.thin;
