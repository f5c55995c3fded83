package dev.jpb.internal.thin;

import dev.jpb.thin.UiBundleException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXParseException;

/**
 * Checks a pushed FXML document before JavaFX sees it, and wires a document without
 * {@code fx:controller} to the server: every {@code on<Event>="#name"} becomes
 * {@code "$controller.name"} and the root gets {@link ServerHandlers} as its controller, whose
 * {@code name} entry forwards the event to the server. Checked: well-formed XML (no DTDs, no
 * external entities), every {@code @path} location and every {@code fx:include} source present
 * in the bundle.
 */
final class FxmlRewriter {
    static final String FX_NS = "http://javafx.com/fxml";
    private static final Pattern HANDLER_ATTR = Pattern.compile("on[A-Z][A-Za-z]*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private FxmlRewriter() {
    }

    /**
     * Returns the document to serve for {@code path}: rewritten when it has no
     * {@code fx:controller}, else as it came.
     *
     * @throws UiBundleException if it is malformed or refers to a file the bundle lacks
     */
    static byte[] prepare(String path, byte[] fxml, Set<String> bundlePaths) {
        Document doc = parse(path, fxml);
        Element root = doc.getDocumentElement();
        List<String> missing = new ArrayList<>();
        String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
        checkReferences(root, dir, bundlePaths, missing);
        if (!missing.isEmpty()) {
            throw new UiBundleException(path + " refers to " + String.join(", ", missing)
                    + ", which the bundle does not contain; add "
                    + (missing.size() == 1 ? "it" : "them")
                    + " with UiBundle.builder().resource(...)", missing.get(0));
        }
        if (root.hasAttribute("fx:controller") || root.getTagName().equals("fx:root")) {
            return fxml;
        }
        if (!root.hasAttribute("xmlns:fx")) {
            root.setAttribute("xmlns:fx", FX_NS);
        }
        root.setAttribute("fx:controller", ServerHandlers.class.getName());
        rewriteHandlers(path, root);
        return serialize(path, doc);
    }

    private static Document parse(String path, byte[] fxml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(fxml));
        } catch (SAXParseException e) {
            throw new UiBundleException(path + " is not well-formed FXML: line "
                    + e.getLineNumber() + ", column " + e.getColumnNumber() + ": "
                    + e.getMessage(), path);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        } catch (Exception e) {
            throw new UiBundleException(path + " is not well-formed FXML: " + e.getMessage(),
                    path);
        }
    }

    private static void checkReferences(Element e, String dir, Set<String> paths,
            List<String> missing) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            String v = a.getValue();
            String ref = null;
            if (v.startsWith("@") && !v.startsWith("@@")) {
                ref = v.substring(1);
            } else if (e.getTagName().equals("fx:include") && a.getName().equals("source")) {
                ref = v;
            }
            if (ref != null && !ref.isEmpty()) {
                String resolved = resolve(dir, ref);
                if (!paths.contains(resolved) && !missing.contains(resolved)) {
                    missing.add(resolved);
                }
            }
        }
        for (Element child : children(e)) {
            checkReferences(child, dir, paths, missing);
        }
    }

    /** Resolves {@code ref} against the document's directory the way URLs do. */
    static String resolve(String dir, String ref) {
        String joined = ref.startsWith("/") ? ref.substring(1) : dir + ref;
        List<String> parts = new ArrayList<>();
        for (String p : joined.split("/")) {
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    private static void rewriteHandlers(String path, Element e) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (HANDLER_ATTR.matcher(a.getName()).matches() && a.getValue().startsWith("#")) {
                String name = a.getValue().substring(1);
                if (!IDENTIFIER.matcher(name).matches()) {
                    throw new UiBundleException(path + ": handler " + a.getName() + "=\""
                            + a.getValue() + "\" is not #<identifier>", path);
                }
                a.setValue("$controller." + name);
            }
        }
        for (Element child : children(e)) {
            if (!child.getTagName().equals("fx:include")) {
                rewriteHandlers(path, child);
            }
        }
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }

    private static byte[] serialize(String path, Document doc) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new UiBundleException("cannot rewrite " + path + ": " + e.getMessage(), path);
        }
    }
}
