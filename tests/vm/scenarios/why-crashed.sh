# why-crashed: for a module left GOING or COMING by an oops, with no task
# left in it, why (text and --json) and status --json name that oops from
# the kernel log: its time (as dmesg prints it), the task, and the module's
# frame: the RIP for an exit oops (hp_exitoops) and an init oops
# (hp_initoops), the call trace's frame when kthread_stop() oopses on a
# freed thread (seed 003, hp_kthreadstop; RIP in kthread_stop). `dmesg -c`
# does not hide it (/dev/kmsg keeps its records); once the log has rotated
# past it, why says the log no longer shows it.
# timeout: 300
expect oops 2 3
expect warning 0 2

# oops_of FUNC: "TIME PID COMM" of the oops whose RIP or call trace has
# FUNC, from dmesg: the header's time, the CPU line's pid and comm.
oops_of() {
	dmesg | awk -v f="$1" '
		/(Oops|general protection fault).*: [0-9a-f][0-9a-f][0-9a-f][0-9a-f] \[#/ {
			t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t); pid = ""
		}
		/ PID: [0-9]+ Comm: / && t != "" && pid == "" {
			s = $0; sub(/.* PID: /, "", s); split(s, a, " ")
			pid = a[1]; comm = a[3]
		}
		/ end trace / { t = "" }
		t != "" && index($0, f) { print t, pid, comm; exit }'
}
# jf KEY: KEY's value in the flattened JSON /tmp/j.flat.
jf() { sed -n "s/^$1=//p" /tmp/j.flat; }
jwhy() { modrescue why --json "$1" | mr-jflat >/tmp/j.flat; }

# check_oops MOD IN FUNC: why and status name MOD's oops (IN is exit or
# init), whose frame is in FUNC, as dmesg shows it.
check_oops() {
	# shellcheck disable=SC2046 # TIME PID COMM, one word each
	set -- "$1" "$2" "$3" $(oops_of "$3+0x")
	assert_cmd "$1: dmesg shows the oops in $3" [ -n "$4" ]
	mr why "$1"
	assert_match "$1: why names the oops" \
		"*its $2 oopsed at $4 s after boot, in pid $5 ($6), at $3+0x*/0x* \[$1\]: *" \
		"$MR_OUT"
	jwhy "$1"
	assert_eq "$1: --json found" true "$(jf module.oops.found)"
	assert_eq "$1: --json in" "$2" "$(jf module.oops.in)"
	assert_eq "$1: --json time" "$4" "$(jf module.oops.time)"
	assert_eq "$1: --json pid" "$5" "$(jf module.oops.pid)"
	assert_eq "$1: --json comm" "$6" "$(jf module.oops.comm)"
	assert_match "$1: --json function" "$3+0x*/0x* \[$1\]" \
		"$(jf module.oops.function)"
	modrescue status --json "$1" | mr-jflat >/tmp/j.flat
	assert_eq "$1: status --json names it too" "$5" \
		"$(jf modules.0.oops.pid)"
}

load_patient hp_exitoops
rmmod hp_exitoops 2>/dev/null
assert_eq "hp_exitoops state" going "$(mod_state hp_exitoops)"
# Seed 003: rarely the use-after-free goes unnoticed and rmmod finishes.
for attempt in 1 2 3; do
	load_patient hp_kthreadstop
	try_rmmod hp_kthreadstop
	[ "$RMMOD_OUTCOME" = unloaded ] || break
	note "attempt $attempt: rmmod finished, the use-after-free unnoticed"
done
# The init oops last: on 6.4+ the killed insmod leaves its entry in the
# kernel's idempotent-load table, and the next finit_module() can oops on
# it (seen here on 6.12 when hp_exitoops was loaded after it).
load_patient hp_initoops
expect_done
assert_eq "hp_initoops state" coming "$(mod_state hp_initoops)"

check_oops hp_exitoops exit hp_exitoops_exit
check_oops hp_initoops init hp_initoops_init
case "$RMMOD_OUTCOME" in
"killed (oops)")
	assert_cmd "hp_kthreadstop: RIP in kthread_stop" \
		sh -c 'dmesg | grep -q "RIP: 0010:kthread_stop"'
	check_oops hp_kthreadstop exit hp_kthreadstop_exit
	;;
"hangs (D state)")
	# The hung rmmod is the evidence: no oops is looked for.
	jwhy hp_kthreadstop
	assert_eq "hp_kthreadstop hangs: no oops looked for" "" \
		"$(jf module.oops.found)"
	;;
*) note "hp_kthreadstop: $RMMOD_OUTCOME three times" ;;
esac

# dmesg -c clears what syslog reads, not /dev/kmsg's records.
dmesg -c >/dev/null
mr why hp_exitoops
assert_match "after dmesg -c: still named" "*its exit oopsed at *" "$MR_OUT"

# Rotate the log past the oopses (the lab boots with printk.devkmsg=on):
# 3000 records of 100 bytes outgrow Debian's 128 KiB ring.
i=0
pad=$(printf '%080d' 0)
while [ $i -lt 3000 ]; do
	echo "<7>why-crashed: filler $i $pad" >/dev/kmsg
	i=$((i + 1))
done
assert_cmd "the oopses rotated out" \
	sh -c '! dmesg | grep -q "RIP: 0010:hp_exitoops_exit"'
mr why hp_exitoops
assert_match "rotated: says so" \
	"*the kernel log no longer shows the oops that left it GOING: its oldest record is from * s after boot, older ones have rotated out*" \
	"$MR_OUT"
assert_match "rotated: still going, exit cleared" "*stayed GOING*exit cleared*" \
	"$MR_OUT"
jwhy hp_initoops
assert_eq "rotated: --json found" false "$(jf module.oops.found)"
assert_eq "rotated: --json why" "not in log" "$(jf module.oops.why)"
