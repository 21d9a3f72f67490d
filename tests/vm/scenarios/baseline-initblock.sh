# baseline-initblock: hp_initblock's init waits forever on a completion.
# insmod sleeps in D state with the module COMING; rmmod and rmmod -f fail.
p=hp_initblock
load_patient_bg $p healthy="${HP_HEALTHY:-0}"
insmod_blocked() { [ "$(task_state "$INSMOD_PID")" = D ]; }
wait_until 5 insmod_blocked
assert_eq "insmod task state" D "$(task_state "$INSMOD_PID")"
assert_eq "$p state" coming "$(mod_state $p)"
assert_match "insmod's kernel stack" "*hp_initblock_init*" \
	"$(cat "/proc/$INSMOD_PID/stack" 2>/dev/null)"

try_rmmod $p
RMMOD_PLAIN=$RMMOD_OUTCOME
assert_eq "rmmod $p" "refused: in use" "$RMMOD_PLAIN"
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" EBUSY "$RMMOD_FORCED"
assert_eq "$p state at the end" coming "$(mod_state $p)"
baseline $p "released, unloaded"
