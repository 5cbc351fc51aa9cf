/*
 * The network and the datasets on top of an analog array (np_array.h): an np_backend_t that a
 * board hands to np_chip_init. It keeps the target weights, the biases and the uploaded datasets in
 * memory the board provides (no heap), and asks the array only to program, read and multiply.
 *
 * Math: the simulator's `ideal` preset (simulator ForwardPass): per layer h = gain * acc + b with
 * gain = (float) sqrt(6 / fan-in), acc from the array, ReLU on hidden layers, mean softmax
 * cross-entropy over the batch (double exp/log). With an exact array (np_array_soft.c) and a build
 * without FMA contraction (-ffp-contract=off) the losses equal sim:ideal's for the same weights.
 */
#ifndef NP_NET_H
#define NP_NET_H

#include "../noprop_chip.h"
#include "np_array.h"

#ifndef NP_NET_SLOTS
#define NP_NET_SLOTS 4u
#endif

typedef struct {
  uint8_t defined;
  np_data_define_t h;
  uint32_t row_bytes;
  uint32_t off;  /* start in data memory */
  uint32_t size; /* rows x row_bytes + 1 bit per row ("written") */
  uint32_t written;
} np_net_slot_t;

typedef struct {
  /* Set by the board before np_net_init; the buffers must outlive the chip. */
  const np_array_t *array;
  void *array_ctx;
  unsigned layers;       /* widths in sizes[0, layers), 2 <= layers <= NP_MAX_LAYERS */
  const uint16_t *sizes;
  float weight_min, weight_max;
  float *target;         /* np_param_count(sizes, layers) floats: the weights the controller set */
  float *effective;      /* as many: the perturbed copy a perturbed EVALUATE programs */
  float *act_in, *act_out; /* the widest layer's width each */
  uint8_t *data;         /* dataset memory */
  uint32_t data_bytes;

  /* Owned by np_net. */
  uint32_t params;
  float gain[NP_MAX_LAYERS];
  uint32_t weight_base[NP_MAX_LAYERS]; /* index of layer l's first weight in the parameter vector */
  const float *programmed;             /* what the array holds: target, effective, or NULL (unknown) */
  np_net_slot_t slots[NP_NET_SLOTS];
} np_net_t;

/* Computes the layout, clears weights and datasets. The array holds nothing known yet. */
void np_net_init(np_net_t *n);
/* Dataset bytes to announce in HELLO (max_dataset_bytes): data_bytes less the written-row bitmaps. */
uint32_t np_net_dataset_bytes(const np_net_t *n);
/* The backend; its ctx is the np_net_t. */
extern const np_backend_t np_net_backend;

#endif
