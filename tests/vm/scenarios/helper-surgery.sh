# The helper's INSPECT, PREPARE_UNLOAD and REPAIR_LOADER ioctls, driven
# directly: symbol validation at load, user accounting, state checks, the
# edits themselves, that the kernel's own delete_module then finishes the
# job, and (6.12) the repair of the idempotent-load table after an init oops.
modules=$(ksym modules)
mutex=$(ksym module_mutex)
assert_match "kallsyms has modules" "0x*" "$modules"
assert_match "kallsyms has module_mutex" "0x*" "$mutex"

# Wrong addresses are refused at load time, never dereferenced.
assert_cmd "swapped symbols refused" \
	sh -c "! insmod $MR_HELPER modules_addr=$mutex module_mutex_addr=$modules"
assert_cmd "bogus address refused" \
	sh -c "! insmod $MR_HELPER modules_addr=0x1234 module_mutex_addr=$mutex"
assert_cmd "swapped table symbols refused" \
	sh -c "! insmod $MR_HELPER modules_addr=$modules module_mutex_addr=$mutex idem_hash_addr=$mutex idem_lock_addr=$modules"
# The idempotent-load table exists from 6.4 on: 6.12 has it, 6.1 not.
idem_hash=$(ksym idem_hash)
idem_lock=$(ksym idem_lock)
case "$(uname -r)" in
6.1.*) assert_eq "6.1 has no idem_hash" "" "$idem_hash" ;;
*)
	assert_match "kallsyms has idem_hash" "0x*" "$idem_hash"
	assert_match "kallsyms has idem_lock" "0x*" "$idem_lock"
	assert_cmd "idem_hash without idem_lock refused" \
		sh -c "! insmod $MR_HELPER modules_addr=$modules module_mutex_addr=$mutex idem_hash_addr=$idem_hash"
	;;
esac
# The static areas the leftover search reads: checked against variables
# the kernel exports (jiffies_64 in .data, this_cpu_off per CPU).
assert_cmd "data bounds swapped with bss refused" \
	sh -c "! insmod $MR_HELPER modules_addr=$modules module_mutex_addr=$mutex $(static_areas | sed 's/sdata_addr=/x=/; s/bss_start_addr=/sdata_addr=/; s/x=/bss_start_addr=/')"
assert_cmd "per-CPU bounds missing this_cpu_off refused" \
	sh -c "! insmod $MR_HELPER modules_addr=$modules module_mutex_addr=$mutex $(static_areas | sed 's/per_cpu_end_addr=0x[0-9a-f]*/per_cpu_end_addr=0x8/')"
assert_eq "helper not loaded after refusals" absent "$(mod_state modrescue)"

# Without the static areas the helper cannot look for what a crashed exit
# left registered, so it never lets such a module be freed.
expect oops 1
insmod "$MR_HELPER" modules_addr="$modules" module_mutex_addr="$mutex"
load_patient hp_leftover kind=none
rmmod hp_leftover 2>/dev/null
assert_eq "hp_leftover going" going "$(mod_state hp_leftover)"
PROBE=surgery-probe
run_probe prepare hp_leftover 0x7 2
assert_eq "no static areas: a crashed module is not freed" EOPNOTSUPP "$(probe result)"
assert_eq "and stays going" going "$(mod_state hp_leftover)"
rmmod modrescue

# shellcheck disable=SC2046 # one word per parameter
if [ -n "$idem_hash" ]; then
	assert_cmd "helper loads with the right symbols" \
		insmod "$MR_HELPER" modules_addr="$modules" module_mutex_addr="$mutex" \
		idem_hash_addr="$idem_hash" idem_lock_addr="$idem_lock" $(static_areas)
else
	assert_cmd "helper loads with the right symbols" \
		insmod "$MR_HELPER" modules_addr="$modules" module_mutex_addr="$mutex" $(static_areas)
fi

PROBE=surgery-probe


# Input validation.
run_probe inspect modrescue
assert_eq "inspect on the helper itself" EINVAL "$(probe result)"
run_probe inspect no_such_module
assert_eq "inspect unknown module" ENOENT "$(probe result)"

