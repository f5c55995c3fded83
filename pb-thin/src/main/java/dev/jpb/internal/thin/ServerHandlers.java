package dev.jpb.internal.thin;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.ReadOnlyProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.event.Event;
import javafx.event.EventHandler;

/**
 * The controller of a pushed document without {@code fx:controller}: FXML's
 * {@code "$controller.save"} looks up {@code "save"} here and gets a handler that forwards the
 * event to the server-side controller's {@code remote_save(UiEvent)}. Public only because
 * FXMLLoader names it in the rewritten document; not API.
 */
public final class ServerHandlers extends AbstractMap<String, Object> {
    /** Where fired handlers go: the window, which adds the form's values and calls the server. */
    interface Sink {
        void fire(String handler, Object source, String kind);
    }

    private final Sink sink;

    ServerHandlers(Sink sink) {
        this.sink = sink;
    }

    @Override
    public Object get(Object key) {
        return new Handler(sink, String.valueOf(key));
    }

    @Override
    public boolean containsKey(Object key) {
        return true;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return Set.of();
    }

    /** One named handler; an event handler and, for {@code on<Property>Change}, a listener. */
    static final class Handler implements EventHandler<Event>, ChangeListener<Object> {
        private final Sink sink;
        private final String name;

        Handler(Sink sink, String name) {
            this.sink = sink;
            this.name = name;
        }

        @Override
        public void handle(Event event) {
            sink.fire(name, event.getSource(), event.getEventType().getName());
        }

        @Override
        public void changed(ObservableValue<?> observable, Object oldValue, Object newValue) {
            Object bean = observable instanceof ReadOnlyProperty<?> p ? p.getBean() : null;
            sink.fire(name, bean, "CHANGE");
        }
    }
}
