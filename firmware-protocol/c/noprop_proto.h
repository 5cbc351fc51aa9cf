/*
 * noprop firmware protocol v1: C99 reference codec (PROTOCOL.md sections 1-3, 5, 6).
 *
 * No heap, no I/O, no struct casting: every field is read and written byte by byte in
 * little-endian order, so the code runs unchanged on big- and little-endian cores.
 *
 * Board knobs (define before including, or with -D):
 *   NP_MAX_PAYLOAD    largest payload accepted or sent (announced in HELLO); default 1024
 *   NP_ASSERT(x)      invariant check; default: nothing (define it to trap on your board)
 *   NP_MAX_ERROR_MSG  longest ERROR message this side composes; default 96 (spec: <= 200)
 */
#ifndef NOPROP_PROTO_H
#define NOPROP_PROTO_H

#include <stddef.h>
#include <stdint.h>

#ifndef NP_MAX_PAYLOAD
#define NP_MAX_PAYLOAD 1024u
#endif
#ifndef NP_ASSERT
#define NP_ASSERT(x) ((void)0)
#endif
#ifndef NP_MAX_ERROR_MSG
#define NP_MAX_ERROR_MSG 96u
#endif

#define NP_VERSION 1u
#define NP_HEADER_BYTES 6u
#define NP_CRC_BYTES 4u
#define NP_OVERHEAD 10u
/* Largest COBS encoding of n raw bytes (no delimiter). */
#define NP_COBS_MAX(n) ((n) + (n) / 254u + 1u)
/* Receive buffer size: a frame carrying NP_MAX_PAYLOAD, stuffed. */
#define NP_MAX_RAW (NP_MAX_PAYLOAD + NP_OVERHEAD)
#define NP_MAX_ENCODED NP_COBS_MAX(NP_MAX_RAW)
#define NP_UNSOLICITED_SEQ 0xFFFFu

/* Message types (section 5). */
enum {
  NP_HELLO = 0x01, NP_PING = 0x02, NP_RESET = 0x03,
  NP_EVALUATE = 0x10, NP_UPDATE = 0x11, NP_WRITE_WEIGHTS = 0x12, NP_READ_WEIGHTS = 0x13,
  NP_STATS = 0x14, NP_BASIS_WRITE = 0x15,
  NP_DATA_DEFINE = 0x20, NP_DATA_WRITE = 0x21,
  NP_ERROR = 0xFF, NP_REPLY_BIT = 0x80
};

/* Error codes (section 8). 0 means success in this library. */
enum {
  NP_OK = 0,
  NP_E_CORRUPT_FRAME = 1, NP_E_UNSUPPORTED_VERSION = 2, NP_E_UNKNOWN_TYPE = 3,
  NP_E_MALFORMED_PAYLOAD = 4, NP_E_OUT_OF_RANGE = 5, NP_E_NO_DATASET = 6,
  NP_E_BATCH_TOO_LARGE = 7, NP_E_PAYLOAD_TOO_LARGE = 8, NP_E_NOT_SUPPORTED = 9,
  NP_E_BUSY = 10, NP_E_INTERNAL = 11, NP_E_SEQUENCE_REUSED = 12, NP_E_RESERVED_SEQ = 13,
  NP_E_NO_BASIS = 14
};

/* Capability bits (HELLO). */
enum {
  NP_CAP_BATCH_RANGE = 0x01, NP_CAP_BATCH_SEEDED = 0x02, NP_CAP_DIRECTION_RADEMACHER = 0x04,
  NP_CAP_UPDATE_SEEDED = 0x08, NP_CAP_WRITE_WEIGHTS = 0x10, NP_CAP_READ_WEIGHTS = 0x20,
  NP_CAP_READ_PROGRAMMED = 0x40, NP_CAP_STATS = 0x80, NP_CAP_DIRECTION_MASKED = 0x100,
  NP_CAP_DIRECTION_GUIDED = 0x200
};

enum { NP_BATCH_RANGE = 0, NP_BATCH_SEEDED = 1 };
enum { NP_DIST_NONE = 0, NP_DIST_RADEMACHER = 1, NP_DIST_MASKED = 2, NP_DIST_GUIDED = 3 };
/* Basis vectors a GUIDED direction can name: one PRNG word of signs (section 9.2). */
#define NP_MAX_GUIDE_VECTORS 32u
enum { NP_ENC_U8 = 0, NP_ENC_F32 = 1 };
enum { NP_SOURCE_TARGET = 0, NP_SOURCE_PROGRAMMED = 1 };

