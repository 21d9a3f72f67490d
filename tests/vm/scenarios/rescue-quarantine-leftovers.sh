# A quarantined copy keeps its memory, and with it what it registered: the
# report says what a fixed build will ask for again (here a misc device),
# so that its failing init is no surprise.
load_patient hp_waitevent misc=1
assert_cmd "/dev/hp_waitevent registered" test -c /dev/hp_waitevent
"$MR_KMOD/rmmod" hp_waitevent 2>/dev/null &
waiter=$!
rmmod_stuck() { [ "$(task_state "$waiter")" = D ]; }
assert_cmd "rmmod stuck in exit" wait_until 10 rmmod_stuck
mr unload hp_waitevent
assert_eq "quarantined" 4 "$MR_RC"
assert_match "names what the copy still registers" \
	"*note: hp_waitevent.q1 still registers what a fixed build of hp_waitevent will ask for again*misc device /dev/hp_waitevent*" \
	"$MR_OUT"
assert_cmd "and it does" test -c /dev/hp_waitevent
