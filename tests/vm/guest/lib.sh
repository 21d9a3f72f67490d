# Guest-side helpers for lab scenarios, sourced by /init before a scenario.
# Everything a scenario prints goes to the serial console; lines starting
# with "MR-" are read by the host harness (tests/vm/logcheck):
#   MR-EXPECT KIND MIN MAX   kernel reports this scenario will cause
#   MR-FAIL: TEXT            a failed assertion
#   MR-BASELINE ...          one row of docs/baseline.md
#   MR-RESULT PASS|FAIL      printed by /init after the scenario

MR_PATIENTS=/lab/patients
# kmod's tools. Busybox ash runs its own applets (insmod, rmmod, lsmod,
# modprobe...) ahead of PATH, so call kmod by path: through these functions
# in the foreground, and by path directly where a background job's PID must
# be the tool itself (a function run with & is a subshell).
MR_KMOD=/usr/sbin
insmod() { "$MR_KMOD/insmod" "$@"; }
rmmod() { "$MR_KMOD/rmmod" "$@"; }
# shellcheck disable=SC2120 # passes on what it is given, if anything
lsmod() { "$MR_KMOD/lsmod" "$@"; }
modprobe() { "$MR_KMOD/modprobe" "$@"; }
modinfo() { "$MR_KMOD/modinfo" "$@"; }
MR_FAILURES=/tmp/mr-failures
# MR_META=1: a scenario run inside another (the meta scenario) that expects
# it to fail; its failures are counted in MR_FAILURES but are not reported
# to the host, and it declares no kernel reports.
MR_META=${MR_META:-0}

# expect KIND MIN [MAX]: declare, before causing them, kernel reports this
# scenario will produce. KIND is one of: oops bug warning softlockup
# hardlockup hung rcustall panic. MAX defaults to MIN.
# The line goes through /dev/kmsg, so it sits in the kernel log in order
# with the reports it announces; a console echo can be overtaken by them.
expect() {
	[ "$MR_META" = 1 ] && return 0
	[ "$1" = panic ] && console_drain
	echo "<4>MR-EXPECT $1 $2 ${3:-$2}" >/dev/kmsg
}

# console_drain: wait (5 s at most) until the serial port has sent all the
# guest has written. A panic that stops a CPU inside the 8250 driver leaves
# the port lock taken; on PREEMPT_RT (a sleeping lock there) panic()'s own
# console flush then spins on it for good and the VM never powers off.
serial_tx() { sed -n 's/^0:.* tx:\([0-9]*\).*/\1/p' /proc/tty/driver/serial; }
console_drain() {
	local before after i=0
	after=$(serial_tx)
	while [ $i -lt 25 ]; do
		sleep 0.2
		before=$after
		after=$(serial_tx)
		[ "$before" = "$after" ] && return 0
		i=$((i + 1))
	done
}

# expect_panic TEXT: the scenario ends in one panic whose message says
# TEXT (another panic fails it). expect_line TEXT: a later line of the log
# must say TEXT (what the guest cannot check once the kernel has panicked,
# e.g. modrescue's own line about the panic).
expect_panic() {
	expect panic 1
	[ "$MR_META" = 1 ] && return 0
	echo "<4>MR-EXPECT-PANIC $*" >/dev/kmsg
}
expect_line() {
	[ "$MR_META" = 1 ] && return 0
	echo "<4>MR-EXPECT-LINE $*" >/dev/kmsg
}

# expect_done: the step the last expects announced is over. The lab checks
# that each declared minimum was reached since the previous expect_done,
# and withdraws what was allowed but not seen: a later step (modrescue's
# own) may not spend it.
expect_done() {
	[ "$MR_META" = 1 ] && return 0
	echo "<4>MR-EXPECT-DONE" >/dev/kmsg
}

# hung_detector_quick: report a task blocked for 2 s, checked every 2 s;
# hung_detector_default: back to the lab's setting (see /init).
hung_detector_quick() {
	echo -1 >/proc/sys/kernel/hung_task_warnings
	echo 2 >/proc/sys/kernel/hung_task_timeout_secs
	echo 0 >/proc/sys/kernel/hung_task_check_interval_secs
}
hung_detector_default() {
	echo "$MR_HUNG_SECS" >/proc/sys/kernel/hung_task_timeout_secs
	echo 10 >/proc/sys/kernel/hung_task_check_interval_secs
}

