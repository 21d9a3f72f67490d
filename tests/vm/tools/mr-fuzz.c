// SPDX-License-Identifier: GPL-2.0
/*
 * mr-fuzz: a seeded fuzzer for /dev/modrescue, run in the lab VM by the
 * helper-fuzz scenario while a real module is loaded and unloaded in a loop.
 *
 *   mr-fuzz [-s SEED] [-n CALLS] [-d SECONDS] [-j WORKERS] [-m MODULE]
 *           [-i MODULE] [-t SECONDS] [-v]
 *
 * Each call is a random ioctl on the device: a random or real command
 * number, size field, flags, edits, states, pids, module names and user
 * pointers (NULL, unmapped, kernel addresses, misaligned, cut short by a
 * PROT_NONE page, read-only). Only MODULE (the raced one), modrescue itself
 * (always refused) and names of no module are ever sent, and MODULE only
 * with requests that cannot change it: PREPARE_UNLOAD only when it is LIVE
 * and never CLEAR_EXIT, QUARANTINE only with a state it cannot be
 * quarantined in, UNBLOCK only as a dry run. The -i MODULE, one with live
 * users, is only ever inspected, so that the users it has are copied out
 * to all the pointers above.
 *
 * The dispatcher's answer is predicted exactly from the ABI (ENOTTY,
 * EFAULT, EINVAL, or "reaches the command"), and a few command answers are
 * known too (bad names are EINVAL, absent modules never succeed, a
 * read-only argument never succeeds, GET_VERSION reports this ABI), and
 * the helper may write back only into the caller's struct, and nothing at
 * all into one the dispatcher refused; anything else is a violation.
 *
 * WORKERS processes run at once, seeded SEED, SEED+1..., each for its share
 * of CALLS and for at least -d SECONDS (the race needs time more than
 * calls); "-s SEED -n N -j 1 -v" replays a worker's run call by call.
 * -t SECONDS kills workers that hang.
 *
 * Exits 0 only if every call returned (no worker was killed), no answer
 * broke the ABI, and a fresh open of the device still answers GET_VERSION
 * with this ABI at the end. Output lines start with "fuzz:".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uapi/modrescue.h>

#include "probe.h"

#define PAGE 4096u
/* Room for the largest size an ioctl number can encode, plus misalignment. */
#define IMG_MAX (1u << _IOC_SIZEBITS)
#define ARENA_PAGES 5u
#define ARENA_BYTES (ARENA_PAGES * PAGE)
#define MAX_WORKERS 8
#define MAX_PIDS 512
#define MAX_REPORTS 20
/* Errno values counted one by one; others are counted as "other". */
#define ERRNO_SLOTS 160
/* Bytes after the struct that the helper must never write. */
#define CANARY 0xa5
#define CANARY_LEN 64

/*
 * The real commands, indexed by their ioctl nr (0..9). LOCKWATCH (6) and
 * CONTAIN (9) are never sent: arming them hooks every spinlock entry point
 * (and panic()), which is not a fuzzer's business (lockwatch-basic and the
 * contain scenarios test them); their nrs are fuzzed as LOCKS.
 * LOCK_RELEASE (8) is: with lockwatch off it must refuse every call.
 */
static const struct {
	const char *name;
	unsigned long cmd;
	size_t min_size;
} cmds[] = {
	{ "version", MODRESCUE_IOC_GET_VERSION, MODRESCUE_VERSION_SIZE_V1 },
	{ "inspect", MODRESCUE_IOC_INSPECT, MODRESCUE_INSPECT_SIZE_V2 },
	{ "prepare", MODRESCUE_IOC_PREPARE_UNLOAD, MODRESCUE_PREPARE_SIZE_V2 },
	{ "unblock", MODRESCUE_IOC_UNBLOCK, MODRESCUE_UNBLOCK_SIZE_V3 },
	{ "quarantine", MODRESCUE_IOC_QUARANTINE,
	  MODRESCUE_QUARANTINE_SIZE_V3 },
	{ "repair_loader", MODRESCUE_IOC_REPAIR_LOADER,
	  MODRESCUE_REPAIR_LOADER_SIZE_V4 },
	{ "lockwatch", MODRESCUE_IOC_LOCKWATCH, MODRESCUE_LOCKWATCH_SIZE_V6 },
	{ "locks", MODRESCUE_IOC_LOCKS, MODRESCUE_LOCKS_SIZE_V6 },
	{ "lock_release", MODRESCUE_IOC_LOCK_RELEASE,
	  MODRESCUE_LOCK_RELEASE_SIZE_V7 },
	{ "contain", MODRESCUE_IOC_CONTAIN, MODRESCUE_CONTAIN_SIZE_V7 },
	{ "leftovers", MODRESCUE_IOC_LEFTOVERS, MODRESCUE_LEFTOVERS_SIZE_V8 },
};

