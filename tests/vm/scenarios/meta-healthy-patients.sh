# timeout: 300
# kernels: 6.1
# The baseline scenarios must fail when their patient is not broken: run
# each one here with its patient loaded healthy=1 and assert that it fails.
# MR_META=1 keeps those inner failures (and expectations) away from the
# host; only this scenario's own verdicts count.
for f in /lab/scenarios/baseline-*.sh; do
	s=$(basename "$f" .sh)
	rm -f /tmp/meta.failures
	echo "--- $s with a healthy patient"
	(
		MR_META=1
		MR_FAILURES=/tmp/meta.failures
		HP_HEALTHY=1
		# shellcheck disable=SC1090 # each is checked on its own
		. "$f"
	) >/tmp/meta.out 2>&1
	if [ -s /tmp/meta.failures ]; then
		echo "ok: $s turns red with a healthy patient ($(wc -l </tmp/meta.failures) failed assertions)"
	else
		sed 's/^/    /' /tmp/meta.out
		fail "$s still passes when its patient is healthy"
	fi
done
