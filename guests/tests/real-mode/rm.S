/* The real-mode excursion: leave protected mode, run 16-bit code from 0x7000 with IVT interrupts, come back. */
/* rm_run() copies rm_blob to linear 0x7000 (CS = 0x0700 in real mode), enters it through the 16-bit
   code segment 0x18, clears CR0.PE, runs the tests, sets PE again and far-jumps back to 32-bit code.
   Results are words at rm_res (offsets from the blob start). */
	.text
	.code32
	.globl rm_run, rm_blob, rm_blob_end, rm_res, rm_div, rm_after_int3
rm_run:
	pushal
	movl %esp, rm_saved_esp
	movl $rm_blob, %esi
	movl $0x7000, %edi
	movl $(rm_blob_end - rm_blob), %ecx
	cld
	rep movsb
	movw $0x20, %ax            /* 16-bit data segments, limit 0xFFFF, as real mode expects */
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	ljmp $0x18, $0x7000
rm_back32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	movl rm_saved_esp, %esp
	popal
	ret

	.code16
rm_blob:
	movl %cr0, %eax
	andl $0xfffffffe, %eax
	movl %eax, %cr0
	ljmp $0x0700, $(rm_real - rm_blob)
rm_real:
	movw $0x0700, %ax
	movw %ax, %ds
	movw %ax, %ss
	movw $0x0ff0, %sp
	lidt (rm_ivt - rm_blob)
	xorw %ax, %ax
	movw %ax, %es
	movw $(isr30 - rm_blob), %es:0x30*4
	movw $0x0700, %es:0x30*4+2
	movw $(isr_de - rm_blob), %es:0
	movw $0x0700, %es:2
	movw $(isr_bp - rm_blob), %es:3*4
	movw $0x0700, %es:3*4+2
	/* 1: CR0 and segment registers in real mode */
	movl %cr0, %eax
	movw %ax, (rm_res - rm_blob) + 0
	movw %cs, (rm_res - rm_blob) + 2
	/* 2: INT 0x30 through the IVT: the handler adds 0x111 to AX and sees IF cleared */
	movw $0x1000, %ax
	pushw $0x0202
	popfw                     /* IF=1 before INT: the handler must see IF=0 */
	cli                       /* keep interrupts off; pushed FLAGS image is what we test */
	pushw $0x0002
	popfw
	int $0x30
	movw %ax, (rm_res - rm_blob) + 4
	movw %bx, (rm_res - rm_blob) + 6   /* handler's FLAGS */
	/* 3: #DE in real mode pushes the address of the DIV; the handler skips 2 bytes */
	xorw %dx, %dx
	movw $7, %ax
	xorw %bx, %bx
rm_div:
	divw %bx
	movw %cx, (rm_res - rm_blob) + 8   /* handler's return IP minus the label */
	/* 4: INT3 pushes the address after it */
	int3
rm_after_int3:
	movw %cx, (rm_res - rm_blob) + 10
	/* 5: 32-bit operand and address prefixes in real mode */
	movl $0x12345678, %eax
	addl $0x11111111, %eax
	movl %eax, (rm_res - rm_blob) + 12
	movl $0x100, %ebx
	movw $0xbeef, %ax
	movw %ax, (rm_res - rm_blob)(%ebx)
	movw (rm_res - rm_blob)(%ebx), %dx
	movw %dx, (rm_res - rm_blob) + 16
	/* 6: segment arithmetic: ES=0x0710 addresses the same byte as DS:0x100 */
	movw $0x0710, %ax
	movw %ax, %es
	movw %es:(rm_res - rm_blob), %ax
	movw %ax, (rm_res - rm_blob) + 18
	/* 7: far call and RETF within real mode */
	lcall $0x0700, $(far_fn - rm_blob)
	movw %ax, (rm_res - rm_blob) + 20
	/* 8: PUSHA/POPA and the stack pointer */
	movw %sp, %si
	pushaw
	popaw
	subw %sp, %si
	movw %si, (rm_res - rm_blob) + 22
	/* back to protected mode */
	cli
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $0x08, $rm_back32

isr30:
	addw $0x111, %ax
	pushfw
	popw %bx
	iret
isr_de:
	movw %sp, %bp
	movw 0(%bp), %cx
	addw $2, 0(%bp)
	iret
isr_bp:
	movw %sp, %bp
	movw 0(%bp), %cx
	iret
far_fn:
	movw $0xfa12, %ax
	lret
	.align 4
rm_ivt:	.word 0x3ff
	.long 0
	.align 4
rm_res:	.space 64
rm_blob_end:

	.code32
	.data
rm_saved_esp: .long 0

	.section .note.GNU-stack, "", @progbits
