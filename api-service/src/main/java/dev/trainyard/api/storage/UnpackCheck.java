package dev.trainyard.api.storage;

import dev.trainyard.api.errors.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The archive unpacks safely, the way the trainer unpacks it (trainyard_trainer/dataset.py,
 * Python's zipfile): entries are what the central directory at the end of the archive says, which
 * is why the upload is spooled first and not read as a stream of local headers (those can disagree
 * with the directory, and only the directory has the unix file type). Each entry must be a regular
 * file or a folder whose name stays inside the dataset, stored or deflated, and inflate to exactly
 * its declared size and CRC-32; the declared sizes must add up to at most the limit. Entries are
 * inflated into a counting sink, never to disk, and reading stops at the first byte past the
 * declared size, so a lying archive costs at most its honest part. The trainer refuses the same
 * shapes; this refuses them before anything is stored.
 */
final class UnpackCheck {
  static final int MAX_ENTRIES = 1_000_000;
  private static final int UNIX_TYPE_MASK = 0170000;
  private static final int UNIX_FILE = 0100000;
  private static final int UNIX_FOLDER = 0040000;
  private static final int UNIX_SYMLINK = 0120000;
  private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;
  private static final int LOCAL_HEADER_LENGTH = 30;
  // jdk.charsets has it; a trimmed runtime may not, and any ASCII-compatible single-byte charset
  // gives the same verdicts (every rule is about ASCII characters).
  private static final Charset CP437 =
      Charset.isSupported("IBM437") ? Charset.forName("IBM437") : StandardCharsets.ISO_8859_1;

  private UnpackCheck() {}

  /**
   * The archive's entries by name, in central directory order; 422 with the entry and reason
   * otherwise.
   */
  static Map<String, ZipArchiveEntry> check(
      ZipFile archive, FileChannel file, long maxUnpackedBytes) throws IOException {
    Map<String, ZipArchiveEntry> byName = new LinkedHashMap<>();
    List<ZipArchiveEntry> entries = new ArrayList<>();
    long declared = 0;
    for (var all = archive.getEntries(); all.hasMoreElements(); ) {
      ZipArchiveEntry entry = all.nextElement();
      entries.add(entry);
      if (entries.size() > MAX_ENTRIES) {
        throw invalid("the archive has more than " + MAX_ENTRIES + " entries");
      }
      String name = name(entry);
      checkName(name);
      checkKind(archive, entry);
      byName.putIfAbsent(name, entry);
      // compared before adding: a zip64 size near Long.MAX_VALUE must not wrap the sum around
      if (entry.getSize() > maxUnpackedBytes - declared) {
        throw invalid("the archive unpacks to more than " + maxUnpackedBytes + " bytes");
      }
      declared += entry.getSize();
    }
    checkPlacement(entries);
    checkLocalHeaders(entries, file);
    byte[] buffer = new byte[64 * 1024];
    for (ZipArchiveEntry entry : entries) {
      checkContent(archive, entry, buffer);
    }
    return byName;
  }

  /**
   * The entry's name decoded as Python's zipfile decodes it (UTF-8 where the archive says so, code
   * page 437 otherwise), not as Commons Compress shows it: that turns a FAT archive's backslashes
   * into slashes, which the trainer does not.
   */
  static String name(ZipArchiveEntry entry) {
    boolean utf8 = entry.getGeneralPurposeBit().usesUTF8ForNames();
    return new String(entry.getRawName(), utf8 ? StandardCharsets.UTF_8 : CP437);
  }

  private static boolean isFolder(ZipArchiveEntry entry) {
    return name(entry).endsWith("/");
  }

  /** Nothing that could land outside the folder the archive is unpacked into. */
  static void checkName(String name) {
    boolean climbs = Arrays.asList(name.split("/", -1)).contains("..");
    if (name.startsWith("/")
        || name.contains("\\")
        || name.contains(":")
        || climbs
        || name.indexOf('\0') >= 0) {
      throw invalid(entry(name) + " points outside the dataset");
    }
  }

  /** A regular file or a folder (a zip made on Windows has no unix type: a file), readable. */
  private static void checkKind(ZipFile archive, ZipArchiveEntry entry) {
    // Python's zipfile reads the unix mode whatever system made the archive; so does this.
    int type = (int) (entry.getExternalAttributes() >>> 16) & UNIX_TYPE_MASK;
    if (type == UNIX_SYMLINK) {
      throw invalid(entry(name(entry)) + " is a symbolic link");
    }
    if (type != 0 && type != UNIX_FILE && type != UNIX_FOLDER) {
      throw invalid(
          entry(name(entry))
              + " is not a regular file or folder (unix file type 0"
              + Integer.toOctalString(type)
              + ")");
    }
    if (entry.getGeneralPurposeBit().usesEncryption()) {
      throw invalid(entry(name(entry)) + " is encrypted");
    }
    if (entry.getMethod() != ZipArchiveEntry.STORED && entry.getMethod() != ZipArchiveEntry.DEFLATED
        || !archive.canReadEntryData(entry)) {
      throw invalid(
          entry(name(entry))
              + " uses compression method "
              + entry.getMethod()
              + "; only stored and deflated entries are accepted");
    }
    if (entry.getSize() < 0 || entry.getCompressedSize() < 0) {
      throw invalid(entry(name(entry)) + " has no size in the central directory");
    }
  }

  /** Each file once, and no entry inside a path that another entry makes a file. */
  private static void checkPlacement(List<ZipArchiveEntry> entries) {
    Set<String> files = new HashSet<>();
    for (ZipArchiveEntry entry : entries) {
      String path = canonical(name(entry));
      if (!isFolder(entry)) {
        if (path.isEmpty()) {
          throw invalid(entry(name(entry)) + " has no file name");
        }
        if (!files.add(path)) {
          throw invalid(entry(name(entry)) + " appears more than once");
        }
      }
    }
    for (ZipArchiveEntry entry : entries) {
      String path = canonical(name(entry));
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        String parent = path.substring(0, slash);
        if (files.contains(parent)) {
          throw invalid(entry(name(entry)) + " is inside '" + parent + "', which is a file");
        }
      }
      if (isFolder(entry) && files.contains(path)) {
        throw invalid(entry(name(entry)) + " is a folder and a file");
      }
    }
  }

  /** The path an unpacker writes to: empty and "." segments dropped ("a//./b" is "a/b"). */
  private static String canonical(String name) {
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  /**
   * Each entry's local header is a local header with the directory's name (Python refuses the
   * archive otherwise), and no entry's data overlaps the next entry (the "overlapping files" zip
   * bomb, which newer Pythons refuse too).
   */
  private static void checkLocalHeaders(List<ZipArchiveEntry> entries, FileChannel file)
      throws IOException {
    List<ZipArchiveEntry> physical = new ArrayList<>(entries);
    physical.sort(Comparator.comparingLong(ZipArchiveEntry::getLocalHeaderOffset));
    ZipArchiveEntry previous = null;
    for (ZipArchiveEntry entry : physical) {
      if (previous != null
          && previous.getDataOffset() + previous.getCompressedSize()
              > entry.getLocalHeaderOffset()) {
        throw invalid(entry(name(entry)) + " overlaps '" + name(previous) + "'");
      }
      byte[] raw = entry.getRawName();
      ByteBuffer header =
          ByteBuffer.allocate(LOCAL_HEADER_LENGTH + raw.length).order(ByteOrder.LITTLE_ENDIAN);
      while (header.hasRemaining()
          && file.read(header, entry.getLocalHeaderOffset() + header.position()) > 0) {}
      int nameLength = Short.toUnsignedInt(header.getShort(26));
      byte[] localName = Arrays.copyOfRange(header.array(), LOCAL_HEADER_LENGTH, header.limit());
      if (header.hasRemaining()
          || header.getInt(0) != LOCAL_HEADER_SIGNATURE
          || nameLength != raw.length
          || !Arrays.equals(localName, raw)) {
        throw invalid(entry(name(entry)) + " has a local header that does not match the directory");
      }
      previous = entry;
    }
  }

  /** Inflates to exactly the declared size and CRC-32. */
  private static void checkContent(ZipFile archive, ZipArchiveEntry entry, byte[] buffer)
      throws IOException {
    long declared = entry.getSize();
    long inflated = 0;
    CRC32 crc = new CRC32();
    try (InputStream in = archive.getInputStream(entry)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        inflated += n;
        if (inflated > declared) {
          throw invalid(
              entry(name(entry)) + " declares " + declared + " bytes but inflates to more");
        }
        crc.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw invalid(entry(name(entry)) + " is corrupt (" + e.getMessage() + ")");
    }
    if (inflated != declared) {
      throw invalid(
          entry(name(entry)) + " declares " + declared + " bytes but inflates to " + inflated);
    }
    if (crc.getValue() != entry.getCrc()) {
      throw invalid(entry(name(entry)) + " fails its CRC-32 check");
    }
  }

  private static String entry(String name) {
    return "archive entry '" + name + "'";
  }

  static ApiException invalid(String reason) {
    return new ApiException(422, "invalid dataset archive: " + reason);
  }
}
