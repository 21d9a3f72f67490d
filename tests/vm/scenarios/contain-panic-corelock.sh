# contain-panic-corelock: a named module's panic is not parked while its
# task holds a spinlock that is not the module's own: hp_panic
# hold_corelock=1 panics in a wake function of its own, under the heap
# wait queue's lock that the kernel's __wake_up() took. Parking would
# release that core lock (exposing half-updated core data) or sleep
# holding it, so the kernel's real panic() runs with the original
# message, after the helper's "panic not contained" line; the host checks
# both. On PREEMPT_RT the queue's lock is a sleeping spinlock_t: the same.
# timeout: 200
# accel: tcg,thread=single
p=hp_panic
mr contain on --panic $p
assert_eq "on --panic $p" 0 "$MR_RC"
expect panic 1
expect_line "modrescue: panic not contained: the task holds a spinlock that is not its module's own (called from hp_panic_wake"
expect_line "Kernel panic - not syncing: $p: deliberate panic in a wake function, under the queue's lock"
load_patient $p hold_corelock=1
assert_eq "insmod $p hold_corelock=1" 0 "$?"
sleep 10
fail "the kernel did not panic"
