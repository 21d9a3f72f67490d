# contain-hardirq: with `contain on --panic`, hp_panic hardirq=1 panics
# from an hrtimer callback. Hardirq context cannot be contained, so the
# helper falls through to the kernel's own panic() with the original
# message (the VM halts: panic=-1), after saying why in one line. On
# PREEMPT_RT the patient's hrtimer expires in softirq context instead
# (RT moves soft-mode hrtimers there), which cannot be contained either:
# the same fall-through, said as "in softirq context".
# timeout: 200
# accel: tcg,thread=single
p=hp_panic
mr contain on --panic
assert_eq "on --panic" 0 "$MR_RC"
expect panic 1
load_patient $p hardirq=1
assert_eq "insmod $p hardirq=1" 0 "$?"
sleep 5
fail "the kernel did not panic"
