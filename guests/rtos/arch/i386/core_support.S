/* core_support.S: i386 boot entry (Multiboot v1), interrupt/exception entry and exit, and the task dispatcher. */

	.set MB_MAGIC, 0x1BADB002
	.set MB_FLAGS, 0x00000003		/* page-align modules, want the memory map */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .bss.boot, "aw", @nobits
	.align 16
boot_stack:
	.space 8192
boot_stack_top:

	.data
	.align 8
/* Flat ring-0 GDT: 0x08 code, 0x10 data, both base 0 limit 4 GiB. */
gdt:
	.quad 0
	.quad 0x00CF9A000000FFFF
	.quad 0x00CF92000000FFFF
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

	.text
	.globl _start
_start:
	cli
	cld
	mov %eax, %esi				/* multiboot magic */
	/* zero .bss (not .bss.boot, which holds this stack) before any C runs */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov $boot_stack_top, %esp
	lgdt gdt_desc
	ljmp $0x08, $1f
1:	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	push %ebx					/* multiboot information */
	push %esi					/* multiboot magic */
	call _kernel_target_boot	/* never returns */
2:	hlt
	jmp 2b

/*
 * Interrupt and exception entry. Each stub pushes an error code (the CPU's or 0) and its vector
 * number, then joins the common path, which saves all registers, switches to the non-task stack
 * on the outermost entry, calls the C handler with the frame address, and on the outermost exit
 * dispatches if a handler made a higher-priority task ready.
 */
	.macro EXC_NOERR n
	.globl _kernel_vector_\n
_kernel_vector_\n:
	pushl $0
	pushl $\n
	jmp common_entry
	.endm
	.macro EXC_ERR n
	.globl _kernel_vector_\n
_kernel_vector_\n:
	pushl $\n
	jmp common_entry
	.endm

	EXC_NOERR 0
	EXC_NOERR 1
	EXC_NOERR 2
	EXC_NOERR 3
	EXC_NOERR 4
	EXC_NOERR 5
	EXC_NOERR 6
	EXC_NOERR 7
	EXC_ERR 8
	EXC_NOERR 9
	EXC_ERR 10
	EXC_ERR 11
	EXC_ERR 12
	EXC_ERR 13
	EXC_ERR 14
	EXC_NOERR 15
	EXC_NOERR 16
	EXC_ERR 17
	.irp n, 18,19,20,21,22,23,24,25,26,27,28,29,30,31
	EXC_NOERR \n
	.endr
	/* 8259 IRQ 0..15 at vectors 32..47 */
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	EXC_NOERR \n
	.endr

	.globl _kernel_vector_table
	.section .rodata
	.align 4
_kernel_vector_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.long _kernel_vector_\n
	.endr
	.text

common_entry:
	pushal
	cld
	mov %esp, %ebx				/* frame address; callee-saved across the C call */
	incl _kernel_intnest
	cmpl $1, _kernel_intnest
	jne 1f
	mov _kernel_istkpt, %esp	/* outermost: run on the non-task stack */
1:	push %ebx
	call _kernel_common_handler	/* returns with IF = 0 */
	cli
	decl _kernel_intnest
	mov %ebx, %esp				/* back to the interrupted stack (flags from decl kept) */
	jnz ret_to_int
	cmpl $0, _kernel_reqflg
	je ret_to_int
	movl $0, _kernel_reqflg
	call _kernel_ret_int_dispatch
ret_to_int:
	popal
	add $8, %esp
	iret

/*
 * void _kernel_dispatch(void): called in task context with the CPU locked. Saves the callee-saved
 * registers and a resume address in the running task's TCB (tskctxb at offset 0), then runs the
 * dispatcher.
 */
	.globl _kernel_dispatch
_kernel_dispatch:
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov _kernel_p_runtsk, %eax
	mov %esp, 0(%eax)
	movl $dispatch_r, 4(%eax)
	jmp dispatcher
dispatch_r:
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret

	.globl _kernel_start_dispatch
	.globl _kernel_exit_and_dispatch
_kernel_start_dispatch:
_kernel_exit_and_dispatch:
	cli
	movl $0, _kernel_intnest
	movl $1, _kernel_lock_flag
dispatcher:
	mov _kernel_p_schedtsk, %eax
	mov %eax, _kernel_p_runtsk
	test %eax, %eax
	jz idle
	mov 0(%eax), %esp
	jmp *4(%eax)
/* No task is ready: wait for interrupts on the non-task stack, counted as non-task context. */
idle:
	mov _kernel_istkpt, %esp
	movl $1, _kernel_intnest
idle_loop:
	movl $0, _kernel_lock_flag
	sti
	hlt
	cli
	movl $1, _kernel_lock_flag
	movl $0, _kernel_reqflg
	cmpl $0, _kernel_p_schedtsk
	je idle_loop
	movl $0, _kernel_intnest
	jmp dispatcher

/* First instructions of every task activation. */
	.globl _kernel_start_r
_kernel_start_r:
	call _kernel_task_start
3:	hlt
	jmp 3b

/* Software-raised interrupts (ras_int): stub n executes `int $(32+n)`. 4 bytes per stub. */
	.globl _kernel_softint_table
	.align 4
_kernel_softint_table:
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	int $\n
	ret
	nop
	.endr
