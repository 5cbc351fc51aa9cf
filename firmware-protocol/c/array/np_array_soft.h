/*
 * A software array: the weight matrices in float, multiplied exactly. It is what the emulated
 * boards run in place of an analog array, and the template a lab starts from: keep the signatures,
 * replace the bodies with the driver calls that set conductances (program), measure them (read)
 * and drive the DACs and sample the ADCs (mvm).
 *
 * Float, not fixed point: the products and sums are binary32 in the simulator's order (per input
 * i, acc[o] += x[i] * W[i][o], zero inputs skipped), so with -ffp-contract=off a board computes
 * exactly what sim:ideal computes.
 */
#ifndef NP_ARRAY_SOFT_H
#define NP_ARRAY_SOFT_H

#include "../noprop_proto.h"
#include "np_array.h"

typedef struct {
  unsigned layers;       /* widths in sizes[0, layers) */
  const uint16_t *sizes;
  float *cells;          /* sum over layers of s_l x s_{l+1} floats, layer after layer */
  uint32_t base[NP_MAX_LAYERS];
  uint32_t programs, mvms; /* cells written and products run since boot: a driver's cost counters */
} np_array_soft_t;

/* Lays out the cells (all 0) for these sizes; sizes must outlive the array. */
void np_array_soft_init(np_array_soft_t *a, const uint16_t *sizes, unsigned layers, float *cells);
/* Cells of a network with these sizes (for the board's buffer). */
uint32_t np_array_soft_cells(const uint16_t *sizes, unsigned layers);

extern const np_array_t np_array_soft;

#endif
