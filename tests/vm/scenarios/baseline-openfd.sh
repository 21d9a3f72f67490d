# baseline-openfd: a process holds /dev/hp_openfd open, a legitimate user.
# Plain rmmod refuses ("in use"); rmmod -f unloads the module underneath
# the open file, and the kernel oopses when the process closes it.
p=hp_openfd
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
assert_cmd "/dev/$p exists" test -c /dev/$p
# The holder: a process with the device open as its stdin.
# shellcheck disable=SC2217 # the open file is the point, not the input
sleep 1000 </dev/$p &
holder=$!
held() { [ "$(mod_refcnt $p)" = 1 ]; }
wait_until 3 held
assert_eq "$p refcnt while held open" 1 "$(mod_refcnt $p)"
assert_eq "holder state" S "$(task_state $holder)"

try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $p" "refused: in use" "$RMMOD_PLAIN"
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" unloaded "$RMMOD_FORCED"
assert_eq "$p state after rmmod -f" absent "$(mod_state $p)"

if [ "$RMMOD_FORCED" = unloaded ]; then
	# Closing the file now runs into the freed module.
	expect oops 1
	kill $holder
	oopsed() { dmesg | grep -q "Oops"; }
	wait_until 5 oopsed
	assert_cmd "closing the fd oopsed" oopsed
fi

# modrescue meets the same state: loaded again, held open again.
baseline_again() {
	load_patient "$p"
	# shellcheck disable=SC2217 # the open file is the point, not the input
	sleep 1000 <"/dev/$p" &
	wait_until 3 held
	try_rmmod "$p"
}
baseline $p "refused: live user"
