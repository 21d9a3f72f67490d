// SPDX-License-Identifier: GPL-2.0
/*
 * What a module's crashed exit (or init) left registered in the kernel that
 * still points into it. Freeing such a module leaves a timer to fire into
 * unmapped memory, a misc device on the kernel's list inside it, a notifier
 * on a chain: the kernel's own DEBUG_OBJECTS check in vfree() would catch
 * some of this, and Debian's kernels do not have it. So before a COMING or
 * GOING module is freed, the helper looks, reading only:
 *
 *  - in the module's memory (data, bss, per-CPU) and in the heap objects
 *    that memory points to, for objects the kernel's own tests call
 *    registered: a pending timer, a queued hrtimer, a pending (delayed)
 *    work, a miscdevice on the misc list, an added cdev, a registered
 *    driver, and any list or tree node whose neighbour outside points back;
 *  - in the IRQ actions, for its handlers;
 *  - in the kernel's static data, every CPU's per-CPU data and the other
 *    modules' data, for any word that points into it (a notifier chain's
 *    head, a function pointer hook).
 *
 * The kernel's own records of the module (its struct module, its trace
 * events) are left out: free_module() takes them down. A pointer into its
 * code counts only at a symbol's start, as a callback does; a stale return
 * address points inside a function. Heap memory is read with
 * copy_from_kernel_nofault(): a stale pointer in the module reads a freed
 * object at worst, never faults. Objects the module keeps only in the heap
 * behind other heap objects, or registered in hashed registries without a
 * static root, are not seen: that is what quarantine is for when in doubt.
 *
 * With MODRESCUE_LEFTOVERS_FINISH the exactly undoable kinds are undone with
 * the kernel's own exported calls, then the search runs again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqnr.h>
#include <linux/kallsyms.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/trace_events.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "leftovers.h"
#include "modrescue.h"

struct mr_static_areas mr_static;

/* The heap objects looked at: the first bytes of each, from its start. */
#define MR_LO_WINDOW 512
#define MR_LO_MAX_WINDOWS 128
/* Objects reported, so a second way to them is not reported again. */
#define MR_LO_MAX_COVERED 256
/* Items kept for the report and the undo. */
#define MR_LO_MAX_ITEMS 64
/* Module memory ranges: its core and init parts, then per-CPU copies. */
#define MR_LO_MOD_RANGES 8

enum mr_lo_type { MR_LO_TEXT, MR_LO_RO, MR_LO_DATA };

struct mr_lo_range {
	unsigned long start, end;
	enum mr_lo_type type;
};

/* A heap object the module's memory points to, copied. */
struct mr_lo_window {
	unsigned long start;
	unsigned int len;
	unsigned long from;		/* the module's word pointing to it */
	unsigned long copy[MR_LO_WINDOW / sizeof(unsigned long)];
};

struct mr_lo_item {
	u32 kind;
	u32 flags;
	unsigned long object;
	char what[MODRESCUE_LEFTOVER_TEXT_LEN];
};

struct mr_lo_search {
	struct module *mod;
	struct mr_lo_range *r;
	unsigned int nr;
	/* Boxes around the ranges, for the static scan's quick test. */
	unsigned long mod_lo, mod_hi, pcpu_lo, pcpu_hi, win_lo, win_hi;
	struct mr_lo_window *win;
	unsigned int nwin;
	bool in_module;			/* looking in the module's memory */
	struct mr_lo_range covered[MR_LO_MAX_COVERED];
	unsigned int ncovered;
	struct mr_lo_item items[MR_LO_MAX_ITEMS];
	u32 found;
	u64 scanned;
	unsigned long chunk[PAGE_SIZE / sizeof(unsigned long)];
};

static void mr_lo_add_range(struct mr_lo_search *s, const void *base,
			    unsigned long size, enum mr_lo_type type)
{
	if (!base || !size)
		return;
	s->r[s->nr].start = (unsigned long)base;
	s->r[s->nr].end = (unsigned long)base + size;
	s->r[s->nr].type = type;
	s->nr++;
}

/* The module's memory: code, read-only data, data (bss included). */
static void mr_lo_module_ranges(struct mr_lo_search *s)
{
	struct module *mod = s->mod;
	unsigned int i, cpu;

/* 6.4 replaced core_layout and init_layout with mem[]. */
#ifdef for_each_mod_mem_type
	static const enum mr_lo_type types[MOD_MEM_NUM_TYPES] = {
		[MOD_TEXT] = MR_LO_TEXT, [MOD_DATA] = MR_LO_DATA,
		[MOD_RODATA] = MR_LO_RO, [MOD_RO_AFTER_INIT] = MR_LO_DATA,
		[MOD_INIT_TEXT] = MR_LO_TEXT, [MOD_INIT_DATA] = MR_LO_DATA,
		[MOD_INIT_RODATA] = MR_LO_RO,
	};

	for_each_mod_mem_type(type)
		mr_lo_add_range(s, mod->mem[type].base, mod->mem[type].size,
				types[type]);
#else
	const struct module_layout *l[] = { &mod->core_layout,
					    &mod->init_layout };

	for (i = 0; i < ARRAY_SIZE(l); i++) {
		void *b = l[i]->base;

		mr_lo_add_range(s, b, l[i]->text_size, MR_LO_TEXT);
		mr_lo_add_range(s, b + l[i]->text_size,
				l[i]->ro_size - l[i]->text_size, MR_LO_RO);
		mr_lo_add_range(s, b + l[i]->ro_size,
				l[i]->size - l[i]->ro_size, MR_LO_DATA);
	}
#endif
	s->mod_lo = ULONG_MAX;
	for (i = 0; i < s->nr; i++) {
		s->mod_lo = min(s->mod_lo, s->r[i].start);
		s->mod_hi = max(s->mod_hi, s->r[i].end);
	}
	s->pcpu_lo = ULONG_MAX;
	if (!mod->percpu || !mod->percpu_size)
		return;
	for_each_possible_cpu(cpu) {
		void *p = per_cpu_ptr(mod->percpu, cpu);

		mr_lo_add_range(s, p, mod->percpu_size, MR_LO_DATA);
		s->pcpu_lo = min_t(unsigned long, s->pcpu_lo,
				   (unsigned long)p);
		s->pcpu_hi = max(s->pcpu_hi,
				 (unsigned long)p + mod->percpu_size);
	}
}

