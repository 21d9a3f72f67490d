// SPDX-License-Identifier: GPL-2.0
#include "helper_load.h"

#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kallsyms.h"
#include "privilege.h"
#include "uapi/modrescue.h"

/*
 * DKMS compresses the module as the kernel's own are (xz on Debian's 6.12),
 * so the helper may be modrescue.ko.xz; libkmod reads .zst and .gz too.
 */
static const char *const helper_files[] = { "modrescue.ko", "modrescue.ko.xz",
					    "modrescue.ko.zst",
					    "modrescue.ko.gz" };

int mr_helper_path(char *buf, size_t len)
{
	static const char *const dirs[] = { "extra", "updates/dkms" };
	const char *env = getenv("MODRESCUE_HELPER");
	struct utsname uts;
	size_t i, j;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return access(buf, R_OK) ? -ENOENT : 0;
	}
	if (uname(&uts))
		return -errno;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		for (j = 0; j < sizeof(helper_files) / sizeof(helper_files[0]);
		     j++) {
			snprintf(buf, len, "/lib/modules/%s/%s/%s", uts.release,
				 dirs[i], helper_files[j]);
			if (!access(buf, R_OK))
				return 0;
		}
	}
	return -ENOENT;
}

/*
 * Where the kernel's .bss ends for the leftover search: x86 ends it with
 * .bss..decrypted, whose unused part is handed back to the page allocator
 * at boot (without memory encryption), so it holds anything at all.
 */
static unsigned long bss_end(const struct mr_ksym *bss_stop,
			     const struct mr_ksym *decrypted)
{
	if (!decrypted->err && decrypted->addr < bss_stop->addr)
		return decrypted->addr;
	return bss_stop->addr;
}

/*
 * The symbols the helper is given, found in one pass over /proc/kallsyms:
 * 'modules' and 'module_mutex' always; 'idem_hash' and 'idem_lock' (the
 * idempotent-load table, 6.4+) both or neither, since older kernels have
 * no such table and the helper then simply cannot mend it; 'super_blocks'
 * and 'sb_lock' both or neither; 'rtnl_mutex' if there is one (panic
 * containment never parks a task holding it). *idem_table says whether
 * the kernel has the table.
 */
static int lookup_symbols(char *opts, size_t len, bool *idem_table, char *why,
			  size_t why_len)
{
	struct mr_ksym syms[] = {
		{ .name = "modules" },
		{ .name = "module_mutex" },
		{ .name = "idem_hash" },
		{ .name = "idem_lock" },
		{ .name = "super_blocks" },
		{ .name = "sb_lock" },
		{ .name = "_sdata" },
		{ .name = "_edata" },
		{ .name = "__bss_start" },
		{ .name = "__bss_stop" },
		{ .name = "__per_cpu_start", .percpu = 1 },
		{ .name = "__per_cpu_end", .percpu = 1 },
		{ .name = "__start_bss_decrypted" },
		{ .name = "rtnl_mutex" },
	};
	size_t n;
	FILE *f;
	int ret;

	f = fopen("/proc/kallsyms", "re");
	if (!f) {
		ret = -errno;
		snprintf(why, why_len, "cannot read /proc/kallsyms: %s",
			 strerror(-ret));
		return ret;
	}
	mr_kallsyms_find_data_many(f, syms, sizeof(syms) / sizeof(syms[0]));
	fclose(f);
	ret = syms[0].err ? syms[0].err : syms[1].err;
	if (ret == -EPERM) {
		snprintf(
			why, why_len,
			"/proc/kallsyms hides addresses (run as root; check kernel.kptr_restrict)");
		return ret;
	}
	if (ret) {
		snprintf(
			why, why_len,
			"/proc/kallsyms has no 'modules' or 'module_mutex' (CONFIG_KALLSYMS_ALL=n?)");
		return ret;
	}
	n = (size_t)snprintf(opts, len,
			     "modules_addr=0x%lx module_mutex_addr=0x%lx",
			     syms[0].addr, syms[1].addr);
	*idem_table = !syms[2].err && !syms[3].err;
	if (*idem_table && n < len)
		n += (size_t)snprintf(
			opts + n, len - n,
			" idem_hash_addr=0x%lx idem_lock_addr=0x%lx",
			syms[2].addr, syms[3].addr);
	/* Without them the helper sees no mounts in other namespaces. */
	if (!syms[4].err && !syms[5].err && n < len)
		n += (size_t)snprintf(
			opts + n, len - n,
			" super_blocks_addr=0x%lx sb_lock_addr=0x%lx",
			syms[4].addr, syms[5].addr);
	/*
	 * Without them the helper cannot look for what a crashed exit left
	 * registered, and never frees such a module.
	 */
	if (!syms[6].err && !syms[7].err && !syms[8].err && !syms[9].err &&
	    !syms[10].err && !syms[11].err && n < len)
		n += (size_t)snprintf(
			opts + n, len - n,
			" sdata_addr=0x%lx edata_addr=0x%lx"
			" bss_start_addr=0x%lx bss_stop_addr=0x%lx"
			" per_cpu_start_addr=0x%lx per_cpu_end_addr=0x%lx",
			syms[6].addr, syms[7].addr, syms[8].addr,
			bss_end(&syms[9], &syms[12]), syms[10].addr,
			syms[11].addr);
	/* Without it a panic holding rtnl is not seen to hold it. */
	if (!syms[13].err && n < len)
		snprintf(opts + n, len - n, " rtnl_mutex_addr=0x%lx",
			 syms[13].addr);
	return 0;
}

