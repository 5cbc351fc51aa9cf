/*
 * A 1 kHz SysTick. The firmware keeps no time (the protocol has no chip-side timeouts); the tick
 * is here for the emulator. QEMU 7.2's CMSDK UART model never tells its character backend that the
 * receive register emptied or that the receiver was enabled (no qemu_chr_fe_accept_input), so
 * QEMU's event loop can stop watching the pty while the register is full or the UART is off (during
 * a boot) and sleep until some other event wakes it: bytes the controller sent then sit in the pty
 * for good. A timer armed in the emulated board bounds that sleep to one tick. Real UART hardware
 * needs none of this; a board that has a tick for other reasons keeps it, others can drop this file.
 */
#include "board.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define CPU_HZ 25000000u
#ifndef TICK_HZ
#define TICK_HZ 1000u
#endif

static volatile uint32_t ticks;

void tick_init(void) {
  SYST_RVR = CPU_HZ / TICK_HZ - 1u;
  SYST_CVR = 0;
  SYST_CSR = 7u; /* processor clock, interrupt, enable */
}

void SysTick_Handler(void) {
  ticks++;
}

uint32_t tick_ms(void) {
  return ticks;
}
