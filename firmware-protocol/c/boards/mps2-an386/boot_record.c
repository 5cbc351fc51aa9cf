/* The boot count in reset-surviving RAM: see boot_record.h. */
#include "boot_record.h"

#define BOOT_MAGIC 0x424F4F54u /* "BOOT" */

typedef struct {
  uint32_t magic, nonce, count, check;
} boot_record_t;

extern volatile boot_record_t np_boot_record;   /* linker.ld: outside every section */
extern volatile uint32_t np_launch_nonce;        /* linker.ld: written by the emulator's loader */

static uint32_t check_of(uint32_t nonce, uint32_t count) {
  return ~(BOOT_MAGIC ^ nonce ^ (count * 2654435761u));
}

uint32_t boot_record_count(void) {
  uint32_t nonce = np_launch_nonce, count;
  if (np_boot_record.magic == BOOT_MAGIC && np_boot_record.nonce == nonce
      && np_boot_record.check == check_of(nonce, np_boot_record.count)) {
    count = np_boot_record.count + 1u; /* warm reset: the record survived */
    if (count == 0) count = 1;         /* 0 means "not tracked" on the wire */
  } else {
    count = nonce != 0 ? nonce : 1u;   /* power-up, or a record torn by a reset while written */
  }
  np_boot_record.magic = 0; /* a reset in the middle of the update leaves no valid record */
  np_boot_record.nonce = nonce;
  np_boot_record.count = count;
  np_boot_record.check = check_of(nonce, count);
  np_boot_record.magic = BOOT_MAGIC;
  return count;
}
