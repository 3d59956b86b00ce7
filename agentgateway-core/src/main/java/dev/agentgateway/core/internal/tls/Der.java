package dev.agentgateway.core.internal.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The few DER operations PEM keys need: the JDK's {@code KeyFactory} reads only PKCS#8, so PKCS#1 and
 * SEC1 keys are wrapped into a PKCS#8 structure by hand, and a SEC1 key's curve is read from it. Only
 * single-byte tags and definite lengths, which is all DER has for these structures. Public for the
 * tests, which take keys apart with it; not API.
 */
public final class Der {
    public static final int INTEGER = 0x02;
    public static final int OCTET_STRING = 0x04;
    public static final int SEQUENCE = 0x30;

    private Der() {
    }

    /** One element of a structure: its tag and its content octets. */
    public record Element(int tag, byte[] content) {
    }

    /** The children of the SEQUENCE {@code der} holds. */
    public static List<Element> sequence(byte[] der) {
        List<Element> outer = elements(der, 0, der.length);
        if (outer.size() != 1 || outer.getFirst().tag() != SEQUENCE) {
            throw new IllegalArgumentException("not a DER SEQUENCE");
        }
        byte[] content = outer.getFirst().content();
        return elements(content, 0, content.length);
    }

    private static List<Element> elements(byte[] der, int from, int to) {
        List<Element> elements = new ArrayList<>();
        int at = from;
        while (at < to) {
            int tag = der[at++] & 0xff;
            if (at >= to) {
                throw new IllegalArgumentException("truncated DER");
            }
            int length = der[at++] & 0xff;
            if (length > 0x80) {
                int octets = length & 0x7f;
                if (octets > 3 || at + octets > to) {
                    throw new IllegalArgumentException("bad DER length");
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (der[at++] & 0xff);
                }
            } else if (length == 0x80) {
                throw new IllegalArgumentException("indefinite DER length");
            }
            if (at + length > to) {
                throw new IllegalArgumentException("truncated DER");
            }
            byte[] content = new byte[length];
            System.arraycopy(der, at, content, 0, length);
            elements.add(new Element(tag, content));
            at += length;
        }
        return elements;
    }

    /** Encodes tag, length and the concatenated {@code parts}. */
    public static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        int length = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
