/** The flat GDT every 32-bit loader places in RAM: null, reserved, code 0x10, data 0x18 (the Linux boot protocol's layout). */

/**
 * Selectors of the boot GDT. The Linux 32-bit boot protocol requires CS = __BOOT_CS (0x10) and
 * DS/ES/SS = __BOOT_DS (0x18), both flat 4 GiB (Documentation/x86/boot.rst, "32-bit Boot
 * Protocol"); Multiboot and plain ELF images are entered with the same selectors so there is
 * one layout to reason about.
 */
export const BOOT_CODE_SELECTOR = 0x10;
export const BOOT_DATA_SELECTOR = 0x18;
/** 4 descriptors of 8 bytes. */
export const BOOT_GDT_SIZE = 32;
export const BOOT_GDT_LIMIT = BOOT_GDT_SIZE - 1;

/**
 * The descriptors (Intel SDM vol. 3, 3.4.5 "Segment Descriptors"): base 0, limit 0xFFFFF with
 * G = 1 (4 GiB), D/B = 1 (32-bit), P = 1, DPL 0, S = 1. Type 0xB = execute/read, accessed; type
 * 0x3 = read/write, accessed. The accessed bits are preset so that loading the selectors never
 * writes back to the table.
 */
const FLAT_CODE = [0xff, 0xff, 0x00, 0x00, 0x00, 0x9b, 0xcf, 0x00];
const FLAT_DATA = [0xff, 0xff, 0x00, 0x00, 0x00, 0x93, 0xcf, 0x00];

/** The 32 bytes of the boot GDT. */
export function bootGdtBytes(): Uint8Array {
  const gdt = new Uint8Array(BOOT_GDT_SIZE);
  gdt.set(FLAT_CODE, BOOT_CODE_SELECTOR);
  gdt.set(FLAT_DATA, BOOT_DATA_SELECTOR);
  return gdt;
}
