/* noprop firmware protocol v1: C99 reference codec. See noprop_proto.h and PROTOCOL.md. */
#include "noprop_proto.h"

#include <string.h>

/* ---- byte order and float bits --------------------------------------------------------- */
uint16_t np_get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (uint16_t)p[1] << 8); }

uint32_t np_get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void np_put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

void np_put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* memcpy between a float and a uint32_t is the portable bit cast (compilers emit one move). */
uint32_t np_f32_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

float np_bits_f32(uint32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}

int np_f32_finite(float f) { return (np_f32_bits(f) & 0x7F800000u) != 0x7F800000u; }

/* ---- CRC-32 ------------------------------------------------------------------------------ */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
    0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};

uint32_t np_crc32_update(uint32_t crc, const uint8_t *p, size_t n) {
  uint32_t c = ~crc;
  while (n--) {
    c ^= *p++;
    c = (c >> 4) ^ crc_nibble[c & 15u];
    c = (c >> 4) ^ crc_nibble[c & 15u];
  }
  return ~c;
}

uint32_t np_crc32(const uint8_t *p, size_t n) { return np_crc32_update(0, p, n); }

/* ---- COBS -------------------------------------------------------------------------------- */
size_t np_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst) {
  size_t code_at = 0, out = 1, i;
  uint8_t code = 1;
  for (i = 0; i < len; i++) {
    if (src[i] == 0) {
      dst[code_at] = code;
      code_at = out++;
      code = 1;
    } else {
      dst[out++] = src[i];
      if (++code == 0xFF) {
        dst[code_at] = code;
        code_at = out++;
        code = 1;
      }
    }
  }
  dst[code_at] = code;
  return out;
}

long np_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst) {
  size_t in = 0, out = 0;
  while (in < len) {
    uint8_t code = src[in++];
    size_t k;
    if (code == 0 || in + code - 1u > len) return -1;
    for (k = 1; k < code; k++) {
      uint8_t b = src[in++];
      if (b == 0) return -1;
      dst[out++] = b; /* out < in always: decoding in place is safe */
    }
    if (code != 0xFF && in < len) dst[out++] = 0;
  }
  return (long)out;
}

size_t np_cobs_write(const uint8_t *src, size_t len, np_sink_fn sink, void *ctx) {
  static const uint8_t zero = 0;
  size_t i = 0, total = 0;
  /* Each block: up to 254 non-zero bytes, ended by a 00 (implied) or by the 254 limit. Same
     output as np_cobs_encode, including the final 01 block after a full block that ends the frame. */
  for (;;) {
    size_t run = 0;
    uint8_t code;
    while (i + run < len && run < 254u && src[i + run] != 0) run++;
    code = (uint8_t)(run + 1u);
    sink(ctx, &code, 1);
    if (run) sink(ctx, src + i, run);
    total += run + 1u;
    i += run;
    if (run == 254u) {
      if (i == len) { /* a full block that ends the frame: the encoder emits a final 01 */
        code = 1;
        sink(ctx, &code, 1);
        total++;
        break;
      }
      continue; /* code ff implies no zero */
    }
    if (i == len) break;
    i++; /* the zero this block implied */
  }
  sink(ctx, &zero, 1);
  return total + 1u;
}

/* ---- frames ------------------------------------------------------------------------------ */
const char *np_frame_status_text(int status) {
  switch (status) {
    case NP_FRAME_OK: return "ok";
    case NP_FRAME_COBS: return "bad COBS stuffing";
    case NP_FRAME_TOO_SHORT: return "shorter than 10 bytes";
    case NP_FRAME_LENGTH_MISMATCH: return "length field mismatch";
    case NP_FRAME_BAD_CRC: return "CRC mismatch";
    case NP_FRAME_OVERSIZE: return "oversize, skipped";
    default: return "?";
  }
}

