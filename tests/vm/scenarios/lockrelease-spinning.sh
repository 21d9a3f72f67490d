# lockrelease-spinning: hp_spinoops' kthread oopses holding its lock
# (lockwatch on before it loads), and an rmmod already spins in the
# module's exit on that lock, preemption off, on the last CPU. Without
# lockwatch that is "refused: spinning task" (baseline-spinoops). Here:
#  (1) `modrescue unload` releases the lock (its owner is dead), the
#      spinning rmmod takes it and finishes, and the module is gone with
#      its exit completed ("exit done");
#  (2) loaded again and the same again, `modrescue locks release
#      hp_spinoops_lock` alone frees the rmmod, which then finishes;
#  (3) as (1), but the unload was started by another program whose command
#      line does not name the module (mr-unloader reads it from stdin), so
#      the diagnosis cannot tie it to the module: unload releases the lock,
#      and waits for that task to finish the exit instead of refusing for
#      it (the helper finds it inside delete_module, or, if the module is
#      gone by then, lockwatch saw it wait on the lock).
# Each unload ends "released LOCK, the stuck COMM (pid N) finished,
# unloaded", exit 0, the module gone, its exit done, the kernel tainted R.
# The spinning rmmod holds up RCU until the release; the CLI must need no
# grace period to get there. Not on PREEMPT_RT (rmmod sleeps on an
# rtmutex there, which is refused: lockrelease-unload).
# timeout: 400
# accel: tcg,thread=single
if uname -v | grep -q PREEMPT_RT; then
	skip "PREEMPT_RT: spinlock_t is an rtmutex, which is never released (lockrelease-unload checks the refusal)"
fi
mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"
expect oops 3

# Load hp_spinoops, wait for its oops (the Nth), start a pinned rmmod (or
# with "held-out", mr-unloader) and wait until lockwatch sees it spin;
# SPINNER is its pid.
spin_on_stale_lock() {
	load_patient hp_spinoops
	assert_eq "insmod hp_spinoops ($1)" 0 "$?"
	oopsed() { [ "$(dmesg | grep -c 'RIP: .*hp_spinoops_thread')" -ge "$1" ]; }
	assert_cmd "the kthread oopsed with the lock held ($1)" wait_until 10 oopsed "$1"
	if [ "${2:-}" = held-out ]; then
		echo hp_spinoops >/tmp/unload.name
		taskset "$(printf %x $((1 << ($(nproc) - 1))))" mr-unloader \
			</tmp/unload.name 2>/dev/null &
	else
		taskset "$(printf %x $((1 << ($(nproc) - 1))))" "$MR_KMOD/rmmod" \
			hp_spinoops 2>/dev/null &
	fi
	SPINNER=$!
	going() { [ "$(mod_state hp_spinoops)" = going ]; }
	assert_cmd "rmmod in exit ($1)" wait_until 5 going
	waiting() {
		modrescue locks --json 2>/dev/null | grep -q "\"pid\":$SPINNER,"
	}
	assert_cmd "rmmod spins on the lock ($1)" wait_until 5 waiting
	assert_eq "rmmod runs ($1)" R "$(task_state "$SPINNER")"
}
finished() { [ "$(task_state "$SPINNER")" = gone ]; }

spin_on_stale_lock 1
mr unload hp_spinoops
assert_eq "(1) unload" 0 "$MR_RC"
assert_match "(1) report" \
	"*spins in it on a lock whose owner is dead*helper: released lock hp_spinoops_lock \[hp_spinoops\] held by dead pid [0-9]* (hp_spinoops), taken at hp_spinoops_thread+0x*; kernel tainted (R)*pid $SPINNER finished*kernel taint [0-9]*: forced module removal (R) set*" \
	"$MR_OUT"
assert_match "(1) says what happened" \
	"*released hp_spinoops_lock \[hp_spinoops\], the stuck rmmod (pid $SPINNER) finished, unloaded*" \
	"$MR_OUT"
assert_cmd "(1) rmmod finished" wait_until 10 finished
wait "$SPINNER"
assert_eq "(1) rmmod's exit code" 0 "$?"
assert_eq "(1) hp_spinoops gone" absent "$(mod_state hp_spinoops)"
assert_eq "(1) its exit completed" 1 "$(dmesg | grep -c 'hp_spinoops: exit done')"
assert_eq "(1) tainted R" 1 "$(taint_forced_rmmod)"

spin_on_stale_lock 2
mr locks release hp_spinoops_lock
assert_eq "(2) locks release" 0 "$MR_RC"
assert_match "(2) says what it released" \
	"released hp_spinoops_lock \[hp_spinoops\] held by dead pid [0-9]* (hp_spinoops), taken at hp_spinoops_thread+0x*; kernel tainted (R)" \
	"$MR_OUT"
assert_cmd "(2) rmmod finished" wait_until 30 finished
wait "$SPINNER"
assert_eq "(2) rmmod's exit code" 0 "$?"
assert_eq "(2) hp_spinoops gone" absent "$(mod_state hp_spinoops)"
assert_eq "(2) its exit completed" 2 "$(dmesg | grep -c 'hp_spinoops: exit done')"
mr locks release hp_spinoops_lock
assert_eq "(2) again: nothing held by that name" 1 "$MR_RC"

spin_on_stale_lock 3 held-out
mr unload hp_spinoops
assert_eq "(3) unload" 0 "$MR_RC"
assert_match "(3) releases, then waits for the unloader" \
	"*helper: released lock hp_spinoops_lock \[hp_spinoops\] held by dead pid [0-9]* (hp_spinoops)*kernel tainted (R)*pid $SPINNER (mr-unloader) finished*module hp_spinoops is gone*kernel taint [0-9]*: forced module removal (R) set*" \
	"$MR_OUT"
assert_match "(3) says what happened" \
	"*released hp_spinoops_lock \[hp_spinoops\], the stuck mr-unloader (pid $SPINNER) finished, unloaded*" \
	"$MR_OUT"
# shellcheck disable=SC2016 # expanded by sh -c, from its arguments
assert_cmd "(3) not refused for it" sh -c '! echo "$0" | grep -q "in use by"' "$MR_ERR"
assert_cmd "(3) mr-unloader finished" wait_until 10 finished
wait "$SPINNER"
assert_eq "(3) mr-unloader's exit code" 0 "$?"
assert_eq "(3) hp_spinoops gone" absent "$(mod_state hp_spinoops)"
assert_eq "(3) its exit completed" 3 "$(dmesg | grep -c 'hp_spinoops: exit done')"
assert_eq "(3) tainted R" 1 "$(taint_forced_rmmod)"
