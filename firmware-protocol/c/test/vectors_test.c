/*
 * Checks the C reference codec against firmware-protocol/src/test/resources/test-vectors.json,
 * the same file the Java implementation and tools/check_vectors.py are checked against.
 *
 *   usage: vectors_test path/to/test-vectors.json
 *
 * Sections: crc32, cobs, cobs_decode_only, cobs_invalid, frames (payload from fields, fields
 * from payload, raw frame, wire bytes, byte-at-a-time parser), frames_invalid, prng (masked_z
 * included), perturbed_reads, updates, masked_perturbed_reads, masked_updates, spsa_step; then the chip dispatcher: every request of the frames
 * section through np_chip answered byte for byte as the vectors show, and the replay cache,
 * SEQUENCE_REUSED, HELLO, CORRUPT_FRAME, oversize and refusal rules of PROTOCOL.md; mqtt_messages
 * through np_message_frame and np_chip_message; chip_sessions through np_chip with the example
 * backend (example/mlp.c, built 3-2-3 for this test: EX_IN=3 EX_HIDDEN=2 EX_OUT=3), which checks
 * the forward function of section 7.1 through EVALUATE.
 * Prints one line per failure and a summary; exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../noprop_chip.h"
#include "../example/mlp.h"
#include "../noprop_prng.h"
#include "json_min.h"

static int checks, failures;

#define CHECK(cond, ...)                                      \
  do {                                                        \
    checks++;                                                 \
    if (!(cond)) {                                            \
      failures++;                                             \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);             \
      printf(__VA_ARGS__);                                    \
      printf("\n");                                           \
    }                                                         \
  } while (0)

/* ---- helpers ------------------------------------------------------------------------------- */
static uint8_t buf_a[70000], buf_b[70000], buf_c[70000];

/* Decodes the hex string node i into out; returns the byte count. */
static size_t hex_bytes(int i, uint8_t *out) {
  const jnode *n = j_node(i);
  size_t k;
  for (k = 0; 2 * k + 1 < n->len; k++) {
    unsigned v;
    char two[3];
    two[0] = n->s[2 * k];
    two[1] = n->s[2 * k + 1];
    two[2] = 0;
    sscanf(two, "%2x", &v);
    out[k] = (uint8_t)v;
  }
  return n->len / 2;
}

static uint32_t hex32(int i) {
  char s[16];
  j_str(i, s, sizeof s);
  return (uint32_t)strtoul(s, NULL, 16);
}

static float bitsf(int i) { return np_bits_f32(hex32(i)); }

static uint32_t num(int obj, const char *name) { return (uint32_t)j_int(j_get(obj, name)); }

static int same(const uint8_t *a, size_t na, const uint8_t *b, size_t nb) { return na == nb && (na == 0 || memcmp(a, b, na) == 0); }

static void dump(const char *what, const uint8_t *p, size_t n) {
  size_t i;
  printf("     %s (%u): ", what, (unsigned)n);
  for (i = 0; i < n && i < 80; i++) printf("%02x", p[i]);
  printf("%s\n", n > 80 ? "..." : "");
}

/* ---- sections ------------------------------------------------------------------------------ */
static void test_crc(int root) {
  int v;
  for (v = j_first(j_get(root, "crc32")); v >= 0; v = j_next(v)) {
    size_t n = hex_bytes(j_get(v, "data"), buf_a);
    uint32_t want = hex32(j_get(v, "crc32"));
    uint32_t split = np_crc32_update(np_crc32_update(0, buf_a, n / 2), buf_a + n / 2, n - n / 2);
    CHECK(np_crc32(buf_a, n) == want, "crc32 of %u bytes: %08lx, want %08lx", (unsigned)n, (unsigned long)np_crc32(buf_a, n), (unsigned long)want);
    CHECK(split == want, "incremental crc32 of %u bytes", (unsigned)n);
  }
}

static uint8_t sink_buf[70000];
static size_t sink_len;
static void sink(void *ctx, const uint8_t *p, size_t n) {
  (void)ctx;
  memcpy(sink_buf + sink_len, p, n);
  sink_len += n;
}

static void test_cobs(int root) {
  int v;
  char name[120];
  for (v = j_first(j_get(root, "cobs")); v >= 0; v = j_next(v)) {
    size_t nr = hex_bytes(j_get(v, "raw"), buf_a), ne = hex_bytes(j_get(v, "encoded"), buf_b), n;
    long d;
    j_str(j_get(v, "name"), name, sizeof name);
    n = np_cobs_encode(buf_a, nr, buf_c);
    CHECK(same(buf_c, n, buf_b, ne), "cobs encode '%s'", name);
    CHECK(n <= NP_COBS_MAX(nr), "cobs '%s' longer than NP_COBS_MAX", name);
    sink_len = 0;
    n = np_cobs_write(buf_a, nr, sink, NULL);
    CHECK(n == ne + 1 && same(sink_buf, ne, buf_b, ne) && sink_buf[ne] == 0, "cobs stream write '%s'", name);
    d = np_cobs_decode(buf_b, ne, buf_c);
    CHECK(d >= 0 && same(buf_c, (size_t)d, buf_a, nr), "cobs decode '%s'", name);
    memcpy(buf_c, buf_b, ne);
    d = np_cobs_decode(buf_c, ne, buf_c);
    CHECK(d >= 0 && same(buf_c, (size_t)d, buf_a, nr), "cobs decode in place '%s'", name);
  }
  for (v = j_first(j_get(root, "cobs_decode_only")); v >= 0; v = j_next(v)) {
    size_t nr = hex_bytes(j_get(v, "raw"), buf_a), ne = hex_bytes(j_get(v, "encoded"), buf_b);
    long d = np_cobs_decode(buf_b, ne, buf_c);
    j_str(j_get(v, "name"), name, sizeof name);
    CHECK(d >= 0 && same(buf_c, (size_t)d, buf_a, nr), "cobs decode-only '%s'", name);
  }
  for (v = j_first(j_get(root, "cobs_invalid")); v >= 0; v = j_next(v)) {
    size_t ne = hex_bytes(j_get(v, "encoded"), buf_b);
    j_str(j_get(v, "name"), name, sizeof name);
    CHECK(np_cobs_decode(buf_b, ne, buf_c) == -1, "cobs invalid '%s' accepted", name);
  }
}

/* Builds an np_hello_t from the HELLO reply fields (strings point into the JSON text). */
static void hello_from(int f, np_hello_t *h) {
  int i, k;
  memset(h, 0, sizeof *h);
  h->protocol_version = (uint8_t)num(f, "protocol_version");
#define STR(dst, key)                                        \
  do {                                                       \
    int n_ = j_get(f, key);                                  \
    (dst).s = j_node(n_)->s;                                 \
    (dst).len = (uint8_t)j_node(n_)->len;                    \
  } while (0)
  STR(h->firmware_version, "firmware_version");
  STR(h->device_id, "device_id");
  STR(h->model, "model");
  for (i = j_first(j_get(f, "layer_sizes")), k = 0; i >= 0; i = j_next(i), k++) h->layer_sizes[k] = (uint16_t)j_int(i);
  h->layers = (uint8_t)k;
  h->weight_min = bitsf(j_get(f, "weight_min_bits"));
  h->weight_max = bitsf(j_get(f, "weight_max_bits"));
  h->weight_levels = num(f, "weight_levels");
  h->capabilities = num(f, "capabilities");
  h->max_payload = (uint16_t)num(f, "max_payload");
  h->max_batch = (uint16_t)num(f, "max_batch");
  h->dataset_slots = (uint8_t)num(f, "dataset_slots");
  h->max_dataset_bytes = num(f, "max_dataset_bytes");
  h->boot_count = num(f, "boot_count");
  for (i = j_first(j_get(f, "properties")), k = 0; i >= 0; i = j_next(i), k++) {
    int kk = j_first(i), vv = j_next(kk);
    h->prop_key[k].s = j_node(kk)->s;
    h->prop_key[k].len = (uint8_t)j_node(kk)->len;
    h->prop_value[k].s = j_node(vv)->s;
    h->prop_value[k].len = (uint8_t)j_node(vv)->len;
  }
  h->props = (uint8_t)k;
#undef STR
}

/* The vectors, full_bits and guided_bits of a GUIDED direction; {0, 1, 0} for the others. */
static void guide_from(int f, uint8_t distribution, np_guide_t *g) {
  g->vectors = 0;
  g->full = 1.0f;
  g->guided = 0.0f;
  if (distribution != NP_DIST_GUIDED) return;
  g->vectors = (uint8_t)num(f, "vectors");
  g->full = bitsf(j_get(f, "full_bits"));
  g->guided = bitsf(j_get(f, "guided_bits"));
}

static int same_guide(const np_guide_t *a, const np_guide_t *b) {
  return a->vectors == b->vectors && np_f32_bits(a->full) == np_f32_bits(b->full) && np_f32_bits(a->guided) == np_f32_bits(b->guided);
}

static void evaluate_from(int f, np_evaluate_t *e) {
  e->slot = (uint8_t)num(f, "slot");
  e->batch_mode = (uint8_t)num(f, "batch_mode");
  e->start_or_seed = num(f, "batch_start_or_seed");
  e->count = (uint16_t)num(f, "batch_count");
  e->distribution = (uint8_t)num(f, "distribution");
  e->seed = num(f, "seed");
  e->sign = (int8_t)j_int(j_get(f, "sign"));
  e->scale = bitsf(j_get(f, "scale_bits"));
  e->mask.offset = 0;
  e->mask.length = 0;
  e->mask.density = NP_DENSE;
  if (e->distribution == NP_DIST_MASKED) {
    e->mask.offset = num(f, "offset");
    e->mask.length = num(f, "length");
    e->mask.density = (uint8_t)num(f, "density");
  }
  guide_from(f, e->distribution, &e->guide);
}

static int same_mask(const np_mask_t *a, const np_mask_t *b) { return a->offset == b->offset && a->length == b->length && a->density == b->density; }

/* The offset, length and density fields of a MASKED direction (a vector or one of its terms). */
static np_mask_t mask_from(int obj) {
  np_mask_t m;
  m.offset = num(obj, "offset");
  m.length = num(obj, "length");
  m.density = (uint8_t)num(obj, "density");
  return m;
}