#define NR_LOCKWATCH 6
#define NR_LOCKS 7
#define NR_CONTAIN 9

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* Every size an ABI version ever gave a struct, for any command. */
static const unsigned int old_sizes[] = {
	MODRESCUE_VERSION_SIZE_V1,	 MODRESCUE_INSPECT_SIZE_V2,
	MODRESCUE_PREPARE_SIZE_V2,	 MODRESCUE_PREPARE_SIZE_V5,
	MODRESCUE_UNBLOCK_SIZE_V3,	 MODRESCUE_QUARANTINE_SIZE_V3,
	MODRESCUE_REPAIR_LOADER_SIZE_V4, MODRESCUE_LOCKWATCH_SIZE_V6,
	MODRESCUE_LOCKS_SIZE_V6,	 MODRESCUE_LOCK_RELEASE_SIZE_V7,
	MODRESCUE_CONTAIN_SIZE_V7,	 MODRESCUE_LEFTOVERS_SIZE_V8,
	MODRESCUE_LOCKWATCH_SIZE_V9,	 MODRESCUE_CONTAIN_SIZE_V9,
};

enum ptr_kind {
	P_NORMAL,
	P_MISALIGNED,
	P_PAGE_END_EXACT, /* ends right before a PROT_NONE page */
	P_PAGE_END_SHORT, /* cut short by that page */
	P_RDONLY,
	P_NULL,
	P_LOW, /* below mmap_min_addr */
	P_PROT_NONE,
	P_KERNEL, /* the direct map */
	P_KERNEL_TEXT,
	P_NONCANON,
	P_TOP, /* wraps around the address space */
	P_COUNT
};

static const char *const ptr_names[] = {
	"normal", "misaligned", "page_end", "page_short", "rdonly",   "null",
	"low",	  "prot_none",	"kernel",   "ktext",	  "noncanon", "top",
};

enum name_kind {
	N_EMPTY,
	N_UNTERM, /* 64 bytes, no NUL */
	N_TOO_LONG, /* 56 characters: longer than the kernel allows */
	N_SELF, /* "modrescue" */
	N_MAX_LEN, /* 55 characters, no such module */
	N_ABSENT,
	N_QNAME, /* MODULE.qN and the like, no such module */
	N_ODD, /* MODULE with odd bytes: no such module */
	N_RACED,
	N_RACED_TAIL, /* MODULE, NUL, then garbage */
	N_WATCHED, /* the -i module: INSPECT only */
	N_COUNT
};

static const char *const name_names[] = {
	"empty", "unterminated", "too_long", "self",	   "max_len", "absent",
	"qname", "odd",		 "raced",    "raced_tail", "watched",
};

/* Names the helper must refuse with EINVAL whatever else is asked. */
static int name_is_bad(int nk)
{
	return nk == N_EMPTY || nk == N_UNTERM || nk == N_TOO_LONG ||
	       nk == N_SELF;
}

static int name_is_raced(int nk)
{
	return nk == N_RACED || nk == N_RACED_TAIL;
}

/* Names of no module at all: no command may succeed on them. */
static int name_is_absent(int nk)
{
	return nk == N_MAX_LEN || nk == N_ABSENT || nk == N_QNAME ||
	       nk == N_ODD;
}

/* Counters and the call in flight, per worker, shared with the parent. */
struct worker_stats {
	unsigned long calls, ok, reached, violations, other_errno;
	unsigned long errnos[ERRNO_SLOTS];
	unsigned long cmd_calls[NCMDS], cmd_reached[NCMDS], cmd_ok[NCMDS];
	unsigned long raced_reached, raced_ok, raced_enoent, raced_estale;
	unsigned long cur; /* index of the call in flight */
	unsigned long cur_cmd;
	unsigned int cur_usize;
	int cur_ptr, cur_name;
	int done;
};

struct call {
	unsigned long cmd;
	unsigned int nr; /* NCMDS when not a real command */
	unsigned int usize; /* the struct's size field */
	unsigned int len; /* bytes of the image that matter */
	int ptr_kind, name_kind;
	unsigned char *ptr;
	size_t readable; /* bytes readable at ptr */
	int writable;
	size_t placed; /* bytes of img put at ptr, to compare after */
	int canary; /* CANARY_LEN bytes of CANARY follow them */
	int aliased; /* INSPECT's users point into the struct's memory */
};

static struct {
	unsigned long calls;
	unsigned int min_secs;
	unsigned int workers;
	const char *module;
	const char *watched;
	int verbose;
	unsigned int timeout;
} opt = { .calls = 10000, .workers = 1, .module = "loop" };

static uint64_t rng;

/* splitmix64: small, and the same sequence on every machine. */
static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Always one draw, so that a replay follows the same path whatever n is. */
static uint32_t below(uint32_t n)
{
	uint64_t r = rnd();

	return n ? (uint32_t)(r % n) : 0;
}

static int one_in(uint32_t n)
{
	return below(n) == 0;
}

/* Memory the arguments live in. */
static unsigned char *arena; /* ARENA_PAGES read-write, then a guard page */
static unsigned char *guard;
static unsigned char *rw_alias; /* a memfd seen read-write... */
static unsigned char *ro_view; /* ...and read-only */
static unsigned char *users_buf; /* INSPECT's users, then a guard page */
static unsigned char *users_guard;
static unsigned char img[IMG_MAX + 8];