static void explain_insert_error(int err, const char *path, char *why,
				 size_t why_len)
{
	switch (-err) {
	case EKEYREJECTED:
	case ENOKEY:
	case EBADMSG:
		snprintf(
			why, why_len,
			"the kernel refused %s: it requires signed modules; sign it with "
			"/lib/modules/$(uname -r)/build/scripts/sign-file sha256 KEY.priv KEY.der %s "
			"and enroll KEY.der (mokutil --import)",
			path, path);
		break;
	case EPERM:
		if (!mr_have_cap_sys_module())
			snprintf(why, why_len,
				 "loading %s needs CAP_SYS_MODULE, which this "
				 "process does not have",
				 path);
		else
			snprintf(
				why, why_len,
				"the kernel refused %s: module loading is locked down or disabled "
				"(Secure Boot lockdown, or kernel.modules_disabled=1)",
				path);
		break;
	default:
		snprintf(why, why_len, "could not load %s: %s", path,
			 strerror(-err));
	}
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* No helper comes near this; a bigger image is not one. */
#define MAX_HELPER_IMAGE (64u << 20)

/*
 * Decompress an xz file image into a new buffer: init_module() takes the
 * module itself. *out is the caller's to free.
 */
static int unxz(const void *in, size_t in_len, void **out, size_t *out_len)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	size_t cap = 0, used = 0;
	unsigned char *buf = NULL, *bigger;
	lzma_ret lr;
	int ret = 0;

	if (lzma_stream_decoder(&strm, UINT64_MAX, 0) != LZMA_OK)
		return -ENOMEM;
	strm.next_in = in;
	strm.avail_in = in_len;
	for (;;) {
		if (used == cap) {
			cap = cap ? cap * 2 : in_len * 4 + 4096;
			if (cap > MAX_HELPER_IMAGE) {
				ret = -EFBIG;
				break;
			}
			bigger = realloc(buf, cap);
			if (!bigger) {
				ret = -ENOMEM;
				break;
			}
			buf = bigger;
		}
		strm.next_out = buf + used;
		strm.avail_out = cap - used;
		lr = lzma_code(&strm, LZMA_FINISH);
		used = cap - strm.avail_out;
		if (lr == LZMA_STREAM_END)
			break;
		if (lr != LZMA_OK) {
			ret = lr == LZMA_MEM_ERROR ? -ENOMEM : -EBADMSG;
			break;
		}
	}
	lzma_end(&strm);
	if (ret) {
		free(buf);
		return ret;
	}
	*out = buf;
	*out_len = used;
	return 0;
}