static void eval_result_from(int f, np_eval_result_t *r) {
  r->loss = bitsf(j_get(f, "loss_bits"));
  r->correct = (uint16_t)num(f, "correct");
  r->count = (uint16_t)num(f, "count");
  r->clipped = num(f, "clipped");
}

static unsigned terms_from(int f, uint32_t *seeds, float *coef) {
  int t;
  unsigned k = 0;
  for (t = j_first(j_get(f, "terms")); t >= 0; t = j_next(t), k++) {
    seeds[k] = num(t, "seed");
    coef[k] = bitsf(j_get(t, "coefficient_bits"));
  }
  return k;
}

static unsigned floats_from(int arr, float *out) {
  int t;
  unsigned k = 0;
  for (t = j_first(arr); t >= 0; t = j_next(t)) out[k++] = bitsf(t);
  return k;
}

static float fl_a[4096], fl_b[4096];

/* A 16-digit hex field (a binary64 bit pattern) as the double it names. */
static double f64_from_hex(int node) {
  char t[24];
  uint64_t b = 0;
  double d;
  unsigned i;
  j_str(node, t, sizeof t);
  for (i = 0; t[i]; i++) b = b << 4 | (uint64_t)(t[i] <= '9' ? t[i] - '0' : (t[i] | 0x20) - 'a' + 10);
  memcpy(&d, &b, 8);
  return d;
}

static void stats_from(int f, np_stats_t *s) {
  s->chip_seconds = f64_from_hex(j_get(f, "chip_seconds_bits"));
  s->joules = f64_from_hex(j_get(f, "joules_bits"));
  s->evaluations = (uint64_t)j_int(j_get(f, "evaluations"));
  s->updates = (uint64_t)j_int(j_get(f, "updates"));
  s->mvms = (uint64_t)j_int(j_get(f, "mvms"));
  s->pulses = (uint64_t)j_int(j_get(f, "pulses"));
  s->cell_reads = (uint64_t)j_int(j_get(f, "cell_reads"));
}

/* Encodes the payload of a frames vector from its fields, and decodes its payload checking the
   fields. Returns the encoded length in out. */
static size_t payload_from_fields(int v, uint8_t *out, const uint8_t *payload, size_t plen, const char *name) {
  char msg[32], dir[16];
  int f = j_get(v, "fields");
  np_writer_t w;
  const char *why = "";
  j_str(j_get(v, "message"), msg, sizeof msg);
  j_str(j_get(v, "direction"), dir, sizeof dir);
  np_wr_init(&w, out, 65535);
  if (!strcmp(msg, "HELLO") && !strcmp(dir, "request")) {
    uint8_t ver;
    np_hello_req_encode(&w, (uint8_t)num(f, "protocol_version"));
    CHECK(np_hello_req_decode(payload, plen, &ver, &why) == NP_OK && ver == num(f, "protocol_version"), "%s: decode", name);
  } else if (!strcmp(msg, "HELLO")) {
    np_hello_t h, d;
    unsigned i;
    hello_from(f, &h);
    np_hello_encode(&w, &h);
    CHECK(np_hello_decode(payload, plen, &d, &why) == NP_OK, "%s: decode: %s", name, why);
    CHECK(d.layers == h.layers && d.capabilities == h.capabilities && d.max_payload == h.max_payload && d.max_batch == h.max_batch
              && d.dataset_slots == h.dataset_slots && d.max_dataset_bytes == h.max_dataset_bytes && d.weight_levels == h.weight_levels
              && d.boot_count == h.boot_count
              && np_f32_bits(d.weight_min) == np_f32_bits(h.weight_min) && np_f32_bits(d.weight_max) == np_f32_bits(h.weight_max)
              && d.props == h.props && d.model.len == h.model.len && !memcmp(d.model.s, h.model.s, h.model.len)
              && d.device_id.len == h.device_id.len && !memcmp(d.device_id.s, h.device_id.s, h.device_id.len),
          "%s: decoded fields", name);
    for (i = 0; i < h.layers; i++) CHECK(d.layer_sizes[i] == h.layer_sizes[i], "%s: layer %u", name, i);
    for (i = 0; i < h.props; i++)
      CHECK(d.prop_key[i].len == h.prop_key[i].len && !memcmp(d.prop_key[i].s, h.prop_key[i].s, h.prop_key[i].len)
                && d.prop_value[i].len == h.prop_value[i].len && !memcmp(d.prop_value[i].s, h.prop_value[i].s, h.prop_value[i].len),
            "%s: property %u", name, i);
  } else if (!strcmp(msg, "PING")) {
    size_t n = hex_bytes(j_get(f, "data"), buf_c);
    np_wr_bytes(&w, buf_c, n);
  } else if (!strcmp(msg, "EVALUATE") && !strcmp(dir, "request")) {
    np_evaluate_t e, d;
    evaluate_from(f, &e);
    np_evaluate_encode(&w, &e);
    CHECK(np_evaluate_decode(payload, plen, &d, &why) == NP_OK && d.slot == e.slot && d.batch_mode == e.batch_mode
              && d.start_or_seed == e.start_or_seed && d.count == e.count && d.distribution == e.distribution && d.seed == e.seed
              && d.sign == e.sign && np_f32_bits(d.scale) == np_f32_bits(e.scale) && same_mask(&d.mask, &e.mask) && same_guide(&d.guide, &e.guide),
          "%s: decoded fields (%s)", name, why);
  } else if (!strcmp(msg, "EVALUATE")) {
    np_eval_result_t r, d;
    eval_result_from(f, &r);
    np_eval_result_encode(&w, &r);
    CHECK(np_eval_result_decode(payload, plen, &d, &why) == NP_OK && np_f32_bits(d.loss) == np_f32_bits(r.loss) && d.correct == r.correct
              && d.count == r.count && d.clipped == r.clipped,
          "%s: decoded fields", name);
  } else if (!strcmp(msg, "UPDATE") && !strcmp(dir, "request")) {
    uint32_t seeds[255];
    float coef[255];
    static np_mask_t masks[255];
    unsigned n = terms_from(f, seeds, coef), k;
    np_update_t u;
    int t;
    for (k = 0, t = j_first(j_get(f, "terms")); t >= 0; t = j_next(t), k++) {
      if (num(f, "distribution") == NP_DIST_MASKED) masks[k] = mask_from(t);
    }
    np_guide_t g;
    guide_from(f, (uint8_t)num(f, "distribution"), &g);
    if (num(f, "distribution") == NP_DIST_MASKED) np_update_encode_masked(&w, n, seeds, coef, masks);
    else if (num(f, "distribution") == NP_DIST_GUIDED) np_update_encode_guided(&w, &g, n, seeds, coef);
    else np_update_encode(&w, (uint8_t)num(f, "distribution"), n, seeds, coef);
    CHECK(np_update_decode(payload, plen, &u, &why) != NP_OK || same_guide(&u.guide, &g), "%s: guide", name);
    CHECK(np_update_decode(payload, plen, &u, &why) == NP_OK && u.terms == n && u.distribution == num(f, "distribution"), "%s: decode (%s)", name, why);
    for (k = 0; k < n && k < u.terms; k++) {
      uint32_t s;
      float c;
      np_mask_t m;
      np_update_term(&u, k, &s, &c);
      np_update_mask(&u, k, &m);
      CHECK(s == seeds[k] && np_f32_bits(c) == np_f32_bits(coef[k]), "%s: term %u", name, k);
      CHECK(u.distribution != NP_DIST_MASKED || same_mask(&m, &masks[k]), "%s: mask of term %u", name, k);
      CHECK(u.distribution == NP_DIST_MASKED || (m.length == 0 && m.density == NP_DENSE), "%s: whole-vector mask of term %u", name, k);
    }
  } else if (!strcmp(msg, "UPDATE")) {
    uint32_t c;
    np_update_result_encode(&w, num(f, "clipped"));
    CHECK(np_update_result_decode(payload, plen, &c, &why) == NP_OK && c == num(f, "clipped"), "%s: decode", name);
  } else if ((!strcmp(msg, "WRITE_WEIGHTS") && !strcmp(dir, "request")) || (!strcmp(msg, "READ_WEIGHTS") && !strcmp(dir, "reply"))) {
    unsigned n = floats_from(j_get(f, "values_bits"), fl_a), i;
    np_weights_t c;
    np_weights_encode(&w, num(f, "offset"), (uint16_t)n, fl_a);
    CHECK(np_weights_decode(payload, plen, &c, &why) == NP_OK && c.offset == num(f, "offset") && c.count == n, "%s: decode", name);
    for (i = 0; i < n && i < c.count; i++) CHECK(np_f32_bits(np_weights_value(&c, i)) == np_f32_bits(fl_a[i]), "%s: value %u", name, i);
  } else if (!strcmp(msg, "BASIS_WRITE") && !strcmp(dir, "request")) {
    unsigned n = floats_from(j_get(f, "values_bits"), fl_a), i;
    np_basis_write_t b;
    np_basis_write_encode(&w, (uint8_t)num(f, "index"), num(f, "offset"), (uint16_t)n, fl_a);
    CHECK(np_basis_write_decode(payload, plen, &b, &why) == NP_OK && b.index == num(f, "index") && b.run.offset == num(f, "offset")
              && b.run.count == n, "%s: decode (%s)", name, why);
    for (i = 0; i < n && i < b.run.count; i++) CHECK(np_f32_bits(np_weights_value(&b.run, i)) == np_f32_bits(fl_a[i]), "%s: value %u", name, i);
  } else if (!strcmp(msg, "READ_WEIGHTS")) {
    np_read_weights_t q, d;
    q.offset = num(f, "offset");
    q.count = (uint16_t)num(f, "count");
    q.source = (uint8_t)num(f, "source");
    np_read_weights_encode(&w, &q);
    CHECK(np_read_weights_decode(payload, plen, &d, &why) == NP_OK && d.offset == q.offset && d.count == q.count && d.source == q.source,
          "%s: decode", name);
  } else if (!strcmp(msg, "DATA_DEFINE") && !strcmp(dir, "request")) {
    np_data_define_t q, d;
    q.slot = (uint8_t)num(f, "slot");
    q.rows = num(f, "rows");
    q.features = (uint16_t)num(f, "features");
    q.classes = (uint16_t)num(f, "classes");
    q.encoding = (uint8_t)num(f, "encoding");
    np_data_define_encode(&w, &q);
    CHECK(np_data_define_decode(payload, plen, &d, &why) == NP_OK && d.slot == q.slot && d.rows == q.rows && d.features == q.features
              && d.classes == q.classes && d.encoding == q.encoding,
          "%s: decode", name);
  } else if (!strcmp(msg, "DATA_WRITE") && !strcmp(dir, "request")) {
    np_data_write_t q, d;
    q.slot = (uint8_t)num(f, "slot");
    q.first_row = num(f, "first_row");
    q.row_count = (uint16_t)num(f, "row_count");
    q.rows_len = hex_bytes(j_get(f, "rows"), buf_c);
    q.rows = buf_c;
    np_data_write_encode(&w, &q);
    CHECK(np_data_write_decode(payload, plen, &d, &why) == NP_OK && d.slot == q.slot && d.first_row == q.first_row
              && d.row_count == q.row_count && same(d.rows, d.rows_len, q.rows, q.rows_len),
          "%s: decode", name);
  } else if (!strcmp(msg, "STATS") && !strcmp(dir, "reply")) {
    np_stats_t q, d;
    stats_from(f, &q);
    np_stats_encode(&w, &q);
    CHECK(np_stats_decode(payload, plen, &d, &why) == NP_OK && d.chip_seconds == q.chip_seconds && d.joules == q.joules
              && d.evaluations == q.evaluations && d.updates == q.updates && d.mvms == q.mvms && d.pulses == q.pulses
              && d.cell_reads == q.cell_reads,
          "%s: decode (%s)", name, why);
  } else if (!strcmp(msg, "ERROR")) {
    np_error_t e;
    const jnode *m = j_node(j_get(f, "message"));
    np_error_encode(&w, (uint16_t)num(f, "code"), m->s, m->len);
    CHECK(np_error_decode(payload, plen, &e, &why) == NP_OK && e.code == num(f, "code") && e.message.len == m->len
              && !memcmp(e.message.s, m->s, m->len),
          "%s: decode", name);
  } else {
    CHECK(j_node(f)->child < 0, "%s: unexpected fields for %s %s", name, msg, dir); /* empty replies */
  }
  CHECK(!w.overflow, "%s: writer overflow", name);
  return w.pos;
}

