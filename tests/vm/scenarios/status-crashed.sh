# status-crashed: an init that oopsed (module left COMING), an exit that
# oopsed (left GOING), and kthread_stop on a freed thread (seed 003: left
# GOING, with rmmod either oopsed or hung in kthread_stop). With no task
# left in them the verdicts are coming and going; a hung rmmod is blocked.
# shellcheck source=tests/vm/scenarios/status-basics.sh
STATUS_LIB=1 . /lab/scenarios/status-basics.sh

expect oops 2 3
expect warning 0 2
load_patient hp_exitoops
rmmod hp_exitoops 2>/dev/null
assert_eq "hp_exitoops state" going "$(mod_state hp_exitoops)"
load_patient hp_kthreadstop
try_rmmod hp_kthreadstop
assert_oneof "rmmod hp_kthreadstop" "$RMMOD_OUTCOME" "killed (oops)" \
	"hangs (D state)"
assert_eq "hp_kthreadstop state" going "$(mod_state hp_kthreadstop)"
# The init oops last: on 6.4+ the killed insmod leaves its entry in the
# kernel's idempotent-load table, and the next finit_module() can oops on
# it (seen on 6.12 when hp_exitoops was loaded after it).
load_patient hp_initoops
expect_done
assert_eq "hp_initoops state" coming "$(mod_state hp_initoops)"
snap_modules

check hp_initoops coming coming 1 "" true
assert_eq "hp_initoops: no task left in it" "" "$(jtasks)"
why_has hp_initoops "*init crashed: the module stayed COMING*modrescue unload would mark it LIVE*"

check hp_exitoops going going -1 "" true
assert_eq "hp_exitoops: no task left in it" "" "$(jtasks)"
why_has hp_exitoops "*unload started but no task is left in it*stayed GOING*exit cleared*"

if [ "$RMMOD_OUTCOME" = "hangs (D state)" ]; then
	check hp_kthreadstop blocked going -1 "" true
	assert_cmd "hp_kthreadstop: the hung rmmod, op unload, in its exit" \
		jtask rmmod unload hp_kthreadstop
	why_has hp_kthreadstop "*rmmod (pid $RMMOD_PID) has been blocked for * s in *kthread_stop <- hp_kthreadstop_exit \[hp_kthreadstop\]*"
else
	check hp_kthreadstop going going -1 "" true
	assert_eq "hp_kthreadstop: no task left in it" "" "$(jtasks)"
	why_has hp_kthreadstop "*unload started but no task is left in it*stayed GOING*exit cleared*"
fi
same_modules
st_capture crashed
