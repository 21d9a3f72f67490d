# baseline-initoops: hp_initoops dereferences NULL in init. insmod dies in
# the oops and the module stays COMING; rmmod and rmmod -f both fail.
p=hp_initoops
expect oops 1
load_patient $p healthy="${HP_HEALTHY:-0}"
rc=$?
assert_cmd "insmod killed by the oops (status $rc)" test "$rc" -ge 128
assert_eq "$p state" coming "$(mod_state $p)"
assert_cmd "dmesg shows the oops in init" sh -c 'dmesg | grep -q "RIP: .*hp_initoops_init"'

try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $p" "refused: in use" "$RMMOD_PLAIN"
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" EBUSY "$RMMOD_FORCED"
assert_eq "$p state at the end" coming "$(mod_state $p)"
baseline $p unloaded
