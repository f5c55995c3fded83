package dev.jpb.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns off {@link PbServerExtension}'s Netty buffer-leak check for the annotated test method,
 * or for every test of the annotated class (and of its nested classes). Leaks found after such
 * a test are dropped, so that they are not blamed on the next test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AllowBufferLeaks {
    /**
     * Says why leaks are expected; for the reader only.
     *
     * @return the reason, empty by default
     */
    String value() default "";
}
