package dev.trainyard.api.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Dataset zips, honest and hostile, built in code. java.util.zip writes only honest archives, so
 * the hostile ones are honest ones whose central directory records (the ones every unzip, Python's
 * zipfile included, trusts) are patched afterwards: a unix mode marking a symlink, a declared size
 * or CRC that the data does not have. The trainer's pytest builds the same cases
 * (trainer-ultralytics/tests/test_dataset.py).
 */
public final class HostileZips {
  private static final int CENTRAL_SIGNATURE = 0x02014b50;
  private static final int END_SIGNATURE = 0x06054b50;
  private static final int UNIX_HOST = 3;

  private HostileZips() {}

  /** The smallest dataset the API accepts: data.yaml, one train and one val image. */
  public static Map<String, byte[]> validDataset() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("data.yaml", bytes("train: images/train\nval: images/val\nnames: [shape]\n"));
    entries.put("images/train/a.jpg", bytes("not really a jpeg"));
    entries.put("images/val/b.jpg", bytes("not really a jpeg either"));
    return entries;
  }

  /** The valid dataset plus {@code extra} entries. */
  public static byte[] datasetWith(Map<String, byte[]> extra) {
    Map<String, byte[]> entries = validDataset();
    entries.putAll(extra);
    return zip(entries);
  }

  public static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue());
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** {@code size} zero bytes, deflated as they are written (never all in memory). */
  public static byte[] zipOfZeros(Map<String, Long> sizes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] zeros = new byte[1024 * 1024];
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : validDataset().entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue());
      }
      for (Map.Entry<String, Long> entry : sizes.entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        for (long left = entry.getValue(); left > 0; left -= zeros.length) {
          out.write(zeros, 0, (int) Math.min(left, zeros.length));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Marks the entry, in the central directory, as made on unix with this file type and mode. */
  public static byte[] withUnixMode(byte[] zip, String name, int mode) {
    ByteBuffer record = centralRecord(zip, name);
    record.putShort(4, (short) (UNIX_HOST << 8 | 20));
    record.putInt(38, mode << 16);
    return zip;
  }

  /** Declares {@code size} as the entry's inflated size in the central directory. */
  public static byte[] withDeclaredSize(byte[] zip, String name, long size) {
    centralRecord(zip, name).putInt(24, (int) size);
    return zip;
  }

  /** Declares a CRC-32 the entry's data does not have. */
  public static byte[] withWrongCrc(byte[] zip, String name) {
    ByteBuffer record = centralRecord(zip, name);
    record.putInt(16, ~record.getInt(16));
    return zip;
  }

  /** Gives the entry's local header another name (of the same length) than the directory's. */
  public static byte[] withLocalName(byte[] zip, String name, String localName) {
    byte[] replacement = bytes(localName);
    int header = centralRecord(zip, name).getInt(42);
    System.arraycopy(replacement, 0, zip, header + 30, replacement.length);
    return zip;
  }

  /** Points the entry's directory record at {@code other}'s data (the overlapping-files bomb). */
  public static byte[] pointingAt(byte[] zip, String name, String other) {
    ByteBuffer target = centralRecord(zip, other);
    ByteBuffer record = centralRecord(zip, name);
    for (int field : new int[] {16, 20, 24, 42}) { // CRC, both sizes, local header offset
      record.putInt(field, target.getInt(field));
    }
    return zip;
  }

  /** A view on the entry's central directory record, little-endian as zip is. */
  private static ByteBuffer centralRecord(byte[] zip, String name) {
    ByteBuffer all = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    int end = zip.length - 22; // java.util.zip writes no archive comment
    if (all.getInt(end) != END_SIGNATURE) {
      throw new IllegalArgumentException("no end of central directory record");
    }
    int at = all.getInt(end + 16);
    byte[] wanted = bytes(name);
    while (all.getInt(at) == CENTRAL_SIGNATURE) {
      int nameLength = Short.toUnsignedInt(all.getShort(at + 28));
      int extraLength = Short.toUnsignedInt(all.getShort(at + 30));
      int commentLength = Short.toUnsignedInt(all.getShort(at + 32));
      if (java.util.Arrays.equals(zip, at + 46, at + 46 + nameLength, wanted, 0, wanted.length)) {
        return all.slice(at, 46 + nameLength).order(ByteOrder.LITTLE_ENDIAN);
      }
      at += 46 + nameLength + extraLength + commentLength;
    }
    throw new IllegalArgumentException("no entry '" + name + "' in the central directory");
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
