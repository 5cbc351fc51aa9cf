/*
 * Startup for mps2-an386 (Cortex-M4F): vector table, reset handler, fault handlers. No OS, no
 * heap: the reset handler copies .data, zeroes .bss, points picolibc's TLS (errno) at its block,
 * turns the FPU on, paints the unused stack for the peak-stack measurement, and calls main.
 */
#include <stdint.h>
#include <string.h>

#include "board.h"

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[], __stack_bottom[];
extern char __tls_base[];
extern void _set_tls(void *tls); /* picolibc: the thread pointer its errno is found through */

int main(void);
void Reset_Handler(void);
void Fault_Handler(void);
void Default_Handler(void);

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SCB_AIRCR (*(volatile uint32_t *)0xE000ED0Cu)

void Reset_Handler(void) {
  uint32_t *p;
  uint32_t sp;
  memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
  memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
  _set_tls(__tls_base);
  /* CP10 and CP11 full access: the FPU. FPSCR resets to round-to-nearest with flush-to-zero off,
     which the bit-exact UPDATE needs (noprop_prng.h); nothing here changes it. */
  SCB_CPACR |= 0xFu << 20;
  __asm volatile("dsb\n\tisb" ::: "memory");
  /* Paint the stack below what this function uses, so board_stack_peak() can find the high-water mark. */
  __asm volatile("mov %0, sp" : "=r"(sp));
  for (p = __stack_bottom; (uint32_t)(uintptr_t)p < sp - 64u; p++) *p = BOARD_STACK_PAINT;
  main();
  board_reset();
}

/* A fault is answered the way a watchdog would: the board reboots, the boot count changes, and the
   controller re-programs it. */
void Fault_Handler(void) {
  board_reset();
}

void Default_Handler(void) {
  board_reset();
}

void board_reset(void) {
  __asm volatile("dsb" ::: "memory");
  SCB_AIRCR = (0x5FAu << 16) | (1u << 2); /* VECTKEY | SYSRESETREQ */
  __asm volatile("dsb" ::: "memory");
  for (;;) __asm volatile("wfi");
}

typedef void (*vector_t)(void);

/* 16 system exceptions, then the AN386 interrupts this firmware uses (UART0 RX is IRQ 0). */
__attribute__((section(".vectors"), used)) static const vector_t vectors[16 + 2] = {
    (vector_t)(uintptr_t)__stack_top,
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    0, 0, 0, 0,
    Default_Handler, /* SVCall */
    Default_Handler, /* DebugMon */
    0,
    Default_Handler, /* PendSV */
    SysTick_Handler,
    uart0_rx_isr,    /* IRQ 0: UART0 RX */
    Default_Handler, /* IRQ 1: UART0 TX (not enabled) */
};
