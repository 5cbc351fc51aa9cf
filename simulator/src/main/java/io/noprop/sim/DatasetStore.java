package io.noprop.sim;

import io.noprop.protocol.chip.ChipException;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.FeatureEncoding;
import java.util.Arrays;
import java.util.BitSet;

/** The chip's dataset memory: slots of rows uploaded once, then named by index range or seed. */
final class DatasetStore {
  static final int SLOTS = 4;
  private static final float[] U8 = new float[256];

  static {
    for (int i = 0; i < 256; i++) U8[i] = i / 255f;
  }

  private final int features;
  private final int outputs;
  private final long capacity;
  private final Slot[] slots = new Slot[SLOTS];

  static final class Slot {
    final DatasetHeader header;
    final byte[] data;
    final BitSet written;

    Slot(DatasetHeader header) {
      this.header = header;
      this.data = new byte[(int) header.totalBytes()];
      this.written = new BitSet(header.rows());
    }
  }

  DatasetStore(int features, int outputs, long capacity) {
    this.features = features;
    this.outputs = outputs;
    this.capacity = capacity;
  }

  void define(DatasetHeader h) {
    checkSlot(h.slot());
    if (h.features() != features) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "dataset has " + h.features() + " features but the network takes " + features + " inputs");
    }
    if (h.classes() > outputs) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "dataset has " + h.classes() + " classes but the network has " + outputs + " outputs");
    }
    long used = 0;
    for (int i = 0; i < SLOTS; i++) if (i != h.slot() && slots[i] != null) used += slots[i].header.totalBytes();
    if (used + h.totalBytes() > capacity || h.totalBytes() > Integer.MAX_VALUE - 8) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "dataset of " + h.totalBytes() + " bytes does not fit: " + (capacity - used) + " bytes free");
    }
    slots[h.slot()] = null; // release before allocating the replacement
    slots[h.slot()] = new Slot(h);
  }

  void write(DataRows r) {
    Slot s = slot(r.slot());
    DatasetHeader h = s.header;
    int rowBytes = h.rowBytes();
    if (r.rows().length != (long) r.rowCount() * rowBytes) {
      throw new ChipException(ErrorCode.MALFORMED_PAYLOAD, "DATA_WRITE of " + r.rowCount() + " rows needs " + (long) r.rowCount() * rowBytes + " bytes, got " + r.rows().length);
    }
    if (r.firstRow() < 0 || (long) r.firstRow() + r.rowCount() > h.rows()) {
      throw new ChipException(ErrorCode.OUT_OF_RANGE, "rows [" + r.firstRow() + ", " + ((long) r.firstRow() + r.rowCount()) + ") outside slot " + r.slot() + " of " + h.rows() + " rows");
    }
    for (int i = 0; i < r.rowCount(); i++) {
      int label = r.rows()[i * rowBytes + rowBytes - 1] & 0xFF;
      if (label >= h.classes()) {
        throw new ChipException(ErrorCode.OUT_OF_RANGE, "row " + (r.firstRow() + i) + " has label " + label + " but the dataset has " + h.classes() + " classes");
      }
    }
    System.arraycopy(r.rows(), 0, s.data, r.firstRow() * rowBytes, r.rows().length);
    s.written.set(r.firstRow(), r.firstRow() + r.rowCount());
  }

  /** A slot that is fully written, or a ChipException saying what is missing. */
  Slot ready(int slot) {
    Slot s = slot(slot);
    int have = s.written.cardinality();
    if (have != s.header.rows()) {
      throw new ChipException(ErrorCode.NO_DATASET, "slot " + slot + " has " + have + " of " + s.header.rows() + " rows uploaded");
    }
    return s;
  }

  private Slot slot(int slot) {
    checkSlot(slot);
    Slot s = slots[slot];
    if (s == null) throw new ChipException(ErrorCode.NO_DATASET, "no dataset in slot " + slot + "; send DATA_DEFINE first");
    return s;
  }

  private static void checkSlot(int slot) {
    if (slot < 0 || slot >= SLOTS) throw new ChipException(ErrorCode.OUT_OF_RANGE, "slot " + slot + " does not exist; this chip has slots 0.." + (SLOTS - 1));
  }

  /** Decodes the features of {@code row} into {@code x} from {@code at}; returns its label. */
  static int decodeRow(Slot s, int row, float[] x, int at) {
    return decodeRow(s, row, x, at, false);
  }

  /** As {@link #decodeRow(Slot, int, float[], int)}; {@code simd}: with {@link VectorKernel} (bit-identical). */
  static int decodeRow(Slot s, int row, float[] x, int at, boolean simd) {
    DatasetHeader h = s.header;
    int rowBytes = h.rowBytes();
    int base = row * rowBytes;
    byte[] d = s.data;
    int n = h.features();
    if (h.encoding() == FeatureEncoding.U8 && simd) {
      VectorKernel.u8(d, base, n, x, at);
    } else if (h.encoding() == FeatureEncoding.U8) {
      for (int i = 0; i < n; i++) x[at + i] = U8[d[base + i] & 0xFF];
    } else {
      for (int i = 0; i < n; i++) {
        int p = base + 4 * i;
        x[at + i] = Float.intBitsToFloat((d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8 | (d[p + 2] & 0xFF) << 16 | (d[p + 3] & 0xFF) << 24);
      }
    }
    return d[base + rowBytes - 1] & 0xFF;
  }

  void clear() {
    Arrays.fill(slots, null);
  }
}
