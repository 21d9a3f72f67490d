# contain-oops: with `contain on`, hp_spinoops nested=1's kthread oopses
# holding two spinlocks, the outer taken with spin_lock_irqsave (IRQs off
# at the oops). The dying task releases both before make_task_dead()
# repairs anything, newest first, each with the unlock that undoes its lock
# call: the kernel's own "exited with irqs disabled" and "exited with
# preempt_count" notes never appear, `locks --json` lists neither lock,
# `unload` succeeds and the exit prints "exit done", with no soft lockup or
# RCU stall. lockwatch off is refused while containment is on; contain off
# then lockwatch off unhook everything and the helper goes. On PREEMPT_RT
# both are sleeping spinlock_t's (rt_spin_lock), released by the dying
# owner itself with spin_unlock.
# timeout: 300
# accel: tcg,thread=single
p=hp_spinoops
rt=
uname -v | grep -q PREEMPT_RT && rt=1

mr contain on
assert_eq "on" 0 "$MR_RC"
assert_match "on: says so" "contain: on since *: oopses; panics are not contained (armed, and lockwatch with it)*" "$MR_OUT"
assert_eq "on: the helper cannot be unloaded" 1 "$([ "$(mod_refcnt modrescue)" -ge 2 ] && echo 1)"
mr contain status --json
assert_match "status --json" '*"on":true*"panics":false*"panic_max":3*"oopses_seen":0*' "$MR_OUT"
mr lockwatch off
assert_eq "lockwatch off is refused while containment is on" 1 "$MR_RC"
assert_match "lockwatch off says why" "*containment needs it; run modrescue contain off first*" "$MR_ERR"
mr lockwatch status
assert_match "lockwatch still on" "lockwatch: on since*" "$MR_OUT"

expect oops 1
load_patient $p nested=1
assert_eq "insmod $p nested=1" 0 "$?"
assert_cmd "the kthread oopsed with the locks held" wait_until 10 oopsed_in hp_spinoops_thread
assert_cmd "the dying task released the outer lock" wait_until 10 oops_released hp_spinoops hp_spinoops_outer
dmesg | grep "modrescue: oops in" | sed 's/^/  log: /'
inner=$(dmesg | grep -n "oops in hp_spinoops.*released lock hp_spinoops_lock" | cut -d: -f1)
outer=$(dmesg | grep -n "oops in hp_spinoops.*released lock hp_spinoops_outer" | cut -d: -f1)
assert_cmd "the inner lock was released" test -n "$inner"
assert_cmd "the lock named by its symbol, without offset or size" \
	sh -c 'dmesg | grep -q "released lock hp_spinoops_lock \[hp_spinoops\] (taken at"'
assert_cmd "newest first: inner before outer" test "${inner:-9999}" -lt "${outer:-0}"
if [ -z "$rt" ]; then
	assert_cmd "the outer lock with unlock_irqrestore" sh -c 'dmesg | grep -q "released lock hp_spinoops_outer.* with unlock_irqrestore$"'
	assert_cmd "the inner lock with the plain unlock" sh -c 'dmesg | grep -q "released lock hp_spinoops_lock.* with unlock$"'
fi
# Nothing left for the kernel's own repair: the IRQ state and preempt
# count were undone exactly. (On PREEMPT_RT spin_lock_irqsave() leaves
# IRQs on; there the note comes from the page fault path itself, which
# oopses a kthread without an mm with IRQs still off, locks or not.)
if [ -z "$rt" ]; then
	assert_cmd "no 'exited with irqs disabled'" sh -c '! dmesg | grep -q "exited with irqs disabled"'
fi
assert_cmd "no 'exited with preempt_count'" sh -c '! dmesg | grep -q "exited with preempt_count"'
# shellcheck disable=SC2016 # expanded by sh -c
assert_cmd "tainted R (a forced step)" sh -c 'grep -q . /proc/sys/kernel/tainted && [ $(( $(cat /proc/sys/kernel/tainted) & 8 )) -ne 0 ]'

locks_json /tmp/locks.json
cat /tmp/locks.json
assert_cmd "locks: the lock is not held" sh -c '! grep -q hp_spinoops_lock /tmp/locks.json'
assert_cmd "locks: the outer lock is not held" sh -c '! grep -q hp_spinoops_outer /tmp/locks.json'
mr contain status --json
assert_match "status: one oops, two locks" '*"oopses_seen":1,*"locks_released":2,*' "$MR_OUT"

mr unload $p
assert_eq "unload $p" 0 "$MR_RC"
assert_eq "$p state" absent "$(mod_state $p)"
assert_cmd "the exit ran to its end" sh -c 'dmesg | grep -q "hp_spinoops: exit done"'

mr contain off
assert_eq "off" 0 "$MR_RC"
assert_match "off: says so" "contain: off (disarmed; lockwatch stays on)*" "$MR_OUT"
mr lockwatch off
assert_eq "lockwatch off" 0 "$MR_RC"
assert_cmd "the helper is gone" wait_until 10 is_absent modrescue