/* ---- byte order and float bits --------------------------------------------------------- */
uint16_t np_get_u16(const uint8_t *p);
uint32_t np_get_u32(const uint8_t *p);
void np_put_u16(uint8_t *p, uint16_t v);
void np_put_u32(uint8_t *p, uint32_t v);
uint32_t np_f32_bits(float f);
float np_bits_f32(uint32_t b);
/* Finite (not NaN, not +-inf), from the bits: no libm, no FPU flags. */
int np_f32_finite(float f);

/* ---- CRC-32 (IEEE 802.3 / zlib), 16-entry nibble table -------------------------------- */
uint32_t np_crc32(const uint8_t *p, size_t n);
/* Incremental form: c = np_crc32_update(0, a, n); c = np_crc32_update(c, b, m); == crc(a||b). */
uint32_t np_crc32_update(uint32_t crc, const uint8_t *p, size_t n);

/* ---- COBS ------------------------------------------------------------------------------- */
/* Encodes src[0, len) into dst (room for NP_COBS_MAX(len)); returns bytes written, no delimiter. */
size_t np_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst);
/* Decodes src[0, len); returns the raw length, or -1 if not valid COBS. dst may equal src. */
long np_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst);
/* Streams COBS(src) then the 00 delimiter to a sink, block by block, without a buffer. */
typedef void (*np_sink_fn)(void *ctx, const uint8_t *p, size_t n);
size_t np_cobs_write(const uint8_t *src, size_t len, np_sink_fn sink, void *ctx);

/* ---- frames ----------------------------------------------------------------------------- */
typedef struct {
  uint8_t version;
  uint8_t type;
  uint16_t seq;
  uint16_t len;           /* payload bytes */
  const uint8_t *payload; /* points into the buffer it was parsed from */
} np_frame_t;

enum {
  NP_FRAME_OK = 0, NP_FRAME_COBS = 1, NP_FRAME_TOO_SHORT = 2, NP_FRAME_LENGTH_MISMATCH = 3,
  NP_FRAME_BAD_CRC = 4, NP_FRAME_OVERSIZE = 5
};
/* Short English name of an NP_FRAME_* status ("CRC mismatch", ...). */
const char *np_frame_status_text(int status);

/* Writes header + payload + CRC into raw (room for NP_OVERHEAD + len); returns the raw length.
   payload may already sit at raw + NP_HEADER_BYTES (then it is not copied). */
size_t np_frame_encode(uint8_t version, uint8_t type, uint16_t seq, const uint8_t *payload, uint16_t len, uint8_t *raw);
/* Checks a raw frame in the order of section 3 (size, length, CRC; not the version). */
int np_frame_check(const uint8_t *raw, size_t len, np_frame_t *out);

/* ---- byte-at-a-time stream parser (section 2) -------------------------------------------- */
typedef struct {
  uint32_t bytes;     /* bytes fed, delimiters included */
  uint32_t frames;    /* good frames delivered */
  uint32_t bad_crc;   /* frames whose CRC did not match */
  uint32_t malformed; /* bad stuffing, too short, or length field disagreeing with the size */
  uint32_t oversize;  /* runs longer than NP_MAX_ENCODED, skipped */
  uint32_t resyncs;   /* delimiters found after skipping an oversize run */
} np_parser_stats_t;

typedef struct {
  uint8_t buf[NP_MAX_ENCODED]; /* the run; decoded in place, so one buffer is enough */
  size_t n;
  uint8_t skipping;
  int last_error; /* NP_FRAME_* of the last NP_PARSE_ERROR */
  np_parser_stats_t stats;
} np_parser_t;

enum { NP_PARSE_NONE = 0, NP_PARSE_FRAME = 1, NP_PARSE_ERROR = 2 };

void np_parser_init(np_parser_t *p);
/* Feeds one byte. NP_PARSE_FRAME: *out holds a good frame (its payload lives in p->buf until the
   next call). NP_PARSE_ERROR: p->last_error says why (answer it with CORRUPT_FRAME). */
int np_parser_feed(np_parser_t *p, uint8_t b, np_frame_t *out);

/* ---- message transports (section 14) ---------------------------------------------------- */
/* The one frame of a message (MQTT): its stream form, the trailing 00 optional. A message that is
   empty, holds a 00 anywhere but at its end (two frames, or garbage) or more than max_encoded
   bytes before the end is not one frame: NP_FRAME_COBS, NP_FRAME_TOO_SHORT or NP_FRAME_OVERSIZE
   (refused before decoding). Otherwise decodes into buf (room for max_encoded bytes) and checks
   as np_frame_check does; *out points into buf. */
int np_message_frame(const uint8_t *msg, size_t len, size_t max_encoded, uint8_t *buf, np_frame_t *out);

/* ---- payload reader / writer (sticky errors: check once at the end) -------------------- */
typedef struct {
  const uint8_t *p;
  size_t n, pos;
  int short_read; /* a read ran past the end */
} np_reader_t;

