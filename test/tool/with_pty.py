#!/usr/bin/env python3
"""Runs a command with stdout and stderr on a pseudo-terminal and prints what it wrote, with the
terminal's carriage returns turned into newlines so FileCheck can match each progress update."""
import os
import subprocess
import sys

master, slave = os.openpty()
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
os.close(slave)
output = bytearray()
while True:
    try:
        data = os.read(master, 4096)
    except OSError:  # EIO: the child closed the terminal.
        break
    if not data:
        break
    output.extend(data)
status = child.wait()
text = output.decode(errors="replace").replace("\r", "\n").replace("\x1b[K", "")
sys.stdout.write(text)
sys.exit(status)