# skip REASON: this scenario does not apply to this kernel. Ends the
# scenario; the lab counts it as skipped, not passed (a failure before it
# still fails it).
MR_SKIPPED=/tmp/mr-skipped
skip() {
	echo "MR-SKIP: $*"
	echo "$*" >"$MR_SKIPPED"
	exit 0
}

fail() {
	if [ "$MR_META" = 1 ]; then
		echo "meta: expected failure: $*"
	else
		echo "MR-FAIL: $*"
	fi
	echo x >>"$MR_FAILURES"
}

note() {
	echo "MR-NOTE: $*"
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	if [ "$2" = "$3" ]; then
		echo "ok: $1 = $3"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# assert_match WHAT PATTERN ACTUAL: ACTUAL matches the shell glob PATTERN.
assert_match() {
	# shellcheck disable=SC2254
	case "$3" in
	$2) echo "ok: $1 = $3" ;;
	*) fail "$1: expected '$2', got '$3'" ;;
	esac
}

# assert_oneof WHAT ACTUAL CHOICE...: ACTUAL equals one of the choices.
assert_oneof() {
	what=$1
	actual=$2
	shift 2
	for choice in "$@"; do
		if [ "$actual" = "$choice" ]; then
			echo "ok: $what = $actual"
			return 0
		fi
	done
	fail "$what: expected one of '$*', got '$actual'"
}

# assert_cmd WHAT CMD...: CMD exits 0.
assert_cmd() {
	what=$1
	shift
	if "$@"; then
		echo "ok: $what"
	else
		fail "$what (command: $*)"
	fi
}

failures() {
	[ -f "$MR_FAILURES" ] && wc -l <"$MR_FAILURES" || echo 0
}

# load_patient NAME [PARAM=VALUE...]: insmod a patient; prints insmod's exit
# status. Use load_patient_bg for an init that blocks.
load_patient() {
	name=$1
	shift
	insmod "$MR_PATIENTS/$name.ko" "$@"
}

# load_patient_bg NAME [PARAM=VALUE...]: insmod a patient in the background
# (for an init that blocks or dies); INSMOD_PID is the insmod process.
load_patient_bg() {
	name=$1
	shift
	"$MR_KMOD/insmod" "$MR_PATIENTS/$name.ko" "$@" &
	# shellcheck disable=SC2034 # read by the scenarios
	INSMOD_PID=$!
}

# mod_state NAME: live, coming, going, or absent.
mod_state() {
	if [ -r "/sys/module/$1/initstate" ]; then
		cat "/sys/module/$1/initstate"
	elif grep -q "^$1 " /proc/modules; then
		# A module without its sysfs directory (early COMING, late GOING):
		# /proc/modules says Loading, Live or Unloading.
		awk -v m="$1" '$1 == m {
			s = tolower($5)
			if (s == "loading") s = "coming"
			if (s == "unloading") s = "going"
			print s
		}' /proc/modules
	else
		echo absent
	fi
}

# mod_refcnt NAME: the refcount as /proc/modules shows it.
mod_refcnt() {
	awk -v m="$1" '$1 == m { print $3 }' /proc/modules
}

# task_state PID: the one-letter state from /proc/PID/stat, or "gone".
task_state() {
	if [ -r "/proc/$1/stat" ]; then
		sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1
	else
		echo gone
	fi
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s; 0 once it succeeds.
wait_until() {
	limit=$(($1 * 10))
	shift
	i=0
	while [ "$i" -lt "$limit" ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

is_absent() { [ "$(mod_state "$1")" = absent ]; }
is_gone() { [ "$(task_state "$1")" = gone ]; }

# Text of the last errno message rmmod printed, classified.
classify_rmmod_error() {
	case "$1" in
	*"is in use by"*) echo "refused: has holders" ;;
	*"is in use"*) echo "refused: in use" ;;
	*"Device or resource busy"*) echo "EBUSY" ;;
	*"Resource temporarily unavailable"*) echo "EWOULDBLOCK" ;;
	*"not currently loaded"*) echo "not loaded" ;;
	*) echo "error: $1" ;;
	esac
}

is_finished() {
	case "$(task_state "$1")" in
	Z | gone) return 0 ;;
	*) return 1 ;;
	esac
}

