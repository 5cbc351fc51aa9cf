/*
 * libFuzzer target: every payload decoder of noprop_proto.c on arbitrary bytes. The first byte
 * picks the decoder; the rest is the payload. A payload a decoder accepts must encode back to the
 * same bytes (the layouts have no slack: PROTOCOL.md section 1 refuses trailing bytes), so a
 * decoder that reads a field from the wrong place or accepts a short payload is caught, not only
 * one that reads out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../noprop_proto.h"

#define CHECK(x) \
  do {           \
    if (!(x)) __builtin_trap(); \
  } while (0)

static uint8_t out[70000];

static void same(const np_writer_t *w, const uint8_t *p, size_t n) {
  CHECK(!w->overflow);
  CHECK(w->pos == n);
  CHECK(memcmp(out, p, n) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *why = NULL;
  const uint8_t *p;
  size_t n;
  np_writer_t w;
  if (size == 0) return 0;
  p = data + 1;
  n = size - 1;
  np_wr_init(&w, out, sizeof out);
  switch (data[0] % 13u) {
    case 0: {
      uint8_t v;
      if (np_hello_req_decode(p, n, &v, &why) != NP_OK) break;
      np_hello_req_encode(&w, v);
      same(&w, p, n);
      break;
    }
    case 1: {
      np_hello_t h;
      if (np_hello_decode(p, n, &h, &why) != NP_OK) break;
      np_hello_encode(&w, &h);
      same(&w, p, n);
      break;
    }
    case 2: {
      np_evaluate_t e;
      if (np_evaluate_decode(p, n, &e, &why) != NP_OK) break;
      np_evaluate_encode(&w, &e);
      same(&w, p, n);
      break;
    }
    case 3: {
      np_eval_result_t r;
      if (np_eval_result_decode(p, n, &r, &why) != NP_OK) break;
      np_eval_result_encode(&w, &r);
      same(&w, p, n);
      break;
    }
    case 4: {
      np_update_t u;
      static uint32_t seeds[255];
      static float coefs[255];
      static np_mask_t masks[255];
      unsigned k;
      if (np_update_decode(p, n, &u, &why) != NP_OK) break;
      CHECK(u.terms >= 1u);
      for (k = 0; k < u.terms; k++) {
        np_update_term(&u, k, &seeds[k], &coefs[k]);
        np_update_mask(&u, k, &masks[k]);
        CHECK(np_f32_finite(coefs[k]));
      }
      if (u.distribution == NP_DIST_MASKED) np_update_encode_masked(&w, u.terms, seeds, coefs, masks);
      else if (u.distribution == NP_DIST_GUIDED) np_update_encode_guided(&w, &u.guide, u.terms, seeds, coefs);
      else np_update_encode(&w, u.distribution, u.terms, seeds, coefs);
      same(&w, p, n);
      break;
    }
    case 5: {
      uint32_t clipped;
      if (np_update_result_decode(p, n, &clipped, &why) != NP_OK) break;
      np_update_result_encode(&w, clipped);
      same(&w, p, n);
      break;
    }
    case 6: {
      np_stats_t s;
      if (np_stats_decode(p, n, &s, &why) != NP_OK) break;
      np_stats_encode(&w, &s);
      same(&w, p, n);
      break;
    }
    case 7: {
      np_weights_t c;
      static float v[65535];
      unsigned i;
      if (np_weights_decode(p, n, &c, &why) != NP_OK) break;
      CHECK(c.offset <= 0x7FFFFFFFu);
      for (i = 0; i < c.count; i++) v[i] = np_weights_value(&c, i);
      np_weights_encode(&w, c.offset, c.count, v);
      same(&w, p, n);
      break;
    }
    case 8: {
      np_read_weights_t q;
      if (np_read_weights_decode(p, n, &q, &why) != NP_OK) break;
      np_read_weights_encode(&w, &q);
      same(&w, p, n);
      break;
    }
    case 9: {
      np_data_define_t d;
      if (np_data_define_decode(p, n, &d, &why) != NP_OK) break;
      CHECK(d.rows >= 1u && d.classes >= 2u && d.classes <= 256u && d.features >= 1u);
      np_data_define_encode(&w, &d);
      same(&w, p, n);
      break;
    }
    case 10: {
      np_data_write_t d;
      if (np_data_write_decode(p, n, &d, &why) != NP_OK) break;
      np_data_write_encode(&w, &d);
      same(&w, p, n);
      break;
    }
    case 11: {
      np_basis_write_t b;
      static float v[65535];
      unsigned i;
      if (np_basis_write_decode(p, n, &b, &why) != NP_OK) break;
      for (i = 0; i < b.run.count; i++) {
        v[i] = np_weights_value(&b.run, i);
        CHECK(np_f32_finite(v[i]));
      }
      np_basis_write_encode(&w, b.index, b.run.offset, b.run.count, v);
      same(&w, p, n);
      break;
    }
    default: {
      np_error_t e;
      if (np_error_decode(p, n, &e, &why) != NP_OK) break;
      np_error_encode(&w, e.code, e.message.s, e.message.len);
      same(&w, p, n);
      break;
    }
  }
  return 0;
}