size_t np_frame_encode(uint8_t version, uint8_t type, uint16_t seq, const uint8_t *payload, uint16_t len, uint8_t *raw) {
  raw[0] = version;
  raw[1] = type;
  np_put_u16(raw + 2, seq);
  np_put_u16(raw + 4, len);
  if (len && payload != raw + NP_HEADER_BYTES) memmove(raw + NP_HEADER_BYTES, payload, len);
  np_put_u32(raw + NP_HEADER_BYTES + len, np_crc32(raw, NP_HEADER_BYTES + (size_t)len));
  return NP_OVERHEAD + (size_t)len;
}

int np_frame_check(const uint8_t *raw, size_t len, np_frame_t *out) {
  uint16_t n;
  if (len < NP_OVERHEAD) return NP_FRAME_TOO_SHORT;
  n = np_get_u16(raw + 4);
  if ((size_t)n != len - NP_OVERHEAD) return NP_FRAME_LENGTH_MISMATCH;
  if (np_get_u32(raw + NP_HEADER_BYTES + n) != np_crc32(raw, NP_HEADER_BYTES + (size_t)n)) return NP_FRAME_BAD_CRC;
  out->version = raw[0];
  out->type = raw[1];
  out->seq = np_get_u16(raw + 2);
  out->len = n;
  out->payload = raw + NP_HEADER_BYTES;
  return NP_FRAME_OK;
}

/* ---- message transports ------------------------------------------------------------------ */
int np_message_frame(const uint8_t *msg, size_t len, size_t max_encoded, uint8_t *buf, np_frame_t *out) {
  long raw;
  if (len > 0 && msg[len - 1] == 0) len--; /* the delimiter is optional on a message transport */
  if (len > max_encoded) return NP_FRAME_OVERSIZE;
  raw = np_cobs_decode(msg, len, buf); /* refuses a 00 inside: a message never holds two frames */
  if (raw < 0) return NP_FRAME_COBS;
  return np_frame_check(buf, (size_t)raw, out);
}

/* ---- parser ------------------------------------------------------------------------------ */
void np_parser_init(np_parser_t *p) { memset(p, 0, sizeof *p); }

int np_parser_feed(np_parser_t *p, uint8_t b, np_frame_t *out) {
  long raw;
  int st;
  p->stats.bytes++;
  if (b != 0) {
    if (p->skipping) return NP_PARSE_NONE;
    if (p->n == sizeof p->buf) { /* too long: drop it, never buffer it */
      p->skipping = 1;
      p->n = 0;
      p->stats.oversize++;
      p->last_error = NP_FRAME_OVERSIZE;
      return NP_PARSE_ERROR;
    }
    p->buf[p->n++] = b;
    return NP_PARSE_NONE;
  }
  if (p->skipping) {
    p->skipping = 0;
    p->stats.resyncs++;
    return NP_PARSE_NONE;
  }
  if (p->n == 0) return NP_PARSE_NONE; /* empty run: a flush */
  raw = np_cobs_decode(p->buf, p->n, p->buf);
  p->n = 0;
  st = raw < 0 ? NP_FRAME_COBS : np_frame_check(p->buf, (size_t)raw, out);
  if (st != NP_FRAME_OK) {
    if (st == NP_FRAME_BAD_CRC) p->stats.bad_crc++;
    else p->stats.malformed++;
    p->last_error = st;
    return NP_PARSE_ERROR;
  }
  p->stats.frames++;
  return NP_PARSE_FRAME;
}

/* ---- reader / writer --------------------------------------------------------------------- */
void np_rd_init(np_reader_t *r, const uint8_t *p, size_t n) {
  r->p = p;
  r->n = n;
  r->pos = 0;
  r->short_read = 0;
}

static const uint8_t *rd_take(np_reader_t *r, size_t k) {
  const uint8_t *at;
  if (r->short_read || r->n - r->pos < k) {
    r->short_read = 1;
    return NULL;
  }
  at = r->p + r->pos;
  r->pos += k;
  return at;
}

uint8_t np_rd_u8(np_reader_t *r) {
  const uint8_t *q = rd_take(r, 1);
  return q ? q[0] : 0;
}

