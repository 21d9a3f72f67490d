# contain-panic-other: `contain on --panic hp_panic` parks hp_panic's own
# panic, and only its: hp_panic_b (the same code, another module) panics
# afterwards and the kernel's real panic() runs, with its own message,
# after the helper's "panic not contained" line naming the caller and its
# module. The host checks both lines (the guest is gone by then).
# timeout: 300
# accel: tcg,thread=single
a=hp_panic
b=hp_panic_b
echo -1 >/proc/sys/kernel/hung_task_warnings
mr contain on --panic $a
assert_eq "on --panic $a" 0 "$MR_RC"
assert_match "on: names $a only" "contain: on since *: oopses, and panics from the code of $a (up to 3)*" "$MR_OUT"

load_patient $a
assert_eq "insmod $a" 0 "$?"
contained() { dmesg | grep -q "panic contained in $a\[[0-9]*\], called from hp_panic_thread[^ ]* \[$a\]: $a: deliberate panic from a kthread"; }
assert_cmd "$a's panic was contained" wait_until 20 contained
pid=$(dmesg | sed -n "s/.*modrescue: $a\[\([0-9]*\)\] parked for good.*/\1/p" | head -n 1)
assert_cmd "$a's task was parked" test -n "$pid"
assert_eq "the parked task's state" I "$(task_state "$pid")"
mr contain status --json
assert_match "status: one contained, $a named" '*"panic_modules":\["hp_panic"\],*"panics_contained":1,*' "$MR_OUT"

expect panic 1
expect_line "modrescue: panic not contained: called from a module not named for containment (called from hp_panic_thread"
expect_line "[$b], module $b)"
expect_line "Kernel panic - not syncing: $b: deliberate panic from a kthread"
load_patient $b
assert_eq "insmod $b" 0 "$?"
sleep 10
fail "the kernel did not panic for $b"
