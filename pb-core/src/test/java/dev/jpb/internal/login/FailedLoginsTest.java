package dev.jpb.internal.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FailedLoginsTest {
    @Test
    void theFifthFailureInARowReachesTheDefaultLimit() {
        FailedLogins logins = new FailedLogins(FailedLogins.DEFAULT_MAX_FAILED_LOGINS);

        for (int i = 1; i < 5; i++) {
            assertThat(logins.failed()).as("failure " + i).isFalse();
        }
        assertThat(logins.failed()).isTrue();
        assertThat(logins.inARow()).isEqualTo(5);
    }

    @Test
    void aSuccessStartsTheCountAgain() {
        FailedLogins logins = new FailedLogins(2);
        logins.failed();
        logins.succeeded();

        assertThat(logins.failed()).isFalse();
        assertThat(logins.failed()).isTrue();
    }

    @Test
    void theLimitIsAtLeastOne() {
        assertThatThrownBy(() -> new FailedLogins(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFailedLogins: 0 (expected: >= 1)");
    }
}
