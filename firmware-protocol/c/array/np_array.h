/*
 * The analog array behind the protocol: the part of the firmware a lab replaces with its driver.
 *
 * Everything else (frames, replay cache, datasets, batches, perturbation directions, updates,
 * biases, activations, loss) is digital and lives in noprop_chip.c and np_net.c, unchanged from
 * board to board. The array holds the weight matrices only; biases are added digitally after the
 * ADC, as in the simulator's forward pass (simulator ForwardPass: h = gain * acc + b).
 *
 * Cells are numbered per layer, input-major like PROTOCOL.md section 7: cell i * n_out + o of
 * layer l connects input i to output o. Values are the weights in the chip's announced range
 * [weight_min, weight_max]; mapping them to conductances, pulses or DAC codes is the driver's.
 *
 * Every function returns NP_OK or an NP_E_* code (NP_E_INTERNAL for a hardware fault). None is
 * called from an interrupt; each may take as long as the hardware needs (the controller waits).
 */
#ifndef NP_ARRAY_H
#define NP_ARRAY_H

#include <stdint.h>

typedef struct {
  /* Program cells [first, first + count) of layer `layer` to these target weights. Called before
     an EVALUATE whose weights differ from what the array holds (after UPDATE, WRITE_WEIGHTS, RESET,
     or for a perturbed read), so a driver that programs slowly can compare and skip equal cells. */
  int (*program)(void *ctx, unsigned layer, uint32_t first, uint32_t count, const float *values);
  /* Read back (measure) cells [first, first + count) of layer `layer`: READ_WEIGHTS PROGRAMMED. */
  int (*read)(void *ctx, unsigned layer, uint32_t first, uint32_t count, float *out);
  /* One matrix-vector product through the DACs and ADCs: acc[o] = sum_i x[i] * W[i][o] for every
     output o of layer `layer`, with x[0, n_in) and acc[0, n_out). Inputs are post-activation
     values (>= 0 after the first layer; the first layer's are the dataset's features). */
  int (*mvm)(void *ctx, unsigned layer, const float *x, float *acc);
} np_array_t;

#endif
