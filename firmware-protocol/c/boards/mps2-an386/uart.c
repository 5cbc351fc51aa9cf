/*
 * UART0 of mps2-an386: an Arm CMSDK APB UART (one-byte receive and transmit registers, no FIFO).
 *
 * Receive: the RX interrupt moves each byte into a ring buffer at once, so the one-byte register
 * never overruns while the main loop executes a request; the main loop drains the ring into
 * np_chip_feed (PORTING.md: requests are never executed from the interrupt). Transmit is polled:
 * the write hook may block, and a reply is the only thing the board is doing at that moment.
 *
 * Ring size: the controller sends one request and waits for its reply, so bytes pile up in the
 * ring only while a request executes and the controller resends after its timeout. 512 bytes
 * hold half a largest frame of such a resend; an overflow drops bytes, which the parser sees as a
 * corrupt frame and the controller as a retry, and is counted in board_diag.
 */
#include "board.h"
#include "board_diag.h"

#define UART0_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))
#define UART_INTCLEAR (*(volatile uint32_t *)(UART0_BASE + 0x0Cu))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x10u))
#define STATE_TXFULL 1u
#define STATE_RXFULL 2u
#define STATE_RXOVERRUN 8u
#define CTRL_TX_EN 1u
#define CTRL_RX_EN 2u
#define CTRL_RX_INTEN 8u
#define INT_RX 2u
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define UART0_RX_IRQ 0u

/* AN386 peripheral clock 25 MHz; 115200 baud. QEMU transmits at host speed whatever this says. */
#define PCLK_HZ 25000000u
#define BAUD 115200u

#ifndef UART_RING
#define UART_RING 512u
#endif
#if (UART_RING & (UART_RING - 1u)) != 0
#error "UART_RING must be a power of two"
#endif

static uint8_t ring[UART_RING];
static volatile uint32_t head; /* written by the interrupt only */
static volatile uint32_t tail; /* written by the main loop only */

void uart0_init(void) {
  head = tail = 0;
  UART_BAUDDIV = PCLK_HZ / BAUD;
  UART_CTRL = CTRL_TX_EN | CTRL_RX_EN | CTRL_RX_INTEN;
  NVIC_ISER0 = 1u << UART0_RX_IRQ;
}

void uart0_rx_isr(void) {
  /* Clear first: a byte that lands after the clear raises the interrupt again. */
  UART_INTCLEAR = INT_RX;
  while (UART_STATE & STATE_RXFULL) {
    uint8_t b = (uint8_t)UART_DATA;
    uint32_t h = head;
    if (h - tail == UART_RING) {
      np_board_diag.ring_overflows++;
    } else {
      ring[h & (UART_RING - 1u)] = b;
      __asm volatile("" ::: "memory"); /* the byte before the index that publishes it */
      head = h + 1u;
    }
  }
  if (UART_STATE & STATE_RXOVERRUN) { /* the register overran before this handler ran */
    UART_STATE = STATE_RXOVERRUN;
    np_board_diag.rx_overruns++;
  }
  {
    uint32_t used = head - tail;
    if (used > np_board_diag.ring_peak) np_board_diag.ring_peak = used;
  }
}

size_t uart0_read(uint8_t *p, size_t n) {
  uint32_t t = tail, avail = head - t;
  size_t i;
  if (avail < n) n = avail;
  for (i = 0; i < n; i++) p[i] = ring[(t + i) & (UART_RING - 1u)];
  __asm volatile("" ::: "memory"); /* the bytes before the index that frees them */
  tail = t + (uint32_t)n;
  return n;
}

void uart0_write(void *io, const uint8_t *p, size_t n) {
  (void)io;
  while (n--) {
    while (UART_STATE & STATE_TXFULL) {
    }
    UART_DATA = *p++;
  }
}

void uart0_wait(void) {
  /* With interrupts masked, WFI still wakes on a pending one: no byte can slip in between the
     check and the sleep. */
  __asm volatile("cpsid i" ::: "memory");
  if (head == tail) __asm volatile("wfi" ::: "memory");
  __asm volatile("cpsie i" ::: "memory");
}
