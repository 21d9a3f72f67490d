# A process whose main thread called pthread_exit() while another thread
# runs on keeps its mappings: the leader is a zombie with no mm, and the
# mapping must be found through the thread still running. holdfast
# map-thread maps /dev/hp_openfd, closes the fd and ends its main thread:
# unload (and unload --force) refuse, exit 3, naming the process; once it
# is killed, a plain unload.
# timeout: 180
HOLD=/tmp/hold.out
load_patient hp_openfd
assert_eq "insmod hp_openfd" 0 "$?"
holdfast map-thread /dev/hp_openfd >"$HOLD" 2>&1 &
HOLDER=$!
assert_cmd "holdfast ready" wait_until 5 grep -q ready "$HOLD"
assert_eq "its main thread is a zombie" Z "$(task_state "$HOLDER")"
assert_cmd "its mapping shows in the running thread only" \
	sh -c "grep -q hp_openfd /proc/$HOLDER/task/*/maps && ! grep -q hp_openfd /proc/$HOLDER/maps"
assert_eq "the mapping holds the module" 1 "$(mod_refcnt hp_openfd)"
refused_for hp_openfd "leader exited" "pid $HOLDER (holdfast) maps hp_openfd"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
assert_cmd "mapping gone" wait_until 5 refcnt_is hp_openfd 0
mr unload hp_openfd
assert_eq "unloaded once the process is gone" 0 "$MR_RC"
assert_eq "hp_openfd gone" absent "$(mod_state hp_openfd)"
