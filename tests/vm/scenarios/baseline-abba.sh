# baseline-abba: hp_abba's two kthreads take spinlocks A,B and B,A. They use
# spin_trylock for the second lock so the VM survives, and count each time
# it would have deadlocked. The exit is fine, so plain rmmod unloads it.
p=hp_abba
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
assert_eq "$p state" live "$(mod_state $p)"
sleep 1
collisions=$(cat /sys/module/$p/parameters/collisions)
rounds=$(cat /sys/module/$p/parameters/rounds)
echo "collisions=$collisions rounds=$rounds"
assert_cmd "the threads ran" test "$rounds" -gt 0
assert_cmd "AB-BA collisions seen ($collisions)" test "$collisions" -gt 0

try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $p" unloaded "$RMMOD_PLAIN"
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" "not needed" "$RMMOD_FORCED"
baseline $p "not needed"
