# timeout: 900
# accel: tcg,thread=single
# Benchmark (printed, not asserted): what lockwatch costs, off against on,
# in one VM.
# - lock pair: an uncontended lock/unlock pair on a module's static lock,
#   timed in hp_lockbench (tests/patients) for spin_lock, raw_spin_lock
#   and spin_lock_irqsave; best of ROUNDS runs per state. Goal: <= 3x.
# - workload: mr-lockload (tests/vm/tools), two processes bouncing a byte
#   through pipes plus a walk of /sys and /proc/sys; median of the
#   per-round on/off ratios. Goal: <= 1.10x.
# Each round runs both states back to back, off-on then on-off (so the
# helper is loaded and unloaded once a round and drift cancels), after one
# warm-up run. QEMU TCG, single-threaded: the absolute numbers are an
# emulator's, not a CPU's (nor CET hardware's); only the ratios mean
# anything, and they are noisy. Run with: make bench BENCHES=lockwatch.
pairs=${MR_BENCH_PAIRS:-200000}
trips=${MR_BENCH_TRIPS:-2000}
rounds=${MR_BENCH_ROUNDS:-5}
walk="/sys /proc/sys"
kinds="spin_lock raw_spin_lock spin_lock_irqsave"
res=/sys/module/hp_lockbench/parameters

# A kernel where lockwatch does not arm is not measured, and says why.
mr lockwatch on
if [ "$MR_RC" != 0 ]; then
	echo "MR-BENCH lockwatch kernel=$(uname -r): not measured, lockwatch does not arm: $MR_ERR"
	exit 0
fi
mr lockwatch off
assert_eq "lockwatch off" 0 "$MR_RC"
load_patient hp_lockbench || fail "load hp_lockbench"

# val KEY "k=v ...": the value of KEY.
val() { printf ' %s\n' "$2" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
# median FILE / minimum FILE: of the numbers in FILE, one a line.
median() {
	sort -n "$1" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
minimum() { sort -n "$1" | head -n 1; }
positive() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > 0 && b > 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }

# set_state off|on: lockwatch so; on is checked to be armed.
set_state() {
	modrescue lockwatch "$1" >/dev/null || fail "lockwatch $1"
	if [ "$1" = on ]; then
		modrescue lockwatch status --json >/tmp/lw.json
		grep -q '"on":true' /tmp/lw.json || fail "lockwatch is not on"
	fi
}

# measure STATE ROUND: one pair run and one workload run, recorded.
measure() {
	echo "$pairs" >$res/run || fail "hp_lockbench run ($1)"
	r=$(cat $res/result)
	w=$(mr-lockload "$trips" $walk) || fail "mr-lockload ($1)"
	echo "round $2 $1: $r; $w"
	for k in $kinds; do
		val "$k" "$r" >>"/tmp/lb.$1.$k"
	done
	for k in pingpong_ms walk_ms total_ms; do
		val "$k" "$w" >>"/tmp/lb.$1.$k"
		val "$k" "$w" >"/tmp/lb.$1.last.$k"
	done
}

rm -f /tmp/lb.*
# Warm-up, off: the first walk fills the dentry and inode caches.
echo "$pairs" >$res/run || fail "hp_lockbench warm-up"
mr-lockload "$trips" $walk || fail "mr-lockload warm-up"
state=off
i=1
while [ "$i" -le "$rounds" ]; do
	if [ $((i % 2)) = 1 ]; then order="off on"; else order="on off"; fi
	for s in $order; do
		[ "$s" = "$state" ] || set_state "$s"
		state=$s
		measure "$s" "$i"
	done
	for k in pingpong_ms walk_ms total_ms; do
		echo "$(ratio "$(cat /tmp/lb.on.last.$k)" "$(cat /tmp/lb.off.last.$k)")" >>"/tmp/lb.ratio.$k"
	done
	i=$((i + 1))
done
[ "$state" = off ] || set_state off

for k in $kinds; do
	off=$(minimum "/tmp/lb.off.$k")
	on=$(minimum "/tmp/lb.on.$k")
	assert_cmd "$k timed" positive "$off" "$on"
	echo "MR-BENCH lock pair $k: off $off ns, on $on ns, ratio $(ratio "$on" "$off")x (best of $rounds runs of $pairs pairs; goal <= 3x)"
done
off=$(median /tmp/lb.off.total_ms)
on=$(median /tmp/lb.on.total_ms)
assert_cmd "workload timed" positive "$off" "$on"
echo "MR-BENCH workload: off $off ms, on $on ms, ratio $(median /tmp/lb.ratio.total_ms)x" \
	"(median of $rounds per-round ratios; $trips pipe round trips + walk of $walk; goal <= 1.10x)"
echo "MR-BENCH workload parts: pipe ping-pong ratio $(median /tmp/lb.ratio.pingpong_ms)x," \
	"walk ratio $(median /tmp/lb.ratio.walk_ms)x"
cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
echo "MR-BENCH lockwatch kernel=$(uname -r) clocksource=$cs: QEMU TCG single-threaded, 2 vCPUs;" \
	"emulated, not CET hardware: ratios only, noisy"
