#!/usr/bin/env bash
# Writes the skill's jamictl manual (openclaw/skills/jami/references/jamictl.md) from
# jamictl's own help, so that it cannot drift from the CLI; the test
# cli.reference checks that the committed file is what this prints.
#   scripts/gen-reference.sh JAMICTL > openclaw/skills/jami/references/jamictl.md
set -euo pipefail
jamictl=$1
cat <<'HEAD'
# jamictl manual

Generated from `jamictl --help` and `jamictl help` by scripts/gen-reference.sh;
do not edit by hand. Always pass `--json` when a program reads the output.

## Commands and options

```
HEAD
"$jamictl" --help
cat <<'MID'
```

## Sentences it understands (one example per intent)

```
MID
"$jamictl" help
echo '```'
