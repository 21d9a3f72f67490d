/*
 * Not built: constructs the helper uses that are IBT-safe, which
 * scripts/ibt-check must not flag (its self-test checks both ways).
 */
static void (*mr_hook)(unsigned long ip);
mr_modules = (struct list_head *)modules_addr;
mr_module_mutex = (struct mutex *)module_mutex_addr;
end = (unsigned long)addr + len;
snprintf(buf, len, "%pS", (void *)addr);
static const struct mr_lw_hook h = { "x", (unsigned long)fn, (unsigned long)mr_lw_fn };
ftrace_set_filter_ip(&ops, (unsigned long)panic, 0, 1);
/* (void (*)(void))comment_addr is only a comment */
