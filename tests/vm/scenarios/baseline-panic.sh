# baseline-panic: hp_panic's kthread calls panic() 200 ms after load. The
# VM dies (panic=-1), which ends the scenario; rmmod never gets a chance.
p=hp_panic
RMMOD_PLAIN="panics at load"
RMMOD_FORCED="n/a"
MR_BASELINE_OUTCOME="n/a"
baseline $p
expect_panic "hp_panic: deliberate panic from a kthread"
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
sleep 5
fail "the kernel did not panic"
