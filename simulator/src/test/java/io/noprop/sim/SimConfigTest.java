package io.noprop.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SimConfigTest {

  static Stream<Arguments> options() {
    return Stream.of(
        Arguments.of("layers", "16-8-4", (Function<SimConfig, Object>) c -> List.of(16, 8, 4), List.of(16, 8, 4)),
        Arguments.of("tile_rows", "128", (Function<SimConfig, Object>) SimConfig::tileRows, 128),
        Arguments.of("tile_cols", "64", (Function<SimConfig, Object>) SimConfig::tileCols, 64),
        Arguments.of("weight_min", "-0.5", (Function<SimConfig, Object>) SimConfig::weightMin, -0.5f),
        Arguments.of("weight_max", "0.75", (Function<SimConfig, Object>) SimConfig::weightMax, 0.75f),
        Arguments.of("levels", "64", (Function<SimConfig, Object>) SimConfig::levels, 64),
        Arguments.of("prog_noise", "0.03", (Function<SimConfig, Object>) SimConfig::progNoise, 0.03f),
        Arguments.of("dac_bits", "8", (Function<SimConfig, Object>) SimConfig::dacBits, 8),
        Arguments.of("adc_bits", "10", (Function<SimConfig, Object>) SimConfig::adcBits, 10),
        Arguments.of("out_bound", "12.5", (Function<SimConfig, Object>) SimConfig::outBound, 12.5f),
        Arguments.of("out_noise", "0.2", (Function<SimConfig, Object>) SimConfig::outNoise, 0.2f),
        Arguments.of("seed", "-9000000000", (Function<SimConfig, Object>) SimConfig::seed, -9_000_000_000L),
        Arguments.of("max_batch", "512", (Function<SimConfig, Object>) SimConfig::maxBatch, 512),
        Arguments.of("max_payload", "4096", (Function<SimConfig, Object>) SimConfig::maxPayload, 4096),
        Arguments.of("max_dataset_bytes", "5000000000", (Function<SimConfig, Object>) SimConfig::maxDatasetBytes, 5_000_000_000L));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("options")
  void eachOptionOverridesItsOwnFieldAndNothingElse(String key, String value, Function<SimConfig, Object> field, Object expected) {
    SimConfig base = SimPresets.rram();
    SimConfig changed = base.with(key, value);
    if (key.equals("layers")) {
      assertArrayEquals(new int[] {16, 8, 4}, changed.layers());
    } else {
      assertEquals(expected, field.apply(changed));
    }
    Map<String, String> before = new LinkedHashMap<>(base.describe());
    Map<String, String> after = new LinkedHashMap<>(changed.describe());
    assertTrue(!before.get(key).equals(after.get(key)), key + " did not change: " + after.get(key));
    before.remove(key);
    after.remove(key);
    assertEquals(before, after, "only " + key + " may change");
  }

  @Test
  void everyEffectParameterOverridesOnlyItselfAndRefusesBadValues() {
    SimConfig base = SimPresets.rram();
    for (EffectParam p : EffectParam.ALL) {
      String value = p.unit().equals("text") ? "/tmp/x.json" : !p.choices().isEmpty() ? p.choices().get(p.choices().size() - 1)
          : base.num(p.key()) + 0.5 <= p.max() ? Double.toString(base.num(p.key()) + 0.5) : Double.toString(p.min());
      SimConfig changed = base.with(p.key(), value);
      Map<String, String> before = new LinkedHashMap<>(base.describe());
      Map<String, String> after = new LinkedHashMap<>(changed.describe());
      assertTrue(!before.get(p.key()).equals(after.get(p.key())), p.key() + " did not change");
      before.remove(p.key());
      after.remove(p.key());
      assertEquals(before, after, "only " + p.key() + " may change");
      if (!p.unit().equals("text")) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> base.with(p.key(), "lots"));
        assertTrue(e.getMessage().contains(p.key() + "=lots"), e.getMessage());
      }
    }
    assertThrows(IllegalArgumentException.class, () -> base.with("stuck_fraction", "1.5"));
    assertThrows(IllegalArgumentException.class, () -> base.with("drift_nu", "-0.1"));
  }

  @Test
  void describeListsEveryOptionWithAcceptsPlusThePreset() {
    List<String> keys = new java.util.ArrayList<>(options().map(a -> (String) a.get()[0]).toList());
    for (EffectParam p : EffectParam.ALL) keys.add(p.key());
    List<String> described = SimPresets.rram().describe().keySet().stream().filter(k -> !k.equals("preset")).toList();
    assertEquals(keys, described);
  }

  @Test
  void describedValuesReadBackThroughWith() {
    for (String preset : SimPresets.names()) {
      SimConfig c = SimPresets.byName(preset);
      SimConfig copy = SimPresets.rram();
      for (Map.Entry<String, String> e : c.describe().entrySet()) {
        if (!e.getKey().equals("preset")) copy = copy.with(e.getKey(), e.getValue());
      }
      Map<String, String> want = new LinkedHashMap<>(c.describe());
      Map<String, String> got = new LinkedHashMap<>(copy.describe());
      want.remove("preset");
      got.remove("preset");
      assertEquals(want, got, preset);
    }
  }

  @Test
  void infIsAcceptedForTheOutBoundAsDescribeWritesIt() {
    assertEquals("inf", SimPresets.ideal().describe().get("out_bound"));
    assertEquals(Float.POSITIVE_INFINITY, SimPresets.rram().with("out_bound", "inf").outBound());
    assertEquals(Float.POSITIVE_INFINITY, SimPresets.rram().with("out_bound", "Infinity").outBound());
  }

  @Test
  void layersAcceptDashesXAndCommas() {
    assertArrayEquals(new int[] {784, 128, 10}, SimPresets.ideal().with("layers", "784x128,10").layers());
  }

  @Test
  void unknownOptionIsAnErrorNamingItAndListingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimPresets.ideal().with("noise", "0.1"));
    assertTrue(e.getMessage().contains("'noise'"), e.getMessage());
    assertTrue(e.getMessage().contains("out_noise") && e.getMessage().contains("prog_noise"), e.getMessage());
  }

  @Test
  void nonNumberIsAnErrorNamingTheOptionAndValue() {
    for (String key : new String[] {"seed", "prog_noise", "layers", "max_batch"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimPresets.ideal().with(key, "lots"));
      assertTrue(e.getMessage().contains(key + "=lots"), e.getMessage());
    }
  }

  @Test
  void invalidValuesAreRefusedWithTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimPresets.rram().with("levels", "1"));
    assertTrue(e.getMessage().contains("levels") && e.getMessage().contains("1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SimPresets.rram().with("weight_min", "2"));
    assertThrows(IllegalArgumentException.class, () -> SimPresets.rram().with("prog_noise", "NaN"));
    assertThrows(IllegalArgumentException.class, () -> SimPresets.rram().with("out_bound", "0"));
    assertThrows(IllegalArgumentException.class, () -> SimPresets.rram().with("layers", "784"));
    assertThrows(IllegalArgumentException.class, () -> SimPresets.rram().with("max_payload", "63"));
  }

  @Test
  void withLeavesTheOriginalUntouched() {
    SimConfig base = SimPresets.rram();
    base.with("seed", "5");
    assertEquals(1L, base.seed());
    int[] l = base.layers();
    l[0] = 3;
    assertEquals(784, base.layers()[0], "layers() hands out a copy");
  }

  @Test
  void presetsAreFoundByName() {
    assertEquals(List.of("ideal", "rram", "pcm", "ecram", "harsh"), SimPresets.names());
    assertEquals("ideal", SimPresets.byName("ideal").preset());
    SimConfig rram = SimPresets.byName("rram");
    assertEquals("rram", rram.preset());
    assertEquals(1482, rram.levels());
    assertEquals(0.02f, rram.progNoise());
    assertEquals(7, rram.dacBits());
    assertEquals(9, rram.adcBits());
    assertEquals(20f, rram.outBound());
    assertEquals(0.1f, rram.outNoise());
    SimConfig ideal = SimPresets.byName("ideal");
    assertEquals(0, ideal.levels());
    assertEquals(0f, ideal.progNoise());
    assertEquals(0f, ideal.outNoise());
    assertEquals(Float.POSITIVE_INFINITY, ideal.outBound());
  }

  @Test
  void unknownPresetIsAnErrorListingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimPresets.byName("flash"));
    assertTrue(e.getMessage().contains("'flash'") && e.getMessage().contains("ideal, rram, pcm, ecram, harsh"), e.getMessage());
  }
}
