package dev.jpb.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HelloTest {
    @Test
    void writesSixteenBigEndianBytesStartingWithTheMagic() {
        ByteBuf buf = Unpooled.buffer();
        try {
            new Hello(1, 2, 3, 4096).writeTo(buf);

            assertThat(buf.readableBytes()).isEqualTo(Hello.LENGTH);
            byte[] bytes = new byte[Hello.LENGTH];
            buf.getBytes(0, bytes);
            assertThat(bytes).containsExactly(
                    'J', 'P', 'B', '!', 0, 1, 0, 2, 0, 0, 0, 3, 0, 0, 0x10, 0);
        } finally {
            buf.release();
        }
    }

    @Test
    void roundTripsAndConsumesExactlyItsBytes() {
        ByteBuf buf = Unpooled.buffer();
        try {
            Hello sent = new Hello(Hello.MAJOR, 7, 0x55, 16 * 1024 * 1024);
            sent.writeTo(buf);
            buf.writeByte(42); // the first byte of whatever follows the hello

            String[] problem = new String[1];
            Hello read = Hello.read(buf, problem);

            assertThat(read).isEqualTo(sent);
            assertThat(problem[0]).isNull();
            assertThat(buf.readableBytes()).isEqualTo(1);
            assertThat(buf.readByte()).isEqualTo((byte) 42);
        } finally {
            buf.release();
        }
    }

    @Test
    void wrongMagicReportsThePeersFirstBytesPrintably() {
        ByteBuf buf = Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII);
        try {
            String[] problem = new String[1];

            assertThat(Hello.read(buf, problem)).isNull();
            assertThat(problem[0]).contains("not a jpb endpoint").contains("'GET / HT'");
        } finally {
            buf.release();
        }
    }

    @Test
    void wrongMagicShowsUnprintableBytesAsDots() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {
            0x16, 0x03, 0x01, 0x02, 0, 'a', (byte) 0xff, 'b', 'c', 0, 0, 0, 0, 0, 0, 0});
        try {
            String[] problem = new String[1];

            assertThat(Hello.read(buf, problem)).isNull();
            assertThat(problem[0]).contains("'.....a.b'");
        } finally {
            buf.release();
        }
    }

    @Test
    void anotherMajorVersionIsRejectedNamingBothVersions() {
        ByteBuf buf = Unpooled.buffer();
        try {
            new Hello(Hello.MAJOR + 1, 3, 0, 65536).writeTo(buf);
            String[] problem = new String[1];

            assertThat(Hello.read(buf, problem)).isNull();
            assertThat(problem[0]).contains("protocol " + (Hello.MAJOR + 1) + ".3")
                    .contains("this end speaks " + Hello.MAJOR + "." + Hello.MINOR);
        } finally {
            buf.release();
        }
    }

    @Test
    void anotherMinorVersionIsAccepted() {
        ByteBuf buf = Unpooled.buffer();
        try {
            new Hello(Hello.MAJOR, Hello.MINOR + 5, 0, 65536).writeTo(buf);

            assertThat(Hello.read(buf, new String[1])).isNotNull();
        } finally {
            buf.release();
        }
    }

    @Test
    void maxFrameBytesBelow1024IsRejected() {
        for (int max : new int[] {1023, 0, -1, Integer.MIN_VALUE}) {
            ByteBuf buf = Unpooled.buffer();
            try {
                new Hello(Hello.MAJOR, Hello.MINOR, 0, max).writeTo(buf);
                String[] problem = new String[1];

                assertThat(Hello.read(buf, problem)).as("maxFrameBytes %s", max).isNull();
                assertThat(problem[0]).contains("maxFrameBytes " + max);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void maxFrameBytesOf1024IsAccepted() {
        ByteBuf buf = Unpooled.buffer();
        try {
            new Hello(Hello.MAJOR, Hello.MINOR, 0, 1024).writeTo(buf);

            assertThat(Hello.read(buf, new String[1])).extracting(Hello::maxFrameBytes)
                    .isEqualTo(1024);
        } finally {
            buf.release();
        }
    }
}
