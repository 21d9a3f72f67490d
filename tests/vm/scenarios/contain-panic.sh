# contain-panic: with `contain on --panic hp_panic`, hp_panic hold_lock=1's kthread
# calls panic() holding hp_panic_lock (spin_lock_irqsave). The panic is
# contained: its message and stack are printed, the lock is released, the
# kthread is parked in TASK_IDLE ("I", which the hung-task detector skips:
# it runs here with a 2 s timeout), and the VM stays up: shell commands
# and modrescue run afterwards. The module is never freed under the parked
# task: `unload` refuses (exit 3) or quarantines (4), its exit never runs,
# and the helper stays loaded after contain off and lockwatch off (the
# parked task's stack returns into it). A forced `rmmod -f modrescue`
# (CONFIG_MODULE_FORCE_UNLOAD) then runs the helper's exit, which never
# returns: it says why, the rmmod sleeps for good (TASK_IDLE), and the
# helper stays, unloading, its code kept under the parked task.
# timeout: 300
# accel: tcg,thread=single
p=hp_panic
echo -1 >/proc/sys/kernel/hung_task_warnings
echo 2 >/proc/sys/kernel/hung_task_timeout_secs

mr contain on --panic
assert_eq "on --panic without a module: usage" 2 "$MR_RC"
assert_match "on --panic without a module: says so" "*missing module name*" "$MR_ERR"
assert_cmd "on --panic without a module armed nothing" sh -c '! dmesg | grep -q "containment armed"'
mr contain on --panic $p
assert_eq "on --panic $p" 0 "$MR_RC"
assert_match "on: says so" "contain: on since *: oopses, and panics from the code of $p (up to 3)*" "$MR_OUT"

load_patient $p hold_lock=1
assert_eq "insmod $p hold_lock=1" 0 "$?"
contained() { dmesg | grep -q "panic contained in hp_panic\[[0-9]*\]"; }
assert_cmd "the panic was contained" wait_until 20 contained
dmesg | grep "modrescue: " | sed 's/^/  log: /'
assert_cmd "its message was printed" sh -c 'dmesg | grep -q "panic contained in hp_panic.*called from hp_panic_thread.*deliberate panic from a kthread holding hp_panic_lock"'
assert_cmd "the lock was released" sh -c 'dmesg | grep -q "panic in hp_panic\[[0-9]*\]: released lock hp_panic_lock"'
pid=$(dmesg | sed -n 's/.*modrescue: hp_panic\[\([0-9]*\)\] parked for good.*/\1/p' | head -n 1)
assert_cmd "the task was parked" test -n "$pid"
assert_eq "the parked task's state" I "$(task_state "$pid")"
assert_cmd "a new process still runs" sh -c 'echo alive >/tmp/alive && grep -q alive /tmp/alive'
locks_json /tmp/locks.json
cat /tmp/locks.json
assert_cmd "locks: the lock is not held" sh -c '! grep -q hp_panic_lock /tmp/locks.json'
mr contain status --json
assert_match "status: one panic, one lock" '*"panics":true,"panic_max":3,"panic_modules":\["hp_panic"\]*"panics_contained":1,"locks_released":1,*' "$MR_OUT"
# Longer than the hung-task timeout: a D-state task would be reported.
sleep 6
assert_eq "still parked" I "$(task_state "$pid")"
mr why $p
assert_match "why: parked in its code" "*hp_panic (pid $pid) is parked for good in its code by modrescue's panic containment*" "$MR_OUT"
mr status --json $p
assert_match "status --json: the task is parked" "*\"pid\":$pid,\"comm\":\"hp_panic\",\"op\":\"other\",\"parked\":true,*" "$MR_OUT"

mr unload $p
assert_oneof "unload $p refuses or quarantines" "$MR_RC" 3 4
assert_cmd "the exit never ran" sh -c '! dmesg | grep -q "hp_panic: exit done"'
assert_eq "the parked task is still there" I "$(task_state "$pid")"
assert_cmd "its module's code is kept" sh -c "grep -q '^hp_panic' /proc/modules"

mr contain off
assert_eq "contain off" 0 "$MR_RC"
mr lockwatch off
assert_eq "lockwatch off" 0 "$MR_RC"
assert_cmd "the helper stays: a parked task returns into it" test -d /sys/module/modrescue
"$MR_KMOD/rmmod" -f modrescue 2>/tmp/rmmod.err &
forced=$!
waits() { dmesg | grep -q 'modrescue: forced unload: 1 task(s) parked for good in the helper.s code; keeping it'; }
assert_cmd "rmmod -f: the helper's exit says it waits" wait_until 20 waits
sleep 2
assert_cmd "rmmod -f: the rmmod has not returned" kill -0 "$forced"
assert_eq "rmmod -f: it sleeps for good" I "$(task_state "$forced")"
assert_eq "rmmod -f: the helper stays, unloading" going "$(mod_state modrescue)"
assert_cmd "rmmod -f: its exit did not finish" sh -c '! dmesg | grep -q "modrescue: unloaded"'
assert_eq "rmmod -f: the parked task is still there" I "$(task_state "$pid")"
assert_cmd "rmmod -f: a new process still runs" sh -c 'echo alive >/tmp/alive2 && grep -q alive /tmp/alive2'
# The rmmod sleeps for good, freezable: a suspend freezes it and goes on.
assert_cmd "rmmod -f asleep for good: a suspend still freezes every task" suspend_freezes
assert_eq "rmmod -f: after the thaw, still asleep" I "$(task_state "$forced")"
assert_eq "after the thaw, the parked task is still there" I "$(task_state "$pid")"
echo 120 >/proc/sys/kernel/hung_task_timeout_secs
