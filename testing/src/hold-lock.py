"""Holds an exclusive flock(2) on the file argv[1] from printing "locked" until its stdin closes.

testing/src/file-lock.ts runs one of these per critical section. The kernel drops the lock when this
process exits, however it ends (its Node parent closing the pipe, or dying and the pipe closing with it),
so a lock is never left behind, and never taken from a holder that is only slow or paused: no heartbeat,
no age at which a lock counts as abandoned.
"""

import fcntl
import os
import sys

with open(sys.argv[1], "a+", encoding="utf-8") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    # Who holds it, for the message of a caller that gives up waiting.
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getppid()}\n")
    lock.flush()
    print("locked", flush=True)
    sys.stdin.read()
