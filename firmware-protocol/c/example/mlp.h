/*
 * Example chip backend: a tiny fixed MLP in float with the math of the simulator's `ideal`
 * preset (simulator ForwardPass/AnalogChip): per layer h = gain * (W^T x) + b with
 * gain = sqrt(6 / fanIn), ReLU on hidden layers, mean softmax cross-entropy over the dataset's
 * classes (the first `classes` outputs) at the end: the forward function of PROTOCOL.md 7.1.
 * Weights in [-1, 1], continuous (weight levels 0); programmed values equal the targets.
 *
 * Knobs (-D...): EX_IN, EX_HIDDEN, EX_OUT (default 16-8-4), EX_MAX_BATCH (256),
 * EX_DATASET_MEM (bytes of dataset memory, default 256 KiB), EX_DEVICE_ID.
 */
#ifndef NOPROP_EXAMPLE_MLP_H
#define NOPROP_EXAMPLE_MLP_H

#include "../noprop_chip.h"

/* The HELLO this chip announces (built on first call) with this boot count (PROTOCOL.md: changes at
   every boot; a board keeps a counter in flash, this host example draws a random one per start). */
const np_hello_t *ex_hello(uint32_t boot_count);
/* The backend serving it. */
extern const np_backend_t ex_backend;

#endif
