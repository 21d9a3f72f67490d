# contain-panic-mmap: a named module's panic is not parked while the task
# holds a sleeping lock of the kernel core, which a parked task would keep
# for good: hp_panic hold_mmap=1 panics in its init, in insmod's task,
# holding insmod's mmap_lock for writing. The helper says which lock in
# its "panic not contained" line and the kernel's real panic() runs with
# the original message; the host checks both lines.
# timeout: 200
# accel: tcg,thread=single
p=hp_panic
mr contain on --panic $p
assert_eq "on --panic $p" 0 "$MR_RC"
expect panic 1
expect_line "modrescue: panic not contained: the task holds its mmap_lock for writing (called from hp_panic_init"
expect_line "Kernel panic - not syncing: $p: deliberate panic in init holding mmap_lock for writing"
load_patient_bg $p hold_mmap=1
sleep 10
fail "the kernel did not panic"