static pid_t pids[MAX_PIDS];
static unsigned int npids, nloaders;

/* Pids to aim at: the raced insmod/rmmod first, then everything else. */
static void refresh_pids(void)
{
	pid_t others[MAX_PIDS];
	unsigned int nothers = 0, i;
	struct dirent *de;
	DIR *d = opendir("/proc");

	npids = nloaders = 0;
	if (!d)
		return;
	while ((de = readdir(d)) != NULL && npids + nothers < MAX_PIDS) {
		char path[64], comm[32] = "";
		pid_t pid = atoi(de->d_name);
		FILE *f;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(comm, sizeof(comm), f))
				comm[0] = '\0';
			fclose(f);
		}
		if (!strncmp(comm, "insmod", 6) || !strncmp(comm, "rmmod", 5) ||
		    !strncmp(comm, "kmod", 4))
			pids[npids++] = pid;
		else
			others[nothers++] = pid;
	}
	closedir(d);
	nloaders = npids;
	for (i = 0; i < nothers; i++)
		pids[npids++] = others[i];
}

static int32_t pick_pid(void)
{
	switch (below(9)) {
	case 0:
		return 0;
	case 1:
		return -1;
	case 2:
		return getpid();
	case 3:
		return 1;
	case 4:
		return (int32_t)rnd();
	case 5:
		return INT32_MAX;
	case 6:
		if (nloaders)
			return pids[below(nloaders)];
		/* fall through */
	default:
		return npids ? pids[below(npids)] : getppid();
	}
}

static void random_bytes(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)rnd();
}

static uint32_t pick_state(void)
{
	static const uint32_t states[] = { MODRESCUE_STATE_LIVE,
					   MODRESCUE_STATE_COMING,
					   MODRESCUE_STATE_GOING,
					   MODRESCUE_STATE_UNFORMED,
					   4,
					   0xffffffffu };

	return one_in(8) ? (uint32_t)rnd() : states[below(6)];
}

/* Mostly a valid mask of known bits, sometimes one unknown bit or noise. */
static uint32_t pick_flags(uint32_t known)
{
	switch (below(6)) {
	case 0:
		return 1u << below(32);
	case 1:
		return (uint32_t)rnd();
	default:
		return (uint32_t)rnd() & known;
	}
}

static uint32_t pick_zero_mostly(void)
{
	return one_in(6) ? (uint32_t)rnd() | 1u : 0;
}

static void letters(char *p, size_t n)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = set[below(sizeof(set) - 1)];
}

/* Fill a MODRESCUE_NAME_LEN field with a name of kind nk. */
static void make_name(char *name, int nk)
{
	static const char *const absent[] = { "no_such_module",
					      "mr_fuzz_absent", "x" };
	const char *m = opt.module;
	size_t i;

	memset(name, 0, MODRESCUE_NAME_LEN);
	switch (nk) {
	case N_EMPTY:
		if (one_in(2))
			random_bytes((unsigned char *)name + 1,
				     MODRESCUE_NAME_LEN - 1);
		break;
	case N_UNTERM:
		letters(name, MODRESCUE_NAME_LEN);
		break;
	case N_TOO_LONG:
		memset(name, 'x', 56);
		break;
	case N_SELF:
		strcpy(name, "modrescue");
		break;
	case N_MAX_LEN:
		memset(name, 'z', 55);
		memcpy(name, "mrfz_", 5);
		break;
	case N_ABSENT:
		if (one_in(2)) {
			strcpy(name, absent[below(3)]);
		} else {
			memcpy(name, "mrfz_", 5);
			letters(name + 5, 1 + below(40));
		}
		break;
	case N_QNAME:
		snprintf(name, MODRESCUE_NAME_LEN, "%s.q%u",
			 one_in(3) ? "modrescue" : m, below(101));
		break;
	case N_ODD:
		switch (below(5)) {
		case 0:
			snprintf(name, MODRESCUE_NAME_LEN, "%s\n", m);
			break;
		case 1:
			snprintf(name, MODRESCUE_NAME_LEN, " %s", m);
			break;
		case 2:
			for (i = 0; i < MODRESCUE_NAME_LEN - 1 && m[i]; i++)
				name[i] = (char)toupper((unsigned char)m[i]);
			break;
		case 3:
			snprintf(name, MODRESCUE_NAME_LEN, "%s\xff", m);
			break;
		default:
			strcpy(name, "../..");
			break;
		}
		break;
	case N_WATCHED:
		snprintf(name, MODRESCUE_NAME_LEN, "%s", opt.watched);
		break;
	case N_RACED_TAIL:
		random_bytes((unsigned char *)name, MODRESCUE_NAME_LEN);
		/* fall through */
	default:
		snprintf(name, MODRESCUE_NAME_LEN, "%s", m);
		break;
	}
}

