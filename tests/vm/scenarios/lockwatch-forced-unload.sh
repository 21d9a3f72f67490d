# PREEMPT_RT only: `rmmod -f modrescue` while lockwatch is armed and a task
# sleeps inside one of its lock hooks. hp_spinoops' kthread oopses holding
# hp_spinoops_lock (an rtmutex on RT, kept by its dead owner); a plain
# `rmmod hp_spinoops` then runs its exit, which takes that lock through
# lockwatch's rt_spin_lock hook and sleeps there for good. A forced unload
# of the helper (CONFIG_MODULE_FORCE_UNLOAD) disarms lockwatch, waits for
# the task to leave the hook, and when it does not, keeps the helper's code
# rather than free what the task would return into: the helper's exit says
# so and waits for good (TASK_IDLE); the helper stays, unloading; no oops.
# Not on 6.1 and 6.12: a spinning waiter never sleeps inside a hook, and
# RCU Tasks, which disarming waits for, covers a preempted one.
# kernels: 6.1-rt
# timeout: 300
# accel: tcg,thread=single
p=hp_spinoops
mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"
expect oops 1
load_patient $p
assert_eq "insmod $p" 0 "$?"
assert_cmd "the kthread oopsed with the lock held" wait_until 10 oopsed_in hp_spinoops_thread
expect_done

"$MR_KMOD/rmmod" $p 2>/dev/null &
stuck=$!
in_exit() { dmesg | grep -q "$p: exit taking the lock"; }
assert_cmd "rmmod $p: its exit takes the lock" wait_until 10 in_exit
asleep() { [ "$(task_state "$stuck")" = D ]; }
assert_cmd "rmmod $p: asleep on the lock, inside the hook" wait_until 10 asleep

"$MR_KMOD/rmmod" -f modrescue 2>/dev/null &
forced=$!
disarmed() { dmesg | grep -q "lockwatch disarmed; 1 task(s) still inside a lock hook keep the helper loaded"; }
assert_cmd "rmmod -f: disarmed, the task still inside its hook" wait_until 60 disarmed
waits() { dmesg | grep -q "forced unload: 1 task(s) still inside a lock hook; waiting for them to leave before the helper's code is freed"; }
assert_cmd "rmmod -f: the helper's exit says it waits" wait_until 10 waits
sleep 2
assert_cmd "rmmod -f: the rmmod has not returned" kill -0 "$forced"
assert_eq "rmmod -f: it sleeps for good" I "$(task_state "$forced")"
assert_eq "rmmod -f: the helper stays, unloading" going "$(mod_state modrescue)"
assert_cmd "rmmod -f: its exit did not finish" \
	sh -c '! dmesg | grep -q "the last task left its lock hook"'
assert_eq "rmmod $p: still asleep inside the hook" D "$(task_state "$stuck")"
assert_cmd "a new process still runs" sh -c 'echo alive >/tmp/alive && grep -q alive /tmp/alive'
