/*
 * The perturbation PRNG of PROTOCOL.md section 9: counter-based, 32-bit integer operations only
 * (xor, shift, wrapping multiply and add), so a Cortex-M0 runs it.
 *
 * Bit-exactness: UPDATE and perturbed reads are single binary32 additions of +a or -a. They match
 * the controller only if float addition is IEEE-754 round-to-nearest-even with subnormals kept:
 * no -ffast-math, no flush-to-zero (check FPSCR.FZ on Cortex-M4F/M7), FLT_EVAL_METHOD 0 or an
 * FPU whose extended precision cannot double-round a float sum (x87 and double both qualify).
 */
#ifndef NOPROP_PRNG_H
#define NOPROP_PRNG_H

#include <stdint.h>

#define NP_DOMAIN_DIRECTION 0x44495231u /* "DIR1" */
#define NP_DOMAIN_BATCH 0x42415431u     /* "BAT1" */
#define NP_DOMAIN_MASK 0x4D534B31u      /* "MSK1": keep mask of sparse MASKED directions */
#define NP_DOMAIN_GUIDE 0x47554931u     /* "GUI1": basis signs of GUIDED directions */

uint32_t np_mix(uint32_t x);
uint32_t np_key(uint32_t seed, uint32_t domain);
uint32_t np_word(uint32_t key, uint32_t counter);
/* z_n of the Rademacher direction named by seed: +1 or -1. */
int np_rademacher(uint32_t seed, uint32_t n);
/* Row i of the seeded batch over rows rows (rows >= 1). */
uint32_t np_batch_row(uint32_t seed, uint32_t i, uint32_t rows);
/* w[n] += a * z_n(seed) for n in [0, count): one float addition each (UPDATE, one term). */
void np_add_rademacher(float *w, uint32_t count, uint32_t seed, float a);
/* dst[n] = src[n] + a * z_n(seed): the weights a perturbed EVALUATE reads (before any clamp). */
void np_perturb_into(const float *src, float *dst, uint32_t count, uint32_t seed, float a);
/* Distribution MASKED (section 9.1): 1 when entry n is kept at this density (255 keeps all):
   byte n mod 4 of word(key(seed, MASK), n / 4) <= density. Says nothing about the block. */
int np_masked_keep(uint32_t seed, uint32_t n, uint8_t density);
/* w[n] += a * z_n(seed) for the kept n of [offset, offset + length): w is the whole parameter
   vector (index n, not n - offset). Other entries untouched. UPDATE (one MASKED term) and, after
   copying the weights, perturbed reads. Dense blocks match np_add_rademacher entry for entry. */
void np_add_masked(float *w, uint32_t offset, uint32_t length, uint8_t density, uint32_t seed, float a);
/* Clips w[0, count) to [lo, hi]; returns how many values were set to a bound (UPDATE's reply). */
/* dst[n] = src[n] + a * d_n for n in [0, count), d the GUIDED direction of seed over the basis
   B[0 .. vectors-1] mixed by full and guided (PROTOCOL.md 9.2), in the specified f32 order.
   dst may equal src (UPDATE). Build with -ffp-contract=off: no fused multiply-add. */
void np_add_guided(const float *src, float *dst, uint32_t count, uint32_t seed, float a,
                   unsigned vectors, float full, float guided, const float *const *B);
uint32_t np_clip(float *w, uint32_t count, float lo, float hi);

#endif
