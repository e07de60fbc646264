/* Interrupt and exception entry stubs for all 256 vectors and the common save/restore path. */
/* Each stub is 16 bytes: vectors with a CPU-pushed error code (8, 10-14, 17; Intel SDM vol. 3 6.13)
   push only the vector, the others push a zero error code first so every frame has the same shape. */
	.text
	.align 16
	.globl rt_isr_table
rt_isr_table:
	.set vec, 0
	.rept 256
	.align 16
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17)
	pushl $vec
	.else
	pushl $0
	pushl $vec
	.endif
	jmp rt_isr_common
	.set vec, vec + 1
	.endr

/* Frame layout (low to high): pusha block, gs, fs, es, ds, vector, error code, then the CPU frame. */
rt_isr_common:
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	movl $0x10, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	cld
	pushl %esp
	call rt_trap
	addl $4, %esp
	.globl rt_isr_return
rt_isr_return:
	popal
	popl %gs
	popl %fs
	popl %es
	popl %ds
	addl $8, %esp
	iret

	.section .note.GNU-stack, "", @progbits