# try_rmmod NAME [-f]: run the kernel's own rmmod (kmod), give it 3 s, and
# set RMMOD_OUTCOME to one of: unloaded, refused: in use, refused: has
# holders, EBUSY, EWOULDBLOCK, hangs (D state), hangs (R state),
# killed (oops), or "error: ...". RMMOD_PID is the rmmod process.
try_rmmod() {
	"$MR_KMOD/rmmod" "$@" 2>/tmp/rmmod.err &
	RMMOD_PID=$!
	if wait_until 3 is_finished "$RMMOD_PID"; then
		wait "$RMMOD_PID"
		rc=$?
		err=$(cat /tmp/rmmod.err)
		if [ "$rc" = 0 ] && is_absent "$1"; then
			RMMOD_OUTCOME=unloaded
		elif [ "$rc" -ge 128 ]; then
			RMMOD_OUTCOME="killed (oops)"
		else
			RMMOD_OUTCOME=$(classify_rmmod_error "$err")
		fi
	else
		RMMOD_OUTCOME="hangs ($(task_state "$RMMOD_PID") state)"
	fi
	echo "rmmod $*: $RMMOD_OUTCOME"
}

# rmmod_f_if_loaded NAME: set RMMOD_FORCED to what rmmod -f does to NAME,
# or "not needed" when the plain rmmod already unloaded it.
rmmod_f_if_loaded() {
	if is_absent "$1"; then
		RMMOD_FORCED="not needed"
	else
		try_rmmod "$1" -f
		RMMOD_FORCED=$RMMOD_OUTCOME
	fi
}

# baseline_exit_blocked PATIENT EXPECT...: the recipe shared by the
# patients whose exit blocks forever: rmmod sleeps in D state inside
# PATIENT_exit with the module GOING, rmmod -f gets EBUSY, and the first
# rmmod stays asleep. EXPECT: what modrescue unload may do (see baseline).
baseline_exit_blocked() {
	p=$1
	shift
	load_patient "$p" healthy="${HP_HEALTHY:-0}"
	assert_eq "insmod $p" 0 "$?"
	assert_eq "$p state" live "$(mod_state "$p")"

	try_rmmod "$p"
	RMMOD_PLAIN=$RMMOD_OUTCOME
	stuck=$RMMOD_PID
	assert_eq "rmmod $p" "hangs (D state)" "$RMMOD_PLAIN"
	assert_eq "$p state" going "$(mod_state "$p")"
	assert_match "rmmod's kernel stack" "*${p}_exit*" \
		"$(cat "/proc/$stuck/stack" 2>/dev/null)"
	rmmod_f_if_loaded "$p"
	assert_eq "rmmod -f $p" EBUSY "$RMMOD_FORCED"
	assert_eq "$p state at the end" going "$(mod_state "$p")"
	assert_eq "first rmmod still asleep" D "$(task_state "$stuck")"
	baseline "$p" "$@"
}

# baseline PATIENT [EXPECT...]: record what rmmod, rmmod -f and modrescue
# unload do to PATIENT (RMMOD_PLAIN and RMMOD_FORCED come from the
# scenario). modrescue meets PATIENT as the plain rmmod left it: when rmmod
# -f has removed it meanwhile, baseline_again (which a scenario may
# redefine) brings that state back first. EXPECT lists the modrescue
# outcomes the scenario accepts; MR_BASELINE_OUTCOME, when set, is recorded
# as it is.
baseline() {
	[ "$MR_META" = 1 ] && return 0
	bp=$1
	shift
	if [ -z "$MR_BASELINE_OUTCOME" ]; then
		if [ "$RMMOD_PLAIN" = unloaded ]; then
			MR_BASELINE_OUTCOME="not needed"
		else
			is_absent "$bp" && baseline_again "$bp"
			mr unload "$bp"
			MR_BASELINE_OUTCOME=$(mr_outcome "$bp")
		fi
	fi
	[ $# -gt 0 ] && assert_oneof "modrescue unload $bp" "$MR_BASELINE_OUTCOME" "$@"
	echo "MR-BASELINE patient=$bp|rmmod=$RMMOD_PLAIN|rmmod -f=$RMMOD_FORCED|modrescue=$MR_BASELINE_OUTCOME"
}

# baseline_again PATIENT: load it again and let the plain rmmod fail again.
baseline_again() {
	load_patient "$1" healthy="${HP_HEALTHY:-0}"
	try_rmmod "$1"
}

# stuck_rmmod PATIENT: load it and start the kernel's rmmod on it in the
# background (its exit is to block); rmmod_PATIENT holds the rmmod's pid.
stuck_rmmod() {
	load_patient "$1"
	"$MR_KMOD/rmmod" "$1" 2>/dev/null &
	eval "rmmod_$1=$!"
}

# mr_outcome PATIENT: the last `mr unload PATIENT` in a few words.
mr_outcome() {
	case "$MR_RC" in
	0)
		if ! is_absent "$1"; then
			echo "exit 0, still loaded"
		elif [ -z "${MR_OUT##*released, then unloaded*}" ]; then
			echo "released, unloaded"
		else
			echo unloaded
		fi
		;;
	3)
		case "$MR_ERR" in
		*--cascade*) echo "refused: has holders" ;;
		*"spins on a CPU"*) echo "refused: spinning task" ;;
		*"no open file, mapping"*) echo "refused: unexplained reference" ;;
		*"in use by"*) echo "refused: live user" ;;
		*) echo refused ;;
		esac
		;;
	4) echo quarantined ;;
	*) echo "failed (exit $MR_RC)" ;;
	esac
}

