/*
 * Diagnostics a debugger reads (QEMU monitor: `xp /8wx 0x203fffd0`): figures for the size and
 * stack table and for checking that the UART kept up. At a fixed address in the 64 bytes of RAM no
 * section covers (linker.ld), written at every boot; outside the protocol, so the wire stays the
 * same on every board.
 */
#ifndef BOARD_DIAG_H
#define BOARD_DIAG_H

#include <stdint.h>

#define BOARD_DIAG_MAGIC 0x44494147u /* "DIAG" */

typedef struct {
  uint32_t magic;
  uint32_t boot_count;     /* what HELLO announces */
  uint32_t stack_peak;     /* bytes of stack ever used since this boot */
  uint32_t stack_size;     /* bytes reserved for the stack */
  uint32_t ring_peak;      /* most bytes waiting in the receive ring */
  uint32_t ring_overflows; /* bytes dropped because the ring was full */
  uint32_t rx_overruns;    /* bytes lost in the UART register before the interrupt ran */
  uint32_t frames;         /* good frames received */
} board_diag_t;

extern volatile board_diag_t np_board_diag;

#endif