static void test_frames(int root) {
  int v;
  char name[120];
  for (v = j_first(j_get(root, "frames")); v >= 0; v = j_next(v)) {
    size_t np = hex_bytes(j_get(v, "payload"), buf_a), nr, nw, n, i;
    uint8_t raw[70000];
    np_frame_t f;
    static np_parser_t parser;
    np_parser_t *p = &parser;
    int got = 0;
    j_str(j_get(v, "name"), name, sizeof name);
    nr = hex_bytes(j_get(v, "raw"), raw);
    nw = hex_bytes(j_get(v, "wire"), buf_b);
    n = payload_from_fields(v, sink_buf, buf_a, np, name);
    if (!same(sink_buf, n, buf_a, np)) {
      CHECK(0, "%s: payload from fields", name);
      dump("got", sink_buf, n);
      dump("want", buf_a, np);
    }
    n = np_frame_encode((uint8_t)num(v, "version"), (uint8_t)num(v, "type"), (uint16_t)num(v, "seq"), buf_a, (uint16_t)np, sink_buf);
    CHECK(same(sink_buf, n, raw, nr), "%s: raw frame", name);
    n = np_cobs_encode(raw, nr, sink_buf);
    sink_buf[n++] = 0;
    CHECK(same(sink_buf, n, buf_b, nw), "%s: wire bytes", name);
    CHECK(np_frame_check(raw, nr, &f) == NP_FRAME_OK && f.type == num(v, "type") && f.seq == num(v, "seq") && same(f.payload, f.len, buf_a, np),
          "%s: frame check", name);
    if (nw <= NP_MAX_ENCODED + 1) {
      np_parser_init(p);
      for (i = 0; i < nw; i++) {
        int r = np_parser_feed(p, buf_b[i], &f);
        CHECK(r != NP_PARSE_ERROR, "%s: parser error %d at byte %u", name, p->last_error, (unsigned)i);
        if (r == NP_PARSE_FRAME) {
          got++;
          CHECK(i == nw - 1 && f.version == num(v, "version") && f.type == num(v, "type") && f.seq == num(v, "seq") && same(f.payload, f.len, buf_a, np),
                "%s: parsed frame", name);
        }
      }
      CHECK(got == 1 && p->stats.frames == 1 && p->stats.bytes == nw, "%s: parser delivered %d frames", name, got);
    }
  }
}

static void test_frames_invalid(int root) {
  int v;
  char name[120], err[32];
  static np_parser_t p;
  np_parser_init(&p);
  for (v = j_first(j_get(root, "frames_invalid")); v >= 0; v = j_next(v)) {
    size_t nr = hex_bytes(j_get(v, "raw"), buf_a), n, i;
    np_frame_t f;
    int want, st, last = NP_PARSE_NONE;
    j_str(j_get(v, "name"), name, sizeof name);
    j_str(j_get(v, "error"), err, sizeof err);
    want = !strcmp(err, "TOO_SHORT") ? NP_FRAME_TOO_SHORT : !strcmp(err, "LENGTH_MISMATCH") ? NP_FRAME_LENGTH_MISMATCH : !strcmp(err, "BAD_CRC") ? NP_FRAME_BAD_CRC : -1;
    st = np_frame_check(buf_a, nr, &f);
    CHECK(st == want, "frames_invalid '%s': %s, want %s", name, np_frame_status_text(st), err);
    n = np_cobs_encode(buf_a, nr, buf_b);
    buf_b[n++] = 0;
    for (i = 0; i < n; i++) last = np_parser_feed(&p, buf_b[i], &f);
    CHECK(last == NP_PARSE_ERROR && p.last_error == want, "frames_invalid '%s' through the parser", name);
  }
  CHECK(p.stats.frames == 0 && p.stats.bad_crc == 2 && p.stats.malformed == 2, "parser stats after frames_invalid: %lu bad crc, %lu malformed",
        (unsigned long)p.stats.bad_crc, (unsigned long)p.stats.malformed);
}

static void test_prng(int root) {
  int pr = j_get(root, "prng"), v, i;
  CHECK(hex32(j_get(pr, "direction_domain")) == NP_DOMAIN_DIRECTION, "direction domain");
  CHECK(hex32(j_get(pr, "batch_domain")) == NP_DOMAIN_BATCH, "batch domain");
  CHECK(hex32(j_get(pr, "mask_domain")) == NP_DOMAIN_MASK, "mask domain");
  for (v = j_first(j_get(pr, "mix")); v >= 0; v = j_next(v)) CHECK(np_mix(hex32(j_get(v, "x"))) == hex32(j_get(v, "mix")), "mix(%08lx)", (unsigned long)hex32(j_get(v, "x")));
  for (v = j_first(j_get(pr, "key")); v >= 0; v = j_next(v))
    CHECK(np_key(hex32(j_get(v, "seed")), hex32(j_get(v, "domain"))) == hex32(j_get(v, "key")), "key(%08lx)", (unsigned long)hex32(j_get(v, "seed")));
  for (v = j_first(j_get(pr, "word")); v >= 0; v = j_next(v))
    CHECK(np_word(hex32(j_get(v, "key")), hex32(j_get(v, "counter"))) == hex32(j_get(v, "word")), "word(%08lx, %08lx)", (unsigned long)hex32(j_get(v, "key")),
          (unsigned long)hex32(j_get(v, "counter")));
  for (v = j_first(j_get(pr, "rademacher_first_64")); v >= 0; v = j_next(v)) {
    const jnode *s = j_node(j_get(v, "signs"));
    uint32_t seed = hex32(j_get(v, "seed"));
    float w[64];
    for (i = 0; i < (int)s->len; i++) {
      int want = s->s[i] == '+' ? 1 : -1;
      CHECK(np_rademacher(seed, (uint32_t)i) == want, "rademacher seed %08lx n %d", (unsigned long)seed, i);
      w[i] = 0.0f;
    }
    np_add_rademacher(w, (uint32_t)s->len, seed, 1.0f);
    for (i = 0; i < (int)s->len; i++) CHECK(w[i] == (s->s[i] == '+' ? 1.0f : -1.0f), "add_rademacher sign seed %08lx n %d", (unsigned long)seed, i);
  }
  for (v = j_first(j_get(pr, "rademacher_at")); v >= 0; v = j_next(v))
    CHECK(np_rademacher(hex32(j_get(v, "seed")), num(v, "n")) == (int)j_int(j_get(v, "z")), "rademacher at n %lu", (unsigned long)num(v, "n"));
  {
    int dens = 0;
    for (v = j_first(j_get(pr, "masked_z")); v >= 0; v = j_next(v)) {
      static float big[(1u << 21) + 64];
      const jnode *z = j_node(j_get(v, "z"));
      uint32_t seed = hex32(j_get(v, "seed")), k;
      np_mask_t m = mask_from(v);
      int small = m.offset + m.length <= (1u << 21);
      dens |= m.density == 0 ? 1 : m.density == 31 ? 2 : m.density == 127 ? 4 : m.density == 254 ? 8 : m.density == 255 ? 16 : 0;
      CHECK(z->len == m.length, "masked_z length");
      if (small) { /* np_add_masked over a zeroed window one entry wider on each side */
        memset(big, 0, sizeof big);
        np_add_masked(big + 1, m.offset, m.length, m.density, seed, 1.0f);
        CHECK(big[m.offset] == 0.0f && (m.offset + m.length + 1 >= sizeof big / sizeof big[0] || big[m.offset + m.length + 1] == 0.0f), "np_add_masked wrote outside its block");
      }
      for (k = 0; k < m.length && k < z->len; k++) {
        uint32_t n = m.offset + k;
        int want = z->s[k] == '+' ? 1 : z->s[k] == '-' ? -1 : 0;
        int got = np_masked_keep(seed, n, m.density) ? np_rademacher(seed, n) : 0;
        CHECK(got == want, "masked z seed %08lx density %u n %lu: %d want %d", (unsigned long)seed, m.density, (unsigned long)n, got, want);
        if (small) CHECK(big[n + 1] == (float)want, "np_add_masked seed %08lx density %u n %lu", (unsigned long)seed, m.density, (unsigned long)n);
      }
    }
    CHECK(dens == 31, "masked_z covers densities 0, 31, 127, 254, 255");
  }
  for (v = j_first(j_get(pr, "batch_rows")); v >= 0; v = j_next(v)) {
    uint32_t seed = hex32(j_get(v, "seed")), rows = num(v, "rows");
    int k;
    for (k = 0, i = j_first(j_get(v, "indices")); i >= 0; i = j_next(i), k++)
      CHECK(np_batch_row(seed, (uint32_t)k, rows) == (uint32_t)j_int(i), "batch_row(%08lx, %d, %lu)", (unsigned long)seed, k, (unsigned long)rows);
  }
}

