/* Example chip backend: a 16-8-4 MLP with datasets in static memory. See mlp.h. */
#include "mlp.h"

#include <math.h>
#include <string.h>

#include "../noprop_prng.h"

#ifndef EX_IN
#define EX_IN 16
#endif
#ifndef EX_HIDDEN
#define EX_HIDDEN 8
#endif
#ifndef EX_OUT
#define EX_OUT 4
#endif
#ifndef EX_MAX_BATCH
#define EX_MAX_BATCH 256
#endif
#ifndef EX_DATASET_MEM
#define EX_DATASET_MEM (256uL * 1024uL)
#endif
#ifndef EX_DEVICE_ID
#define EX_DEVICE_ID "c-example-0001"
#endif
#define EX_SLOTS 4
/* Basis vectors stored for GUIDED directions (PROTOCOL.md 9.2): 4 x EX_PARAMS floats; 0 leaves
   DIRECTION_GUIDED out of HELLO. */
#ifndef EX_MAX_BASIS
#define EX_MAX_BASIS 2
#endif
#if EX_MAX_BASIS > 32
#error "EX_MAX_BASIS: a GUIDED direction names at most 32 basis vectors"
#endif
#define EX_PARAMS (EX_IN * EX_HIDDEN + EX_HIDDEN + EX_HIDDEN * EX_OUT + EX_OUT)
#define W_MIN (-1.0f)
#define W_MAX 1.0f

/* Each slot stores rows then a bitmap of written rows (1 bit per row). A row is at least
   EX_IN + 1 bytes, so the bitmaps cost at most 1 / (8 (EX_IN + 1)) of the rows plus a byte per
   slot; the announced maxDatasetBytes leaves room for them. */
#define EX_ANNOUNCED_BYTES ((uint32_t)(((EX_DATASET_MEM - EX_SLOTS) * (8uL * (EX_IN + 1))) / (8uL * (EX_IN + 1) + 1uL)))

typedef struct {
  uint8_t defined;
  np_data_define_t h;
  uint32_t row_bytes;
  uint32_t off;  /* start in mem */
  uint32_t size; /* rows x row_bytes + bitmap */
  uint32_t written;
} slot_t;

static uint8_t mem[EX_DATASET_MEM];
static slot_t slots[EX_SLOTS];
static float target[EX_PARAMS];
static float effective[EX_PARAMS];
#if EX_MAX_BASIS > 0
static float basis[EX_MAX_BASIS][EX_PARAMS];
static uint8_t basis_written[EX_MAX_BASIS];
#endif
static const uint16_t sizes[3] = {EX_IN, EX_HIDDEN, EX_OUT};

#define STR_(x) #x
#define STR(x) STR_(x)
#define S(text) {text, (uint8_t)(sizeof text - 1)}

static np_hello_t hello;

const np_hello_t *ex_hello(uint32_t boot_count) {
  static const np_str_t keys[2] = {S("preset"), S("layers")};
  static const np_str_t values[2] = {S("ideal"), S(STR(EX_IN) "-" STR(EX_HIDDEN) "-" STR(EX_OUT))};
  static const np_str_t fw = S("c-ref 1.0.0"), id = S(EX_DEVICE_ID), model = S("c:example");
  if (hello.layers == 0) {
    unsigned i;
    hello.protocol_version = NP_VERSION;
    hello.firmware_version = fw;
    hello.device_id = id;
    hello.model = model;
    hello.layers = 3;
    for (i = 0; i < 3; i++) hello.layer_sizes[i] = sizes[i];
    hello.weight_min = W_MIN;
    hello.weight_max = W_MAX;
    hello.weight_levels = 0;
    hello.capabilities = NP_CAP_BATCH_RANGE | NP_CAP_BATCH_SEEDED | NP_CAP_DIRECTION_RADEMACHER | NP_CAP_UPDATE_SEEDED | NP_CAP_WRITE_WEIGHTS
                         | NP_CAP_READ_WEIGHTS | NP_CAP_DIRECTION_MASKED | (EX_MAX_BASIS > 0 ? NP_CAP_DIRECTION_GUIDED : 0u);
    hello.max_basis = EX_MAX_BASIS;
    hello.max_payload = NP_MAX_PAYLOAD;
    hello.max_batch = EX_MAX_BATCH;
    hello.dataset_slots = EX_SLOTS;
    hello.max_dataset_bytes = EX_ANNOUNCED_BYTES;
    hello.props = 2;
    for (i = 0; i < 2; i++) {
      hello.prop_key[i] = keys[i];
      hello.prop_value[i] = values[i];
    }
    hello.boot_count = boot_count;
  }
  return &hello;
}

