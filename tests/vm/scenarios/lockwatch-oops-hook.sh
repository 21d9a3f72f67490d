# lockwatch-oops-hook: a kthread calls spin_lock(&p->lock) with p NULL
# while lockwatch is on (hp_spinoops badptr=1), so it oopses inside the
# lock hook and dies there. The helper says whose fault it was (the lock
# call's caller, named) and counts the dead task out of the hook, so
# `lockwatch off` drains at once: it disarms, the helper unloads, and
# nothing is left "inside a lock hook". On PREEMPT_RT the hook is
# rt_spin_lock's.
# timeout: 300
# accel: tcg,thread=single
hook=_raw_spin_lock
uname -v | grep -q PREEMPT_RT && hook=rt_spin_lock
mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"
expect oops 1
load_patient hp_spinoops badptr=1
assert_eq "insmod hp_spinoops badptr=1" 0 "$?"
oopsed() { dmesg | grep -q 'modrescue: lockwatch: hp_spinoops\[[0-9]*\] oopsed inside the lock hook'; }
assert_cmd "the oops is seen inside the hook" wait_until 10 oopsed
assert_match "it names the hook and the caller" \
	"*oopsed inside the lock hook of $hook, called from hp_spinoops_thread*+0x*: the fault is the caller's*" \
	"$(dmesg | grep 'oopsed inside the lock hook')"
mr lockwatch off
assert_eq "lockwatch off" 0 "$MR_RC"
assert_match "off: disarmed and unloaded" "*lockwatch: off (disarmed, unloaded the helper)*" "$MR_OUT"
assert_cmd "drained: disarmed" sh -c "dmesg | grep -q 'modrescue: lockwatch disarmed'"
assert_cmd "drained: no task left inside" sh -c "! dmesg | grep -q 'still inside a lock hook'"
assert_eq "the helper is gone" absent "$(mod_state modrescue)"