static void test_perturbed_reads(int root) {
  int v;
  char name[120];
  for (v = j_first(j_get(root, "perturbed_reads")); v >= 0; v = j_next(v)) {
    unsigned n = floats_from(j_get(v, "weights_bits"), fl_a), m = floats_from(j_get(v, "expected_bits"), fl_b), i;
    float a = (float)(int)j_int(j_get(v, "sign")) * bitsf(j_get(v, "scale_bits"));
    static float out[4096];
    j_str(j_get(v, "name"), name, sizeof name);
    CHECK(n == m, "%s: sizes", name);
    np_perturb_into(fl_a, out, n, num(v, "seed"), a);
    for (i = 0; i < n; i++) CHECK(np_f32_bits(out[i]) == np_f32_bits(fl_b[i]), "%s: weight %u: %08lx want %08lx", name, i, (unsigned long)np_f32_bits(out[i]), (unsigned long)np_f32_bits(fl_b[i]));
  }
}

static void test_updates(int root) {
  int v;
  char name[120];
  for (v = j_first(j_get(root, "updates")); v >= 0; v = j_next(v)) {
    unsigned n = floats_from(j_get(v, "weights_bits"), fl_a), m = floats_from(j_get(v, "expected_bits"), fl_b), i, k, terms;
    uint32_t seeds[255], clipped;
    float coef[255];
    j_str(j_get(v, "name"), name, sizeof name);
    terms = terms_from(v, seeds, coef);
    CHECK(n == m, "%s: sizes", name);
    for (k = 0; k < terms; k++) np_add_rademacher(fl_a, n, seeds[k], coef[k]);
    clipped = np_clip(fl_a, n, bitsf(j_get(v, "weight_min_bits")), bitsf(j_get(v, "weight_max_bits")));
    CHECK(clipped == num(v, "clipped"), "%s: clipped %lu want %lu", name, (unsigned long)clipped, (unsigned long)num(v, "clipped"));
    for (i = 0; i < n; i++) CHECK(np_f32_bits(fl_a[i]) == np_f32_bits(fl_b[i]), "%s: weight %u: %08lx want %08lx", name, i, (unsigned long)np_f32_bits(fl_a[i]), (unsigned long)np_f32_bits(fl_b[i]));
  }
  { /* values exactly at a bound are inside the range: not clipped */
    float w[4] = {-1.0f, 1.0f, -1.0000001f, 1.0000001f};
    CHECK(np_clip(w, 4, -1.0f, 1.0f) == 2 && w[2] == -1.0f && w[3] == 1.0f, "clip counts only values outside [lo, hi]");
  }
}

/* GUIDED reads and updates (section 9.2) through np_add_guided. */
static void test_guided(int root) {
  static float basis[3][64];
  const float *rows[3] = {basis[0], basis[1], basis[2]};
  int v, t, j;
  char name[120];
  const char *sections[2] = {"guided_perturbed_reads", "guided_updates"};
  int sec;
  for (sec = 0; sec < 2; sec++) {
    for (v = j_first(j_get(root, sections[sec])); v >= 0; v = j_next(v)) {
      unsigned n = floats_from(j_get(v, "weights_bits"), fl_a), m = floats_from(j_get(v, "expected_bits"), fl_b), i;
      np_guide_t g;
      j_str(j_get(v, "name"), name, sizeof name);
      guide_from(v, NP_DIST_GUIDED, &g);
      CHECK(n == m && n <= 64 && g.vectors <= 3, "%s: sizes", name);
      for (j = 0, t = j_first(j_get(v, "basis_bits")); t >= 0 && j < 3; t = j_next(t), j++) CHECK(floats_from(t, basis[j]) == n, "%s: basis %d", name, j);
      if (sec == 0) {
        float a = (float)(int)j_int(j_get(v, "sign")) * bitsf(j_get(v, "scale_bits"));
        char want[12];
        j_str(j_get(v, "guide_signs"), want, sizeof want);
        CHECK(strtoul(want, NULL, 16) == np_word(np_key(num(v, "seed"), NP_DOMAIN_GUIDE), 0), "%s: guide signs", name);
        np_add_guided(fl_a, fl_a, n, num(v, "seed"), a, g.vectors, g.full, g.guided, rows);
      } else {
        uint32_t seeds[255], clipped;
        float coef[255];
        unsigned k, terms = terms_from(v, seeds, coef);
        for (k = 0; k < terms; k++) np_add_guided(fl_a, fl_a, n, seeds[k], coef[k], g.vectors, g.full, g.guided, rows);
        clipped = np_clip(fl_a, n, bitsf(j_get(v, "weight_min_bits")), bitsf(j_get(v, "weight_max_bits")));
        CHECK(clipped == num(v, "clipped"), "%s: clipped %lu want %lu", name, (unsigned long)clipped, (unsigned long)num(v, "clipped"));
      }
      for (i = 0; i < n; i++) CHECK(np_f32_bits(fl_a[i]) == np_f32_bits(fl_b[i]), "%s: weight %u: %08lx want %08lx", name, i, (unsigned long)np_f32_bits(fl_a[i]), (unsigned long)np_f32_bits(fl_b[i]));
    }
  }
}

static void test_masked(int root) {
  int v, t;
  char name[120];
  for (v = j_first(j_get(root, "masked_perturbed_reads")); v >= 0; v = j_next(v)) {
    unsigned n = floats_from(j_get(v, "weights_bits"), fl_a), m = floats_from(j_get(v, "expected_bits"), fl_b), i;
    float a = (float)(int)j_int(j_get(v, "sign")) * bitsf(j_get(v, "scale_bits"));
    np_mask_t mk = mask_from(v);
    j_str(j_get(v, "name"), name, sizeof name);
    CHECK(n == m && mk.offset + mk.length <= n, "%s: sizes", name);
    np_add_masked(fl_a, mk.offset, mk.length, mk.density, num(v, "seed"), a);
    for (i = 0; i < n; i++) CHECK(np_f32_bits(fl_a[i]) == np_f32_bits(fl_b[i]), "%s: weight %u: %08lx want %08lx", name, i, (unsigned long)np_f32_bits(fl_a[i]), (unsigned long)np_f32_bits(fl_b[i]));
  }
  for (v = j_first(j_get(root, "masked_updates")); v >= 0; v = j_next(v)) {
    unsigned n = floats_from(j_get(v, "weights_bits"), fl_a), m = floats_from(j_get(v, "expected_bits"), fl_b), i;
    uint32_t clipped;
    j_str(j_get(v, "name"), name, sizeof name);
    CHECK(n == m, "%s: sizes", name);
    for (t = j_first(j_get(v, "terms")); t >= 0; t = j_next(t)) {
      np_mask_t mk = mask_from(t);
      CHECK(mk.offset + mk.length <= n, "%s: block within the weights", name);
      np_add_masked(fl_a, mk.offset, mk.length, mk.density, num(t, "seed"), bitsf(j_get(t, "coefficient_bits")));
    }
    clipped = np_clip(fl_a, n, bitsf(j_get(v, "weight_min_bits")), bitsf(j_get(v, "weight_max_bits")));
    CHECK(clipped == num(v, "clipped"), "%s: clipped %lu want %lu", name, (unsigned long)clipped, (unsigned long)num(v, "clipped"));
    for (i = 0; i < n; i++) CHECK(np_f32_bits(fl_a[i]) == np_f32_bits(fl_b[i]), "%s: weight %u: %08lx want %08lx", name, i, (unsigned long)np_f32_bits(fl_a[i]), (unsigned long)np_f32_bits(fl_b[i]));
  }
  { /* a dense block is np_add_rademacher restricted, bit for bit, for every start and end mod 32 */
    uint32_t from, to, i;
    int bad = 0;
    for (from = 0; from < 70; from += 3) {
      for (to = from + 1; to <= 70; to += 5) {
        for (i = 0; i < 70; i++) fl_a[i] = fl_b[i] = 0.25f + (float)i * 0.001f;
        np_add_rademacher(fl_a, 70, 0x2545f491u, 0.0123f);
        np_add_masked(fl_b, from, to - from, NP_DENSE, 0x2545f491u, 0.0123f);
        for (i = 0; i < 70; i++) bad += np_f32_bits(i >= from && i < to ? fl_a[i] : 0.25f + (float)i * 0.001f) != np_f32_bits(fl_b[i]);
      }
    }
    CHECK(bad == 0, "dense blocks differ from the whole direction in %d entries", bad);
  }
}

static int frame_by_name(int root, const char *name) {
  int v;
  for (v = j_first(j_get(root, "frames")); v >= 0; v = j_next(v))
    if (j_str_eq(j_get(v, "name"), name)) return v;
  return -1;
}

