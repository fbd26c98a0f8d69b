#!/usr/bin/env python3
"""The seed's receiver as an inetd-style service: read the upload from stdin, write it to a file."""
import os
import sys
import time

data = sys.stdin.buffer.read()
name = os.path.join(sys.argv[1], "%d-%d.jpg" % (time.time_ns(), os.getpid()))
with open(name, "wb") as f:
    f.write(data)
sys.stdout.write("OK %s\n" % name)
