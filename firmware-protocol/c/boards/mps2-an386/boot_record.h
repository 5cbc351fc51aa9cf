/*
 * The HELLO boot count (PROTOCOL.md: it changes at every boot and at no other time).
 *
 * Here: a record in the last bytes of RAM that no section covers. A warm reset (reset pin,
 * SYSRESETREQ, QEMU's system_reset) leaves RAM as it was, so the record survives and the count
 * goes up by one. At power-up RAM holds nothing valid and the count starts over from the launch
 * nonce: a word the emulator's loader writes at every start (`-device loader`), standing in for
 * what differs between power-ups on a real board. A real board keeps the count where power-down
 * does not reach: a backup-domain register (STM32 RTC->BKPxR), RTC or battery-backed RAM, or a
 * counter in flash/EEPROM incremented once per boot (PORTING.md, "Boot count").
 */
#ifndef BOOT_RECORD_H
#define BOOT_RECORD_H

#include <stdint.h>

/* Counts this boot and returns the boot count to announce: never 0. Call once, early in main. */
uint32_t boot_record_count(void);

#endif
