/* Virtual-8086 entry: v86_call(ip, eflags) IRETs into V86 at 0700:ip with the given EFLAGS (VM set);
   the #GP hook in v86.c ends the session on HLT by resuming at rt_user_resume (lib/user.S). */
	.text
	.code32
	.globl v86_call, v86_blob, v86_blob_end, v86_iopl0, v86_iopl3, v86_res
v86_call:
	pushal
	movl %esp, rt_kernel_esp
	movl rt_tss_esp0, %eax
	movl %esp, (%eax)
	movl 36(%esp), %eax           /* ip */
	movl 40(%esp), %edx           /* eflags */
	pushl $0                      /* GS */
	pushl $0                      /* FS */
	pushl $0x0700                 /* DS */
	pushl $0x0700                 /* ES */
	pushl $0x0700                 /* SS */
	pushl $0x0ff0                 /* SP */
	pushl %edx                    /* EFLAGS with VM */
	pushl $0x0700                 /* CS */
	pushl %eax                    /* IP */
	iret

	.code16
v86_blob:
v86_iopl0:
	movw $0x1234, %ax
	cli
	sti
	pushfw
	popfw
	int $0x31
	inb $0x71, %al
	movw $0x0800, %bx
	movw %bx, %ds                 /* segment loads are plain real-mode style in V86 */
	movw %ds:0, %cx
	movw $0x0700, %bx
	movw %bx, %ds
	movw %cx, v86_res - v86_blob
	hlt
v86_iopl3:
	cli
	pushfw
	popw %ax
	movw %ax, v86_res - v86_blob + 2
	movw $0x5000, %ax
	int $0x31
	movw %ax, v86_res - v86_blob + 4
	inb $0x71, %al
	hlt
	.align 4
v86_res: .space 16
v86_blob_end:

	.section .note.GNU-stack, "", @progbits
