# The demo (make demo): a module stuck in rmmod, and what the kernel's own
# tools can and cannot do about it. Also runs in make check, so it must pass.
# kernels: 6.1
# (make demo boots 6.1; the same rescue runs on every kernel in rescue-exit)
step() {
	echo
	echo "=== $* ==="
}

step "1. Load hp_exitwait, a module whose exit() waits on a completion nobody completes"
assert_cmd "insmod hp_exitwait" load_patient hp_exitwait
lsmod | grep -e Module -e hp_exitwait

step "2. rmmod hp_exitwait: it never returns"
try_rmmod hp_exitwait
assert_eq "rmmod" "hangs (D state)" "$RMMOD_OUTCOME"
echo "rmmod is pid $RMMOD_PID, state $(task_state "$RMMOD_PID"):"
cat "/proc/$RMMOD_PID/stack"
echo "module state: $(mod_state hp_exitwait)"
assert_eq "module state" going "$(mod_state hp_exitwait)"

step "2b. modrescue status and why: what is stuck, where, and since when"
modrescue status hp_exitwait
modrescue why hp_exitwait
assert_match "status verdict" "*blocked*" "$(modrescue status hp_exitwait)"
assert_match "why names the stuck rmmod" "*rmmod (pid $RMMOD_PID)*hp_exitwait*" \
	"$(modrescue why hp_exitwait)"

step "3. kill -9 the stuck rmmod: D state ignores signals"
kill -9 "$RMMOD_PID"
sleep 1
assert_eq "rmmod after kill -9" D "$(task_state "$RMMOD_PID")"
echo "rmmod (pid $RMMOD_PID) is still in state $(task_state "$RMMOD_PID")"

step "4. rmmod -f: the kernel refuses a module that is already GOING"
try_rmmod -f hp_exitwait
assert_eq "rmmod -f" EBUSY "$RMMOD_OUTCOME"

step "5. Load a fixed build under the same name: refused while the old one is GOING"
out=$(insmod "$MR_PATIENTS/hp_exitwait.ko" healthy=1 2>&1)
echo "insmod: $out"
assert_match "reload while GOING" "*busy*" "$out"

step "6. modrescue unload hp_exitwait: release the stuck rmmod, then unload"
mr unload hp_exitwait
assert_eq "unload" 0 "$MR_RC"
assert_match "released, then unloaded" "*released*" "$MR_OUT"
assert_cmd "the stuck rmmod finished on its own" is_finished "$RMMOD_PID"
assert_cmd "its exit ran to its end" sh -c "dmesg | grep -q 'hp_exitwait: exit done'"
assert_eq "module gone" absent "$(mod_state hp_exitwait)"
assert_cmd "a fixed build loads" load_patient hp_exitwait healthy=1
lsmod | grep -e Module -e hp_exitwait

step "7. Do no harm: a loop device held open is a user; rmmod -f would free loop under it, modrescue refuses, --force or not"
assert_cmd "modprobe loop" modprobe loop
assert_cmd "loop held open" hold_loop_open
mr unload --force loop
assert_eq "unload --force loop: refused" 3 "$MR_RC"
assert_match "names the holder" "*in use by: pid $LOOP_HOLDER (sleep) fd 0 block device*" "$MR_ERR"
assert_cmd "loop closed" release_loop
mr unload loop
assert_eq "once closed, a plain unload" 0 "$MR_RC"

step "Result: the kernel alone needed a reboot; modrescue released the stuck rmmod, the fix is loaded, and it refused to hurt a real user"
