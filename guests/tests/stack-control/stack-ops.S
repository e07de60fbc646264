/* Stack and control-transfer sequences for stack-control.c; each runs on a scratch stack and stores what it saw in `out`. */
	.text
	.globl scratch_top, out

/* Switch to the scratch stack (ESP = scratch_top, EBP = 0x5a5a5a5a), saving the C stack. */
.macro ENTER_SCRATCH
	pushal
	movl %esp, saved_esp
	movl $scratch_top, %esp
	movl $0x5a5a5a5a, %ebp
.endm
.macro LEAVE_SCRATCH
	movl saved_esp, %esp
	popal
	ret
.endm

/* 1: push forms. Results: ESP after each, and the pushed values. */
	.globl t_push
t_push:
	ENTER_SCRATCH
	pushl $-2               /* 6A imm8, sign-extended */
	pushl $0x12345678       /* 68 imm32 */
	pushw $0x7ffe           /* 66 6A/68: 16-bit push, ESP -= 2 */
	pushl mem_val           /* FF /6 */
	pushl %esp              /* pushes the value ESP had before the push */
	movl %esp, out+0
	popl out+4              /* pop esp-value */
	popl out+8              /* 8F /0 to memory */
	popw out+12
	popl out+16
	popl out+20
	movl %esp, out+24
	pushl %cs
	pushw %ds
	movl %esp, out+28
	popw out+32
	popl %eax
	movw %ax, out+36
	/* POP ESP loads ESP from the stack; POP into a memory operand addressed with ESP uses ESP after the pop. */
	movl $scratch_top - 64, %eax
	pushl %eax
	popl %esp
	movl %esp, out+40
	movl $scratch_top, %esp
	pushl $0xaabbccdd
	pushl $0x11223344
	popl 0(%esp)            /* Intel SDM POP: address computed after ESP is incremented */
	movl %esp, out+44
	movl 0(%esp), %eax
	movl %eax, out+48
	LEAVE_SCRATCH

/* 2: PUSHA/POPA (32 and 16 bit): the ESP image pushed is the value before PUSHA; POPA skips it. */
	.globl t_pusha
t_pusha:
	ENTER_SCRATCH
	movl $0x11111111, %eax
	movl $0x22222222, %ecx
	movl $0x33333333, %edx
	movl $0x44444444, %ebx
	movl $0x66666666, %esi
	movl $0x77777777, %edi
	movl $0x55555555, %ebp
	pushal
	movl %esp, out+0
	movl 12(%esp), %eax
	movl %eax, out+4          /* the ESP image */
	movl $0x99999999, 12(%esp)
	movl $0, %eax
	popal
	movl %esp, out+8
	movl %eax, out+12
	movl %edi, out+16
	pushaw
	movl %esp, out+20
	movw 6(%esp), %ax
	movw %ax, out+24
	movw $0x1234, 14(%esp)    /* AX image */
	popaw
	movl %esp, out+28
	movl %eax, out+32
	LEAVE_SCRATCH

/* 3: ENTER with nesting levels 0..3 and LEAVE. out: ESP, EBP after ENTER and the frame words. */
.macro ENTER_CASE level, idx
	movl $scratch_top - 0x40, %ebp   /* an outer frame with a display of saved frame pointers */
	movl $0xf0f0f0f0, -4(%ebp)
	movl $0xe0e0e0e0, -8(%ebp)
	movl $0xd0d0d0d0, -12(%ebp)
	movl $scratch_top - 0x80, %esp
	enter $0x10, $\level
	movl %esp, out + \idx * 32
	movl %ebp, out + \idx * 32 + 4
	movl 0(%ebp), %eax
	movl %eax, out + \idx * 32 + 8
	movl -4(%ebp), %eax
	movl %eax, out + \idx * 32 + 12
	movl -8(%ebp), %eax
	movl %eax, out + \idx * 32 + 16
	movl -12(%ebp), %eax
	movl %eax, out + \idx * 32 + 20
	leave
	movl %esp, out + \idx * 32 + 24
	movl %ebp, out + \idx * 32 + 28