static const struct mr_lo_range *mr_lo_range_of(const struct mr_lo_search *s,
						unsigned long p)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		if (p >= s->r[i].start && p < s->r[i].end)
			return &s->r[i];
	return NULL;
}

static bool mr_lo_in_mod(const struct mr_lo_search *s, unsigned long p)
{
	if ((p < s->mod_lo || p >= s->mod_hi) &&
	    (p < s->pcpu_lo || p >= s->pcpu_hi))
		return false;
	return mr_lo_range_of(s, p);
}

static bool mr_lo_in_text(const struct mr_lo_search *s, const void *p)
{
	const struct mr_lo_range *r = mr_lo_range_of(s, (unsigned long)p);

	return r && r->type == MR_LO_TEXT;
}

/* In its memory but not code: ops tables, data. */
static bool mr_lo_in_data(const struct mr_lo_search *s, const void *p)
{
	const struct mr_lo_range *r = mr_lo_range_of(s, (unsigned long)p);

	return r && r->type != MR_LO_TEXT;
}

static bool mr_lo_in_symtab(const struct mod_kallsyms *k, unsigned long p)
{
	unsigned long start;

	if (!k || !k->symtab)
		return false;
	start = (unsigned long)k->symtab;
	return p >= start && p < start + k->num_symtab * sizeof(*k->symtab);
}

/* The kernel's own records of the module, which free_module() takes down. */
static bool mr_lo_bookkeeping(const struct mr_lo_search *s, unsigned long p)
{
	const struct module *mod = s->mod;
	unsigned int i;

	if (p >= (unsigned long)mod && p < (unsigned long)(mod + 1))
		return true;
	/* Its symbol tables hold the address of every function. */
	if (mr_lo_in_symtab(mod->kallsyms, p) ||
	    mr_lo_in_symtab(&mod->core_kallsyms, p))
		return true;
#ifdef CONFIG_EVENT_TRACING
	for (i = 0; i < mod->num_trace_events; i++) {
		unsigned long call = (unsigned long)mod->trace_events[i];

		if (p >= call && p < call + sizeof(struct trace_event_call))
			return true;
	}
#endif
	return false;
}

/*
 * The module's own variable around ADDR, from its symbol table (the sizes
 * kallsyms gives for module symbols are distances to the next symbol, and
 * wrong at the end of a section). False when no object symbol holds it.
 */
static bool mr_lo_mod_object(const struct module *mod, unsigned long addr,
			     unsigned long *start, unsigned long *end,
			     const char **name)
{
	const struct mod_kallsyms *k = mod->kallsyms;
	unsigned int i;

	if (!k)
		return false;
	for (i = 0; i < k->num_symtab; i++) {
		const Elf_Sym *sym = &k->symtab[i];

		if (ELF_ST_TYPE(sym->st_info) != STT_OBJECT || !sym->st_size ||
		    addr < sym->st_value || addr >= sym->st_value + sym->st_size)
			continue;
		*start = sym->st_value;
		*end = sym->st_value + sym->st_size;
		*name = k->strtab + sym->st_name;
		return true;
	}
	return false;
}

/* "hp_objs+0x28 [hp_x]": a place in the module's memory, for the report. */
static void mr_lo_place(const struct mr_lo_search *s, char *buf, size_t len,
			unsigned long addr)
{
	unsigned long start, end;
	const char *name;

	if (!mr_lo_mod_object(s->mod, addr, &start, &end, &name))
		snprintf(buf, len, "%pS", (void *)addr);
	else if (addr == start)
		snprintf(buf, len, "%s [%s]", name, s->mod->name);
	else
		snprintf(buf, len, "%s+%#lx [%s]", name, addr - start,
			 s->mod->name);
}

/*
 * A callback's address: its symbol's start, not a return address inside,
 * and not the padding before a function (__pfx_, __cfi_), where only the
 * module's own bounds point.
 */
static bool mr_lo_at_symbol_start(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];

	sprint_symbol(buf, addr);
	return strstr(buf, "+0x0/") && strncmp(buf, "__pfx_", 6) &&
	       strncmp(buf, "__cfi_", 6);
}

static bool mr_lo_covered(const struct mr_lo_search *s, unsigned long p)
{
	unsigned int i;

	for (i = 0; i < s->ncovered; i++)
		if (p >= s->covered[i].start && p < s->covered[i].end)
			return true;
	return false;
}

static void mr_lo_cover(struct mr_lo_search *s, unsigned long start,
			unsigned long end)
{
	if (s->ncovered == MR_LO_MAX_COVERED)
		return;
	s->covered[s->ncovered].start = start;
	s->covered[s->ncovered].end = end;
	s->ncovered++;
}