static void test_spsa(int root) {
  int s = j_get(root, "spsa_step"), v;
  size_t total = 0;
  for (v = j_first(j_get(s, "frames")); v >= 0; v = j_next(v)) {
    char name[120];
    int fr;
    j_str(v, name, sizeof name);
    fr = frame_by_name(root, name);
    CHECK(fr >= 0, "spsa frame '%s' missing", name);
    if (fr >= 0) total += hex_bytes(j_get(fr, "wire"), buf_a);
  }
  CHECK(total == num(s, "total_wire_bytes"), "spsa total %u wire bytes, want %lu", (unsigned)total, (unsigned long)num(s, "total_wire_bytes"));
}

/* ---- the dispatcher, scripted from the frames vectors -------------------------------------- */
static int g_root;
static int g_reply; /* the reply vector the backend should answer with */
static int g_request;
static int g_any_fields; /* the request was altered from its vector: skip the field comparison */
static unsigned calls_reset, calls_define, calls_write, calls_eval, calls_update, calls_ww, calls_rw, calls_stats;

static int s_reset(np_chip_t *c, void *x) {
  (void)c;
  (void)x;
  calls_reset++;
  return NP_OK;
}

static int s_define(np_chip_t *c, void *x, const np_data_define_t *d) {
  int f = j_get(g_request, "fields");
  (void)c;
  (void)x;
  calls_define++;
  CHECK(d->slot == num(f, "slot") && d->rows == num(f, "rows") && d->features == num(f, "features"), "chip DATA_DEFINE fields");
  return NP_OK;
}

static int s_write(np_chip_t *c, void *x, const np_data_write_t *d) {
  int f = j_get(g_request, "fields");
  (void)c;
  (void)x;
  calls_write++;
  CHECK(d->first_row == num(f, "first_row") && d->row_count == num(f, "row_count"), "chip DATA_WRITE fields");
  return NP_OK;
}

static int s_eval(np_chip_t *c, void *x, const np_evaluate_t *e, np_eval_result_t *r) {
  np_evaluate_t want;
  (void)c;
  (void)x;
  calls_eval++;
  evaluate_from(j_get(g_request, "fields"), &want);
  if (g_any_fields) want.mask = e->mask;
  CHECK(e->seed == want.seed && e->sign == want.sign && e->start_or_seed == want.start_or_seed && e->count == want.count
            && e->distribution == want.distribution && same_mask(&e->mask, &want.mask),
        "chip EVALUATE fields");
  eval_result_from(j_get(g_reply, "fields"), r);
  return NP_OK;
}

static int s_update(np_chip_t *c, void *x, const np_update_t *u, uint32_t *clipped) {
  (void)c;
  (void)x;
  calls_update++;
  CHECK(u->terms >= 1 && u->terms == (unsigned)j_count(j_get(j_get(g_request, "fields"), "terms")), "chip UPDATE terms");
  *clipped = num(j_get(g_reply, "fields"), "clipped");
  return NP_OK;
}

static int s_ww(np_chip_t *c, void *x, const np_weights_t *w) {
  (void)c;
  (void)x;
  calls_ww++;
  CHECK(w->offset == num(j_get(g_request, "fields"), "offset"), "chip WRITE_WEIGHTS offset");
  return NP_OK;
}

static int s_rw(np_chip_t *c, void *x, const np_read_weights_t *q, np_writer_t *w) {
  unsigned n = floats_from(j_get(j_get(g_reply, "fields"), "values_bits"), fl_a), i;
  (void)c;
  (void)x;
  calls_rw++;
  CHECK(n == q->count, "chip READ_WEIGHTS count");
  for (i = 0; i < n; i++) np_wr_f32(w, fl_a[i]);
  return NP_OK;
}

static int s_stats(np_chip_t *c, void *x, np_stats_t *out) {
  (void)c;
  (void)x;
  calls_stats++;
  stats_from(j_get(g_reply, "fields"), out);
  return NP_OK;
}

static unsigned calls_basis;
static int s_basis(np_chip_t *c, void *x, const np_basis_write_t *b) {
  (void)c;
  (void)x;
  (void)b;
  calls_basis++;
  return NP_OK;
}

static const np_backend_t scripted = {s_reset, s_define, s_write, s_eval, s_update, s_ww, s_rw, s_stats, s_basis};
static const np_backend_t no_stats = {s_reset, s_define, s_write, s_eval, s_update, s_ww, s_rw, NULL, NULL};
static np_chip_t chip;
static np_hello_t hello;

/* Sends one raw frame (COBS + delimiter) to the chip; the output lands in sink_buf. */
static void send_raw(const uint8_t *raw, size_t n) {
  uint8_t wire[NP_COBS_MAX(70000) + 1];
  size_t k = np_cobs_encode(raw, n, wire);
  wire[k++] = 0;
  sink_len = 0;
  np_chip_feed(&chip, wire, k);
}

static void send_frame(uint8_t version, uint8_t type, uint16_t seq, const uint8_t *payload, uint16_t len) {
  uint8_t raw[70000];
  send_raw(raw, np_frame_encode(version, type, seq, payload, len, raw));
}

/* The output must be exactly one frame: parses it. */
static int reply_frame(np_frame_t *f) {
  static np_parser_t p;
  size_t i;
  int frames = 0;
  np_parser_init(&p);
  for (i = 0; i < sink_len; i++)
    if (np_parser_feed(&p, sink_buf[i], f) == NP_PARSE_FRAME) frames++;
  if (frames != 1) return 0;
  /* the payload points into p.buf, which is static: still valid */
  return 1;
}

static int error_code(const np_frame_t *f) {
  np_error_t e;
  const char *why;
  if (f->type != NP_ERROR || np_error_decode(f->payload, f->len, &e, &why) != NP_OK) return -1;
  return e.code;
}