# The helper as installed in the VM; ksym NAME: a core-kernel symbol's
# address from /proc/kallsyms, for scenarios that drive the helper directly.
MR_HELPER=/lib/modules/$(uname -r)/extra/modrescue.ko
ksym() { awk -v s="$1" '$3 == s && NF == 3 { print "0x" $1 }' /proc/kallsyms; }

# load_helper: insmod the helper with the module symbols it needs, and
# the superblock list, as the CLI gives them.
load_helper() {
	# shellcheck disable=SC2046 # one word per parameter
	insmod "$MR_HELPER" modules_addr="$(ksym modules)" \
		module_mutex_addr="$(ksym module_mutex)" \
		super_blocks_addr="$(ksym super_blocks)" \
		sb_lock_addr="$(ksym sb_lock)" \
		rtnl_mutex_addr="$(ksym rtnl_mutex)" $(static_areas)
}

# static_areas: the helper's parameters for the bounds of the kernel's
# static data, where it looks for what a crashed exit left registered (the
# CLI ends .bss before x86's .bss..decrypted, freed at boot).
static_areas() {
	bss_stop=$(ksym __start_bss_decrypted)
	[ -n "$bss_stop" ] || bss_stop=$(ksym __bss_stop)
	echo "sdata_addr=$(ksym _sdata) edata_addr=$(ksym _edata)" \
		"bss_start_addr=$(ksym __bss_start) bss_stop_addr=$bss_stop" \
		"per_cpu_start_addr=$(ksym __per_cpu_start)" \
		"per_cpu_end_addr=$(ksym __per_cpu_end)"
}

# run_probe ARGS...: run the probe tool named by $PROBE (tests/vm/tools),
# keep its key=value lines in /tmp/probe.out and echo them to the log;
# probe KEY prints one value.
# shellcheck disable=SC2120 # ARGS may be none
run_probe() {
	"$PROBE" "$@" >/tmp/probe.out
	sed 's/^/  probe: /' /tmp/probe.out
}
probe() { sed -n "s/^$1=//p" /tmp/probe.out; }

# mr NAME ARGS...: run modrescue, keeping stdout in MR_OUT, stderr in
# MR_ERR and the exit code in MR_RC, and echo all three for the log.
mr() {
	modrescue "$@" >/tmp/mr.out 2>/tmp/mr.err
	MR_RC=$?
	MR_OUT=$(cat /tmp/mr.out)
	MR_ERR=$(cat /tmp/mr.err)
	echo "\$ modrescue $* -> exit $MR_RC"
	sed 's/^/  | /' /tmp/mr.out /tmp/mr.err
}

# hold_loop_open / release_loop: a process holding /dev/loop0 open (pid in
# LOOP_HOLDER), a real user of loop; each waits until the refcount shows it.
loop_refcnt_is() { [ "$(mod_refcnt loop)" = "$1" ]; }
hold_loop_open() {
	# shellcheck disable=SC2217 # the open file is the point, not the input
	sleep 1000 </dev/loop0 &
	LOOP_HOLDER=$!
	wait_until 5 loop_refcnt_is 1
}
release_loop() {
	kill "$LOOP_HOLDER"
	wait "$LOOP_HOLDER" 2>/dev/null
	wait_until 5 loop_refcnt_is 0
}

