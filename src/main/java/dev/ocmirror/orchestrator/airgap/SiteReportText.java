package dev.ocmirror.orchestrator.airgap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ocmirror.orchestrator.transfer.ManifestSignature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A site report as text a person can carry: the report compressed and in Base64, then its Ed25519 signature, in
 * lines of 48 characters, each followed by four hexadecimal digits of its checksum, so that a mistyped line is named
 * rather than failing the signature. The same text is the file on the return media.
 *
 * <pre>
 * -----BEGIN OCMIRROR SITE REPORT-----
 * eJyNkl1vmzAUhv+K5Xsa... 3f2a
 * -----SIGNATURE-----
 * ...
 * -----END OCMIRROR SITE REPORT-----
 * </pre>
 */
public final class SiteReportText {

  static final String BEGIN = "-----BEGIN OCMIRROR SITE REPORT-----";
  static final String SIGNATURE = "-----SIGNATURE-----";
  static final String END = "-----END OCMIRROR SITE REPORT-----";
  private static final int LINE = 48;
  private static final int MAX_REPORT = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SiteReportText() {
  }

  /** A report that could not be read; the message says where. */
  public static final class Unreadable extends RuntimeException {
    Unreadable(String message) {
      super(message);
    }
  }

  /** A report as it was carried: its exact bytes, what they say, and the signature over them. */
  public record Signed(byte[] json, SiteReport report, String signature) {

    public boolean verifiedBy(PublicKey key) {
      return ManifestSignature.verify(json, signature, key);
    }
  }

  public static String write(SiteReport report, PrivateKey key) {
    byte[] json = json(report);
    String signature = ManifestSignature.sign(json, key).trim();
    StringBuilder text = new StringBuilder(BEGIN).append('\n');
    lines(Base64.getEncoder().encodeToString(deflate(json)), text);
    text.append(SIGNATURE).append('\n');
    lines(signature, text);
    return text.append(END).append('\n').toString();
  }

  static byte[] json(SiteReport report) {
    try {
      return JSON.writeValueAsBytes(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the site report", e);
    }
  }

  /** The report in readable JSON, for the return media beside the text. */
  public static byte[] readable(SiteReport report) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the site report", e);
    }
  }

  public static Signed read(String text) {
    if (text == null || text.length() > 4 * MAX_REPORT) {
      throw new Unreadable("No site report was given");
    }
    List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    int begin = lines.indexOf(BEGIN);
    int signature = lines.indexOf(SIGNATURE);
    int end = lines.indexOf(END);
    if (begin < 0 || signature < begin || end < signature) {
      throw new Unreadable("This is not a site report: it needs the lines " + BEGIN + ", " + SIGNATURE + " and " + END);
    }
    String body = joined(lines, begin + 1, signature, begin);
    String signed = joined(lines, signature + 1, end, begin);
    byte[] json;
    try {
      json = inflate(Base64.getDecoder().decode(body));
    } catch (IllegalArgumentException | DataFormatException e) {
      throw new Unreadable("The report's text does not decode; check it against the original line by line");
    }
    try {
      return new Signed(json, JSON.readValue(json, SiteReport.class), signed);
    } catch (IOException e) {
      throw new Unreadable("The report decodes but is not a site report this version reads: " + e.getMessage());
    }
  }

  /** The data of lines [from, to), each checked against its checksum. */
  private static String joined(List<String> lines, int from, int to, int begin) {
    StringBuilder data = new StringBuilder();
    for (int i = from; i < to; i++) {
      String line = lines.get(i);
      int space = line.lastIndexOf(' ');
      String content = space < 0 ? line : line.substring(0, space).replace(" ", "");
      String check = space < 0 ? "" : line.substring(space + 1);
      if (!check.equalsIgnoreCase(checksum(content))) {
        throw new Unreadable("Line " + (i - begin) + " of the report was mistyped (its checksum " + check + " does not match)");
      }
      data.append(content);
    }
    return data.toString();
  }

  private static void lines(String data, StringBuilder text) {
    for (int from = 0; from < data.length(); from += LINE) {
      String line = data.substring(from, Math.min(data.length(), from + LINE));
      text.append(line).append(' ').append(checksum(line)).append('\n');
    }
  }

  private static String checksum(String line) {
    CRC32 crc = new CRC32();
    crc.update(line.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return HexFormat.of().toHexDigits(crc.getValue()).substring(12).toLowerCase(Locale.ROOT);
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static byte[] inflate(byte[] data) throws DataFormatException {
    Inflater inflater = new Inflater();
    inflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!inflater.finished()) {
      int read = inflater.inflate(buffer);
      if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
        throw new DataFormatException("truncated");
      }
      out.write(buffer, 0, read);
      if (out.size() > MAX_REPORT) {
        throw new DataFormatException("too large");
      }
    }
    inflater.end();
    return out.toByteArray();
  }
}
