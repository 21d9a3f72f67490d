/* SPDX-License-Identifier: GPL-2.0 */
/* Containment of oopses and panics (contain.c). */
#ifndef _MODRESCUE_CONTAIN_H
#define _MODRESCUE_CONTAIN_H

#include <uapi/modrescue.h>

long mr_ioctl_contain(struct modrescue_contain *arg);
/* Module exit: nothing is armed then (arming pins the helper). */
void mr_contain_exit(void);
void mr_contain_exit_wait_parked(void);

#endif /* _MODRESCUE_CONTAIN_H */
