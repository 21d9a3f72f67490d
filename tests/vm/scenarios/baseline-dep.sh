# baseline-dep: hp_dep_b links against hp_dep_a's export, so hp_dep_a has a
# holder. rmmod hp_dep_a is refused and rmmod -f hp_dep_a fails too; the
# chain comes apart only top first.
a=hp_dep_a
b=hp_dep_b
load_patient $a healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $a" 0 "$?"
load_patient $b healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $b" 0 "$?"
assert_eq "$b state" live "$(mod_state $b)"
assert_cmd "$b is a holder of $a" test -e /sys/module/$a/holders/$b
assert_eq "$a refcnt" 1 "$(mod_refcnt $a)"

try_rmmod $a
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $a" "refused: has holders" "$RMMOD_PLAIN"
rmmod_f_if_loaded $a
assert_eq "rmmod -f $a" EWOULDBLOCK "$RMMOD_FORCED"
assert_eq "$a state" live "$(mod_state $a)"
baseline $a "refused: has holders"

# Top first works.
try_rmmod $b
assert_eq "rmmod $b" unloaded "$RMMOD_OUTCOME"
try_rmmod $a
assert_eq "rmmod $a after $b" unloaded "$RMMOD_OUTCOME"