# A refcount leak: no users; the reset of a LIVE module's references is
# allowed only when the caller declares them leaked (--force).
load_patient hp_refleak
run_probe inspect hp_refleak
assert_eq "refleak state" 0 "$(probe state)"
assert_eq "refleak refcnt" 1 "$(probe refcnt)"
assert_eq "refleak users" 0 "$(probe users)"
run_probe prepare hp_refleak 0x8 0
assert_eq "unknown edit bit" EINVAL "$(probe result)"
run_probe prepare hp_refleak 0x4 0 force
assert_eq "clearing a LIVE module's exit" EINVAL "$(probe result)"
run_probe prepare hp_refleak 0x1 2
assert_eq "stale state" ESTALE "$(probe result)"
run_probe prepare hp_refleak 0x1 0
assert_eq "LIVE reset without LEAKED refused" EPERM "$(probe result)"
assert_eq "refcnt kept" 1 "$(mod_refcnt hp_refleak)"
assert_eq "not tainted before any edit" 0 "$(taint_forced_rmmod)"
run_probe prepare hp_refleak 0x1 0 force
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
# shellcheck disable=SC2217 # the open file is the point, not the input
sleep 1000 </dev/hp_openfd &
holder=$!
openfd_refcnt_is() { [ "$(mod_refcnt hp_openfd)" = "$1" ]; }
wait_until 3 openfd_refcnt_is 1
run_probe inspect hp_openfd
assert_eq "openfd users" 1 "$(probe users)"
assert_match "openfd user" "user=file pid=$holder fd=0 comm=sleep*" \
	"$(grep '^user=' /tmp/probe.out)"
run_probe prepare hp_openfd 0x1 0 force
assert_eq "openfd refused, even declared leaked" EBUSY "$(probe result)"
assert_eq "openfd: the user is returned" "$holder" "$(probe busy_pid)"
assert_eq "openfd: its comm" sleep "$(probe busy_comm)"
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

# COMING after a crashed init: LIVE only together with clearing its exit,
# which must never run after a failed init; then O_TRUNC finishes it.
expect oops 1
load_patient hp_initoops 2>/dev/null
assert_eq "initoops coming" coming "$(mod_state hp_initoops)"
run_probe prepare hp_initoops 0x3 1
assert_eq "COMING -> LIVE keeping its exit refused" EINVAL "$(probe result)"
run_probe prepare hp_initoops 0x7 1
assert_eq "COMING -> LIVE, exit cleared" ok "$(probe result)"
assert_cmd "delete_module finishes it" rmmod -f hp_initoops
assert_cmd "its exit never ran" sh -c '! dmesg | grep -q "hp_initoops: exit done"'
assert_eq "initoops gone" absent "$(mod_state hp_initoops)"
# The crashed finit_module left its entry in the kernel's idempotent-load
# table (6.4+), on a stack that is gone: the helper cuts it out, and the
# same file loads again.
if [ -z "$idem_hash" ]; then
	run_probe repair-loader
	assert_eq "no table on this kernel" EOPNOTSUPP "$(probe result)"
else
	# The dead loader's entry, and whatever its reused stack memory points
	# at now: the count may change from one look to the next.
	run_probe repair-loader dry
	assert_eq "dry run: ok" ok "$(probe result)"
	assert_cmd "dry run: the dead loader's entry found" \
		test "$(probe dropped)" -ge 1
	run_probe repair-loader
	assert_eq "repair: ok" ok "$(probe result)"
	assert_cmd "repair: the dry run left it, now it is cut" \
		test "$(probe dropped)" -ge 1
	assert_cmd "repair logged" sh -c "dmesg | grep -q 'idempotent-load table: cut $(probe dropped) entr'"
	run_probe repair-loader dry
	assert_eq "repaired: nothing stale left" 0 "$(probe dropped)"
fi
assert_cmd "initoops: the same file loads again" load_patient hp_initoops healthy=1
assert_cmd "and unloads normally" rmmod hp_initoops

# A loader alive inside finit_module (stuck in its init) keeps its entry:
# the repair must not cut it, and the loader returns normally once released.
if [ -n "$idem_hash" ]; then
	is_d() { [ "$(task_state "$1")" = D ]; }
	load_patient_bg hp_initblock
	loader=$INSMOD_PID
	assert_cmd "insmod stuck in init" wait_until 10 is_d "$loader"
	run_probe repair-loader
	assert_eq "live loader: ok" ok "$(probe result)"
	assert_eq "live loader: kept" 1 "$(probe kept)"
	assert_eq "live loader: nothing cut" 0 "$(probe dropped)"
	mr unblock "$loader"
	assert_eq "live loader: released" 0 "$MR_RC"
	assert_cmd "the loader returned" wait_until 10 is_finished "$loader"
	wait "$loader"
	assert_eq "the loader succeeded" 0 "$?"
	assert_cmd "the module unloads" rmmod hp_initblock
	assert_cmd "and loads again from the same file" load_patient hp_initblock healthy=1
	rmmod hp_initblock
fi

# With the static areas, the module that could not be looked at before
# left nothing registered: it is freed.
run_probe prepare hp_leftover 0x7 2
assert_eq "static areas given: nothing left, prepared" ok "$(probe result)"
assert_cmd "delete_module finishes it" rmmod -f hp_leftover

assert_cmd "helper unloads" rmmod modrescue