static struct mr_lo_item *mr_lo_add(struct mr_lo_search *s, u32 kind,
				    unsigned long object, size_t size,
				    const char *fmt, ...)
	__printf(5, 6);

static struct mr_lo_item *mr_lo_add(struct mr_lo_search *s, u32 kind,
				    unsigned long object, size_t size,
				    const char *fmt, ...)
{
	struct mr_lo_item *it;
	va_list ap;

	if (size)
		mr_lo_cover(s, object, object + size);
	if (s->found++ >= MR_LO_MAX_ITEMS)
		return NULL;
	it = &s->items[s->found - 1];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->object = object;
	va_start(ap, fmt);
	vsnprintf(it->what, sizeof(it->what), fmt, ap);
	va_end(ap);
	return it;
}

static void mr_lo_flag(struct mr_lo_item *it, u32 flags)
{
	if (it)
		it->flags |= flags;
}

/*
 * A kernel string that may no longer be there, into buf; "?" when it
 * cannot be read (strncpy_from_kernel_nofault() is not exported).
 */
static void mr_lo_read_string(char *buf, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (copy_from_kernel_nofault(&buf[i], src + i, 1)) {
			strscpy(buf, "?", len);
			return;
		}
		if (!buf[i])
			return;
	}
	buf[i] = '\0';
}

/* Is the kernel word at SLOT, holding V, one end of a link that V's node returns? */
static bool mr_lo_backlinked(unsigned long slot, unsigned long v)
{
	unsigned long w[3];

	v &= ~3UL;		/* an rb_node's parent carries its colour */
	if ((long)v >= 0 || v == slot)
		return false;
	if (copy_from_kernel_nofault(w, (void *)v, sizeof(w)))
		return false;
	/*
	 * list_head and hlist_node: the next node's prev (w[1]) is this node;
	 * the previous node's next (w[0]) is this node, one word before the
	 * prev slot. rb_node: a child's parent (w[0]) is this node, one or two
	 * words before the right or left slot; the parent's right or left
	 * (w[1], w[2]) is this node, whose first word is the parent slot.
	 */
	return (w[0] & ~3UL) == slot - 8 || (w[0] & ~3UL) == slot - 16 ||
	       w[1] == slot || w[2] == slot;
}

/* A slab object's address (the module keeps heap state behind pointers). */
static bool mr_lo_is_heap(unsigned long v)
{
	if ((long)v >= 0 || !virt_addr_valid((void *)v))
		return false;
	return folio_test_slab(virt_to_folio((void *)v));
}

/* A callback: the start of a function of the module. */
static bool mr_lo_callback(const struct mr_lo_search *s, const void *fn)
{
	return mr_lo_in_text(s, fn) && mr_lo_at_symbol_start((unsigned long)fn);
}

/* A name a driver or device would have: printable, not empty. */
static bool mr_lo_is_name(const char *name)
{
	if (!*name || !strcmp(name, "?"))
		return false;
	for (; *name; name++)
		if (!isgraph(*name))
			return false;
	return true;
}

/*
 * In the module's own memory, an object lies inside one of its variables
 * (the symbol's extent); a heap object is taken as found.
 */
static bool mr_lo_whole_object(const struct mr_lo_search *s, unsigned long at,
			       size_t size)
{
	unsigned long start, end;
	const char *name;

	if (!s->in_module)
		return true;
	return mr_lo_mod_object(s->mod, at, &start, &end, &name) &&
	       at + size <= end;
}

/*
 * The kinds the kernel can tell registered, each by its own test, laid at
 * AT (a kernel address) with its bytes at P (AVAIL of them). Returns the
 * object's size when one is there, else 0.
 */
static size_t mr_lo_delayed_work(struct mr_lo_search *s, unsigned long at,
				 const void *p, size_t avail)
{
	struct delayed_work dw;
	struct mr_lo_item *it;

	if (avail < sizeof(dw))
		return 0;
	memcpy(&dw, p, sizeof(dw));
	if (dw.timer.function != delayed_work_timer_fn ||
	    !mr_lo_callback(s, dw.work.func) || !work_pending(&dw.work) ||
	    !mr_lo_whole_object(s, at, sizeof(dw)))
		return 0;
	it = mr_lo_add(s, MODRESCUE_LEFTOVER_DELAYED_WORK, at, sizeof(dw),
		       "delayed work %ps pending", dw.work.func);
	mr_lo_flag(it, MODRESCUE_LEFTOVER_UNDOABLE);
	return sizeof(dw);
}

static size_t mr_lo_work(struct mr_lo_search *s, unsigned long at,
			 const void *p, size_t avail)
{
	struct work_struct w;
	struct mr_lo_item *it;

	if (avail < sizeof(w))
		return 0;
	memcpy(&w, p, sizeof(w));
	if (!work_pending(&w) || !mr_lo_callback(s, w.func) ||
	    !mr_lo_backlinked(at + offsetof(struct work_struct, entry),
			      (unsigned long)w.entry.next) ||
	    !mr_lo_whole_object(s, at, sizeof(w)))
		return 0;
	it = mr_lo_add(s, MODRESCUE_LEFTOVER_WORK, at, sizeof(w),
		       "work %ps pending", w.func);
	mr_lo_flag(it, MODRESCUE_LEFTOVER_UNDOABLE);
	return sizeof(w);
}

