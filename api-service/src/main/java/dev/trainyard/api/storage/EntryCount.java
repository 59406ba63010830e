package dev.trainyard.api.storage;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts an archive's central directory records before Commons Compress reads them: it makes an
 * object of every record it finds, and a 2 GiB upload of nothing but tiny records is tens of
 * millions of them, enough to exhaust the API's memory. The records are walked from where Commons
 * Compress starts (the offset in the end record, with the directory required to end right at the
 * end record, so no prepended data moves that start) while their signature holds, as it does.
 */
final class EntryCount {
  private static final int END = 0x06054b50;
  private static final int ZIP64_END = 0x06064b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int CENTRAL = 0x02014b50;
  private static final int END_LENGTH = 22;
  private static final int ZIP64_LOCATOR_LENGTH = 20;
  private static final int CENTRAL_LENGTH = 46;

  private EntryCount() {}

  /** 422 past {@code max} records or for a directory that is not where the end record says. */
  static void check(Path zip, int max) throws IOException {
    try (FileChannel file = FileChannel.open(zip, StandardOpenOption.READ)) {
      check(file, max);
    }
  }

  private static void check(FileChannel file, int max) throws IOException {
    long size = file.size();
    int tail = (int) Math.min(size, END_LENGTH + 0xFFFF);
    ByteBuffer window = read(file, size - tail, tail);
    int end = tail - END_LENGTH;
    while (end >= 0 && window.getInt(end) != END) {
      end--;
    }
    if (end < 0) {
      return; // not a zip: Commons Compress refuses it with its own reason
    }
    long endAt = size - tail + end;
    long directorySize = Integer.toUnsignedLong(window.getInt(end + 12));
    long directoryAt = Integer.toUnsignedLong(window.getInt(end + 16));
    if (endAt >= ZIP64_LOCATOR_LENGTH
        && read(file, endAt - ZIP64_LOCATOR_LENGTH, 4).getInt(0) == ZIP64_LOCATOR) {
      endAt = read(file, endAt - ZIP64_LOCATOR_LENGTH + 8, 8).getLong(0);
      ByteBuffer zip64 = read(file, endAt, 56);
      if (zip64.getInt(0) != ZIP64_END) {
        throw UnpackCheck.invalid("the archive's zip64 end record is missing");
      }
      directorySize = zip64.getLong(40);
      directoryAt = zip64.getLong(48);
    }
    if (directoryAt + directorySize != endAt) {
      throw UnpackCheck.invalid(
          "the archive's central directory is not where its end record says"
              + " (data before the first entry is not accepted)");
    }
    try (InputStream in =
        new BufferedInputStream(Channels.newInputStream(file.position(directoryAt)), 64 * 1024)) {
      byte[] header = new byte[CENTRAL_LENGTH];
      ByteBuffer fields = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      for (int count = 0;
          in.readNBytes(header, 0, CENTRAL_LENGTH) == CENTRAL_LENGTH && fields.getInt(0) == CENTRAL;
          count++) {
        if (count == max) {
          throw UnpackCheck.invalid("the archive has more than " + max + " entries");
        }
        long variable =
            Short.toUnsignedInt(fields.getShort(28))
                + Short.toUnsignedInt(fields.getShort(30))
                + Short.toUnsignedInt(fields.getShort(32));
        in.skipNBytes(variable);
      }
    } catch (EOFException e) {
      // a record cut short: Commons Compress refuses the archive with its own reason
    }
  }

  private static ByteBuffer read(FileChannel file, long at, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    if (at < 0) {
      throw UnpackCheck.invalid("the archive's end record points outside the archive");
    }
    while (buffer.hasRemaining() && file.read(buffer, at + buffer.position()) > 0) {}
    if (buffer.hasRemaining()) {
      throw UnpackCheck.invalid("the archive's end record points outside the archive");
    }
    return buffer;
  }
}
