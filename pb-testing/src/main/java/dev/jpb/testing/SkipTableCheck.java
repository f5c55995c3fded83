package dev.jpb.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns off {@link PbServerExtension}'s reference-table check for the annotated test method,
 * or for every test of the annotated class (and of its nested classes). The clients are still
 * closed and the buffer-leak check still runs.
 *
 * <p>Use it for a test that ends with references held on purpose, such as a service that keeps
 * a client's callback until that client disconnects.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface SkipTableCheck {
    /**
     * Says why the check does not apply; for the reader only.
     *
     * @return the reason, empty by default
     */
    String value() default "";
}
