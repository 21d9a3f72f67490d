/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mr-unloader32 NAME: delete_module(NAME, O_NONBLOCK) from an ia32 process
 * (int $0x80, i386 syscall numbers), with no libc, so that it builds
 * without a 32-bit C library. Its exit status is the errno, 0 on success.
 * The helper must tell which module syscall an ia32 task is in by the
 * ia32 numbers: 129 is delete_module there, rt_sigqueueinfo on x86-64.
 */
	.set	NR_EXIT, 1
	.set	NR_DELETE_MODULE, 129
	.set	O_NONBLOCK, 04000
	.set	EINVAL, 22

	.text
	.globl	_start
_start:
	movl	$EINVAL, %ebx
	cmpl	$2, (%esp)		/* argc: the name, and only it */
	jne	1f
	movl	8(%esp), %ebx		/* argv[1] */
	movl	$O_NONBLOCK, %ecx
	movl	$NR_DELETE_MODULE, %eax
	int	$0x80
	movl	%eax, %ebx
	negl	%ebx			/* -errno, or 0 */
1:	movl	$NR_EXIT, %eax
	int	$0x80
	.section .note.GNU-stack, "", @progbits
