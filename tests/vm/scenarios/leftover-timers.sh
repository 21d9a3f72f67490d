# timeout: 240
# leftover-timers: an exit that oopses before it cancels its periodic
# timer, hrtimer or delayed work (hp_leftover, the object in module data
# and on the heap) leaves it armed, pointing into the module: freed, the
# module would be called into at the next tick and the machine would die.
# modrescue unload names the leftover and quarantines the module instead
# (exit 4, hp_leftover.qN, memory kept): the leftover keeps running on kept
# memory, its counter growing. --dry-run and --no-quarantine name it and
# change nothing.
n=0
for kind in timer hrtimer dwork; do
	case $kind in
	timer) item="timer hp_leftover_tick \[hp_leftover\] pending on CPU [0-9]*" ;;
	hrtimer) item="hrtimer hp_leftover_hrtick \[hp_leftover\] queued*" ;;
	dwork) item="delayed work hp_leftover_work \[hp_leftover\] pending*" ;;
	esac
	for heap in 0 1; do
		c="$kind heap=$heap"
		lo_crash "$c" kind=$kind heap=$heap
		assert_cmd "$c: its $kind still runs" lo_ticking hp_leftover
		[ "$heap" = 0 ] && lo_refusals "$c" going "$item"
		n=$((n + 1))
		lo_quarantine "$c" $n going "$item"
		assert_cmd "$c: its $kind runs on in hp_leftover.q$n" \
			lo_ticking "hp_leftover.q$n"
	done
done
assert_eq "TAINT_FORCED_RMMOD set" 1 "$(taint_forced_rmmod)"

# Several seconds later every leftover still runs on kept memory, and the
# timer wheel, hrtimer bases and workqueues still serve a healthy module.
sleep 5
q=1
while [ "$q" -le "$n" ]; do
	assert_cmd "hp_leftover.q$q still runs" lo_ticking "hp_leftover.q$q"
	q=$((q + 1))
done
for kind in timer hrtimer dwork; do
	assert_cmd "fixed build, $kind: loads" load_patient hp_leftover healthy=1 kind=$kind
	assert_cmd "fixed build, $kind: runs" lo_ticking hp_leftover
	assert_cmd "fixed build, $kind: unloads" rmmod hp_leftover
done
assert_cmd "status still works" modrescue status
