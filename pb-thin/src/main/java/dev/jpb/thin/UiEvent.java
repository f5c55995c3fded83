package dev.jpb.thin;

import dev.jpb.Copyable;
import java.util.Map;

/**
 * What a server-side controller receives when a handler declared in pushed FXML fires: an
 * {@code onAction="#save"} on a button calls the controller's {@code remote_save(UiEvent)}.
 *
 * @param windowId the id of the window the event happened in
 * @param handler the handler's name in the FXML ({@code "save"} for {@code "#save"})
 * @param source the {@code fx:id} of the control that fired, or {@code null} if it has none
 * @param kind the JavaFX event type's name ({@code "ACTION"}, {@code "MOUSE_CLICKED"},
 *     {@code "KEY_PRESSED"}, ...) or {@code "CHANGE"} for an {@code on<Property>Change} handler
 * @param values the current values of the window's input controls that have an
 *     {@code fx:id}, by {@code fx:id}: text fields and areas give their text, check boxes,
 *     radio and toggle buttons {@code Boolean}, sliders {@code Double}, combo and choice
 *     boxes, spinners and date pickers their value, list views their selected item
 */
public record UiEvent(String windowId, String handler, String source, String kind,
        Map<String, Object> values) implements Copyable {
    /**
     * Returns the value of the input control with this {@code fx:id}, or {@code null}.
     *
     * @param fxId the control's {@code fx:id}
     * @return the control's value, or {@code null} if there is none
     */
    public Object value(String fxId) {
        return values == null ? null : values.get(fxId);
    }

    /**
     * Returns the text of the input control with this {@code fx:id}, or {@code ""}.
     *
     * @param fxId the control's {@code fx:id}
     * @return the control's value as text, or {@code ""} if there is none
     */
    public String text(String fxId) {
        Object v = value(fxId);
        return v == null ? "" : v.toString();
    }
}
