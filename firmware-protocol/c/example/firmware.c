/*
 * Example firmware on a host: serves the noprop protocol over raw bytes.
 *
 *   firmware            stdin/stdout (a pipe, or socat: socat pty,raw,echo=0,link=/tmp/chip EXEC:./firmware)
 *   firmware /dev/ttyX  a serial device or pty, opened read-write and put in raw mode
 *
 * On a board, replace main() with a loop that feeds received bytes to np_chip_feed() and give
 * np_chip_init() a write hook for the UART; nothing else here is host-specific.
 * Exits 0 at end of input; prints the link counters to stderr.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../noprop_chip.h"
#include "mlp.h"

static int out_fd = 1;

/* Board hook: blocking write of all bytes. */
static void write_all(void *io, const uint8_t *p, size_t n) {
  (void)io;
  while (n > 0) {
    ssize_t k = write(out_fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      perror("firmware: write");
      exit(1);
    }
    p += k;
    n -= (size_t)k;
  }
}

static void make_raw(int fd) {
  struct termios t;
  if (!isatty(fd) || tcgetattr(fd, &t) != 0) return;
  t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF);
  t.c_oflag &= ~(tcflag_t)OPOST;
  t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
  t.c_cflag |= CS8 | CREAD | CLOCAL;
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  tcsetattr(fd, TCSANOW, &t);
}

static np_chip_t chip;

/* Board hook: a boot count that differs from the previous boot's (PROTOCOL.md, HELLO). A board
   increments a counter in flash; this host process has none, so it takes 32 random bits. */
static uint32_t boot_count(void) {
  uint32_t b = 0;
  int fd = open("/dev/urandom", O_RDONLY);
  if (fd >= 0) {
    if (read(fd, &b, sizeof b) != (ssize_t)sizeof b) b = 0;
    close(fd);
  }
  if (b == 0) b = (uint32_t)getpid() * 2654435761u + 1u;
  return b == 0 ? 1u : b;
}

int main(int argc, char **argv) {
  int in_fd = 0;
  uint8_t buf[512];
  if (argc > 2) {
    fprintf(stderr, "usage: %s [device]\n", argv[0]);
    return 2;
  }
  if (argc == 2) {
    in_fd = open(argv[1], O_RDWR | O_NOCTTY);
    if (in_fd < 0) {
      perror(argv[1]);
      return 1;
    }
    out_fd = in_fd;
  }
  make_raw(in_fd);
  if (out_fd != in_fd) make_raw(out_fd);
  np_chip_init(&chip, ex_hello(boot_count()), &ex_backend, NULL, write_all, NULL);
  for (;;) {
    ssize_t n = read(in_fd, buf, sizeof buf);
    if (n > 0) {
      np_chip_feed(&chip, buf, (size_t)n);
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      perror("firmware: read");
      return 1;
    }
  }
  fprintf(stderr, "firmware: %lu bytes in, %lu frames, %lu bad crc, %lu malformed, %lu oversize, %lu resyncs; %lu requests, %lu replays, %lu errors\n",
          (unsigned long)chip.parser.stats.bytes, (unsigned long)chip.parser.stats.frames, (unsigned long)chip.parser.stats.bad_crc,
          (unsigned long)chip.parser.stats.malformed, (unsigned long)chip.parser.stats.oversize, (unsigned long)chip.parser.stats.resyncs,
          (unsigned long)chip.requests, (unsigned long)chip.replays, (unsigned long)chip.errors);
  return 0;
}
