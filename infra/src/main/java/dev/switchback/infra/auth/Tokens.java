package dev.switchback.infra.auth;

import dev.switchback.events.EventCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A local token issuer for {@code ./suite} and the tests: an RSA key pair kept in a directory (private.pem,
 * public.pem) and RS256 JWTs signed with it, with the issuer and audience the services expect by default.
 */
public final class Tokens {

    public static final String ISSUER = "switchback";
    public static final String AUDIENCE = "switchback";
    public static final String PUBLIC_KEY = "public.pem";
    private static final String PRIVATE_KEY = "private.pem";

    private final Path directory;
    private final PrivateKey privateKey;

    private Tokens(Path directory, PrivateKey privateKey) {
        this.directory = directory;
        this.privateKey = privateKey;
    }

    /** The issuer whose keys are in the directory; makes them (private key readable by its owner only) when missing. */
    public static Tokens in(Path directory) {
        try {
            Path privatePem = directory.resolve(PRIVATE_KEY);
            if (!Files.exists(privatePem)) {
                generate(directory);
            }
            byte[] der = Base64.getMimeDecoder().decode(Files.readString(privatePem)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").strip());
            return new Tokens(directory, KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The issuer of a module's tests, whatever class loader asks: its keys live in the module's target directory, where
     * the services' test profile looks for the public key.
     */
    public static Tokens forTests() {
        return in(Path.of("target", "switchback-test-keys").toAbsolutePath());
    }

    /** Where the services read the public key (mp.jwt.verify.publickey.location). */
    public Path publicKey() {
        return directory.resolve(PUBLIC_KEY);
    }

    /** The public key as a JSON Web Key Set (RFC 7517), written next to the PEM: what an OIDC issuer publishes. */
    public Path jwks() {
        try {
            java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(Base64.getMimeDecoder().decode(
                            Files.readString(publicKey()).replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").strip())));
            Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "RSA");
            jwk.put("use", "sig");
            jwk.put("alg", "RS256");
            jwk.put("n", base64.encodeToString(unsigned(key.getModulus())));
            jwk.put("e", base64.encodeToString(unsigned(key.getPublicExponent())));
            Path jwks = directory.resolve("jwks.json");
            Files.writeString(jwks, EventCodec.toJson(Map.of("keys", List.of(jwk))));
            return jwks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWK's big integers are unsigned big-endian: no leading zero byte for the sign. */
    private static byte[] unsigned(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** A token for a subject with roles, valid for an hour, for every environment. */
    public String token(String subject, String... roles) {
        return token(subject, List.of(roles), null, Duration.ofHours(1));
    }

    /** A token for a subject with roles, limited to environments when they are given, valid for {@code ttl}. */
    public String token(String subject, Collection<String> roles, Collection<String> environments, Duration ttl) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", subject);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("groups", List.copyOf(roles));
        if (environments != null) {
            claims.put("environments", List.copyOf(environments));
        }
        return sign(claims);
    }

    /** Signs any claims (RS256) with this issuer's key: tests use it for expired or foreign tokens too. */
    public String sign(Map<String, Object> claims) {
        return sign(privateKey, claims);
    }

    /** Signs claims with any RSA key. */
    public static String sign(PrivateKey key, Map<String, Object> claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = base64.encodeToString(EventCodec.toJson(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + base64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair no service trusts. */
    public static KeyPair foreignKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void generate(Path directory) throws IOException {
        KeyPair keys = foreignKeys();
        if (Files.isDirectory(directory)) {
            write(directory, PUBLIC_KEY, pem("PUBLIC KEY", keys.getPublic().getEncoded()), false);
            write(directory, PRIVATE_KEY, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), true);
            return;
        }
        // Made aside and moved in whole, so two makers at once (two class loaders of one test JVM) agree on one pair.
        Files.createDirectories(directory.getParent());
        Path aside = Files.createTempDirectory(directory.getParent(), directory.getFileName() + ".");
        write(aside, PUBLIC_KEY, pem("PUBLIC KEY", keys.getPublic().getEncoded()), false);
        write(aside, PRIVATE_KEY, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), true);
        try {
            Files.move(aside, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException lost) {
            for (String name : List.of(PUBLIC_KEY, PRIVATE_KEY)) {
                Files.deleteIfExists(aside.resolve(name));
            }
            Files.deleteIfExists(aside);
            if (!Files.exists(directory.resolve(PRIVATE_KEY))) {
                throw lost;
            }
        }
    }

    private static void write(Path directory, String name, String content, boolean secret) throws IOException {
        Path temp = Files.createTempFile(directory, name, ".tmp");
        if (secret) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(temp, content);
        Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
