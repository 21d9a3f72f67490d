// SPDX-License-Identifier: GPL-2.0
#include "taskscan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsread.h"
#include "procparse.h"

/* A kernel stack is at most a few dozen frames of ~80 bytes. */
#define STACK_MAX (64u << 10)

void mr_task_free(struct mr_task *t)
{
	free(t->target);
	free(t->wchan);
	mr_strv_free(t->stack, t->n_stack);
	mr_strv_free(t->cmd_mods, t->n_cmd_mods);
	memset(t, 0, sizeof(*t));
}

static bool parse_id(const char *s, int *out)
{
	long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return false;
	}
	*out = (int)v;
	return true;
}

static bool denied(ssize_t err)
{
	return err == -EACCES || err == -EPERM;
}

static bool any_module_frame(char **frames, size_t n)
{
	char m[MR_MODNAME_LEN];
	size_t i;

	for (i = 0; i < n; i++)
		if (mr_frame_module(frames[i], m, sizeof(m)))
			return true;
	return false;
}

/* The module syscalls' numbers for ia32 tasks, and x32's flag bit. */
#define MR_NR_IA32_INIT_MODULE 128
#define MR_NR_IA32_DELETE_MODULE 129
#define MR_NR_IA32_FINIT_MODULE 350
#define MR_X32_SYSCALL_BIT 0x40000000L

/* The module syscalls: a frame name of each, its x86-64 and ia32 numbers. */
static const struct module_syscall {
	const char *frame;
	long x64, ia32;
} module_syscalls[] = {
	{ "sys_delete_module", MR_NR_DELETE_MODULE, MR_NR_IA32_DELETE_MODULE },
	{ "sys_finit_module", MR_NR_FINIT_MODULE, MR_NR_IA32_FINIT_MODULE },
	{ "sys_init_module", MR_NR_INIT_MODULE, MR_NR_IA32_INIT_MODULE },
};

/*
 * The module load/unload syscall the stack shows (__do_sys_delete_module,
 * __x64_sys_finit_module, ...), or NULL.
 */
static const struct module_syscall *module_syscall_frame(char **frames,
							 size_t n)
{
	size_t i, c;

	for (i = 0; i < n; i++)
		for (c = 0;
		     c < sizeof(module_syscalls) / sizeof(module_syscalls[0]);
		     c++)
			if (strstr(frames[i], module_syscalls[c].frame))
				return &module_syscalls[c];
	return NULL;
}

/*
 * The module syscall a task is in, in x86-64 numbers, from the number
 * /proc/PID/syscall gave and the stack's frame names, read a moment apart:
 * only a frame naming the syscall that the number is in one of the ABIs
 * (x86-64, x32, ia32) changes it. An ia32 task's number is i386's (129 is
 * delete_module there, rt_sigqueueinfo here). *ia32 says whether it was.
 */
static long module_syscall_nr(char **frames, size_t n, long nr, bool *ia32)
{
	const struct module_syscall *call = module_syscall_frame(frames, n);

	*ia32 = false;
	if (!call)
		return nr;
	if ((nr & ~MR_X32_SYSCALL_BIT) == call->x64)
		return call->x64;
	if (nr == call->ia32) {
		*ia32 = true;
		return call->x64;
	}
	return nr;
}

/* delete_module's name argument, from the task's memory. */
static char *read_name_arg(int pid, int tid, unsigned long addr)
{
	char path[64], buf[MR_MODNAME_LEN];
	ssize_t n;
	int fd;

	if (!addr || addr > (unsigned long)LONG_MAX - sizeof(buf))
		return NULL;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/mem", pid, tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = pread(fd, buf, sizeof(buf), (off_t)addr);
	close(fd);
	if (n <= 0 || !memchr(buf, '\0', (size_t)n))
		return NULL;
	if (!mr_modname_is_safe(buf))
		return NULL;
	return strdup(buf);
}

/* finit_module's fd argument, through the fd table. */
static char *read_fd_arg(int pid, unsigned long fdnum)
{
	char path[64], target[PATH_MAX], name[MR_MODNAME_LEN];
	ssize_t n;

	if (fdnum > INT_MAX)
		return NULL;
	snprintf(path, sizeof(path), "/proc/%d/fd/%lu", pid, fdnum);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return NULL;
	target[n] = '\0';
	if (!mr_modname_from_path(target, name, sizeof(name)))
		return NULL;
	return strdup(name);
}

