/* The network and datasets over an analog array: see np_net.h. */
#include "np_net.h"

#include <math.h>
#include <string.h>

#include "../noprop_prng.h"

#define N(c) ((np_net_t *)(c))

uint32_t np_net_dataset_bytes(const np_net_t *n) {
  /* A row is at least sizes[0] + 1 bytes, so each slot's bitmap costs at most 1 / (8 (in + 1)) of
     its rows plus one byte: announce what is left after those. */
  unsigned long long per = 8ull * ((unsigned long long)n->sizes[0] + 1u);
  if (n->data_bytes <= NP_NET_SLOTS) return 0;
  return (uint32_t)(((unsigned long long)(n->data_bytes - NP_NET_SLOTS) * per) / (per + 1u));
}

void np_net_init(np_net_t *n) {
  unsigned l;
  uint32_t base = 0;
  for (l = 0; l + 1 < n->layers; l++) {
    n->gain[l] = (float)sqrt(6.0 / n->sizes[l]);
    n->weight_base[l] = base;
    base += (uint32_t)n->sizes[l] * n->sizes[l + 1] + n->sizes[l + 1];
  }
  n->params = base;
  memset(n->target, 0, n->params * sizeof n->target[0]);
  memset(n->slots, 0, sizeof n->slots);
  n->programmed = NULL;
}

static int net_reset(np_chip_t *c, void *ctx) {
  np_net_t *n = N(ctx);
  (void)c;
  memset(n->target, 0, n->params * sizeof n->target[0]);
  memset(n->slots, 0, sizeof n->slots);
  n->programmed = NULL;
  return NP_OK;
}

static uint32_t used_bytes(const np_net_t *n) {
  uint32_t u = 0;
  unsigned s;
  for (s = 0; s < NP_NET_SLOTS; s++) u += n->slots[s].size;
  return u;
}

static int net_define(np_chip_t *c, void *ctx, const np_data_define_t *d) {
  np_net_t *n = N(ctx);
  np_net_slot_t *sl = &n->slots[d->slot];
  uint32_t rb = np_row_bytes(d), others = 0, old = sl->size, tail, size, room = np_net_dataset_bytes(n);
  unsigned long long rows_bytes = (unsigned long long)d->rows * rb;
  unsigned s;
  if (d->features != n->sizes[0]) {
    np_fail(c, NP_E_OUT_OF_RANGE, "dataset has ");
    np_msg_u32(c, d->features);
    np_msg_str(c, " features but the network takes ");
    np_msg_u32(c, n->sizes[0]);
    np_msg_str(c, " inputs");
    return NP_E_OUT_OF_RANGE;
  }
  if (d->classes > n->sizes[n->layers - 1]) {
    np_fail(c, NP_E_OUT_OF_RANGE, "dataset has ");
    np_msg_u32(c, d->classes);
    np_msg_str(c, " classes but the network has ");
    np_msg_u32(c, n->sizes[n->layers - 1]);
    np_msg_str(c, " outputs");
    return NP_E_OUT_OF_RANGE;
  }
  for (s = 0; s < NP_NET_SLOTS; s++)
    if (s != d->slot && n->slots[s].defined) others += n->slots[s].h.rows * n->slots[s].row_bytes;
  if (rows_bytes > room - others) {
    np_fail(c, NP_E_OUT_OF_RANGE, "dataset of ");
    np_msg_u32(c, (uint32_t)(rows_bytes > 0xFFFFFFFFu ? 0xFFFFFFFFu : rows_bytes));
    np_msg_str(c, " bytes does not fit: ");
    np_msg_u32(c, room - others);
    np_msg_str(c, " bytes free");
    return NP_E_OUT_OF_RANGE;
  }
  size = (uint32_t)rows_bytes + (d->rows + 7u) / 8u;
  NP_ASSERT(used_bytes(n) - old + size <= n->data_bytes);
  /* Slots sit in slot order without gaps: move the ones after this slot. */
  if (!sl->defined) {
    sl->off = 0;
    for (s = 0; s < d->slot; s++) sl->off += n->slots[s].size;
  }
  tail = used_bytes(n) - (sl->off + old);
  memmove(n->data + sl->off + size, n->data + sl->off + old, tail);
  for (s = d->slot + 1u; s < NP_NET_SLOTS; s++) n->slots[s].off = n->slots[s].off + size - old;
  sl->defined = 1;
  sl->h = *d;
  sl->row_bytes = rb;
  sl->size = size;
  sl->written = 0;
  memset(n->data + sl->off + rows_bytes, 0, size - (uint32_t)rows_bytes);
  return NP_OK;
}