/* INSPECT's users pointer and where it points, as kinds like ptr_kind. */
static __u64 pick_users(unsigned char *self)
{
	switch (below(10)) {
	case 0:
		return 0;
	case 1:
		return (unsigned long)(users_buf + 1 + below(7));
	case 2: /* room for 0..3 entries before the guard page */
		return (unsigned long)(users_guard -
				       below(4) *
					       sizeof(struct modrescue_user));
	case 3:
		return (unsigned long)ro_view;
	case 4:
		return (unsigned long)users_guard;
	case 5:
		return 0xffff888000000000ull;
	case 6:
		return (unsigned long)self; /* the argument struct itself */
	case 7: /* never a user address: could be our own memory */
		return rnd() | (1ull << 63);
	default:
		return (unsigned long)users_buf;
	}
}

static uint32_t pick_users_cap(void)
{
	static const uint32_t caps[] = { 0,   1,   2,		16,
					 256, 257, 0x80000000u, 0xffffffffu };

	return one_in(8) ? (uint32_t)rnd() : caps[below(8)];
}

/*
 * The argument struct of command nr, at img. Fields are set whatever the
 * size, as the helper sees only the first usize bytes of them. Only the
 * safety rules at the end keep the raced module, and modrescue itself,
 * out of harm's way.
 */
static int make_struct(unsigned int nr, int nk, unsigned char *self)
{
	int raw = one_in(5); /* noise in every field the rules leave */
	int aliased = 0;

	switch (nr) {
	case 0: {
		struct modrescue_version v = { 0 };

		if (raw)
			random_bytes((unsigned char *)&v, sizeof(v));
		v.reserved = pick_zero_mostly();
		memcpy(img, &v, sizeof(v));
		break;
	}
	case 1: {
		struct modrescue_inspect in = { 0 };

		if (raw)
			random_bytes((unsigned char *)&in, sizeof(in));
		in.flags = pick_zero_mostly();
		in.reserved = pick_zero_mostly();
		make_name(in.name, nk);
		in.users = pick_users(self);
		in.users_cap = pick_users_cap();
		aliased = in.users == (unsigned long)self;
		memcpy(img, &in, sizeof(in));
		break;
	}
	case 2: {
		struct modrescue_prepare p = { 0 };

		if (raw)
			random_bytes((unsigned char *)&p, sizeof(p));
		p.edits = pick_flags(MODRESCUE_EDIT_ALL);
		p.flags = pick_flags(MODRESCUE_PREPARE_LEAKED);
		p.expect_state = pick_state();
		p.reserved = pick_zero_mostly();
		make_name(p.name, nk);
		/*
		 * On a LIVE module without users the edits that pass are a
		 * refcount reset to what it is and a taint; CLEAR_EXIT would
		 * make it unloadable, and COMING or GOING are not ours.
		 */
		if ((name_is_raced(nk) || nk == N_SELF) &&
		    !(p.edits & ~MODRESCUE_EDIT_ALL)) {
			p.edits &= ~MODRESCUE_EDIT_CLEAR_EXIT;
			p.expect_state = MODRESCUE_STATE_LIVE;
		}
		memcpy(img, &p, sizeof(p));
		break;
	}
	case 3: {
		struct modrescue_unblock u = { 0 };

		if (raw)
			random_bytes((unsigned char *)&u, sizeof(u));
		u.flags = pick_flags(MODRESCUE_UNBLOCK_DRY_RUN |
				     MODRESCUE_UNBLOCK_FORCE_STACK);
		u.pid = pick_pid();
		u.expect_state = pick_state();
		u.reserved[0] = pick_zero_mostly();
		u.reserved[1] = pick_zero_mostly();
		make_name(u.name, nk);
		/* Look, never complete anything the real module waits on. */
		if (name_is_raced(nk) || nk == N_SELF)
			u.flags |= MODRESCUE_UNBLOCK_DRY_RUN;
		memcpy(img, &u, sizeof(u));
		break;
	}
	case 4: {
		struct modrescue_quarantine q = { 0 };

		if (raw)
			random_bytes((unsigned char *)&q, sizeof(q));
		q.flags = pick_flags(MODRESCUE_QUARANTINE_NOLOAD);
		q.pid = pick_pid();
		q.expect_state = pick_state();
		make_name(q.name, nk);
		/* COMING or GOING would rename it while it loads or unloads. */
		if ((name_is_raced(nk) || nk == N_SELF) &&
		    (q.expect_state == MODRESCUE_STATE_COMING ||
		     q.expect_state == MODRESCUE_STATE_GOING))
			q.expect_state = one_in(2) ? MODRESCUE_STATE_LIVE :
						     MODRESCUE_STATE_UNFORMED;
		memcpy(img, &q, sizeof(q));
		break;
	}
	case 5: {
		struct modrescue_repair_loader r = { 0 };

		if (raw)
			random_bytes((unsigned char *)&r, sizeof(r));
		r.flags = pick_flags(MODRESCUE_REPAIR_DRY_RUN);
		r.reserved = pick_zero_mostly();
		memcpy(img, &r, sizeof(r));
		break;
	}
	case NR_LOCKS: {
		struct modrescue_locks l = { 0 };

		if (raw)
			random_bytes((unsigned char *)&l, sizeof(l));
		l.flags = pick_zero_mostly();
		l.entries = pick_users(self);
		l.cap = pick_users_cap();
		aliased = l.entries == (unsigned long)self;
		memcpy(img, &l, sizeof(l));
		break;
	}
	default:
		random_bytes(img, 64);
		break;
	}
	return aliased;
}

