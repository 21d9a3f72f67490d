# baseline-noexit: hp_noexit has no exit function. Plain rmmod gets EBUSY
# from the kernel; rmmod -f unloads it.
p=hp_noexit
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
assert_eq "$p state" live "$(mod_state $p)"
assert_eq "$p refcnt" 0 "$(mod_refcnt $p)"

try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $p" EBUSY "$RMMOD_PLAIN"
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" unloaded "$RMMOD_FORCED"
assert_eq "$p state after rmmod -f" absent "$(mod_state $p)"
baseline $p unloaded