struct scan_ctx {
	struct mr_diag *d;
	double uptime; /* < 0: unknown */
	long clk_tck;
};

static void fill_details(const struct scan_ctx *sc, int pid, int tid,
			 const unsigned long args[6], struct mr_task *t)
{
	char path[64], buf[512];
	unsigned long long start;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	if (mr_read_small(path, t->comm, sizeof(t->comm)) > 0)
		mr_chomp(t->comm);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", pid, tid);
	if (mr_read_small(path, buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	mr_chomp(buf);
	t->wchan = strdup(buf);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if (mr_read_small(path, buf, sizeof(buf)) > 0) {
		/* A garbled stat still gives what it could. */
		char comm[MR_COMM_LEN];
		int bad = mr_parse_stat(buf, &t->state, &start, comm,
					sizeof(comm));

		if (!t->comm[0])
			snprintf(t->comm, sizeof(t->comm), "%s", comm);
		if (!bad && sc->uptime >= 0 && sc->clk_tck > 0) {
			double age = sc->uptime - (double)start / sc->clk_tck;

			t->age_s = age < 0 ? 0 : (long)age;
		}
	}
	if (t->syscall == MR_NR_DELETE_MODULE)
		t->target = read_name_arg(pid, tid, args[0]);
	else if (t->syscall == MR_NR_FINIT_MODULE)
		t->target = read_fd_arg(pid, args[0]);
}

/* The module names on an on-CPU task's command line. */
static int read_cmd_mods(int pid, struct mr_task *t)
{
	char path[64], *text = NULL;
	ssize_t n;
	int k;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = mr_read_all(path, 64u << 10, &text);
	if (n <= 0) {
		free(text);
		return 0;
	}
	k = mr_parse_cmdline_modules(text, (size_t)n, &t->cmd_mods);
	free(text);
	if (k < 0)
		return k;
	t->n_cmd_mods = (size_t)k;
	return 0;
}

/* Read one thread; add it to the diagnosis if it matters. */
static int scan_thread(struct scan_ctx *sc, int pid, int tid)
{
	struct mr_diag *d = sc->d;
	unsigned long args[6];
	char path[64], buf[512];
	char *text = NULL, **frames = NULL;
	struct mr_task t, *nt;
	int nframes = 0;
	bool ia32;
	ssize_t n;
	long nr;

	d->tasks_scanned++;
	memset(&t, 0, sizeof(t));
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", pid, tid);
	n = mr_read_all(path, STACK_MAX, &text);
	if (n >= 0) {
		nframes = mr_parse_stack(text, &frames);
		free(text);
		if (nframes < 0)
			return -ENOMEM;
		t.stack_known = true;
	} else if (denied(n)) {
		d->tasks_denied = true;
	}
	/*
	 * A readable stack without module frames or a module syscall frame
	 * settles it: most tasks need one read, not two.
	 */
	buf[0] = '\0';
	if (!nframes || any_module_frame(frames, (size_t)nframes) ||
	    module_syscall_frame(frames, (size_t)nframes)) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid,
			 tid);
		if (mr_read_small(path, buf, sizeof(buf)) < 0)
			buf[0] = '\0';
	}
	mr_parse_syscall(buf, &nr, args);
	nr = module_syscall_nr(frames, (size_t)nframes, nr, &ia32);
	/* An ia32 syscall reads a 32-bit pointer, whatever the rest holds. */
	if (ia32)
		args[0] &= 0xffffffffUL;
	/* On a CPU, the kernel hides the stack: go by the command line. */
	t.on_cpu = mr_syscall_is_running(buf) && nframes == 0;
	if (t.on_cpu && read_cmd_mods(pid, &t)) {
		mr_strv_free(frames, (size_t)nframes);
		return -ENOMEM;
	}
	if (!any_module_frame(frames, (size_t)nframes) &&
	    nr != MR_NR_INIT_MODULE && nr != MR_NR_FINIT_MODULE &&
	    nr != MR_NR_DELETE_MODULE && !t.n_cmd_mods) {
		mr_strv_free(frames, (size_t)nframes);
		return 0;
	}
	t.pid = tid;
	t.tgid = pid;
	t.state = '?';
	t.syscall = nr;
	t.age_s = -1;
	t.stack = frames;
	t.n_stack = (size_t)nframes;
	fill_details(sc, pid, tid, args, &t);
	if (!t.wchan) {
		mr_task_free(&t);
		return -ENOMEM;
	}
	nt = realloc(d->tasks, (d->n_tasks + 1) * sizeof(*nt));
	if (!nt) {
		mr_task_free(&t);
		return -ENOMEM;
	}
	nt[d->n_tasks++] = t;
	d->tasks = nt;
	return 0;
}

