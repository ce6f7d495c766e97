package dev.ocmirror.orchestrator.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures over the exact bytes of a transfer manifest, kept in a detached file as Base64. Keys are
 * the PEM files {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout} write.
 */
public final class ManifestSignature {

  private static final String ALGORITHM = "Ed25519";

  private ManifestSignature() {
  }

  public static String sign(byte[] manifest, PrivateKey key) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(manifest);
      return Base64.getEncoder().encodeToString(signature.sign()) + "\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Cannot sign with this key (an Ed25519 private key is needed): " + e.getMessage(), e);
    }
  }

  /** True only for a well-formed signature that this public key verifies over exactly these bytes. */
  public static boolean verify(byte[] manifest, String signatureText, PublicKey key) {
    try {
      byte[] raw = Base64.getDecoder().decode(signatureText.trim());
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(key);
      signature.update(manifest);
      return signature.verify(raw);
    } catch (IllegalArgumentException | GeneralSecurityException malformed) {
      return false;
    }
  }

  public static PrivateKey readPrivateKey(Path pem) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(decodePem(pem, "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(pem + " is not an Ed25519 private key in PKCS#8 PEM: " + e.getMessage(), e);
    }
  }

  public static PublicKey readPublicKey(Path pem) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(decodePem(pem, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(pem + " is not an Ed25519 public key in PEM: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a new Ed25519 pair as PEM files (the private one readable by its owner only): the transfer signing keys
   * of the demo and of tests; real sites make theirs with openssl (docs/operations.md).
   */
  public static void writeNewKeyPair(Path privateKey, Path publicKey) {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      Files.writeString(publicKey, encodePem("PUBLIC KEY", pair.getPublic().getEncoded()));
      Files.writeString(privateKey, encodePem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot write a signing key pair to " + privateKey + ": " + e.getMessage(), e);
    }
  }

  /** A key in PEM, e.g. {@code encodePem("PUBLIC KEY", key.getEncoded())}. */
  public static String encodePem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static byte[] decodePem(Path pem, String type) {
    String text;
    try {
      text = Files.readString(pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read key file " + pem + ": " + e.getMessage(), e);
    }
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(pem + " holds no '" + begin + "' block");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(pem + " has a damaged " + type + " block", e);
    }
  }
}