static size_t mr_lo_timer(struct mr_lo_search *s, unsigned long at,
			  const void *p, size_t avail)
{
	struct timer_list t;
	struct mr_lo_item *it;

	if (avail < sizeof(t))
		return 0;
	memcpy(&t, p, sizeof(t));
	if (!timer_pending(&t) || !mr_lo_callback(s, t.function) ||
	    (t.flags & TIMER_CPUMASK) >= nr_cpu_ids ||
	    !mr_lo_backlinked(at + offsetof(struct timer_list, entry.pprev),
			      (unsigned long)t.entry.pprev) ||
	    !mr_lo_whole_object(s, at, sizeof(t)))
		return 0;
	it = mr_lo_add(s, MODRESCUE_LEFTOVER_TIMER, at, sizeof(t),
		       "timer %ps pending on CPU %u", t.function,
		       t.flags & TIMER_CPUMASK);
	mr_lo_flag(it, MODRESCUE_LEFTOVER_UNDOABLE);
	return sizeof(t);
}

static size_t mr_lo_hrtimer(struct mr_lo_search *s, unsigned long at,
			    const void *p, size_t avail)
{
	struct hrtimer t;
	struct mr_lo_item *it;

	if (avail < sizeof(t))
		return 0;
	memcpy(&t, p, sizeof(t));
	if (!(t.state & HRTIMER_STATE_ENQUEUED) || (long)t.base >= 0 ||
	    !mr_lo_callback(s, t.function) ||
	    !mr_lo_whole_object(s, at, sizeof(t)))
		return 0;
	it = mr_lo_add(s, MODRESCUE_LEFTOVER_HRTIMER, at, sizeof(t),
		       "hrtimer %ps queued", t.function);
	mr_lo_flag(it, MODRESCUE_LEFTOVER_UNDOABLE);
	return sizeof(t);
}

static size_t mr_lo_misc(struct mr_lo_search *s, unsigned long at,
			 const void *p, size_t avail)
{
	unsigned long list = at + offsetof(struct miscdevice, list);
	struct miscdevice m;
	struct mr_lo_item *it;
	char name[32] = "?";

	if (avail < sizeof(m))
		return 0;
	memcpy(&m, p, sizeof(m));
	if (m.minor < 0 || m.minor > MINORMASK || !mr_lo_in_data(s, m.fops) ||
	    !mr_lo_backlinked(list, (unsigned long)m.list.next))
		return 0;
	mr_lo_read_string(name, sizeof(name), m.name);
	if (!mr_lo_is_name(name) || !mr_lo_whole_object(s, at, sizeof(m)))
		return 0;
	it = mr_lo_add(s, MODRESCUE_LEFTOVER_MISC, at, sizeof(m),
		       "misc device /dev/%s (%d:%d)", name, MISC_MAJOR,
		       m.minor);
	mr_lo_flag(it, MODRESCUE_LEFTOVER_UNDOABLE |
			       MODRESCUE_LEFTOVER_COLLIDES);
	return sizeof(m);
}

static size_t mr_lo_cdev(struct mr_lo_search *s, unsigned long at,
			 const void *p, size_t avail)
{
	struct mr_lo_item *it;
	struct cdev c;

	if (avail < sizeof(c))
		return 0;
	memcpy(&c, p, sizeof(c));
	if (c.owner != s->mod || !mr_lo_in_data(s, c.ops) || !c.dev ||
	    !c.count || !kref_read(&c.kobj.kref) ||
	    !mr_lo_whole_object(s, at, sizeof(c)))
		return 0;
	it = mr_lo_add(s, MODRESCUE_LEFTOVER_CDEV, at, sizeof(c),
		       "char device %u:%u (%u minor%s) with %ps",
		       MAJOR(c.dev), MINOR(c.dev), c.count,
		       c.count == 1 ? "" : "s", c.ops);
	mr_lo_flag(it, MODRESCUE_LEFTOVER_COLLIDES);
	return sizeof(c);
}

static size_t mr_lo_driver(struct mr_lo_search *s, unsigned long at,
			   const void *p, size_t avail)
{
	char name[32] = "?", bus[32] = "?";
	struct device_driver d;
	const char *bus_name;
	struct mr_lo_item *it;

	if (avail < sizeof(d))
		return 0;
	memcpy(&d, p, sizeof(d));
	if (d.owner != s->mod || !mr_lo_is_heap((unsigned long)d.p) ||
	    (long)d.bus >= 0)
		return 0;
	mr_lo_read_string(name, sizeof(name), d.name);
	if (copy_from_kernel_nofault(&bus_name, &d.bus->name,
				     sizeof(bus_name)))
		return 0;
	mr_lo_read_string(bus, sizeof(bus), bus_name);
	if (!mr_lo_is_name(name) || !mr_lo_is_name(bus) ||
	    !mr_lo_whole_object(s, at, sizeof(d)))
		return 0;
	it = mr_lo_add(s, MODRESCUE_LEFTOVER_DRIVER, at, sizeof(d),
		       "driver %s on bus %s", name, bus);
	mr_lo_flag(it, MODRESCUE_LEFTOVER_COLLIDES);
	return sizeof(d);
}

typedef size_t (*mr_lo_shape_fn)(struct mr_lo_search *s, unsigned long at,
				 const void *p, size_t avail);

/* Outer kinds first: a delayed work holds a work and a timer. */
static const mr_lo_shape_fn mr_lo_shapes[] = {
	mr_lo_delayed_work, mr_lo_work, mr_lo_timer, mr_lo_hrtimer,
	mr_lo_misc, mr_lo_cdev, mr_lo_driver,
};

/* Name the link found from outside into the module's own memory. */
static void mr_lo_report_linked(struct mr_lo_search *s, unsigned long slot)
{
	unsigned long start = slot, end = slot + sizeof(long);
	char place[KSYM_SYMBOL_LEN];
	const char *name;

	mr_lo_mod_object(s->mod, slot, &start, &end, &name);
	mr_lo_place(s, place, sizeof(place), slot);
	mr_lo_add(s, MODRESCUE_LEFTOVER_LINKED, start, end - start,
		  "%s linked into a kernel list or tree", place);
}

