# contain-panic-on-oops: the kernel's own panics are not contained. With
# `contain on --panic hp_spinoops` and kernel.panic_on_oops=1, hp_spinoops'
# kthread oopses holding its lock: oops_end() panics ("Fatal exception")
# before the task reaches make_task_dead(), where containment would
# release its lock. The helper's panic hook sees that panic called from
# the kernel and lets it through, saying so; the VM halts. The host checks
# both lines.
# kernels: 6.1
# timeout: 200
# accel: tcg,thread=single
mr contain on --panic hp_spinoops
assert_eq "on --panic hp_spinoops" 0 "$MR_RC"
echo 1 >/proc/sys/kernel/panic_on_oops
assert_eq "panic_on_oops set" 1 "$(cat /proc/sys/kernel/panic_on_oops)"
expect oops 1
expect_panic "Fatal exception"
expect_line "modrescue: panic not contained: called from the kernel, not a module (called from oops_end"
load_patient hp_spinoops
sleep 15
fail "the oops did not panic the kernel"