uint16_t np_rd_u16(np_reader_t *r) {
  const uint8_t *q = rd_take(r, 2);
  return q ? np_get_u16(q) : 0;
}

uint32_t np_rd_u32(np_reader_t *r) {
  const uint8_t *q = rd_take(r, 4);
  return q ? np_get_u32(q) : 0;
}

float np_rd_f32(np_reader_t *r) { return np_bits_f32(np_rd_u32(r)); }

uint64_t np_rd_u64(np_reader_t *r) {
  uint64_t lo = np_rd_u32(r);
  return lo | (uint64_t)np_rd_u32(r) << 32;
}

const uint8_t *np_rd_bytes(np_reader_t *r, size_t n) { return rd_take(r, n); }

size_t np_rd_left(const np_reader_t *r) { return r->n - r->pos; }

void np_wr_init(np_writer_t *w, uint8_t *p, size_t cap) {
  w->p = p;
  w->cap = cap;
  w->pos = 0;
  w->overflow = 0;
}

static uint8_t *wr_take(np_writer_t *w, size_t k) {
  uint8_t *at;
  if (w->overflow || w->cap - w->pos < k) {
    w->overflow = 1;
    return NULL;
  }
  at = w->p + w->pos;
  w->pos += k;
  return at;
}

void np_wr_u8(np_writer_t *w, uint8_t v) {
  uint8_t *q = wr_take(w, 1);
  if (q) q[0] = v;
}

void np_wr_u16(np_writer_t *w, uint16_t v) {
  uint8_t *q = wr_take(w, 2);
  if (q) np_put_u16(q, v);
}

void np_wr_u32(np_writer_t *w, uint32_t v) {
  uint8_t *q = wr_take(w, 4);
  if (q) np_put_u32(q, v);
}

void np_wr_f32(np_writer_t *w, float v) { np_wr_u32(w, np_f32_bits(v)); }

void np_wr_u64(np_writer_t *w, uint64_t v) {
  uint8_t *q = wr_take(w, 8);
  if (q) {
    np_put_u32(q, (uint32_t)v);
    np_put_u32(q + 4, (uint32_t)(v >> 32));
  }
}

void np_wr_bytes(np_writer_t *w, const uint8_t *b, size_t n) {
  uint8_t *q = wr_take(w, n);
  if (q && n) memmove(q, b, n);
}

void np_wr_str(np_writer_t *w, const char *s, size_t len) {
  if (len > 255u) {
    w->overflow = 1;
    return;
  }
  np_wr_u8(w, (uint8_t)len);
  np_wr_bytes(w, (const uint8_t *)s, len);
}

/* ---- messages ---------------------------------------------------------------------------- */
#define FAIL(text)             \
  do {                         \
    *why = (text);             \
    return NP_E_MALFORMED_PAYLOAD; \
  } while (0)

/* Common ending: nothing missing, nothing left over. */
static int rd_done(const np_reader_t *r, const char **why) {
  if (r->short_read) FAIL("payload ends before its last field");
  if (r->pos != r->n) FAIL("payload has unexpected trailing bytes");
  return NP_OK;
}

static np_str_t rd_str(np_reader_t *r) {
  np_str_t s;
  s.len = np_rd_u8(r);
  s.s = (const char *)np_rd_bytes(r, s.len);
  if (!s.s) s.len = 0;
  return s;
}

uint32_t np_row_bytes(const np_data_define_t *d) {
  return (uint32_t)d->features * (d->encoding == NP_ENC_F32 ? 4u : 1u) + 1u;
}

uint32_t np_param_count(const uint16_t *sizes, unsigned layers) {
  uint32_t n = 0;
  unsigned l;
  for (l = 0; l + 1 < layers; l++) n += (uint32_t)sizes[l] * sizes[l + 1] + sizes[l + 1];
  return n;
}

void np_hello_req_encode(np_writer_t *w, uint8_t version) { np_wr_u8(w, version); }

