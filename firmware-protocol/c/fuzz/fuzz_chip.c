/*
 * libFuzzer target: arbitrary bytes into the chip as a serial line delivers them, through the
 * stream deframer (np_parser_feed), the dispatcher with its replay cache (noprop_chip.c) and the
 * example backend (example/mlp.c), which is the code firmware authors copy.
 *
 * Besides the sanitizers (address, undefined), every byte the chip sends is checked: it must
 * parse as intact frames of version 1, each an ERROR or the reply type of a request, no payload
 * above maxPayload except HELLO's, and at most one reply per request frame plus one
 * CORRUPT_FRAME per damaged run. A violation traps, so libFuzzer keeps the input.
 *
 * The first input byte picks how the rest is cut into np_chip_feed calls (1 to 256 bytes at a
 * time), so byte-at-a-time delivery and big reads are both explored. Then the same bytes go to a
 * fresh chip as one MQTT message (np_chip_message), which must get exactly one reply frame.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../example/mlp.h"
#include "../noprop_chip.h"

#define CHECK(x) \
  do {           \
    if (!(x)) __builtin_trap(); \
  } while (0)

static np_chip_t chip;
static np_parser_t replies; /* parses what the chip sends, as a controller would */
static unsigned long sent_frames, input_runs;

static void on_reply(const np_frame_t *f) {
  CHECK(f->version == NP_VERSION);
  CHECK(f->type == NP_ERROR || (f->type & NP_REPLY_BIT) != 0);
  if (f->type != (NP_HELLO | NP_REPLY_BIT)) CHECK(f->len <= chip.hello->max_payload);
  if (f->type == NP_ERROR) {
    np_error_t e;
    const char *why;
    CHECK(np_error_decode(f->payload, f->len, &e, &why) == NP_OK);
    CHECK(e.code >= NP_E_CORRUPT_FRAME && e.code <= NP_E_NO_BASIS);
    if (e.code == NP_E_CORRUPT_FRAME || e.code == NP_E_RESERVED_SEQ) CHECK(f->seq == NP_UNSOLICITED_SEQ);
  } else {
    CHECK(f->seq != NP_UNSOLICITED_SEQ); /* a request with the reserved seq is never executed */
  }
  sent_frames++;
}

static void sink(void *io, const uint8_t *p, size_t n) {
  size_t i;
  np_frame_t f;
  (void)io;
  for (i = 0; i < n; i++) {
    int r = np_parser_feed(&replies, p[i], &f);
    CHECK(r != NP_PARSE_ERROR); /* the chip never sends a damaged frame */
    if (r == NP_PARSE_FRAME) on_reply(&f);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t step, i;
  if (size == 0) return 0;
  step = (size_t)data[0] + 1u;
  data++;
  size--;
  np_chip_init(&chip, ex_hello(1u), &ex_backend, NULL, sink, NULL);
  ex_backend.reset(&chip, NULL); /* every input starts from a chip fresh from boot */
  np_parser_init(&replies);
  sent_frames = 0;
  for (i = 0; i < size; i += step) np_chip_feed(&chip, data + i, size - i < step ? size - i : step);
  CHECK(replies.n == 0); /* every reply ended with its delimiter */
  /* Each non-empty run gets at most one answer: a reply, a replay, or one CORRUPT_FRAME. */
  input_runs = 0;
  for (i = 0; i < size; i++)
    if (data[i] == 0 && (i == 0 || data[i - 1] != 0)) input_runs++;
  CHECK(sent_frames <= input_runs + chip.parser.stats.oversize);

  /* The same bytes as one MQTT message (section 14): exactly one reply frame, whatever they hold. */
  np_chip_init(&chip, ex_hello(1u), &ex_backend, NULL, sink, NULL);
  ex_backend.reset(&chip, NULL);
  np_parser_init(&replies);
  sent_frames = 0;
  np_chip_message(&chip, data, size);
  CHECK(sent_frames == 1 && replies.n == 0);
  return 0;
}
