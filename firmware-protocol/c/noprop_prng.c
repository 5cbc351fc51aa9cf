/* The perturbation PRNG of PROTOCOL.md section 9. See noprop_prng.h. */
#include "noprop_prng.h"

uint32_t np_mix(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

uint32_t np_key(uint32_t seed, uint32_t domain) { return np_mix(seed ^ domain); }

uint32_t np_word(uint32_t key, uint32_t counter) { return np_mix(np_mix(counter ^ key) + key); }

int np_rademacher(uint32_t seed, uint32_t n) {
  uint32_t bit = (np_word(np_key(seed, NP_DOMAIN_DIRECTION), n >> 5) >> (n & 31u)) & 1u;
  return bit == 0 ? +1 : -1;
}

uint32_t np_batch_row(uint32_t seed, uint32_t i, uint32_t rows) {
  return np_word(np_key(seed, NP_DOMAIN_BATCH), i) % rows;
}

void np_add_rademacher(float *w, uint32_t count, uint32_t seed, float a) {
  uint32_t k = np_key(seed, NP_DOMAIN_DIRECTION), bits = 0, n;
  float neg = -a; /* exact: flips the sign bit */
  for (n = 0; n < count; n++) {
    if ((n & 31u) == 0) bits = np_word(k, n >> 5);
    w[n] += ((bits >> (n & 31u)) & 1u) ? neg : a;
  }
}

int np_masked_keep(uint32_t seed, uint32_t n, uint8_t density) {
  return ((np_word(np_key(seed, NP_DOMAIN_MASK), n >> 2) >> (8u * (n & 3u))) & 0xFFu) <= density;
}

void np_add_masked(float *w, uint32_t offset, uint32_t length, uint8_t density, uint32_t seed, float a) {
  uint32_t k = np_key(seed, NP_DOMAIN_DIRECTION), mk = np_key(seed, NP_DOMAIN_MASK), n, end = offset + length;
  uint32_t bits = np_word(k, offset >> 5), keep = np_word(mk, offset >> 2);
  float neg = -a;
  for (n = offset; n != end; n++) {
    if ((n & 31u) == 0) bits = np_word(k, n >> 5);
    if (density != 0xFFu) {
      if ((n & 3u) == 0) keep = np_word(mk, n >> 2);
      if (((keep >> (8u * (n & 3u))) & 0xFFu) > density) continue;
    }
    w[n] += ((bits >> (n & 31u)) & 1u) ? neg : a;
  }
}

void np_perturb_into(const float *src, float *dst, uint32_t count, uint32_t seed, float a) {
  uint32_t k = np_key(seed, NP_DOMAIN_DIRECTION), bits = 0, n;
  float neg = -a;
  for (n = 0; n < count; n++) {
    if ((n & 31u) == 0) bits = np_word(k, n >> 5);
    dst[n] = src[n] + (((bits >> (n & 31u)) & 1u) ? neg : a);
  }
}

void np_add_guided(const float *src, float *dst, uint32_t count, uint32_t seed, float a,
                   unsigned vectors, float full, float guided, const float *const *B) {
  uint32_t k = np_key(seed, NP_DOMAIN_DIRECTION), zbits = np_word(np_key(seed, NP_DOMAIN_GUIDE), 0), bits = 0, n;
  unsigned j;
  for (n = 0; n < count; n++) {
    float g = 0.0f, r, d, m;
    if ((n & 31u) == 0) bits = np_word(k, n >> 5);
    for (j = 0; j < vectors; j++) g = g + (((zbits >> j) & 1u) ? -B[j][n] : B[j][n]);
    r = ((bits >> (n & 31u)) & 1u) ? -full : full;
    m = guided * g; /* each product rounded before its sum (-ffp-contract=off) */
    d = r + m;
    m = a * d;
    dst[n] = src[n] + m;
  }
}

uint32_t np_clip(float *w, uint32_t count, float lo, float hi) {
  uint32_t n, clipped = 0;
  for (n = 0; n < count; n++) {
    if (w[n] < lo) {
      w[n] = lo;
      clipped++;
    } else if (w[n] > hi) {
      w[n] = hi;
      clipped++;
    }
  }
  return clipped;
}
