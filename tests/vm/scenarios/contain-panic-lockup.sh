# contain-panic-lockup: a lockup panic is the kernel's own, never
# contained. With `contain on --panic hp_spinlong`, kernel.softlockup_panic
# =1 and a watchdog threshold of 1 s, hp_spinlong hold_ms=30000's kthread
# spins with its lock held (preemption off) until the soft-lockup watchdog
# panics ("softlockup: hung tasks") from its hrtimer, in hardirq context.
# The helper's panic hook lets it through, saying why and naming the
# watchdog's caller; the VM halts. The host checks both lines.
# kernels: 6.1
# timeout: 200
# accel: tcg,thread=single
mr contain on --panic hp_spinlong
assert_eq "on --panic hp_spinlong" 0 "$MR_RC"
echo 1 >/proc/sys/kernel/softlockup_panic
echo 1 >/proc/sys/kernel/watchdog_thresh
assert_eq "softlockup_panic set" 1 "$(cat /proc/sys/kernel/softlockup_panic)"
expect softlockup 1
expect_panic "softlockup: hung tasks"
expect_line "modrescue: panic not contained: in hardirq context (called from watchdog_timer_fn"
load_patient hp_spinlong hold_ms=30000
sleep 40
fail "the soft lockup did not panic the kernel"
