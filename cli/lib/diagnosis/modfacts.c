// SPDX-License-Identifier: GPL-2.0
#include "modfacts.h"

#include <errno.h>
#include <libkmod.h>
#include <stdlib.h>
#include <string.h>

#include "fsread.h"
#include "lockwait.h"
#include "procparse.h"

/* /proc/modules is about 60 bytes a module; allow for thousands. */
#define PROC_MODULES_MAX (4u << 20)

void mr_module_free(struct mr_module *m)
{
	size_t i;

	free(m->name);
	mr_strv_free(m->holders, m->n_holders);
	free(m->tasks);
	for (i = 0; i < m->n_openers; i++)
		free(m->openers[i].path);
	free(m->openers);
	mr_lock_waits_free(m->lock_waits, m->n_lock_waits);
	mr_strv_free(m->bdev_users, m->n_bdev_users);
	memset(m, 0, sizeof(*m));
}

static struct kmod_module *find_kmod(struct kmod_list *list, const char *name)
{
	struct kmod_list *l;

	kmod_list_foreach(l, list) {
		struct kmod_module *km = kmod_module_get_module(l);
		const char *n = km ? kmod_module_get_name(km) : NULL;

		if (n && !strcmp(n, name))
			return km;
		kmod_module_unref(km);
	}
	return NULL;
}

static int holders_from_kmod(struct kmod_module *km, struct mr_module *m)
{
	struct kmod_list *holders = kmod_module_get_holders(km), *l;
	int err = 0;

	kmod_list_foreach(l, holders) {
		struct kmod_module *h = kmod_module_get_module(l);
		const char *n = h ? kmod_module_get_name(h) : NULL;
		char **nv;

		if (n) {
			nv = realloc(m->holders,
				     (m->n_holders + 1) * sizeof(*nv));
			if (nv) {
				m->holders = nv;
				nv[m->n_holders] = strdup(n);
				if (nv[m->n_holders])
					m->n_holders++;
				else
					err = -ENOMEM;
			} else {
				err = -ENOMEM;
			}
		}
		kmod_module_unref(h);
		if (err)
			break;
	}
	kmod_module_unref_list(holders);
	return err;
}

static int copy_strv(char ***dst, size_t *dn, char *const *src, size_t n)
{
	size_t i;

	*dst = NULL;
	*dn = 0;
	if (!n)
		return 0;
	*dst = calloc(n, sizeof(**dst));
	if (!*dst)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		(*dst)[i] = strdup(src[i]);
		if (!(*dst)[i])
			return -ENOMEM;
		(*dn)++;
	}
	return 0;
}

/* Fill M from the /proc/modules line PM, and from libkmod's KM if any. */
static int build_module(const struct mr_procmod *pm, struct kmod_module *km,
			struct mr_module *m)
{
	memset(m, 0, sizeof(*m));
	m->name = strdup(pm->name);
	if (!m->name)
		return -ENOMEM;
	m->state = pm->state;
	m->refcnt_known = pm->refcnt_known;
	m->refcnt = pm->refcnt;
	m->has_exit_known = pm->users_known;
	m->has_exit = !pm->permanent;
	m->quarantined = mr_quarantine_name(m->name, NULL, 0);
	if (km) {
		int st = kmod_module_get_initstate(km), ref, err;

		if (st == KMOD_MODULE_LIVE)
			m->state = MR_STATE_LIVE;
		else if (st == KMOD_MODULE_COMING)
			m->state = MR_STATE_COMING;
		else if (st == KMOD_MODULE_GOING)
			m->state = MR_STATE_GOING;
		/*
		 * A GOING module's refcount reads -1, which libkmod cannot
		 * tell from -EPERM: only non-negative values are trusted,
		 * and /proc/modules is used for the rest.
		 */
		ref = kmod_module_get_refcnt(km);
		if (ref >= 0) {
			m->refcnt_known = true;
			m->refcnt = ref;
		}
		err = holders_from_kmod(km, m);
		if (err)
			return err;
	}
	if (!m->n_holders)
		return copy_strv(&m->holders, &m->n_holders, pm->users,
				 pm->n_users);
	return 0;
}

static int parse_proc_modules(const char *text, struct mr_procmod **pms,
			      size_t *n)
{
	const char *p = text;

	*pms = NULL;
	*n = 0;
	while (*p) {
		size_t len = strcspn(p, "\n");
		char *line = strndup(p, len);
		struct mr_procmod pm, *np;
		int err;

		if (!line)
			return -ENOMEM;
		p += len;
		if (*p)
			p++;
		err = mr_parse_procmod_line(line, &pm);
		free(line);
		if (err == -EINVAL)
			continue;
		if (err)
			return err;
		np = realloc(*pms, (*n + 1) * sizeof(*np));
		if (!np) {
			mr_procmod_free(&pm);
			return -ENOMEM;
		}
		np[(*n)++] = pm;
		*pms = np;
	}
	return 0;
}

static int add_module(struct mr_diag *d, const struct mr_procmod *pm,
		      struct kmod_list *loaded)
{
	struct kmod_module *km = NULL;
	struct mr_module *nm;
	int err;

	nm = realloc(d->mods, (d->n_mods + 1) * sizeof(*nm));
	if (!nm)
		return -ENOMEM;
	d->mods = nm;
	/* libkmod builds /sys/module paths from the name: only safe ones. */
	if (mr_modname_is_safe(pm->name))
		km = find_kmod(loaded, pm->name);
	err = build_module(pm, km, &d->mods[d->n_mods]);
	kmod_module_unref(km);
	d->n_mods++;
	return err;
}

static void null_log(void *data, int priority, const char *file, int line,
		     const char *fn, const char *format, va_list args)
{
	(void)data;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	(void)format;
	(void)args;
}

int mr_modfacts_read(struct kmod_ctx *ctx, const char *const *names, size_t n,
		     struct mr_diag *d)
{
	static const char *const no_config[] = { NULL };
	struct kmod_ctx *own = NULL;
	struct kmod_list *loaded = NULL;
	struct mr_procmod *pms = NULL;
	size_t n_pms = 0, i, j;
	char *text = NULL;
	ssize_t len;
	int err;

	len = mr_read_all("/proc/modules", PROC_MODULES_MAX, &text);
	if (len < 0)
		return (int)len;
	err = parse_proc_modules(text, &pms, &n_pms);
	free(text);
	if (err)
		goto out;
	if (!ctx) {
		/* No modprobe.d: diagnosis needs no configuration. */
		own = kmod_new(NULL, no_config);
		if (!own) {
			err = -ENOMEM;
			goto out;
		}
		/* Garbled /proc/modules lines are ours to report, not kmod's. */
		kmod_set_log_fn(own, null_log, NULL);
		ctx = own;
	}
	/* On failure, every fact comes from /proc/modules. */
	if (kmod_module_new_from_loaded(ctx, &loaded) < 0)
		loaded = NULL;
	if (n == 0) {
		for (i = 0; i < n_pms && !err; i++)
			err = add_module(d, &pms[i], loaded);
		goto out;
	}
	for (j = 0; j < n && !err; j++) {
		bool dup = false;
		size_t k;

		for (k = 0; k < j; k++)
			dup = dup || !strcmp(names[k], names[j]);
		for (i = 0; i < n_pms && !dup; i++) {
			if (!strcmp(pms[i].name, names[j])) {
				err = add_module(d, &pms[i], loaded);
				break;
			}
		}
	}
out:
	kmod_module_unref_list(loaded);
	if (own)
		kmod_unref(own);
	for (i = 0; i < n_pms; i++)
		mr_procmod_free(&pms[i]);
	free(pms);
	return err;
}
