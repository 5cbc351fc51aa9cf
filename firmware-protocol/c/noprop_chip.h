/*
 * The chip side of the noprop protocol: wire bytes in, reply bytes out through a board hook.
 * Parses frames byte by byte (noprop_proto.h), answers corrupt frames with an unsolicited
 * CORRUPT_FRAME (seq 0xFFFF), applies each request at most once with the one-deep replay cache
 * of PROTOCOL.md section 4, checks everything that depends only on HELLO (capabilities, batch
 * size, slot numbers, parameter ranges, reply sizes), and calls a backend for the rest.
 *
 * Memory: one np_chip_t holds the receive buffer (NP_MAX_ENCODED), the cached reply
 * (NP_MAX_RAW) and a small buffer for uncached errors; about 2 x NP_MAX_PAYLOAD + 150 bytes.
 */
#ifndef NOPROP_CHIP_H
#define NOPROP_CHIP_H

#include "noprop_proto.h"

typedef struct np_chip np_chip_t;

/*
 * What the board implements. Every function returns NP_OK or an NP_E_* code; on an error it
 * says why with np_fail / np_msg_* (the message travels in the ERROR reply). A NULL function is
 * answered NOT_SUPPORTED. Requests arrive decoded and checked for shape and against HELLO.
 */
typedef struct {
  /* Clear every dataset slot and set every parameter to 0. */
  int (*reset)(np_chip_t *chip, void *ctx);
  /* Slot < dataset_slots already checked; features/classes/capacity are the backend's. */
  int (*data_define)(np_chip_t *chip, void *ctx, const np_data_define_t *d);
  /* Slot < dataset_slots already checked; rows_len, row range and labels are the backend's. */
  int (*data_write)(np_chip_t *chip, void *ctx, const np_data_write_t *d);
  /* Slot, count <= max_batch, capabilities, a MASKED block (within the parameters) and a GUIDED
     mix (vectors <= max_basis) already checked. */
  int (*evaluate)(np_chip_t *chip, void *ctx, const np_evaluate_t *e, np_eval_result_t *out);
  /* Apply the terms in order, clip once at the end (np_add_rademacher, np_clip; MASKED:
     np_update_mask and np_add_masked). Distribution, capabilities and every block checked. */
  int (*update)(np_chip_t *chip, void *ctx, const np_update_t *u, uint32_t *clipped);
  /* Range and every value already checked against the parameter count and [min, max]. */
  int (*write_weights)(np_chip_t *chip, void *ctx, const np_weights_t *c);
  /* Range and reply size already checked: append r->count values with np_wr_f32. */
  int (*read_weights)(np_chip_t *chip, void *ctx, const np_read_weights_t *r, np_writer_t *values);
  /* Optional: the cost counters since boot or RESET (STATS). NULL, or HELLO without
     NP_CAP_STATS, is answered NOT_SUPPORTED. Counters never decrease between RESETs. */
  int (*stats)(np_chip_t *chip, void *ctx, np_stats_t *out);
  /* Optional: store a run of basis vector b->index of the GUIDED directions (index < max_basis and
     the run within the parameters already checked; values finite). NULL, or HELLO without
     NP_CAP_DIRECTION_GUIDED, is answered NOT_SUPPORTED. A backend with it marks the vector
     written, forgets every vector at RESET, answers NO_BASIS for a GUIDED EVALUATE or UPDATE over
     a vector never written, and applies GUIDED terms and reads with np_add_guided. */
  int (*basis_write)(np_chip_t *chip, void *ctx, const np_basis_write_t *b);
} np_backend_t;

struct np_chip {
  const np_hello_t *hello;
  const np_backend_t *backend;
  void *ctx;
  np_sink_fn write; /* board hook: send these bytes (blocking is fine) */
  void *io;
  uint32_t params;
  np_parser_t parser;
  /* the cached reply (raw frame) and what produced it */
  uint8_t reply[NP_MAX_RAW];
  size_t reply_len;
  uint8_t has_last, last_type;
  uint16_t last_seq;
  uint32_t last_crc;
  /* uncached replies: CORRUPT_FRAME, SEQUENCE_REUSED and RESERVED_SEQ */
  uint8_t err[NP_OVERHEAD + 3u + NP_MAX_ERROR_MSG];
  char msg[NP_MAX_ERROR_MSG];
  size_t msg_len;
  uint32_t requests, replays, errors;
};

/* hello must outlive the chip; hello->max_payload must be <= NP_MAX_PAYLOAD. */
void np_chip_init(np_chip_t *chip, const np_hello_t *hello, const np_backend_t *backend, void *ctx, np_sink_fn write, void *io);
/* Feeds received bytes; replies go out through the write hook before it returns. */
void np_chip_feed(np_chip_t *chip, const uint8_t *p, size_t n);
/* Handles one message of a message transport (MQTT, PROTOCOL.md section 14): the message holds
   exactly one frame, else it is answered with one CORRUPT_FRAME and nothing in it is executed.
   Exactly one reply frame goes out through the write hook (in several calls: publish the bytes
   up to and including the 00 as one message). Decodes in the stream parser's buffer, so a chip
   served by messages does not also take np_chip_feed. */
void np_chip_message(np_chip_t *chip, const uint8_t *msg, size_t n);
/* Handles one intact frame (what np_chip_feed does for each good frame). */
void np_chip_on_frame(np_chip_t *chip, const np_frame_t *f);

/* Error messages without printf: np_fail(chip, code, text) sets the text and returns code;
   np_msg_* append to it (cut at NP_MAX_ERROR_MSG bytes). */
int np_fail(np_chip_t *chip, int code, const char *text);
void np_msg_clear(np_chip_t *chip);
void np_msg_str(np_chip_t *chip, const char *s);
void np_msg_u32(np_chip_t *chip, uint32_t v);
void np_msg_hex(np_chip_t *chip, uint32_t v);

#endif
