package io.noprop.controller.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir Path tmp;

  @Test
  void skipsAHeaderScalesFeaturesAndReadsTheLastColumnAsLabel() throws Exception {
    Path p = tmp.resolve("d.csv");
    Files.writeString(p, "a,b,target\n1,-4,0\n2,2,2\n");
    Dataset d = CsvReader.read(p, CsvReader.LabelColumn.LAST);
    assertEquals(2, d.rows());
    assertEquals(2, d.features());
    assertEquals(3, d.classes());
    assertEquals(2, d.label(1));
    ByteBuffer bb = ByteBuffer.wrap(d.packed()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0.25f, bb.getFloat(0));
    assertEquals(-1f, bb.getFloat(4));
  }

  @Test
  void labelFirstIsSupported() throws Exception {
    Path p = tmp.resolve("d.csv");
    Files.writeString(p, "1,0.5,0.5\n0,1,1\n");
    Dataset d = CsvReader.read(p, CsvReader.LabelColumn.FIRST);
    assertEquals(1, d.label(0));
  }

  @Test
  void aBadCellNamesItsLineAndColumn() throws Exception {
    Path p = tmp.resolve("d.csv");
    Files.writeString(p, "1,2,0\n1,x,1\n");
    DataException e = assertThrows(DataException.class, () -> CsvReader.read(p, CsvReader.LabelColumn.LAST));
    assertTrue(e.getMessage().contains("d.csv:2") && e.getMessage().contains("column 2"), e.getMessage());
  }

  @Test
  void aRaggedRowIsReported() throws Exception {
    Path p = tmp.resolve("d.csv");
    Files.writeString(p, "1,2,0\n1,1\n");
    DataException e = assertThrows(DataException.class, () -> CsvReader.read(p, CsvReader.LabelColumn.LAST));
    assertTrue(e.getMessage().contains("2 columns, expected 3"), e.getMessage());
  }

  @Test
  void aFractionalLabelIsReported() throws Exception {
    Path p = tmp.resolve("d.csv");
    Files.writeString(p, "1,2,0.5\n");
    DataException e = assertThrows(DataException.class, () -> CsvReader.read(p, CsvReader.LabelColumn.LAST));
    assertTrue(e.getMessage().contains("label 0.5"), e.getMessage());
  }

  @Test
  void aLineOfSeparatorsOnlyIsADataExceptionNotACrash() throws Exception {
    // Found by CsvReaderFuzzTest: String.split drops trailing empty cells, so ",," had no cell 0.
    Path p = tmp.resolve("d.csv");
    Files.writeString(p, "1,2\n,,\n");
    DataException e = assertThrows(DataException.class, () -> CsvReader.read(p, CsvReader.LabelColumn.LAST));
    assertTrue(e.getMessage().contains("3 columns, expected 2"), e.getMessage());
    Files.writeString(p, "1,0\n,\n");
    assertThrows(DataException.class, () -> CsvReader.read(p, CsvReader.LabelColumn.LAST));
  }

  @Test
  void aValueBeyondFloat32IsRefusedInsteadOfBecomingInfinityAndNaN() throws Exception {
    Path p = tmp.resolve("d.csv");
    Files.writeString(p, "1e300,0\n1,1\n");
    DataException e = assertThrows(DataException.class, () -> CsvReader.read(p, CsvReader.LabelColumn.LAST));
    assertTrue(e.getMessage().contains("float32"), e.getMessage());
  }

  @Test
  void moreFeaturesThanTheProtocolCarriesIsRefused() throws Exception {
    Path p = tmp.resolve("d.csv");
    Files.writeString(p, "0" + ",1".repeat(CsvReader.MAX_FEATURES + 1) + "\n");
    DataException e = assertThrows(DataException.class, () -> CsvReader.read(p, CsvReader.LabelColumn.FIRST));
    assertTrue(e.getMessage().contains("65535"), e.getMessage());
  }
}
