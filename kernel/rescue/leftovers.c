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
#include <linux/delay.h>
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

#include "modrescue.h"
#include "rescue.h"
#include "users.h"

/* The heap objects looked at: the first bytes of each, from its start. */
#define MR_LO_WINDOW 2048
/* Where an unnamed registered object of the module may be told in one. */
#define MR_LO_GENERIC_WINDOW 256
/* Timers followed on one per-CPU list. */
#define MR_LO_MAX_CHAIN 1024
/* Blocks followed back along a notifier chain to its head. */
#define MR_LO_MAX_CHAIN_BACK 64
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
	bool init;			/* a crashed init's init sections */
	bool percpu;			/* one CPU's copy of its per-CPU data */
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
	unsigned int max_ranges;
	bool truncated;			/* a limit of the search was reached */
	/* Text buffers: kept off the stack, which the calls nest on. */
	char sym[KSYM_SYMBOL_LEN];
	char where[KSYM_SYMBOL_LEN + 32];
	char place[2][KSYM_SYMBOL_LEN];
	struct mr_lo_range covered[MR_LO_MAX_COVERED];
	unsigned int ncovered;
	struct mr_lo_item items[MR_LO_MAX_ITEMS];
	u32 found;
	u64 scanned;
	unsigned long chunk[PAGE_SIZE / sizeof(unsigned long)];
	unsigned long chunk2[PAGE_SIZE / sizeof(unsigned long)];
	unsigned long undo_copy[48];	/* an object checked before its undo */
};

static void mr_lo_add_range(struct mr_lo_search *s, const void *base,
			    unsigned long size, enum mr_lo_type type, bool init,
			    bool percpu)
{
	struct mr_lo_range *r;

	if (!base || !size || s->nr == s->max_ranges)
		return;
	r = &s->r[s->nr++];
	r->start = (unsigned long)base;
	r->end = (unsigned long)base + size;
	r->type = type;
	r->init = init;
	r->percpu = percpu;
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
				types[type], mod_mem_type_is_init(type), false);
