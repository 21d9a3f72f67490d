# baseline-refleak: hp_refleak's init takes a module reference it never
# drops. Plain rmmod refuses ("in use"); rmmod -f unloads it.
p=hp_refleak
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
assert_eq "$p state" live "$(mod_state $p)"
assert_eq "$p refcnt (leaked reference)" 1 "$(mod_refcnt $p)"

try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $p" "refused: in use" "$RMMOD_PLAIN"
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" unloaded "$RMMOD_FORCED"
assert_eq "$p state after rmmod -f" absent "$(mod_state $p)"
# modrescue never takes a reference nobody explains for a leak: refused;
# only --force (the user knows it leaked) unloads it.
baseline_again $p
mr unload $p
outcome=$(mr_outcome $p)
mr unload --force $p
MR_BASELINE_OUTCOME="$outcome; --force: $(mr_outcome $p)"
baseline $p "refused: unexplained reference; --force: unloaded"
