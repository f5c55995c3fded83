package dev.jpb.internal.thin;

import dev.jpb.thin.UiBundleException;
import java.lang.reflect.Method;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.beans.value.WritableBooleanValue;
import javafx.beans.value.WritableNumberValue;
import javafx.beans.value.WritableStringValue;
import javafx.beans.value.WritableValue;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;

/**
 * Reads and writes properties of pushed controls by {@code "fxId.property"}, and collects a
 * form's input values. Runs on the JavaFX Application Thread. Values leaving here are made
 * copyable: strings, booleans, numbers, {@code java.time} values, lists and maps of those;
 * anything else as its {@code toString()}.
 */
final class Controls {
    private Controls() {
    }

    /** Finds the object with this {@code fx:id}: in the document's namespace, then the graph. */
    static Object find(Map<String, Object> namespace, Parent root, String fxId) {
        Object o = namespace.get(fxId);
        if (o != null && !(o instanceof ServerHandlers)) {
            return o;
        }
        return root.lookup("#" + fxId);
    }

    static void set(String windowId, Map<String, Object> namespace, Parent root, String path,
            Object value) {
        Target t = target(windowId, namespace, root, path);
        try {
            if (t.property.equals("items")) {
                setItems(t, value);
                return;
            }
            Object prop = invokeIfPresent(t.object, t.property + "Property");
            if (prop instanceof WritableValue<?> w) {
                write(w, value);
                return;
            }
            Method setter = setter(t.object.getClass(), t.property);
            if (setter == null) {
                throw new UiBundleException(t.describe() + " has no writable property "
                        + t.property, path);
            }
            setter.invoke(t.object, coerce(value, setter.getParameterTypes()[0]));
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new UiBundleException("cannot set " + t.describe() + "." + t.property + " to "
                    + value + ": " + e.getMessage(), path);
        } catch (ReflectiveOperationException e) {
            throw new UiBundleException("cannot set " + path + ": " + rootMessage(e), path);
        }
    }

    static Object get(String windowId, Map<String, Object> namespace, Parent root, String path) {
        Target t = target(windowId, namespace, root, path);
        try {
            Object prop = invokeIfPresent(t.object, t.property + "Property");
            if (prop instanceof ObservableValue<?> v) {
                return copyable(v.getValue());
            }
            String cap = capitalize(t.property);
            Object getter = invokeIfPresent(t.object, "get" + cap);
            if (getter == null) {
                getter = invokeIfPresent(t.object, "is" + cap);
            }
            if (getter == null && !hasMethod(t.object, "get" + cap) && !hasMethod(t.object,
                    "is" + cap)) {
                throw new UiBundleException(t.describe() + " has no property " + t.property,
                        path);
            }
            return copyable(getter);
        } catch (ReflectiveOperationException e) {
            throw new UiBundleException("cannot read " + path + ": " + rootMessage(e), path);
        }
    }

    /** The values of the input controls with an id under {@code root}, by id. */
    static Map<String, Object> values(Parent root) {
        Map<String, Object> out = new LinkedHashMap<>();
        collect(root, out);
        return out;
    }

