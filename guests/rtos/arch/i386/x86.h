/* x86.h: i386 instructions used by the port (port I/O, interrupt flag, halt), as inline functions. */
#ifndef TOPPERS_X86_H
#define TOPPERS_X86_H

#include <stdint.h>

static inline void x86_cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void x86_sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void x86_hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline uint32_t x86_eflags(void) { uint32_t f; __asm__ volatile("pushfl; popl %0" : "=r"(f) :: "memory"); return f; }
#define X86_EFLAGS_IF	0x200U

static inline uint8_t x86_inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory"); return v; }
static inline void x86_outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port) : "memory"); }
static inline uint16_t x86_inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory"); return v; }
static inline void x86_outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port) : "memory"); }
static inline uint32_t x86_inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory"); return v; }
static inline void x86_outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port) : "memory"); }

#endif /* TOPPERS_X86_H */