static void test_chip(int root) {
  int v;
  char name[120];
  uint8_t pl[2048];
  np_frame_t f;
  unsigned before;
  g_root = root;
  hello_from(j_get(frame_by_name(root, "HELLO reply"), "fields"), &hello);
  hello.max_basis = 2; /* announced only while DIRECTION_GUIDED is set (BASIS_WRITE below) */
  np_chip_init(&chip, &hello, &scripted, NULL, sink, NULL);
  CHECK(chip.params == 23, "4-3-2 network has 23 parameters, got %lu", (unsigned long)chip.params);

  /* Every request of the frames section, answered byte for byte as its reply vector shows. */
  for (v = j_first(j_get(root, "frames")); v >= 0; v = j_next(v)) {
    int r = j_next(v);
    size_t nw;
    if (!j_str_eq(j_get(v, "direction"), "request")) continue;
    if (r < 0 || !j_str_eq(j_get(r, "direction"), "reply")) continue;
    j_str(j_get(v, "name"), name, sizeof name);
    g_request = v;
    g_reply = r;
    /* the frames' HELLO predates GUIDED (its reply bytes stay as they were); BASIS_WRITE needs the bit */
    if (!strncmp(name, "BASIS_WRITE", 11)) hello.capabilities |= NP_CAP_DIRECTION_GUIDED;
    else hello.capabilities &= ~(uint32_t)NP_CAP_DIRECTION_GUIDED;
    nw = hex_bytes(j_get(v, "wire"), buf_a);
    sink_len = 0;
    np_chip_feed(&chip, buf_a, nw);
    nw = hex_bytes(j_get(r, "wire"), buf_b);
    if (!same(sink_buf, sink_len, buf_b, nw)) {
      CHECK(0, "chip reply to '%s'", name);
      dump("got", sink_buf, sink_len);
      dump("want", buf_b, nw);
    } else {
      checks++;
    }
  }
  CHECK(calls_stats == 1, "backend STATS calls: %u", calls_stats);
  CHECK(calls_basis == 1, "backend BASIS_WRITE calls: %u", calls_basis);
  { /* BASIS_WRITE: an index beyond max_basis or a run beyond the parameters is OUT_OF_RANGE, before the backend */
    np_writer_t bw;
    float one = 1.0f;
    hello.capabilities |= NP_CAP_DIRECTION_GUIDED;
    np_wr_init(&bw, pl, sizeof pl);
    np_basis_write_encode(&bw, 2, 0, 1, &one);
    send_frame(1, NP_BASIS_WRITE, 50, pl, (uint16_t)bw.pos);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_OUT_OF_RANGE && calls_basis == 1, "BASIS_WRITE of vector 2 with max_basis 2");
    np_wr_init(&bw, pl, sizeof pl);
    np_basis_write_encode(&bw, 1, 22, 2, fl_a);
    send_frame(1, NP_BASIS_WRITE, 51, pl, (uint16_t)bw.pos);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_OUT_OF_RANGE && calls_basis == 1, "BASIS_WRITE of [22, 24) on 23 parameters");
    hello.capabilities &= ~(uint32_t)NP_CAP_DIRECTION_GUIDED;
    np_wr_init(&bw, pl, sizeof pl);
    np_basis_write_encode(&bw, 0, 0, 1, &one);
    send_frame(1, NP_BASIS_WRITE, 52, pl, (uint16_t)bw.pos);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_NOT_SUPPORTED && calls_basis == 1, "BASIS_WRITE without DIRECTION_GUIDED");
  }
  /* STATS with a payload is MALFORMED_PAYLOAD; a backend without the hook answers NOT_SUPPORTED. */
  {
    g_request = frame_by_name(root, "STATS request");
    g_reply = frame_by_name(root, "STATS reply");
    uint8_t one = 0;
    send_frame(1, NP_STATS, 40, &one, 1);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD && calls_stats == 1, "STATS with a payload byte");
    chip.backend = &no_stats;
    send_frame(1, NP_STATS, 41, &one, 0);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_NOT_SUPPORTED, "STATS without a backend hook");
    chip.backend = &scripted;
    send_frame(1, NP_STATS, 42, &one, 0);
    CHECK(reply_frame(&f) && f.type == (NP_STATS | NP_REPLY_BIT) && f.len == 56 && calls_stats == 2, "STATS after the hook is back");
  }
  CHECK(calls_reset == 1 && calls_define == 1 && calls_write == 1 && calls_eval == 4 && calls_update == 3 && calls_ww == 1 && calls_rw == 1,
        "backend calls: reset %u define %u write %u eval %u update %u ww %u rw %u", calls_reset, calls_define, calls_write, calls_eval, calls_update, calls_ww,
        calls_rw);

  /* "ERROR reply to a request": WRITE_WEIGHTS of 60 values at seq 9 on 23 parameters. */
  {
    np_writer_t w;
    size_t nw = hex_bytes(j_get(frame_by_name(root, "ERROR reply to a request"), "wire"), buf_b);
    memset(fl_a, 0, 60 * sizeof(float));
    np_wr_init(&w, pl, sizeof pl);
    np_weights_encode(&w, 0, 60, fl_a);
    before = calls_ww;
    send_frame(1, NP_WRITE_WEIGHTS, 9, pl, (uint16_t)w.pos);
    CHECK(same(sink_buf, sink_len, buf_b, nw), "chip ERROR reply to WRITE_WEIGHTS [0, 60) equals the vector");
    CHECK(calls_ww == before, "an out-of-range WRITE_WEIGHTS reached the backend");
  }
  /* "ERROR unsolicited CORRUPT_FRAME": a frame with a flipped payload bit. */
  {
    int bad = j_first(j_get(root, "frames_invalid"));
    size_t nr, nw = hex_bytes(j_get(frame_by_name(root, "ERROR unsolicited CORRUPT_FRAME"), "wire"), buf_b);
    while (bad >= 0 && !j_str_eq(j_get(bad, "name"), "one payload bit flipped")) bad = j_next(bad);
    nr = hex_bytes(j_get(bad, "raw"), buf_a);
    send_raw(buf_a, nr);
    CHECK(same(sink_buf, sink_len, buf_b, nw), "chip CORRUPT_FRAME for a bad CRC equals the vector");
  }

  /* At-most-once: the UPDATE of seq 12 again (the cache was replaced by seq 9, so use a fresh one). */
  {
    int uv = frame_by_name(root, "SPSA UPDATE request"), ur = frame_by_name(root, "SPSA UPDATE reply");
    size_t nw = hex_bytes(j_get(uv, "wire"), buf_a), nr = hex_bytes(j_get(ur, "wire"), buf_b);
    uint8_t other[10];
    g_request = uv;
    g_reply = ur;
    before = calls_update;
    sink_len = 0;
    np_chip_feed(&chip, buf_a, nw);
    CHECK(calls_update == before + 1 && same(sink_buf, sink_len, buf_b, nr), "UPDATE seq 12 executes");
    sink_len = 0;
    np_chip_feed(&chip, buf_a, nw);
    CHECK(calls_update == before + 1 && same(sink_buf, sink_len, buf_b, nr), "a resent UPDATE is answered from the cache, not executed");
    CHECK(chip.replays == 1, "replays counter %lu", (unsigned long)chip.replays);
    /* same seq, other payload: SEQUENCE_REUSED, nothing executed, cache kept */
    hex_bytes(j_get(uv, "payload"), other);
    other[9] ^= 0x01;
    send_frame(1, NP_UPDATE, 12, other, 10);
    CHECK(reply_frame(&f) && f.seq == 12 && error_code(&f) == NP_E_SEQUENCE_REUSED && calls_update == before + 1, "seq reused with another payload");
    send_frame(1, NP_PING, 12, other, 10);
    CHECK(reply_frame(&f) && f.seq == 12 && error_code(&f) == NP_E_SEQUENCE_REUSED, "seq reused with another type");
    sink_len = 0;
    np_chip_feed(&chip, buf_a, nw);
    CHECK(calls_update == before + 1 && same(sink_buf, sink_len, buf_b, nr), "cache kept after SEQUENCE_REUSED");
  }
  /* HELLO forgets the cache: the same RESET frame executes again after a HELLO. */
  {
    before = calls_reset;
    send_frame(1, NP_RESET, 2, NULL, 0);
    send_frame(1, NP_RESET, 2, NULL, 0);
    CHECK(calls_reset == before + 1, "RESET resent: executed once");
    pl[0] = 1;
    send_frame(1, NP_HELLO, 0, pl, 1);
    CHECK(reply_frame(&f) && f.type == (NP_HELLO | NP_REPLY_BIT) && f.seq == 0, "HELLO answered");
    send_frame(1, NP_HELLO, 0, pl, 1);
    CHECK(reply_frame(&f) && f.type == (NP_HELLO | NP_REPLY_BIT), "HELLO twice with seq 0 is a new session, not SEQUENCE_REUSED");
    send_frame(1, NP_RESET, 2, NULL, 0);
    CHECK(calls_reset == before + 2, "RESET after HELLO executes again");
  }
  /* Refusals, each with the request's seq; errors are cached like replies. */
  {
    send_frame(1, 0x55, 20, NULL, 0);
    CHECK(reply_frame(&f) && f.seq == 20 && error_code(&f) == NP_E_UNKNOWN_TYPE, "unknown type 0x55");
    send_frame(1, 0x81, 21, NULL, 0);
    CHECK(reply_frame(&f) && f.seq == 21 && error_code(&f) == NP_E_UNKNOWN_TYPE, "a reply code sent to the chip");
    send_frame(1, 0xFF, 22, NULL, 0);
    CHECK(reply_frame(&f) && f.seq == 22 && error_code(&f) == NP_E_UNKNOWN_TYPE, "ERROR sent to the chip");
    send_frame(2, NP_PING, 23, NULL, 0);
    CHECK(reply_frame(&f) && f.seq == 23 && error_code(&f) == NP_E_UNSUPPORTED_VERSION, "version 2");
    send_frame(2, NP_HELLO, 24, pl, 1);
    CHECK(reply_frame(&f) && f.seq == 24 && error_code(&f) == NP_E_UNSUPPORTED_VERSION, "HELLO of version 2");
    before = calls_reset;
    send_frame(1, NP_RESET, 25, pl, 1);
    CHECK(reply_frame(&f) && f.seq == 25 && error_code(&f) == NP_E_MALFORMED_PAYLOAD && calls_reset == before, "RESET with a payload");
    send_frame(1, NP_RESET, 25, pl, 1);
    CHECK(reply_frame(&f) && f.seq == 25 && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "a refused request resent gets the cached refusal");
    hex_bytes(j_get(frame_by_name(root, "SPSA EVALUATE + request"), "payload"), pl);
    before = calls_eval;
    send_frame(1, NP_EVALUATE, 26, pl, 17);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "EVALUATE one byte short");
    pl[18] = 0;
    send_frame(1, NP_EVALUATE, 27, pl, 19);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "EVALUATE with a trailing byte");
    pl[13] = 0;
    send_frame(1, NP_EVALUATE, 28, pl, 18);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "EVALUATE with sign 0");
    pl[13] = 1;
    np_put_u32(pl + 14, 0x7FC00000u);
    send_frame(1, NP_EVALUATE, 29, pl, 18);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "EVALUATE with a NaN scale");
    np_put_u32(pl + 14, 0x3c23d70au);
    np_put_u16(pl + 6, 257);
    send_frame(1, NP_EVALUATE, 30, pl, 18);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_BATCH_TOO_LARGE, "EVALUATE of 257 > maxBatch 256");
    np_put_u16(pl + 6, 32);
    pl[0] = 4;
    send_frame(1, NP_EVALUATE, 31, pl, 18);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_OUT_OF_RANGE, "EVALUATE of slot 4 of 4");
    CHECK(calls_eval == before, "refused EVALUATEs reached the backend");
    pl[0] = 1;
    pl[1] = 0x01;
    pl[2] = 0;
    np_put_u32(pl + 2, 0x3F800000u); /* UPDATE distribution 1, 1 term; coefficient +inf below */
    pl[0] = 1;
    pl[1] = 1;
    np_put_u32(pl + 2, 5);
    np_put_u32(pl + 6, 0x7F800000u);
    send_frame(1, NP_UPDATE, 32, pl, 10);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "UPDATE with an infinite coefficient");
    pl[0] = 0;
    np_put_u32(pl + 6, 0x3F800000u);
    send_frame(1, NP_UPDATE, 33, pl, 10);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "UPDATE with distribution NONE");
    np_put_u32(pl, 20);
    np_put_u16(pl + 4, 4);
    pl[6] = 0;
    send_frame(1, NP_READ_WEIGHTS, 34, pl, 7);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_OUT_OF_RANGE, "READ_WEIGHTS [20, 24) of 23");
    np_put_u32(pl, 0);
    np_put_u16(pl + 4, 1);
    np_put_u32(pl + 6, 0x40000000u); /* 2.0 outside [-1, 1] */
    before = calls_ww;
    send_frame(1, NP_WRITE_WEIGHTS, 35, pl, 10);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_OUT_OF_RANGE && calls_ww == before, "WRITE_WEIGHTS of 2.0 outside the range");
    memset(pl, 0, 1025);
    send_frame(1, NP_PING, 36, pl, 1025);
    CHECK(reply_frame(&f) && f.seq == 36 && error_code(&f) == NP_E_PAYLOAD_TOO_LARGE, "PING of 1025 > maxPayload 1024");
    send_frame(1, NP_PING, 37, pl, 1024);
    CHECK(reply_frame(&f) && f.seq == 37 && f.type == (NP_PING | NP_REPLY_BIT) && f.len == 1024, "PING of exactly maxPayload echoed");
  }
  /* Distribution MASKED (section 9.1): block checks, and a chip without DIRECTION_MASKED. */
  {
    int ev = frame_by_name(root, "EVALUATE request, MASKED perturbation"), up = frame_by_name(root, "UPDATE request, MASKED, two terms");
    uint8_t e27[27], u36[36], tmp[40];
    np_hello_t plain;
    CHECK(ev >= 0 && up >= 0, "MASKED frame vectors present");
    CHECK(hex_bytes(j_get(ev, "payload"), e27) == 27 && hex_bytes(j_get(up, "payload"), u36) == 36, "MASKED payload sizes 27 and 2 + 2 x 17");
    g_request = ev;
    g_reply = j_next(ev);
    before = calls_eval;
    memcpy(tmp, e27, 27);
    np_put_u32(tmp + 18, 10);
    np_put_u32(tmp + 22, 13); /* [10, 23): ends at the last parameter */
    g_any_fields = 1;
    send_frame(1, NP_EVALUATE, 50, tmp, 27);
    g_any_fields = 0;
    CHECK(reply_frame(&f) && f.type == (NP_EVALUATE | NP_REPLY_BIT) && calls_eval == before + 1, "MASKED EVALUATE on [10, 23) of 23 served");
    np_put_u32(tmp + 22, 14);
    send_frame(1, NP_EVALUATE, 51, tmp, 27);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_OUT_OF_RANGE && calls_eval == before + 1, "MASKED EVALUATE on [10, 24) of 23");
    np_put_u32(tmp + 18, 23);
    np_put_u32(tmp + 22, 1);
    send_frame(1, NP_EVALUATE, 52, tmp, 27);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_OUT_OF_RANGE, "MASKED EVALUATE on [23, 24) of 23");
    np_put_u32(tmp + 18, 0xFFFFFFF0u);
    np_put_u32(tmp + 22, 0x20u);
    send_frame(1, NP_EVALUATE, 53, tmp, 27);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "MASKED block whose end wraps 2^32");
    np_put_u32(tmp + 18, 0x7FFFFFF0u);
    np_put_u32(tmp + 22, 0x10u);
    send_frame(1, NP_EVALUATE, 54, tmp, 27);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "MASKED block ending at 2^31");
    np_put_u32(tmp + 18, 0x7FFFFFF0u);
    np_put_u32(tmp + 22, 0x0Fu);
    send_frame(1, NP_EVALUATE, 55, tmp, 27);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_OUT_OF_RANGE, "MASKED block ending at 2^31 - 1: OUT_OF_RANGE, not malformed");
    np_put_u32(tmp + 18, 0);
    np_put_u32(tmp + 22, 0);
    send_frame(1, NP_EVALUATE, 56, tmp, 27);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "MASKED block of length 0");
    send_frame(1, NP_EVALUATE, 57, e27, 18);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "MASKED EVALUATE without its block");
    memcpy(tmp, e27, 27);
    tmp[8] = NP_DIST_RADEMACHER;
    send_frame(1, NP_EVALUATE, 58, tmp, 27);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "RADEMACHER EVALUATE with a block: trailing bytes");
    tmp[8] = 3;
    send_frame(1, NP_EVALUATE, 59, tmp, 27);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "EVALUATE with distribution 3 on a chip without DIRECTION_GUIDED");
    CHECK(calls_eval == before + 1, "refused MASKED EVALUATEs reached the backend");

    g_request = up;
    g_reply = j_next(up);
    before = calls_update;
    memcpy(tmp, u36, 36);
    np_put_u32(tmp + 2 + 17 + 8, 22);
    np_put_u32(tmp + 2 + 17 + 12, 2); /* second term [22, 24) */
    send_frame(1, NP_UPDATE, 60, tmp, 36);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_OUT_OF_RANGE && calls_update == before, "MASKED UPDATE whose second block leaves the 23 parameters");
    np_put_u32(tmp + 2 + 17 + 12, 0);
    send_frame(1, NP_UPDATE, 61, tmp, 36);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD && calls_update == before, "MASKED UPDATE term of length 0");
    send_frame(1, NP_UPDATE, 62, u36, 35);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "MASKED UPDATE one byte short");
    tmp[0] = NP_DIST_RADEMACHER;
    np_put_u32(tmp + 2 + 17 + 12, 1);
    send_frame(1, NP_UPDATE, 63, tmp, 36);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "17-byte terms under distribution RADEMACHER");
    send_frame(1, NP_UPDATE, 64, u36, 36);
    CHECK(reply_frame(&f) && f.type == (NP_UPDATE | NP_REPLY_BIT) && calls_update == before + 1, "MASKED UPDATE vector served");

    /* The same chip without DIRECTION_MASKED: distribution 2 is an unknown code, MALFORMED_PAYLOAD. */
    plain = hello;
    plain.capabilities &= ~(uint32_t)NP_CAP_DIRECTION_MASKED;
    chip.hello = &plain;
    before = calls_eval + calls_update;
    send_frame(1, NP_EVALUATE, 65, e27, 27);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "MASKED EVALUATE without the capability");
    send_frame(1, NP_UPDATE, 66, u36, 36);
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_MALFORMED_PAYLOAD, "MASKED UPDATE without the capability");
    CHECK(calls_eval + calls_update == before, "MASKED requests reached a backend without the capability");
    hex_bytes(j_get(frame_by_name(root, "SPSA EVALUATE + request"), "payload"), tmp);
    g_request = frame_by_name(root, "SPSA EVALUATE + request");
    g_reply = j_next(g_request);
    send_frame(1, NP_EVALUATE, 67, tmp, 18);
    CHECK(reply_frame(&f) && f.type == (NP_EVALUATE | NP_REPLY_BIT), "RADEMACHER EVALUATE still served without DIRECTION_MASKED");
    chip.hello = &hello;
  }
  /* Stream behaviour: flush, garbage, oversize. */
  {
    uint8_t z = 0, junk[3] = {0x05, 0x11, 0x00};
    np_parser_stats_t s0 = chip.parser.stats;
    size_t i;
    sink_len = 0;
    np_chip_feed(&chip, &z, 1);
    np_chip_feed(&chip, &z, 1);
    CHECK(sink_len == 0, "lone delimiters are ignored");
    np_chip_feed(&chip, junk, 3);
    CHECK(reply_frame(&f) && f.seq == NP_UNSOLICITED_SEQ && error_code(&f) == NP_E_CORRUPT_FRAME, "garbage answered with CORRUPT_FRAME seq 0xFFFF");
    CHECK(chip.parser.stats.malformed == s0.malformed + 1, "garbage counted as malformed");
    sink_len = 0;
    for (i = 0; i < NP_MAX_ENCODED + 500; i++) {
      uint8_t one = 0x01;
      np_chip_feed(&chip, &one, 1);
    }
    CHECK(reply_frame(&f) && error_code(&f) == NP_E_CORRUPT_FRAME, "an oversize run gets exactly one CORRUPT_FRAME");
    sink_len = 0;
    np_chip_feed(&chip, &z, 1);
    CHECK(sink_len == 0 && chip.parser.stats.oversize == s0.oversize + 1 && chip.parser.stats.resyncs == s0.resyncs + 1, "oversize skipped to the delimiter");
    pl[0] = 0xAB;
    send_frame(1, NP_PING, 40, pl, 1);
    CHECK(reply_frame(&f) && f.seq == 40 && f.type == (NP_PING | NP_REPLY_BIT) && f.len == 1 && f.payload[0] == 0xAB, "the next frame after an oversize run is served");
  }
  /* A frame whose encoding is exactly NP_MAX_ENCODED bytes (maxPayload of non-zero bytes) fits. */
  {
    static uint8_t raw[NP_MAX_RAW], wire[NP_MAX_ENCODED + 8];
    uint8_t fill;
    size_t k = 0;
    for (fill = 1; fill < 255; fill++) {
      memset(pl, fill, NP_MAX_PAYLOAD);
      np_frame_encode(1, NP_PING, 0x0101, pl, NP_MAX_PAYLOAD, raw);
      k = np_cobs_encode(raw, NP_MAX_RAW, wire);
      if (k == NP_MAX_ENCODED) break;
    }
    CHECK(k == NP_MAX_ENCODED, "found no maximal frame");
    wire[k++] = 0;
    sink_len = 0;
    np_chip_feed(&chip, wire, k);
    CHECK(reply_frame(&f) && f.seq == 0x0101 && f.type == (NP_PING | NP_REPLY_BIT) && f.len == NP_MAX_PAYLOAD, "a frame of exactly NP_MAX_ENCODED encoded bytes is served");
  }
}


