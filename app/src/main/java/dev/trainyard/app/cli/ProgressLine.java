package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress display of a followed job. On a terminal it redraws one line in place; into a
 * pipe or file it writes a new line only when the epoch changes, so logs stay readable.
 */
public final class ProgressLine {
  private static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final boolean interactive;
  private String drawn = "";
  private int shownWidth;
  private String lastWritten = "";

  public ProgressLine(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** Prints a full line, keeping the progress bar below it on a terminal. */
  public void printAbove(String line) {
    clear();
    out.println(line);
    redraw();
  }

  /**
   * Prints a full line on another stream (stderr), clearing the bar first so the two never share a
   * terminal line.
   */
  public void printAbove(PrintStream other, String line) {
    clear();
    other.println(line);
    other.flush();
    redraw();
  }

  public void update(JsonNode job, Double latestLoss) {
    String line = render(job, latestLoss);
    if (interactive) {
      drawn = line;
      redraw();
    } else if (!line.equals(lastWritten) && job.path("current_epoch").asInt() > 0) {
      out.println(line);
    }
    lastWritten = line;
  }

  /** Leaves the bar as the last state on screen and moves below it. */
  public void finish() {
    if (interactive && !drawn.isEmpty()) {
      out.println();
      drawn = "";
      shownWidth = 0;
    }
    out.flush();
  }

  static String render(JsonNode job, Double latestLoss) {
    int epoch = job.path("current_epoch").asInt(0);
    int epochs = job.path("epochs").asInt(0);
    double progress = Math.max(0, Math.min(100, job.path("progress").asDouble(0)));
    int filled = (int) Math.round(progress / 100 * BAR_WIDTH);
    StringBuilder line = new StringBuilder("[");
    line.append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
    line.append(String.format(Locale.ROOT, "epoch %d/%d  %5.1f%%", epoch, epochs, progress));
    if (latestLoss != null) {
      line.append(String.format(Locale.ROOT, "  loss %.4f", latestLoss));
    }
    line.append("  ").append(JobText.text(job.path("status")));
    return line.toString();
  }

  private void clear() {
    if (interactive && shownWidth > 0) {
      out.print("\r" + " ".repeat(shownWidth) + "\r");
      shownWidth = 0;
    }
  }

  private void redraw() {
    if (interactive && !drawn.isEmpty()) {
      // Pad over the end of a longer previous line ("pending" -> "queued").
      out.print("\r" + drawn + " ".repeat(Math.max(0, shownWidth - drawn.length())));
      shownWidth = Math.max(shownWidth, drawn.length());
      out.flush();
    }
  }
}
