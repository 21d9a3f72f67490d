# status-crashed: an init that oopsed (module left COMING), an exit that
# oopsed (left GOING), and kthread_stop on a freed thread (left GOING): no
# task is left in them, so the verdicts are coming and going.
STATUS_LIB=1 . /lab/scenarios/status-basics.sh

expect oops 3
expect warning 0 2
load_patient hp_initoops
assert_eq "hp_initoops state" coming "$(mod_state hp_initoops)"
load_patient hp_exitoops
rmmod hp_exitoops 2>/dev/null
assert_eq "hp_exitoops state" going "$(mod_state hp_exitoops)"
load_patient hp_kthreadstop
rmmod hp_kthreadstop 2>/dev/null
assert_eq "hp_kthreadstop state" going "$(mod_state hp_kthreadstop)"
snap_modules

check hp_initoops coming coming 1 "" true
assert_eq "hp_initoops: no task left in it" "" "$(jtasks)"
why_has hp_initoops "*init crashed: the module stayed COMING*modrescue unload would mark it LIVE*"

for p in hp_exitoops hp_kthreadstop; do
	check $p going going -1 "" true
	assert_eq "$p: no task left in it" "" "$(jtasks)"
	why_has $p "*unload started but no task is left in it*stayed GOING*exit cleared*"
done
same_modules
st_capture crashed