static int ex_reset(np_chip_t *c, void *ctx) {
  (void)c;
  (void)ctx;
  memset(target, 0, sizeof target);
  memset(slots, 0, sizeof slots);
#if EX_MAX_BASIS > 0
  memset(basis, 0, sizeof basis);
  memset(basis_written, 0, sizeof basis_written);
#endif
  return NP_OK;
}

#if EX_MAX_BASIS > 0
/* The rows np_add_guided reads. */
static const float *const *basis_rows(void) {
  static const float *rows[EX_MAX_BASIS];
  unsigned j;
  for (j = 0; j < EX_MAX_BASIS; j++) rows[j] = basis[j];
  return rows;
}

static int ex_basis_write(np_chip_t *c, void *ctx, const np_basis_write_t *b) {
  unsigned i;
  (void)c;
  (void)ctx;
  for (i = 0; i < b->run.count; i++) basis[b->index][b->run.offset + i] = np_weights_value(&b->run, i);
  basis_written[b->index] = 1;
  return NP_OK;
}
#endif

/* NO_BASIS unless the first g->vectors basis vectors were written since boot or RESET (the
   dispatcher checked vectors <= max_basis). */
static int basis_ready(np_chip_t *c, const np_guide_t *g) {
  unsigned j;
  for (j = 0; j < g->vectors; j++) {
#if EX_MAX_BASIS > 0
    if (basis_written[j]) continue;
#endif
    np_fail(c, NP_E_NO_BASIS, "basis vector ");
    np_msg_u32(c, j);
    np_msg_str(c, " was not written since boot or RESET (BASIS_WRITE first)");
    return NP_E_NO_BASIS;
  }
  return NP_OK;
}

static uint32_t used_bytes(void) {
  uint32_t n = 0;
  int s;
  for (s = 0; s < EX_SLOTS; s++) n += slots[s].size;
  return n;
}

static int ex_define(np_chip_t *c, void *ctx, const np_data_define_t *d) {
  slot_t *sl = &slots[d->slot];
  uint32_t rb = np_row_bytes(d), others = 0, old = sl->size, tail, size;
  unsigned long long rows_bytes = (unsigned long long)d->rows * rb;
  int s;
  (void)ctx;
  if (d->features != EX_IN) {
    np_fail(c, NP_E_OUT_OF_RANGE, "dataset has ");
    np_msg_u32(c, d->features);
    np_msg_str(c, " features but the network takes " STR(EX_IN) " inputs");
    return NP_E_OUT_OF_RANGE;
  }
  if (d->classes > EX_OUT) {
    np_fail(c, NP_E_OUT_OF_RANGE, "dataset has ");
    np_msg_u32(c, d->classes);
    np_msg_str(c, " classes but the network has " STR(EX_OUT) " outputs");
    return NP_E_OUT_OF_RANGE;
  }
  for (s = 0; s < EX_SLOTS; s++)
    if (s != d->slot && slots[s].defined) others += slots[s].h.rows * slots[s].row_bytes;
  if (rows_bytes > EX_ANNOUNCED_BYTES - others) {
    np_fail(c, NP_E_OUT_OF_RANGE, "dataset of ");
    np_msg_u32(c, (uint32_t)(rows_bytes > 0xFFFFFFFFu ? 0xFFFFFFFFu : rows_bytes));
    np_msg_str(c, " bytes does not fit: ");
    np_msg_u32(c, EX_ANNOUNCED_BYTES - others);
    np_msg_str(c, " bytes free");
    return NP_E_OUT_OF_RANGE;
  }
  size = (uint32_t)rows_bytes + (d->rows + 7u) / 8u;
  NP_ASSERT(used_bytes() - old + size <= EX_DATASET_MEM);
  /* Slots sit in slot order without gaps: move the ones after this slot. */
  tail = used_bytes() - (sl->off + old);
  if (!sl->defined) {
    sl->off = 0;
    for (s = 0; s < d->slot; s++) sl->off += slots[s].size;
  }
  memmove(mem + sl->off + size, mem + sl->off + old, tail);
  for (s = d->slot + 1; s < EX_SLOTS; s++) slots[s].off = slots[s].off + size - old;
  sl->defined = 1;
  sl->h = *d;
  sl->row_bytes = rb;
  sl->size = size;
  sl->written = 0;
  memset(mem + sl->off + rows_bytes, 0, size - (uint32_t)rows_bytes);
  return NP_OK;
}

static int no_dataset(np_chip_t *c, uint8_t slot) {
  np_fail(c, NP_E_NO_DATASET, "no dataset in slot ");
  np_msg_u32(c, slot);
  np_msg_str(c, "; send DATA_DEFINE first");
  return NP_E_NO_DATASET;
}

