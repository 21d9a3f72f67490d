# contain-panic-rtnl: a named module's panic is not parked while the task
# holds a sleeping lock of the kernel core, which a parked task would keep
# for good: hp_panic hold_rtnl=1 panics holding rtnl_lock() (a mutex; its
# address comes from /proc/kallsyms). The helper says which lock in its
# "panic not contained" line and the kernel's real panic() runs with the
# original message; the host checks both lines.
# timeout: 200
# accel: tcg,thread=single
p=hp_panic
mr contain on --panic $p
assert_eq "on --panic $p" 0 "$MR_RC"
expect panic 1
expect_line "modrescue: panic not contained: the task holds rtnl_mutex (called from hp_panic_thread"
expect_line "Kernel panic - not syncing: $p: deliberate panic from a kthread holding rtnl"
load_patient_bg $p hold_rtnl=1
sleep 10
fail "the kernel did not panic"
