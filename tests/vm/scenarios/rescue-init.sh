# rescue-init: insmod stuck in an init that waits on a completion
# (hp_initblock). modrescue unload releases it: the original insmod
# returns, the module goes LIVE, and the normal unload takes it out.
# modrescue unblock PID does only the release: the module stays, LIVE.
is_d() { [ "$(task_state "$1")" = D ]; }

load_patient_bg hp_initblock
loader=$INSMOD_PID
assert_cmd "insmod stuck" wait_until 10 is_d "$loader"
assert_eq "module coming" coming "$(mod_state hp_initblock)"

# --dry-run says what it would do, and does nothing.
mr unload --dry-run hp_initblock
assert_eq "dry run: exit" 0 "$MR_RC"
assert_match "dry run: would release" "*would: load the helper*would: release the stuck task*" "$MR_OUT"
assert_eq "dry run: still stuck" D "$(task_state "$loader")"
assert_eq "dry run: helper not loaded" absent "$(mod_state modrescue)"

mr unload hp_initblock
assert_eq "unload: exit" 0 "$MR_RC"
assert_match "unload: released pid" "*released pid $loader (insmod), stuck in its init*" "$MR_OUT"
assert_match "unload: released, then unloaded" "*released, then unloaded*" "$MR_OUT"
assert_cmd "the original insmod returned" is_finished "$loader"
is_finished "$loader" && wait "$loader"
assert_eq "the original insmod succeeded" 0 "$?"
assert_cmd "its init ran to its end" sh -c "dmesg | grep -q 'hp_initblock: init done'"
assert_cmd "its exit ran, by the normal unload" sh -c "dmesg | grep -q 'hp_initblock: exit done'"
assert_eq "gone" absent "$(mod_state hp_initblock)"

# unblock PID: only the release.
load_patient_bg hp_initblock
loader=$INSMOD_PID
assert_cmd "insmod stuck again" wait_until 10 is_d "$loader"
mr unblock --dry-run "$loader"
assert_eq "unblock --dry-run: exit" 0 "$MR_RC"
assert_match "unblock --dry-run: would" "*would release pid $loader (insmod)*hp_initblock_go*" "$MR_OUT"
assert_eq "unblock --dry-run: still stuck" D "$(task_state "$loader")"
mr unblock "$loader"
assert_eq "unblock: exit" 0 "$MR_RC"
assert_match "unblock: released" "*pid $loader: released*finished on its own*" "$MR_OUT"
assert_cmd "insmod returned" is_finished "$loader"
is_finished "$loader" && wait "$loader"
assert_eq "insmod succeeded" 0 "$?"
assert_eq "module live" live "$(mod_state hp_initblock)"
assert_cmd "and unloads normally" rmmod hp_initblock

# unblock refuses what is not stuck in a module.
sleep 100 &
sleeper=$!
mr unblock "$sleeper"
assert_eq "unblock a sleeping shell tool: refused" 3 "$MR_RC"
assert_match "unblock: says why" "*pid $sleeper is not stuck in a module's init or exit*" "$MR_ERR"
kill "$sleeper"
mr unblock 0
assert_eq "unblock 0: usage" 2 "$MR_RC"
mr unblock x
assert_eq "unblock x: usage" 2 "$MR_RC"
assert_eq "helper not left loaded" absent "$(mod_state modrescue)"