static int ex_write(np_chip_t *c, void *ctx, const np_data_write_t *d) {
  slot_t *sl = &slots[d->slot];
  uint8_t *bits;
  uint32_t i;
  (void)ctx;
  if (!sl->defined) return no_dataset(c, d->slot);
  if ((unsigned long long)d->rows_len != (unsigned long long)d->row_count * sl->row_bytes) {
    np_fail(c, NP_E_MALFORMED_PAYLOAD, "DATA_WRITE of ");
    np_msg_u32(c, d->row_count);
    np_msg_str(c, " rows needs ");
    np_msg_u32(c, d->row_count * sl->row_bytes);
    np_msg_str(c, " bytes, got ");
    np_msg_u32(c, (uint32_t)d->rows_len);
    return NP_E_MALFORMED_PAYLOAD;
  }
  if (d->first_row > sl->h.rows || d->row_count > sl->h.rows - d->first_row) {
    np_fail(c, NP_E_OUT_OF_RANGE, "rows [");
    np_msg_u32(c, d->first_row);
    np_msg_str(c, ", +");
    np_msg_u32(c, d->row_count);
    np_msg_str(c, ") outside slot of ");
    np_msg_u32(c, sl->h.rows);
    np_msg_str(c, " rows");
    return NP_E_OUT_OF_RANGE;
  }
  for (i = 0; i < d->row_count; i++) {
    uint8_t label = d->rows[i * sl->row_bytes + sl->row_bytes - 1u];
    if (label >= sl->h.classes) {
      np_fail(c, NP_E_OUT_OF_RANGE, "row ");
      np_msg_u32(c, d->first_row + i);
      np_msg_str(c, " has label ");
      np_msg_u32(c, label);
      np_msg_str(c, " but the dataset has ");
      np_msg_u32(c, sl->h.classes);
      np_msg_str(c, " classes");
      return NP_E_OUT_OF_RANGE;
    }
  }
  if (d->rows_len) memcpy(mem + sl->off + d->first_row * sl->row_bytes, d->rows, d->rows_len);
  bits = mem + sl->off + sl->h.rows * sl->row_bytes;
  for (i = d->first_row; i < d->first_row + d->row_count; i++) {
    uint8_t m = (uint8_t)(1u << (i & 7u));
    if (!(bits[i >> 3] & m)) {
      bits[i >> 3] |= m;
      sl->written++;
    }
  }
  return NP_OK;
}

/* One sample through the network; returns its logits in out[EX_OUT]. Same operation order as
   the simulator's ideal path: per input, acc[o] += x_i * W[i][o]; then gain * acc + b. */
static void forward(const float *w, const float *x, float *out) {
  static float gain[2];
  float hid[EX_HIDDEN], acc[EX_HIDDEN > EX_OUT ? EX_HIDDEN : EX_OUT];
  const float *in = x;
  int l, i, o;
  if (gain[0] == 0.0f) {
    gain[0] = (float)sqrt(6.0 / EX_IN);
    gain[1] = (float)sqrt(6.0 / EX_HIDDEN);
  }
  for (l = 0; l < 2; l++) {
    int n_in = sizes[l], n_out = sizes[l + 1];
    const float *wl = w + (l == 0 ? 0 : EX_IN * EX_HIDDEN + EX_HIDDEN);
    const float *bias = wl + n_in * n_out;
    float *dst = l == 0 ? hid : out;
    for (o = 0; o < n_out; o++) acc[o] = 0.0f;
    for (i = 0; i < n_in; i++) {
      float xi = in[i];
      if (xi == 0.0f) continue;
      for (o = 0; o < n_out; o++) acc[o] += xi * wl[i * n_out + o];
    }
    for (o = 0; o < n_out; o++) {
      float v = gain[l] * acc[o] + bias[o];
      dst[o] = (l == 0 && v < 0.0f) ? 0.0f : v;
    }
    in = hid;
  }
}

