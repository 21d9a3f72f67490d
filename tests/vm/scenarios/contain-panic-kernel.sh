# contain-panic-kernel: a panic called from the kernel's own code is never
# parked, whatever modules are named: with `contain on --panic hp_panic`,
# sysrq's crash trigger (panic() from sysrq_handle_crash, in vmlinux, in
# the writing task's process context) halts the VM with its own message,
# after the helper's "panic not contained" line. The host checks both.
# timeout: 200
# accel: tcg,thread=single
mr contain on --panic hp_panic
assert_eq "on --panic hp_panic" 0 "$MR_RC"
expect panic 1
expect_line "modrescue: panic not contained: called from the kernel, not a module (called from sysrq_handle_crash+"
expect_line "Kernel panic - not syncing: sysrq triggered crash"
echo c >/proc/sysrq-trigger
sleep 5
fail "the kernel did not panic"
