/* Ring-0 target of the call gate: records the stack the gate built, nulls-to-be ES, returns with LRET $8. */
	.text
	.globl gate_target, gate_rec
gate_target:
	movl %esp, gate_rec+0
	movw %ss, gate_rec+4
	movw %cs, gate_rec+6
	movl 0(%esp), %eax
	movl %eax, gate_rec+8       /* return EIP */
	movl 4(%esp), %eax
	movl %eax, gate_rec+12      /* return CS */
	movl 8(%esp), %eax
	movl %eax, gate_rec+16      /* parameter 1 (pushed last by the caller) */
	movl 12(%esp), %eax
	movl %eax, gate_rec+20      /* parameter 2 */
	movl 16(%esp), %eax
	movl %eax, gate_rec+24      /* caller ESP */
	movl 20(%esp), %eax
	movl %eax, gate_rec+28      /* caller SS */
	movw $0x10, %ax
	movw %ax, %es               /* a DPL-0 data segment: RETF to ring 3 must null ES */
	lret $8

	.bss
	.align 4
gate_rec: .space 32

	.section .note.GNU-stack, "", @progbits
