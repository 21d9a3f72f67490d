# status-basics: modrescue status/why on a healthy module (loop), the error
# paths (unknown module, usage), and the non-root view.
#
# This file is also the shared library of the status-* scenarios: sourced
# with STATUS_LIB=1 it only defines the helpers below.
#   st NAME            modrescue status --json NAME -> $ST (exit code $ST_RC)
#   jget KEY           a module-level scalar of $ST (quotes dropped)
#   jholders           the holders of $ST, comma-separated
#   jtask COMM OP MOD  $ST has a task COMM with op OP and a frame in [MOD]
#   check NAME VERDICT STATE REFCNT HOLDERS HAS_EXIT
#   why_has NAME GLOB  modrescue why NAME matches GLOB, exit 0
#   snap_modules / same_modules   /proc/modules before/after diagnosis
#   st_capture CASE    in a capture run (scenario capture-*), dump the /proc
#                      and /sys files the diagnosis reads, for unit fixtures

st() {
	ST=$(modrescue status --json "$1" 2>/tmp/st.err)
	ST_RC=$?
	echo "status --json $1: $ST"
}

jget() {
	printf '%s\n' "$ST" | sed 's/"tasks":.*//' |
		sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'
}

jholders() {
	printf '%s\n' "$ST" | sed -n 's/.*"holders":\[\([^]]*\)\].*/\1/p' |
		tr -d '"'
}

# One task object per line.
jtasks() {
	printf '%s\n' "$ST" | sed 's/{"pid":/\n{"pid":/g' | grep '^{"pid":'
}

jtask() {
	jtasks | grep "\"comm\":\"$1\",\"op\":\"$2\"" | grep -q "\[$3\]"
}

# jtask_any COMM OP: a task COMM with op OP, frames or not.
jtask_any() {
	jtasks | grep -q "\"comm\":\"$1\",\"op\":\"$2\""
}

check() {
	st "$1"
	assert_eq "status $1 exit code" 0 "$ST_RC"
	assert_eq "$1 verdict" "$2" "$(jget verdict)"
	assert_eq "$1 state" "$3" "$(jget state)"
	assert_eq "$1 refcnt" "$4" "$(jget refcnt)"
	assert_eq "$1 holders" "$5" "$(jholders)"
	assert_eq "$1 has_exit" "$6" "$(jget has_exit)"
}

why_has() {
	WHY=$(modrescue why "$1" 2>&1)
	rc=$?
	echo "why $1:"
	printf '%s\n' "$WHY" | sed 's/^/  | /'
	assert_eq "why $1 exit code" 0 "$rc"
	# shellcheck disable=SC2254 # the expected text is a glob
	case "$WHY" in
	$2) echo "ok: why $1 matches '$2'" ;;
	*) fail "why $1: expected '$2' (output above)" ;;
	esac
}

snap_modules() {
	cp /proc/modules /tmp/modules.before
}

same_modules() {
	assert_cmd "/proc/modules unchanged by the diagnosis" \
		cmp /proc/modules /tmp/modules.before
}

