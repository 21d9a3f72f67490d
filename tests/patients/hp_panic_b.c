// SPDX-License-Identifier: GPL-2.0
/*
 * hp_panic_b: hp_panic's code as a second module, so that a scenario can
 * name one for panic containment and watch the other's panic go through.
 */
#include "hp_panic.c"