static int ex_evaluate(np_chip_t *c, void *ctx, const np_evaluate_t *e, np_eval_result_t *r) {
  slot_t *sl = &slots[e->slot];
  const float *w = target;
  double loss = 0.0;
  uint32_t k, right = 0, key = np_key(e->start_or_seed, NP_DOMAIN_BATCH);
  (void)ctx;
  if (!sl->defined) return no_dataset(c, e->slot);
  if (sl->written != sl->h.rows) {
    np_fail(c, NP_E_NO_DATASET, "slot ");
    np_msg_u32(c, e->slot);
    np_msg_str(c, " has ");
    np_msg_u32(c, sl->written);
    np_msg_str(c, " of ");
    np_msg_u32(c, sl->h.rows);
    np_msg_str(c, " rows uploaded");
    return NP_E_NO_DATASET;
  }
  if (e->batch_mode == NP_BATCH_RANGE && (e->start_or_seed > sl->h.rows || e->count > sl->h.rows - e->start_or_seed)) {
    np_fail(c, NP_E_OUT_OF_RANGE, "rows [");
    np_msg_u32(c, e->start_or_seed);
    np_msg_str(c, ", +");
    np_msg_u32(c, e->count);
    np_msg_str(c, ") outside slot of ");
    np_msg_u32(c, sl->h.rows);
    np_msg_str(c, " rows");
    return NP_E_OUT_OF_RANGE;
  }
  if (e->distribution == NP_DIST_GUIDED && basis_ready(c, &e->guide) != NP_OK) return NP_E_NO_BASIS; /* at any scale */
  if (e->distribution != NP_DIST_NONE && e->scale != 0.0f) {
    uint32_t n;
    if (e->distribution == NP_DIST_RADEMACHER) {
      np_perturb_into(target, effective, EX_PARAMS, e->seed, (float)e->sign * e->scale);
#if EX_MAX_BASIS > 0
    } else if (e->distribution == NP_DIST_GUIDED) {
      np_add_guided(target, effective, EX_PARAMS, e->seed, (float)e->sign * e->scale, e->guide.vectors, e->guide.full, e->guide.guided, basis_rows());
#endif
    } else { /* the block only; the dispatcher checked it lies within the parameters */
      memcpy(effective, target, sizeof effective);
      np_add_masked(effective, e->mask.offset, e->mask.length, e->mask.density, e->seed, (float)e->sign * e->scale);
    }
    for (n = 0; n < EX_PARAMS; n++) effective[n] = effective[n] < W_MIN ? W_MIN : effective[n] > W_MAX ? W_MAX : effective[n];
    w = effective;
  }
  for (k = 0; k < e->count; k++) {
    uint32_t row = e->batch_mode == NP_BATCH_RANGE ? e->start_or_seed + k : np_word(key, k) % sl->h.rows;
    const uint8_t *p = mem + sl->off + row * sl->row_bytes;
    float x[EX_IN], out[EX_OUT], max;
    double sum = 0.0;
    int i, arg = 0;
    uint8_t label = p[sl->row_bytes - 1u];
    for (i = 0; i < EX_IN; i++) x[i] = sl->h.encoding == NP_ENC_U8 ? (float)p[i] / 255.0f : np_bits_f32(np_get_u32(p + 4 * i));
    forward(w, x, out);
    /* Softmax and arg-max over the dataset's classes only (PROTOCOL.md section 7.1). */
    max = out[0];
    for (i = 1; i < sl->h.classes; i++)
      if (out[i] > max) {
        max = out[i];
        arg = i;
      }
    for (i = 0; i < sl->h.classes; i++) sum += exp((double)(out[i] - max));
    if (arg == label) right++;
    loss += log(sum) + max - out[label];
  }
  r->loss = (float)(loss / e->count);
  r->correct = (uint16_t)right;
  r->count = e->count;
  r->clipped = 0;
  return NP_OK;
}

static int ex_update(np_chip_t *c, void *ctx, const np_update_t *u, uint32_t *clipped) {
  unsigned k;
  (void)ctx;
  if (u->distribution == NP_DIST_GUIDED && basis_ready(c, &u->guide) != NP_OK) return NP_E_NO_BASIS; /* before any term */
  for (k = 0; k < u->terms; k++) { /* terms in order, each one float addition per weight */
    uint32_t seed;
    float coef;
    np_mask_t m;
    np_update_term(u, k, &seed, &coef);
    np_update_mask(u, k, &m);
    if (u->distribution == NP_DIST_MASKED) np_add_masked(target, m.offset, m.length, m.density, seed, coef);
#if EX_MAX_BASIS > 0
    else if (u->distribution == NP_DIST_GUIDED) np_add_guided(target, target, EX_PARAMS, seed, coef, u->guide.vectors, u->guide.full, u->guide.guided, basis_rows());
#endif
    else np_add_rademacher(target, EX_PARAMS, seed, coef);
  }
  *clipped = np_clip(target, EX_PARAMS, W_MIN, W_MAX); /* once, after all terms */
  return NP_OK;
}

static int ex_write_weights(np_chip_t *c, void *ctx, const np_weights_t *wc) {
  unsigned i;
  (void)c;
  (void)ctx;
  for (i = 0; i < wc->count; i++) target[wc->offset + i] = np_weights_value(wc, i);
  return NP_OK;
}

static int ex_read_weights(np_chip_t *c, void *ctx, const np_read_weights_t *q, np_writer_t *out) {
  unsigned i;
  (void)c;
  (void)ctx;
  for (i = 0; i < q->count; i++) np_wr_f32(out, target[q->offset + i]);
  return NP_OK;
}

#if EX_MAX_BASIS > 0
const np_backend_t ex_backend = {ex_reset, ex_define, ex_write, ex_evaluate, ex_update, ex_write_weights, ex_read_weights, NULL, ex_basis_write};
#else
const np_backend_t ex_backend = {ex_reset, ex_define, ex_write, ex_evaluate, ex_update, ex_write_weights, ex_read_weights, NULL, NULL};
#endif
