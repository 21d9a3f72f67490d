# baseline-exitwait: hp_exitwait's exit waits forever on a static completion (seed 000).
# rmmod sleeps in D state inside the exit with the module GOING; rmmod -f
# gets EBUSY.
p=hp_exitwait
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
assert_eq "$p state" live "$(mod_state $p)"

try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
stuck=$RMMOD_PID
assert_eq "rmmod $p" "hangs (D state)" "$RMMOD_PLAIN"
assert_eq "$p state" going "$(mod_state $p)"
assert_match "rmmod's kernel stack" "*hp_exitwait_exit*" "$(cat "/proc/$stuck/stack" 2>/dev/null)"
if is_absent $p; then
	RMMOD_FORCED="not needed"
else
	try_rmmod $p -f
	RMMOD_FORCED=$RMMOD_OUTCOME
fi
assert_eq "rmmod -f $p" EBUSY "$RMMOD_FORCED"
assert_eq "$p state at the end" going "$(mod_state $p)"
assert_eq "first rmmod still asleep" D "$(task_state "$stuck")"
baseline $p
