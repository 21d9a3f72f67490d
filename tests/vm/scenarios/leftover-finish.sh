# timeout: 240
# leftover-finish: unload --finish-exit after an exit that oopsed before
# undoing anything. For the kinds the kernel can undo exactly (timer,
# hrtimer, delayed work, misc device, reboot notifier) it does so, then
# frees the module (exit 0): nothing runs into freed memory for several
# seconds, and a fixed build registering the very same names loads. A
# /proc file, a char device and a platform driver are not undone exactly:
# still quarantined (exit 4).
for kind in timer hrtimer dwork misc reboot; do
	case $kind in
	timer) item="*hp_leftover_tick*" ;;
	hrtimer) item="*hp_leftover_hrtick*" ;;
	dwork) item="*hp_leftover_work*" ;;
	misc) item="*/dev/hp_leftover0*" ;;
	reboot) item="*hp_leftover_reboot*" ;;
	esac
	for heap in 0 1; do
		c="$kind heap=$heap"
		lo_crash "$c" kind=$kind heap=$heap
		mr unload --finish-exit hp_leftover
		assert_eq "$c: --finish-exit unloads" 0 "$MR_RC"
		assert_match "$c: names what it undid" "$item" "$MR_OUT"
		assert_eq "$c: gone" absent "$(mod_state hp_leftover)"
		assert_cmd "$c: no copy" sh -c '! grep -q "^hp_leftover\.q" /proc/modules'
		case $kind in
		misc) assert_cmd "$c: /dev/hp_leftover0 gone" sh -c \
			'! grep -q " hp_leftover0$" /proc/misc' ;;
		esac
		sleep 1
		assert_cmd "$c: a fixed build loads" load_patient hp_leftover healthy=1 kind=$kind heap=$heap
		case $kind in
		timer | hrtimer | dwork) assert_cmd "$c: it runs" lo_ticking hp_leftover ;;
		misc) assert_match "$c: its device reads" "hp_leftover0 *" "$(cat /dev/hp_leftover0 2>&1)" ;;
		esac
		assert_cmd "$c: and unloads" rmmod hp_leftover
	done
done
assert_eq "TAINT_FORCED_RMMOD set" 1 "$(taint_forced_rmmod)"

n=0
for kind in proc chrdev platform; do
	lo_crash "$kind" kind=$kind
	mr unload --finish-exit hp_leftover
	n=$((n + 1))
	assert_eq "$kind: --finish-exit still quarantines" 4 "$MR_RC"
	lo_listed "$kind" "*hp_leftover*"
	assert_match "$kind: says so" "*quarantined as hp_leftover.q$n*" "$MR_OUT"
	assert_eq "$kind: its copy stays" going "$(mod_state "hp_leftover.q$n")"
done
sleep 3
assert_match "/proc/hp_leftover0 still reads" "hp_leftover0 *" "$(cat /proc/hp_leftover0 2>&1)"
assert_match "/proc/devices lists hp_leftover0" "*hp_leftover0*" "$(tr '\n' ' ' </proc/devices)"
assert_cmd "the platform driver stays" test -d /sys/bus/platform/drivers/hp_leftover0
assert_cmd "status still works" modrescue status
