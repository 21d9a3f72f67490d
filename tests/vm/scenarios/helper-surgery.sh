# The helper's INSPECT and PREPARE_UNLOAD ioctls, driven directly: symbol
# validation at load, user accounting, state checks, the edits themselves,
# and that the kernel's own delete_module then finishes the job.
helper=/lib/modules/$(uname -r)/extra/modrescue.ko
sym() { awk -v s="$1" '$3 == s && NF == 3 { print "0x" $1 }' /proc/kallsyms; }
modules=$(sym modules)
mutex=$(sym module_mutex)
assert_match "kallsyms has modules" "0x*" "$modules"
assert_match "kallsyms has module_mutex" "0x*" "$mutex"

# Wrong addresses are refused at load time, never dereferenced.
assert_cmd "swapped symbols refused" \
	sh -c "! insmod $helper modules_addr=$mutex module_mutex_addr=$modules"
assert_cmd "bogus address refused" \
	sh -c "! insmod $helper modules_addr=0x1234 module_mutex_addr=$mutex"
assert_eq "helper not loaded after refusals" absent "$(mod_state modrescue)"
assert_cmd "helper loads with the right symbols" \
	insmod "$helper" modules_addr="$modules" module_mutex_addr="$mutex"

probe() { sed -n "s/^$1=//p" /tmp/probe.out; }
run_probe() {
	surgery-probe "$@" >/tmp/probe.out
	sed 's/^/  probe: /' /tmp/probe.out
}


# Input validation.
run_probe inspect modrescue
assert_eq "inspect on the helper itself" EINVAL "$(probe result)"
run_probe inspect no_such_module
assert_eq "inspect unknown module" ENOENT "$(probe result)"

# A refcount leak: no users, so the reset is allowed.
load_patient hp_refleak
run_probe inspect hp_refleak
assert_eq "refleak state" 0 "$(probe state)"
assert_eq "refleak refcnt" 1 "$(probe refcnt)"
assert_eq "refleak users" 0 "$(probe users)"
run_probe prepare hp_refleak 0x8 0
assert_eq "unknown edit bit" EINVAL "$(probe result)"
run_probe prepare hp_refleak 0x1 2
assert_eq "stale state" ESTALE "$(probe result)"
assert_eq "not tainted before any edit" 0 "$(taint_forced_rmmod)"
run_probe prepare hp_refleak 0x1 0
assert_eq "refcount reset" ok "$(probe result)"
assert_eq "old refcnt reported" 1 "$(probe old_refcnt)"
assert_eq "refcnt after reset" 0 "$(mod_refcnt hp_refleak)"
assert_eq "TAINT_FORCED_RMMOD set" 1 "$(taint_forced_rmmod)"
assert_cmd "edit logged" sh -c "dmesg | grep -q 'hp_refleak: refcount 1 -> 0 (forced)'"
assert_cmd "plain rmmod now works" rmmod hp_refleak
assert_cmd "refleak reloads" load_patient hp_refleak healthy=1
rmmod hp_refleak

# A process holding a file open is a live user: surgery is refused.
load_patient hp_openfd
sleep 1000 </dev/hp_openfd &
holder=$!
openfd_refcnt_is() { [ "$(mod_refcnt hp_openfd)" = "$1" ]; }
wait_until 3 openfd_refcnt_is 1
run_probe inspect hp_openfd
assert_eq "openfd users" 1 "$(probe users)"
assert_match "openfd user" "user=file pid=$holder fd=0 comm=sleep*" \
	"$(grep '^user=' /tmp/probe.out)"
run_probe prepare hp_openfd 0x1 0
assert_eq "openfd refused" EBUSY "$(probe result)"
assert_eq "openfd untouched" 1 "$(mod_refcnt hp_openfd)"
kill $holder
wait_until 3 openfd_refcnt_is 0
assert_cmd "openfd unloads once the holder is gone" rmmod hp_openfd

# A kthread running module code always refuses surgery, force or not.
load_patient hp_spinlong
run_probe inspect hp_spinlong
assert_match "spinlong kthread user" "user=kthread*" \
	"$(grep '^user=' /tmp/probe.out | head -n 1)"
run_probe prepare hp_spinlong 0x1 0 force
assert_eq "kthread refuses even forced" EBUSY "$(probe result)"
rmmod hp_spinlong

# GOING after an oopsed exit: LIVE only together with clearing exit.
expect oops 1
load_patient hp_exitoops
rmmod hp_exitoops 2>/dev/null
assert_eq "exitoops going" going "$(mod_state hp_exitoops)"
run_probe prepare hp_exitoops 0x2 2
assert_eq "LIVE without clearing exit refused" EINVAL "$(probe result)"
run_probe prepare hp_exitoops 0x6 2
assert_eq "LIVE and exit cleared" ok "$(probe result)"
assert_eq "exitoops live again" live "$(mod_state hp_exitoops)"
# init without exit now: the kernel wants O_TRUNC, as rmmod -f sends.
assert_cmd "delete_module finishes it" rmmod -f hp_exitoops
assert_eq "exitoops gone" absent "$(mod_state hp_exitoops)"
assert_cmd "exitoops reloads" load_patient hp_exitoops healthy=1
assert_cmd "and unloads" rmmod hp_exitoops

# COMING after a crashed init: LIVE, then its exit runs normally.
expect oops 1
load_patient hp_initoops 2>/dev/null
assert_eq "initoops coming" coming "$(mod_state hp_initoops)"
run_probe prepare hp_initoops 0x3 1
assert_eq "COMING -> LIVE" ok "$(probe result)"
assert_cmd "rmmod finishes it" rmmod hp_initoops
assert_eq "initoops gone" absent "$(mod_state hp_initoops)"
# A fixed build comes as a new file: on 6.12 the crashed finit_module left
# its entry for the old file in the kernel's idempotent-load hash, on a stack
# that is gone, and loading that same file again walks into it.
cp "$MR_PATIENTS/hp_initoops.ko" /tmp/hp_initoops.ko
assert_cmd "initoops: fixed build loads" insmod /tmp/hp_initoops.ko healthy=1
rmmod hp_initoops

assert_cmd "helper unloads" rmmod modrescue