void np_rd_init(np_reader_t *r, const uint8_t *p, size_t n);
uint8_t np_rd_u8(np_reader_t *r);
uint16_t np_rd_u16(np_reader_t *r);
uint32_t np_rd_u32(np_reader_t *r);
uint64_t np_rd_u64(np_reader_t *r);
float np_rd_f32(np_reader_t *r);
/* Returns a pointer to the next n bytes (no copy), or NULL when fewer remain. */
const uint8_t *np_rd_bytes(np_reader_t *r, size_t n);
size_t np_rd_left(const np_reader_t *r);

typedef struct {
  uint8_t *p;
  size_t cap, pos;
  int overflow;
} np_writer_t;

void np_wr_init(np_writer_t *w, uint8_t *p, size_t cap);
void np_wr_u8(np_writer_t *w, uint8_t v);
void np_wr_u16(np_writer_t *w, uint16_t v);
void np_wr_u32(np_writer_t *w, uint32_t v);
void np_wr_u64(np_writer_t *w, uint64_t v);
void np_wr_f32(np_writer_t *w, float v);
void np_wr_bytes(np_writer_t *w, const uint8_t *b, size_t n);
/* str: u8 length then the bytes (len <= 255, else overflow is set). */
void np_wr_str(np_writer_t *w, const char *s, size_t len);

/* ---- messages (section 6) ----------------------------------------------------------------
 * decode functions return NP_OK or NP_E_MALFORMED_PAYLOAD and set *why to a static text.
 * Variable parts (strings, rows, weight values, terms) are pointers into the payload. */
typedef struct { const char *s; uint8_t len; } np_str_t;

#ifndef NP_MAX_LAYERS
#define NP_MAX_LAYERS 8u
#endif
#ifndef NP_MAX_PROPS
#define NP_MAX_PROPS 8u
#endif

typedef struct {
  uint8_t protocol_version;
  np_str_t firmware_version, device_id, model;
  uint8_t layers;
  uint16_t layer_sizes[NP_MAX_LAYERS];
  float weight_min, weight_max;
  uint32_t weight_levels;
  uint32_t capabilities;
  uint16_t max_payload;
  uint16_t max_batch;
  uint8_t dataset_slots;
  uint32_t max_dataset_bytes;
  uint8_t props;
  np_str_t prop_key[NP_MAX_PROPS], prop_value[NP_MAX_PROPS];
  /* Changes at every boot (power-up, reset pin, watchdog, brown-out) and at no other time: keep a
     counter in non-volatile memory and add 1 at boot (skipping 0), or draw a random non-zero value
     at boot from a hardware RNG. 0 means "not tracked". PROTOCOL.md, HELLO. */
  uint32_t boot_count;
  /* Basis vectors stored for GUIDED directions, 1..32, sent (as a trailing u8) only with
     NP_CAP_DIRECTION_GUIDED; 0 without it. */
  uint8_t max_basis;
} np_hello_t;

/* The block of a MASKED direction (section 9.1): entries [offset, offset + length), each kept
   with probability (density + 1) / 256 (255: all). On the wire: u32 offset | u32 length | u8
   density. Decoders set {0, 0, 255} for the other distributions: length 0 is not a wire value. */
typedef struct {
  uint32_t offset, length;
  uint8_t density;
} np_mask_t;
#define NP_MASK_BYTES 9u
#define NP_DENSE 255u

/* The mix of a GUIDED direction (section 9.2): d = full * r + guided * sum_{j<vectors} z_j B_j.
   On the wire: u8 vectors | f32 full | f32 guided. Decoders set {0, 1, 0} for other distributions. */
typedef struct {
  uint8_t vectors;
  float full, guided;
} np_guide_t;
#define NP_GUIDE_BYTES 9u

typedef struct {
  uint8_t slot, batch_mode;
  uint32_t start_or_seed;
  uint16_t count;
  uint8_t distribution;
  uint32_t seed;
  int8_t sign;
  float scale;
  np_mask_t mask; /* distribution MASKED only: 27-byte payload instead of 18 */
  np_guide_t guide; /* distribution GUIDED only: 27-byte payload instead of 18 */
} np_evaluate_t;

typedef struct { float loss; uint16_t correct, count; uint32_t clipped; } np_eval_result_t;

typedef struct {
  uint8_t distribution;
  uint8_t terms;
  const uint8_t *raw; /* terms x (u32 seed, f32 coefficient), MASKED: then u32 offset, u32 length, u8 density */
  np_guide_t guide;   /* GUIDED: the one mix of every term (before the terms on the wire) */
} np_update_t;
void np_update_term(const np_update_t *u, unsigned k, uint32_t *seed, float *coefficient);
/* The block of term k of a MASKED UPDATE; {0, 0, 255} for RADEMACHER. */
void np_update_mask(const np_update_t *u, unsigned k, np_mask_t *mask);

