/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output of the diagnosis: JSON (json-c objects, exact keys) and text.
 * Pure: the caller owns the FILE and the objects.
 *
 * status --json: {"modules":[MODULE...]}, where MODULE is
 *   {"name":"x","state":"live|coming|going|unknown","refcnt":N|null,
 *    "holders":["y"],"has_exit":true|false|null,"verdict":"...",
 *    "tasks":[{"pid":N,"comm":"rmmod","op":"load|unload|other",
 *              "wchan":"...","stack":["frame",...]}]}
 * why --json: {"module":MODULE,"reasons":["..."],"notes":["..."],
 *              "unload":"what modrescue unload would do"}
 */
#ifndef MODRESCUE_RENDER_H
#define MODRESCUE_RENDER_H

#include <json-c/json.h>
#include <stdio.h>

#include "diag.h"
#include "explain.h"

/* NULL on -ENOMEM. */
struct json_object *mr_module_json(const struct mr_diag *d,
				   const struct mr_module *m);
/* {"modules":[...]} for every module of D. */
struct json_object *mr_status_json(const struct mr_diag *d);
struct json_object *mr_why_json(const struct mr_diag *d,
				const struct mr_module *m,
				const struct mr_why *w);

/* Print a JSON object on one line, with a newline. */
int mr_json_print(FILE *out, struct json_object *obj);

/* The status table: one line per module of D, under a header. */
void mr_status_text(FILE *out, const struct mr_diag *d);
/* The why text for M. */
void mr_why_text(FILE *out, const struct mr_module *m, const struct mr_why *w);

#endif /* MODRESCUE_RENDER_H */
