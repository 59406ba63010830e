package dev.trainyard.bench.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Dataset zips for the upload route: a valid one, and the two that issue 12 found accepted and
 * refused only by the trainer later. Each hostile zip is the valid one plus one lie, so a refusal
 * can only be for that lie. (The dataset engineer's regression tests cover the same two with the
 * issue's exact sizes, 1 KiB declared and 1.1 GiB inflated; here the inflated entry is 8 MiB to
 * keep the suite fast: an entry whose real size differs from the declared one is refused whatever
 * the sizes.)
 */
public final class HostileZips {
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int DATA_DESCRIPTOR = 0x08074b50;

  private HostileZips() {}

  /** data.yaml, images/train/a.jpg, images/val/b.jpg (+ {@code extraName}, if not null). */
  public static byte[] valid(String extraName, byte[] extraContent) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      put(
          zip,
          "data.yaml",
          "train: images/train\nval: images/val\nnames: [cat, dog]\n"
              .getBytes(StandardCharsets.UTF_8));
      put(zip, "images/train/a.jpg", new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2});
      put(zip, "images/val/b.jpg", new byte[] {(byte) 0xff, (byte) 0xd8, 3, 4});
      if (extraName != null) {
        put(zip, extraName, extraContent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A symlink entry images/train/link.jpg → /etc/passwd (Unix mode 0120777 in the central
   * directory).
   */
  public static byte[] symlink() {
    byte[] zip = valid("images/train/link.jpg", "/etc/passwd".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    int header = centralHeader(zip, "images/train/link.jpg");
    buffer.putShort(header + 4, (short) 0x0314); // made by: Unix, zip 2.0
    buffer.putInt(header + 38, 0120777 << 16); // external attributes: symlink, rwxrwxrwx
    return zip;
  }

  /** An entry declaring 1 KiB (central directory and data descriptor) that inflates to 8 MiB. */
  public static byte[] sizeLie() {
    String name = "images/train/big.jpg";
    byte[] zip = valid(name, new byte[8 * 1024 * 1024]);
    ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    int header = centralHeader(zip, name);
    buffer.putInt(header + 24, 1024); // uncompressed size
    int localHeader = buffer.getInt(header + 42);
    int compressed = buffer.getInt(header + 20);
    int nameLength = Short.toUnsignedInt(buffer.getShort(localHeader + 26));
    int extraLength = Short.toUnsignedInt(buffer.getShort(localHeader + 28));
    int descriptor = localHeader + 30 + nameLength + extraLength + compressed;
    if (buffer.getInt(descriptor) != DATA_DESCRIPTOR) {
      throw new IllegalStateException("no data descriptor after " + name);
    }
    buffer.putInt(descriptor + 12, 1024);
    return zip;
  }

  private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content);
    zip.closeEntry();
  }

  private static int centralHeader(byte[] zip, String name) {
    ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at + 46 < zip.length; at++) {
      if (buffer.getInt(at) == CENTRAL_HEADER
          && Short.toUnsignedInt(buffer.getShort(at + 28)) == wanted.length
          && java.util.Arrays.equals(
              zip, at + 46, at + 46 + wanted.length, wanted, 0, wanted.length)) {
        return at;
      }
    }
    throw new IllegalStateException("no central directory entry " + name);
  }
}