/* STATS reply (56 bytes): counters since boot or RESET. The two times/energies are IEEE-754
   binary64 on the wire; this struct keeps them as double, so it needs a 64-bit double (a target
   whose double is 32 bits keeps its own counters and writes the bits with np_wr_u64). */
typedef struct {
  double chip_seconds, joules;
  uint64_t evaluations, updates, mvms, pulses, cell_reads;
} np_stats_t;

typedef struct {
  uint32_t offset;
  uint16_t count;
  const uint8_t *raw; /* count x f32 */
} np_weights_t;
float np_weights_value(const np_weights_t *c, unsigned i);

typedef struct { uint32_t offset; uint16_t count; uint8_t source; } np_read_weights_t;
/* BASIS_WRITE: u8 index | u32 offset | u16 n | n x f32 (each finite). */
typedef struct {
  uint8_t index;
  np_weights_t run;
} np_basis_write_t;
typedef struct { uint8_t slot; uint32_t rows; uint16_t features, classes; uint8_t encoding; } np_data_define_t;
typedef struct { uint8_t slot; uint32_t first_row; uint16_t row_count; const uint8_t *rows; size_t rows_len; } np_data_write_t;
typedef struct { uint16_t code; np_str_t message; } np_error_t;

/* Bytes of one stored row: features x (1 or 4) + 1 label byte. */
uint32_t np_row_bytes(const np_data_define_t *d);
/* Parameters of the network of section 7. */
uint32_t np_param_count(const uint16_t *sizes, unsigned layers);

void np_hello_req_encode(np_writer_t *w, uint8_t version);
int np_hello_req_decode(const uint8_t *p, size_t n, uint8_t *version, const char **why);
void np_hello_encode(np_writer_t *w, const np_hello_t *h);
int np_hello_decode(const uint8_t *p, size_t n, np_hello_t *h, const char **why);
void np_evaluate_encode(np_writer_t *w, const np_evaluate_t *e);
int np_evaluate_decode(const uint8_t *p, size_t n, np_evaluate_t *e, const char **why);
void np_eval_result_encode(np_writer_t *w, const np_eval_result_t *r);
int np_eval_result_decode(const uint8_t *p, size_t n, np_eval_result_t *r, const char **why);
/* seeds/coefficients: terms entries each. */
void np_update_encode(np_writer_t *w, uint8_t distribution, unsigned terms, const uint32_t *seeds, const float *coefficients);
/* Distribution MASKED: each term also carries its block. */
void np_update_encode_masked(np_writer_t *w, unsigned terms, const uint32_t *seeds, const float *coefficients, const np_mask_t *masks);
/* Distribution GUIDED: one mix for every term. */
void np_update_encode_guided(np_writer_t *w, const np_guide_t *g, unsigned terms, const uint32_t *seeds, const float *coefficients);
int np_update_decode(const uint8_t *p, size_t n, np_update_t *u, const char **why);
void np_basis_write_encode(np_writer_t *w, uint8_t index, uint32_t offset, uint16_t count, const float *values);
int np_basis_write_decode(const uint8_t *p, size_t n, np_basis_write_t *b, const char **why);
void np_update_result_encode(np_writer_t *w, uint32_t clipped);
int np_update_result_decode(const uint8_t *p, size_t n, uint32_t *clipped, const char **why);
void np_stats_encode(np_writer_t *w, const np_stats_t *s);
/* Refuses a non-finite or negative chip_seconds or joules (MALFORMED_PAYLOAD). */
int np_stats_decode(const uint8_t *p, size_t n, np_stats_t *s, const char **why);
/* WRITE_WEIGHTS request and READ_WEIGHTS reply share this layout. */
void np_weights_encode(np_writer_t *w, uint32_t offset, uint16_t count, const float *values);
int np_weights_decode(const uint8_t *p, size_t n, np_weights_t *c, const char **why);
void np_read_weights_encode(np_writer_t *w, const np_read_weights_t *r);
int np_read_weights_decode(const uint8_t *p, size_t n, np_read_weights_t *r, const char **why);
void np_data_define_encode(np_writer_t *w, const np_data_define_t *d);
int np_data_define_decode(const uint8_t *p, size_t n, np_data_define_t *d, const char **why);
void np_data_write_encode(np_writer_t *w, const np_data_write_t *d);
int np_data_write_decode(const uint8_t *p, size_t n, np_data_write_t *d, const char **why);
void np_error_encode(np_writer_t *w, uint16_t code, const char *message, size_t len);
int np_error_decode(const uint8_t *p, size_t n, np_error_t *e, const char **why);

#endif
