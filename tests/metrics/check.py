#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check a Prometheus text exposition with python3-prometheus-client's parser.

usage: check.py FILE [--expect 'NAME{l="v",...} VALUE' | --absent NAME]...

Fails (exit 1) when the parser rejects FILE, when a sample has no # HELP
and # TYPE before it, when a series appears twice, when one of modrescue's
metric families is missing, or when an --expect'ed sample (labels compared
after unescaping, as the parser gives them) is not there with that value,
or an --absent family has samples.
"""
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

FAMILIES = {
    "modrescue_module_stuck": "gauge",
    "modrescue_stuck_modules": "gauge",
    "modrescue_quarantined_modules": "gauge",
    "modrescue_task_blocked_seconds": "gauge",
    "modrescue_tasks_visible": "gauge",
    "modrescue_lockwatch_enabled": "gauge",
    "modrescue_lock_held_seconds": "gauge",
    "modrescue_contained": "counter",  # samples modrescue_contained_total
    "modrescue_kernel_taint_forced_rmmod": "gauge",
}


def fail(msg):
    print("metrics check FAILED: %s" % msg)
    sys.exit(1)


def parse_expect(text):
    """'name{a="x",b="y"} 1' -> (name, {a: x, b: y}, 1.0), via the parser."""
    fams = list(text_string_to_metric_families(text + "\n"))
    s = fams[0].samples[0]
    return s.name, dict(s.labels), s.value


def main(argv):
    path = argv[1]
    expects, absents = [], []
    i = 2
    while i < len(argv):
        if argv[i] == "--expect":
            expects.append(argv[i + 1])
        elif argv[i] == "--absent":
            absents.append(argv[i + 1])
        else:
            fail("bad argument %s" % argv[i])
        i += 2
    with open(path, encoding="utf-8") as f:
        text = f.read()

    # HELP and TYPE before any sample of a family, as the format says.
    helped, typed = set(), {}
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"# (HELP|TYPE) (\S+) (.*)$", line)
        if m and m.group(1) == "HELP":
            helped.add(m.group(2))
            continue
        if m:
            typed[m.group(2)] = m.group(3)
            continue
        if line.startswith("#") or not line:
            continue
        name = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0)
        family = name[:-len("_total")] if name.endswith("_total") else name
        if not ({name, family} & helped) or not ({name, family} & set(typed)):
            fail("line %d: %s has no # HELP or # TYPE before it" % (n, name))

    try:
        fams = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser's own error
        fail("the parser rejects %s: %s" % (path, e))
    by_name = {f.name: f for f in fams}
    for name, typ in FAMILIES.items():
        if name not in by_name:
            fail("family %s missing" % name)
        if by_name[name].type != typ:
            fail("%s is %s, not %s" % (name, by_name[name].type, typ))
    seen = set()
    samples = []
    for f in fams:
        for s in f.samples:
            key = (s.name, tuple(sorted(s.labels.items())))
            if key in seen:
                fail("series %s%s twice" % key)
            seen.add(key)
            samples.append(s)
    for e in expects:
        name, labels, value = parse_expect(e)
        if not any(s.name == name and dict(s.labels) == labels and
                   s.value == value for s in samples):
            fail("no sample %s in %s; has:\n%s" % (e, path, "\n".join(
                "  %s%s %s" % (s.name, s.labels, s.value)
                for s in samples if s.name == name)))
    for a in absents:
        if any(s.name == a for s in samples):
            fail("%s has samples in %s" % (a, path))
    print("metrics ok: %s (%d families, %d samples, %d expected)" %
          (path, len(fams), len(samples), len(expects)))


if __name__ == "__main__":
    main(sys.argv)