# st_capture CASE [PID...]: in a capture run, print a tar.gz (base64) of
# /proc/modules, /proc/uptime, /sys/module/*/{initstate,refcnt,holders},
# and, for the threads with a module frame or in a module syscall plus PID
# 1, 2 and the PIDs given, their stack, syscall, wchan, comm, stat, and
# their process's cmdline and fd links to /dev or .ko files, between
# MR-CAPTURE-BEGIN/END lines (tests/vm/capture/extract).
st_capture() {
	# shellcheck disable=SC2154 # $scenario is set by /init
	case "$scenario" in
	capture-*) ;;
	*) return 0 ;;
	esac
	c=$1
	shift
	d=/tmp/capture/$c
	rm -rf "$d"
	mkdir -p "$d/proc" "$d/sys/module"
	cat /proc/modules >"$d/proc/modules"
	cat /proc/uptime >"$d/proc/uptime"
	# shellcheck disable=SC2013 # module names are words
	for m in $(cut -d' ' -f1 /proc/modules); do
		s=/sys/module/$m
		mkdir -p "$d$s"
		for f in initstate refcnt; do
			[ -r "$s/$f" ] && cat "$s/$f" >"$d$s/$f"
		done
		if [ -d "$s/holders" ]; then
			mkdir -p "$d$s/holders"
			for h in "$s"/holders/*; do
				[ -e "$h" ] && : >"$d$s/holders/${h##*/}"
			done
		fi
	done
	for t in /proc/[0-9]*/task/[0-9]*; do
		p=${t#/proc/}
		p=${p%%/*}
		keep=0
		case " 1 2 $* " in *" $p "*) keep=1 ;; esac
		grep -q '\[[a-z_0-9]*\]$' "$t/stack" 2>/dev/null && keep=1
		case "$(cut -d' ' -f1 "$t/syscall" 2>/dev/null)" in
		175 | 176 | 313) keep=1 ;;
		esac
		[ "$keep" = 1 ] || continue
		mkdir -p "$d$t"
		for f in stack syscall wchan comm stat; do
			cat "$t/$f" >"$d$t/$f" 2>/dev/null
		done
		if [ ! -d "$d/proc/$p/fd" ]; then
			mkdir -p "$d/proc/$p/fd"
			for fd in /proc/"$p"/fd/*; do
				l=$(readlink "$fd") || continue
				case "$l" in
				/dev/* | *.ko*) ln -s "$l" "$d/proc/$p/fd/${fd##*/}" ;;
				esac
			done
			cat "/proc/$p/comm" >"$d/proc/$p/comm" 2>/dev/null
			cat "/proc/$p/cmdline" >"$d/proc/$p/cmdline" 2>/dev/null
		fi
	done
	dmesg -n 1
	echo "MR-CAPTURE-BEGIN $c"
	tar -C "$d" -czf - . | base64
	echo "MR-CAPTURE-END $c"
	dmesg -n 5
}

[ "${STATUS_LIB:-0}" = 1 ] && return 0

# ---- the scenario itself ----
assert_eq "modprobe loop" 0 "$(modprobe loop; echo $?)"
snap_modules
check loop unloadable live 0 "" true
why_has loop "*nothing blocks it: plain rmmod works*"

out=$(modrescue status 2>&1)
printf '%s\n' "$out"
assert_match "status table header" "Module*State*Refs*Exit*Verdict*Used by*" "$out"
assert_match "status table row for loop" "*loop *live *0 yes *unloadable*" "$out"

out=$(modrescue status --json)
assert_match "status --json, all modules" '{"modules":\[{"name":"loop",*' "$out"

out=$(modrescue status hp_not_here 2>&1)
assert_eq "status of a module not loaded: exit 1" 1 "$?"
assert_eq "status of a module not loaded: message" \
	"modrescue: ERROR: Module hp_not_here is not currently loaded" "$out"
out=$(modrescue why hp-not-here 2>&1)
assert_eq "why of a module not loaded: exit 1" 1 "$?"
assert_eq "why of a module not loaded: message" \
	"modrescue: ERROR: Module hp_not_here is not currently loaded" "$out"
out=$(modrescue status --json loop hp_not_here 2>/tmp/err)
assert_eq "status of one loaded, one not: exit 1" 1 "$?"
assert_match "... still reports the loaded one" '*"name":"loop"*' "$out"
assert_match "... and names the other" "*hp_not_here is not currently loaded*" \
	"$(cat /tmp/err)"

modrescue why >/dev/null 2>&1
assert_eq "why without a module: exit 2" 2 "$?"
modrescue why loop loop >/dev/null 2>&1
assert_eq "why with two modules: exit 2" 2 "$?"
modrescue status --frobnicate >/dev/null 2>&1
assert_eq "status with an unknown option: exit 2" 2 "$?"
modrescue why --json >/dev/null 2>&1
assert_eq "why --json without a module: exit 2" 2 "$?"

# Without root: the module facts, and a plain word about the tasks.
grep -q '^nobody:' /etc/passwd ||
	echo "nobody:x:65534:65534:nobody:/:/bin/sh" >>/etc/passwd
out=$(su -s /bin/sh nobody -c '/usr/sbin/modrescue status --json loop' 2>/tmp/err)
assert_eq "status as nobody: exit 0" 0 "$?"
assert_match "status as nobody: facts" '*"name":"loop","state":"live","refcnt":0,*' "$out"
assert_match "status as nobody: says tasks need root" "*not root*" "$(cat /tmp/err)"
same_modules
st_capture basics
