# baseline-exitoops: hp_exitoops dereferences NULL in exit. rmmod dies in the
# oops and the module stays GOING; rmmod -f gets EBUSY.
p=hp_exitoops
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
assert_eq "$p state" live "$(mod_state $p)"

expect oops 1
try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $p" "killed (oops)" "$RMMOD_PLAIN"
assert_eq "$p state" going "$(mod_state $p)"
assert_cmd "dmesg shows the oops in exit" sh -c 'dmesg | grep -q "RIP: .*hp_exitoops_exit"'
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" EBUSY "$RMMOD_FORCED"
assert_eq "$p state at the end" going "$(mod_state $p)"
baseline $p unloaded
