# timeout: 600
# status-bench: how long `modrescue status` takes with 100+ modules and
# about 1000 processes, as a ratio against kmod's lsmod in the same VM.
# Printed (MR-BENCH lines), not asserted. Run it with tests/bench/run.
#
# The modules are copies of hp_refleak (loaded healthy) renamed by
# mr-clone-ko (tests/vm/tools), plus loop.
n_mods=${MR_BENCH_MODULES:-120}
n_procs=${MR_BENCH_PROCS:-1000}
reps=${MR_BENCH_REPS:-10}

modprobe loop
mkdir -p /tmp/clones
mr-clone-ko "$MR_PATIENTS/hp_refleak.ko" hp_refleak /tmp/clones "$n_mods" >/dev/null
for ko in /tmp/clones/*.ko; do
	insmod "$ko" healthy=1 || fail "insmod $ko"
done
rm -rf /tmp/clones

i=0
while [ "$i" -lt "$n_procs" ]; do
	sleep 100000 &
	i=$((i + 1))
done
sleep 2

mods=$(wc -l </proc/modules)
set -- /proc/[0-9]*/task/[0-9]*
tasks=$#
echo "modules loaded: $mods, threads: $tasks"

# Each command REPS times, timed by mr-time (tests/vm/tools): the minimum
# is the least disturbed by the host (other VMs share its CPUs).
time_of() {
	mr-time "$reps" "$@" || fail "timing $*"
}
val() { printf '%s\n' "$2" | sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.1f", $1 / $2; else print "inf" }'; }

"$MR_KMOD/lsmod" >/dev/null
modrescue status >/dev/null
lsmod_t=$(time_of "$MR_KMOD/lsmod")
status_t=$(time_of modrescue status)
json_t=$(time_of modrescue status --json)
one_t=$(time_of modrescue status bm00000001)
echo "lsmod: $lsmod_t; status: $status_t; status --json: $json_t; status ONE: $one_t"
l=$(val min "$lsmod_t")
s=$(val min "$status_t")
j=$(val min "$json_t")
o=$(val min "$one_t")
echo "MR-BENCH kernel=$(uname -r) modules=$mods threads=$tasks reps=$reps (best of)"
echo "MR-BENCH lsmod_ms=$l status_ms=$s status_json_ms=$j status_one_ms=$o"
echo "MR-BENCH ratio status/lsmod=$(ratio "$s" "$l") status --json/lsmod=$(ratio "$j" "$l") status ONE/lsmod=$(ratio "$o" "$l")"
