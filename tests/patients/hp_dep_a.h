/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HP_DEP_A_H
#define HP_DEP_A_H

int hp_dep_a_ping(void);

#endif