/* The struct's size field: every class of size the ABI has to judge. */
static unsigned int pick_usize(size_t ksize, size_t min_size)
{
	unsigned int room = MODRESCUE_MAX_ARG_SIZE - (unsigned int)ksize;

	switch (below(16)) {
	case 0:
		return 0;
	case 1:
		return below(4);
	case 2:
		return min_size > 4 ? 4 + below((uint32_t)min_size - 4) : 4;
	case 3:
		return old_sizes[below(sizeof(old_sizes) /
				       sizeof(old_sizes[0]))];
	case 4:
		return (unsigned int)min_size;
	case 5: /* larger, zero or non-zero tail: see make_call() */
	case 6:
		return (unsigned int)ksize + 1 + below(one_in(2) ? 16 : room);
	case 7:
		return MODRESCUE_MAX_ARG_SIZE;
	case 8:
		return MODRESCUE_MAX_ARG_SIZE + 1 +
		       below(IMG_MAX - 1 - MODRESCUE_MAX_ARG_SIZE);
	case 9:
		return below(IMG_MAX);
	default:
		return (unsigned int)ksize;
	}
}

static size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Put the image where ptr_kind says, and say what of it can be read. */
static void place(struct call *c)
{
	size_t avail;

	c->readable = SIZE_MAX;
	c->writable = 1;
	switch (c->ptr_kind) {
	case P_NORMAL:
	case P_MISALIGNED:
		c->ptr = arena +
			 (c->ptr_kind == P_MISALIGNED ? 1 + below(7) : 0);
		memcpy(c->ptr, img, c->len);
		memset(c->ptr + c->len, CANARY, CANARY_LEN);
		c->placed = c->len;
		c->canary = 1;
		return;
	case P_PAGE_END_EXACT:
	case P_PAGE_END_SHORT:
		avail = c->usize;
		if (c->ptr_kind == P_PAGE_END_SHORT)
			avail = one_in(3) ? below(5) : below(c->usize + 1);
		avail = min_sz(avail, ARENA_BYTES);
		c->ptr = guard - avail;
		c->placed = min_sz(avail, c->len);
		memcpy(c->ptr, img, c->placed);
		c->readable = avail;
		return;
	case P_RDONLY:
		memcpy(rw_alias, img, c->len);
		c->ptr = ro_view;
		c->writable = 0;
		return;
	default:
		break;
	}
	c->readable = 0;
	c->writable = 0;
	switch (c->ptr_kind) {
	case P_NULL:
		c->ptr = NULL;
		break;
	case P_LOW:
		c->ptr = (unsigned char *)0x1000ul;
		break;
	case P_PROT_NONE:
		c->ptr = guard + below(64);
		break;
	case P_KERNEL:
		c->ptr = (unsigned char *)0xffff888000000000ul;
		break;
	case P_KERNEL_TEXT:
		c->ptr = (unsigned char *)0xffffffff81000000ul;
		break;
	case P_NONCANON:
		c->ptr = (unsigned char *)(0x0000800000000000ul - below(3));
		break;
	default:
		c->ptr = (unsigned char *)(~0ul - below(8));
		break;
	}
}

static unsigned long make_cmd(unsigned int nr, unsigned int ioc_size)
{
	static const unsigned int dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE };
	unsigned int dir = _IOC_READ | _IOC_WRITE;

	if (one_in(10))
		dir = dirs[below(3)];
	return _IOC(dir, MODRESCUE_IOC_MAGIC, nr, ioc_size);
}

static void make_call(struct call *c)
{
	size_t ksize = 64, min_size = 4;
	unsigned int ioc_size;

	memset(c, 0, sizeof(*c));
	/* Mostly real commands; unknown ones, small and large, sometimes. */
	c->nr = one_in(8) ? (one_in(2) ? NCMDS + below(4) : below(256)) :
			    below(NCMDS);
	if (c->nr == NR_LOCKWATCH || c->nr == NR_CONTAIN)
		c->nr = NR_LOCKS;
	if (c->nr < NCMDS) {
		ksize = _IOC_SIZE(cmds[c->nr].cmd);
		min_size = cmds[c->nr].min_size;
	}
	c->usize = pick_usize(ksize, min_size);
	/* The ioctl number encodes a size too; it must agree, mostly does. */
	ioc_size = c->usize;
	if (ioc_size >= IMG_MAX || one_in(12))
		ioc_size = one_in(2) ? below(IMG_MAX) : (unsigned int)ksize;
	c->cmd = make_cmd(c->nr, ioc_size);
	c->len = c->usize;
	if (c->len < ioc_size)
		c->len = ioc_size;
	if (c->len < ksize)
		c->len = (unsigned int)ksize;
	memset(img, 0, c->len);

	c->name_kind = (int)below(N_COUNT);
	if (c->name_kind == N_WATCHED && (c->nr != 1 || !opt.watched))
		c->name_kind = N_ABSENT;
	c->ptr_kind = one_in(3) ? (int)below(P_COUNT) : P_NORMAL;
	/* Where the struct will be, for INSPECT's users pointing at it. */
	c->aliased = make_struct(c->nr, c->name_kind,
				 c->ptr_kind == P_RDONLY ? ro_view : arena);
	memcpy(img, &c->usize, sizeof(c->usize));
	/* A larger struct gets a non-zero tail now and then. */
	if (c->usize > ksize && one_in(3)) {
		unsigned int i = (unsigned int)ksize +
				 below(c->usize - (unsigned int)ksize);
		img[i] = (unsigned char)(1 + below(255));
	}
	place(c);
}

