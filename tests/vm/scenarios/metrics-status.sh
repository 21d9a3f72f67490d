# metrics-status (issue 12): `status --prometheus` and `--textfile` on a real
# kernel. An rmmod stuck in hp_exitwait's exit shows as
# modrescue_module_stuck{hp_exitwait,blocked} with its blocked task; with
# lockwatch on, hp_lockhold's spinlock held for seconds shows as
# modrescue_lock_held_seconds with its symbol and owner; after unload
# releases the rmmod the module is no longer stuck and the forced step's
# taint R shows. With `contain on`, hp_spinoops's oops, contained, counts
# in modrescue_contained_total{kind="oops"} (0 before, and for panics). `unblock --json` of a task that is not stuck is refused in
# JSON. (The exposition's syntax is checked by a real parser on the host:
# tests/metrics.)
# timeout: 300
# accel: tcg,thread=single

# prom: one `status --prometheus` into /tmp/m.prom and $PROM.
prom() {
	modrescue status --prometheus >/tmp/m.prom 2>/tmp/m.err
	PROM_RC=$?
	PROM=$(cat /tmp/m.prom)
}
has() { grep -qx -- "$1" /tmp/m.prom; }

prom
assert_eq "idle: exit" 0 "$PROM_RC"
assert_match "idle: HELP and TYPE" "*# HELP modrescue_module_stuck *# TYPE modrescue_module_stuck gauge*" "$PROM"
assert_cmd "idle: nothing stuck" has 'modrescue_stuck_modules 0'
assert_cmd "idle: tasks visible" has 'modrescue_tasks_visible 1'
assert_cmd "idle: lockwatch off" has 'modrescue_lockwatch_enabled 0'
assert_cmd "idle: no taint R" has 'modrescue_kernel_taint_forced_rmmod 0'

load_patient hp_exitwait
"$MR_KMOD/rmmod" hp_exitwait 2>/dev/null &
rmmod_pid=$!
stuck() { [ "$(task_state "$rmmod_pid")" = D ]; }
assert_cmd "rmmod stuck" wait_until 10 stuck
sleep 2
prom
printf '%s\n' "$PROM" | grep -v '^#'
assert_cmd "stuck: module" has 'modrescue_module_stuck{module="hp_exitwait",verdict="blocked"} 1'
assert_cmd "stuck: one" has 'modrescue_stuck_modules 1'
secs=$(sed -n "s/^modrescue_task_blocked_seconds{module=\"hp_exitwait\",pid=\"$rmmod_pid\",comm=\"rmmod\",op=\"unload\"} \([0-9]*\)$/\1/p" /tmp/m.prom)
assert_match "stuck: the rmmod, blocked for seconds" "[0-9]*" "$secs"
assert_cmd "stuck: blocked >= 2 s" test "${secs:-0}" -ge 2

mkdir -p /tmp/textfile
mr status --textfile /tmp/textfile
assert_eq "textfile: exit" 0 "$MR_RC"
assert_eq "textfile: nothing printed" "" "$MR_OUT"
assert_cmd "textfile: written, stuck module in it" grep -qx 'modrescue_module_stuck{module="hp_exitwait",verdict="blocked"} 1' /tmp/textfile/modrescue.prom
assert_eq "textfile: only modrescue.prom" modrescue.prom "$(ls -A /tmp/textfile)"
assert_eq "textfile: 0644" 644 "$(stat -c %a /tmp/textfile/modrescue.prom)"

# Lockwatch: a spinlock held 4 s at a time is exported once held 1 s.
mr lockwatch on
assert_eq "lockwatch on" 0 "$MR_RC"
load_patient hp_lockhold kind=spin hold_ms=4000 pause_ms=200
held() {
	prom
	grep -q '^modrescue_lock_held_seconds{lock="0x[0-9a-f]*",symbol="hp_lockhold_spin \[hp_lockhold\]",owner_pid="[0-9]*",owner_comm="hp_lockhold"} [1-9][0-9]*\.[0-9][0-9][0-9]$' /tmp/m.prom
}
assert_cmd "lockwatch: the held lock exported" wait_until 30 held
grep '^modrescue_lock\|^modrescue_lockwatch' /tmp/m.prom
assert_cmd "lockwatch: enabled" has 'modrescue_lockwatch_enabled 1'
# Nothing held under 1 s is exported.
short=$(awk '/^modrescue_lock_held_seconds\{/ && $NF + 0 < 1' /tmp/m.prom)
assert_eq "lockwatch: no lock held < 1 s" "" "$short"
assert_cmd "rmmod hp_lockhold" rmmod hp_lockhold
mr lockwatch off
assert_eq "lockwatch off" 0 "$MR_RC"

# unblock --json: a task that is not stuck is refused, in JSON.
sleep 1000 &
sleeper=$!
mr unblock --json "$sleeper"
assert_eq "unblock --json: refused" 3 "$MR_RC"
assert_match "unblock --json: shape" "{\"pid\":$sleeper,\"result\":\"refused\",\"steps\":\[*\]*}" "$MR_OUT"
kill "$sleeper"

# unload releases the rmmod: nothing stuck, the taint R shows.
mr unload hp_exitwait
assert_eq "unload" 0 "$MR_RC"
wait_until 10 is_absent hp_exitwait
prom
assert_cmd "after: nothing stuck" has 'modrescue_stuck_modules 0'
assert_cmd "after: no module_stuck sample" sh -c "! grep -q '^modrescue_module_stuck{' /tmp/m.prom"
assert_cmd "after: taint R" has 'modrescue_kernel_taint_forced_rmmod 1'
assert_eq "after: taint R per the kernel" 1 "$(taint_forced_rmmod)"

# Containment: an oops whose task's locks were released counts.
assert_cmd "no helper: contained 0" has 'modrescue_contained_total{kind="oops"} 0'
mr contain on
assert_eq "contain on" 0 "$MR_RC"
prom
assert_cmd "contain on: oops 0" has 'modrescue_contained_total{kind="oops"} 0'
assert_cmd "contain on: panic 0" has 'modrescue_contained_total{kind="panic"} 0'
expect oops 1
load_patient hp_spinoops
assert_cmd "the oopsing task released its lock" wait_until 10 oops_released hp_spinoops hp_spinoops_lock
contained() {
	prom
	has 'modrescue_contained_total{kind="oops"} 1'
}
assert_cmd "contained: oops 1" wait_until 10 contained
assert_cmd "contained: panic 0" has 'modrescue_contained_total{kind="panic"} 0'
grep '^modrescue_contained' /tmp/m.prom
mr unload hp_spinoops
assert_eq "unload hp_spinoops" 0 "$MR_RC"
mr contain off
assert_eq "contain off" 0 "$MR_RC"
mr lockwatch off
assert_eq "lockwatch off after contain" 0 "$MR_RC"