# oopsed_in FUNC: the kernel log has an oops whose RIP is in FUNC.
oopsed_in() { dmesg | grep -q "RIP: .*$1"; }
# spinoops_under_lockwatch: arm lockwatch, then load hp_spinoops, whose
# kthread oopses (announced) holding hp_spinoops_lock: a dead owner's lock.
spinoops_under_lockwatch() {
	mr lockwatch on
	assert_eq "lockwatch on" 0 "$MR_RC"
	expect oops 1
	load_patient hp_spinoops
	assert_eq "insmod hp_spinoops" 0 "$?"
	assert_cmd "the kthread oopsed with the lock held" \
		wait_until 10 oopsed_in hp_spinoops_thread
}
# oops_released TASK LOCK: containment logged releasing LOCK for TASK.
oops_released() { dmesg | grep -q "oops in $1\[[0-9]*\]: released lock $2"; }

# refcnt_is MOD N: MOD's refcount is N.
refcnt_is() { [ "$(mod_refcnt "$1")" = "$2" ]; }
# refused_for MOD WHAT PATTERN: unload MOD, then unload --force MOD: both
# refused, exit 3, naming the user; the module still live, refcnt kept.
refused_for() {
	before=$(mod_refcnt "$1")
	mr unload "$1"
	assert_eq "$2: refused" 3 "$MR_RC"
	assert_match "$2: names the user" "*Module $1 is in use by: *$3*" "$MR_ERR"
	mr unload --force "$1"
	assert_eq "$2: --force refused too" 3 "$MR_RC"
	assert_match "$2: --force names it" "*Module $1 is in use by: *$3*" "$MR_ERR"
	assert_eq "$2: still live" live "$(mod_state "$1")"
	assert_eq "$2: refcnt untouched" "$before" "$(mod_refcnt "$1")"
	assert_eq "$2: no taint" 0 "$(taint_forced_rmmod)"
}

# TAINT_FORCED_RMMOD ("R") is bit 3 of the taint mask.
taint_forced_rmmod() {
	echo $(($(cat /proc/sys/kernel/tainted) >> 3 & 1))
}

# Lock snapshots, for the lockwatch scenarios.
# snap: one `modrescue locks --all --json`, flattened by mr-jflat into
# /tmp/l.flat (lines "locks.0.owner.pid=123"); fails if either fails.
snap() {
	modrescue locks --all --json >/tmp/l.json 2>/tmp/l.err &&
		mr-jflat </tmp/l.json >/tmp/l.flat
}
# locks_json FILE: `modrescue locks --all --json` into FILE, which must exit
# 0 and print JSON: a check that something is not listed means nothing
# when the command failed.
locks_json() {
	modrescue locks --all --json >"$1" 2>/tmp/l.err
	assert_eq "locks --all --json: exit 0" 0 "$?"
	assert_cmd "locks --all --json: JSON" sh -c "mr-jflat <'$1' >/dev/null"
}
# jget KEY: KEY's value in /tmp/l.flat, or nothing.
jget() {
	awk -v k="$1" 'substr($0, 1, length(k) + 1) == k "=" {
		print substr($0, length(k) + 2)
	}' /tmp/l.flat
}
# locks_of SYMBOL: the indexes in locks[] of SYMBOL's entries.
locks_of() {
	awk -v s="$1" '{
		eq = index($0, "=")
		k = substr($0, 1, eq - 1)
		if (k ~ /^locks\.[0-9]+\.symbol$/ && substr($0, eq + 1) == s) {
			split(k, p, ".")
			print p[2]
		}
	}' /tmp/l.flat
}
# for_up_to SECONDS CMD...: run CMD until it succeeds, at most SECONDS long.
for_up_to() {
	end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# hp_leftover, for the leftover-* scenarios: what a crashed exit or init
# left registered, pointing into the module.
# lo_ticks MOD: the ticks counter of hp_leftover or of a copy hp_leftover.qN
# (how often its timer, hrtimer or delayed work ran), or "none".
lo_ticks() { cat "/sys/module/$1/parameters/ticks" 2>/dev/null || echo none; }
lo_ticks_above() {
	lo_t=$(lo_ticks "$1")
	[ "$lo_t" != none ] && [ "$lo_t" -gt "$2" ]
}
# lo_ticking MOD: MOD's counter grows within 3 s: its leftover still runs,
# on memory that is still there.
lo_ticking() {
	lo_t0=$(lo_ticks "$1")
	[ "$lo_t0" != none ] && wait_until 3 lo_ticks_above "$1" "$lo_t0"
}

# lo_crash WHAT PARAM...: load hp_leftover with PARAMs and rmmod it: its
# exit oopses (announced here) before undoing anything, and leaves it GOING.
lo_crash() {
	lo_what=$1
	shift
	expect oops 1
	load_patient hp_leftover "$@"
	assert_eq "$lo_what: loads" 0 "$?"
	try_rmmod hp_leftover
	assert_eq "$lo_what: rmmod oopses in exit" "killed (oops)" "$RMMOD_OUTCOME"
	assert_eq "$lo_what: left going" going "$(mod_state hp_leftover)"
}

# lo_listed WHAT PATTERN: the last `mr` printed a line "leftover: ITEM"
# whose ITEM matches the glob PATTERN.
lo_listed() {
	printf '%s\n' "$MR_OUT" | sed -n 's/^ *leftover: //p' >/tmp/lo.items
	while IFS= read -r lo_item; do
		# shellcheck disable=SC2254
		case "$lo_item" in
		$2)
			echo "ok: $1: leftover: $lo_item"
			return 0
			;;
		esac
	done </tmp/lo.items
	fail "$1: no line 'leftover: $2' in the report"
}

