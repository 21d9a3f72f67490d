# contain-hardirq: with `contain on --panic hp_panic`, hp_panic hardirq=1
# panics from an hrtimer callback. Hardirq context cannot be contained, so
# the helper falls through to the kernel's own panic() with the original
# message (the VM halts: panic=-1), after saying why in one line; the host
# checks both lines. On PREEMPT_RT the patient's hrtimer expires in
# softirq context instead (RT moves soft-mode hrtimers there), which
# cannot be contained either: the same fall-through, said as "in softirq
# context".
# timeout: 200
# accel: tcg,thread=single
p=hp_panic
mr contain on --panic $p
assert_eq "on --panic $p" 0 "$MR_RC"
assert_match "on: says so" "contain: on since *: oopses, and panics from the code of $p (up to 3)*" "$MR_OUT"
if uname -v | grep -q PREEMPT_RT; then
	ctx="in softirq context"
else
	ctx="in hardirq context"
fi
expect panic 1
expect_line "modrescue: panic not contained: $ctx (called from hp_panic_timer"
expect_line "Kernel panic - not syncing: $p: deliberate panic from hardirq context"
load_patient $p hardirq=1
assert_eq "insmod $p hardirq=1" 0 "$?"
sleep 5
fail "the kernel did not panic"
