package io.github.resilientcache.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost, made
 * with the JDK's keytool in a directory of the test, as PEM files for redis-server and a PKCS12
 * trust store for the client.
 */
public final class TestCertificates {

    private static final String PASSWORD = "changeit";

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /**
     * Creates the CA and the server certificate.
     * @param directory where the files go
     * @return the certificates
     */
    public static TestCertificates create(Path directory) {
        TestCertificates certificates = new TestCertificates(directory);
        certificates.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=resilient-cache test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        certificates.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-rfc", "-file", "ca.pem");
        certificates.keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-keystore", "server.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        certificates.keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", PASSWORD, "-file", "server.csr");
        certificates.keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-infile", "server.csr", "-outfile",
                "server.pem", "-rfc", "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth");
        certificates.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12", "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        certificates.writeServerKey();
        return certificates;
    }

    public Path caPem() {
        return directory.resolve("ca.pem");
    }

    public Path serverCertificatePem() {
        return directory.resolve("server.pem");
    }

    public Path serverKeyPem() {
        return directory.resolve("server-key.pem");
    }

    /** A PKCS12 trust store holding the CA only, password {@link #trustStorePassword()}. */
    public Path trustStore() {
        return directory.resolve("truststore.p12");
    }

    public String trustStorePassword() {
        return PASSWORD;
    }

    /** The server's private key as PKCS#8 PEM, which keytool cannot export but redis-server needs. */
    private void writeServerKey() {
        try (InputStream in = Files.newInputStream(directory.resolve("server.p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey("server", PASSWORD.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(serverKeyPem(), pem);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot read the test server key", ex);
        }
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

}