/* The dispatcher's answer, from the ABI alone: 0 if it runs the command. */
static int expect_dispatch(const struct call *c)
{
	size_t ksize;

	if (_IOC_TYPE(c->cmd) != MODRESCUE_IOC_MAGIC ||
	    _IOC_DIR(c->cmd) != (_IOC_READ | _IOC_WRITE) || c->nr >= NCMDS)
		return ENOTTY;
	if (c->readable < sizeof(__u32))
		return EFAULT;
	if (c->usize != _IOC_SIZE(c->cmd) || c->usize < cmds[c->nr].min_size ||
	    c->usize > MODRESCUE_MAX_ARG_SIZE)
		return EINVAL;
	ksize = _IOC_SIZE(cmds[c->nr].cmd);
	/* copy_struct_from_user(): the unknown tail must be zero, word by word. */
	if (c->usize > ksize) {
		size_t end = min_sz(c->usize, c->readable), i;

		for (i = ksize; i < end; i++)
			if (img[i])
				return EINVAL;
		if (c->readable < c->usize)
			return EFAULT;
	}
	if (c->readable < min_sz(c->usize, ksize))
		return EFAULT;
	return 0;
}

/* What a command that was run may not answer; NULL if the answer is fine. */
static const char *check_command(const struct call *c, int err)
{
	struct modrescue_version v;

	if (!err && !c->writable)
		return "success, but the result cannot have been copied out";
	if (c->nr == 0) {
		memcpy(&v, img, sizeof(v));
		if (v.reserved)
			return err == EINVAL ? NULL :
					       "reserved set: not EINVAL";
		if (c->writable && err)
			return "GET_VERSION failed";
		if (err)
			return err == EFAULT ? NULL : "read-only: not EFAULT";
		memcpy(&v, c->ptr, sizeof(v));
		if (v.abi_version != MODRESCUE_ABI_VERSION ||
		    v.min_abi_version < 1 ||
		    v.min_abi_version > MODRESCUE_ABI_VERSION ||
		    v.size != sizeof(v))
			return "GET_VERSION answered a wrong version";
		return NULL;
	}
	if (c->nr > 4)
		return NULL;
	if (name_is_bad(c->name_kind) && err != EINVAL)
		return "bad name or modrescue itself: not EINVAL";
	if (name_is_absent(c->name_kind) && !err)
		return "success on a module that does not exist";
	return NULL;
}

/*
 * The helper writes back no more than the caller's struct, and nothing at
 * all when the dispatcher refuses it.
 */
static const char *check_untouched(const struct call *c, int want)
{
	size_t from = 0, i;

	if (c->aliased || !c->placed)
		return NULL;
	if (!want)
		from = min_sz(c->usize, _IOC_SIZE(cmds[c->nr].cmd));
	if (from < c->placed &&
	    memcmp(c->ptr + from, img + from, c->placed - from))
		return want ? "a refused argument was written to" :
			      "written past the caller's struct";
	for (i = 0; c->canary && i < CANARY_LEN; i++)
		if (c->ptr[c->placed + i] != CANARY)
			return "written past the caller's struct";
	return NULL;
}

static void describe(char *buf, size_t n, const struct call *c)
{
	snprintf(
		buf, n,
		"cmd=%#lx (nr %u %s, dir %u, ioc size %u) size=%u ptr=%s name=%s",
		c->cmd, c->nr, c->nr < NCMDS ? cmds[c->nr].name : "unknown",
		(unsigned int)_IOC_DIR(c->cmd), (unsigned int)_IOC_SIZE(c->cmd),
		c->usize, ptr_names[c->ptr_kind], name_names[c->name_kind]);
}

static const char *errname(int err)
{
	return err ? probe_errname(err) : "ok";
}

static void count(struct worker_stats *st, const struct call *c, int err,
		  int reached)
{
	st->calls++;
	if (!err)
		st->ok++;
	else if (err < ERRNO_SLOTS)
		st->errnos[err]++;
	else
		st->other_errno++;
	if (c->nr < NCMDS)
		st->cmd_calls[c->nr]++;
	if (!reached)
		return;
	st->reached++;
	st->cmd_reached[c->nr]++;
	st->cmd_ok[c->nr] += !err;
	if (name_is_raced(c->name_kind) && c->nr >= 1 && c->nr <= 4) {
		st->raced_reached++;
		st->raced_ok += !err;
		st->raced_enoent += err == ENOENT;
		st->raced_estale += err == ESTALE;
	}
}

