/* The chip-side dispatcher of the noprop protocol. See noprop_chip.h and PROTOCOL.md 3-6, 8. */
#include "noprop_chip.h"

#include <string.h>

/* ---- messages ---------------------------------------------------------------------------- */
void np_msg_clear(np_chip_t *c) { c->msg_len = 0; }

void np_msg_str(np_chip_t *c, const char *s) {
  while (*s && c->msg_len < sizeof c->msg) c->msg[c->msg_len++] = *s++;
}

void np_msg_u32(np_chip_t *c, uint32_t v) {
  char d[11];
  int i = 10;
  d[i] = 0;
  do {
    d[--i] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  np_msg_str(c, d + i);
}

void np_msg_hex(np_chip_t *c, uint32_t v) {
  static const char hex[] = "0123456789abcdef";
  char d[11];
  int i;
  d[0] = '0';
  d[1] = 'x';
  for (i = 0; i < 8; i++) d[2 + i] = hex[(v >> (28 - 4 * i)) & 15u];
  d[10] = 0;
  np_msg_str(c, d);
}

int np_fail(np_chip_t *c, int code, const char *text) {
  np_msg_clear(c);
  np_msg_str(c, text);
  return code;
}

/* ---- init and byte input ----------------------------------------------------------------- */
void np_chip_init(np_chip_t *c, const np_hello_t *hello, const np_backend_t *backend, void *ctx, np_sink_fn write, void *io) {
  memset(c, 0, sizeof *c);
  NP_ASSERT(hello->max_payload <= NP_MAX_PAYLOAD);
  c->hello = hello;
  c->backend = backend;
  c->ctx = ctx;
  c->write = write;
  c->io = io;
  c->params = np_param_count(hello->layer_sizes, hello->layers);
  np_parser_init(&c->parser);
}

/* Builds an ERROR frame from c->msg into buf (cap bytes); returns its raw length. */
static size_t build_error(np_chip_t *c, uint8_t *buf, size_t cap, uint16_t seq, int code) {
  np_writer_t w;
  np_wr_init(&w, buf + NP_HEADER_BYTES, cap - NP_OVERHEAD);
  np_error_encode(&w, (uint16_t)code, c->msg, c->msg_len);
  NP_ASSERT(!w.overflow);
  c->errors++;
  return np_frame_encode(NP_VERSION, NP_ERROR, seq, buf + NP_HEADER_BYTES, (uint16_t)w.pos, buf);
}

static void send_uncached_error(np_chip_t *c, uint16_t seq, int code) {
  size_t n = build_error(c, c->err, sizeof c->err, seq, code);
  np_cobs_write(c->err, n, c->write, c->io);
}

void np_chip_feed(np_chip_t *c, const uint8_t *p, size_t n) {
  size_t i;
  np_frame_t f;
  for (i = 0; i < n; i++) {
    int r = np_parser_feed(&c->parser, p[i], &f);
    if (r == NP_PARSE_FRAME) {
      np_chip_on_frame(c, &f);
    } else if (r == NP_PARSE_ERROR) {
      np_msg_clear(c);
      np_msg_str(c, "frame rejected: ");
      np_msg_str(c, np_frame_status_text(c->parser.last_error));
      send_uncached_error(c, NP_UNSOLICITED_SEQ, NP_E_CORRUPT_FRAME);
    }
  }
}

void np_chip_message(np_chip_t *c, const uint8_t *msg, size_t n) {
  np_frame_t f;
  int st = np_message_frame(msg, n, NP_COBS_MAX((size_t)c->hello->max_payload + NP_OVERHEAD), c->parser.buf, &f);
  c->parser.n = 0;
  if (st == NP_FRAME_OK) {
    np_chip_on_frame(c, &f);
    return;
  }
  np_msg_clear(c);
  np_msg_str(c, "message rejected: ");
  np_msg_str(c, np_frame_status_text(st));
  send_uncached_error(c, NP_UNSOLICITED_SEQ, NP_E_CORRUPT_FRAME);
}

/* ---- execution --------------------------------------------------------------------------- */
static int has_cap(const np_chip_t *c, uint32_t cap) { return (c->hello->capabilities & cap) != 0; }

static int range_error(np_chip_t *c, uint32_t off, uint32_t count) {
  np_msg_clear(c);
  np_msg_str(c, "weights [");
  np_msg_u32(c, off);
  np_msg_str(c, ", ");
  np_msg_u32(c, off + count); /* off <= 2^31 - 1 and count <= 65535: no overflow */
  np_msg_str(c, ") outside the ");
  np_msg_u32(c, c->params);
  np_msg_str(c, " parameters");
  return NP_E_OUT_OF_RANGE;
}

static int slot_error(np_chip_t *c, uint8_t slot) {
  np_msg_clear(c);
  np_msg_str(c, "slot ");
  np_msg_u32(c, slot);
  np_msg_str(c, " does not exist; this chip has ");
  np_msg_u32(c, c->hello->dataset_slots);
  np_msg_str(c, " slots");
  return NP_E_OUT_OF_RANGE;
}

/* A MASKED block must lie within the parameter vector (the decoder already refused length 0). */
static int block_error(np_chip_t *c, const np_mask_t *m) {
  if (m->offset <= c->params && m->length <= c->params - m->offset) return NP_OK;
  np_msg_clear(c);
  np_msg_str(c, "direction block [");
  np_msg_u32(c, m->offset);
  np_msg_str(c, ", ");
  np_msg_u32(c, m->offset + m->length); /* <= 2^31 - 1: checked by the decoder */
  np_msg_str(c, ") outside the ");
  np_msg_u32(c, c->params);
  np_msg_str(c, " parameters");
  return NP_E_OUT_OF_RANGE;
}

/* A chip without DIRECTION_MASKED refuses distribution 2 as an unknown distribution code, the
   answer of every firmware that predates it (PROTOCOL.md section 9.1). */
static int masked_unknown(np_chip_t *c, const char *what) {
  np_msg_clear(c);
  np_msg_str(c, what);
  np_msg_str(c, ": unknown distribution code 2 (no DIRECTION_MASKED)");
  return NP_E_MALFORMED_PAYLOAD;
}

/* Likewise distribution 3 without DIRECTION_GUIDED (section 9.2). */
static int guided_unknown(np_chip_t *c, const char *what) {
  np_msg_clear(c);
  np_msg_str(c, what);
  np_msg_str(c, ": unknown distribution code 3 (no DIRECTION_GUIDED)");
  return NP_E_MALFORMED_PAYLOAD;
}

/* A GUIDED mix may name at most max_basis vectors; whether they were written is the backend's. */
static int guide_error(np_chip_t *c, const np_guide_t *g) {
  if (g->vectors <= c->hello->max_basis) return NP_OK;
  np_msg_clear(c);
  np_msg_str(c, "guided direction over ");
  np_msg_u32(c, g->vectors);
  np_msg_str(c, " basis vectors; this chip stores ");
  np_msg_u32(c, c->hello->max_basis);
  np_msg_str(c, " (max_basis)");
  return NP_E_OUT_OF_RANGE;
}

static int not_supported(np_chip_t *c, const char *what) {
  np_msg_clear(c);
  np_msg_str(c, what);
  np_msg_str(c, " is not supported by this chip");
  return NP_E_NOT_SUPPORTED;
}

/* Executes a request of a known type; writes the reply payload to w; returns NP_OK or a code
   with c->msg set. */
static int execute(np_chip_t *c, const np_frame_t *f, np_writer_t *w) {
  const np_backend_t *b = c->backend;
  const np_hello_t *h = c->hello;
  const char *why = "";
  int st = NP_OK;
  switch (f->type) {
    case NP_HELLO: {
      uint8_t v;
      /* The request's version byte is informative; a chip may ignore it, but not its length. */
      if ((st = np_hello_req_decode(f->payload, f->len, &v, &why)) != NP_OK) break;
      np_hello_encode(w, h);
      return w->overflow ? np_fail(c, NP_E_INTERNAL, "HELLO reply exceeds maxPayload") : NP_OK;
    }
    case NP_PING:
      np_wr_bytes(w, f->payload, f->len);
      return NP_OK;
    case NP_RESET:
      if (f->len != 0) return np_fail(c, NP_E_MALFORMED_PAYLOAD, "RESET: RESET takes no payload");
      return b->reset ? b->reset(c, c->ctx) : not_supported(c, "RESET");
    case NP_DATA_DEFINE: {
      np_data_define_t d;
      if ((st = np_data_define_decode(f->payload, f->len, &d, &why)) != NP_OK) break;
      if (d.slot >= h->dataset_slots) return slot_error(c, d.slot);
      return b->data_define ? b->data_define(c, c->ctx, &d) : not_supported(c, "DATA_DEFINE");
    }
    case NP_DATA_WRITE: {
      np_data_write_t d;
      if ((st = np_data_write_decode(f->payload, f->len, &d, &why)) != NP_OK) break;
      if (d.slot >= h->dataset_slots) return slot_error(c, d.slot);
      return b->data_write ? b->data_write(c, c->ctx, &d) : not_supported(c, "DATA_WRITE");
    }
    case NP_EVALUATE: {
      np_evaluate_t e;
      np_eval_result_t r;
      if ((st = np_evaluate_decode(f->payload, f->len, &e, &why)) != NP_OK) break;
      if (e.batch_mode == NP_BATCH_RANGE && !has_cap(c, NP_CAP_BATCH_RANGE)) return not_supported(c, "EVALUATE with a RANGE batch");
      if (e.batch_mode == NP_BATCH_SEEDED && !has_cap(c, NP_CAP_BATCH_SEEDED)) return not_supported(c, "EVALUATE with a SEEDED batch");
      if (e.distribution == NP_DIST_MASKED && !has_cap(c, NP_CAP_DIRECTION_MASKED)) return masked_unknown(c, "EVALUATE");
      if (e.distribution == NP_DIST_GUIDED && !has_cap(c, NP_CAP_DIRECTION_GUIDED)) return guided_unknown(c, "EVALUATE");
      if (e.distribution == NP_DIST_RADEMACHER && !has_cap(c, NP_CAP_DIRECTION_RADEMACHER)) return not_supported(c, "EVALUATE with a RADEMACHER perturbation");
      if (e.slot >= h->dataset_slots) return slot_error(c, e.slot);
      if (e.count > h->max_batch) {
        np_msg_clear(c);
        np_msg_str(c, "batch of ");
        np_msg_u32(c, e.count);
        np_msg_str(c, " exceeds this chip's maximum of ");
        np_msg_u32(c, h->max_batch);
        return NP_E_BATCH_TOO_LARGE;
      }
      if (e.distribution == NP_DIST_MASKED && (st = block_error(c, &e.mask)) != NP_OK) return st;
      if (e.distribution == NP_DIST_GUIDED && (st = guide_error(c, &e.guide)) != NP_OK) return st;
      if (!b->evaluate) return not_supported(c, "EVALUATE");
      memset(&r, 0, sizeof r);
      if ((st = b->evaluate(c, c->ctx, &e, &r)) != NP_OK) return st;
      np_eval_result_encode(w, &r);
      return NP_OK;
    }
    case NP_UPDATE: {
      np_update_t u;
      uint32_t clipped = 0;
      if ((st = np_update_decode(f->payload, f->len, &u, &why)) != NP_OK) break;
      if (u.distribution == NP_DIST_MASKED && !has_cap(c, NP_CAP_DIRECTION_MASKED)) return masked_unknown(c, "UPDATE");
      if (u.distribution == NP_DIST_GUIDED && !has_cap(c, NP_CAP_DIRECTION_GUIDED)) return guided_unknown(c, "UPDATE");
      if (!has_cap(c, NP_CAP_UPDATE_SEEDED) || (u.distribution == NP_DIST_RADEMACHER && !has_cap(c, NP_CAP_DIRECTION_RADEMACHER)) || !b->update)
        return not_supported(c, "UPDATE");
      if (u.distribution == NP_DIST_MASKED) { /* every block checked before any term is applied */
        unsigned k;
        np_mask_t m;
        for (k = 0; k < u.terms; k++) {
          np_update_mask(&u, k, &m);
          if ((st = block_error(c, &m)) != NP_OK) return st;
        }
      }
      if (u.distribution == NP_DIST_GUIDED && (st = guide_error(c, &u.guide)) != NP_OK) return st;
      if ((st = b->update(c, c->ctx, &u, &clipped)) != NP_OK) return st;
      np_update_result_encode(w, clipped);
      return NP_OK;
    }
    case NP_WRITE_WEIGHTS: {
      np_weights_t wc;
      unsigned i;
      if ((st = np_weights_decode(f->payload, f->len, &wc, &why)) != NP_OK) break;
      if (!has_cap(c, NP_CAP_WRITE_WEIGHTS) || !b->write_weights) return not_supported(c, "WRITE_WEIGHTS");
      if (wc.offset + wc.count > c->params) return range_error(c, wc.offset, wc.count);
      for (i = 0; i < wc.count; i++) {
        float v = np_weights_value(&wc, i);
        if (!(v >= h->weight_min && v <= h->weight_max)) { /* NaN fails too */
          np_msg_clear(c);
          np_msg_str(c, "weight ");
          np_msg_u32(c, wc.offset + i);
          np_msg_str(c, " (bits ");
          np_msg_hex(c, np_f32_bits(v));
          np_msg_str(c, ") outside [weightMin, weightMax]");
          return NP_E_OUT_OF_RANGE;
        }
      }
      return b->write_weights(c, c->ctx, &wc);
    }
    case NP_READ_WEIGHTS: {
      np_read_weights_t q;
      if ((st = np_read_weights_decode(f->payload, f->len, &q, &why)) != NP_OK) break;
      if (!has_cap(c, NP_CAP_READ_WEIGHTS) || !b->read_weights) return not_supported(c, "READ_WEIGHTS");
      if (q.source == NP_SOURCE_PROGRAMMED && !has_cap(c, NP_CAP_READ_PROGRAMMED)) return not_supported(c, "READ_WEIGHTS of PROGRAMMED values");
      if (q.offset + q.count > c->params) return range_error(c, q.offset, q.count);
      if (6u + 4u * (uint32_t)q.count > h->max_payload) {
        np_msg_clear(c);
        np_msg_u32(c, q.count);
        np_msg_str(c, " weights do not fit one ");
        np_msg_u32(c, h->max_payload);
        np_msg_str(c, "-byte reply");
        return NP_E_PAYLOAD_TOO_LARGE;
      }
      np_wr_u32(w, q.offset);
      np_wr_u16(w, q.count);
      if ((st = b->read_weights(c, c->ctx, &q, w)) != NP_OK) return st;
      if (w->overflow || w->pos != 6u + 4u * (size_t)q.count) return np_fail(c, NP_E_INTERNAL, "READ_WEIGHTS backend wrote the wrong number of values");
      return NP_OK;
    }
    case NP_BASIS_WRITE: {
      np_basis_write_t bw;
      if ((st = np_basis_write_decode(f->payload, f->len, &bw, &why)) != NP_OK) break;
      if (!has_cap(c, NP_CAP_DIRECTION_GUIDED) || !b->basis_write) return not_supported(c, "BASIS_WRITE");
      if (bw.index >= h->max_basis) {
        np_msg_clear(c);
        np_msg_str(c, "basis vector ");
        np_msg_u32(c, bw.index);
        np_msg_str(c, " beyond this chip's ");
        np_msg_u32(c, h->max_basis);
        np_msg_str(c, " (max_basis)");
        return NP_E_OUT_OF_RANGE;
      }
      if (bw.run.offset + bw.run.count > c->params) return range_error(c, bw.run.offset, bw.run.count);
      return b->basis_write(c, c->ctx, &bw);
    }
    case NP_STATS: {
      np_stats_t s;
      if (f->len != 0) {
        st = NP_E_MALFORMED_PAYLOAD;
        why = "STATS takes no payload";
        break;
      }
      if (!has_cap(c, NP_CAP_STATS) || !b->stats) return not_supported(c, "STATS");
      memset(&s, 0, sizeof s);
      if ((st = b->stats(c, c->ctx, &s)) != NP_OK) return st;
      np_stats_encode(w, &s);
      return w->overflow ? np_fail(c, NP_E_INTERNAL, "STATS reply exceeds maxPayload") : NP_OK;
    }
    default:
      break;
  }
  if (st == NP_E_MALFORMED_PAYLOAD) return np_fail(c, st, why);
  return st;
}

static int known_request(uint8_t type) {
  switch (type) {
    case NP_HELLO: case NP_PING: case NP_RESET: case NP_EVALUATE: case NP_UPDATE:
    case NP_WRITE_WEIGHTS: case NP_READ_WEIGHTS: case NP_DATA_DEFINE: case NP_DATA_WRITE: case NP_STATS: case NP_BASIS_WRITE:
      return 1;
    default:
      return 0;
  }
}

/* Runs a request into c->reply (reply or ERROR frame); returns its raw length. */
static size_t run(np_chip_t *c, const np_frame_t *f) {
  np_writer_t w;
  int st;
  if (f->version != NP_VERSION) {
    np_msg_clear(c);
    np_msg_str(c, "protocol version ");
    np_msg_u32(c, f->version);
    np_msg_str(c, " not supported; this device speaks version 1");
    return build_error(c, c->reply, sizeof c->reply, f->seq, NP_E_UNSUPPORTED_VERSION);
  }
  if (!known_request(f->type)) {
    np_msg_clear(c);
    np_msg_str(c, "unknown message type ");
    np_msg_hex(c, f->type);
    return build_error(c, c->reply, sizeof c->reply, f->seq, NP_E_UNKNOWN_TYPE);
  }
  if (f->len > c->hello->max_payload) {
    np_msg_clear(c);
    np_msg_str(c, "payload of ");
    np_msg_u32(c, f->len);
    np_msg_str(c, " bytes exceeds this device's ");
    np_msg_u32(c, c->hello->max_payload);
    return build_error(c, c->reply, sizeof c->reply, f->seq, NP_E_PAYLOAD_TOO_LARGE);
  }
  np_wr_init(&w, c->reply + NP_HEADER_BYTES, c->hello->max_payload);
  st = execute(c, f, &w);
  if (st == NP_OK && w.overflow) st = np_fail(c, NP_E_PAYLOAD_TOO_LARGE, "the reply would exceed maxPayload");
  if (st != NP_OK) return build_error(c, c->reply, sizeof c->reply, f->seq, st);
  return np_frame_encode(NP_VERSION, (uint8_t)(f->type | NP_REPLY_BIT), f->seq, c->reply + NP_HEADER_BYTES, (uint16_t)w.pos, c->reply);
}

void np_chip_on_frame(np_chip_t *c, const np_frame_t *f) {
  uint32_t crc = np_crc32(f->payload, f->len);
  c->requests++;
  if (f->version == NP_VERSION && f->seq == NP_UNSOLICITED_SEQ) {
    /* Seq 0xFFFF is reserved for unsolicited errors (PROTOCOL.md section 4): executing such a
       request would make its reply look unsolicited. Refused, not cached, nothing executed. */
    np_msg_clear(c);
    np_msg_str(c, "seq 65535 is reserved for unsolicited errors; request not executed");
    send_uncached_error(c, NP_UNSOLICITED_SEQ, NP_E_RESERVED_SEQ);
    return;
  }
  if (f->version == NP_VERSION && f->type == NP_HELLO) {
    c->has_last = 0; /* a new session: forget the cached reply */
  } else if (c->has_last && f->seq == c->last_seq) {
    if (f->type == c->last_type && crc == c->last_crc) {
      c->replays++; /* a resend: the same bytes again, nothing executed */
      np_cobs_write(c->reply, c->reply_len, c->write, c->io);
      return;
    }
    np_msg_clear(c);
    np_msg_str(c, "seq ");
    np_msg_u32(c, f->seq);
    np_msg_str(c, " was just used for another request; use a new sequence number or send HELLO");
    send_uncached_error(c, f->seq, NP_E_SEQUENCE_REUSED);
    return;
  }
  /* The payload lives in the parser buffer, the reply in c->reply: no overlap. */
  c->reply_len = run(c, f);
  c->has_last = 1;
  c->last_seq = f->seq;
  c->last_type = f->type;
  c->last_crc = crc;
  np_cobs_write(c->reply, c->reply_len, c->write, c->io);
}
