# baseline-spinoops: hp_spinoops' kthread oopses while holding a spinlock,
# and exit takes that lock. rmmod then spins forever in R state (on
# PREEMPT_RT spinlock_t sleeps, so D state there); rmmod -f gets EBUSY.
# The spinning rmmod owns a vCPU with preemption off, so keep this short or
# the soft lockup (20 s) and RCU stall (21 s) detectors report it. It runs
# pinned to the last CPU: on CPU 0, the reboot CPU, it would block poweroff.
p=hp_spinoops
expect oops 1
load_patient $p healthy="${HP_HEALTHY:-0}"
assert_eq "insmod $p" 0 "$?"
wait_until 5 oopsed_in hp_spinoops_thread
assert_cmd "the kthread oopsed with the lock held" oopsed_in hp_spinoops_thread
assert_eq "$p state" live "$(mod_state $p)"

case "$(uname -r)" in
*-rt-*) spinning="hangs (D state)" ;;
*) spinning="hangs (R state)" ;;
esac
mkdir -p /tmp/pinned
printf '#!/bin/sh\nexec taskset %s %s/rmmod "$@"\n' \
	"$(printf %x $((1 << ($(nproc) - 1))))" "$MR_KMOD" >/tmp/pinned/rmmod
chmod +x /tmp/pinned/rmmod
kmod=$MR_KMOD
MR_KMOD=/tmp/pinned
try_rmmod $p
MR_KMOD=$kmod
RMMOD_PLAIN=$RMMOD_OUTCOME
stuck=$RMMOD_PID
assert_eq "rmmod $p" "$spinning" "$RMMOD_PLAIN"
assert_eq "$p state" going "$(mod_state $p)"
rmmod_f_if_loaded $p
assert_eq "rmmod -f $p" EBUSY "$RMMOD_FORCED"
assert_eq "first rmmod still stuck" "$spinning" "hangs ($(task_state "$stuck") state)"
# modrescue: the spinning rmmod holds up RCU, so nothing can even be loaded
# (refused, before the helper); on RT it sleeps on the lock instead, and the
# module is quarantined.
case "$(uname -r)" in
*-rt-*) baseline $p quarantined ;;
*) baseline $p "refused: spinning task" ;;
esac