# lo_no_leftover WHAT: the last `mr` printed no "leftover: " line.
lo_no_leftover() {
	if printf '%s\n' "$MR_OUT" | grep -q '^ *leftover: '; then
		fail "$1: a leftover is named where none is"
	else
		echo "ok: $1: no leftover named"
	fi
}

# lo_refusals WHAT STATE PATTERN: unload --dry-run (exit 0) and unload
# --no-quarantine (exit 3) of hp_leftover, in STATE, both name the leftover
# PATTERN and change nothing: same state, no new copy, no new taint.
lo_refusals() {
	lo_copies=$(grep -c '^hp_leftover\.q' /proc/modules)
	lo_taint=$(taint_forced_rmmod)
	mr unload --dry-run hp_leftover
	assert_eq "$1: --dry-run" 0 "$MR_RC"
	lo_listed "$1: --dry-run" "$3"
	assert_eq "$1: --dry-run leaves it $2" "$2" "$(mod_state hp_leftover)"
	mr unload --no-quarantine hp_leftover
	assert_eq "$1: --no-quarantine refused" 3 "$MR_RC"
	lo_listed "$1: --no-quarantine" "$3"
	assert_eq "$1: --no-quarantine leaves it $2" "$2" "$(mod_state hp_leftover)"
	assert_eq "$1: no copy made" "$lo_copies" "$(grep -c '^hp_leftover\.q' /proc/modules)"
	assert_eq "$1: no taint added" "$lo_taint" "$(taint_forced_rmmod)"
}

# lo_quarantine WHAT N STATE PATTERN...: unload the crashed hp_leftover:
# quarantined (exit 4) as hp_leftover.qN, naming each leftover PATTERN;
# the name is free and the copy stays, in STATE.
lo_quarantine() {
	lo_what=$1
	lo_n=$2
	lo_state=$3
	shift 3
	mr unload hp_leftover
	assert_eq "$lo_what: quarantined, exit 4" 4 "$MR_RC"
	for lo_p in "$@"; do
		lo_listed "$lo_what" "$lo_p"
	done
	assert_match "$lo_what: says so" "*quarantined as hp_leftover.q$lo_n*" "$MR_OUT"
	assert_eq "$lo_what: the name is free" absent "$(mod_state hp_leftover)"
	assert_eq "$lo_what: its copy stays" "$lo_state" "$(mod_state "hp_leftover.q$lo_n")"
}

# suspend_freezes: a suspend's first step, freezing every task, succeeds
# (pm_test "freezer": freeze, wait 5 s, thaw, no device is suspended). A
# task asleep for good in a state the freezer cannot freeze fails it.
suspend_freezes() {
	echo freezer >/sys/power/pm_test || return 1
	sf_rc=0
	echo freeze >/sys/power/state || sf_rc=1
	echo none >/sys/power/pm_test
	return "$sf_rc"
}