int np_hello_req_decode(const uint8_t *p, size_t n, uint8_t *version, const char **why) {
  np_reader_t r;
  np_rd_init(&r, p, n);
  *version = np_rd_u8(&r);
  return rd_done(&r, why);
}

void np_hello_encode(np_writer_t *w, const np_hello_t *h) {
  unsigned i;
  np_wr_u8(w, h->protocol_version);
  np_wr_str(w, h->firmware_version.s, h->firmware_version.len);
  np_wr_str(w, h->device_id.s, h->device_id.len);
  np_wr_str(w, h->model.s, h->model.len);
  np_wr_u8(w, h->layers);
  for (i = 0; i < h->layers && i < NP_MAX_LAYERS; i++) np_wr_u16(w, h->layer_sizes[i]);
  np_wr_f32(w, h->weight_min);
  np_wr_f32(w, h->weight_max);
  np_wr_u32(w, h->weight_levels);
  np_wr_u32(w, h->capabilities);
  np_wr_u16(w, h->max_payload);
  np_wr_u16(w, h->max_batch);
  np_wr_u8(w, h->dataset_slots);
  np_wr_u32(w, h->max_dataset_bytes);
  np_wr_u8(w, h->props);
  for (i = 0; i < h->props && i < NP_MAX_PROPS; i++) {
    np_wr_str(w, h->prop_key[i].s, h->prop_key[i].len);
    np_wr_str(w, h->prop_value[i].s, h->prop_value[i].len);
  }
  np_wr_u32(w, h->boot_count);
  if (h->capabilities & NP_CAP_DIRECTION_GUIDED) np_wr_u8(w, h->max_basis);
}

int np_hello_decode(const uint8_t *p, size_t n, np_hello_t *h, const char **why) {
  np_reader_t r;
  unsigned i;
  np_rd_init(&r, p, n);
  h->protocol_version = np_rd_u8(&r);
  h->firmware_version = rd_str(&r);
  h->device_id = rd_str(&r);
  h->model = rd_str(&r);
  h->layers = np_rd_u8(&r);
  if (!r.short_read && h->layers < 2) FAIL("HELLO names fewer than 2 layer sizes");
  if (h->layers > NP_MAX_LAYERS) FAIL("HELLO names more layers than NP_MAX_LAYERS");
  for (i = 0; i < h->layers; i++) {
    h->layer_sizes[i] = np_rd_u16(&r);
    if (!r.short_read && h->layer_sizes[i] == 0) FAIL("HELLO layer size 0");
  }
  h->weight_min = np_rd_f32(&r);
  h->weight_max = np_rd_f32(&r);
  h->weight_levels = np_rd_u32(&r);
  h->capabilities = np_rd_u32(&r);
  h->max_payload = np_rd_u16(&r);
  h->max_batch = np_rd_u16(&r);
  h->dataset_slots = np_rd_u8(&r);
  h->max_dataset_bytes = np_rd_u32(&r);
  h->props = np_rd_u8(&r);
  if (h->props > NP_MAX_PROPS) FAIL("HELLO has more properties than NP_MAX_PROPS");
  for (i = 0; i < h->props; i++) {
    h->prop_key[i] = rd_str(&r);
    h->prop_value[i] = rd_str(&r);
  }
  h->boot_count = np_rd_u32(&r);
  h->max_basis = (h->capabilities & NP_CAP_DIRECTION_GUIDED) ? np_rd_u8(&r) : 0u;
  if (!r.short_read && (h->capabilities & NP_CAP_DIRECTION_GUIDED) && (h->max_basis == 0 || h->max_basis > NP_MAX_GUIDE_VECTORS)) {
    FAIL("HELLO max_basis must be 1..32 with DIRECTION_GUIDED");
  }
  return rd_done(&r, why);
}

