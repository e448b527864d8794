#!/usr/bin/env python3
"""Writes the introspection fixtures of tests/data/jamid/ from a jami-daemon
checkout (github savoirfairelinux/jami-daemon): for each labelled daemon
commit, bin/dbus/cx.ring.Ring.{CallManager,ConfigurationManager,VideoManager}.xml reduced
to what D-Bus introspection returns (interfaces, methods, signals, argument
types and directions; no documentation). A maintainer's tool, not run by CI.

    tests/data/jamid/extract.py /path/to/jami-daemon.git
"""
import pathlib, subprocess, sys
import xml.etree.ElementTree as ET

# label: daemon commit (the last change to bin/dbus/ before the release)
RELEASES = {
    "13.7-20230206": "62e735d73c",   # Debian 12's jami-daemon 20230206
    "13.11-20231101": "809600018b",  # as in Ubuntu 24.04's 20231201: sendTextMessage has its flag
    "14.0-20240109": "ba09b11b42",   # registerName (account, name, scheme, password); swarm signals, 6 fields
    "15.2-20240219": "842128f09b",   # the swarm message struct gets its 7th field (status)
    "20251205": "e2fdad785d",        # loadConversationMessages, messageReceived, incomingCallWithMedia removed
    "20260818": "d3b834ae52",        # unhold renamed resume; stable/20260819.0
}

def reduce(text):
    root = ET.fromstring(text)
    out = ET.Element("node")
    for iface in root.iter("interface"):
        o = ET.SubElement(out, "interface", name=iface.get("name"))
        for member in iface:
            if member.tag not in ("method", "signal"):
                continue
            m = ET.SubElement(o, member.tag, name=member.get("name"))
            for arg in member.findall("arg"):
                attrs = {"type": arg.get("type")}
                if arg.get("name"):
                    attrs["name"] = arg.get("name")
                if member.tag == "method":
                    attrs["direction"] = arg.get("direction", "in")
                ET.SubElement(m, "arg", attrs)
    ET.indent(out)
    return ET.tostring(out, encoding="unicode") + "\n"

repo = sys.argv[1]
here = pathlib.Path(__file__).parent
for label, commit in RELEASES.items():
    (here / label).mkdir(exist_ok=True)
    for obj in ("CallManager", "ConfigurationManager", "VideoManager"):
        text = subprocess.run(["git", "-C", repo, "show", f"{commit}:bin/dbus/cx.ring.Ring.{obj}.xml"],
                              check=True, capture_output=True, text=True).stdout
        (here / label / f"{obj}.xml").write_text(
            f"<!-- jami-daemon {commit} bin/dbus/cx.ring.Ring.{obj}.xml, reduced by extract.py -->\n" + reduce(text))
