# leftover-notifier: an exit that oopses before it unregisters its reboot
# notifier (hp_leftover, the notifier_block in module data and on the heap)
# leaves it on reboot_notifier_list: freed, the next walk of the chain
# (another register or unregister, and at the latest this VM's poweroff)
# would oops. modrescue unload names it and quarantines the module (exit 4).
# The chain is then walked here, by a healthy notifier coming and going,
# and at poweroff, where both copies' notifiers run (logcheck fails the
# run on any oops there).
item="notifier hp_leftover_reboot \[hp_leftover\] on reboot_notifier_list*"
lo_crash "reboot heap=0" kind=reboot id=0
lo_refusals "reboot heap=0" going "$item"
lo_quarantine "reboot heap=0" 1 going "$item"
lo_crash "reboot heap=1" kind=reboot heap=1 id=1
lo_quarantine "reboot heap=1" 2 going "$item"

sleep 3
for i in 1 2 3; do
	assert_cmd "a healthy notifier registers ($i)" \
		load_patient hp_leftover healthy=1 kind=reboot id=2
	assert_cmd "and unregisters ($i)" rmmod hp_leftover
done
assert_eq "copy 1 stays" going "$(mod_state hp_leftover.q1)"
assert_eq "copy 2 stays" going "$(mod_state hp_leftover.q2)"
note "the VM's poweroff now calls both kept notifiers (hp_leftover0 and hp_leftover1: reboot notifier called)"
