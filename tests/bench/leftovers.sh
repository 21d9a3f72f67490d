# timeout: 300
# Benchmark (printed, not asserted): the cost of looking for what a crashed
# exit or init left registered, before such a module is freed. For each
# case: the search as the helper timed it (ms, KiB of kernel memory read),
# and the whole `modrescue unload` (helper load and unload included), next
# to a plain rmmod of a healthy module in the same VM, as a ratio. The goal
# is that every stuck case still unloads or quarantines within 2 s under
# TCG. There is no kernel tool for the same job to set beside it: the
# kernel's own check (DEBUG_OBJECTS, at vfree) is not built into Debian's
# kernels. Run with: make bench BENCHES=leftovers KERNELS="6.1 6.12".

# elapsed_ms CODE CMD...: run CMD once under mr-time, which must exit with
# CODE; print the milliseconds.
elapsed_ms() {
	code=$1
	shift
	MR_TIME_EXIT=$code mr-time 1 "$@" | sed -n 's/.*median=\([0-9.]*\).*/\1/p'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

for i in 1 2 3 4 5; do
	load_patient hp_refleak healthy=1
	elapsed_ms 0 /usr/sbin/rmmod hp_refleak
done | sort -n | sed -n 3p >/tmp/plain_ms
plain=$(cat /tmp/plain_ms)
assert_match "plain rmmod timed" "[0-9]*" "$plain"
echo "MR-BENCH plain rmmod of a healthy module: ${plain} ms (median of 5)"

# bench_case WHAT CODE PARAMS...: crash hp_leftover with PARAMS, then time
# the helper's search (a dry run) and the whole unload, which exits CODE.
n=0
bench_case() {
	what=$1
	code=$2
	shift 2
	n=$((n + 1))
	expect oops 1
	load_patient hp_leftover "$@" id=$n 2>/dev/null
	[ "$(mod_state hp_leftover)" = live ] && rmmod hp_leftover 2>/dev/null
	mr unload --dry-run hp_leftover
	search=$(echo "$MR_OUT" | sed -n 's/.*(\([0-9]*\) KiB of kernel memory read in \([0-9]*\) ms).*/\2 ms, \1 KiB/p' | head -1)
	t=$(elapsed_ms "$code" modrescue unload hp_leftover)
	assert_eq "$what: the name is free" absent "$(mod_state hp_leftover)"
	echo "MR-BENCH $what: search ${search:-?}; modrescue unload ${t} ms," \
		"ratio $(ratio "$t" "$plain")x, $(awk -v t="$t" 'BEGIN { print (t < 2000 ? "under" : "OVER") }') 2 s"
}

bench_case "exit oopsed, nothing left (freed)" 0 kind=none
bench_case "exit oopsed, a timer left (quarantined)" 4 kind=timer
bench_case "exit oopsed, a heap delayed work left (quarantined)" 4 kind=dwork heap=1
bench_case "exit oopsed, a misc device left (quarantined)" 4 kind=misc
bench_case "init oopsed before registering (freed)" 0 kind=none crash=early
