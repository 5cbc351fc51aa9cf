/* A software array in float: see np_array_soft.h. */
#include "np_array_soft.h"

#include <string.h>

#define A(c) ((np_array_soft_t *)(c))

uint32_t np_array_soft_cells(const uint16_t *sizes, unsigned layers) {
  uint32_t n = 0;
  unsigned l;
  for (l = 0; l + 1 < layers; l++) n += (uint32_t)sizes[l] * sizes[l + 1];
  return n;
}

void np_array_soft_init(np_array_soft_t *a, const uint16_t *sizes, unsigned layers, float *cells) {
  unsigned l;
  uint32_t base = 0;
  a->layers = layers;
  a->sizes = sizes;
  a->cells = cells;
  for (l = 0; l + 1 < layers; l++) {
    a->base[l] = base;
    base += (uint32_t)sizes[l] * sizes[l + 1];
  }
  memset(cells, 0, base * sizeof cells[0]);
  a->programs = 0;
  a->mvms = 0;
}

/* A lab: apply programming pulses until each cell reads within tolerance of its target. */
static int soft_program(void *ctx, unsigned layer, uint32_t first, uint32_t count, const float *values) {
  np_array_soft_t *a = A(ctx);
  memcpy(a->cells + a->base[layer] + first, values, count * sizeof values[0]);
  a->programs += count;
  return NP_OK;
}

/* A lab: a read pulse per cell through the sense amplifier, converted back to weight units. */
static int soft_read(void *ctx, unsigned layer, uint32_t first, uint32_t count, float *out) {
  np_array_soft_t *a = A(ctx);
  memcpy(out, a->cells + a->base[layer] + first, count * sizeof out[0]);
  return NP_OK;
}

/* A lab: set the row DACs to x, integrate, sample the column ADCs, scale to weight units. */
static int soft_mvm(void *ctx, unsigned layer, const float *x, float *acc) {
  np_array_soft_t *a = A(ctx);
  unsigned i, o, n_in = a->sizes[layer], n_out = a->sizes[layer + 1];
  const float *w = a->cells + a->base[layer];
  for (o = 0; o < n_out; o++) acc[o] = 0.0f;
  for (i = 0; i < n_in; i++) {
    float xi = x[i];
    if (xi == 0.0f) continue;
    for (o = 0; o < n_out; o++) acc[o] += xi * w[i * n_out + o];
  }
  a->mvms++;
  return NP_OK;
}

const np_array_t np_array_soft = {soft_program, soft_read, soft_mvm};
