/* Multiboot v1 entry of every test program: header, stack, clear BSS, runtime init, test_main, exit. */
	.section .multiboot, "a"
	.align 4
	/* Multiboot v1 header (magic, flags, checksum): flags 0 = ELF layout, no extra requests. */
	.long 0x1BADB002
	.long 0
	.long -(0x1BADB002 + 0)

	.section .text.entry, "ax"
	.globl _start
_start:
	cli
	cld
	movl $rt_stack_top, %esp
	/* Zero .bss ourselves: a loader may or may not clear it. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl
	movl $rt_stack_top, %esp
	pushl $0
	popfl                    /* known EFLAGS: IF=0, DF=0, IOPL=0 */
	call rt_init
	call test_main
	pushl %eax
	call rt_exit
1:	hlt
	jmp 1b

	.section .bss
	.align 16
	.globl rt_stack, rt_stack_top
rt_stack:
	.space 16384
rt_stack_top:

	.section .note.GNU-stack, "", @progbits