/*
 * Every registered object laid in [at, at + len), its bytes at p. A link
 * from outside that no kind explains is reported at once in the module's
 * memory (a whole symbol at a time); in a heap object, the first one is
 * returned for the caller to judge (0: none).
 */
static unsigned long mr_lo_objects_in(struct mr_lo_search *s, unsigned long at,
				      const unsigned long *p, size_t len,
				      bool module_memory)
{
	unsigned long linked = 0, v, target;
	size_t off = 0, size, i;

	s->in_module = module_memory;
	while (off + sizeof(long) <= len) {
		unsigned long slot = at + off;

		v = p[off / sizeof(long)];
		target = v & ~3UL;
		size = 0;
		if (module_memory && mr_lo_bookkeeping(s, slot)) {
			off += sizeof(long);
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(mr_lo_shapes) && !size; i++)
			size = mr_lo_shapes[i](s, slot, &p[off / sizeof(long)],
					       len - off);
		if (size) {
			off += ALIGN(size, sizeof(long));
			continue;
		}
		off += sizeof(long);
		/* Links inside the module, or inside this object, are its own. */
		if (linked || mr_lo_covered(s, slot) ||
		    (module_memory && mr_lo_in_mod(s, target)) ||
		    (target >= at && target < at + len) ||
		    !mr_lo_backlinked(slot, v))
			continue;
		if (module_memory)
			mr_lo_report_linked(s, slot);
		else
			linked = slot;
	}
	return linked;
}

static void mr_lo_add_window(struct mr_lo_search *s, unsigned long from,
			     unsigned long v)
{
	struct mr_lo_window *w;
	unsigned long end;
	unsigned int i;

	for (i = 0; i < s->nwin; i++)
		if (s->win[i].start == v)
			return;
	if (s->nwin == MR_LO_MAX_WINDOWS)
		return;
	w = &s->win[s->nwin];
	/* Never past the slab's own pages. */
	end = (unsigned long)folio_address(virt_to_folio((void *)v)) +
	      folio_size(virt_to_folio((void *)v));
	w->len = min_t(unsigned long, MR_LO_WINDOW, end - v) &
		 ~(sizeof(long) - 1);
	if (!w->len || copy_from_kernel_nofault(w->copy, (void *)v, w->len))
		return;
	w->start = v;
	w->from = from;
	s->scanned += w->len;
	s->win_lo = min(s->win_lo, v);
	s->win_hi = max(s->win_hi, v + 1);
	s->nwin++;
}

/* Does the window hold a pointer into the module (not its struct module)? */
static unsigned long mr_lo_window_points_in(const struct mr_lo_search *s,
					    const struct mr_lo_window *w)
{
	unsigned int i;

	for (i = 0; i < w->len / sizeof(long); i++) {
		unsigned long v = w->copy[i];
		const struct mr_lo_range *r = mr_lo_range_of(s, v);

		if (!r || mr_lo_bookkeeping(s, v))
			continue;
		if (r->type != MR_LO_TEXT || mr_lo_at_symbol_start(v))
			return v;
	}
	return 0;
}