static int no_dataset(np_chip_t *c, uint8_t slot) {
  np_fail(c, NP_E_NO_DATASET, "no dataset in slot ");
  np_msg_u32(c, slot);
  np_msg_str(c, "; send DATA_DEFINE first");
  return NP_E_NO_DATASET;
}

static int outside(np_chip_t *c, uint32_t first, uint32_t count, uint32_t rows) {
  np_fail(c, NP_E_OUT_OF_RANGE, "rows [");
  np_msg_u32(c, first);
  np_msg_str(c, ", +");
  np_msg_u32(c, count);
  np_msg_str(c, ") outside slot of ");
  np_msg_u32(c, rows);
  np_msg_str(c, " rows");
  return NP_E_OUT_OF_RANGE;
}

static int net_write(np_chip_t *c, void *ctx, const np_data_write_t *d) {
  np_net_t *n = N(ctx);
  np_net_slot_t *sl = &n->slots[d->slot];
  uint8_t *bits;
  uint32_t i;
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
  if (d->first_row > sl->h.rows || d->row_count > sl->h.rows - d->first_row) return outside(c, d->first_row, d->row_count, sl->h.rows);
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
  if (d->rows_len) memcpy(n->data + sl->off + d->first_row * sl->row_bytes, d->rows, d->rows_len);
  bits = n->data + sl->off + sl->h.rows * sl->row_bytes;
  for (i = d->first_row; i < d->first_row + d->row_count; i++) {
    uint8_t m = (uint8_t)(1u << (i & 7u));
    if (!(bits[i >> 3] & m)) {
      bits[i >> 3] |= m;
      n->slots[d->slot].written++;
    }
  }
  return NP_OK;
}

static int array_failed(np_chip_t *c, int code, const char *what, unsigned layer) {
  np_fail(c, code == NP_OK ? NP_E_INTERNAL : code, "array ");
  np_msg_str(c, what);
  np_msg_str(c, " failed on layer ");
  np_msg_u32(c, layer);
  return code == NP_OK ? NP_E_INTERNAL : code;
}

/* Makes the array hold the weights of w (target or effective), programming only when it does not. */
static int hold(np_chip_t *c, np_net_t *n, const float *w) {
  unsigned l;
  if (n->programmed == w) return NP_OK;
  n->programmed = NULL; /* unknown until every layer went through */
  for (l = 0; l + 1 < n->layers; l++) {
    int r = n->array->program(n->array_ctx, l, 0, (uint32_t)n->sizes[l] * n->sizes[l + 1], w + n->weight_base[l]);
    if (r != NP_OK) return array_failed(c, r, "program", l);
  }
  n->programmed = w;
  return NP_OK;
}

/* One sample through the network: logits into n->act_out. Biases come from w (target or effective). */
static int forward(np_chip_t *c, np_net_t *n, const float *w, const float *x) {
  unsigned l;
  const float *in = x;
  for (l = 0; l + 1 < n->layers; l++) {
    unsigned o, n_out = n->sizes[l + 1];
    const float *bias = w + n->weight_base[l] + (uint32_t)n->sizes[l] * n_out;
    float *acc = (l & 1u) ? n->act_in : n->act_out;
    int r = n->array->mvm(n->array_ctx, l, in, acc);
    if (r != NP_OK) return array_failed(c, r, "mvm", l);
    for (o = 0; o < n_out; o++) {
      float v = n->gain[l] * acc[o] + bias[o];
      acc[o] = (l + 2u < n->layers && v < 0.0f) ? 0.0f : v;
    }
    in = acc;
  }
  if (in != n->act_out) memcpy(n->act_out, in, n->sizes[n->layers - 1] * sizeof(float));
  return NP_OK;
}