/* ---- one message, one frame (section 14) --------------------------------------------------- */
static void collect(void *ctx, const uint8_t *p, size_t n) {
  (void)ctx;
  memcpy(sink_buf + sink_len, p, n);
  sink_len += n;
}

static void test_messages(int root) {
  int c;
  for (c = j_first(j_get(root, "mqtt_messages")); c >= 0; c = j_next(c)) {
    char name[128];
    size_t n = hex_bytes(j_get(c, "message"), buf_a), max = num(c, "max_payload");
    np_frame_t f;
    int st = np_message_frame(buf_a, n, NP_COBS_MAX(max + NP_OVERHEAD), buf_b, &f);
    j_str(j_get(c, "name"), name, sizeof name);
    if (j_get(c, "corrupt") >= 0) {
      CHECK(st != NP_FRAME_OK, "mqtt_messages %s: accepted a message that is not one frame", name);
    } else {
      size_t want = hex_bytes(j_get(c, "frame_raw"), buf_c);
      CHECK(st == NP_FRAME_OK && same(buf_b, (size_t)f.len + NP_OVERHEAD, buf_c, want), "mqtt_messages %s: status %d", name, st);
    }
  }
  /* Through the chip: whatever a message holds, exactly one reply frame. */
  for (c = j_first(j_get(root, "mqtt_messages")); c >= 0; c = j_next(c)) {
    static np_chip_t mc;
    np_parser_t p;
    np_frame_t f;
    size_t n = hex_bytes(j_get(c, "message"), buf_a), i;
    int frames = 0, corrupt = 0;
    np_chip_init(&mc, ex_hello(1u), &ex_backend, NULL, collect, NULL);
    sink_len = 0;
    np_chip_message(&mc, buf_a, n);
    np_parser_init(&p);
    for (i = 0; i < sink_len; i++)
      if (np_parser_feed(&p, sink_buf[i], &f) == NP_PARSE_FRAME) {
        frames++;
        if (f.type == NP_ERROR && f.seq == NP_UNSOLICITED_SEQ && np_get_u16(f.payload) == NP_E_CORRUPT_FRAME) corrupt++;
      }
    CHECK(frames == 1 && p.n == 0, "np_chip_message: %d reply frames", frames);
    /* a message of another max_payload than this chip's is only checked for its one reply */
    if (num(c, "max_payload") >= NP_MAX_PAYLOAD || j_get(c, "corrupt") >= 0)
      CHECK(corrupt == (j_get(c, "corrupt") >= 0), "np_chip_message: CORRUPT_FRAME %d", corrupt);
  }
}

