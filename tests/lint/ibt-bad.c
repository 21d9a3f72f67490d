/*
 * Not built: the IBT-unsafe constructs scripts/ibt-check must catch, one
 * per line, as seen in public "force rmmod" and ftrace-hook code. The
 * self-test fails if any line here goes unnoticed.
 */
static void (*orig)(void) = (void (*)(void))(real_addr + MCOUNT_INSN_SIZE);
static unsigned long skip = ENDBR_INSN_SIZE;
static void *f = (void *)kallsyms_lookup_name("free_module");
static void *g = (void *)kp.addr;
x = (int (*)(struct module *))free_module_addr;
fn = (void *)free_module_addr;
static void (*fp)(struct module *) = (void (*)(struct module *))free_module_addr;
fn = (free_module_fn)free_module_addr;
fn = (void *)(text_addr);
