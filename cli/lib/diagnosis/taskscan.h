/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The task scan: every thread, /proc/PID/task/TID, keeping those
 * with a frame in a module's code (/proc/PID/stack, root only) or inside a
 * module load/unload syscall (/proc/PID/syscall, read only when the stack
 * has a module frame or a *sys_*init_module/delete_module frame, or is
 * empty or unreadable). For those it also reads
 * comm, wchan, stat (for the age) and the syscall's module argument:
 * finit_module's fd through /proc/PID/fd/N, delete_module's name through
 * /proc/PID/task/TID/mem. Reads only.
 */
#ifndef MODRESCUE_TASKSCAN_H
#define MODRESCUE_TASKSCAN_H

#include "diag.h"

/*
 * Append the relevant tasks to d->tasks; count the threads looked at in
 * d->tasks_scanned; set d->tasks_denied when stacks were unreadable.
 * Returns 0, or a negative errno when /proc cannot be listed or on -ENOMEM.
 */
int mr_tasks_scan(struct mr_diag *d);

/* Free one task's contents. */
void mr_task_free(struct mr_task *t);

/*
 * Look for open files that may pin the modules of D which hold references
 * no holder explains: any fd of any process that points to /dev/NAME or
 * /dev/NAME<digits>. Fills m->openers. Heuristic, root only; sets
 * d->openers_denied when fds could not be read. Returns 0 or -ENOMEM.
 */
int mr_openers_scan(struct mr_diag *d);

#endif /* MODRESCUE_TASKSCAN_H */
