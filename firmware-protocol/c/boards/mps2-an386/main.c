/*
 * noprop firmware for mps2-an386: the protocol on UART0, a network on the software array.
 *
 * What is board-specific is in startup.c, uart.c, boot_record.c and linker.ld; what a lab replaces
 * to drive its own analog array is np_array_soft.c (behind np_array.h); noprop_chip.c, the codec
 * and np_net.c are the same on every board.
 *
 * Knobs (-D): BOARD_IN, BOARD_HIDDEN, BOARD_OUT (16-8-10: Fashion-MNIST pooled 7x7 to 4x4),
 * BOARD_DATASET_BYTES (3 MiB), BOARD_MAX_BATCH (256).
 */
#include "../../array/np_array_soft.h"
#include "../../array/np_net.h"
#include "../../noprop_chip.h"
#include "board.h"
#include "board_diag.h"
#include "boot_record.h"

#ifndef BOARD_IN
#define BOARD_IN 16
#endif
#ifndef BOARD_HIDDEN
#define BOARD_HIDDEN 8
#endif
#ifndef BOARD_OUT
#define BOARD_OUT 10
#endif
#ifndef BOARD_DATASET_BYTES
#define BOARD_DATASET_BYTES (3uL * 1024uL * 1024uL)
#endif
#ifndef BOARD_MAX_BATCH
#define BOARD_MAX_BATCH 256
#endif
#define PARAMS (BOARD_IN * BOARD_HIDDEN + BOARD_HIDDEN + BOARD_HIDDEN * BOARD_OUT + BOARD_OUT)
#define CELLS (BOARD_IN * BOARD_HIDDEN + BOARD_HIDDEN * BOARD_OUT)
#define WIDEST (BOARD_IN > BOARD_HIDDEN ? (BOARD_IN > BOARD_OUT ? BOARD_IN : BOARD_OUT) : (BOARD_HIDDEN > BOARD_OUT ? BOARD_HIDDEN : BOARD_OUT))

#define STR_(x) #x
#define STR(x) STR_(x)
#define S(text) {text, (uint8_t)(sizeof text - 1)}

/* The backend's memory, in sections of their own so that `size` shows it apart from the protocol's. */
static float target[PARAMS] __attribute__((section(".weights")));
static float effective[PARAMS] __attribute__((section(".weights")));
static float cells[CELLS] __attribute__((section(".weights")));
static float act_in[WIDEST] __attribute__((section(".weights")));
static float act_out[WIDEST] __attribute__((section(".weights")));
static uint8_t data[BOARD_DATASET_BYTES] __attribute__((section(".dataset")));

static const uint16_t sizes[3] = {BOARD_IN, BOARD_HIDDEN, BOARD_OUT};
static np_array_soft_t array;
static np_net_t net;
static np_hello_t hello;
static np_chip_t chip;

extern uint32_t __stack_bottom[], __stack_top[];

uint32_t board_stack_peak(void) {
  const uint32_t *p = __stack_bottom;
  while (p < __stack_top && *p == BOARD_STACK_PAINT) p++;
  return (uint32_t)((const char *)__stack_top - (const char *)p);
}

static void make_hello(uint32_t boot_count) {
  static const np_str_t keys[4] = {S("preset"), S("layers"), S("board"), S("array")};
  static const np_str_t values[4] = {S("ideal"), S(STR(BOARD_IN) "-" STR(BOARD_HIDDEN) "-" STR(BOARD_OUT)), S("mps2-an386"), S("software float32")};
  static const np_str_t fw = S("c-ref 1.0.0 mps2-an386"), id = S("mps2-an386-0001"), model = S("mcu:mps2-an386");
  unsigned i;
  hello.protocol_version = NP_VERSION;
  hello.firmware_version = fw;
  hello.device_id = id;
  hello.model = model;
  hello.layers = 3;
  for (i = 0; i < 3; i++) hello.layer_sizes[i] = sizes[i];
  hello.weight_min = -1.0f;
  hello.weight_max = 1.0f;
  hello.weight_levels = 0;
  hello.capabilities = NP_CAP_BATCH_RANGE | NP_CAP_BATCH_SEEDED | NP_CAP_DIRECTION_RADEMACHER | NP_CAP_UPDATE_SEEDED | NP_CAP_WRITE_WEIGHTS
                       | NP_CAP_READ_WEIGHTS | NP_CAP_READ_PROGRAMMED | NP_CAP_DIRECTION_MASKED;
  hello.max_payload = NP_MAX_PAYLOAD;
  hello.max_batch = BOARD_MAX_BATCH;
  hello.dataset_slots = NP_NET_SLOTS;
  hello.max_dataset_bytes = np_net_dataset_bytes(&net);
  hello.props = 4;
  for (i = 0; i < 4; i++) {
    hello.prop_key[i] = keys[i];
    hello.prop_value[i] = values[i];
  }
  hello.boot_count = boot_count;
}

int main(void) {
  uint8_t buf[64];
  uint32_t boots = boot_record_count();

  np_board_diag.magic = 0;
  np_board_diag.boot_count = boots;
  np_board_diag.stack_peak = 0;
  np_board_diag.stack_size = (uint32_t)((char *)__stack_top - (char *)__stack_bottom);
  np_board_diag.ring_peak = np_board_diag.ring_overflows = np_board_diag.rx_overruns = np_board_diag.frames = 0;
  np_board_diag.magic = BOARD_DIAG_MAGIC;

  np_array_soft_init(&array, sizes, 3, cells);
  net.array = &np_array_soft;
  net.array_ctx = &array;
  net.layers = 3;
  net.sizes = sizes;
  net.weight_min = -1.0f;
  net.weight_max = 1.0f;
  net.target = target;
  net.effective = effective;
  net.act_in = act_in;
  net.act_out = act_out;
  net.data = data;
  net.data_bytes = sizeof data;
  np_net_init(&net);
  make_hello(boots);
  np_chip_init(&chip, &hello, &np_net_backend, &net, uart0_write, 0);
  uart0_init();
  tick_init();

  for (;;) {
    size_t n = uart0_read(buf, sizeof buf);
    if (n > 0) {
      np_chip_feed(&chip, buf, n);
      continue;
    }
    /* Idle: refresh the figures a debugger reads, then sleep until the next byte. */
    np_board_diag.stack_peak = board_stack_peak();
    np_board_diag.frames = chip.parser.stats.frames;
    uart0_wait();
  }
}
