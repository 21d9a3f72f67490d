# contain-panic-max: `contain on --panic hp_panic --panic-max 2` contains
# two panics from hp_panic's code and no more. Its first kthread panics
# (contained, parked), a second (hp_panic again=1) too; status says 2 of
# 2; the third (again=1 once more) falls through: the helper says "panic
# not contained: as many panics contained as allowed", naming the caller
# and its module, and the kernel's real panic() halts the VM with the
# original message. The host checks both lines (the guest is gone).
# kernels: 6.1
# timeout: 200
# accel: tcg,thread=single
p=hp_panic
echo -1 >/proc/sys/kernel/hung_task_warnings
echo 2 >/proc/sys/kernel/hung_task_timeout_secs
mr contain on --panic $p --panic-max 2
assert_eq "on --panic $p --panic-max 2" 0 "$MR_RC"
assert_match "on: says so" "contain: on since *: oopses, and panics from the code of $p (up to 2)*" "$MR_OUT"
mr contain status --json
assert_match "status --json: at most 2" '*"panics":true,"panic_max":2,"panic_modules":\["hp_panic"\]*"panics_contained":0,*' "$MR_OUT"

contained_n() { [ "$(dmesg | grep -c "panic contained in $p\[[0-9]*\], called from hp_panic_thread")" -ge "$1" ]; }
parked() { dmesg | sed -n "s/.*modrescue: $p\[\([0-9]*\)\] parked for good.*/\1/p"; }
load_patient $p
assert_eq "insmod $p" 0 "$?"
assert_cmd "the first panic was contained" wait_until 20 contained_n 1
echo 1 >/sys/module/$p/parameters/again
assert_cmd "the second panic was contained" wait_until 20 contained_n 2
assert_eq "two tasks parked" 2 "$(parked | sort -u | wc -l)"
for pid in $(parked); do
	assert_eq "parked task $pid's state" I "$(task_state "$pid")"
done
mr contain status --json
assert_match "status --json: 2 of 2" '*"panic_max":2,*"panics_contained":2,*' "$MR_OUT"
assert_cmd "no panic refused yet" sh -c '! dmesg | grep -q "panic not contained"'

# The third: past the limit, the real panic.
expect_panic "hp_panic: deliberate panic from a kthread"
expect_line "modrescue: panic not contained: as many panics contained as allowed (called from hp_panic_thread+"
echo 1 >/sys/module/$p/parameters/again
sleep 15
fail "the third panic did not halt the kernel"