void np_evaluate_encode(np_writer_t *w, const np_evaluate_t *e) {
  np_wr_u8(w, e->slot);
  np_wr_u8(w, e->batch_mode);
  np_wr_u32(w, e->start_or_seed);
  np_wr_u16(w, e->count);
  np_wr_u8(w, e->distribution);
  np_wr_u32(w, e->seed);
  np_wr_u8(w, (uint8_t)e->sign);
  np_wr_f32(w, e->scale);
  if (e->distribution == NP_DIST_MASKED) {
    np_wr_u32(w, e->mask.offset);
    np_wr_u32(w, e->mask.length);
    np_wr_u8(w, e->mask.density);
  }
  if (e->distribution == NP_DIST_GUIDED) {
    np_wr_u8(w, e->guide.vectors);
    np_wr_f32(w, e->guide.full);
    np_wr_f32(w, e->guide.guided);
  }
}

static void guide_none(np_guide_t *g) {
  g->vectors = 0;
  g->full = 1.0f;
  g->guided = 0.0f;
}

static void rd_guide(np_reader_t *r, np_guide_t *g) {
  g->vectors = np_rd_u8(r);
  g->full = np_rd_f32(r);
  g->guided = np_rd_f32(r);
}

static const char *guide_invalid(const np_guide_t *g) {
  if (g->vectors == 0 || g->vectors > NP_MAX_GUIDE_VECTORS) return "GUIDED direction needs 1..32 basis vectors";
  if (!np_f32_finite(g->full) || !np_f32_finite(g->guided)) return "GUIDED coefficients must be finite";
  return NULL;
}

static void mask_whole(np_mask_t *m) {
  m->offset = 0;
  m->length = 0;
  m->density = NP_DENSE;
}

static void rd_mask(np_reader_t *r, np_mask_t *m) {
  m->offset = np_rd_u32(r);
  m->length = np_rd_u32(r);
  m->density = np_rd_u8(r);
}

/* length >= 1 and the block within 2^31 - 1 (like the offsets of WRITE/READ_WEIGHTS). */
static const char *mask_invalid(const np_mask_t *m) {
  if (m->length == 0) return "MASKED block length must be >= 1";
  if (m->offset > 0x7FFFFFFFu || m->length > 0x7FFFFFFFu - m->offset) return "MASKED block beyond 2^31 - 1 parameters";
  return NULL;
}

int np_evaluate_decode(const uint8_t *p, size_t n, np_evaluate_t *e, const char **why) {
  np_reader_t r;
  uint8_t sign;
  int st;
  np_rd_init(&r, p, n);
  e->slot = np_rd_u8(&r);
  e->batch_mode = np_rd_u8(&r);
  e->start_or_seed = np_rd_u32(&r);
  e->count = np_rd_u16(&r);
  e->distribution = np_rd_u8(&r);
  e->seed = np_rd_u32(&r);
  sign = np_rd_u8(&r);
  e->sign = sign == 0xFF ? -1 : (int8_t)sign;
  e->scale = np_rd_f32(&r);
  if (e->distribution == NP_DIST_MASKED) rd_mask(&r, &e->mask);
  else mask_whole(&e->mask);
  if (e->distribution == NP_DIST_GUIDED) rd_guide(&r, &e->guide);
  else guide_none(&e->guide);
  if ((st = rd_done(&r, why)) != NP_OK) return st;
  if (e->batch_mode > NP_BATCH_SEEDED) FAIL("unknown batch mode");
  if (e->count == 0) FAIL("batch count is 0");
  if (e->distribution > NP_DIST_GUIDED) FAIL("unknown distribution code");
  if (sign != 0x01 && sign != 0xFF) FAIL("sign must be +1 or -1");
  if (!np_f32_finite(e->scale) || !(e->scale >= 0.0f)) FAIL("scale must be finite and >= 0");
  if (e->distribution == NP_DIST_MASKED && (*why = mask_invalid(&e->mask)) != NULL) return NP_E_MALFORMED_PAYLOAD;
  if (e->distribution == NP_DIST_GUIDED && (*why = guide_invalid(&e->guide)) != NULL) return NP_E_MALFORMED_PAYLOAD;
  return NP_OK;
}