static int setup_memory(void)
{
	int mfd;

	arena = mmap(NULL, ARENA_BYTES + PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	users_buf = mmap(NULL, ARENA_BYTES + PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || users_buf == MAP_FAILED)
		return -1;
	guard = arena + ARENA_BYTES;
	users_guard = users_buf + ARENA_BYTES;
	if (mprotect(guard, PAGE, PROT_NONE) ||
	    mprotect(users_guard, PAGE, PROT_NONE))
		return -1;
	mfd = memfd_create("mr-fuzz", 0);
	if (mfd < 0 || ftruncate(mfd, ARENA_BYTES))
		return -1;
	rw_alias = mmap(NULL, ARENA_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
			mfd, 0);
	ro_view = mmap(NULL, ARENA_BYTES, PROT_READ, MAP_SHARED, mfd, 0);
	close(mfd);
	return rw_alias == MAP_FAILED || ro_view == MAP_FAILED ? -1 : 0;
}

/* One call, judged and counted; a line for it when verbose or wrong. */
static void one_call(int fd, unsigned int w, unsigned long i,
		     struct worker_stats *st)
{
	const char *bad = NULL;
	struct call c;
	int want, err;

	make_call(&c);
	st->cur = i;
	st->cur_cmd = c.cmd;
	st->cur_usize = c.usize;
	st->cur_ptr = c.ptr_kind;
	st->cur_name = c.name_kind;
	want = expect_dispatch(&c);
	err = ioctl(fd, c.cmd, c.ptr) < 0 ? errno : 0;
	if (want && err != want)
		bad = "the dispatcher's answer breaks the ABI";
	else if (!want)
		bad = check_command(&c, err);
	if (!bad)
		bad = check_untouched(&c, want);
	count(st, &c, err, !want);
	st->violations += bad != NULL;
	if (opt.verbose || bad) {
		char desc[200];

		describe(desc, sizeof(desc), &c);
		printf("fuzz: %s#%lu.%u %s -> %s (dispatcher: %s)%s%s\n",
		       bad ? "VIOLATION " : "", i, w, desc, errname(err),
		       want ? errname(want) : "runs it", bad ? ": " : "",
		       bad ? bad : "");
	}
}

static int worker(unsigned int w, uint64_t seed, unsigned long calls,
		  struct worker_stats *st)
{
	time_t end = time(NULL) + opt.min_secs;
	unsigned long i;
	int fd;

	rng = seed;
	/* Per worker: the memfd behind the read-only view would be shared. */
	if (setup_memory()) {
		printf("fuzz: worker %u: memory setup: %s\n", w,
		       strerror(errno));
		return 1;
	}
	fd = open(MODRESCUE_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		printf("fuzz: worker %u: %s: %s\n", w, MODRESCUE_DEVICE_PATH,
		       strerror(errno));
		return 1;
	}
	for (i = 0; i < calls || time(NULL) < end; i++) {
		if (i % 128 == 0)
			refresh_pids();
		one_call(fd, w, i, st);
		/* Enough to go on; the rest would only repeat it. */
		if (st->violations >= MAX_REPORTS && !opt.verbose)
			break;
	}
	close(fd);
	st->done = 1;
	return 0;
}

/* A fresh open, one plain GET_VERSION: does the helper still answer? */
static int final_version(void)
{
	struct modrescue_version v = { .size = sizeof(v) };
	int fd = open(MODRESCUE_DEVICE_PATH, O_RDWR);
	int ret;

	if (fd < 0) {
		printf("fuzz: final GET_VERSION: open: %s\n", strerror(errno));
		return -1;
	}
	ret = ioctl(fd, MODRESCUE_IOC_GET_VERSION, &v);
	close(fd);
	if (ret < 0) {
		printf("fuzz: final GET_VERSION: %s\n", probe_errname(errno));
		return -1;
	}
	printf("fuzz: final GET_VERSION: ABI %u (min %u), expected %d\n",
	       v.abi_version, v.min_abi_version, MODRESCUE_ABI_VERSION);
	return v.abi_version == MODRESCUE_ABI_VERSION ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void summary(const struct worker_stats *st, unsigned int n, double secs)
{
	struct worker_stats t = { 0 };
	unsigned int w;
	size_t i;

	for (w = 0; w < n; w++) {
		t.calls += st[w].calls;
		t.ok += st[w].ok;
		t.reached += st[w].reached;
		t.violations += st[w].violations;
		t.other_errno += st[w].other_errno;
		for (i = 0; i < ERRNO_SLOTS; i++)
			t.errnos[i] += st[w].errnos[i];
		for (i = 0; i < NCMDS; i++) {
			t.cmd_calls[i] += st[w].cmd_calls[i];
			t.cmd_reached[i] += st[w].cmd_reached[i];
			t.cmd_ok[i] += st[w].cmd_ok[i];
		}
		t.raced_reached += st[w].raced_reached;
		t.raced_ok += st[w].raced_ok;
		t.raced_enoent += st[w].raced_enoent;
		t.raced_estale += st[w].raced_estale;
	}
	printf("fuzz: %lu calls, %lu ok, errno counts", t.calls, t.ok);
	for (i = 1; i < ERRNO_SLOTS; i++)
		if (t.errnos[i])
			printf(" %s=%lu", probe_errname((int)i), t.errnos[i]);
	if (t.other_errno)
		printf(" other=%lu", t.other_errno);
	printf(", %lu violations\n", t.violations);
	printf("fuzz: run by the command (calls/ok):");
	for (i = 0; i < NCMDS; i++)
		printf(" %s %lu/%lu", cmds[i].name, t.cmd_reached[i],
		       t.cmd_ok[i]);
	printf(", %lu in all\n", t.reached);
	printf("fuzz: on %s: %lu run, %lu ok, %lu ENOENT, %lu ESTALE\n",
	       opt.module, t.raced_reached, t.raced_ok, t.raced_enoent,
	       t.raced_estale);
	printf("fuzz: %lu calls in %.1f s (%.0f/s)\n", t.calls, secs,
	       secs > 0 ? (double)t.calls / secs : 0.0);
}

static struct worker_stats *stats;
static pid_t workers[MAX_WORKERS];
static volatile sig_atomic_t timed_out;

static void on_timeout(int sig)
{
	unsigned int w;

	(void)sig;
	timed_out = 1;
	for (w = 0; w < opt.workers; w++)
		if (workers[w] > 0)
			kill(workers[w], SIGKILL);
}

static const char usage[] =
	"usage: mr-fuzz [-s SEED] [-n CALLS] [-d SECONDS] [-j WORKERS] [-m MODULE] [-i MODULE] [-t SECONDS] [-v]\n";

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	unsigned int w;
	int c, status, failed = 0;
	char desc[200];
	struct call cur;
	double t0;

	while ((c = getopt(argc, argv, "s:n:d:j:m:i:t:v")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			opt.calls = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			opt.min_secs = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'j':
			opt.workers = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'm':
			opt.module = optarg;
			break;
		case 'i':
			opt.watched = optarg;
			break;
		case 't':
			opt.timeout = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'v':
			opt.verbose = 1;
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind != argc || !opt.workers || opt.workers > MAX_WORKERS ||
	    !*opt.module || strlen(opt.module) > 50 ||
	    (opt.watched && strlen(opt.watched) >= MODRESCUE_NAME_LEN)) {
		fputs(usage, stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	stats = mmap(NULL, sizeof(*stats) * opt.workers, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stats == MAP_FAILED) {
		perror("fuzz: mmap");
		return 1;
	}
	printf("fuzz: seed %llu, %lu calls, at least %u s, %u worker(s), raced module %s\n",
	       (unsigned long long)seed, opt.calls, opt.min_secs, opt.workers,
	       opt.module);
	t0 = now();

	for (w = 0; w < opt.workers; w++) {
		/* Worker w replays alone with -s SEED+w. */
		unsigned long share =
			opt.calls / opt.workers + (w < opt.calls % opt.workers);

		workers[w] = fork();
		if (workers[w] < 0) {
			perror("fuzz: fork");
			return 1;
		}
		if (!workers[w])
			_exit(worker(w, seed + w, share, &stats[w]));
	}
	signal(SIGALRM, on_timeout);
	alarm(opt.timeout);
	for (w = 0; w < opt.workers; w++) {
		while (waitpid(workers[w], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && !WEXITSTATUS(status) && stats[w].done)
			continue;
		failed = 1;
		memset(&cur, 0, sizeof(cur));
		cur.cmd = stats[w].cur_cmd;
		cur.nr = _IOC_NR(cur.cmd) < NCMDS ? _IOC_NR(cur.cmd) : NCMDS;
		cur.usize = stats[w].cur_usize;
		cur.ptr_kind = stats[w].cur_ptr;
		cur.name_kind = stats[w].cur_name;
		describe(desc, sizeof(desc), &cur);
		if (WIFSIGNALED(status))
			printf("fuzz: worker %u (seed %llu) killed by signal %d%s in call #%lu: %s\n",
			       w, (unsigned long long)(seed + w),
			       WTERMSIG(status), timed_out ? " (timeout)" : "",
			       stats[w].cur, desc);
		else
			printf("fuzz: worker %u (seed %llu) stopped early (exit %d) at call #%lu\n",
			       w, (unsigned long long)(seed + w),
			       WEXITSTATUS(status), stats[w].cur);
	}
	alarm(0);
	summary(stats, opt.workers, now() - t0);
	for (w = 0; w < opt.workers; w++)
		failed |= stats[w].violations > 0;
	if (final_version())
		failed = 1;
	printf("fuzz: %s\n", failed ? "FAILED" : "passed");
	return failed;
}