static int scan_process(struct scan_ctx *sc, int pid)
{
	char path[64];
	struct dirent *de;
	DIR *dir;
	int tid, err = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return 0; /* gone, or not a process */
	while (!err && (de = readdir(dir)) != NULL)
		if (parse_id(de->d_name, &tid))
			err = scan_thread(sc, pid, tid);
	closedir(dir);
	return err;
}

int mr_tasks_scan(struct mr_diag *d)
{
	struct scan_ctx sc = { .d = d, .uptime = -1 };
	struct dirent *de;
	char buf[128];
	DIR *proc;
	int pid, err = 0;

	if (mr_read_small("/proc/uptime", buf, sizeof(buf)) > 0 &&
	    mr_parse_uptime(buf, &sc.uptime))
		sc.uptime = -1;
	sc.clk_tck = sysconf(_SC_CLK_TCK);
	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while (!err && (de = readdir(proc)) != NULL)
		if (parse_id(de->d_name, &pid))
			err = scan_process(&sc, pid);
	closedir(proc);
	return err;
}

/* Does an fd target name a device of module MOD: /dev/MOD or /dev/MODn? */
static bool device_of(const char *target, const char *mod)
{
	const char *base = strrchr(target, '/');
	size_t n = strlen(mod);

	if (strncmp(target, "/dev/", 5) || !base)
		return false;
	base++;
	if (strncmp(base, mod, n))
		return false;
	for (base += n; *base; base++)
		if (!isdigit((unsigned char)*base))
			return false;
	return true;
}

static bool wants_openers(const struct mr_module *m)
{
	return m->state == MR_STATE_LIVE && m->refcnt_known &&
	       m->refcnt > (long)m->n_holders;
}

static int add_opener(struct mr_module *m, int pid, const char *comm, int fd,
		      const char *target)
{
	struct mr_opener *no;

	no = realloc(m->openers, (m->n_openers + 1) * sizeof(*no));
	if (!no)
		return -ENOMEM;
	m->openers = no;
	no += m->n_openers;
	memset(no, 0, sizeof(*no));
	no->pid = pid;
	no->fd = fd;
	snprintf(no->comm, sizeof(no->comm), "%s", comm);
	no->path = strdup(target);
	if (!no->path)
		return -ENOMEM;
	m->n_openers++;
	return 0;
}

static int scan_fds(struct mr_diag *d, int pid)
{
	char path[64], link[80], target[PATH_MAX], comm[MR_COMM_LEN] = "";
	struct dirent *de;
	DIR *dir;
	int fd, err = 0;
	size_t i;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	dir = opendir(path);
	if (!dir) {
		if (errno == EACCES || errno == EPERM)
			d->openers_denied = true;
		return 0;
	}
	while (!err && (de = readdir(dir)) != NULL) {
		ssize_t n;

		if (!parse_id(de->d_name, &fd))
			continue;
		snprintf(link, sizeof(link), "%s/%d", path, fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		for (i = 0; i < d->n_mods && !err; i++) {
			struct mr_module *m = &d->mods[i];

			if (!wants_openers(m) || !device_of(target, m->name))
				continue;
			if (!comm[0]) {
				char cpath[64];

				snprintf(cpath, sizeof(cpath), "/proc/%d/comm",
					 pid);
				if (mr_read_small(cpath, comm, sizeof(comm)) <
				    0)
					snprintf(comm, sizeof(comm), "?");
				mr_chomp(comm);
			}
			err = add_opener(m, pid, comm, fd, target);
		}
	}
	closedir(dir);
	return err;
}

int mr_openers_scan(struct mr_diag *d)
{
	struct dirent *de;
	DIR *proc;
	size_t i;
	int pid, err = 0;
	bool any = false;

	for (i = 0; i < d->n_mods; i++)
		any = any || wants_openers(&d->mods[i]);
	d->openers_scanned = true;
	if (!any)
		return 0;
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while (!err && (de = readdir(proc)) != NULL)
		if (parse_id(de->d_name, &pid))
			err = scan_fds(d, pid);
	closedir(proc);
	return err;
}