void np_eval_result_encode(np_writer_t *w, const np_eval_result_t *r) {
  np_wr_f32(w, r->loss);
  np_wr_u16(w, r->correct);
  np_wr_u16(w, r->count);
  np_wr_u32(w, r->clipped);
}

int np_eval_result_decode(const uint8_t *p, size_t n, np_eval_result_t *res, const char **why) {
  np_reader_t r;
  np_rd_init(&r, p, n);
  res->loss = np_rd_f32(&r);
  res->correct = np_rd_u16(&r);
  res->count = np_rd_u16(&r);
  res->clipped = np_rd_u32(&r);
  return rd_done(&r, why);
}

/* Bytes of one UPDATE term. */
static size_t term_bytes(uint8_t distribution) { return distribution == NP_DIST_MASKED ? 8u + NP_MASK_BYTES : 8u; }

void np_update_term(const np_update_t *u, unsigned k, uint32_t *seed, float *coefficient) {
  const uint8_t *t = u->raw + term_bytes(u->distribution) * k;
  NP_ASSERT(k < u->terms);
  *seed = np_get_u32(t);
  *coefficient = np_bits_f32(np_get_u32(t + 4u));
}

void np_update_mask(const np_update_t *u, unsigned k, np_mask_t *m) {
  const uint8_t *t = u->raw + term_bytes(u->distribution) * k;
  NP_ASSERT(k < u->terms);
  if (u->distribution != NP_DIST_MASKED) {
    mask_whole(m);
    return;
  }
  m->offset = np_get_u32(t + 8u);
  m->length = np_get_u32(t + 12u);
  m->density = t[16];
}

void np_update_encode(np_writer_t *w, uint8_t distribution, unsigned terms, const uint32_t *seeds, const float *coefficients) {
  unsigned k;
  np_wr_u8(w, distribution);
  np_wr_u8(w, (uint8_t)terms);
  for (k = 0; k < terms; k++) {
    np_wr_u32(w, seeds[k]);
    np_wr_f32(w, coefficients[k]);
  }
}

void np_update_encode_guided(np_writer_t *w, const np_guide_t *g, unsigned terms, const uint32_t *seeds, const float *coefficients) {
  unsigned k;
  np_wr_u8(w, NP_DIST_GUIDED);
  np_wr_u8(w, (uint8_t)terms);
  np_wr_u8(w, g->vectors);
  np_wr_f32(w, g->full);
  np_wr_f32(w, g->guided);
  for (k = 0; k < terms; k++) {
    np_wr_u32(w, seeds[k]);
    np_wr_f32(w, coefficients[k]);
  }
}

void np_update_encode_masked(np_writer_t *w, unsigned terms, const uint32_t *seeds, const float *coefficients, const np_mask_t *masks) {
  unsigned k;
  np_wr_u8(w, NP_DIST_MASKED);
  np_wr_u8(w, (uint8_t)terms);
  for (k = 0; k < terms; k++) {
    np_wr_u32(w, seeds[k]);
    np_wr_f32(w, coefficients[k]);
    np_wr_u32(w, masks[k].offset);
    np_wr_u32(w, masks[k].length);
    np_wr_u8(w, masks[k].density);
  }
}

int np_update_decode(const uint8_t *p, size_t n, np_update_t *u, const char **why) {
  np_reader_t r;
  unsigned k;
  int st;
  np_rd_init(&r, p, n);
  u->distribution = np_rd_u8(&r);
  u->terms = np_rd_u8(&r);
  if (!r.short_read && (u->distribution == NP_DIST_NONE || u->distribution > NP_DIST_GUIDED)) FAIL("UPDATE needs distribution RADEMACHER, MASKED or GUIDED");
  if (u->distribution == NP_DIST_GUIDED) rd_guide(&r, &u->guide);
  else guide_none(&u->guide);
  u->raw = np_rd_bytes(&r, term_bytes(u->distribution) * u->terms);
  if ((st = rd_done(&r, why)) != NP_OK) return st;
  if (u->terms == 0) FAIL("UPDATE with no terms");
  if (u->distribution == NP_DIST_GUIDED && (*why = guide_invalid(&u->guide)) != NULL) return NP_E_MALFORMED_PAYLOAD;
  for (k = 0; k < u->terms; k++) {
    uint32_t seed;
    float c;
    np_mask_t m;
    np_update_term(u, k, &seed, &c);
    if (!np_f32_finite(c)) FAIL("UPDATE coefficient is not finite");
    np_update_mask(u, k, &m);
    if (u->distribution == NP_DIST_MASKED && (*why = mask_invalid(&m)) != NULL) return NP_E_MALFORMED_PAYLOAD;
  }
  return NP_OK;
}

