package io.noprop.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.GuideMix;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a message record from the {@code fields} of a frame vector and encodes it; also decodes a
 * payload with the matching decoder. Together they check field-to-byte mapping in both directions.
 */
final class MessageFromFields {
  private MessageFromFields() {}

  /** The payload the Java records produce for these fields. */
  static byte[] encode(String message, boolean reply, JsonNode f) {
    switch (message) {
      case "HELLO":
        return reply ? hello(f).encode() : new byte[] {(byte) f.get("protocol_version").asInt()};
      case "PING":
        return TestVectors.bytes(f.get("data"));
      case "RESET":
        return new byte[0];
      case "DATA_DEFINE":
        return reply ? new byte[0] : new DatasetHeader(f.get("slot").asInt(), f.get("rows").asInt(), f.get("features").asInt(),
            f.get("classes").asInt(), FeatureEncoding.of(f.get("encoding").asInt())).encode();
      case "DATA_WRITE":
        return reply ? new byte[0] : new DataRows(f.get("slot").asInt(), f.get("first_row").asInt(), f.get("row_count").asInt(),
            TestVectors.bytes(f.get("rows"))).encode();
      case "WRITE_WEIGHTS":
        return reply ? new byte[0] : chunk(f).encode();
      case "READ_WEIGHTS":
        return reply ? chunk(f).encode() : new ReadWeightsRequest(f.get("offset").asInt(), f.get("count").asInt(),
            ReadWeightsRequest.Source.values()[f.get("source").asInt()]).encode();
      case "EVALUATE":
        return reply ? new EvalResult(TestVectors.f32(f.get("loss_bits")), f.get("correct").asInt(), f.get("count").asInt(),
            f.get("clipped").asLong()).encode() : evaluate(f).encode();
      case "UPDATE":
        return reply ? new UpdateResult(f.get("clipped").asLong()).encode() : update(f).encode();
      case "BASIS_WRITE":
        return reply ? new byte[0] : new BasisChunk(f.get("index").asInt(), f.get("offset").asInt(), TestVectors.f32s(f.get("values_bits"))).encode();
      case "STATS":
        return reply ? new ChipStats(Double.longBitsToDouble(Long.parseUnsignedLong(f.get("chip_seconds_bits").asText(), 16)),
            Double.longBitsToDouble(Long.parseUnsignedLong(f.get("joules_bits").asText(), 16)), f.get("evaluations").asLong(),
            f.get("updates").asLong(), f.get("mvms").asLong(), f.get("pulses").asLong(), f.get("cell_reads").asLong()).encode() : new byte[0];
      case "ERROR":
        return new ErrorReply(f.get("code").asInt(), f.get("message").asText()).encode();
      default:
        throw new IllegalArgumentException("no message named " + message);
    }
  }

  /** Decodes {@code payload} with the decoder of this message and encodes the result again. */
  static byte[] reencode(String message, boolean reply, byte[] p) {
    switch (message) {
      case "HELLO":
        return reply ? HelloInfo.decode(p).encode() : p.clone();
      case "PING":
        return p.clone();
      case "RESET":
        return p.clone();
      case "DATA_DEFINE":
        return reply ? p.clone() : DatasetHeader.decode(p).encode();
      case "DATA_WRITE":
        return reply ? p.clone() : DataRows.decode(p).encode();
      case "WRITE_WEIGHTS":
        return reply ? p.clone() : WeightsChunk.decode(p).encode();
      case "READ_WEIGHTS":
        return reply ? WeightsChunk.decode(p).encode() : ReadWeightsRequest.decode(p).encode();
      case "EVALUATE":
        return reply ? EvalResult.decode(p).encode() : EvaluateRequest.decode(p).encode();
      case "UPDATE":
        return reply ? UpdateResult.decode(p).encode() : UpdateRequest.decode(p).encode();
      case "BASIS_WRITE":
        return reply ? p.clone() : BasisChunk.decode(p).encode();
      case "STATS":
        return reply ? ChipStats.decode(p).encode() : p.clone();
      case "ERROR":
        return ErrorReply.decode(p).encode();
      default:
        throw new IllegalArgumentException("no message named " + message);
    }
  }

  private static HelloInfo hello(JsonNode f) {
    JsonNode sizes = f.get("layer_sizes");
    int[] layers = new int[sizes.size()];
    for (int i = 0; i < layers.length; i++) layers[i] = sizes.get(i).asInt();
    Map<String, String> props = new LinkedHashMap<>();
    for (JsonNode kv : f.get("properties")) props.put(kv.get(0).asText(), kv.get(1).asText());
    return new HelloInfo(f.get("protocol_version").asInt(), f.get("firmware_version").asText(), f.get("device_id").asText(),
        f.get("model").asText(), layers, TestVectors.f32(f.get("weight_min_bits")), TestVectors.f32(f.get("weight_max_bits")),
        f.get("weight_levels").asLong(), f.get("capabilities").asInt(), f.get("max_payload").asInt(), f.get("max_batch").asInt(),
        f.get("dataset_slots").asInt(), f.get("max_dataset_bytes").asLong(), props, f.get("boot_count").asLong());
  }

  private static WeightsChunk chunk(JsonNode f) {
    return new WeightsChunk(f.get("offset").asInt(), TestVectors.f32s(f.get("values_bits")));
  }

  private static EvaluateRequest evaluate(JsonNode f) {
    BatchSelector.Mode mode = BatchSelector.Mode.values()[f.get("batch_mode").asInt()];
    BatchSelector batch = new BatchSelector(mode, TestVectors.u32(f.get("batch_start_or_seed")), f.get("batch_count").asInt());
    Distribution d = Distribution.of(f.get("distribution").asInt());
    Perturbation p = new Perturbation(d, TestVectors.u32(f.get("seed")), f.get("sign").asInt(), TestVectors.f32(f.get("scale_bits")),
        d == Distribution.MASKED ? mask(f) : DirectionMask.WHOLE, d == Distribution.GUIDED ? guide(f) : null);
    return new EvaluateRequest(f.get("slot").asInt(), batch, p);
  }

  private static UpdateRequest update(JsonNode f) {
    List<SeedTerm> terms = new ArrayList<>();
    Distribution d = Distribution.of(f.get("distribution").asInt());
    GuideMix g = d == Distribution.GUIDED ? guide(f) : null;
    for (JsonNode t : f.get("terms")) {
      terms.add(new SeedTerm(TestVectors.u32(t.get("seed")), TestVectors.f32(t.get("coefficient_bits")),
          d == Distribution.MASKED ? mask(t) : DirectionMask.WHOLE, g));
    }
    return new UpdateRequest(d, terms);
  }

  /** The {@code vectors}, {@code full_bits} and {@code guided_bits} fields of a GUIDED direction. */
  static GuideMix guide(JsonNode f) {
    return new GuideMix(f.get("vectors").asInt(), TestVectors.f32(f.get("full_bits")), TestVectors.f32(f.get("guided_bits")));
  }

  /** The {@code offset}, {@code length} and {@code density} fields of a MASKED direction. */
  static DirectionMask mask(JsonNode f) {
    return new DirectionMask(f.get("offset").asInt(), f.get("length").asInt(), f.get("density").asInt());
  }
}
