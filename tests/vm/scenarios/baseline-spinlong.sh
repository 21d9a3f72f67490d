# baseline-spinlong: hp_spinlong's kthread holds a spinlock for 500 ms at a
# time. Reading parameter wait_ms takes the lock and prints how long it
# waited; the exit itself is fine, so plain rmmod unloads it.
p=hp_spinlong
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
assert_eq "$p state" live "$(mod_state $p)"
longest=0
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	w=$(cat /sys/module/$p/parameters/wait_ms)
	echo "waited $w ms for the lock"
	[ "$w" -gt "$longest" ] && longest=$w
	[ "$longest" -ge 100 ] && break
	# Give the kthread a turn: on RT it may not have run at all yet.
	sleep 0.1
done
assert_cmd "a second taker waited >= 100 ms (longest $longest ms)" \
	test "$longest" -ge 100

try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $p" unloaded "$RMMOD_PLAIN"
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" "not needed" "$RMMOD_FORCED"
baseline $p "not needed"