#else
	const struct module_layout *l[] = { &mod->core_layout,
					    &mod->init_layout };

	for (i = 0; i < ARRAY_SIZE(l); i++) {
		void *b = l[i]->base;

		if (!b)
			continue;
		mr_lo_add_range(s, b, l[i]->text_size, MR_LO_TEXT, i, false);
		mr_lo_add_range(s, b + l[i]->text_size,
				l[i]->ro_size - l[i]->text_size, MR_LO_RO, i,
				false);
		mr_lo_add_range(s, b + l[i]->ro_size,
				l[i]->size - l[i]->ro_size, MR_LO_DATA, i, false);
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

		mr_lo_add_range(s, p, mod->percpu_size, MR_LO_DATA, false, true);
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

		unsigned long class;

		if (p >= call && p < call + sizeof(struct trace_event_call))
			return true;
		/* Its class's field list holds the kernel's heap nodes. */
		class = (unsigned long)mod->trace_events[i]->class;
		if (p >= class && p < class + sizeof(struct trace_event_class))
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
static bool mr_lo_mod_object(const struct mr_lo_search *s, unsigned long addr,
			     unsigned long *start, unsigned long *end,
			     const char **name)
{
	const struct mod_kallsyms *k = s->mod->kallsyms;
	const struct mr_lo_range *r = mr_lo_range_of(s, addr);
	unsigned long base = 0;
	unsigned int i;

	if (!k)
		return false;
	/* A per-CPU variable's symbol is its offset in the per-CPU area. */
	if (r && r->percpu) {
		base = r->start - (unsigned long)s->mod->percpu;
		addr -= base;
	}
	for (i = 0; i < k->num_symtab; i++) {
		const Elf_Sym *sym = &k->symtab[i];

		if (ELF_ST_TYPE(sym->st_info) != STT_OBJECT || !sym->st_size ||
		    addr < sym->st_value || addr >= sym->st_value + sym->st_size)
			continue;
		*start = sym->st_value + base;
		*end = sym->st_value + sym->st_size + base;
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

	if (!mr_lo_mod_object(s, addr, &start, &end, &name))
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
static bool mr_lo_at_symbol_start(struct mr_lo_search *s, unsigned long addr)
{
	sprint_symbol(s->sym, addr);
	return strstr(s->sym, "+0x0/") && strncmp(s->sym, "__pfx_", 6) &&
	       strncmp(s->sym, "__cfi_", 6);
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
	unsigned int i;

	v &= ~3UL;		/* an rb_node's parent carries its colour */
	if ((long)v >= 0 || v == slot)
		return false;
	/* Word by word: the neighbour may be an 8-byte hlist_head at a page end. */
	for (i = 0; i < ARRAY_SIZE(w); i++)
		if (copy_from_kernel_nofault(&w[i], (void *)(v + i * sizeof(long)),
					     sizeof(long)))
			break;
	while (i < ARRAY_SIZE(w))
		w[i++] = 0;
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
static bool mr_lo_callback(struct mr_lo_search *s, const void *fn)
{
	return mr_lo_in_text(s, fn) &&
	       mr_lo_at_symbol_start(s, (unsigned long)fn);
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

	if (!s->in_module ||
	    !mr_lo_mod_object(s, at, &start, &end, &name))
		return true;
	return at + size <= end;
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

static size_t mr_lo_tasklet(struct mr_lo_search *s, unsigned long at,
			    const void *p, size_t avail)
{
	struct tasklet_struct t;

	if (avail < sizeof(t))
		return 0;
	memcpy(&t, p, sizeof(t));
	/* Its state has two bits, its flag is a bool: not any struct's bytes. */
	if (t.state & ~(BIT(TASKLET_STATE_SCHED) | BIT(TASKLET_STATE_RUN)) ||
	    *(u8 *)&t.use_callback > 1 || (long)t.next > 0 ||
	    !test_bit(TASKLET_STATE_SCHED, &t.state) ||
	    !mr_lo_callback(s, t.use_callback ? (void *)t.callback :
						 (void *)t.func) ||
	    !mr_lo_whole_object(s, at, sizeof(t)))
		return 0;
	mr_lo_add(s, MODRESCUE_LEFTOVER_LINKED, at, sizeof(t),
		  "tasklet %ps scheduled",
		  t.use_callback ? (void *)t.callback : (void *)t.func);
	return sizeof(t);
}

typedef size_t (*mr_lo_shape_fn)(struct mr_lo_search *s, unsigned long at,
				 const void *p, size_t avail);

/* Outer kinds first: a delayed work holds a work and a timer. */
static const mr_lo_shape_fn mr_lo_shapes[] = {
	mr_lo_delayed_work, mr_lo_work, mr_lo_timer, mr_lo_hrtimer,
	mr_lo_misc, mr_lo_cdev, mr_lo_driver, mr_lo_tasklet,
};

/* Name the link found from outside into the module's own memory. */
static void mr_lo_report_linked(struct mr_lo_search *s, unsigned long slot)
{
	unsigned long start = slot, end = slot + sizeof(long);
	const char *name;

	mr_lo_mod_object(s, slot, &start, &end, &name);
	mr_lo_place(s, s->place[0], sizeof(s->place[0]), slot);
	mr_lo_add(s, MODRESCUE_LEFTOVER_LINKED, start, end - start,
		  "%s linked into a kernel list or tree", s->place[0]);
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
	if (s->nwin == MR_LO_MAX_WINDOWS) {
		s->truncated = true;
		return;
	}
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
	s->win_hi = max(s->win_hi, v + w->len);
	s->nwin++;
}

/*
 * Does the start of the window hold a pointer to the module's read-only
 * data, as a registered object holds its ops table (a /proc entry its
 * proc_ops)? Its first bytes only: past them lie other objects.
 */
static unsigned long mr_lo_window_points_in(const struct mr_lo_search *s,
					    const struct mr_lo_window *w)
{
	unsigned int i, n = min_t(unsigned int, w->len, MR_LO_GENERIC_WINDOW);

	for (i = 0; i < n / sizeof(long); i++) {
		unsigned long v = w->copy[i];
		const struct mr_lo_range *r = mr_lo_range_of(s, v);

		if (r && r->type == MR_LO_RO && !r->init &&
		    !mr_lo_bookkeeping(s, v))
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
		cond_resched();
	}
	for (i = 0; i < s->nwin; i++) {
		struct mr_lo_window *w = &s->win[i];
		unsigned long into;

		if (mr_lo_covered(s, w->from))
			continue;
		linked = mr_lo_objects_in(s, w->start, w->copy, w->len, false);
		into = linked && linked < w->start + MR_LO_GENERIC_WINDOW ?
			       mr_lo_window_points_in(s, w) :
			       0;
		if (!into)
			continue;
		mr_lo_place(s, s->place[0], sizeof(s->place[0]), w->from);
		mr_lo_place(s, s->place[1], sizeof(s->place[1]), into);
		mr_lo_add(s, MODRESCUE_LEFTOVER_LINKED, w->start, w->len,
			  "the object %s points to, holding %s, is linked into a kernel list or tree",
			  s->place[0], s->place[1]);
	}
	return 0;
}

/* IRQ n: its flow handler, its chip, and each action's handlers. */
static void mr_lo_scan_irq(struct mr_lo_search *s, unsigned int irq,
			   const struct irq_desc *desc)
{
	struct irq_desc d;
	struct irqaction a, *next;
	char name[32];
	int hops = 0;

	if (copy_from_kernel_nofault(&d, desc, sizeof(d)))
		return;
	if (mr_lo_in_text(s, d.handle_irq))
		mr_lo_add(s, MODRESCUE_LEFTOVER_IRQ, (unsigned long)desc, 0,
			  "IRQ %u flow handler %ps", irq, d.handle_irq);
	if (mr_lo_in_mod(s, (unsigned long)d.irq_data.chip))
		mr_lo_add(s, MODRESCUE_LEFTOVER_IRQ, (unsigned long)desc, 0,
			  "IRQ %u chip %ps", irq, d.irq_data.chip);
	for (next = d.action; next && hops++ < 64 &&
	     !copy_from_kernel_nofault(&a, next, sizeof(a));
	     next = a.next) {
		if (!mr_lo_in_text(s, a.handler) &&
		    !mr_lo_in_text(s, a.thread_fn))
			continue;
		mr_lo_read_string(name, sizeof(name), a.name);
		mr_lo_add(s, MODRESCUE_LEFTOVER_IRQ, (unsigned long)next, 0,
			  "IRQ %u handler %ps (%s)", irq,
			  mr_lo_in_text(s, a.handler) ? (void *)a.handler :
							(void *)a.thread_fn,
			  name);
	}
	/* A chain cut short, or still longer: it could not all be seen. */
	if (next)
		s->truncated = true;
}

/*
 * Every IRQ. Actions are freed without RCU, but every read is one that
 * cannot fault: a stale chain reads old values at worst.
 */
static void mr_lo_scan_irqs(struct mr_lo_search *s)
{
	unsigned int irq;

	for (irq = 0; irq < nr_irqs; irq++) {
		struct irq_data *d;

		rcu_read_lock();
		d = irq_get_irq_data(irq);
		if (d)
			mr_lo_scan_irq(s, irq,
				       container_of(d, struct irq_desc,
						    irq_data));
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

/*
 * The kernel's own records, not leftovers: the tree of module addresses
 * with its bounds, the ORC unwinder's cache of the last module table it
 * sorted (never read again for a freed module), and the registers the
 * last oops saved for its summary (the crash that left the module here).
 */
static bool mr_lo_kernel_record(struct mr_lo_search *s, unsigned long root)
{
	static const char *const records[] = {
		"mod_tree+", "cur_orc_table+", "cur_orc_ip_table+",
		"exec_summary_regs+",
	};
	unsigned int i;

	sprint_symbol(s->sym, root);
	for (i = 0; i < ARRAY_SIZE(records); i++)
		if (!strncmp(s->sym, records[i], strlen(records[i])))
			return true;
	return false;
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
static bool mr_lo_after_notifier(struct mr_lo_search *s, unsigned long root)
{
	unsigned long fn;

	BUILD_BUG_ON(offsetof(struct notifier_block, next) != sizeof(long));
	if (copy_from_kernel_nofault(&fn, (void *)(root - sizeof(long)),
				     sizeof(fn)))
		return false;
	return fn && mr_lo_at_symbol_start(s, fn);
}

/* Another module's writable data (6.4 replaced core_layout with mem[]). */
static void mr_lo_module_data(const struct module *m, unsigned long *start,
			      unsigned long *end)
{
#ifdef for_each_mod_mem_type
	*start = (unsigned long)m->mem[MOD_DATA].base;
	*end = *start + m->mem[MOD_DATA].size;
#else
	*start = (unsigned long)m->core_layout.base + m->core_layout.ro_size;
	*end = (unsigned long)m->core_layout.base + m->core_layout.size;
#endif
}

/* The first word of [start, end) that holds V, or 0. */
static unsigned long mr_lo_find_word(struct mr_lo_search *s,
				     unsigned long start, unsigned long end,
				     unsigned long v)
{
	unsigned long a, n, i;

	for (a = ALIGN(start, sizeof(long)); a < end; a += n) {
		n = min(end - a, PAGE_SIZE - (a & ~PAGE_MASK));
		n &= ~(sizeof(long) - 1);
		if (!n)
			break;
		if (copy_from_kernel_nofault(s->chunk2, (void *)a, n))
			continue;
		for (i = 0; i < n / sizeof(long); i++)
			if (s->chunk2[i] == v)
				return a + i * sizeof(long);
	}
	return 0;
}

/* The static word pointing to the notifier_block NB: in .data, or a module's. */
static unsigned long mr_lo_word_to(struct mr_lo_search *s, unsigned long nb)
{
	unsigned long w = mr_lo_find_word(s, mr_static.data_start,
					  mr_static.data_end, nb);
	struct module *m;

	if (w)
		return w;
	list_for_each_entry(m, mr_modules, list) {
		unsigned long start, end;

		if (m->state == MODULE_STATE_UNFORMED)
			continue;
		mr_lo_module_data(m, &start, &end);
		w = mr_lo_find_word(s, start, end, nb);
		if (w)
			return w;
	}
	return 0;
}

/*
 * A chain has no registry: follow it back, block by block, to the word
 * that is not inside a notifier_block: its head. 0 when it is not found.
 */
static unsigned long mr_lo_chain_head(struct mr_lo_search *s,
				      unsigned long root)
{
	unsigned int i;

	for (i = 0; i < MR_LO_MAX_CHAIN_BACK && root; i++) {
		if (!mr_lo_after_notifier(s, root))
			return root;
		root = mr_lo_word_to(s, root - sizeof(long));
	}
	return 0;
}

/* The chains whose exported unregister undoes a registration exactly. */
static bool mr_lo_undoable_chain(struct mr_lo_search *s, unsigned long head)
{
	if (head == (unsigned long)&panic_notifier_list.head)
		return true;
	sprint_symbol(s->sym, head);
	return !strncmp(s->sym, "reboot_notifier_list+", 21);
}

/* A notifier_block of the module's at V (bytes at P), ROOT pointing to it. */
static bool mr_lo_notifier(struct mr_lo_search *s, unsigned long root,
			   unsigned long v, const void *p, size_t avail,
			   int cpu)
{
	struct notifier_block nb;
	struct mr_lo_item *it;
	unsigned long head;

	if (avail < sizeof(nb))
		return false;
	memcpy(&nb, p, sizeof(nb));
	if (!mr_lo_callback(s, nb.notifier_call))
		return false;
	head = cpu < 0 ? mr_lo_chain_head(s, root) : root;
	if (head) {
		mr_lo_root_name(s->where, sizeof(s->where), head, cpu);
		it = mr_lo_add(s, MODRESCUE_LEFTOVER_NOTIFIER, v, sizeof(nb),
			       "notifier %ps on %s", nb.notifier_call,
			       s->where);
		if (cpu < 0 && mr_lo_undoable_chain(s, head))
			mr_lo_flag(it, MODRESCUE_LEFTOVER_UNDOABLE);
	} else {
		mr_lo_root_name(s->where, sizeof(s->where), root, cpu);
		mr_lo_add(s, MODRESCUE_LEFTOVER_NOTIFIER, v, sizeof(nb),
			  "notifier %ps on the chain after %s",
			  nb.notifier_call, s->where);
	}
	return true;
}

/*
 * A per-CPU hlist head ROOT whose first node is V: if it is a timer wheel
 * bucket, every pending timer on it, wherever it lives, whose callback (or
 * whose delayed work's function) is the module's.
 */
static void mr_lo_timer_chain(struct mr_lo_search *s, unsigned long root,
			      unsigned long v)
{
	unsigned long dw, head = root;
	struct timer_list t;
	work_func_t fn;
	unsigned int n;

	for (n = 0; v && n < MR_LO_MAX_CHAIN; n++, v = (unsigned long)t.entry.next) {
		/* Back at the head: a circular list_head, not a bucket. */
		if (v == head || (long)v >= 0 ||
		    copy_from_kernel_nofault(&t, (void *)v, sizeof(t)) ||
		    (unsigned long)t.entry.pprev != root)
			return;
		root = v;	/* the next node's pprev points at this next */
		if (mr_lo_covered(s, v))
			continue;
		if (mr_lo_callback(s, t.function)) {
			mr_lo_add(s, MODRESCUE_LEFTOVER_TIMER, v, sizeof(t),
				  "timer %ps pending on CPU %u", t.function,
				  t.flags & TIMER_CPUMASK);
			continue;
		}
		if (t.function != delayed_work_timer_fn)
			continue;
		dw = v - offsetof(struct delayed_work, timer);
		if (!copy_from_kernel_nofault(&fn, (void *)(dw +
				offsetof(struct delayed_work, work.func)),
				sizeof(fn)) && mr_lo_callback(s, fn))
			mr_lo_add(s, MODRESCUE_LEFTOVER_DELAYED_WORK, dw,
				  sizeof(struct delayed_work),
				  "delayed work %ps pending", fn);
	}
	if (v)
		s->truncated = true;
}

/* A static word ROOT (of CPU's per-CPU data, or -1) holds V: is V the module's? */
static void mr_lo_root_hit(struct mr_lo_search *s, unsigned long root,
			   unsigned long v, int cpu)
{
	const struct mr_lo_range *r = mr_lo_range_of(s, v);
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
		if (w)
			mr_lo_notifier(s, root, v,
				       (void *)w->copy + (v - w->start),
				       w->start + w->len - v, cpu);
		return;
	}
	if (mr_lo_bookkeeping(s, v))
		return;
	if (r->type == MR_LO_TEXT && !mr_lo_at_symbol_start(s, v))
		return;
	if (mr_lo_kernel_record(s, root))
		return;
	if (r->type == MR_LO_DATA &&
	    mr_lo_notifier(s, root, v, (void *)v, r->end - v, cpu))
		return;
	if (!mr_lo_mod_object(s, v, &start, &end, &name)) {
		start = v;
		end = v + sizeof(long);
	}
	mr_lo_root_name(s->where, sizeof(s->where), root, cpu);
	mr_lo_place(s, s->place[0], sizeof(s->place[0]), v);
	mr_lo_add(s, MODRESCUE_LEFTOVER_POINTER, start, end - start,
		  "%s points to %s", s->where, s->place[0]);
}

/*
 * Every word of [start, end), read a page at a time without faulting. In
 * per-CPU data (CPU >= 0), every list head is also tried as a timer wheel
 * bucket: its timers may live anywhere, the heap included.
 */
static int mr_lo_scan_area(struct mr_lo_search *s, unsigned long start,
			   unsigned long end, int cpu)
{
	unsigned long a, v, n, i, pages = 0;

	start = ALIGN(start, sizeof(long));
	for (a = start; a < end; a += n) {
		n = min(end - a, PAGE_SIZE - (a & ~PAGE_MASK));
		n &= ~(sizeof(long) - 1);
		if (!n)
			break;
		if (!(++pages & 15)) {
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
		if (copy_from_kernel_nofault(s->chunk, (void *)a, n))
			continue;
		s->scanned += n;
		for (i = 0; i < n / sizeof(long); i++) {
			v = s->chunk[i];
			if ((v >= s->mod_lo && v < s->mod_hi) ||
			    (v >= s->pcpu_lo && v < s->pcpu_hi) ||
			    (v >= s->win_lo && v < s->win_hi))
				mr_lo_root_hit(s, a + i * sizeof(long), v, cpu);
			else if (cpu >= 0 && (long)v < 0)
				mr_lo_timer_chain(s, a + i * sizeof(long), v);
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
		mr_lo_module_data(m, &start, &end);
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
	s->max_ranges = MR_LO_MOD_RANGES + num_possible_cpus();
	s->r = kvcalloc(s->max_ranges, sizeof(*s->r), GFP_KERNEL);
	s->win = kvcalloc(MR_LO_MAX_WINDOWS, sizeof(*s->win), GFP_KERNEL);
	if (!s->r || !s->win) {
		kvfree(s->r);
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
	kvfree(s->r);
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
	s->truncated = false;
	s->mod_hi = 0;
	s->pcpu_hi = 0;
	s->win_lo = ULONG_MAX;
	s->win_hi = 0;
	mr_lo_module_ranges(s);
	ret = mr_lo_scan_module(s);
	if (ret)
		return ret;
	mr_lo_scan_irqs(s);
	ret = mr_lo_scan_static(s);
	/* What the search could not follow to its end may hide the rest. */
	if (!ret && s->truncated)
		mr_lo_add(s, MODRESCUE_LEFTOVER_UNKNOWN, 0, 0,
			  "more than the search follows (heap objects, a list or an IRQ chain): it could not look at all of it");
	return ret;
}

/*
 * Look, and when nothing is found, look again after a grace period: a
 * timer or softirq hrtimer whose callback ran during the first look (and
 * re-armed it) is pending in the second (softirqs are RCU read-side
 * critical sections, on PREEMPT_RT too).
 */
static int mr_lo_search_twice(struct mr_lo_search *s)
{
	int ret = mr_lo_search_once(s);

	if (ret || s->found)
		return ret;
	synchronize_rcu();
	return mr_lo_search_once(s);
}

/* Serialises the undo (done without module_mutex) with PREPARE's freeing. */
static DEFINE_MUTEX(mr_lo_mutex);

int mr_leftovers_lock(void)
{
	return mutex_lock_killable(&mr_lo_mutex);
}

void mr_leftovers_unlock(void)
{
	mutex_unlock(&mr_lo_mutex);
}

int mr_leftovers_count(struct module *mod, char *first, size_t len)
{
	struct mr_lo_search *s;
	int ret;

	if (!mr_static.data_end)
		return -EOPNOTSUPP;
	s = mr_lo_alloc(mod);
	if (!s)
		return -ENOMEM;
	ret = mr_lo_search_twice(s);
	if (!ret)
		ret = s->found;
	if (ret > 0)
		strscpy(first, s->items[0].what, len);
	mr_lo_free(s);
	return ret;
}

/* An hrtimer's base is one of the kernel's per-CPU clock bases. */
static bool mr_lo_hrtimer_base_ok(const struct hrtimer *t)
{
	struct hrtimer_clock_base base;
	struct hrtimer_cpu_base *cpu_base;

	if (copy_from_kernel_nofault(&base, t->base, sizeof(base)) ||
	    base.index >= HRTIMER_MAX_CLOCK_BASES)
		return false;
	cpu_base = base.cpu_base;
	return (long)cpu_base < 0 &&
	       &cpu_base->clock_base[base.index] == t->base;
}

/* Cancel a work that may re-queue itself: a few tries, never waiting on it. */
static bool mr_lo_cancel_work(struct work_struct *w, bool delayed)
{
	int tries;

	for (tries = 0; tries < 10; tries++) {
		if (delayed)
			cancel_delayed_work(to_delayed_work(w));
		else
			cancel_work(w);
		if (!work_busy(w))
			return true;
		msleep(20);
	}
	return false;
}

static bool mr_lo_cancel_hrtimer(struct hrtimer *t)
{
	int tries;

	for (tries = 0; tries < 10; tries++) {
		if (hrtimer_try_to_cancel(t) >= 0)
			return true;
		msleep(20);
	}
	return false;
}

/*
 * Undo one leftover with the kernel's own exported call, after checking
 * again, on its current bytes, that it is what was found. Calls that do
 * not wait on a callback: one that is running is left to finish, and the
 * search that follows (after a grace period) sees it if it re-armed.
 */
static bool mr_lo_undo(struct mr_lo_search *s, struct mr_lo_item *it)
{
	void *obj = (void *)it->object;
	size_t size = sizeof(s->undo_copy);
	bool done;

	if (copy_from_kernel_nofault(s->undo_copy, obj, size))
		return false;
	s->in_module = mr_lo_in_mod(s, it->object);
	s->ncovered = 0;
	s->found = 0;
	switch (it->kind) {
	case MODRESCUE_LEFTOVER_TIMER:
		done = mr_lo_timer(s, it->object, s->undo_copy, size);
		if (done)
			timer_shutdown(obj);
		break;
	case MODRESCUE_LEFTOVER_HRTIMER:
		done = mr_lo_hrtimer(s, it->object, s->undo_copy, size) &&
		       mr_lo_hrtimer_base_ok((void *)s->undo_copy) &&
		       mr_lo_cancel_hrtimer(obj);
		break;
	case MODRESCUE_LEFTOVER_DELAYED_WORK:
		done = mr_lo_delayed_work(s, it->object, s->undo_copy, size) &&
		       mr_lo_cancel_work(obj, true);
		break;
	case MODRESCUE_LEFTOVER_WORK:
		done = mr_lo_work(s, it->object, s->undo_copy, size) &&
		       mr_lo_cancel_work(obj, false);
		break;
	case MODRESCUE_LEFTOVER_MISC:
		done = mr_lo_misc(s, it->object, s->undo_copy, size);
		if (done)
			misc_deregister(obj);
		break;
	case MODRESCUE_LEFTOVER_NOTIFIER:
		/*
		 * Only the chains with an exported unregister, which unlinks
		 * the block only if it finds it on that very chain.
		 */
		done = !unregister_reboot_notifier(obj) ||
		       !atomic_notifier_chain_unregister(&panic_notifier_list,
							 obj);
		break;
	default:
		done = false;
	}
	if (done) {
		pr_warn("%s: finish-exit: %s: undone (forced)\n", s->mod->name,
			it->what);
		add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
	}
	return done;
}

/* Undo every undoable item of ITEMS (N of them). */
static u32 mr_lo_finish(struct mr_lo_search *s, struct mr_lo_item *items,
			u32 n)
{
	u32 i, undone = 0;

	for (i = 0; i < n; i++)
		if ((items[i].flags & MODRESCUE_LEFTOVER_UNDOABLE) &&
		    mr_lo_undo(s, &items[i]))
			undone++;
	return undone;
}

static int mr_lo_copy_out(struct modrescue_leftovers *arg,
			  const struct mr_lo_search *s)
{
	struct modrescue_leftover __user *u = u64_to_user_ptr(arg->items);
	u32 i, n = min3(s->found, arg->cap, (u32)MR_LO_MAX_ITEMS);
	size_t stride = arg->item_size ? arg->item_size : sizeof(*u);
	struct modrescue_leftover e;

	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.kind = s->items[i].kind;
		e.flags = s->items[i].flags;
		e.object = mr_user_visible_ptr((void *)s->items[i].object);
		strscpy(e.what, s->items[i].what, sizeof(e.what));
		if (copy_to_user((void __user *)u + i * stride, &e, sizeof(e)))
			return -EFAULT;
	}
	return 0;
}

/* Only a COMING or GOING module that nobody uses: then nothing runs in it. */
static int mr_lo_check_users(struct module *mod)
{
	struct mr_users users = { .mod = mod };

	if (mr_find_users(&users))
		return -EAGAIN;
	return users.found ? -EBUSY : 0;
}

/*
 * Find NAME, in EXPECT_STATE, and search it; module_mutex is taken and
 * left held on success. The users are checked after the search, so a
 * work that ran during it is seen as a task in its code.
 */
static int mr_lo_search_module(struct modrescue_leftovers *arg,
			       struct mr_lo_search **sp, bool twice)
{
	struct mr_lo_search *s = *sp;
	struct module *mod;
	int ret = mutex_lock_killable(mr_module_mutex);

	if (ret)
		return ret;
	mod = mr_find_module(arg->name);
	if (!mod)
		ret = -ENOENT;
	else if (mod->state != arg->expect_state)
		ret = -ESTALE;
	if (!ret && !s) {
		s = mr_lo_alloc(mod);
		ret = s ? 0 : -ENOMEM;
		*sp = s;
	}
	if (!ret) {
		s->mod = mod;
		ret = twice ? mr_lo_search_twice(s) : mr_lo_search_once(s);
	}
	if (!ret)
		ret = mr_lo_check_users(mod);
	if (ret)
		mutex_unlock(mr_module_mutex);
	return ret;
}

long mr_ioctl_leftovers(struct modrescue_leftovers *arg)
{
	struct mr_lo_search *s = NULL;
	struct mr_lo_item *items = NULL;
	u64 t0 = ktime_get_ns();
	u32 n;
	long ret;

	BUILD_BUG_ON(sizeof(*arg) != MODRESCUE_LEFTOVERS_SIZE_V8);
	if ((arg->flags & ~MODRESCUE_LEFTOVERS_FINISH) || arg->reserved ||
	    (arg->item_size && arg->item_size < sizeof(struct modrescue_leftover)))
		return -EINVAL;
	arg->found = 0;
	arg->undone = 0;
	arg->scanned = 0;
	arg->nsecs = 0;
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
	ret = mr_leftovers_lock();
	if (ret)
		return ret;
	/* Callbacks queued with call_rcu() that may still run its code. */
	rcu_barrier();
	ret = mr_lo_search_module(arg, &s, true);
	if (ret)
		goto out;
	if ((arg->flags & MODRESCUE_LEFTOVERS_FINISH) && s->found) {
		/*
		 * Undone without module_mutex: an undo may wait on a lock or
		 * a callback that itself loads a module. The module stays:
		 * it is not LIVE, and PREPARE waits on mr_lo_mutex.
		 */
		n = min_t(u32, s->found, MR_LO_MAX_ITEMS);
		items = kmemdup(s->items, n * sizeof(*items), GFP_KERNEL);
		mutex_unlock(mr_module_mutex);
		if (!items) {
			ret = -ENOMEM;
			goto out;
		}
		arg->undone = mr_lo_finish(s, items, n);
		ret = mr_lo_search_module(arg, &s, true);
		if (ret)
			goto out;
	}
	arg->found = s->found;
	arg->scanned = s->scanned;
	mutex_unlock(mr_module_mutex);
	arg->nsecs = ktime_get_ns() - t0;
	ret = mr_lo_copy_out(arg, s);
out:
	mr_leftovers_unlock();
	kfree(items);
	mr_lo_free(s);
	return ret;
}
