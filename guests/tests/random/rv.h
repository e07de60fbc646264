/* Fixed addresses shared by the differential-test runner's C driver and its assembly core. */
#ifndef SHIKIRI_RV_H
#define SHIKIRI_RV_H
/* The data page the streams read and write: below 64 KiB so 16-bit addressing (0x67) reaches it,
   clear of the Multiboot information both loaders put near 0x1000 and of the IVT/BDA. */
#define RV_PAGE 0x8000
#define RV_PAGE_SIZE 4096
/* Initial ESP of every stream: the middle of the data page (pushes and pops stay inside it). */
#define RV_STACK 0x8800
#endif
