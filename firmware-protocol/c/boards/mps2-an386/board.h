/* The board services main.c and the startup code share (mps2-an386). */
#ifndef BOARD_H
#define BOARD_H

#include <stddef.h>
#include <stdint.h>

#define BOARD_STACK_PAINT 0x5AC0FFEEu

/* UART0 (CMSDK APB UART at 0x40004000): receive interrupt into a ring buffer, polled transmit. */
void uart0_init(void);
void uart0_rx_isr(void);
/* Takes up to n received bytes out of the ring; 0 when it is empty. */
size_t uart0_read(uint8_t *p, size_t n);
/* The chip's write hook: blocks until every byte is in the transmitter. */
void uart0_write(void *io, const uint8_t *p, size_t n);
/* Sleeps until an interrupt when nothing was received (so an idle board costs the host no CPU). */
void uart0_wait(void);

/* 1 kHz SysTick (tick.c says why an emulated board needs it). */
void tick_init(void);
void SysTick_Handler(void);
uint32_t tick_ms(void);

/* Requests a system reset (SYSRESETREQ); never returns. */
void board_reset(void) __attribute__((noreturn));

/* Bytes of stack ever used since boot: the painted words overwritten, counted from the bottom. */
uint32_t board_stack_peak(void);

#endif