/* The module's data and the heap objects it points to. */
static int mr_lo_scan_module(struct mr_lo_search *s)
{
	unsigned int i, nr = s->nr;
	unsigned long linked;

	for (i = 0; i < nr; i++) {
		const struct mr_lo_range *r = &s->r[i];
		const unsigned long *p = (const unsigned long *)r->start;
		size_t n = (r->end - r->start) / sizeof(long), k;

		if (r->type != MR_LO_DATA)
			continue;
		s->scanned += r->end - r->start;
		for (k = 0; k < n; k++)
			if (mr_lo_is_heap(p[k]) &&
			    !mr_lo_bookkeeping(s, r->start + k * sizeof(long)))
				mr_lo_add_window(s, r->start + k * sizeof(long),
						 p[k]);
		/* Objects may sit anywhere: look at every word once more. */
		mr_lo_objects_in(s, r->start, p, n * sizeof(long), true);
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	for (i = 0; i < s->nwin; i++) {
		char from[KSYM_SYMBOL_LEN], held[KSYM_SYMBOL_LEN];
		struct mr_lo_window *w = &s->win[i];
		unsigned long into;

		if (mr_lo_covered(s, w->from))
			continue;
		linked = mr_lo_objects_in(s, w->start, w->copy, w->len, false);
		into = linked ? mr_lo_window_points_in(s, w) : 0;
		if (!into)
			continue;
		mr_lo_place(s, from, sizeof(from), w->from);
		mr_lo_place(s, held, sizeof(held), into);
		mr_lo_add(s, MODRESCUE_LEFTOVER_LINKED, w->start, w->len,
			  "the object %s points to, holding %s, is linked into a kernel list or tree",
			  from, held);
	}
	return 0;
}

/* IRQ actions whose handler or thread function is the module's. */
static void mr_lo_scan_irqs(struct mr_lo_search *s)
{
	unsigned int irq;

	for (irq = 0; irq < nr_irqs; irq++) {
		struct irqaction a, *next;
		struct irq_data *d;
		char name[32];
		int hops = 0;

		rcu_read_lock();
		d = irq_get_irq_data(irq);
		next = d ? READ_ONCE(container_of(d, struct irq_desc,
						  irq_data)->action) :
			   NULL;
		while (next && hops++ < 64 &&
		       !copy_from_kernel_nofault(&a, next, sizeof(a))) {
			if (mr_lo_in_text(s, a.handler) ||
			    mr_lo_in_text(s, a.thread_fn)) {
				mr_lo_read_string(name, sizeof(name), a.name);
				mr_lo_add(s, MODRESCUE_LEFTOVER_IRQ,
					  (unsigned long)next, 0,
					  "IRQ %u handler %ps (%s)", irq,
					  mr_lo_in_text(s, a.handler) ?
						  (void *)a.handler :
						  (void *)a.thread_fn,
					  name);
			}
			next = a.next;
		}
		rcu_read_unlock();
	}
}

/* Where a static word is, for the report: its symbol, or its CPU's data. */
static void mr_lo_root_name(char *buf, size_t len, unsigned long root,
			    int cpu)
{
	if (cpu < 0)
		snprintf(buf, len, "%ps", (void *)root);
	else
		snprintf(buf, len, "CPU %d's per-CPU data +%#lx", cpu,
			 root - per_cpu_offset(cpu) - mr_static.percpu_start);
}

/* The kernel's own tree of module addresses and bounds: not a leftover. */
static bool mr_lo_kernel_record(unsigned long root)
{
	char buf[KSYM_SYMBOL_LEN];

	sprint_symbol(buf, root);
	return !strncmp(buf, "mod_tree+", 9);
}

/* The window V lies in, or NULL. */
static const struct mr_lo_window *mr_lo_window_of(const struct mr_lo_search *s,
						  unsigned long v)
{
	unsigned int i;

	for (i = 0; i < s->nwin; i++)
		if (v >= s->win[i].start && v < s->win[i].start + s->win[i].len)
			return &s->win[i];
	return NULL;
}

/* Is ROOT the next field of another notifier_block (its callback before it)? */
static bool mr_lo_after_notifier(unsigned long root)
{
	unsigned long fn;

	if (copy_from_kernel_nofault(&fn, (void *)(root - sizeof(long)),
				     sizeof(fn)))
		return false;
	return offsetof(struct notifier_block, next) == sizeof(long) &&
	       fn && mr_lo_at_symbol_start(fn);
}

/* A notifier_block of the module's at V (bytes at P): report it on ROOT's chain. */
static bool mr_lo_notifier(struct mr_lo_search *s, unsigned long root,
			   unsigned long v, const void *p, size_t avail,
			   const char *where)
{
	struct notifier_block nb;
	struct mr_lo_item *it;

	if (avail < sizeof(nb))
		return false;
	memcpy(&nb, p, sizeof(nb));
	if (!mr_lo_callback(s, nb.notifier_call))
		return false;
	/* A chain has no registry: its head, or the block before this one. */
	if (mr_lo_after_notifier(root))
		it = mr_lo_add(s, MODRESCUE_LEFTOVER_NOTIFIER, v, sizeof(nb),
			       "notifier %ps on the chain after %s",
			       nb.notifier_call, where);
	else
		it = mr_lo_add(s, MODRESCUE_LEFTOVER_NOTIFIER, v, sizeof(nb),
			       "notifier %ps on %s", nb.notifier_call, where);
	mr_lo_flag(it, MODRESCUE_LEFTOVER_UNDOABLE);
	return true;
}

/* A static word ROOT (of CPU's per-CPU data, or -1) holds V: is V the module's? */
static void mr_lo_root_hit(struct mr_lo_search *s, unsigned long root,
			   unsigned long v, int cpu)
{
	const struct mr_lo_range *r = mr_lo_range_of(s, v);
	char where[KSYM_SYMBOL_LEN + 32], place[KSYM_SYMBOL_LEN];
	const struct mr_lo_window *w;
	unsigned long start, end;
	const char *name;

	/*
	 * Per-CPU data also holds the IRQ stacks, full of stale values: only
	 * a list or tree link counts there (a timer wheel's bucket, say).
	 */
	if (cpu >= 0 && !mr_lo_backlinked(root, v))
		return;
	if (mr_lo_covered(s, v))
		return;
	if (!r) {
		/* Into a heap object of the module's: only its notifier. */
		w = mr_lo_window_of(s, v);
		if (w) {
			mr_lo_root_name(where, sizeof(where), root, cpu);
			mr_lo_notifier(s, root, v, (void *)w->copy +
				       (v - w->start), w->start + w->len - v,
				       where);
		}
		return;
	}
	if (mr_lo_bookkeeping(s, v))
		return;
	if (r->type == MR_LO_TEXT && !mr_lo_at_symbol_start(v))
		return;
	if (mr_lo_kernel_record(root))
		return;
	mr_lo_root_name(where, sizeof(where), root, cpu);
	if (r->type == MR_LO_DATA &&
	    mr_lo_notifier(s, root, v, (void *)v, r->end - v, where))
		return;
	if (!mr_lo_mod_object(s->mod, v, &start, &end, &name)) {
		start = v;
		end = v + sizeof(long);
	}
	mr_lo_place(s, place, sizeof(place), v);
	mr_lo_add(s, MODRESCUE_LEFTOVER_POINTER, start, end - start,
		  "%s points to %s", where, place);
}

/* Every word of [start, end), read a page at a time without faulting. */
static int mr_lo_scan_area(struct mr_lo_search *s, unsigned long start,
			   unsigned long end, int cpu)
{
	unsigned long a, v, n, i;

	start = ALIGN(start, sizeof(long));
	for (a = start; a < end; a += n) {
		n = min(end - a, PAGE_SIZE - (a & ~PAGE_MASK));
		n &= ~(sizeof(long) - 1);
		if (!n)
			break;
		if (copy_from_kernel_nofault(s->chunk, (void *)a, n))
			continue;
		s->scanned += n;
		for (i = 0; i < n / sizeof(long); i++) {
			v = s->chunk[i];
			if ((v >= s->mod_lo && v < s->mod_hi) ||
			    (v >= s->pcpu_lo && v < s->pcpu_hi) ||
			    (v >= s->win_lo && v < s->win_hi))
				mr_lo_root_hit(s, a + i * sizeof(long), v, cpu);
		}
		if (!((a - start) & 0xffff)) {
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	return 0;
}

/* [start, end) without the struct module M that may lie inside. */
static int mr_lo_scan_around(struct mr_lo_search *s, unsigned long start,
			     unsigned long end, unsigned long hole,
			     unsigned long hole_end)
{
	int ret;

	if (hole >= end || hole_end <= start)
		return mr_lo_scan_area(s, start, end, -1);
	ret = mr_lo_scan_area(s, start, hole, -1);
	return ret ? ret : mr_lo_scan_area(s, hole_end, end, -1);
}

/*
 * Other modules' writable data (not the helper's own, not the target's),
 * without their struct module: the kernel's records, whose init pointer
 * still names init code long freed (its address reused by later modules).
 */
static int mr_lo_scan_modules(struct mr_lo_search *s)
{
	unsigned long start, end;
	struct module *m;
	int ret = 0;

	list_for_each_entry(m, mr_modules, list) {
		if (m == s->mod || m == THIS_MODULE ||
		    m->state == MODULE_STATE_UNFORMED)
			continue;
#ifdef for_each_mod_mem_type
		start = (unsigned long)m->mem[MOD_DATA].base;
		end = start + m->mem[MOD_DATA].size;
#else
		start = (unsigned long)m->core_layout.base +
			m->core_layout.ro_size;
		end = (unsigned long)m->core_layout.base + m->core_layout.size;
#endif
		ret = mr_lo_scan_around(s, start, end, (unsigned long)m,
					(unsigned long)(m + 1));
		if (ret)
			break;
	}
	return ret;
}

static int mr_lo_scan_static(struct mr_lo_search *s)
{
	unsigned long size = mr_static.percpu_end - mr_static.percpu_start;
	unsigned int cpu;
	int ret;

	/* The boot CPU's idle stack lies in .data: stale values, not roots. */
	ret = mr_lo_scan_around(s, mr_static.data_start, mr_static.data_end,
				(unsigned long)init_task.stack,
				(unsigned long)init_task.stack + THREAD_SIZE);
	if (!ret)
		ret = mr_lo_scan_area(s, mr_static.bss_start, mr_static.bss_end,
				      -1);
	for_each_possible_cpu(cpu) {
		unsigned long base = per_cpu_offset(cpu) + mr_static.percpu_start;

		if (!ret)
			ret = mr_lo_scan_area(s, base, base + size, cpu);
	}
	return ret ? ret : mr_lo_scan_modules(s);
}

static struct mr_lo_search *mr_lo_alloc(struct module *mod)
{
	struct mr_lo_search *s = kvzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->mod = mod;
	s->r = kcalloc(MR_LO_MOD_RANGES + num_possible_cpus(), sizeof(*s->r),
		       GFP_KERNEL);
	s->win = kvcalloc(MR_LO_MAX_WINDOWS, sizeof(*s->win), GFP_KERNEL);
	if (!s->r || !s->win) {
		kfree(s->r);
		kvfree(s->win);
		kvfree(s);
		return NULL;
	}
	return s;
}

static void mr_lo_free(struct mr_lo_search *s)
{
	if (!s)
		return;
	kfree(s->r);
	kvfree(s->win);
	kvfree(s);
}

/* One whole search of MOD into S (reset first); module_mutex held. */
static int mr_lo_search_once(struct mr_lo_search *s)
{
	int ret;

	s->nr = 0;
	s->nwin = 0;
	s->ncovered = 0;
	s->found = 0;
	s->mod_hi = 0;
	s->pcpu_hi = 0;
	s->win_lo = ULONG_MAX;
	s->win_hi = 0;
	mr_lo_module_ranges(s);
	if (!mr_static.data_end) {
		mr_lo_add(s, MODRESCUE_LEFTOVER_UNKNOWN, 0, 0,
			  "the kernel's static data was not given: nothing could be looked at");
		return 0;
	}
	ret = mr_lo_scan_module(s);
	if (ret)
		return ret;
	mr_lo_scan_irqs(s);
	ret = mr_lo_scan_static(s);
	return ret;
}

/* Look, and when nothing is found, look again after a grace period. */
static int mr_lo_search_twice(struct mr_lo_search *s)
{
	int ret = mr_lo_search_once(s);

	if (ret || s->found)
		return ret;
	synchronize_rcu();
	return mr_lo_search_once(s);
}

int mr_leftovers_count(struct module *mod)
{
	struct mr_lo_search *s = mr_lo_alloc(mod);
	int ret;

	if (!s)
		return -ENOMEM;
	ret = mr_lo_search_twice(s);
	if (!ret)
		ret = s->found;
	mr_lo_free(s);
	return ret;
}

/* The kinds with an exact exported undo; the object is checked again first. */
static bool mr_lo_undo(struct mr_lo_search *s, struct mr_lo_item *it)
{
	const char *mod = s->mod->name;

	s->in_module = mr_lo_in_mod(s, it->object);
	switch (it->kind) {
	case MODRESCUE_LEFTOVER_TIMER:
		if (!mr_lo_timer(s, it->object, (void *)it->object,
				 sizeof(struct timer_list)))
			return false;
		timer_delete_sync((struct timer_list *)it->object);
		break;
	case MODRESCUE_LEFTOVER_HRTIMER:
		if (!mr_lo_hrtimer(s, it->object, (void *)it->object,
				   sizeof(struct hrtimer)))
			return false;
		hrtimer_cancel((struct hrtimer *)it->object);
		break;
	case MODRESCUE_LEFTOVER_DELAYED_WORK:
		if (!mr_lo_delayed_work(s, it->object, (void *)it->object,
					sizeof(struct delayed_work)))
			return false;
		cancel_delayed_work_sync((struct delayed_work *)it->object);
		break;
	case MODRESCUE_LEFTOVER_WORK:
		if (!mr_lo_work(s, it->object, (void *)it->object,
				sizeof(struct work_struct)))
			return false;
		cancel_work_sync((struct work_struct *)it->object);
		break;
	case MODRESCUE_LEFTOVER_MISC:
		if (!mr_lo_misc(s, it->object, (void *)it->object,
				sizeof(struct miscdevice)))
			return false;
		misc_deregister((struct miscdevice *)it->object);
		break;
	case MODRESCUE_LEFTOVER_NOTIFIER:
		/*
		 * The chains with an exported unregister, which unlinks the
		 * block only if it finds it on that very chain.
		 */
		if (unregister_reboot_notifier((void *)it->object) &&
		    atomic_notifier_chain_unregister(&panic_notifier_list,
						     (void *)it->object))
			return false;
		break;
	default:
		return false;
	}
	pr_warn("%s: finish-exit: %s: undone (forced)\n", mod, it->what);
	add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
	return true;
}

/*
 * Undo every undoable item; the covered ranges are reset so each object's
 * own test can run again on its current bytes.
 */
static u32 mr_lo_finish(struct mr_lo_search *s)
{
	struct mr_lo_item *items;
	u32 i, n = min_t(u32, s->found, MR_LO_MAX_ITEMS), undone = 0;

	items = kmemdup(s->items, n * sizeof(*items), GFP_KERNEL);
	if (!items)
		return 0;
	for (i = 0; i < n; i++) {
		s->ncovered = 0;
		s->found = 0;
		if ((items[i].flags & MODRESCUE_LEFTOVER_UNDOABLE) &&
		    mr_lo_undo(s, &items[i]))
			undone++;
	}
	kfree(items);
	return undone;
}

static int mr_lo_copy_out(struct modrescue_leftovers *arg,
			  const struct mr_lo_search *s)
{
	struct modrescue_leftover __user *u = u64_to_user_ptr(arg->items);
	u32 i, n = min3(s->found, arg->cap, (u32)MR_LO_MAX_ITEMS);
	struct modrescue_leftover e;

	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.kind = s->items[i].kind;
		e.flags = s->items[i].flags;
		e.object = mr_user_visible_ptr((void *)s->items[i].object);
		strscpy(e.what, s->items[i].what, sizeof(e.what));
		if (copy_to_user(&u[i], &e, sizeof(e)))
			return -EFAULT;
	}
	return 0;
}

/* Only a COMING or GOING module that nobody uses: then nothing runs in it. */
static int mr_lo_check_module(struct module *mod, u32 expect_state)
{
	struct mr_users users = { .mod = mod };

	if (mod->state != expect_state)
		return -ESTALE;
	if (mod->state != MODULE_STATE_COMING &&
	    mod->state != MODULE_STATE_GOING)
		return -EINVAL;
	if (mr_find_users(&users))
		return -EAGAIN;
	return users.found ? -EBUSY : 0;
}

long mr_ioctl_leftovers(struct modrescue_leftovers *arg)
{
	struct mr_lo_search *s;
	struct module *mod;
	u64 t0 = ktime_get_ns();
	long ret;

	if ((arg->flags & ~MODRESCUE_LEFTOVERS_FINISH) || arg->reserved[0] ||
	    arg->reserved[1])
		return -EINVAL;
	ret = mr_check_stuck_target(arg->name, arg->expect_state);
	if (ret)
		return ret;
	if (!mr_static.data_end)
		return -EOPNOTSUPP;
	/* Undoing writes kernel memory, as /dev/mem would. */
	if (arg->flags & MODRESCUE_LEFTOVERS_FINISH) {
		ret = security_locked_down(LOCKDOWN_DEV_MEM);
		if (ret)
			return ret;
	}
	ret = mutex_lock_killable(mr_module_mutex);
	if (ret)
		return ret;
	s = NULL;
	mod = mr_find_module(arg->name);
	if (!mod) {
		ret = -ENOENT;
		goto unlock;
	}
	ret = mr_lo_check_module(mod, arg->expect_state);
	if (ret)
		goto unlock;
	s = mr_lo_alloc(mod);
	if (!s) {
		ret = -ENOMEM;
		goto unlock;
	}
	ret = mr_lo_search_once(s);
	if (!ret && (arg->flags & MODRESCUE_LEFTOVERS_FINISH) && s->found) {
		arg->undone = mr_lo_finish(s);
		ret = mr_lo_search_twice(s);
	}
	if (ret)
		goto unlock;
	arg->found = s->found;
	arg->scanned = s->scanned;
	arg->nsecs = ktime_get_ns() - t0;
	ret = mr_lo_copy_out(arg, s);
unlock:
	mutex_unlock(mr_module_mutex);
	mr_lo_free(s);
	return ret;
}
