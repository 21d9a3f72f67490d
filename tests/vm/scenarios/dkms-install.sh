# dkms-install: modrescue installed the Debian way (issue 12). The lab's
# own `make install` copies are removed; the two packages `make deb` built
# are unpacked into / with dpkg-deb -x, as dpkg does, and the helper that
# dkms built from modrescue-dkms for this kernel (scripts/dkms-build) goes
# to updates/dkms/, as `dkms install` puts it, then depmod. That install
# alone then rescues an rmmod stuck in a module's exit (hp_exitwait): the
# command run is the package's /usr/sbin/modrescue and the helper it loads
# is DKMS's (signed with DKMS's key; .ko.xz on 6.12). Before that, with a
# helper of the previous ABI loaded, the CLI refuses and names both ABIs.
# needs: deb
# timeout: 150
kver=$(uname -r)
dkmsdir=/lib/modules/$kver/updates/dkms
# field DEB NAME: a control field (busybox's dpkg-deb -f prints them all).
field() { dpkg-deb -f "$1" | sed -n "s/^$2: //p"; }

rm -f /usr/sbin/modrescue "/lib/modules/$kver/extra/modrescue.ko"
assert_cmd "no modrescue left before the packages" sh -c '! command -v modrescue'
for deb in /lab/deb/modrescue_*_amd64.deb /lab/deb/modrescue-dkms_*_all.deb; do
	name=$(field "$deb" Package)
	assert_cmd "$name: unpacked into /" dpkg-deb -x "$deb" /
	mkdir -p "/tmp/control/$name"
	assert_cmd "$name: control files" dpkg-deb -e "$deb" "/tmp/control/$name"
	assert_cmd "$name: files on disk are the package's (md5sums)" \
		sh -c "cd / && md5sum -c -s /tmp/control/$name/md5sums"
done
version=$(field /lab/deb/modrescue_*_amd64.deb Version)
assert_eq "modrescue on PATH" /usr/sbin/modrescue "$(command -v modrescue)"
assert_match "the package's CLI" "modrescue $version (ABI *" "$(modrescue --version)"
assert_cmd "DKMS source in /usr/src" test -f "/usr/src/modrescue-$version/dkms.conf"
assert_match "dkms.conf: this version" "*PACKAGE_VERSION=\"$version\"*" \
	"$(cat "/usr/src/modrescue-$version/dkms.conf")"

# The CLI upgraded while the previous version's helper (the ABI before
# this one) is still loaded, with an rmmod stuck in hp_exitwait's exit:
# the CLI acts on nothing and says which ABI each side speaks.
# shellcheck disable=SC2154 # rmmod_hp_* are set by stuck_rmmod's eval
exitwait_stuck() { [ "$(task_state "$rmmod_hp_exitwait")" = D ]; }
stuck_rmmod hp_exitwait
assert_cmd "rmmod stuck in hp_exitwait's exit" wait_until 10 exitwait_stuck
pid=$rmmod_hp_exitwait
abi=$(modrescue --version | sed -n 's/.*(ABI \([0-9]*\)).*/\1/p')
MR_HELPER=/lab/deb/oldabi/modrescue.ko
assert_cmd "the previous ABI's helper loads" load_helper
assert_match "--version: the helper's ABI, and no match" \
	"*helper: loaded, ABI $((abi - 1)) (this CLI cannot work with it)*" "$(modrescue --version)"
mr unload hp_exitwait
assert_eq "other ABI: unload fails" 1 "$MR_RC"
assert_match "other ABI: both ABIs named" \
	"*helper speaks ABI $((abi - 1)) (it serves ABI 1 to $((abi - 1))) and this modrescue speaks ABI $abi: they cannot work together*" \
	"$MR_OUT $MR_ERR"
assert_eq "other ABI: rmmod still stuck" D "$(task_state "$pid")"
assert_eq "other ABI: no taint" 0 "$(taint_forced_rmmod)"
assert_cmd "other ABI: its helper left loaded" test -d /sys/module/modrescue
assert_cmd "the previous helper unloads" rmmod modrescue

# What `dkms install` does: the built module into updates/dkms, depmod.
mkdir -p "$dkmsdir"
cp /lab/deb/dkms/modrescue.ko* "$dkmsdir/"
helper=$(ls "$dkmsdir"/modrescue.ko*)
assert_eq "one helper on the machine, DKMS's" "$helper" \
	"$(find /lib/modules -name 'modrescue.ko*')"
assert_eq "built and signed by DKMS" "DKMS module signing key" \
	"$(modinfo -F signer "$helper")"
assert_eq "built for this kernel" "$kver" \
	"$(modinfo -F vermagic "$helper" | cut -d' ' -f1)"
assert_cmd "depmod" "$MR_KMOD/depmod" "$kver"
assert_eq "modprobe would find it there" "$helper" "$(modinfo -F filename modrescue)"

# The rescue, with that install alone.
mr unload hp_exitwait
assert_eq "unload: exit code" 0 "$MR_RC"
assert_match "unload: loaded DKMS's helper" "*loaded the helper (modrescue.ko*) from $helper*" "$MR_OUT"
case "$kver" in
6.1.*) ;;
*)
	# 6.4+: from memory, never through the idempotent-load table, which
	# for DKMS's .ko.xz means modrescue decompressed it itself.
	assert_match "unload: DKMS's helper loaded with init_module" \
		"*loaded the helper (modrescue.ko, with init_module*) from $helper*" "$MR_OUT"
	;;
esac
assert_match "unload: released, then unloaded" "*released, then unloaded*" "$MR_OUT"
assert_match "unload: says what it completed" "*released pid $pid (rmmod)*completed*" "$MR_OUT"
assert_cmd "the original rmmod finished" wait_until 10 is_finished "$pid"
is_finished "$pid" && wait "$pid"
assert_eq "the original rmmod succeeded" 0 "$?"
assert_eq "hp_exitwait gone" absent "$(mod_state hp_exitwait)"
assert_eq "helper unloaded after use" absent "$(mod_state modrescue)"
assert_cmd "a fixed build loads" load_patient hp_exitwait healthy=1
assert_cmd "and unloads normally" rmmod hp_exitwait