void np_basis_write_encode(np_writer_t *w, uint8_t index, uint32_t offset, uint16_t count, const float *values) {
  np_wr_u8(w, index);
  np_weights_encode(w, offset, count, values);
}

int np_basis_write_decode(const uint8_t *p, size_t n, np_basis_write_t *b, const char **why) {
  unsigned i;
  int st;
  if (n < 1) FAIL("BASIS_WRITE payload too short");
  b->index = p[0];
  if ((st = np_weights_decode(p + 1, n - 1, &b->run, why)) != NP_OK) return st;
  for (i = 0; i < b->run.count; i++) {
    if (!np_f32_finite(np_weights_value(&b->run, i))) FAIL("BASIS_WRITE value is not finite");
  }
  return NP_OK;
}

void np_update_result_encode(np_writer_t *w, uint32_t clipped) { np_wr_u32(w, clipped); }

int np_update_result_decode(const uint8_t *p, size_t n, uint32_t *clipped, const char **why) {
  np_reader_t r;
  np_rd_init(&r, p, n);
  *clipped = np_rd_u32(&r);
  return rd_done(&r, why);
}

static uint64_t f64_bits(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

static double bits_f64(uint64_t b) {
  double d;
  memcpy(&d, &b, 8);
  return d;
}

/* finite and >= 0 (-0 included), from the bits: no libm */
static int f64_nonneg_finite(uint64_t b) { return (b & 0x7FF0000000000000u) != 0x7FF0000000000000u && (b >> 63 == 0 || b == 0x8000000000000000u); }

void np_stats_encode(np_writer_t *w, const np_stats_t *s) {
  np_wr_u64(w, f64_bits(s->chip_seconds));
  np_wr_u64(w, f64_bits(s->joules));
  np_wr_u64(w, s->evaluations);
  np_wr_u64(w, s->updates);
  np_wr_u64(w, s->mvms);
  np_wr_u64(w, s->pulses);
  np_wr_u64(w, s->cell_reads);
}

int np_stats_decode(const uint8_t *p, size_t n, np_stats_t *s, const char **why) {
  np_reader_t r;
  uint64_t t, j;
  int st;
  np_rd_init(&r, p, n);
  t = np_rd_u64(&r);
  j = np_rd_u64(&r);
  s->evaluations = np_rd_u64(&r);
  s->updates = np_rd_u64(&r);
  s->mvms = np_rd_u64(&r);
  s->pulses = np_rd_u64(&r);
  s->cell_reads = np_rd_u64(&r);
  if ((st = rd_done(&r, why)) != NP_OK) return st;
  if (!f64_nonneg_finite(t) || !f64_nonneg_finite(j)) {
    *why = "STATS chip_seconds and joules must be finite and >= 0";
    return NP_E_MALFORMED_PAYLOAD;
  }
  s->chip_seconds = bits_f64(t);
  s->joules = bits_f64(j);
  return NP_OK;
}

float np_weights_value(const np_weights_t *c, unsigned i) {
  NP_ASSERT(i < c->count);
  return np_bits_f32(np_get_u32(c->raw + 4u * i));
}

void np_weights_encode(np_writer_t *w, uint32_t offset, uint16_t count, const float *values) {
  unsigned i;
  np_wr_u32(w, offset);
  np_wr_u16(w, count);
  for (i = 0; i < count; i++) np_wr_f32(w, values[i]);
}

int np_weights_decode(const uint8_t *p, size_t n, np_weights_t *c, const char **why) {
  np_reader_t r;
  int st;
  np_rd_init(&r, p, n);
  c->offset = np_rd_u32(&r);
  c->count = np_rd_u16(&r);
  c->raw = np_rd_bytes(&r, 4u * c->count);
  if ((st = rd_done(&r, why)) != NP_OK) return st;
  if (c->offset > 0x7FFFFFFFu) FAIL("offset too large");
  return NP_OK;
}

void np_read_weights_encode(np_writer_t *w, const np_read_weights_t *q) {
  np_wr_u32(w, q->offset);
  np_wr_u16(w, q->count);
  np_wr_u8(w, q->source);
}

int np_read_weights_decode(const uint8_t *p, size_t n, np_read_weights_t *q, const char **why) {
  np_reader_t r;
  int st;
  np_rd_init(&r, p, n);
  q->offset = np_rd_u32(&r);
  q->count = np_rd_u16(&r);
  q->source = np_rd_u8(&r);
  if ((st = rd_done(&r, why)) != NP_OK) return st;
  if (q->offset > 0x7FFFFFFFu) FAIL("offset too large");
  if (q->source > NP_SOURCE_PROGRAMMED) FAIL("unknown weight source");
  return NP_OK;
}

void np_data_define_encode(np_writer_t *w, const np_data_define_t *d) {
  np_wr_u8(w, d->slot);
  np_wr_u32(w, d->rows);
  np_wr_u16(w, d->features);
  np_wr_u16(w, d->classes);
  np_wr_u8(w, d->encoding);
}

int np_data_define_decode(const uint8_t *p, size_t n, np_data_define_t *d, const char **why) {
  np_reader_t r;
  int st;
  np_rd_init(&r, p, n);
  d->slot = np_rd_u8(&r);
  d->rows = np_rd_u32(&r);
  d->features = np_rd_u16(&r);
  d->classes = np_rd_u16(&r);
  d->encoding = np_rd_u8(&r);
  if ((st = rd_done(&r, why)) != NP_OK) return st;
  if (d->encoding > NP_ENC_F32) FAIL("unknown feature encoding");
  if (d->rows < 1u || d->rows > 0x7FFFFFFFu) FAIL("rows out of range");
  if (d->features < 1u) FAIL("features must be >= 1");
  if (d->classes < 2u || d->classes > 256u) FAIL("classes must be in [2, 256]");
  return NP_OK;
}

void np_data_write_encode(np_writer_t *w, const np_data_write_t *d) {
  np_wr_u8(w, d->slot);
  np_wr_u32(w, d->first_row);
  np_wr_u16(w, d->row_count);
  np_wr_bytes(w, d->rows, d->rows_len);
}

int np_data_write_decode(const uint8_t *p, size_t n, np_data_write_t *d, const char **why) {
  np_reader_t r;
  np_rd_init(&r, p, n);
  d->slot = np_rd_u8(&r);
  d->first_row = np_rd_u32(&r);
  d->row_count = np_rd_u16(&r);
  if (r.short_read) FAIL("payload ends before its last field");
  if (d->first_row > 0x7FFFFFFFu) FAIL("first row out of range");
  d->rows_len = np_rd_left(&r);
  d->rows = np_rd_bytes(&r, d->rows_len);
  return NP_OK; /* rows_len == row_count x row size is checked against the slot's row size */
}

void np_error_encode(np_writer_t *w, uint16_t code, const char *message, size_t len) {
  np_wr_u16(w, code);
  np_wr_str(w, message, len > 255u ? 255u : len);
}

int np_error_decode(const uint8_t *p, size_t n, np_error_t *e, const char **why) {
  np_reader_t r;
  np_rd_init(&r, p, n);
  e->code = np_rd_u16(&r);
  e->message = rd_str(&r);
  return rd_done(&r, why);
}