/* ---- sessions against the example backend --------------------------------------------------- */
static void test_sessions(int root) {
  int s;
  for (s = j_first(j_get(root, "chip_sessions")); s >= 0; s = j_next(s)) {
    static np_chip_t sc;
    const np_hello_t *h = ex_hello(1u);
    int x, l = 0, k;
    for (k = j_first(j_get(s, "layers")); k >= 0; k = j_next(k), l++) CHECK(h->layer_sizes[l] == j_int(k), "chip_sessions: build the example 3-2-3");
    CHECK(h->dataset_slots == num(s, "dataset_slots"), "chip_sessions: slots");
    np_chip_init(&sc, h, &ex_backend, NULL, collect, NULL);
    ex_backend.reset(&sc, NULL);
    for (x = j_first(j_get(s, "exchanges")); x >= 0; x = j_next(x)) {
      char name[160];
      np_parser_t p;
      np_frame_t f;
      size_t n = hex_bytes(j_get(x, "request_wire"), buf_a), i;
      int frames = 0, cap = j_get(x, "capability");
      j_str(j_get(x, "name"), name, sizeof name);
      sink_len = 0;
      np_chip_feed(&sc, buf_a, n);
      np_parser_init(&p);
      for (i = 0; i < sink_len; i++)
        if (np_parser_feed(&p, sink_buf[i], &f) == NP_PARSE_FRAME) frames++;
      CHECK(frames == 1, "chip_sessions %s: %d replies", name, frames);
      if (frames != 1) continue;
      /* every exchange's frame is still in p.buf: a single reply */
      if (cap >= 0 && j_str_eq(cap, "STATS") && !(h->capabilities & NP_CAP_STATS)) {
        CHECK(f.type == NP_ERROR && np_get_u16(f.payload) == NP_E_NOT_SUPPORTED, "chip_sessions %s: NOT_SUPPORTED without the capability", name);
        continue;
      }
      CHECK(f.type == num(x, "reply_type"), "chip_sessions %s: type 0x%02x", name, f.type);
      CHECK(f.seq == num(x, "reply_seq"), "chip_sessions %s: seq %u", name, f.seq);
      if (j_get(x, "error_code") >= 0) {
        CHECK(f.type == NP_ERROR && np_get_u16(f.payload) == num(x, "error_code"), "chip_sessions %s: error code %u", name,
              f.type == NP_ERROR ? np_get_u16(f.payload) : 0u);
      } else if (j_get(x, "reply_payload") >= 0) {
        size_t want = hex_bytes(j_get(x, "reply_payload"), buf_c);
        CHECK(same(f.payload, f.len, buf_c, want), "chip_sessions %s: payload", name);
        if (!same(f.payload, f.len, buf_c, want)) dump("  got", f.payload, f.len);
      }
    }
  }
}

/* ---- GUIDED on the example backend: BASIS_WRITE, NO_BASIS, the weights after a guided UPDATE --- */
static np_chip_t gc;

/* One request to gc; its single reply frame in *f (its payload stays valid until the next call). */
static int ex_call(uint8_t type, uint16_t seq, const uint8_t *payload, uint16_t len, np_frame_t *f) {
  static uint8_t raw[4096];
  static np_parser_t p;
  uint8_t wire[NP_COBS_MAX(4096) + 1];
  size_t n = np_frame_encode(NP_VERSION, type, seq, payload, len, raw), k, i;
  int frames = 0;
  k = np_cobs_encode(raw, n, wire);
  wire[k++] = 0;
  sink_len = 0;
  np_chip_feed(&gc, wire, k);
  np_parser_init(&p);
  for (i = 0; i < sink_len; i++)
    if (np_parser_feed(&p, sink_buf[i], f) == NP_PARSE_FRAME) frames++;
  return frames == 1;
}

static void test_example_guided(void) {
  const np_hello_t *h = ex_hello(1u);
  uint32_t params = np_param_count(h->layer_sizes, h->layers), i;
  static float w[64], b0[64], want[64];
  const float *rows[1] = {b0};
  uint8_t pl[1024];
  np_writer_t wr;
  np_frame_t f;
  np_guide_t one = {1, 0.94868326f, 0.31622776f}, three = {3, 0.94868326f, 0.31622776f};
  uint32_t seeds[2] = {7u, 0x2545f491u};
  float coef[2] = {0.125f, -0.0625f};
  uint16_t seq = 1;
  CHECK(h->max_basis == 2 && (h->capabilities & NP_CAP_DIRECTION_GUIDED), "example HELLO: max_basis %u with DIRECTION_GUIDED", h->max_basis);
  CHECK(params <= 64, "example parameters %lu", (unsigned long)params);
  np_chip_init(&gc, h, &ex_backend, NULL, collect, NULL);
  for (i = 0; i < params; i++) {
    w[i] = 0.05f * (float)i - 0.4f;
    b0[i] = 1.5f - 0.2f * (float)i;
  }
  CHECK(ex_call(NP_RESET, seq++, NULL, 0, &f) && f.type == (NP_RESET | NP_REPLY_BIT), "RESET");
  np_wr_init(&wr, pl, sizeof pl);
  np_weights_encode(&wr, 0, (uint16_t)params, w);
  CHECK(ex_call(NP_WRITE_WEIGHTS, seq++, pl, (uint16_t)wr.pos, &f) && f.type == (NP_WRITE_WEIGHTS | NP_REPLY_BIT), "WRITE_WEIGHTS");
  np_wr_init(&wr, pl, sizeof pl);
  np_update_encode_guided(&wr, &one, 2, seeds, coef);
  CHECK(ex_call(NP_UPDATE, seq++, pl, (uint16_t)wr.pos, &f) && error_code(&f) == NP_E_NO_BASIS, "guided UPDATE before BASIS_WRITE: NO_BASIS");
  np_wr_init(&wr, pl, sizeof pl);
  np_basis_write_encode(&wr, 0, 0, (uint16_t)params, b0);
  CHECK(ex_call(NP_BASIS_WRITE, seq++, pl, (uint16_t)wr.pos, &f) && f.type == (NP_BASIS_WRITE | NP_REPLY_BIT), "BASIS_WRITE of vector 0");
  np_wr_init(&wr, pl, sizeof pl);
  np_basis_write_encode(&wr, 2, 0, 1, b0);
  CHECK(ex_call(NP_BASIS_WRITE, seq++, pl, (uint16_t)wr.pos, &f) && error_code(&f) == NP_E_OUT_OF_RANGE, "BASIS_WRITE of vector 2 of 2: OUT_OF_RANGE");
  np_wr_init(&wr, pl, sizeof pl);
  np_update_encode_guided(&wr, &three, 2, seeds, coef);
  CHECK(ex_call(NP_UPDATE, seq++, pl, (uint16_t)wr.pos, &f) && error_code(&f) == NP_E_OUT_OF_RANGE, "guided UPDATE over 3 vectors of 2: OUT_OF_RANGE");
  np_wr_init(&wr, pl, sizeof pl);
  np_update_encode_guided(&wr, &one, 2, seeds, coef);
  CHECK(ex_call(NP_UPDATE, seq++, pl, (uint16_t)wr.pos, &f) && f.type == (NP_UPDATE | NP_REPLY_BIT), "guided UPDATE after BASIS_WRITE");
  memcpy(want, w, sizeof w);
  np_add_guided(want, want, params, seeds[0], coef[0], 1, one.full, one.guided, rows);
  np_add_guided(want, want, params, seeds[1], coef[1], 1, one.full, one.guided, rows);
  CHECK(f.len == 4 && np_get_u32(f.payload) == np_clip(want, params, -1.0f, 1.0f), "guided UPDATE clipped count");
  np_wr_init(&wr, pl, sizeof pl);
  {
    np_read_weights_t q = {0, (uint16_t)params, NP_SOURCE_TARGET};
    np_weights_t got;
    const char *why;
    np_read_weights_encode(&wr, &q);
    CHECK(ex_call(NP_READ_WEIGHTS, seq++, pl, (uint16_t)wr.pos, &f) && np_weights_decode(f.payload, f.len, &got, &why) == NP_OK, "READ_WEIGHTS");
    for (i = 0; i < params && i < got.count; i++)
      CHECK(np_f32_bits(np_weights_value(&got, i)) == np_f32_bits(want[i]), "weight %lu after the guided UPDATE", (unsigned long)i);
  }
  CHECK(ex_call(NP_RESET, seq++, NULL, 0, &f), "RESET");
  np_wr_init(&wr, pl, sizeof pl);
  np_update_encode_guided(&wr, &one, 1, seeds, coef);
  CHECK(ex_call(NP_UPDATE, seq++, pl, (uint16_t)wr.pos, &f) && error_code(&f) == NP_E_NO_BASIS, "RESET forgets the basis: NO_BASIS");
}

int main(int argc, char **argv) {
  FILE *fp;
  static char text[1 << 20];
  size_t n;
  int root;
  if (argc != 2) {
    fprintf(stderr, "usage: %s test-vectors.json\n", argv[0]);
    return 2;
  }
  fp = fopen(argv[1], "rb");
  if (!fp) {
    perror(argv[1]);
    return 2;
  }
  n = fread(text, 1, sizeof text, fp);
  fclose(fp);
  root = j_parse(text, n);
  if (root < 0) {
    fprintf(stderr, "%s: not the JSON this reader expects\n", argv[1]);
    return 2;
  }
  if (j_get(root, "protocol_version") < 0 || j_int(j_get(root, "protocol_version")) != NP_VERSION) {
    fprintf(stderr, "%s: vectors of another protocol version\n", argv[1]);
    return 2;
  }
  test_crc(root);
  test_cobs(root);
  test_frames(root);
  test_frames_invalid(root);
  test_prng(root);
  test_perturbed_reads(root);
  test_updates(root);
  test_masked(root);
  test_guided(root);
  test_example_guided();
  test_spsa(root);
  test_chip(root);
  test_messages(root);
  test_sessions(root);
  printf("%s: %d checks, %d failures\n", failures ? "FAILED" : "OK", checks, failures);
  return failures ? 1 : 0;
}
