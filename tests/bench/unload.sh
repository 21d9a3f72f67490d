# timeout: 240
# Benchmark (printed, not asserted): for each stuck case, the time from
# `modrescue unload` to the module gone, helper load and unload included,
# next to a plain rmmod of a healthy module, as a ratio in the same VM.
# Run with: make bench (tests/vm/run --dir tests/bench).

# elapsed_ms CMD...: run CMD once under mr-time, print the milliseconds.
elapsed_ms() {
	mr-time 1 "$@" | sed -n 's/.*median=\([0-9.]*\).*/\1/p'
}

# The yardstick: plain rmmod of a healthy module, median of 5.
for i in 1 2 3 4 5; do
	load_patient hp_refleak healthy=1
	elapsed_ms /usr/sbin/rmmod hp_refleak
done | sort -n | sed -n 3p >/tmp/plain_ms
plain=$(cat /tmp/plain_ms)
assert_match "plain rmmod timed" "[0-9]*" "$plain"
echo "MR-BENCH plain rmmod of a healthy module: ${plain} ms (median of 5)"

# bench_case NAME WHAT [FLAG]: the module is stuck now; time modrescue
# unload (a leak needs --force: it is never guessed).
bench_case() {
	t=$(elapsed_ms modrescue unload $3 "$1")
	assert_eq "$1 gone" absent "$(mod_state "$1")"
	echo "MR-BENCH modrescue unload $1 ($2): ${t} ms," \
		"ratio $(awk -v a="$t" -v b="$plain" 'BEGIN { printf "%.1f", a / b }')x"
}

load_patient hp_refleak
bench_case hp_refleak "refcount leak, --force" --force
load_patient hp_noexit
bench_case hp_noexit "no exit"
expect oops 2
load_patient hp_exitoops
rmmod hp_exitoops 2>/dev/null
bench_case hp_exitoops "exit oopsed, going"
load_patient hp_initoops 2>/dev/null
bench_case hp_initoops "init oopsed, coming"
