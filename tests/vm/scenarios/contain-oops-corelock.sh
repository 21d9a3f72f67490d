# contain-oops-corelock: an oops releases only the oopsing module's own
# locks. With `contain on`, hp_spinoops corelock=1's kthread holds its
# static hp_spinoops_lock, then wakes a heap wait queue of its own whose
# wake function oopses, under the queue's lock that the kernel's
# __wake_up() took (a core lock, memory not the module's). The dying task
# releases hp_spinoops_lock (the oops faulted in hp_spinoops's code, and
# the lock is its own), and reports the queue's lock by where it was taken
# as left held, saying the next taker will spin; lockwatch still shows it
# held. Nothing takes it again (the queue is the patient's alone), so
# there is no lockup; the module unloads, its exit taking its own lock.
# On PREEMPT_RT both are sleeping spinlock_t's: the same split.
# timeout: 300
# accel: tcg,thread=single
p=hp_spinoops
mr contain on
assert_eq "on" 0 "$MR_RC"

expect oops 1
load_patient $p corelock=1
assert_eq "insmod $p corelock=1" 0 "$?"
assert_cmd "the wake function oopsed" wait_until 10 oopsed_in hp_spinoops_wake
assert_cmd "the module's own lock was released" wait_until 10 oops_released hp_spinoops hp_spinoops_lock
dmesg | grep "modrescue: oops in" | sed 's/^/  log: /'
assert_cmd "the oops was placed in the module's code" sh -c 'dmesg | grep -q "modrescue: oops in hp_spinoops\[[0-9]*\] in the code of hp_spinoops: only its locks are released"'
assert_cmd "the queue's lock was reported, left held" sh -c 'dmesg | grep -q "modrescue: oops in hp_spinoops\[[0-9]*\]: left lock .* (taken at __wake_up[^ ]*) held: not the oopsing module.s own; the next taker will spin"'
assert_cmd "the queue's lock was not released" sh -c '! dmesg | grep -q "oops in hp_spinoops.*released lock .*(taken at __wake_up"'
mr contain status --json
assert_match "status: one oops, one released, one left" '*"oopses_seen":1,"panics_contained":0,"locks_released":1,"locks_left":1,*' "$MR_OUT"
locks_json /tmp/locks.json
cat /tmp/locks.json
assert_cmd "locks: the module's lock is not held" sh -c '! grep -q hp_spinoops_lock /tmp/locks.json'
assert_cmd "locks: the queue's lock is still held" grep -q "__wake_up" /tmp/locks.json
# A while with the queue's lock held: nothing takes it, nothing spins.
sleep 8
mr unload $p
assert_eq "unload $p" 0 "$MR_RC"
assert_eq "$p state" absent "$(mod_state $p)"
assert_cmd "the exit took its own lock and ended" sh -c 'dmesg | grep -q "hp_spinoops: exit done"'
mr contain off
assert_eq "off" 0 "$MR_RC"
