# contain-panic-off: `contain off` really unhooks. With `contain on
# --panic hp_panic`, tracefs lists panic() and make_task_dead() among the
# functions with an ftrace hook, and hp_panic's first panic is contained
# (parked). After `contain off` (then lockwatch off: the helper's hooks
# all gone) neither is hooked any more, status says off, and hp_panic's
# next panic (again=1), from the same code, halts the VM with its own
# message; the helper says nothing about it (the host checks the panic;
# its hook is gone, so no "panic not contained" line can be expected).
# kernels: 6.1
# timeout: 200
# accel: tcg,thread=single
p=hp_panic
ef=/sys/kernel/tracing/enabled_functions
[ -e "$ef" ] || mount -t tracefs nodev /sys/kernel/tracing
assert_cmd "tracefs mounted" test -r "$ef"
echo -1 >/proc/sys/kernel/hung_task_warnings
echo 2 >/proc/sys/kernel/hung_task_timeout_secs
hooked() { grep -q "^$1 " "$ef"; }
assert_cmd "off: panic() not hooked" sh -c "! grep -q '^panic ' $ef"
mr contain on --panic $p
assert_eq "on --panic $p" 0 "$MR_RC"
assert_cmd "on: panic() hooked" hooked panic
assert_cmd "on: make_task_dead() hooked" hooked make_task_dead
load_patient $p
assert_eq "insmod $p" 0 "$?"
contained() { dmesg | grep -q "panic contained in $p\[[0-9]*\], called from hp_panic_thread"; }
assert_cmd "the first panic was contained" wait_until 20 contained

mr contain off
assert_eq "contain off" 0 "$MR_RC"
mr lockwatch off
assert_eq "lockwatch off" 0 "$MR_RC"
mr contain status --json
assert_match "status: off" '*"on":false*' "$MR_OUT"
grep -E '^(panic|make_task_dead) ' "$ef" | sed 's/^/  hooked: /'
assert_cmd "off: panic() not hooked" sh -c "! grep -q '^panic ' $ef"
assert_cmd "off: make_task_dead() not hooked" sh -c "! grep -q '^make_task_dead ' $ef"

expect_panic "hp_panic: deliberate panic from a kthread"
echo 1 >/sys/module/$p/parameters/again
sleep 15
fail "the panic after contain off did not halt the kernel"
