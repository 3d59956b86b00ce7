package dev.agentgateway.core.internal.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM certificates and private keys with the JDK alone (no BouncyCastle on the class path). */
final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** PKCS#8 AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with its NULL parameters. */
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    /** The OID id-ecPublicKey (1.2.840.10045.2.1), encoded. */
    private static final byte[] EC_PUBLIC_KEY = HexFormat.of().parseHex("06072a8648ce3d0201");
    private static final byte[] VERSION_0 = {Der.INTEGER, 1, 0};
    /** Tried in turn: a PKCS#8 structure names its algorithm, but mapping OIDs ourselves would be a longer table. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");

    private Pem() {
    }

    private record Block(String label, String body) {
        byte[] der() {
            return Base64.getMimeDecoder().decode(body);
        }
    }

    private static List<Block> blocks(byte[] text) {
        Matcher matcher = BLOCK.matcher(new String(text, StandardCharsets.US_ASCII));
        List<Block> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), matcher.group(2)));
        }
        return blocks;
    }

    /** The certificates of a PEM file, in file order; at least one. */
    static List<X509Certificate> certificates(byte[] text, Path source) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(text)) {
            if (block.label().equals("CERTIFICATE")) {
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                } catch (CertificateException | IllegalArgumentException e) {
                    throw new CertificateException(source + ": certificate " + (certificates.size() + 1) + " does not parse: "
                            + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateException(source + " holds no PEM certificate (BEGIN CERTIFICATE)");
        }
        return certificates;
    }

    /** The one private key of a PEM file: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted. */
    static PrivateKey privateKey(byte[] text, Path source) throws GeneralSecurityException {
        for (Block block : blocks(text)) {
            if (block.body().contains("Proc-Type:") || block.label().equals("ENCRYPTED PRIVATE KEY")) {
                throw new GeneralSecurityException(source + " holds an encrypted key; decrypt it first (openssl pkey -in key.pem)");
            }
            byte[] pkcs8 = switch (block.label()) {
                case "PRIVATE KEY" -> block.der();
                case "RSA PRIVATE KEY" -> Der.tlv(Der.SEQUENCE, VERSION_0, RSA_ALGORITHM, Der.tlv(Der.OCTET_STRING, block.der()));
                case "EC PRIVATE KEY" -> ecToPkcs8(block.der(), source);
                default -> null;
            };
            if (pkcs8 != null) {
                return parsePkcs8(pkcs8, source);
            }
        }
        throw new GeneralSecurityException(source + " holds no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    /**
     * SEC1 {@code ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters, [1] publicKey }}
     * becomes the privateKey of a PKCS#8 structure whose AlgorithmIdentifier carries the curve from [0].
     */
    private static byte[] ecToPkcs8(byte[] sec1, Path source) throws GeneralSecurityException {
        byte[] curve = null;
        try {
            for (Der.Element element : Der.sequence(sec1)) {
                if (element.tag() == 0xa0) {
                    curve = element.content();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(source + ": malformed EC private key: " + e.getMessage(), e);
        }
        if (curve == null) {
            throw new GeneralSecurityException(source + ": the EC private key does not name its curve; write it as PKCS#8 (openssl pkey)");
        }
        byte[] algorithm = Der.tlv(Der.SEQUENCE, EC_PUBLIC_KEY, curve);
        return Der.tlv(Der.SEQUENCE, VERSION_0, algorithm, Der.tlv(Der.OCTET_STRING, sec1));
    }

    private static PrivateKey parsePkcs8(byte[] pkcs8, Path source) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm; try the next
            }
        }
        throw new GeneralSecurityException(source + ": unreadable private key (not RSA, EC or EdDSA)");
    }
}
