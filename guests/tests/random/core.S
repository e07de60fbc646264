/* Differential-test core: enter one generated instruction stream with given registers, catch its end or its exception. */
/* rv_run() loads EAX..EDI and EFLAGS from rv_in, sets ESP to RV_STACK (inside the data page), and
   jumps to rv_code, where the driver copied the stream followed by `jmp rv_done`. Registers at the
   end (or at an exception, from the CPU's frame) go to rv_out. The stream runs on the data page's
   stack, so an exception frame lands in the data page: the stub clears the arithmetic flags and the
   CS high half in that copy, so the page hash does not depend on undefined flags. */
#include "rv.h"

/* Streams may load DS, ES, FS, GS: back to the flat data segment, without touching the stack or flags. */
.macro FLAT_SEGMENTS
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
.endm
	.text
	.code32
	.globl test_main, rv_run, rv_done, rv_code, rv_in, rv_out, rv_mbi, rv_stubs

/* Entry from lib/entry.S: EBX still holds the Multiboot information address (rt_init preserves it). */
test_main:
	movl %ebx, rv_mbi
	jmp rv_main

/* void rv_run(void) */
rv_run:
	pushal
	pushfl
	movl %esp, rv_saved_esp
	pushl rv_in + 28            /* EFLAGS */
	popfl
	movl rv_in + 0, %eax
	movl rv_in + 4, %ecx
	movl rv_in + 8, %edx
	movl rv_in + 12, %ebx
	movl rv_in + 16, %ebp
	movl rv_in + 20, %esi
	movl rv_in + 24, %edi
	movl $RV_STACK, %esp
	jmp rv_code

rv_done:
	movl %eax, rv_out + 0
	movl %ecx, rv_out + 4
	movl %edx, rv_out + 8
	movl %ebx, rv_out + 12
	movl %esp, rv_out + 16
	movl %ebp, rv_out + 20
	movl %esi, rv_out + 24
	movl %edi, rv_out + 28
	FLAT_SEGMENTS
	movl rv_saved_esp, %esp
	pushfl
	popl rv_out + 32
	movl $0xff, rv_out + 36     /* no exception */
	movl $0, rv_out + 40
	popfl
	popal
	ret

/* Exception stubs for vectors 0..31, 16 bytes apart: record the vector without touching the stack. */
	.align 16
rv_stubs:
	.set vec, 0
	.rept 32
	.align 16
	movl $vec, rv_out + 36
	jmp rv_fault
	.set vec, vec + 1
	.endr

rv_fault:
	movl %eax, rv_out + 0
	movl %ecx, rv_out + 4
	movl %edx, rv_out + 8
	movl %ebx, rv_out + 12
	movl %ebp, rv_out + 20
	movl %esi, rv_out + 24
	movl %edi, rv_out + 28
	FLAT_SEGMENTS
	movl rv_out + 36, %eax
	movl $0x27D00, %ecx         /* vectors with an error code: 8, 10-14, 17 (Intel SDM vol. 3 6.13) */
	btl %eax, %ecx
	jnc 1f
	addl $4, %esp               /* skip the error code (left in the page as the CPU wrote it) */
1:	movl 0(%esp), %eax
	subl $rv_code, %eax
	movl %eax, rv_out + 40      /* EIP as an offset into the stream */
	movl 8(%esp), %eax
	movl %eax, rv_out + 32
	andl $0xFFFFF72A, 8(%esp)   /* clear CF PF AF ZF SF OF in the page copy */
	movw $0, 6(%esp)            /* CS slot: high half zero */
	leal 12(%esp), %eax
	movl %eax, rv_out + 16
	movl rv_saved_esp, %esp
	popfl
	popal
	ret

	.data
	.align 4
rv_mbi: .long 0
rv_saved_esp: .long 0
rv_in: .space 32                /* EAX ECX EDX EBX EBP ESI EDI EFLAGS */
rv_out: .space 44               /* EAX ECX EDX EBX ESP EBP ESI EDI EFLAGS vector eip-offset */

	.bss
	.align 4096
rv_code: .space 8192

	.section .note.GNU-stack, "", @progbits