    private static void collect(Node n, Map<String, Object> out) {
        String id = n.getId();
        if (id != null && !out.containsKey(id)) {
            Object v = inputValue(n);
            if (v != NO_VALUE) {
                out.put(id, copyable(v));
            }
        }
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                collect(child, out);
            }
        }
    }

    private static final Object NO_VALUE = new Object();

    private static Object inputValue(Node n) {
        if (n instanceof TextInputControl t) {
            return t.getText();
        } else if (n instanceof CheckBox c) {
            return c.isSelected();
        } else if (n instanceof ToggleButton t) {
            return t.isSelected();
        } else if (n instanceof ComboBoxBase<?> c) {
            return c.getValue();
        } else if (n instanceof ChoiceBox<?> c) {
            return c.getValue();
        } else if (n instanceof Slider s) {
            return s.getValue();
        } else if (n instanceof Spinner<?> s) {
            return s.getValue();
        } else if (n instanceof ListView<?> l) {
            return l.getSelectionModel().getSelectedItem();
        }
        return NO_VALUE; // buttons, labels, panes: not inputs
    }

    /** The {@code fx:id} (JavaFX id) of an event source, or {@code null}. */
    static String idOf(Object source) {
        if (source == null) {
            return null;
        }
        if (source instanceof Node n) {
            return n.getId();
        }
        try {
            Object id = invokeIfPresent(source, "getId");
            return id instanceof String s ? s : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static void setItems(Target t, Object value) throws ReflectiveOperationException {
        if (!(value instanceof List<?> list)) {
            throw new UiBundleException(t.describe() + ".items takes a List, not " + value,
                    t.path);
        }
        itemsOf(t).setAll(list);
    }

    /**
     * Returns the items of the list, combo box, choice box or table at {@code "fxId.items"},
     * a table's columns without a cell value factory showing its rows' ({@code Map}s') entry
     * named by the column's {@code fx:id} (or text).
     *
     * @throws UiBundleException if there is no such control, or it has no items
     */
    static ObservableList<Object> items(String windowId, Map<String, Object> namespace,
            Parent root, String path) {
        Target t = target(windowId, namespace, root, path);
        if (!t.property.equals("items")) {
            throw new UiBundleException(path + ": a list or map binds to the items of a list,"
                    + " combo box, choice box or table (fxId.items), not to " + t.property
                    + "; bind a map's entry to a property with bind(path, map, key)", path);
        }
        try {
            return itemsOf(t);
        } catch (ReflectiveOperationException e) {
            throw new UiBundleException("cannot read " + path + ": " + rootMessage(e), path);
        }
    }

    /**
     * Checks that {@code "fxId.property"} names a writable property of a control.
     *
     * @throws UiBundleException if it does not
     */
    static void checkWritable(String windowId, Map<String, Object> namespace, Parent root,
            String path) {
        Target t = target(windowId, namespace, root, path);
        try {
            if (t.property.equals("items") && invokeIfPresent(t.object, "getItems")
                    instanceof ObservableList<?>) {
                return;
            }
            if (invokeIfPresent(t.object, t.property + "Property") instanceof WritableValue<?>
                    || setter(t.object.getClass(), t.property) != null) {
                return;
            }
        } catch (ReflectiveOperationException e) {
            throw new UiBundleException("cannot read " + path + ": " + rootMessage(e), path);
        }
        throw new UiBundleException(t.describe() + " has no writable property " + t.property,
                path);
    }

    @SuppressWarnings("unchecked")
    private static ObservableList<Object> itemsOf(Target t) throws ReflectiveOperationException {
        Object items = invokeIfPresent(t.object, "getItems");
        if (!(items instanceof ObservableList<?>)) {
            throw new UiBundleException(t.describe() + " has no items", t.path);
        }
        if (t.object instanceof TableView<?> table) {
            for (TableColumn<?, ?> c : table.getColumns()) {
                if (c.getCellValueFactory() == null) {
                    String key = c.getId() != null ? c.getId() : c.getText();
                    ((TableColumn<Object, Object>) c).setCellValueFactory(cd ->
                            new ReadOnlyObjectWrapper<>(cd.getValue() instanceof Map<?, ?> m
                                    ? m.get(key) : null));
                }
            }
        }
        return (ObservableList<Object>) items;
    }

    @SuppressWarnings("unchecked")
    private static void write(WritableValue<?> w, Object value) {
        if (w instanceof WritableStringValue s) {
            s.set(value == null ? null : value.toString());
        } else if (w instanceof WritableBooleanValue b) {
            b.set(value instanceof String s ? Boolean.parseBoolean(s) : (Boolean) value);
        } else if (w instanceof WritableNumberValue n) {
            n.setValue(value instanceof String s ? Double.valueOf(s) : (Number) value);
        } else {
            ((WritableValue<Object>) w).setValue(value);
        }
    }

    private static Object coerce(Object value, Class<?> type) {
        if (value == null || type.isInstance(value)) {
            return value;
        }
        if (type == String.class) {
            return value.toString();
        }
        if ((type == boolean.class || type == Boolean.class) && value instanceof String s) {
            return Boolean.parseBoolean(s);
        }
        if (value instanceof Number n) {
            if (type == double.class || type == Double.class) {
                return n.doubleValue();
            } else if (type == int.class || type == Integer.class) {
                return n.intValue();
            } else if (type == long.class || type == Long.class) {
                return n.longValue();
            } else if (type == float.class || type == Float.class) {
                return n.floatValue();
            }
        }
        return value;
    }

    /** Makes a value fit to cross the wire. */
    static Object copyable(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number
                || v instanceof TemporalAccessor && v.getClass().getName().startsWith("java.")) {
            return v;
        } else if (v instanceof Character || v instanceof Enum<?>) {
            return v.toString();
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(e -> out.add(copyable(e)));
            return out;
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, e) -> out.put(String.valueOf(k), copyable(e)));
            return out;
        }
        return v.toString();
    }

    private record Target(String windowId, String path, Object object, String property) {
        String describe() {
            String id = path.substring(0, path.indexOf('.'));
            return "'" + id + "' (" + object.getClass().getSimpleName() + ")";
        }
    }

    private static Target target(String windowId, Map<String, Object> namespace, Parent root,
            String path) {
        int dot = path.indexOf('.');
        if (dot <= 0 || dot == path.length() - 1) {
            throw new UiBundleException("property path " + path
                    + " is not of the form fxId.property (e.g. name.text)", path);
        }
        String id = path.substring(0, dot);
        Object o = find(namespace, root, id);
        if (o == null) {
            throw new UiBundleException("window " + windowId + " has no control with fx:id "
                    + id, path);
        }
        return new Target(windowId, path, o, path.substring(dot + 1));
    }

    private static Object invokeIfPresent(Object o, String method)
            throws ReflectiveOperationException {
        Method m;
        try {
            m = o.getClass().getMethod(method);
        } catch (NoSuchMethodException e) {
            return null;
        }
        return m.invoke(o);
    }

    private static boolean hasMethod(Object o, String method) {
        try {
            o.getClass().getMethod(method);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static Method setter(Class<?> type, String property) {
        String name = "set" + capitalize(property);
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1) {
                return m;
            }
        }
        return null;
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
