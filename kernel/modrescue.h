/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the helper's source files. */
#ifndef _MODRESCUE_INTERNAL_H
#define _MODRESCUE_INTERNAL_H

int modrescue_device_register(void);
void modrescue_device_unregister(void);

#endif /* _MODRESCUE_INTERNAL_H */
