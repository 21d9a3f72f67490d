# contain-kdump: containment never hides an oops from kdump. A crash kernel
# is loaded (mr-kexec-crash, as kdump-tools would), then `contain on`, and
# hp_spinoops bh=1's kthread oopses with BH off. Without a crash kernel,
# containment would release its own _bh lock and re-enable BH
# (contain-oops-bh); with one loaded, its die notifier changes nothing, so
# oops_end() finds in_interrupt() true, as without modrescue, and hands the
# oops to the crash kernel, which comes up and finds the oops in the
# crashed kernel's log, in /proc/vmcore (tests/vm/guest/crash-init ends
# the scenario there). On PREEMPT_RT, where consoles print from a thread,
# the oops may never reach the serial console before the crash kernel
# starts: the log in /proc/vmcore is what shows it there.
# needs: kdump
# append: crashkernel=192M mem=512M nokaslr
# timeout: 300
# accel: tcg,thread=single
p=hp_spinoops
mr-kexec-crash /lab/kdump/vmlinuz /lab/kdump/initrd.cpio \
	"console=ttyS0 loglevel=5 nr_cpus=1 reset_devices panic=-1 rdinit=/init mr_crash_rip=hp_spinoops_thread"
assert_eq "crash kernel loaded" 0 "$?"
assert_eq "the kernel says so" 1 "$(cat /sys/kernel/kexec_crash_loaded)"

mr contain on
assert_eq "contain on" 0 "$MR_RC"
if uname -v | grep -q PREEMPT_RT; then
	expect oops 0 1
else
	expect oops 1
fi
expect_line "MR-CRASH-KERNEL up: the crashed kernel's log in /proc/vmcore holds its oops in hp_spinoops_thread"
load_patient $p bh=1
sleep 60
fail "the oops with BH off did not reach the crash kernel"
