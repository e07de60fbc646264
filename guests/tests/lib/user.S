/* Ring-3 calls for the test programs: rt_user_call(fn, eflags) runs fn() at CPL 3 and returns when fn returns. */
/* Entry is an IRET to the flat ring-3 selectors; fn returns to rt_user_exit, whose INT 0x81 (a DPL-3
   interrupt gate) comes back to ring 0, where the hook in user.c restores the saved ring-0 stack. */
	.text
	.globl rt_user_call, rt_user_exit, rt_user_resume
rt_user_call:                 /* void rt_user_call(void (*fn)(void), u32 eflags) */
	pushal
	movl %esp, rt_kernel_esp
	movl rt_tss_esp0, %eax
	movl %esp, (%eax)             /* TSS.ESP0: ring-3 interrupts push below the current frame */
	movl 36(%esp), %eax           /* fn */
	movl 40(%esp), %edx           /* eflags for ring 3 */
	movl $rt_user_stack_top - 4, %ecx
	movl $rt_user_exit, (%ecx)    /* fn's return address */
	pushl $0x3B                   /* SS */
	pushl %ecx                    /* ESP */
	pushl %edx                    /* EFLAGS */
	pushl $0x33                   /* CS */
	pushl %eax                    /* EIP */
	movw $0x3B, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	iret
rt_user_exit:
	int $0x81
	ud2
rt_user_resume:               /* reached at CPL 0 from the INT 0x81 hook */
	movl $0x10, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	movl rt_kernel_esp, %esp
	popal
	ret

	.bss
	.align 16
	.globl rt_user_stack, rt_user_stack_top, rt_kernel_esp
rt_kernel_esp: .long 0
	.data
	.align 4
	.globl rt_tss_esp0
rt_tss_esp0: .long rt_tss + 4     /* where rt_user_call stores the ring-0 stack: ESP0 of the current TSS */
	.bss
	.align 16
rt_user_stack: .space 8192
rt_user_stack_top:

	.section .note.GNU-stack, "", @progbits