static int net_evaluate(np_chip_t *c, void *ctx, const np_evaluate_t *e, np_eval_result_t *res) {
  np_net_t *n = N(ctx);
  np_net_slot_t *sl = &n->slots[e->slot];
  const float *w = n->target;
  unsigned n_in = n->sizes[0];
  double loss = 0.0;
  uint32_t k, right = 0, key = np_key(e->start_or_seed, NP_DOMAIN_BATCH);
  int r;
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
  if (e->batch_mode == NP_BATCH_RANGE && (e->start_or_seed > sl->h.rows || e->count > sl->h.rows - e->start_or_seed))
    return outside(c, e->start_or_seed, e->count, sl->h.rows);
  if ((e->distribution == NP_DIST_RADEMACHER || e->distribution == NP_DIST_MASKED) && e->scale != 0.0f) {
    uint32_t i;
    float a = (float)e->sign * e->scale;
    if (e->distribution == NP_DIST_RADEMACHER) {
      np_perturb_into(n->target, n->effective, n->params, e->seed, a);
    } else { /* the block only; the dispatcher checked it lies within the parameters */
      memcpy(n->effective, n->target, n->params * sizeof n->effective[0]);
      np_add_masked(n->effective, e->mask.offset, e->mask.length, e->mask.density, e->seed, a);
    }
    for (i = 0; i < n->params; i++)
      n->effective[i] = n->effective[i] < n->weight_min ? n->weight_min : n->effective[i] > n->weight_max ? n->weight_max : n->effective[i];
    w = n->effective;
    n->programmed = n->programmed == n->effective ? NULL : n->programmed; /* new contents */
  }
  r = hold(c, n, w);
  if (r != NP_OK) return r;
  for (k = 0; k < e->count; k++) {
    uint32_t row = e->batch_mode == NP_BATCH_RANGE ? e->start_or_seed + k : np_word(key, k) % sl->h.rows;
    const uint8_t *p = n->data + sl->off + row * sl->row_bytes;
    const float *out = n->act_out;
    uint8_t label = p[sl->row_bytes - 1u];
    float max;
    double sum = 0.0;
    unsigned i, arg = 0;
    /* act_in holds the features until the first layer's product is done (forward writes act_out
       first, then alternates). */
    for (i = 0; i < n_in; i++) n->act_in[i] = sl->h.encoding == NP_ENC_U8 ? (float)p[i] / 255.0f : np_bits_f32(np_get_u32(p + 4 * i));
    r = forward(c, n, w, n->act_in);
    if (r != NP_OK) return r;
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
  res->loss = (float)(loss / e->count);
  res->correct = (uint16_t)right;
  res->count = e->count;
  res->clipped = 0;
  return NP_OK;
}

static int net_update(np_chip_t *c, void *ctx, const np_update_t *u, uint32_t *clipped) {
  np_net_t *n = N(ctx);
  unsigned k;
  (void)c;
  for (k = 0; k < u->terms; k++) { /* terms in order, each one float addition per weight */
    uint32_t seed;
    float coef;
    np_mask_t m;
    np_update_term(u, k, &seed, &coef);
    np_update_mask(u, k, &m);
    if (u->distribution == NP_DIST_MASKED) np_add_masked(n->target, m.offset, m.length, m.density, seed, coef);
    else np_add_rademacher(n->target, n->params, seed, coef);
  }
  *clipped = np_clip(n->target, n->params, n->weight_min, n->weight_max); /* once, after all terms */
  if (n->programmed == n->target) n->programmed = NULL;
  return NP_OK;
}

static int net_write_weights(np_chip_t *c, void *ctx, const np_weights_t *wc) {
  np_net_t *n = N(ctx);
  unsigned i;
  (void)c;
  for (i = 0; i < wc->count; i++) n->target[wc->offset + i] = np_weights_value(wc, i);
  if (n->programmed == n->target) n->programmed = NULL;
  return NP_OK;
}

/* PROGRAMMED: programs the targets if the array holds something else, then measures the cells;
   biases are digital, so their programmed value is the target. */
static int net_read_weights(np_chip_t *c, void *ctx, const np_read_weights_t *q, np_writer_t *out) {
  np_net_t *n = N(ctx);
  uint32_t i = q->offset, end = q->offset + q->count;
  unsigned l = 0;
  if (q->source == NP_SOURCE_TARGET) {
    for (; i < end; i++) np_wr_f32(out, n->target[i]);
    return NP_OK;
  }
  {
    int r = hold(c, n, n->target);
    if (r != NP_OK) return r;
  }
  while (i < end) {
    uint32_t cells;
    while (l + 2u < n->layers && i >= n->weight_base[l + 1]) l++;
    cells = (uint32_t)n->sizes[l] * n->sizes[l + 1];
    if (i < n->weight_base[l] + cells) { /* a run of cells of layer l, measured in chunks */
      float buf[16];
      uint32_t first = i - n->weight_base[l], run = n->weight_base[l] + cells - i, j;
      if (run > end - i) run = end - i;
      if (run > 16u) run = 16u;
      {
        int r = n->array->read(n->array_ctx, l, first, run, buf);
        if (r != NP_OK) return array_failed(c, r, "read", l);
      }
      for (j = 0; j < run; j++) np_wr_f32(out, buf[j]);
      i += run;
    } else { /* a bias */
      np_wr_f32(out, n->target[i]);
      i++;
    }
  }
  return NP_OK;
}

const np_backend_t np_net_backend = {net_reset, net_define, net_write, net_evaluate, net_update, net_write_weights, net_read_weights, NULL, NULL};
