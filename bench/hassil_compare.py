#!/usr/bin/env python3
"""Side by side: our engine and hassil (the Home Assistant sentence matcher)
on the same English sentences, templates and 10,000 contacts.

hassil gets our English templates as they are (the syntax is the same:
(a|b), [a], {slot}, <rule>), our skip prefixes as skip words, wildcard
lists for free text, a 0-100 range for the volume, and, as Home Assistant
does since core PR #131563, only the contact names a character trie finds
in the sentence (hassil's own Trie) instead of all 10,000.

hassil is not a Debian package and PyPI is out of reach here: pass the
directory of a hassil checkout with unicode_rbnf beside it (both fetched
from GitHub; see docs/intents.md, "Speed"):
    bench/hassil_compare.py build/bench/intents_bench HASSIL_DIR
"""
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "hang up", "call mom", "answer the call", "set the volume to fifty", "list my contacts",
    "send bob smith running late, see you at the station in ten minutes", "tell Bob Smith I'm on my way",
    "text mom saying the meeting moved to three",
]
CONTACTS = 10_000
ROUNDS = 200


def make_contacts(n):
    """The same names as bench/intents_bench.cpp's makeContacts()."""
    first = ["bob", "alice", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar",
             "peggy", "rupert", "sybil", "trent", "victor", "walter"]
    surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"]
    given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳"]
    names = []
    for i in range(n):
        if i % 3 == 2:
            names.append(surnames[i % 10] + given[(i // 10) % 12] + given[(i // 120) % 12] + str(i))
        else:
            names.append(f"{first[i % 18]} smith{i}")
    return names + ["Bob Smith", "Mom"]


def hassil_intents(Intents):
    language = yaml.safe_load((ROOT / "intents/en/_language.yaml").read_text())
    intents = {}
    for path in sorted((ROOT / "intents/en").glob("*.yaml")):
        for name, sentences in (yaml.safe_load(path.read_text()).get("intents") or {}).items():
            intents.setdefault(name, {"data": [{"sentences": []}]})["data"][0]["sentences"] += sentences
    lists = {"volume": {"range": {"from": 0, "to": 100}}}
    for slot, kind in language["slots"].items():
        if kind in ("text", "id", "digits"):
            lists[slot] = {"wildcard": True}
    return Intents.from_dict({"language": "en", "intents": intents, "expansion_rules": language["rules"],
                              "lists": lists}), language["skip_prefixes"] + language["skip_suffixes"]


def main():
    bench, hassil_dir = sys.argv[1], sys.argv[2]
    sys.path.insert(0, hassil_dir)
    from hassil import Intents, TextSlotList, Trie, recognize_best

    intents, skip_words = hassil_intents(Intents)
    trie = Trie()
    for name in make_contacts(CONTACTS):
        trie.insert(name.lower(), name)

    def hassil_once(text):
        found = sorted({value for _end, _text, value in trie.find(text.lower(), word_boundaries=True)})
        lists = {"contact": TextSlotList.from_strings(found or ["-"])}
        return recognize_best(text, intents, slot_lists=lists, skip_words=skip_words)

    ours = subprocess.run([bench, "--each", str(CONTACTS)], input="\n".join(SENTENCES), capture_output=True,
                          text=True, check=True).stdout.splitlines()
    print(f"{CONTACTS} contacts, median microseconds per sentence ({ROUNDS} rounds for hassil, 2,000 for ours)")
    print(f"{'sentence':58} {'hassil':>9} {'ours':>7} {'ratio':>7}")
    ratios = []
    for line in ours:
        our_us, our_intent, text = line.split("\t")
        result = hassil_once(text)
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            hassil_once(text)
            times.append((time.perf_counter() - start) * 1e6)
        theirs = statistics.median(times)
        ratio = theirs / float(our_us)
        ratios.append(ratio)
        same = "" if result and result.intent.name == our_intent else "  (intents differ: %s)" % (result.intent.name if result else None)
        print(f"{text[:58]:58} {theirs:9.1f} {float(our_us):7.2f} {ratio:6.0f}x{same}")
    print(f"ratio: min {min(ratios):.0f}x, median {statistics.median(ratios):.0f}x")


if __name__ == "__main__":
    main()