/*
 * Load the helper from memory with init_module(2). On 6.4+ finit_module()
 * first walks the kernel's idempotent-load table, which a loader killed in
 * a module's init leaves pointing at dead stack memory: the very state the
 * helper may be loaded to mend. init_module() never looks at that table;
 * the kernel's signature and lockdown checks are the same. A .ko.xz (as
 * DKMS installs it there) is decompressed here, not by the kernel, which
 * would need finit_module(); another compression is left to libkmod.
 */
static int insert_from_memory(const char *path, const char *opts)
{
	void *image, *plain = NULL;
	size_t plain_len = 0;
	struct stat st;
	int fd, ret;

	if (!has_suffix(path, ".ko") && !has_suffix(path, ".ko.xz"))
		return -ENOEXEC;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= 0) {
		ret = -EINVAL;
		close(fd);
		return ret;
	}
	image = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (image == MAP_FAILED)
		return -errno;
	if (has_suffix(path, ".ko.xz")) {
		ret = unxz(image, (size_t)st.st_size, &plain, &plain_len);
		if (!ret)
			ret = syscall(SYS_init_module, plain, plain_len, opts) ?
				      -errno :
				      0;
		free(plain);
	} else {
		ret = syscall(SYS_init_module, image, (unsigned long)st.st_size,
			      opts) ?
			      -errno :
			      0;
	}
	munmap(image, (size_t)st.st_size);
	return ret;
}

/* Load the helper with libkmod (finit_module). */
static int insert_with_kmod(const char *path, const char *opts, char *why,
			    size_t why_len)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = NULL;
	int ret;

	ctx = kmod_new(NULL, NULL);
	if (!ctx) {
		snprintf(why, why_len, "libkmod: cannot create a context");
		return -ENOMEM;
	}
	ret = kmod_module_new_from_path(ctx, path, &mod);
	if (!ret)
		ret = kmod_module_insert_module(mod, 0, opts);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret;
}

int mr_helper_load(bool *from_memory, char *path, size_t path_len, char *why,
		   size_t why_len)
{
	char opts[1024];
	bool idem_table = false;
	int ret;

	ret = mr_helper_path(path, path_len);
	if (ret) {
		snprintf(
			why, why_len,
			"helper not found (%s); install the modrescue-dkms package, or run make install, or set MODRESCUE_HELPER",
			path);
		return ret;
	}
	ret = lookup_symbols(opts, sizeof(opts), &idem_table, why, why_len);
	if (ret)
		return ret;
	/* Ours: the last modrescue out unloads it (mr_helper_autoloaded()). */
	if (strlen(opts) + sizeof(" autoloaded=1") <= sizeof(opts))
		strcat(opts, " autoloaded=1");
	/*
	 * Where the kernel has an idempotent-load table, keep out of it;
	 * should init_module() be refused (an IMA policy may want a file),
	 * libkmod's finit_module() still gets its turn.
	 */
	ret = -ENOSYS;
	if (idem_table)
		ret = insert_from_memory(path, opts);
	*from_memory = !ret;
	if (ret)
		ret = insert_with_kmod(path, opts, why, why_len);
	if (ret && ret != -ENOMEM)
		explain_insert_error(ret, path, why, why_len);
	return ret;
}

int mr_helper_unload_if_unused(void)
{
	return syscall(SYS_delete_module, MODRESCUE_DEVICE_NAME, O_NONBLOCK) ?
		       -errno :
		       0;
}

/* The helper's 'autoloaded' parameter, root-only (0600). */
#define AUTOLOADED_PARAM \
	"/sys/module/" MODRESCUE_DEVICE_NAME "/parameters/autoloaded"

bool mr_helper_autoloaded(void)
{
	char c = 0;
	int fd = open(AUTOLOADED_PARAM, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == 'Y';
}

int mr_helper_keep(void)
{
	int fd = open(AUTOLOADED_PARAM, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, "N", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}