.endm
	.globl t_enter
t_enter:
	ENTER_SCRATCH
	ENTER_CASE 0, 0
	ENTER_CASE 1, 1
	ENTER_CASE 2, 2
	ENTER_CASE 3, 3
	ENTER_CASE 33, 4       /* level is taken modulo 32 */
	LEAVE_SCRATCH

/* 4: CALL/RET forms, RET imm16, far CALL/RETF imm, far JMP through memory. */
	.globl t_calls
t_calls:
	ENTER_SCRATCH
	pushl $0xaaaa0001
	pushl $0xaaaa0002
	call ret_imm8          /* pops the return address then 8 bytes */
	movl %esp, out+0
	movl $target_near, %eax
	call *%eax             /* FF /2 register */
	movl %eax, out+4
	call *near_ptr         /* FF /2 memory */
	movl %eax, out+8
	pushl $0xbbbb0001
	lcall $0x08, $retf_imm4 /* 9A ptr16:32 */
	movl %esp, out+12
	lcall *far_ptr         /* FF /3 m16:32 */
	movl %eax, out+16
	movl %edx, out+20
	ljmp *far_jmp          /* FF /5 m16:32 */
	movl $0xbad, out+24
far_back:
	movl $1, out+28
	ljmp $0x08, $far_back2 /* EA ptr16:32 */
	movl $0xbad, out+28
far_back2:
	movl %esp, out+32
	/* Operand-size prefixed near call through a 16-bit return is not tested: it truncates EIP. */
	LEAVE_SCRATCH

ret_imm8:
	ret $8
target_near:
	movl $0xc0de0001, %eax
	ret
target_near2:
	movl $0xc0de0002, %eax
	ret
retf_imm4:
	movl 4(%esp), %edx     /* the caller's CS image */
	movl %edx, out+36
	lret $4
retf_plain:
	movl $0xc0de0003, %eax
	movw %cs, %dx
	lret
jmp_target:
	movl $2, out+24
	jmp far_back

/* 5: LOOP/LOOPE/LOOPNE/JECXZ and JCXZ (addr16 form uses CX). out: iteration counts and ECX. */
	.globl t_loops
t_loops:
	ENTER_SCRATCH
	movl $5, %ecx
	xorl %eax, %eax
1:	incl %eax
	loop 1b
	movl %eax, out+0
	movl %ecx, out+4
	/* LOOPE stops when ZF becomes 0 */
	movl $10, %ecx
	xorl %eax, %eax
2:	incl %eax
	cmpl $3, %eax
	loopne 2b
	movl %eax, out+8
	movl %ecx, out+12
	movl $10, %ecx
	xorl %eax, %eax
3:	incl %eax
	cmpl %eax, %eax
	loope 3b
	movl %eax, out+16
	movl %ecx, out+20
	/* LOOP with ECX = 0 runs 2^32 times: instead use 16-bit address size so CX wraps: 0x10000 iterations */
	movl $0xabcd0000, %ecx
	xorl %eax, %eax
4:	incl %eax
	addr16 loop 4b
	movl %eax, out+24
	movl %ecx, out+28
	movl $0x00010000, %ecx
	xorl %eax, %eax
	jcxz 5f                
	movl $1, %eax
5:	movl %eax, out+32
	jecxz 6f
	orl $2, %eax
6:	movl %eax, out+36
	LEAVE_SCRATCH

	.data
	.align 4
mem_val:	.long 0xfeedface
near_ptr:	.long target_near2
far_ptr:	.long retf_plain
		.word 0x08
far_jmp:	.long jmp_target
		.word 0x08
saved_esp:	.long 0
	.bss
	.align 16
	.space 4096
scratch_top:
	.space 64
out:	.space 256

	.section .note.GNU-stack, "", @progbits
